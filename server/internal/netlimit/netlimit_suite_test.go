package netlimit_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestNetlimit(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Netlimit Suite")
}
