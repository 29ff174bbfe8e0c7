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
// The values are formatted into the exchange's header scratch, so that
// the dozen or more of them allocate nothing.
func (x *exchange) rateHeaders(v limits.View) {
	h := x.header()
	x.putBucket(h, requestsHeaders, v.Requests, false)
	x.putBucket(h, inputHeaders, v.InputTokens, true)
	x.putBucket(h, outputHeaders, v.OutputTokens, true)
	x.putBucket(h, tokensHeaders, v.Tokens, true)
	x.priorityHeaders(h, v)
}

// putBucket sets one family's limit, remaining (whole units, or whole
// thousands for the token families, as the real API rounds) and reset;
// nothing when the family has no bucket.
func (x *exchange) putBucket(h http.Header, names headerNames, b limits.Shown, thousands bool) {
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
	hs := &x.hdr
	hs.put(h, names.limit, hs.int(int64(math.Round(limits.LimitOf(st)))))
	hs.put(h, names.remaining, hs.int(remaining))
	hs.put(h, names.reset, hs.instant(x.s.resetInstant(st.FullAt)))
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

// resetInstant is a virtual instant as the client should see it, once
// formatted as RFC 3339: UTC, whole seconds (rounded up), converted to wall
// time under a scaled clock.
func (s *Server) resetInstant(fullAt time.Time) time.Time {
	wall := s.clock.WallTime(fullAt)
	if wall.Truncate(time.Second) != wall {
		wall = wall.Truncate(time.Second).Add(time.Second)
	}
	return wall.UTC()
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
func (x *exchange) retryHeaders(d quota.Decision) {
	if d.Never && !x.s.opts.RetryOversized {
		x.header().Set("x-should-retry", "false")
		return
	}
	x.retryAfter(x.s.retryAfter(d.RetryAfter))
}

// retryAfter sets retry-after to secs and x-should-retry: true, what every
// refusal a wait will lift carries.
func (x *exchange) retryAfter(secs string) {
	h := x.header()
	x.hdr.put(h, headerRetryAfter, secs)
	x.hdr.put(h, headerShouldRetry, "true")
}

// rateLimited is a 429 in the policy's wording (limits.Message).
func rateLimited(msg string) *APIError {
	return &APIError{Type: RateLimit, Message: msg}
}
