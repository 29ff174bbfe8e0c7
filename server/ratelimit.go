package server

import (
	"fmt"
	"math"
	"net/http"
	"net/textproto"
	"strconv"
	"time"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/quota"
)

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
	case limits.InputTokens:
		return float64(u.input), float64(u.input)
	case limits.OutputTokens:
		if u.reserve {
			return out, out
		}
		return 1, 0 // "actual": a non-empty bucket admits; output is charged after
	case limits.Tokens, limits.TokensPerDay:
		return float64(u.input) + out, float64(u.input) + out
	default:
		return 1, 1
	}
}

// charges builds the buckets a request draws from: every dimension the
// tier sets for the model's family, for the organization and for the
// workspace when it has limits of its own.
func (s *Server) charges(acct accounts.Account, family string, cost usageCost) []quota.Charge {
	var out []quota.Charge
	for _, scope := range acct.Scopes(family) {
		for _, d := range limits.All {
			n := d.LimitIn(scope.Limits)
			if n <= 0 {
				continue
			}
			need, take := cost.amounts(d.Name)
			out = append(out, quota.Charge{
				Key:   quota.Key{Scope: scope.ID, Family: family, Dimension: d.Name},
				Limit: d.Shape(n, acct.Tier.BurstWindow),
				Need:  need, Take: take,
			})
		}
	}
	return out
}

// settle trues the output dimensions of lim up once the reply is known: under
// "reserve" the unused part of max_tokens is refunded, under "actual" the
// generated tokens are charged. states, the admission's own view of the
// charges' buckets (in charge order), is adjusted the same way, so the
// response's headers count exactly this request's admission and
// settlement, whatever concurrent requests did in between.
func (s *Server) settle(lim *quota.Limiter, charges []quota.Charge, states []quota.State, cost usageCost, output int, now time.Time) {
	delta := float64(output)
	if cost.reserve {
		delta = float64(output - cost.maxTokens)
	}
	for i, c := range charges {
		if limits.Settles(c.Key.Dimension) {
			lim.Settle(c.Key, c.Limit, delta, now)
			states[i] = states[i].Settled(delta, now)
		}
	}
}

// rateHeaders sets the anthropic-ratelimit-* headers from the buckets'
// states. Each family of headers shows its most restrictive bucket (see
// restrictive), across organization and workspace and across windows:
// requests-* the requests per minute, day or month; tokens-* the combined
// tokens per minute or per day, or input + output summed. binding, the
// bucket a refusal waits on (the zero Key on a 200), is always the one
// shown for its family, so that a 429's headers say why it was refused.
func (s *Server) rateHeaders(h http.Header, states []quota.State, binding quota.Key) {
	tightest := map[string]quota.State{}
	for _, st := range states {
		if cur, ok := tightest[st.Key.Dimension]; !ok || limits.Restrictive(st, cur, binding) {
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
		h[names.limit] = []string{strconv.FormatInt(int64(math.Round(limits.LimitOf(st))), 10)}
		h[names.remaining] = []string{strconv.FormatInt(remaining, 10)}
		h[names.reset] = []string{s.resetTime(st.FullAt)}
	}
	if st, ok := mostRestrictive(binding, tightest, limits.Requests, limits.RequestsPerDay, limits.RequestsPerMonth); ok {
		put(requestsHeaders, st, false)
	}
	if st, ok := tightest[limits.InputTokens]; ok {
		put(inputHeaders, st, true)
	}
	if st, ok := tightest[limits.OutputTokens]; ok {
		put(outputHeaders, st, true)
	}
	if st, ok := combinedTokens(tightest, binding); ok {
		put(tokensHeaders, st, true)
	}
}

// mostRestrictive picks, among the states of the given dimensions, the
// most restrictive one; ok is false when there is none.
func mostRestrictive(binding quota.Key, tightest map[string]quota.State, dims ...string) (quota.State, bool) {
	var cands []quota.State
	for _, d := range dims {
		if st, ok := tightest[d]; ok {
			cands = append(cands, st)
		}
	}
	return pick(cands, binding)
}

// pick is the most restrictive of cands, the first of equals.
func pick(cands []quota.State, binding quota.Key) (quota.State, bool) {
	if len(cands) == 0 {
		return quota.State{}, false
	}
	best := cands[0]
	for _, st := range cands[1:] {
		if limits.Restrictive(st, best, binding) {
			best = st
		}
	}
	return best, true
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

// combinedTokens is the tokens-* view, as the real headers are: the most
// restrictive of the tier's combined tokens per minute and per day, where
// it has them, and of input + output summed (limit, remaining, and the
// later of the two resets) where it has both. The sum comes last, so a
// real combined bucket wins a tie and is the one a refusal binds on.
func combinedTokens(tightest map[string]quota.State, binding quota.Key) (quota.State, bool) {
	var cands []quota.State
	for _, d := range []string{limits.Tokens, limits.TokensPerDay} {
		if st, ok := tightest[d]; ok {
			cands = append(cands, st)
		}
	}
	in, okIn := tightest[limits.InputTokens]
	out, okOut := tightest[limits.OutputTokens]
	if okIn && okOut {
		sum := quota.State{
			Key:    quota.Key{Scope: in.Key.Scope, Family: in.Key.Family, Dimension: limits.Tokens},
			Limit:  quota.Limit{Capacity: in.Limit.Capacity + out.Limit.Capacity, Rate: in.Limit.Rate + out.Limit.Rate},
			Level:  math.Max(in.Level, 0) + math.Max(out.Level, 0),
			FullAt: in.FullAt,
		}
		if out.FullAt.After(sum.FullAt) {
			sum.FullAt = out.FullAt
		}
		cands = append(cands, sum)
	}
	return pick(cands, binding)
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

// rateLimitError words a refusal as the real API does (2026 format),
// naming the limit, the organization and the model. A request that can
// never be admitted gets the same words: the real API adds nothing that
// is known, and the headers tell a client that waiting will not help.
func rateLimitError(acct accounts.Account, key quota.Key, limit float64, model string) *APIError {
	unit := key.Dimension
	if d, ok := limits.Lookup(key.Dimension); ok {
		unit = d.Unit
	}
	whose := "your organization's"
	ids := "org: " + acct.OrgID
	if key.Scope != acct.OrgScope() {
		whose, ids = "your workspace's", ids+", workspace: "+acct.WorkspaceID
	}
	msg := fmt.Sprintf("This request would exceed %s rate limit of %s %s (%s, model: %s). "+
		"For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. "+
		"Please reduce the prompt length or the maximum tokens requested, or try again later. "+
		"You may also contact sales at https://claude.com/contact-sales to discuss your options for a rate limit increase.",
		whose, thousands(int64(math.Round(limit))), unit, ids, model)
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
