package server_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/openapi"
)

func TestServer(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Server Suite")
}

// spec is the official OpenAPI document every body is checked against.
var spec *openapi.Spec

var _ = BeforeSuite(func() {
	var err error
	spec, err = openapi.Default()
	Expect(err).NotTo(HaveOccurred())
})
