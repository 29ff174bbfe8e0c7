package orgs_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/orgs"
)

var _ = Describe("DefaultWorkspaceID", func() {
	It("is a real-shaped id, wrkspc_01 and 22 base58 characters", func() {
		Expect(orgs.DefaultWorkspaceID("org-acme")).To(MatchRegexp(`^wrkspc_01[1-9A-HJ-NP-Za-km-z]{22}$`))
	})

	It("depends on the organization id alone, so it never changes between runs", func() {
		Expect(orgs.DefaultWorkspaceID("org-acme")).To(Equal("wrkspc_01gems7WjPpk4pDn2VM4HD2G"))
		Expect(orgs.DefaultWorkspaceID("org-ws")).To(Equal("wrkspc_01L8J6k61df5L21WWMe7c6S2"))
	})
})
