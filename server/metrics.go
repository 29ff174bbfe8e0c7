package server

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/claudemock/claudemock/server/internal/limits"
)

// metrics are the counters GET /metrics exposes, in the Prometheus text
// format, observed as each API request is journaled. Label values are
// bounded: endpoints are route patterns, families and dimensions come from
// the catalogue and the registry, faults from the loaded scenario; keys
// never appear.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	limited  *prometheus.CounterVec
	faults   *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// newMetrics registers the request counters and the gauges read from s's
// state at each scrape.
func newMetrics(s *Server) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "claudemock_requests_total",
			Help: "API requests answered, by endpoint (route), status and model family."}, []string{"endpoint", "status", "family"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "claudemock_rate_limited_total",
			Help: "429s sent for a rate limit, by the dimension that refused the request."}, []string{"dimension"}),
		faults: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "claudemock_faults_fired_total",
			Help: "Scenario faults fired, by fault name and action."}, []string{"fault", "action"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "claudemock_request_duration_seconds",
			Help:    "Wall time from a request's arrival to its journal entry, streams included, by endpoint.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"endpoint"}),
	}
	m.registry.MustRegister(m.requests, m.limited, m.faults, m.latency, stateCollector{s})
	return m
}

// observe counts one journaled request of the given model family.
func (m *metrics) observe(c echo.Context, x *exchange, family string) {
	endpoint := c.Path()
	m.requests.WithLabelValues(endpoint, statusLabel(c.Response().Status), family).Inc()
	if x.outcome.Dimension != "" && c.Response().Status == 429 {
		m.limited.WithLabelValues(x.outcome.Dimension).Inc()
	}
	if x.outcome.Fault != "" {
		m.faults.WithLabelValues(x.outcome.Fault, x.outcome.Action).Inc()
	}
	m.latency.WithLabelValues(endpoint).Observe(time.Since(x.began).Seconds())
}

// statusLabels are the label values of the statuses an answer can have,
// made once so that counting a request allocates no string.
var statusLabels = func() (out [600]string) {
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}()

// statusLabel is a status as a label value.
func statusLabel(status int) string {
	if status >= 0 && status < len(statusLabels) {
		return statusLabels[status]
	}
	return strconv.Itoa(status)
}

// getMetrics serves the registry in the Prometheus text format.
func (s *Server) getMetrics(c echo.Context) error {
	promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}).ServeHTTP(c.Response(), c.Request())
	return nil
}

// stateCollector reads what /_mock/state shows as gauges at each scrape:
// the buckets of the requests that name no test, each organization's
// spend this month against its cap, and the journals' size and drops.
type stateCollector struct{ s *Server }

var (
	bucketLevel = prometheus.NewDesc("claudemock_bucket_level", "Tokens or requests left in a rate-limit bucket (default namespace).",
		[]string{"scope", "family", "dimension"}, nil)
	bucketLimit = prometheus.NewDesc("claudemock_bucket_limit", "A rate-limit bucket's limit per window (default namespace).",
		[]string{"scope", "family", "dimension"}, nil)
	spend = prometheus.NewDesc("claudemock_spend_usd", "An organization's spend this month, in USD.",
		[]string{"organization"}, nil)
	spendCap = prometheus.NewDesc("claudemock_spend_cap_usd", "The monthly spend an organization may reach: its tier's cap or its own limit, the lower.",
		[]string{"organization"}, nil)
	journalEntries = prometheus.NewDesc("claudemock_journal_entries", "Requests the journals of the run keep, every test together.", nil, nil)
	journalDropped = prometheus.NewDesc("claudemock_journal_dropped", "Requests the journals of the run let go, oldest first.", nil, nil)
)

// Describe sends the gauges' descriptions.
func (stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{bucketLevel, bucketLimit, spend, spendCap, journalEntries, journalDropped} {
		ch <- d
	}
}

// Collect reads the gauges from the server's state now.
func (sc stateCollector) Collect(ch chan<- prometheus.Metric) {
	s := sc.s
	now := s.clock.Now()
	play := s.play.Load()
	for _, st := range play.Find("").Limiter.Snapshot(now) {
		labels := []string{st.Key.Scope, st.Key.Family, limits.JournalName(st.Key.Dimension)}
		ch <- prometheus.MustNewConstMetric(bucketLevel, prometheus.GaugeValue, st.Level, labels...)
		ch <- prometheus.MustNewConstMetric(bucketLimit, prometheus.GaugeValue, limits.LimitOf(st), labels...)
	}
	for _, o := range s.organizationStates(now) {
		ch <- prometheus.MustNewConstMetric(spend, prometheus.GaugeValue, o.SpentThisMonth, o.ID)
		if o.SpendCap != nil {
			ch <- prometheus.MustNewConstMetric(spendCap, prometheus.GaugeValue, *o.SpendCap, o.ID)
		}
	}
	entries, dropped := 0, 0
	for _, ns := range play.All() {
		entries, dropped = entries+ns.Journal.Len(), dropped+ns.Journal.Dropped()
	}
	ch <- prometheus.MustNewConstMetric(journalEntries, prometheus.GaugeValue, float64(entries))
	ch <- prometheus.MustNewConstMetric(journalDropped, prometheus.GaugeValue, float64(dropped))
}

// spendCap is the monthly spend an organization may reach: the lower of
// its tier's cap and its own spend limit; false when it has neither.
func (s *Server) spendCap(orgID string) (float64, bool) {
	capped, limit := false, 0.0
	if tier, ok := s.accounts.TierOf(orgID); ok && tier.MonthlySpendLimit != nil {
		capped, limit = true, *tier.MonthlySpendLimit
	}
	if own, _ := s.accounts.SpendLimits(orgID, ""); own != nil && (!capped || own.USD() < limit) {
		capped, limit = true, own.USD()
	}
	return limit, capped
}
