package billing_test

import (
	"os"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/catalog"
)

func TestBilling(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Billing Suite")
}

// cat is the real catalogue, so prices and tiers are the ones the mock serves.
var cat *catalog.Catalog

var _ = BeforeSuite(func() {
	cat = loadCatalog()
})

// loadCatalog reads the repository's tiers.yaml; shared with the benchmarks.
func loadCatalog() *catalog.Catalog {
	data, err := os.ReadFile("../../../tiers.yaml")
	if err != nil {
		panic(err)
	}
	c, err := catalog.Load("tiers.yaml", data)
	if err != nil {
		panic(err)
	}
	return c
}

func model(id string) *catalog.Model {
	m, ok := cat.Lookup(id)
	ExpectWithOffset(1, ok).To(BeTrue(), id)
	return m
}

func tier(name string) *catalog.Tier {
	t, ok := cat.Tier(name)
	ExpectWithOffset(1, ok).To(BeTrue(), name)
	return t
}
