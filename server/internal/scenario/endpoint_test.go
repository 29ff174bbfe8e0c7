package scenario_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/scenario"
)

var _ = Describe("EndpointOf", func() {
	It("names API paths as scenario files do, and keeps any other path", func() {
		Expect(scenario.EndpointOf("/v1/messages")).To(Equal(scenario.EndpointMessages))
		Expect(scenario.EndpointOf("/v1/messages/count_tokens")).To(Equal(scenario.EndpointCountTokens))
		Expect(scenario.EndpointOf("/v1/models/claude-haiku-4-5")).To(Equal("models"))
		Expect(scenario.EndpointOf("/v1/messages/batches/msgbatch_01x/results")).To(Equal("batches"))
		Expect(scenario.EndpointOf("/v1/skills")).To(Equal("/v1/skills"))
	})
})

var _ = Describe("Action", func() {
	It("spreads a latency answer: the first token's wait, then the output at its rate shared by the pieces", func() {
		a := &scenario.Action{Kind: scenario.Latency, TimeToFirstToken: 2 * time.Second, TokensPerSecond: 10}
		ttft, per := a.Latency(40, 8)
		Expect([]time.Duration{ttft, per}).To(Equal([]time.Duration{2 * time.Second, 500 * time.Millisecond}))
		ttft, per = a.Latency(40, 1)
		Expect(ttft + per).To(Equal(6 * time.Second))
		ttft, per = (&scenario.Action{Kind: scenario.Latency, TimeToFirstToken: time.Second}).Latency(40, 8)
		Expect([]time.Duration{ttft, per}).To(Equal([]time.Duration{time.Second, 0}))
	})

	It("breaks a stream when it is a stream fault or a disconnect, and not when absent", func() {
		var none *scenario.Action
		Expect(none.Breaks()).To(BeFalse())
		Expect((&scenario.Action{Kind: scenario.Stall}).Breaks()).To(BeTrue())
		Expect((&scenario.Action{Kind: scenario.Disconnect}).Breaks()).To(BeTrue())
		Expect((&scenario.Action{Kind: scenario.Latency}).Breaks()).To(BeFalse())
	})
})
