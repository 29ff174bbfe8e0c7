package control

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/request"
)

// body is an organization change as decoded, before any of it is
// checked.
type body struct {
	Tier       *string
	Limits     map[string]map[string]json.RawMessage
	Credits    *bool
	SpendLimit json.RawMessage
	Priority   map[string]map[string]json.RawMessage
}

// Decode reads an organization change from a JSON body strictly —
// {"tier": "tier-2"}, {"limits": {"opus-4": {"requests_per_minute": 10}}},
// {"credits": true}, {"spend_limit": 10}, {"priority": {...}}, any of
// them — and checks every part of it before returning it.
func (o Orgs) Decode(raw []byte) (Change, error) {
	var b body
	f := request.Fields{"tier": &b.Tier, "limits": &b.Limits, "credits": &b.Credits, "spend_limit": &b.SpendLimit, "priority": &b.Priority}
	if err := decodeObject(raw, f); err != nil {
		return Change{}, err
	}
	if b.Tier == nil && b.Limits == nil && b.Credits == nil && b.SpendLimit == nil && b.Priority == nil {
		return Change{}, apierror.Invalid("tier, limits, credits, spend_limit or priority: Field required")
	}
	return o.check(b)
}

// DecodeWorkspace reads a workspace's spend limit from a JSON body:
// {"spend_limit": 5} (USD; null or absent removes it).
func DecodeWorkspace(workspace string, raw []byte) (Change, error) {
	var limit json.RawMessage
	if err := decodeObject(raw, request.Fields{"spend_limit": &limit}); err != nil {
		return Change{}, err
	}
	dollars, err := optionalDollars(limit)
	if err != nil {
		return Change{}, err
	}
	return SpendLimit(workspace, dollars)
}

// decodeObject reads a body strictly, as the Messages API reads its own,
// naming the field of any fault.
func decodeObject(raw []byte, into request.Fields) error {
	if err := request.CheckSyntax(raw); err != nil {
		return err
	}
	return request.DecodeObject(raw, "", into)
}

// check checks every part of a decoded change, in the order the parts
// apply, and returns the change it asks for.
func (o Orgs) check(b body) (Change, error) {
	ch := Change{credits: b.Credits}
	var err error
	if ch.priority, err = o.priority(b.Priority); err != nil {
		return Change{}, err
	}
	if b.SpendLimit != nil {
		dollars, err := optionalDollars(b.SpendLimit)
		if err != nil {
			return Change{}, err
		}
		if ch.spendLimit, err = spendLimitOf(dollars); err != nil {
			return Change{}, err
		}
		ch.setSpend = true
	}
	if b.Tier != nil {
		if ch.tier, err = o.tierNamed(*b.Tier); err != nil {
			return Change{}, err
		}
	}
	if b.Limits != nil {
		if ch.limits, err = o.rawLimits(b.Limits); err != nil {
			return Change{}, err
		}
	}
	return ch, nil
}

// priority checks the Priority Tier commitments of a change: model →
// {"input_tokens_per_minute": n, "output_tokens_per_minute": n}.
func (o Orgs) priority(raw map[string]map[string]json.RawMessage) (map[string]accounts.Commitment, error) {
	if raw == nil {
		return nil, nil
	}
	ints, err := intLimits("priority", raw)
	if err != nil {
		return nil, err
	}
	out := map[string]accounts.Commitment{}
	for _, model := range slices.Sorted(maps.Keys(ints)) {
		for name := range ints[model] {
			if name != "input_tokens_per_minute" && name != "output_tokens_per_minute" {
				return nil, apierror.Invalid("priority.%s.%s: not a Priority Tier dimension", model, name)
			}
		}
		id, c, err := o.commitment(model, ints[model]["input_tokens_per_minute"], ints[model]["output_tokens_per_minute"])
		if err != nil {
			return nil, err
		}
		out[id] = c
	}
	return out, nil
}

// rawLimits checks the limits of a change.
func (o Orgs) rawLimits(raw map[string]map[string]json.RawMessage) (map[string]catalog.Limits, error) {
	ints, err := intLimits("limits", raw)
	if err != nil {
		return nil, err
	}
	return o.limits(ints)
}

// intLimits reads each value of a block (limits or priority) as an
// integer, naming its full path when it is not one.
func intLimits(block string, raw map[string]map[string]json.RawMessage) (map[string]map[string]int, error) {
	out := map[string]map[string]int{}
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		out[key] = map[string]int{}
		for _, name := range slices.Sorted(maps.Keys(raw[key])) {
			var n int
			if err := json.Unmarshal(raw[key][name], &n); err != nil {
				return nil, request.TypeError(block+"."+key+"."+name, err, "Input should be a valid integer")
			}
			out[key][name] = n
		}
	}
	return out, nil
}

// optionalDollars reads a spend limit that may be null.
func optionalDollars(raw json.RawMessage) (*float64, error) {
	if raw == nil || request.IsNull(raw) {
		return nil, nil
	}
	var v float64
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, request.TypeError("spend_limit", err, "Input should be a valid number")
	}
	return &v, nil
}
