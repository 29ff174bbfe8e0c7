package openapi_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/openapi"
)

// spec is parsed once per suite (the document is ~3.7 MB).
var spec *openapi.Spec

func TestOpenAPI(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "OpenAPI Suite")
}

var _ = BeforeSuite(func() {
	var err error
	spec, err = openapi.Default()
	Expect(err).NotTo(HaveOccurred())
	Expect(spec).NotTo(BeNil())
})
