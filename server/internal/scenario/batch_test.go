package scenario_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

var _ = Describe("The batch actions", func() {
	doc := `name: b
faults:
  - name: errored
    batch_errored: {type: overloaded_error, message: busy}
  - name: expired
    batch_expired:
  - name: slow
    batch_slow: {request_time: 2m}
`

	It("decode with their attributes and defaults", func() {
		sc, err := scenario.Load("b.yaml", []byte(doc), loadCatalog())
		Expect(err).NotTo(HaveOccurred())
		Expect(sc.Faults[0].Action).To(Equal(scenario.Action{Kind: scenario.BatchErrored, ErrorType: apierror.Overloaded, Message: "busy"}))
		Expect(sc.Faults[1].Action).To(Equal(scenario.Action{Kind: scenario.BatchExpired}))
		Expect(sc.Faults[2].Action).To(Equal(scenario.Action{Kind: scenario.BatchSlow, RequestTime: 2 * time.Minute}))
		Expect(scenario.BatchErrored.Batch()).To(BeTrue())
		Expect(scenario.Overloaded.Batch()).To(BeFalse())
	})

	It("fire for batch requests only, and no other kind does", func() {
		sc, err := scenario.Load("b.yaml", []byte(doc+"  - name: any\n    overloaded:\n"), loadCatalog())
		Expect(err).NotTo(HaveOccurred())
		e := scenario.NewEngine(sc, 1, t0)
		f, ok := e.Fault(scenario.Request{Endpoint: scenario.EndpointBatch}, t0)
		Expect(ok).To(BeTrue())
		Expect(f.Fault.Name).To(Equal("errored"))
		f, ok = e.Fault(scenario.Request{Endpoint: scenario.EndpointMessages}, t0)
		Expect(ok).To(BeTrue())
		Expect(f.Fault.Name).To(Equal("any"))
		Expect(e.Counts()[0].Matched).To(Equal(1))
	})
})
