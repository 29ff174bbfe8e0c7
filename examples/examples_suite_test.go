package examples_test

import (
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestExamples(t *testing.T) {
	RegisterFailHandler(Fail)
	// Building the binary and starting it take a few seconds under load.
	SetDefaultEventuallyTimeout(60 * time.Second)
	RunSpecs(t, "Examples Suite")
}
