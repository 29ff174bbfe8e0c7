package config_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/config"
)

// tiers are the embedded catalogue's tiers, as errors list them.
const tiers = "tier-1, tier-2, tier-3, tier-4, start, build, scale, custom, bedrock, legacy-2024, guide-free, guide-build-1, guide-build-2, guide-build-3, guide-build-4, guide-monthly-free, guide-monthly-paid"

// embedded is the embedded catalogue.
func embedded() *catalog.Catalog {
	cat, err := catalog.Load("tiers.yaml", claudemock.Tiers)
	Expect(err).NotTo(HaveOccurred())
	return cat
}

var _ = Describe("Validate", func() {
	It("checks a file without organizations or scenario keys as a tiers file", func() {
		Expect(config.Validate("tiers.yaml", claudemock.Tiers)).To(Succeed())
		Expect(config.Validate("tiers.yaml", []byte("models: []\n")).Error()).To(Equal(`tiers.yaml:1: missing required field "tiers"` + "\n" +
			`tiers.yaml:1: missing required field "default_tier"` + "\n" + "tiers.yaml:1: models: must list at least one model"))
	})

	It("checks an organizations file against the embedded catalogue", func() {
		Expect(config.Validate("orgs.yaml", []byte("organizations:\n  - id: org-a\n    tier: tier-2\n"))).To(Succeed())
		Expect(config.Validate("orgs.yaml", []byte("organizations:\n  - id: org-a\n    tier: tier-9\n")).Error()).To(Equal(`orgs.yaml:3: organizations[0].tier: must name a tier of the catalogue (` + tiers + `), got "tier-9"`))
	})

	It("says what a file with none of any kind's keys is not, and what each kind starts with", func() {
		Expect(config.Validate("u.yaml", []byte("bogus: 1\nother: 2\n")).Error()).To(Equal("u.yaml: not a claudemock file: found bogus, other at the top; " +
			"a tiers file starts with models, tiers, default_tier, an organizations file with organizations, " +
			"a scenario with name (and description, seed, clock, tier, faults, replies, expect, auto_tools)"))
	})

	It("checks a file with any key only a scenario has as a scenario, even without a name", func() {
		Expect(config.Validate("s.yaml", []byte("faults: 3\n")).Error()).To(Equal(`s.yaml:1: missing required field "name"` + "\n" + `s.yaml:1: faults: must be a list, got "3"`))
	})
})

var _ = Describe("DefaultTier", func() {
	It("is the catalogue's default tier when none is named", func() {
		tier, err := config.DefaultTier(embedded(), "")
		Expect(err).NotTo(HaveOccurred())
		Expect(tier.Name).To(Equal("start"))
	})

	It("finds a tier by name and lists the tiers there are for an unknown one", func() {
		tier, err := config.DefaultTier(embedded(), "tier-3")
		Expect(err).NotTo(HaveOccurred())
		Expect(tier.Name).To(Equal("tier-3"))
		_, err = config.DefaultTier(embedded(), "tier-9")
		Expect(err.Error()).To(Equal(`tier "tier-9": no such tier in the catalogue (have ` + tiers + ")"))
	})
})

var _ = Describe("Organizations", func() {
	It("is none without a file", func() {
		Expect(config.Organizations(embedded(), "orgs.yaml", nil)).To(BeNil())
	})

	It("reads the organizations of a file, naming it organizations.yaml in errors when unnamed", func() {
		configured, err := config.Organizations(embedded(), "orgs.yaml", []byte("organizations:\n  - id: org-a\n  - id: org-b\n"))
		Expect(err).NotTo(HaveOccurred())
		Expect([]string{configured[0].ID, configured[1].ID}).To(Equal([]string{"org-a", "org-b"}))
		_, err = config.Organizations(embedded(), "", []byte("organizations:\n  - id: org-a\n    tier: tier-9\n"))
		Expect(err.Error()).To(Equal(`organizations.yaml:3: organizations[0].tier: must name a tier of the catalogue (` + tiers + `), got "tier-9"`))
	})
})
