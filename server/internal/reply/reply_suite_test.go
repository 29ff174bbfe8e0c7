package reply_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestReply(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Reply Suite")
}
