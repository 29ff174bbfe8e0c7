package scenario

import (
	"slices"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// expectNames are the keys of the `expect:` block.
var expectNames = []string{"respects_retry_after", "respects_remaining", "max_attempts", "backoff", "jitter", "no_retry_on",
	"retries_retryable", "no_truncated_accept", "no_duplicate_output", "read_timeout", "stops_on_spend_cap", "max_concurrency", "max_requests"}

// scopeNames are the scopes respects_retry_after may take.
var scopeNames = []string{"organization", "request"}

// expect decodes the `expect:` block.
func (d *decoder) expect(n *yaml.Node, path string, r *expect.Rules) bool {
	return d.Fields(n, path, expectNames, nil, func(name string, val *yaml.Node, p string) bool {
		switch name {
		case "respects_retry_after":
			return d.retryAfterRule(val, p, &r.RespectsRetryAfter)
		case "respects_remaining":
			return d.remainingRule(val, p, &r.RespectsRemaining)
		case "max_attempts":
			return d.intAtLeast(val, p, 1, &r.MaxAttempts)
		case "backoff":
			return d.backoffRule(val, p, &r.Backoff)
		case "jitter":
			return d.jitterRule(val, p, &r.Jitter)
		case "no_retry_on":
			return d.noRetryOn(val, p, &r.NoRetryOn)
		case "retries_retryable":
			return d.Bool(val, p, &r.RetriesRetryable)
		case "no_truncated_accept":
			return d.Bool(val, p, &r.NoTruncatedAccept)
		case "no_duplicate_output":
			return d.Bool(val, p, &r.NoDuplicateOutput)
		case "read_timeout":
			return d.duration(val, p, false, &r.ReadTimeout)
		case "stops_on_spend_cap":
			return d.Bool(val, p, &r.StopsOnSpendCap)
		case "max_concurrency":
			return d.intAtLeast(val, p, 1, &r.MaxConcurrency)
		default:
			return d.intAtLeast(val, p, 1, &r.MaxRequests)
		}
	})
}

// rule decodes a rule written as true, false or a mapping of attributes:
// on reports whether it is switched on, and attrs decodes the mapping (after
// the caller set the defaults).
func (d *decoder) rule(n *yaml.Node, path string, attrs func() bool) (on, ok bool) {
	switch r := yamlfile.Resolve(n); {
	case r.Kind == yaml.ScalarNode && r.ShortTag() == "!!bool":
		ok = d.Bool(n, path, &on)
		return on, ok
	case r.Kind == yaml.MappingNode:
		return true, attrs()
	default:
		if _, more := d.Enter(n, path); more {
			d.Mismatch(r, path, "true, false or a mapping")
		}
		return false, false
	}
}

// retryAfterRule decodes respects_retry_after: {tolerance, scope}.
func (d *decoder) retryAfterRule(n *yaml.Node, path string, out **expect.RetryAfterRule) bool {
	rule := &expect.RetryAfterRule{Scope: "organization"}
	on, ok := d.rule(n, path, func() bool {
		return d.Fields(n, path, []string{"tolerance", "scope"}, nil, func(name string, val *yaml.Node, p string) bool {
			if name == "tolerance" {
				return d.duration(val, p, true, &rule.Tolerance)
			}
			return d.Str(val, p, &rule.Scope) && d.oneOf(rule.Scope, p, scopeNames)
		})
	})
	if on {
		*out = rule
	}
	return ok
}

// remainingRule decodes respects_remaining: {tolerance}.
func (d *decoder) remainingRule(n *yaml.Node, path string, out **expect.RemainingRule) bool {
	rule := &expect.RemainingRule{}
	on, ok := d.rule(n, path, func() bool {
		return d.Fields(n, path, []string{"tolerance"}, nil, func(_ string, val *yaml.Node, p string) bool {
			return d.duration(val, p, true, &rule.Tolerance)
		})
	})
	if on {
		*out = rule
	}
	return ok
}

// backoffRule decodes backoff: {factor, cap, tolerance}, defaults 1.5, 6s
// and 0.
func (d *decoder) backoffRule(n *yaml.Node, path string, out **expect.BackoffRule) bool {
	rule := &expect.BackoffRule{Factor: expect.DefaultBackoffFactor, Cap: expect.DefaultBackoffCap}
	on, ok := d.rule(n, path, func() bool {
		return d.Fields(n, path, []string{"factor", "cap", "tolerance"}, nil, func(name string, val *yaml.Node, p string) bool {
			switch name {
			case "factor":
				return d.Float(val, p, &rule.Factor) && d.above(rule.Factor, 1, p)
			case "cap":
				return d.duration(val, p, false, &rule.Cap)
			default:
				return d.duration(val, p, true, &rule.Tolerance)
			}
		})
	})
	if on {
		*out = rule
	}
	return ok
}

// jitterRule decodes jitter: {window, max_together}, defaults 100ms and 2.
func (d *decoder) jitterRule(n *yaml.Node, path string, out **expect.JitterRule) bool {
	rule := &expect.JitterRule{Window: 100 * time.Millisecond, MaxTogether: 2}
	on, ok := d.rule(n, path, func() bool {
		return d.Fields(n, path, []string{"window", "max_together"}, nil, func(name string, val *yaml.Node, p string) bool {
			if name == "window" {
				return d.duration(val, p, false, &rule.Window)
			}
			return d.intAtLeast(val, p, 1, &rule.MaxTogether)
		})
	})
	if on {
		*out = rule
	}
	return ok
}

// noRetryOn decodes no_retry_on: true for the SDKs' list, or the statuses,
// each 400..599 and listed once.
func (d *decoder) noRetryOn(n *yaml.Node, path string, out *[]int) bool {
	switch r := yamlfile.Resolve(n); {
	case r.Kind == yaml.ScalarNode && r.ShortTag() == "!!bool":
		var on bool
		ok := d.Bool(n, path, &on)
		if on {
			*out = slices.Clone(expect.DefaultNoRetryOn)
		}
		return ok
	case r.Kind != yaml.SequenceNode:
		if _, more := d.Enter(n, path); more {
			d.Mismatch(r, path, "true, false or a list of statuses")
		}
		return false
	}
	list, at := []int{}, make(map[int]string)
	ok := d.List(n, path, func(_ int, e *yaml.Node, p string) bool {
		var code int
		if !d.Int(e, p, &code) || !d.between(code, 400, 599, p) {
			return false
		}
		if first, dup := at[code]; dup {
			d.Add(d.Lines[p], p, "%d is already listed at %s", code, first)
			return false
		}
		at[code] = p
		list = append(list, code)
		return true
	})
	*out = list
	return ok
}
