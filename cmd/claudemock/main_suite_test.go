package main_test

import (
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

func TestClaudemock(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "claudemock command Suite")
}

// binary is the claudemock command built once for the suite.
var binary string

var _ = SynchronizedBeforeSuite(func() []byte {
	path, err := gexec.Build("github.com/claudemock/claudemock/cmd/claudemock", "-race")
	Expect(err).NotTo(HaveOccurred())
	return []byte(path)
}, func(path []byte) {
	binary = string(path)
	// A race-enabled binary takes a moment to start and stop: wait for it
	// (the wait ends as soon as the condition holds).
	SetDefaultEventuallyTimeout(20 * time.Second)
})

var _ = SynchronizedAfterSuite(func() {}, func() {
	gexec.CleanupBuildArtifacts()
})
