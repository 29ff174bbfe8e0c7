package scenario_test

import (
	"net/textproto"
	"os"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// t0 is the virtual time every engine spec loads its scenario at.
var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

var _ = Describe("Engine", func() {
	var (
		cat *catalog.Catalog
		req scenario.Request
	)

	BeforeEach(func() {
		cat = loadCatalog()
		req = scenario.Request{
			Endpoint: scenario.EndpointMessages, Model: "claude-sonnet-4-5-20250929", Alias: "claude-sonnet-4-5",
			Family: "sonnet-4", Key: "sk-a", Organization: "org-a", Workspace: "default",
			Header: textproto.MIMEHeader{"X-Test-Case": {"1"}}, Body: []byte(`{"messages":[{"content":"hello"}]}`),
		}
	})

	// engine loads a scenario (prefixed with a name and one organization)
	// and starts playing it at t0.
	engine := func(body string, seed uint64) *scenario.Engine {
		doc := "name: n\norganizations: [{id: org-a, keys: [sk-a], workspaces: [{id: ws-1}]}]\n" + body
		sc, err := scenario.Load("s.yaml", []byte(doc), cat)
		Expect(err).NotTo(HaveOccurred())
		return scenario.NewEngine(sc, seed, t0)
	}

	// fired sends n copies of r, the i-th (from 0) at t0 + i*step, and
	// returns the 1-based ordinals for which a fault fired.
	fired := func(e *scenario.Engine, r scenario.Request, n int, step time.Duration) []int {
		out := []int{}
		for i := range n {
			if _, ok := e.Fault(r, t0.Add(time.Duration(i)*step)); ok {
				out = append(out, i+1)
			}
		}
		return out
	}

	DescribeTable("when: which of ten matching requests, one a second, a fault fires for",
		func(when string, want []int) {
			e := engine("faults:\n  - when: "+when+"\n    overloaded:\n", 1)
			Expect(fired(e, req, 10, time.Second)).To(Equal(want))
		},
		Entry("no conditions", "{}", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}),
		Entry("from", "{from: 8}", []int{8, 9, 10}),
		Entry("to", "{to: 3}", []int{1, 2, 3}),
		Entry("from and to", "{from: 3, to: 5}", []int{3, 4, 5}),
		Entry("to equal to from", "{from: 4, to: 4}", []int{4}),
		Entry("every", "{every: 3}", []int{1, 4, 7, 10}),
		Entry("every counted from from", "{from: 2, every: 3}", []int{2, 5, 8}),
		Entry("every 1", "{from: 9, every: 1}", []int{9, 10}),
		Entry("max", "{max: 2}", []int{1, 2}),
		Entry("every, from and max", "{from: 4, every: 2, max: 2}", []int{4, 6}),
		Entry("after", "{after: 8s}", []int{9, 10}),
		Entry("after and for", "{after: 5s, for: 3s}", []int{6, 7, 8}),
		Entry("for from the start", "{for: 2s}", []int{1, 2}),
		Entry("everything", "{from: 2, to: 9, every: 2, after: 3s, for: 5s, max: 2}", []int{4, 6}),
	)

	Context("probability", func() {
		It("fires for the same ordinals with the same seed", func() {
			const body = "faults:\n  - when: {probability: 0.5}\n    overloaded:\n"
			first := fired(engine(body, 1), req, 20, time.Second)
			Expect(first).To(Equal([]int{1, 2, 4, 6, 8, 9, 11, 13, 14, 16, 17, 18, 19, 20}))
			Expect(fired(engine(body, 1), req, 20, time.Second)).To(Equal(first))
			Expect(fired(engine(body, 2), req, 20, time.Second)).NotTo(Equal(first))
		})

		It("fires for every request at probability 1", func() {
			Expect(fired(engine("faults:\n  - when: {probability: 1}\n    overloaded:\n", 7), req, 5, 0)).To(Equal([]int{1, 2, 3, 4, 5}))
		})

		It("draws only when every other condition holds", func() {
			const prob = "faults:\n  - when: {probability: 0.5}\n    overloaded:\n"
			alone := fired(engine(prob, 1), req, 20, time.Second)
			// A first fault that matches but is never due, and one that is
			// not even matched, take no draws from the shared source.
			withOthers := engine("faults:\n"+
				"  - when: {from: 100, probability: 0.5}\n    api_error:\n"+
				"  - match: {key: sk-other}\n    when: {probability: 0.5}\n    timeout:\n"+
				"  - when: {probability: 0.5}\n    overloaded:\n", 1)
			Expect(fired(withOthers, req, 20, time.Second)).To(Equal(alone))
		})

		It("counts the draw against max only when it fires", func() {
			e := engine("faults:\n  - when: {probability: 0.5, max: 3}\n    overloaded:\n", 1)
			Expect(fired(e, req, 20, time.Second)).To(Equal([]int{1, 2, 4}))
			Expect(e.Counts()).To(Equal([]scenario.Count{{Name: "faults[0]", Kind: scenario.Overloaded, Matched: 20, Fired: 3}}))
		})
	})

	Context("ordering", func() {
		It("lets the first fault that fires win, and later ones not see the request", func() {
			e := engine("faults:\n  - name: even\n    when: {every: 2}\n    overloaded:\n  - name: rest\n    api_error:\n", 1)
			var kinds []scenario.Kind
			for i := range 5 {
				f, ok := e.Fault(req, t0.Add(time.Duration(i)*time.Second))
				Expect(ok).To(BeTrue())
				kinds = append(kinds, f.Fault.Action.Kind)
			}
			Expect(kinds).To(Equal([]scenario.Kind{scenario.Overloaded, scenario.APIError, scenario.Overloaded,
				scenario.APIError, scenario.Overloaded}))
			Expect(e.Counts()).To(Equal([]scenario.Count{
				{Name: "even", Kind: scenario.Overloaded, Matched: 5, Fired: 3},
				{Name: "rest", Kind: scenario.APIError, Matched: 2, Fired: 2},
			}))
		})

		It("returns the fault itself, with no wait for a plain kind", func() {
			e := engine("faults:\n  - name: x\n    overloaded: {retry_after: 3s}\n", 1)
			f, ok := e.Fault(req, t0)
			Expect(ok).To(BeTrue())
			Expect(f.Fault.Name).To(Equal("x"))
			Expect(f.Fault.Line).To(Equal(4))
			Expect(f.RetryAfter).To(BeZero())
		})

		It("reports nothing without faults", func() {
			e := scenario.NewEngine(&scenario.Scenario{}, 1, t0)
			_, ok := e.Fault(req, t0)
			Expect(ok).To(BeFalse())
			Expect(e.Counts()).To(BeEmpty())
		})
	})

	Context("streaming-only kinds", func() {
		It("never match a non-streaming request, nor count it", func() {
			e := engine("faults:\n  - when: {from: 2}\n    stream_error:\n  - stall:\n  - malformed_event:\n", 1)
			Expect(fired(e, req, 3, time.Second)).To(BeEmpty())
			req.Stream = true
			f, ok := e.Fault(req, t0)
			Expect(ok).To(BeTrue())
			Expect(f.Fault.Action.Kind).To(Equal(scenario.Stall))
			f, _ = e.Fault(req, t0)
			Expect(f.Fault.Action.Kind).To(Equal(scenario.StreamError))
			Expect(e.Counts()).To(Equal([]scenario.Count{
				{Name: "faults[0]", Kind: scenario.StreamError, Matched: 2, Fired: 1},
				{Name: "faults[1]", Kind: scenario.Stall, Matched: 1, Fired: 1},
				{Name: "faults[2]", Kind: scenario.MalformedEvent, Matched: 0, Fired: 0},
			}))
		})

		It("leave disconnect to non-streaming requests too", func() {
			e := engine("faults:\n  - disconnect: {after_bytes: 10}\n", 1)
			Expect(fired(e, req, 2, 0)).To(Equal([]int{1, 2}))
		})
	})

	DescribeTable("match",
		func(match string, change func(r *scenario.Request), want bool) {
			e := engine("faults:\n  - match: "+match+"\n    overloaded:\n", 1)
			change(&req)
			_, ok := e.Fault(req, t0)
			Expect(ok).To(Equal(want))
		},
		Entry("endpoint", "{endpoint: messages}", func(*scenario.Request) {}, true),
		Entry("other endpoint", "{endpoint: count_tokens}", func(*scenario.Request) {}, false),
		Entry("model glob on the id", "{model: 'claude-sonnet-4-5-2025*'}", func(*scenario.Request) {}, true),
		Entry("model glob on the alias sent", "{model: claude-sonnet-4-5}", func(*scenario.Request) {}, true),
		Entry("model glob, no alias sent", "{model: claude-sonnet-4-5}", func(r *scenario.Request) { r.Alias = "" }, false),
		Entry("model glob on neither", "{model: 'claude-opus-*'}", func(*scenario.Request) {}, false),
		Entry("family", "{family: 'sonnet-?'}", func(*scenario.Request) {}, true),
		Entry("other family", "{family: 'opus*'}", func(*scenario.Request) {}, false),
		Entry("key", "{key: sk-a}", func(*scenario.Request) {}, true),
		Entry("other key", "{key: sk-b}", func(*scenario.Request) {}, false),
		Entry("organization", "{organization: org-a}", func(*scenario.Request) {}, true),
		Entry("default organization, for an unclaimed key", "{organization: default}",
			func(r *scenario.Request) { r.Organization, r.DefaultOrganization = "", true }, true),
		Entry("default organization, for a declared one", "{organization: default}", func(*scenario.Request) {}, false),
		Entry("workspace", "{workspace: ws-1}", func(r *scenario.Request) { r.Workspace = "ws-1" }, true),
		Entry("default workspace", "{workspace: default}", func(*scenario.Request) {}, true),
		Entry("other workspace", "{workspace: ws-1}", func(*scenario.Request) {}, false),
		Entry("stream true", "{stream: true}", func(r *scenario.Request) { r.Stream = true }, true),
		Entry("stream false against a stream", "{stream: false}", func(r *scenario.Request) { r.Stream = true }, false),
		Entry("header, any case", "{header: x-test-case}", func(*scenario.Request) {}, true),
		Entry("header missing", "{header: x-other}", func(*scenario.Request) {}, false),
		Entry("header without any headers", "{header: x-test-case}", func(r *scenario.Request) { r.Header = nil }, false),
		Entry("body_contains", `{body_contains: '"hello"'}`, func(*scenario.Request) {}, true),
		Entry("body_contains missing", "{body_contains: goodbye}", func(*scenario.Request) {}, false),
		Entry("every field at once", "{endpoint: messages, model: 'claude-*', family: sonnet-4, key: sk-a, organization: org-a, "+
			"workspace: default, stream: false, header: X-Test-Case, body_contains: hello}", func(*scenario.Request) {}, true),
	)

	Context("acceleration_limit", func() {
		// at sends one request at t0 + d and returns the firing, if any.
		at := func(e *scenario.Engine, d time.Duration) (time.Duration, bool) {
			f, ok := e.Fault(req, t0.Add(d))
			return f.RetryAfter, ok
		}

		It("allows the floor, then the previous minute's count plus the ramp", func() {
			e := engine("faults:\n  - acceleration_limit: {floor: 3, ramp: 2}\n", 1)
			for _, d := range []time.Duration{0, time.Second, 2 * time.Second} {
				_, ok := at(e, d)
				Expect(ok).To(BeFalse())
			}
			wait, ok := at(e, 10*time.Second)
			Expect(ok).To(BeTrue())
			Expect(wait).To(Equal(50 * time.Second))
			wait, ok = at(e, 20*time.Second)
			Expect(ok).To(BeTrue())
			Expect(wait).To(Equal(40 * time.Second)) // refused requests do not count

			// The next minute may carry 3 + 2 = 5.
			for i := range 5 {
				_, ok := at(e, 70*time.Second+time.Duration(i)*time.Second)
				Expect(ok).To(BeFalse(), "request %d of the second minute", i+1)
			}
			wait, ok = at(e, 75*time.Second)
			Expect(ok).To(BeTrue())
			Expect(wait).To(Equal(55 * time.Second))
			Expect(e.Counts()).To(Equal([]scenario.Count{{Name: "faults[0]", Kind: scenario.AccelerationLimit, Matched: 11, Fired: 3}}))
		})

		It("forgets requests older than two minutes", func() {
			e := engine("faults:\n  - acceleration_limit: {floor: 1, ramp: 0}\n", 1)
			_, ok := at(e, 0)
			Expect(ok).To(BeFalse())
			wait, ok := at(e, 30*time.Second)
			Expect(ok).To(BeTrue())
			Expect(wait).To(Equal(30 * time.Second))
			_, ok = at(e, 60*time.Second) // t0 has left the window
			Expect(ok).To(BeFalse())
			_, ok = at(e, 181*time.Second)
			Expect(ok).To(BeFalse())
		})

		It("answers with the retry_after attribute when one is given", func() {
			e := engine("faults:\n  - acceleration_limit: {floor: 1, ramp: 0, retry_after: 7s}\n", 1)
			_, ok := at(e, 0)
			Expect(ok).To(BeFalse())
			wait, ok := at(e, time.Second)
			Expect(ok).To(BeTrue())
			Expect(wait).To(Equal(7 * time.Second))
		})

		It("lets requests through, and counts them, while when does not hold", func() {
			e := engine("faults:\n  - when: {after: 30s}\n    acceleration_limit: {floor: 2, ramp: 0}\n", 1)
			Expect(fired(e, req, 4, 10*time.Second)).To(Equal([]int{4}))
		})
	})

	Context("replies", func() {
		It("picks the first reply that fires, with counters of its own", func() {
			e := engine("faults:\n  - overloaded:\nreplies:\n"+
				"  - name: streamed\n    match: {stream: true}\n    text: a\n"+
				"  - name: later\n    when: {from: 2}\n    text: b\n", 1)
			_, ok := e.Reply(req, t0)
			Expect(ok).To(BeFalse())
			r, ok := e.Reply(req, t0)
			Expect(ok).To(BeTrue())
			Expect(r.Name).To(Equal("later"))
			Expect(r.Text).To(Equal(&scenario.Text{Fixed: "b"}))
			req.Stream = true
			r, _ = e.Reply(req, t0)
			Expect(r.Name).To(Equal("streamed"))
			Expect(e.ReplyCounts()).To(Equal([]scenario.Count{
				{Name: "streamed", Matched: 1, Fired: 1},
				{Name: "later", Matched: 2, Fired: 1},
			}))
			Expect(e.Counts()).To(Equal([]scenario.Count{{Name: "faults[0]", Kind: scenario.Overloaded}}))
		})
	})

	It("shows a fault's optional in its count", func() {
		e := engine("faults:\n  - name: rare\n    optional: true\n    when: {from: 3}\n    overloaded:\n", 1)
		e.Fault(req, t0)
		Expect(e.Counts()).To(Equal([]scenario.Count{{Name: "rare", Kind: scenario.Overloaded, Matched: 1, Optional: true}}))
	})

	// flaky-stream.yaml tells a client to send eight streaming requests so
	// that every fault the report requires fires.
	It("fires every fault of flaky-stream but the optional one within eight streaming requests", func() {
		data, err := os.ReadFile("../../../scenarios/flaky-stream.yaml")
		Expect(err).NotTo(HaveOccurred())
		sc, err := scenario.Load("flaky-stream.yaml", data, cat)
		Expect(err).NotTo(HaveOccurred())
		e := scenario.NewEngine(sc, *sc.Seed, t0)
		req.Stream = true
		fired(e, req, 8, time.Second)
		Expect(e.Counts()).To(Equal([]scenario.Count{
			{Name: "error-event", Kind: scenario.StreamError, Matched: 8, Fired: 1},
			{Name: "cut", Kind: scenario.Disconnect, Matched: 7, Fired: 1},
			{Name: "bad-json", Kind: scenario.MalformedEvent, Matched: 6, Fired: 1},
			{Name: "stall", Kind: scenario.Stall, Matched: 5, Fired: 1},
			{Name: "bad-frame", Kind: scenario.MalformedEvent, Matched: 4, Optional: true},
		}))
	})

	It("is safe for concurrent use", func() {
		e := engine("faults:\n  - when: {every: 2}\n    overloaded:\nreplies:\n  - text: x\n", 1)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 100 {
					e.Fault(req, t0)
					e.Reply(req, t0)
					e.Counts()
				}
			})
		}
		wg.Wait()
		Expect(e.Counts()).To(Equal([]scenario.Count{{Name: "faults[0]", Kind: scenario.Overloaded, Matched: 800, Fired: 400}}))
		Expect(e.ReplyCounts()).To(Equal([]scenario.Count{{Name: "replies[0]", Matched: 800, Fired: 800}}))
	})
})
