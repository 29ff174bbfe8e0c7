package server

import (
	"fmt"
	"math"
	"net/http"
	"net/textproto"
	"strconv"
	"time"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/quota"
)

// The limit dimensions, named as the real Rate Limits API names its
// limiter entries; each is a bucket per (scope, family).
const (
	dimRequests       = "requests_per_minute"
	dimInputTokens    = "input_tokens_per_minute"
	dimOutputTokens   = "output_tokens_per_minute"
	dimTokens         = "tokens_per_minute"
	dimTokensPerDay   = "tokens_per_day"
	dimRequestsPerDay = "requests_per_day"
	dimRequestsMonth  = "requests_per_month"
	dimCountRequests  = "token_counting_requests_per_minute"
)

const (
	day   = 24 * time.Hour
	month = 30 * day // a requests_per_month bucket refills over 30 days
)

// dimension describes how one kind of limit is charged and worded.
type dimension struct {
	name   string
	window time.Duration
	unit   string // as the 429 message says it: "input tokens per minute"
	limit  func(catalog.Limits) int
}

var dimensions = []dimension{
	{dimRequests, time.Minute, "requests per minute", func(l catalog.Limits) int { return l.RequestsPerMinute }},
	{dimInputTokens, time.Minute, "input tokens per minute", func(l catalog.Limits) int { return l.InputTokensPerMinute }},
	{dimOutputTokens, time.Minute, "output tokens per minute", func(l catalog.Limits) int { return l.OutputTokensPerMinute }},
	{dimTokens, time.Minute, "tokens per minute", func(l catalog.Limits) int { return l.TokensPerMinute }},
	{dimTokensPerDay, day, "tokens per day", func(l catalog.Limits) int { return l.TokensPerDay }},
	{dimRequestsPerDay, day, "requests per day", func(l catalog.Limits) int { return l.RequestsPerDay }},
	{dimRequestsMonth, month, "requests per month", func(l catalog.Limits) int { return l.RequestsPerMonth }},
}

// usageCost is what one Messages request weighs in each dimension before it
// runs: input counts toward ITPM, output per the tier's OTPM accounting.
type usageCost struct {
	input     int  // input + cache creation (+ cache reads for flagged models)
	maxTokens int  // reserved under "reserve" accounting
	reserve   bool // the tier's otpm_accounting
}

// need and take give a dimension's admission threshold and deduction.
func (u usageCost) amounts(dim string) (need, take float64) {
	out := 0.0
	if u.reserve {
		out = float64(u.maxTokens)
	}
	switch dim {
	case dimInputTokens:
		return float64(u.input), float64(u.input)
	case dimOutputTokens:
		if u.reserve {
			return out, out
		}
		return 1, 0 // "actual": a non-empty bucket admits; output is charged after
	case dimTokens, dimTokensPerDay:
		return float64(u.input) + out, float64(u.input) + out
	default:
		return 1, 1
	}
}

// charges builds the buckets a request draws from: every dimension the
// tier sets for the model's family, for the organization and for the
// workspace when it has limits of its own.
func (s *Server) charges(acct account, family string, cost usageCost) []quota.Charge {
	var out []quota.Charge
	for _, scope := range acct.scopes(family) {
		for _, d := range dimensions {
			n := d.limit(scope.limits)
			if n <= 0 {
				continue
			}
			need, take := cost.amounts(d.name)
			out = append(out, quota.Charge{
				Key:   quota.Key{Scope: scope.id, Family: family, Dimension: d.name},
				Limit: quota.PerWindow(float64(n), d.window, burst(acct.tier, d.window)),
				Need:  need, Take: take,
			})
		}
	}
	return out
}

// burst is the tier's burst window for per-minute limits only: "60 RPM
// enforced as 1 per second" must not shrink a daily bucket to a second's
// worth.
func burst(tier *catalog.Tier, window time.Duration) time.Duration {
	if window != time.Minute {
		return 0
	}
	return tier.BurstWindow
}

// settle trues the output dimensions up once the reply is known: under
// "reserve" the unused part of max_tokens is refunded, under "actual" the
// generated tokens are charged.
func (s *Server) settle(charges []quota.Charge, cost usageCost, output int, now time.Time) {
	delta := float64(output)
	if cost.reserve {
		delta = float64(output - cost.maxTokens)
	}
	for _, c := range charges {
		switch c.Key.Dimension {
		case dimOutputTokens, dimTokens, dimTokensPerDay, dimPriorityOutput:
			s.limiter.Settle(c.Key, c.Limit, delta, now)
		}
	}
}

// rateHeaders sets the anthropic-ratelimit-* headers from the buckets'
// states: the tightest of organization and workspace for each dimension,
// and tokens-* as the most restrictive combined view.
func (s *Server) rateHeaders(h http.Header, states []quota.State) {
	tightest := map[string]quota.State{}
	for _, st := range states {
		if cur, ok := tightest[st.Key.Dimension]; !ok || st.Remaining() < cur.Remaining() {
			tightest[st.Key.Dimension] = st
		}
	}
	put := func(names headerNames, st quota.State, thousands bool) {
		remaining := st.Remaining()
		if thousands {
			remaining = st.RemainingThousands()
		}
		// Canonical keys set directly: Header.Set would canonicalise (and
		// allocate) twelve names on every response.
		h[names.limit] = []string{strconv.FormatInt(int64(math.Round(limitOf(st))), 10)}
		h[names.remaining] = []string{strconv.FormatInt(remaining, 10)}
		h[names.reset] = []string{s.resetTime(st.FullAt)}
	}
	if st, ok := tightest[dimRequests]; ok {
		put(requestsHeaders, st, false)
	}
	if st, ok := tightest[dimInputTokens]; ok {
		put(inputHeaders, st, true)
	}
	if st, ok := tightest[dimOutputTokens]; ok {
		put(outputHeaders, st, true)
	}
	if st, ok := combinedTokens(tightest); ok {
		put(tokensHeaders, st, true)
	}
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

// limitOf is the per-window limit a bucket stands for (its capacity may be
// smaller under a burst window).
func limitOf(st quota.State) float64 {
	for _, d := range dimensions {
		if d.name == st.Key.Dimension {
			return st.Limit.Rate * d.window.Seconds()
		}
	}
	if st.Key.Dimension == dimPriorityInput || st.Key.Dimension == dimPriorityOutput || st.Key.Dimension == dimCountRequests {
		return st.Limit.Rate * 60
	}
	return st.Limit.Capacity
}

// combinedTokens is the tokens-* view: a combined tokens-per-minute bucket
// when the tier has one, else input + output summed (limit, remaining, and
// the later of the two resets), as the real headers are.
func combinedTokens(tightest map[string]quota.State) (quota.State, bool) {
	if st, ok := tightest[dimTokens]; ok {
		return st, true
	}
	in, okIn := tightest[dimInputTokens]
	out, okOut := tightest[dimOutputTokens]
	if !okIn || !okOut {
		return quota.State{}, false
	}
	sum := quota.State{
		Key:    quota.Key{Scope: in.Key.Scope, Family: in.Key.Family, Dimension: dimTokens},
		Limit:  quota.Limit{Capacity: in.Limit.Capacity + out.Limit.Capacity, Rate: in.Limit.Rate + out.Limit.Rate},
		Level:  math.Max(in.Level, 0) + math.Max(out.Level, 0),
		FullAt: in.FullAt,
	}
	if out.FullAt.After(sum.FullAt) {
		sum.FullAt = out.FullAt
	}
	return sum, true
}

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

// rateLimitError words a refusal as the real API does (2026 format),
// naming the limit, the organization and the model.
func rateLimitError(acct account, key quota.Key, limit float64, model string, never bool) *APIError {
	unit := key.Dimension
	if unit == dimCountRequests {
		unit = "token counting requests per minute"
	}
	for _, d := range dimensions {
		if d.name == key.Dimension {
			unit = d.unit
		}
	}
	whose := "your organization's"
	ids := "org: " + acct.orgID
	if key.Scope != acct.orgScope() {
		whose, ids = "your workspace's", ids+", workspace: "+acct.workspaceID
	}
	msg := fmt.Sprintf("This request would exceed %s rate limit of %s %s (%s, model: %s). "+
		"For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. "+
		"Please reduce the prompt length or the maximum tokens requested, or try again later. "+
		"You may also contact sales at https://claude.com/contact-sales to discuss your options for a rate limit increase.",
		whose, thousands(int64(math.Round(limit))), unit, ids, model)
	if never {
		msg += " This request alone is larger than the limit, so it can never be admitted as it is."
	}
	return &APIError{Type: RateLimit, Message: msg}
}

// thousands writes n with comma separators, as the real messages do.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
