package scenario_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock"
	"github.com/claudemock/claudemock/server/internal/catalog"
)

func TestScenario(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Scenario Suite")
}

// loadCatalog reads the embedded catalogue every spec validates against.
func loadCatalog() *catalog.Catalog {
	cat, err := catalog.Load("tiers.yaml", claudemock.Tiers)
	Expect(err).NotTo(HaveOccurred())
	return cat
}

// ptr returns a pointer to v, for the optional fields.
func ptr[T any](v T) *T { return &v }
