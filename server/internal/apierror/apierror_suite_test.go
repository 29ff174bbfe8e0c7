package apierror_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestAPIError(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "APIError Suite")
}
