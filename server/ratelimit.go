package server

import (
	"math"
	"net/http"
	"net/textproto"
	"strconv"
	"time"

	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/quota"
)

// rateHeaders sets the anthropic-ratelimit-* headers, and the
// anthropic-priority-* ones when the request was eligible for the Priority
// Tier, from the buckets the policy chose to show (limits.View).
func (s *Server) rateHeaders(h http.Header, v limits.View) {
	s.putBucket(h, requestsHeaders, v.Requests, false)
	s.putBucket(h, inputHeaders, v.InputTokens, true)
	s.putBucket(h, outputHeaders, v.OutputTokens, true)
	s.putBucket(h, tokensHeaders, v.Tokens, true)
	s.priorityHeaders(h, v)
}

// putBucket sets one family's limit, remaining (whole units, or whole
// thousands for the token families, as the real API rounds) and reset;
// nothing when the family has no bucket.
func (s *Server) putBucket(h http.Header, names headerNames, b limits.Shown, thousands bool) {
	if !b.OK {
		return
	}
	st := b.State
	remaining := st.Remaining()
	if thousands {
		remaining = st.RemainingThousands()
	}
	// Canonical keys set directly: Header.Set would canonicalise (and
	// allocate) twelve names on every response.
	h[names.limit] = []string{strconv.FormatInt(int64(math.Round(limits.LimitOf(st))), 10)}
	h[names.remaining] = []string{strconv.FormatInt(remaining, 10)}
	h[names.reset] = []string{s.resetTime(st.FullAt)}
}

// headerNames are the canonical names of one limit/remaining/reset triple.
type headerNames struct{ limit, remaining, reset string }

func ratelimitHeaders(kind string) headerNames {
	return canonicalTriple("anthropic-ratelimit-" + kind)
}

// canonicalTriple names the -limit, -remaining and -reset headers of a prefix.
func canonicalTriple(prefix string) headerNames {
	return headerNames{
		limit:     textproto.CanonicalMIMEHeaderKey(prefix + "-limit"),
		remaining: textproto.CanonicalMIMEHeaderKey(prefix + "-remaining"),
		reset:     textproto.CanonicalMIMEHeaderKey(prefix + "-reset"),
	}
}

var (
	requestsHeaders = ratelimitHeaders("requests")
	inputHeaders    = ratelimitHeaders("input-tokens")
	outputHeaders   = ratelimitHeaders("output-tokens")
	tokensHeaders   = ratelimitHeaders("tokens")
)

// resetTime formats a virtual instant as the client should see it: RFC 3339
// UTC, whole seconds (rounded up), converted to wall time under a scaled clock.
func (s *Server) resetTime(fullAt time.Time) string {
	wall := s.clock.WallTime(fullAt)
	if wall.Truncate(time.Second) != wall {
		wall = wall.Truncate(time.Second).Add(time.Second)
	}
	return wall.UTC().Format(time.RFC3339)
}

// retryAfter is the whole seconds of wall time a client must wait: the
// virtual wait converted and rounded up, never less than 1.
func (s *Server) retryAfter(wait time.Duration) string {
	wall := s.clock.WallDuration(wait)
	secs := int64(math.Ceil(wall.Seconds()))
	return strconv.FormatInt(max(secs, 1), 10)
}

// retryHeaders sets what a refusal by the buckets carries besides the
// rate-limit headers. When waiting will admit the request: retry-after,
// the smallest wait in whole wall seconds, and x-should-retry: true. When
// no wait ever will (d.Never: the request alone is larger than a whole
// bucket), x-should-retry: false and no retry-after, because the official
// SDKs obey x-should-retry: false before the status and give up at once
// instead of retrying a request that cannot pass. Options.RetryOversized
// brings back the retryable headers for that case (the real API's are
// unconfirmed).
func (s *Server) retryHeaders(h http.Header, d quota.Decision) {
	if d.Never && !s.opts.RetryOversized {
		h.Set("x-should-retry", "false")
		return
	}
	h.Set("retry-after", s.retryAfter(d.RetryAfter))
	h.Set("x-should-retry", "true")
}

// rateLimited is a 429 in the policy's wording (limits.Message).
func rateLimited(msg string) *APIError {
	return &APIError{Type: RateLimit, Message: msg}
}
