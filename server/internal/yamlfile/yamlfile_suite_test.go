package yamlfile_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestYamlfile(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Yamlfile Suite")
}
