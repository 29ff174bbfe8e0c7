package server_test

import (
	"bytes"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// scrape reads GET /metrics with the Prometheus text parser.
func scrape(c *client, extra ...string) map[string]*dto.MetricFamily {
	r := c.do("GET", "/metrics", "", extra...)
	Expect(r.status).To(Equal(200))
	Expect(r.header.Get("Content-Type")).To(HavePrefix("text/plain; version=0.0.4"))
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(r.body))
	Expect(err).NotTo(HaveOccurred())
	return families
}

// sample is the value of the family's metric whose labels include want.
func sample(families map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	f, ok := families[name]
	Expect(ok).To(BeTrue(), "no family %s", name)
	for _, m := range f.Metric {
		if matches(m, want) {
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue()
			case m.Gauge != nil:
				return m.Gauge.GetValue()
			case m.Histogram != nil:
				return float64(m.Histogram.GetSampleCount())
			}
		}
	}
	Fail("no " + name + " sample with the labels asked for")
	return 0
}

func matches(m *dto.Metric, want map[string]string) bool {
	n := 0
	for _, l := range m.Label {
		if v, ok := want[l.GetName()]; ok && v == l.GetValue() {
			n++
		}
	}
	return n == len(want)
}

var _ = Describe("GET /metrics", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{Clock: "manual", Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Tier: "tier-1"})
		Expect(s.SetScenario("s.yaml", []byte("name: m\nfaults:\n  - name: burst\n    when: {from: 3, to: 3}\n    rate_limit: {dimension: requests}\n"))).To(Succeed())
	})

	It("counts requests by route, status and family, 429s by dimension and faults by name", func() {
		c.post("/v1/messages", hello)
		c.post("/v1/messages", hello)
		c.post("/v1/messages", hello)
		c.post("/v1/messages/count_tokens", `{"model":"claude-haiku-4-5","messages":[]}`)
		m := scrape(c)
		Expect(sample(m, "claudemock_requests_total", map[string]string{"endpoint": "/v1/messages", "status": "200", "family": "haiku-4-5"})).To(Equal(2.0))
		Expect(sample(m, "claudemock_requests_total", map[string]string{"endpoint": "/v1/messages", "status": "429", "family": "haiku-4-5"})).To(Equal(1.0))
		Expect(sample(m, "claudemock_requests_total", map[string]string{"endpoint": "/v1/messages/count_tokens", "status": "400", "family": "haiku-4-5"})).To(Equal(1.0))
		Expect(sample(m, "claudemock_rate_limited_total", map[string]string{"dimension": "requests"})).To(Equal(1.0))
		Expect(sample(m, "claudemock_faults_fired_total", map[string]string{"fault": "burst", "action": "rate_limit"})).To(Equal(1.0))
		Expect(sample(m, "claudemock_request_duration_seconds", map[string]string{"endpoint": "/v1/messages"})).To(Equal(3.0))
		Expect(sample(m, "claudemock_journal_entries", nil)).To(Equal(4.0))
		Expect(sample(m, "claudemock_journal_dropped", nil)).To(Equal(0.0))
	})

	It("shows the buckets as they stand and the spend against the tier's cap", func() {
		c.post("/v1/messages", hello)
		m := scrape(c)
		org := "org:" + s.DefaultOrganization()
		requests := map[string]string{"scope": org, "family": "haiku-4-5", "dimension": "requests"}
		Expect(sample(m, "claudemock_bucket_limit", requests)).To(Equal(50.0))
		Expect(sample(m, "claudemock_bucket_level", requests)).To(Equal(49.0))
		spent := s.State().Organizations[0].SpentThisMonth
		Expect(spent).To(BeNumerically(">", 0))
		Expect(sample(m, "claudemock_spend_usd", map[string]string{"organization": s.DefaultOrganization()})).To(Equal(spent))
		Expect(sample(m, "claudemock_spend_cap_usd", map[string]string{"organization": s.DefaultOrganization()})).To(Equal(100.0))
	})

	It("never names a key in a label", func() {
		c.post("/v1/messages", hello, "x-api-key", "sk-secret-key")
		Expect(string(c.do("GET", "/metrics", "").body)).NotTo(ContainSubstring("sk-secret"))
	})

	It("is locked by the control token like /_mock/", func() {
		s, c = newServer(server.Options{ControlToken: "t0k"})
		status, typ, _ := c.do("GET", "/metrics", "").errorOf()
		Expect([]any{status, typ}).To(Equal([]any{401, "authentication_error"}))
		Expect(sample(scrape(c, "Authorization", "Bearer t0k"), "claudemock_journal_entries", nil)).To(Equal(0.0))
	})
})
