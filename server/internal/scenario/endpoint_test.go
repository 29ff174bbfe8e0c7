package scenario_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/scenario"
)

var _ = Describe("EndpointOf", func() {
	It("names API paths as scenario files do, and keeps any other path", func() {
		Expect(scenario.EndpointOf("/v1/messages")).To(Equal(scenario.EndpointMessages))
		Expect(scenario.EndpointOf("/v1/messages/count_tokens")).To(Equal(scenario.EndpointCountTokens))
		Expect(scenario.EndpointOf("/v1/models/claude-haiku-4-5")).To(Equal("models"))
		Expect(scenario.EndpointOf("/v1/messages/batches")).To(Equal("/v1/messages/batches"))
	})
})
