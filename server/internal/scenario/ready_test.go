package scenario_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/scenario"
)

var _ = Describe("the ready scenarios", func() {
	It("are found by name, with or without .yaml", func() {
		file, data, err := scenario.Ready("burst-429")
		Expect(err).NotTo(HaveOccurred())
		Expect(file).To(Equal("scenarios/burst-429.yaml (embedded)"))
		Expect(string(data)).To(ContainSubstring("name: burst-429"))
		again, _, err := scenario.Ready("burst-429.yaml")
		Expect(err).NotTo(HaveOccurred())
		Expect(again).To(Equal(file))
	})

	It("never reach beyond the embedded directory", func() {
		_, _, err := scenario.Ready("../scenarios/burst-429")
		Expect(err).To(MatchError(HavePrefix(`scenario "../scenarios/burst-429": no ready scenario of that name (have `)))
	})

	It("are listed by name, in file order", func() {
		names := scenario.ReadyNames()
		Expect(names).To(HaveLen(21))
		Expect(names).To(ContainElements("burst-429", "partial-stream", "lockstep-429"))
		Expect(names).NotTo(ContainElement("README"))
	})
})
