package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// record writes every API request into its namespace's journal: the
// request half when it arrives (before authentication, so refused requests
// are judged too; a request refused for its test name is not journaled),
// the outcome once the response has been written. It renders a handler's
// error itself, because the outcome needs the status the error became.
func (s *Server) record(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		st := state(c)
		if st.refusal != nil {
			return st.refusal // no namespace to journal it in
		}
		j := st.ns.Journal
		st.entry = j.Begin(s.arrival(c, st))
		st.play.BoundJournals()
		defer func() {
			family := ""
			if st.identified {
				family = st.p.Model.Family
			} else {
				var model string
				var stream bool
				model, family, stream = request.Peek(s.catalog, st.body)
				j.Identify(st.entry, model, family, stream)
			}
			j.Finish(st.entry, s.departure(c, st))
			s.metrics.observe(c, st, family)
		}()
		if err := next(c); err != nil {
			c.Error(err)
			noteError(st, err)
		}
		return nil
	}
}

// arrival describes a request as it arrives. The body is read here (once;
// the handler reuses it) because the fingerprint that ties retries
// together is computed from it.
func (s *Server) arrival(c echo.Context, st *exchange) journal.Entry {
	req := c.Request()
	body, _ := readBody(c)
	key := requestKey(req.Header)
	acct := s.accounts.Resolve(key)
	st.acct = acct
	e := journal.Entry{
		RequestID: st.id, Time: st.now, Method: req.Method, Path: req.URL.Path,
		Endpoint: scenario.EndpointOf(req.URL.Path), Key: journal.Redact(key),
		Organization: acct.OrgID, Workspace: acct.WorkspaceName(),
		RetryCount:  retryCount(req.Header),
		Fingerprint: journal.Fingerprint(key, req.URL.RequestURI(), body),
	}
	return e
}

// departure is the outcome of a request whose response has been written.
func (s *Server) departure(c echo.Context, st *exchange) journal.Outcome {
	o := st.outcome
	h := c.Response().Header()
	o.End, o.Status, o.ShouldRetry = s.clock.Now(), c.Response().Status, h.Get("X-Should-Retry")
	if v := h.Get("Retry-After"); v != "" { // parsing "" would allocate its error
		if secs, err := strconv.ParseFloat(v, 64); err == nil {
			virtual := s.clock.VirtualSeconds(secs)
			o.RetryAfter = &virtual
		}
	}
	o.RateLimits = s.rateLimits(h)
	if o.Delivery == journal.NotAnswered {
		o.Delivery = journal.Complete
	}
	return o
}

// rateLimitBuckets are the anthropic-ratelimit-* header families the
// journal records, under the bucket names it gives them.
var rateLimitBuckets = []struct {
	bucket string
	names  headerNames
}{
	{"requests", requestsHeaders}, {"tokens", tokensHeaders},
	{"input_tokens", inputHeaders}, {"output_tokens", outputHeaders},
}

// rateLimits reads the remaining and reset of each rate-limit bucket an
// answer reported, the reset converted back from the wall instant the
// client was shown to virtual time; nil when it reported none. The list is
// allocated once, with room for every bucket.
func (s *Server) rateLimits(h http.Header) []journal.RateLimit {
	var out []journal.RateLimit
	for _, b := range rateLimitBuckets {
		rem, remOK := h[b.names.remaining]
		reset, resetOK := h[b.names.reset]
		if !remOK || !resetOK {
			continue
		}
		n, err := strconv.ParseInt(rem[0], 10, 64)
		t, err2 := time.Parse(time.RFC3339, reset[0])
		if err != nil || err2 != nil {
			continue
		}
		if out == nil {
			out = make([]journal.RateLimit, 0, len(rateLimitBuckets))
		}
		out = append(out, journal.RateLimit{Bucket: b.bucket, Remaining: n, Reset: s.clock.VirtualTime(t)})
	}
	return out
}

// noteError keeps the error type and code of the error a request got.
func noteError(st *exchange, err error) {
	if isAPIError(err) {
		apiErr := asAPIError(err)
		st.outcome.ErrorType = string(apiErr.Type)
		st.outcome.ErrorCode = apiErr.Details["error_code"]
	}
}

// retryCount reads X-Stainless-Retry-Count, -1 when absent or not a count
// (absent is told apart first: parsing "" would allocate its error).
func retryCount(h http.Header) int {
	v := h.Get("X-Stainless-Retry-Count")
	if v == "" {
		return -1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}
