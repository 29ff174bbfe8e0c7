// Package orgs loads and validates the organizations file: which
// organizations the mock knows, the usage tier and custom rate limits of
// each, the workspaces inside them with their own lower limits, and the API
// keys that resolve to a workspace. Like package catalog it works on bytes
// or YAML nodes it is given, collects every problem as
// "file:line: path: message" and never panics on bad input, so the server,
// the CLI's validate command and scenarios that embed an `organizations:`
// list apply exactly the same rules.
package orgs

import (
	"cmp"

	"github.com/claudemock/claudemock/server/internal/catalog"
)

// DefaultWorkspace is the id of the workspace every organization has
// implicitly. It cannot be declared, and so cannot get limits of its own,
// because the real API does not allow limits on the default workspace.
const DefaultWorkspace = "default"

// AdminKeyPrefix starts every Admin API key, as the real ones do; a key
// with it is never an API key, and only such a key is an admin key.
const AdminKeyPrefix = "sk-ant-admin01-"

// Config is a whole organizations file, kept as a type of its own so the
// file can grow top-level keys without changing Load's signature.
type Config struct {
	Organizations []Organization
}

// Organization is one entry of `organizations:`: the unit rate limits are
// counted for, since the real API limits per organization and model family.
type Organization struct {
	ID   string
	Name string
	// Tier names a tier of the catalogue; empty means the server's default tier.
	Tier string
	// Limits are custom limits keyed by model family or catalog.DefaultFamily,
	// overriding the tier's dimension by dimension (see Effective).
	Limits map[string]catalog.Limits
	// Keys are the API keys of the organization's default workspace.
	Keys []string
	// AdminKeys are the organization's Admin API keys (AdminKeyPrefix…),
	// the only keys the /v1/organizations endpoints answer.
	AdminKeys  []string
	Workspaces []Workspace
	// Credits, when set, turns the prepaid balance on with this many USD
	// granted (not purchased, so no tier upgrade follows from it).
	Credits *float64
	// SpendLimit is the customer-set monthly spend limit in USD; nil is none.
	SpendLimit *float64
	// Priority holds Priority Tier commitments keyed by model id or alias.
	Priority map[string]Commitment
}

// Commitment is a Priority Tier commitment for one model, in tokens per
// minute; both are > 0.
type Commitment struct {
	InputTokensPerMinute  int
	OutputTokensPerMinute int
}

// Workspace is a workspace of an organization other than the default one. It
// exists so a key can be capped below its organization's limits, which
// always apply too.
type Workspace struct {
	ID   string
	Name string
	// Limits are keyed by model family or catalog.DefaultFamily; none may
	// exceed the organization's effective limit.
	Limits map[string]catalog.Limits
	Keys   []string
	// SpendLimit is the workspace's monthly spend limit in USD; nil is none.
	SpendLimit *float64
}

// dimension is one limiter of catalog.Limits, by the key a file writes it
// with, so merging and validation can loop over them instead of naming
// each field.
type dimension struct {
	name string
	of   func(*catalog.Limits) *int
}

// dimensions lists the keys of a limits entry in catalog.Limits' order,
// which is the order problems list them.
var dimensions = []dimension{
	{"requests_per_minute", func(l *catalog.Limits) *int { return &l.RequestsPerMinute }},
	{"input_tokens_per_minute", func(l *catalog.Limits) *int { return &l.InputTokensPerMinute }},
	{"output_tokens_per_minute", func(l *catalog.Limits) *int { return &l.OutputTokensPerMinute }},
	{"tokens_per_minute", func(l *catalog.Limits) *int { return &l.TokensPerMinute }},
	{"tokens_per_day", func(l *catalog.Limits) *int { return &l.TokensPerDay }},
	{"requests_per_day", func(l *catalog.Limits) *int { return &l.RequestsPerDay }},
	{"requests_per_month", func(l *catalog.Limits) *int { return &l.RequestsPerMonth }},
}

// Effective merges the organization's own limits over the tier's for a
// family, dimension by dimension, because custom limits usually raise or
// lower one limiter and leave the rest to the tier. For each dimension the
// first non-zero value wins, in this order: the organization's entry for the
// family, its "default" entry, then tier.For(family). A nil tier contributes
// nothing. A zero result means the dimension is not limited at all.
func (o Organization) Effective(tier *catalog.Tier, family string) catalog.Limits {
	var out catalog.Limits
	if l, ok := o.Limits[family]; ok {
		under(&out, l)
	}
	if l, ok := o.Limits[catalog.DefaultFamily]; ok && family != catalog.DefaultFamily {
		under(&out, l)
	}
	if tier != nil {
		under(&out, tier.For(family))
	}
	return out
}

// under fills in every dimension out leaves at zero with l's, so that
// layering from the most specific entry down gives each dimension its
// first non-zero value. It names the fields of dimensions one by one
// rather than looping over it, because Effective runs on every request
// and a call through dimension.of would move the limits to the heap.
func under(out *catalog.Limits, l catalog.Limits) {
	out.RequestsPerMinute = cmp.Or(out.RequestsPerMinute, l.RequestsPerMinute)
	out.InputTokensPerMinute = cmp.Or(out.InputTokensPerMinute, l.InputTokensPerMinute)
	out.OutputTokensPerMinute = cmp.Or(out.OutputTokensPerMinute, l.OutputTokensPerMinute)
	out.TokensPerMinute = cmp.Or(out.TokensPerMinute, l.TokensPerMinute)
	out.TokensPerDay = cmp.Or(out.TokensPerDay, l.TokensPerDay)
	out.RequestsPerDay = cmp.Or(out.RequestsPerDay, l.RequestsPerDay)
	out.RequestsPerMonth = cmp.Or(out.RequestsPerMonth, l.RequestsPerMonth)
}

// For returns the workspace's limits for a family (its own entry, else its
// "default" entry) and whether it has any, so the server knows whether a
// workspace bucket is needed on top of the organization's.
func (w Workspace) For(family string) (catalog.Limits, bool) {
	if l, ok := w.Limits[family]; ok {
		return l, true
	}
	l, ok := w.Limits[catalog.DefaultFamily]
	return l, ok
}
