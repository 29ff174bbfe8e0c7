package server_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// test names the request's test with x-claudemock-test.
func test(name string) []string { return []string{"x-claudemock-test", name} }

// remaining is a reply's anthropic-ratelimit-requests-remaining.
func remaining(r reply) string { return r.header.Get("anthropic-ratelimit-requests-remaining") }

// text is the first text block of a 200 reply.
func text(r reply) string {
	GinkgoHelper()
	Expect(r.status).To(Equal(200), string(r.body))
	return r.json()["content"].([]any)[0].(map[string]any)["text"].(string)
}

// seqs are the journal sequence numbers and statuses of a test's entries.
func seqs(s *server.Server, name string) [][2]int {
	var out [][2]int
	for _, e := range s.JournalFor(name) {
		out = append(out, [2]int{e.Seq, e.Status})
	}
	return out
}

var _ = Describe("Tests sharing one mock (x-claudemock-test)", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{Seed: 1, Clock: "manual", Start: start, Tier: "tier-1"})
	})

	It("gives each test its own buckets, the default namespace its own", func() {
		// tier-1, Haiku 4.5: 50 requests per minute for each test.
		got := []string{
			remaining(c.post("/v1/messages", hello, test("a")...)),
			remaining(c.post("/v1/messages", hello, test("b")...)),
			remaining(c.post("/v1/messages", hello, test("a")...)),
			remaining(c.post("/v1/messages", hello)),
			remaining(c.post("/v1/messages", hello, test("a")...)),
			remaining(c.post("/v1/messages", hello, test("b")...)),
		}
		Expect(got).To(Equal([]string{"49", "49", "48", "49", "47", "48"}))
		for range 47 {
			Expect(c.post("/v1/messages", hello, test("a")...).status).To(Equal(200))
		}
		refused := c.post("/v1/messages", hello, test("a")...)
		Expect([]string{fmt.Sprint(refused.status), remaining(refused), refused.header.Get("retry-after")}).To(Equal([]string{"429", "0", "2"}))
		Expect(remaining(c.post("/v1/messages", hello, test("b")...))).To(Equal("47"))
		Expect(remaining(c.post("/v1/messages", hello))).To(Equal("48"))
	})

	It("shows and resets one test's buckets with ?test=, every test's without", func() {
		c.post("/v1/messages", hello, test("a")...)
		c.post("/v1/messages", hello, test("a")...)
		c.post("/v1/messages", hello, test("b")...)
		level := func(query string) float64 {
			var st server.State
			Expect(json.Unmarshal(c.do("GET", "/_mock/state"+query, "").body, &st)).To(Succeed())
			for _, b := range st.Buckets {
				if b.Dimension == "requests_per_minute" {
					return b.Level
				}
			}
			return -1 // no bucket: the namespace drew on none
		}
		Expect([]float64{level("?test=a"), level("?test=b"), level(""), level("?test=never-sent")}).To(Equal([]float64{48, 49, -1, -1}))
		Expect(c.post("/_mock/reset?test=a", "").status).To(Equal(200))
		Expect([]float64{level("?test=a"), level("?test=b")}).To(Equal([]float64{-1, 49}))
		c.post("/v1/messages", hello)
		Expect(c.post("/_mock/reset?test=", "").status).To(Equal(200)) // the default namespace alone
		Expect([]float64{level(""), level("?test=b")}).To(Equal([]float64{-1, 49}))
		c.post("/v1/messages", hello)
		c.post("/v1/messages", hello, test("a")...)
		Expect(c.post("/_mock/reset", "").status).To(Equal(200))
		Expect([]float64{level("?test=a"), level("?test=b"), level("")}).To(Equal([]float64{-1, -1, -1}))
		c.post("/v1/messages", hello, test("b")...)
		Expect(c.post("/_mock/reset?test=*", "").status).To(Equal(200))
		Expect(level("?test=b")).To(Equal(-1.0))
		Expect(s.Tests()).To(Equal([]string{"a", "b"}))
	})

	It("plays a scenario's fault and reply ordinals for each test on its own", func() {
		load(s, `faults:
  - name: second
    when: {from: 2, to: 2}
    overloaded: {}
replies:
  - name: opening
    when: {to: 1}
    text: first of its test
`)
		a1 := c.post("/v1/messages", hello, test("a")...)
		b1 := c.post("/v1/messages", hello, test("b")...)
		a2 := c.post("/v1/messages", hello, test("a")...)
		d1 := c.post("/v1/messages", hello)
		b2 := c.post("/v1/messages", hello, test("b")...)
		a3 := c.post("/v1/messages", hello, test("a")...)
		d2 := c.post("/v1/messages", hello)
		Expect([]int{a1.status, b1.status, a2.status, d1.status, b2.status, a3.status, d2.status}).To(Equal([]int{200, 200, 529, 200, 529, 200, 529}))
		Expect([]string{text(a1), text(b1), text(d1)}).To(Equal([]string{"first of its test", "first of its test", "first of its test"}))
		Expect(text(a3)).NotTo(Equal("first of its test"))
		Expect(s.ScenarioFor("a").Faults).To(Equal([]scenario.Count{{Name: "second", Kind: "overloaded", Matched: 3, Fired: 1}}))
		Expect(s.ScenarioFor("b").Faults).To(Equal([]scenario.Count{{Name: "second", Kind: "overloaded", Matched: 2, Fired: 1}}))
		Expect(s.Scenario().Faults).To(Equal([]scenario.Count{{Name: "second", Kind: "overloaded", Matched: 2, Fired: 1}}))
		Expect(string(c.do("GET", "/_mock/scenario?test=b", "").body)).To(ContainSubstring(
			`"faults":[{"name":"second","kind":"overloaded","matched":2,"fired":1}]`))
	})

	It("opens a scenario's time window at a test's first request", func() {
		load(s, "faults:\n  - name: late\n    when: {after: 10s}\n    overloaded: {}\n")
		advance(s, 20*time.Second)
		Expect(c.post("/v1/messages", hello).status).To(Equal(529))
		Expect(c.post("/v1/messages", hello, test("late-starter")...).status).To(Equal(200))
		advance(s, 10*time.Second)
		Expect(c.post("/v1/messages", hello, test("late-starter")...).status).To(Equal(529))
	})

	It("journals and judges each test on its own, numbering its requests from 1", func() {
		load(s, `faults:
  - name: burst
    match: {endpoint: messages}
    when: {from: 1, to: 1}
    rate_limit: {dimension: requests, retry_after: 10s}
expect:
  respects_retry_after: true
`)
		Expect(c.post("/v1/messages", hello, test("patient")...).status).To(Equal(429))
		Expect(c.post("/v1/messages", hello, test("eager")...).status).To(Equal(429))
		Expect(c.post("/v1/messages", hello, test("eager")...).status).To(Equal(200)) // at once
		advance(s, 10*time.Second)
		Expect(c.post("/v1/messages", hello, test("patient")...).status).To(Equal(200))

		Expect(seqs(s, "patient")).To(Equal([][2]int{{1, 429}, {2, 200}}))
		Expect(seqs(s, "eager")).To(Equal([][2]int{{1, 429}, {2, 200}}))
		Expect(s.Journal()).To(BeEmpty())
		patient, eager := s.ReportFor("patient"), s.ReportFor("eager")
		Expect([]any{patient.Pass, patient.Requests, patient.Faults[0].Fired}).To(Equal([]any{true, 2, 1}))
		Expect([]any{eager.Pass, eager.Requests, eager.Results[2].Rule, eager.Results[2].Violations[0].Requests}).To(
			Equal([]any{false, 2, "respects_retry_after", []int{1, 2}}))

		var page struct {
			Requests []struct {
				Seq    int `json:"seq"`
				Status int `json:"status"`
			} `json:"requests"`
		}
		Expect(json.Unmarshal(c.do("GET", "/_mock/requests?test=eager&order=newest", "").body, &page)).To(Succeed())
		Expect(fmt.Sprint(page.Requests)).To(Equal("[{2 200} {1 429}]"))
		Expect(string(c.do("GET", "/_mock/requests?test=nobody", "").body)).To(Equal(`{"dropped":0,"has_more":false,"requests":[]}`))

		var one server.Report
		Expect(json.Unmarshal(c.do("GET", "/_mock/report?test=eager", "").body, &one)).To(Succeed())
		Expect([]any{one.Pass, one.Requests}).To(Equal([]any{false, 2}))
	})

	It("lists every test's report in name order, the default namespace first as \"\" when it saw requests", func() {
		load(s, "faults: []\nexpect:\n  max_attempts: 3\n")
		c.post("/v1/messages", hello, test("zeta")...)
		c.post("/v1/messages", hello, test("alpha")...)
		c.post("/v1/messages", hello, test("alpha")...)
		names := func(path string) []string {
			var list []server.TestReport
			Expect(json.Unmarshal(c.do("GET", path, "").body, &list)).To(Succeed())
			var out []string
			for _, r := range list {
				out = append(out, fmt.Sprintf("%q:%d:%t", r.Test, r.Requests, r.Pass))
			}
			return out
		}
		Expect(names("/_mock/reports")).To(Equal([]string{`"alpha":2:true`, `"zeta":1:true`}))
		c.post("/v1/messages", hello)
		Expect(names("/_mock/report?test=*")).To(Equal([]string{`"":1:true`, `"alpha":2:true`, `"zeta":1:true`}))
		Expect(s.Reports()[1].Test).To(Equal("alpha"))
	})

	It("lists the default namespace alone when no test named itself, failed as a run no request reached", func() {
		reports := s.Reports()
		Expect(reports).To(HaveLen(1))
		Expect([]any{reports[0].Test, reports[0].Requests, reports[0].Pass}).To(Equal([]any{"", 0, false}))
	})

	It("keeps prompt caches apart, so one test's writes are not another's hits", func() {
		body := cached(5000, 20, "")
		read := func(r reply) []any {
			u := r.json()["usage"].(map[string]any)
			return []any{u["cache_creation_input_tokens"], u["cache_read_input_tokens"]}
		}
		Expect(read(c.post("/v1/messages", body, test("a")...))).To(Equal([]any{5010.0, 0.0}))
		Expect(read(c.post("/v1/messages", body, test("b")...))).To(Equal([]any{5010.0, 0.0}))
		Expect(read(c.post("/v1/messages", body, test("a")...))).To(Equal([]any{0.0, 5010.0}))
		Expect(read(c.post("/v1/messages", body))).To(Equal([]any{5010.0, 0.0}))
	})

	It("shares organizations' spend between tests", func() {
		c.post("/v1/messages", hello, test("a")...)
		c.post("/v1/messages", hello, test("b")...)
		spent := func(st server.State) float64 { return st.Organizations[0].SpentThisMonth }
		one := fmt.Sprint(spent(s.State()))
		Expect(one).NotTo(Equal("0"))
		Expect([]string{fmt.Sprint(spent(s.StateFor("a"))), fmt.Sprint(spent(s.StateFor("b")))}).To(Equal([]string{one, one}))
		c.post("/v1/messages", hello)
		three := fmt.Sprint(spent(s.State()))
		Expect(three).NotTo(Equal(one))
		Expect(fmt.Sprint(spent(s.StateFor("a")))).To(Equal(three))
	})
})

var _ = Describe("Determinism across tests", func() {
	// run sends the steps to a fresh server, each step "" for the default
	// namespace or a test name, and returns the bodies and request ids
	// each namespace got, in order.
	run := func(steps ...string) map[string][]string {
		_, c := newServer(server.Options{Seed: 3, Clock: "manual", Start: start})
		out := map[string][]string{}
		for _, name := range steps {
			var r reply
			if name == "" {
				r = c.post("/v1/messages", hello)
			} else {
				r = c.post("/v1/messages", hello, test(name)...)
			}
			out[name] = append(out[name], r.header.Get("request-id")+" "+string(r.body))
		}
		return out
	}

	It("gives a test the same bytes whatever other tests do, and the default namespace the bytes it always had", func() {
		mixed := run("a", "", "b", "a", "", "b", "a")
		Expect(mixed["a"]).To(Equal(run("a", "a", "a")["a"]))
		Expect(mixed["b"]).To(Equal(run("b", "b")["b"]))
		Expect(mixed[""]).To(Equal(run("", "")[""]))
	})

	It("gives two tests ids of their own", func() {
		both := run("a", "b")
		Expect(both["a"][0][:32]).NotTo(Equal(both["b"][0][:32]))
		Expect(both["a"][0]).To(HavePrefix("req_011C"))
	})
})

var _ = Describe("Test names and their bound", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{Tier: "custom"})
	})

	DescribeTable("refuses a bad name with a 400 that names the header, journaling nothing",
		func(name, message string) {
			r := c.post("/v1/messages", hello, test(name)...)
			Expect(r.status).To(Equal(400))
			Expect(string(r.body)).To(Equal(errorJSON(r, "invalid_request_error", message)))
			Expect(r.header.Get("x-should-retry")).To(Equal("false"))
			Expect(s.Journal()).To(BeEmpty())
			Expect(s.Reports()).To(HaveLen(1))
		},
		Entry("too long", strings.Repeat("x", 257), "x-claudemock-test: a test name is at most 256 bytes, got 257"),
		Entry("not ASCII", "naïve", `x-claudemock-test: a test name is printable ASCII (letters, digits, spaces and punctuation), got "na\u00efve"`),
		Entry("a control character", "a\tb", `x-claudemock-test: a test name is printable ASCII (letters, digits, spaces and punctuation), got "a\tb"`),
		Entry("the wildcard", "*", `x-claudemock-test: "*" is reserved: it stands for every test in the control API`),
	)

	It("takes any printable name up to 256 bytes, and an empty one as none", func() {
		long := strings.Repeat("y", 256)
		odd := `tests/test_client.py::TestRetry::test_backoff[429-"a b"]`
		Expect(c.post("/v1/messages", hello, test(long)...).status).To(Equal(200))
		Expect(c.post("/v1/messages", hello, test(odd)...).status).To(Equal(200))
		Expect(c.post("/v1/messages", hello, test("")...).status).To(Equal(200))
		Expect(s.Tests()).To(Equal([]string{odd, long}))
		Expect(s.Journal()).To(HaveLen(1))
		Expect(s.JournalFor(odd)).To(HaveLen(1))
		var one server.Report
		Expect(json.Unmarshal(c.do("GET", "/_mock/report?test="+url.QueryEscape(odd), "").body, &one)).To(Succeed())
		Expect(one.Requests).To(Equal(1))
	})

	It("keeps 1,000 tests apart and refuses the 1,001st name until a new run", func() {
		for i := range server.MaxTests {
			Expect(c.post("/v1/messages", hello, test(fmt.Sprintf("t%04d", i))...).status).To(Equal(200))
		}
		r := c.post("/v1/messages", hello, test("one-too-many")...)
		Expect(r.status).To(Equal(400))
		Expect(string(r.body)).To(Equal(errorJSON(r, "invalid_request_error",
			`x-claudemock-test: this run already keeps 1000 tests apart, the most it will; "one-too-many" would be one more. `+
				`Load the scenario again (PUT or DELETE /_mock/scenario) to start a new run`)))
		Expect(c.post("/v1/messages", hello, test("t0999")...).status).To(Equal(200))
		Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		Expect(s.Tests()).To(HaveLen(1000))
		Expect(s.JournalFor("one-too-many")).To(BeEmpty())
		Expect(c.do("DELETE", "/_mock/scenario", "").status).To(Equal(200))
		Expect(s.Tests()).To(BeEmpty())
		Expect(c.post("/v1/messages", hello, test("one-too-many")...).status).To(Equal(200))
	})

	DescribeTable("refuses a bad ?test= in the control API",
		func(method, path, message string) {
			r := c.do(method, path, "")
			Expect(r.status).To(Equal(400))
			Expect(string(r.body)).To(Equal(errorJSON(r, "invalid_request_error", message)))
		},
		Entry("a name too long", "GET", "/_mock/report?test="+strings.Repeat("x", 300), "test: a test name is at most 256 bytes, got 300"),
		Entry("a control character", "GET", "/_mock/requests?test=a%0Ab", `test: a test name is printable ASCII (letters, digits, spaces and punctuation), got "a\nb"`),
		Entry("every test where one is shown", "GET", "/_mock/state?test=*",
			`test: GET /_mock/state shows one test at a time; "*" (every test) is for GET /_mock/report and POST /_mock/reset`),
		Entry("every test's requests", "GET", "/_mock/requests?test=*",
			`test: GET /_mock/requests shows one test at a time; "*" (every test) is for GET /_mock/report and POST /_mock/reset`),
	)

	It("keeps the journals of all tests within one bound, letting the longest give way", func() {
		server.LimitJournals(s, 10)
		for range 8 {
			c.post("/v1/messages", hello, test("busy")...)
		}
		for range 3 {
			c.post("/v1/messages", hello, test("quiet")...)
		}
		Expect([]int{len(s.JournalFor("busy")), s.ReportFor("busy").Dropped, len(s.JournalFor("quiet"))}).To(Equal([]int{7, 1, 3}))
		c.post("/v1/messages", hello)
		Expect([]int{len(s.JournalFor("busy")), s.ReportFor("busy").Dropped, len(s.Journal()), s.ReportFor("quiet").Dropped}).To(Equal([]int{6, 2, 1, 0}))
		Expect(s.JournalFor("busy")[0].Seq).To(Equal(3))
	})

	It("bounds the default namespace alone exactly as one journal", func() {
		server.LimitJournals(s, 10)
		for range 11 {
			c.post("/v1/messages", hello)
		}
		Expect([]int{len(s.Journal()), s.Report().Dropped, s.Journal()[0].Seq}).To(Equal([]int{10, 1, 2}))
	})
})
