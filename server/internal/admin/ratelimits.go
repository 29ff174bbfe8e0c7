package admin

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/orgs"
	"github.com/claudemock/claudemock/server/internal/paging"
)

// Group is a rate-limit group: the mock's model families, each one pool of
// buckets, as model_group entries whose id is the family.
type Group struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	DisplayName string `json:"display_name,omitempty"`
}

// Value is one limiter of an organization's entry.
type Value struct {
	Type  string `json:"type"`
	Value int    `json:"value"`
}

// RateLimit is an organization's entry for one group.
type RateLimit struct {
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Group     Group    `json:"group"`
	GroupType string   `json:"group_type"`
	Models    []string `json:"models"`
	Limits    []Value  `json:"limits"`
}

// Source says where a workspace's value comes from.
type Source struct {
	Type string `json:"type"`
}

// WorkspaceValue is one limiter of a workspace's entry: its own override
// or the organization's value it inherits.
type WorkspaceValue struct {
	Type     string `json:"type"`
	Value    int    `json:"value"`
	OrgLimit *int   `json:"org_limit"`
	Source   Source `json:"source"`
}

// WorkspaceRateLimit is a workspace's entry for one group.
type WorkspaceRateLimit struct {
	RateLimitID string           `json:"rate_limit_id"`
	Type        string           `json:"type"`
	WorkspaceID string           `json:"workspace_id"`
	Group       Group            `json:"group"`
	GroupType   string           `json:"group_type"`
	Models      []string         `json:"models"`
	Limits      []WorkspaceValue `json:"limits"`
}

// Page is the Rate Limits API's list envelope: all at once unless limit
// is given, next_page an opaque cursor.
type Page[T any] struct {
	Data     []T     `json:"data"`
	NextPage *string `json:"next_page"`
}

// family is one model family of the catalogue and its models.
type family struct {
	name, display string
	models        []string
}

// families lists the catalogue's families by name, each with its models
// newest first and the newest one's display name.
func families(cat *catalog.Catalog) []family {
	var out []family
	for _, m := range cat.Models() {
		i := slices.IndexFunc(out, func(f family) bool { return f.name == m.Family })
		if i < 0 {
			out = append(out, family{name: m.Family, display: m.DisplayName})
			i = len(out) - 1
		}
		out[i].models = append(out[i].models, m.ID)
	}
	slices.SortFunc(out, func(a, b family) int { return cmp.Compare(a.name, b.name) })
	return out
}

// enforced are the dimensions a tier or a file sets, in the registry's
// order: exactly the ones the limiter builds buckets from.
func enforced() []limits.Dimension {
	var out []limits.Dimension
	for _, d := range limits.All {
		if limits.Field(&catalog.Limits{}, d.Name) != nil {
			out = append(out, d)
		}
	}
	return out
}

// RateLimitQuery is the Rate Limits API's query.
type RateLimitQuery struct {
	Model, GroupType, Limit, Page, IncludeInherited string
}

// OrgRateLimits lists the organization's effective limits per family, as
// the limiter enforces them (its own limits over its tier's).
func OrgRateLimits(cat *catalog.Catalog, acct accounts.Account, q RateLimitQuery) (Page[RateLimit], error) {
	fams, err := selectFamilies(cat, q)
	if err != nil {
		return Page[RateLimit]{}, err
	}
	var out []RateLimit
	for _, f := range fams {
		eff := acct.Org.Effective(acct.Tier, f.name)
		rl := RateLimit{ID: f.name, Type: "rate_limit", Group: groupOf(f), GroupType: "model_group", Models: f.models, Limits: []Value{}}
		for _, d := range enforced() {
			if v := d.LimitIn(eff); v > 0 {
				rl.Limits = append(rl.Limits, Value{d.Name, v})
			}
		}
		out = append(out, rl)
	}
	if tc, ok := tokenCount(acct); ok && (q.GroupType == "" || q.GroupType == "token_count") && q.Model == "" {
		out = append(out, tc)
	}
	return cursorPage(out, q)
}

// tokenCount is the organization's token-counting entry: its tier's
// requests per minute to /v1/messages/count_tokens, which the limiter
// enforces per organization for every model together.
func tokenCount(acct accounts.Account) (RateLimit, bool) {
	rpm := acct.Tier.TokenCountingRPM
	return RateLimit{ID: "token_count", Type: "rate_limit", Group: Group{ID: "token_count", Type: "token_count"},
		GroupType: "token_count", Limits: []Value{{limits.Requests, rpm}}}, rpm > 0
}

func groupOf(f family) Group {
	return Group{ID: f.name, Type: "model_group", DisplayName: f.display}
}

// selectFamilies applies the model and group_type filters: only
// model_group entries exist, and a model names its family's entry.
func selectFamilies(cat *catalog.Catalog, q RateLimitQuery) ([]family, error) {
	groupTypes := []string{"batch", "files", "model_group", "skills", "token_count", "web_search"}
	if q.GroupType != "" && !slices.Contains(groupTypes, q.GroupType) {
		return nil, apierror.Invalid("group_type: Input should be 'batch', 'files', 'model_group', 'skills', 'token_count' or 'web_search'")
	}
	all := families(cat)
	if q.GroupType != "" && q.GroupType != "model_group" {
		return nil, nil // the token_count entry is the caller's
	}
	if q.Model == "" {
		return all, nil
	}
	m, ok := cat.Lookup(q.Model)
	if !ok {
		return nil, &apierror.Error{Kind: apierror.NotFound, Message: "model: " + q.Model}
	}
	i := slices.IndexFunc(all, func(f family) bool { return f.name == m.Family })
	return all[i : i+1], nil
}

// cursorPage pages entries by the opaque page cursor (the index of the
// next entry); without limit every remaining entry comes at once.
func cursorPage[T any](all []T, q RateLimitQuery) (Page[T], error) {
	start := 0
	if q.Page != "" {
		if _, err := fmt.Sscanf(q.Page, "page_%d", &start); err != nil || start < 0 || start > len(all) {
			return Page[T]{}, apierror.Invalid("page: invalid page token")
		}
	}
	limit, err := paging.Limit(q.Limit, len(all)-start, 1000)
	if err != nil {
		return Page[T]{}, err
	}
	end := min(len(all), start+limit)
	out := Page[T]{Data: append(make([]T, 0, end-start), all[start:end]...)}
	if end < len(all) && q.Limit != "" {
		next := fmt.Sprintf("page_%d", end)
		out.NextPage = &next
	}
	return out, nil
}

// WorkspaceRateLimits lists a workspace's overrides per family, and with
// include_inherited every limiter the organization sets too.
func WorkspaceRateLimits(cat *catalog.Catalog, acct accounts.Account, ws accounts.WorkspaceInfo, q RateLimitQuery) (Page[WorkspaceRateLimit], error) {
	inherited, err := boolParam("include_inherited", q.IncludeInherited)
	if err != nil {
		return Page[WorkspaceRateLimit]{}, err
	}
	fams, err := selectFamilies(cat, RateLimitQuery{GroupType: q.GroupType})
	if err != nil {
		return Page[WorkspaceRateLimit]{}, err
	}
	var out []WorkspaceRateLimit
	for _, f := range fams {
		if e := workspaceEntry(acct, ws, f, inherited); len(e.Limits) > 0 || inherited {
			out = append(out, e)
		}
	}
	return cursorPage(out, q)
}

// workspaceEntry is a workspace's entry for a family: its overrides, and
// when inherited the organization's other values.
func workspaceEntry(acct accounts.Account, ws accounts.WorkspaceInfo, f family, inherited bool) WorkspaceRateLimit {
	org := acct.Org.Effective(acct.Tier, f.name)
	own := overrides(ws, f.name)
	e := WorkspaceRateLimit{RateLimitID: f.name, Type: "workspace_rate_limit", WorkspaceID: ws.ID,
		Group: groupOf(f), GroupType: "model_group", Models: f.models, Limits: []WorkspaceValue{}}
	for _, d := range enforced() {
		orgV, wsV := d.LimitIn(org), d.LimitIn(own)
		var orgLimit *int
		if orgV > 0 {
			orgLimit = &orgV
		}
		switch {
		case wsV > 0:
			e.Limits = append(e.Limits, WorkspaceValue{d.Name, wsV, orgLimit, Source{"workspace"}})
		case inherited && orgV > 0:
			e.Limits = append(e.Limits, WorkspaceValue{d.Name, orgV, orgLimit, Source{"organization"}})
		}
	}
	return e
}

// overrides is a workspace's own limits for a family: its entry for the
// family, else its "default" entry, as the limiter picks them.
func overrides(ws accounts.WorkspaceInfo, fam string) catalog.Limits {
	if l, ok := ws.Limits[fam]; ok {
		return l
	}
	return ws.Limits[catalog.DefaultFamily]
}

// updateBody is POST .../rate_limits/{rate_limit_id}.
type updateBody struct {
	Limits []map[string]json.RawMessage `json:"limits"`
}

// known are the limiter types the OpenAPI document lets a workspace set.
var known = []string{"fast_itpmca", "fast_otpm", "input_tokens_per_minute", "input_tokens_per_minute_cache_aware",
	"output_tokens_per_minute", "requests_per_minute", "tokens_per_day", "tokens_per_minute", "tool_uses_per_second"}

// Override is a workspace's new limits for one family, decoded and checked
// against the organization's: what SetWorkspaceLimits stores.
type Override struct {
	Family string
	Limits catalog.Limits
}

// ParseOverride decodes an update of a workspace's entry for the family
// rateLimitID: each value replaces the workspace's, null removes it (the
// organization's applies again). A value must be positive, not above the
// organization's, and of a limiter the mock enforces.
func ParseOverride(cat *catalog.Catalog, acct accounts.Account, ws accounts.WorkspaceInfo, rateLimitID string, body []byte) (Override, error) {
	if ws.ID == orgs.DefaultWorkspaceID(acct.OrgID) {
		return Override{}, apierror.Invalid("The default workspace cannot have rate limits of its own.")
	}
	i := slices.IndexFunc(families(cat), func(f family) bool { return f.name == rateLimitID })
	if i < 0 {
		return Override{}, &apierror.Error{Kind: apierror.NotFound, Message: "Rate limit " + rateLimitID + " not found."}
	}
	var b updateBody
	if err := json.Unmarshal(body, &b); err != nil {
		return Override{}, apierror.Invalid("The request body is not valid JSON: %v", err)
	}
	if len(b.Limits) < 1 || len(b.Limits) > 16 {
		return Override{}, apierror.Invalid("limits: List should have between 1 and 16 items")
	}
	l, org := overrides(ws, rateLimitID), acct.Org.Effective(acct.Tier, rateLimitID)
	for i, v := range b.Limits {
		if err := apply(&l, org, v, fmt.Sprintf("limits.%d", i)); err != nil {
			return Override{}, err
		}
	}
	return Override{Family: rateLimitID, Limits: l}, nil
}

// apply sets one limiter of l from an update entry at path.
func apply(l *catalog.Limits, org catalog.Limits, entry map[string]json.RawMessage, path string) error {
	var typ *string
	if json.Unmarshal(entry["type"], &typ) != nil || typ == nil {
		return apierror.Invalid("%s.type: Field required", path)
	}
	if !slices.Contains(known, *typ) {
		return apierror.Invalid("%s.type: Input should be one of %q", path, known)
	}
	field := limits.Field(l, *typ)
	if field == nil {
		return apierror.Invalid("%s.type: %s is not a limiter the mock enforces", path, *typ)
	}
	raw, ok := entry["value"]
	if !ok {
		return apierror.Invalid("%s.value: Field required", path)
	}
	var v *int
	if err := json.Unmarshal(raw, &v); err != nil {
		return apierror.Invalid("%s.value: Input should be a valid integer", path)
	}
	orgV := *limits.Field(&org, *typ)
	switch {
	case v == nil:
		*field = 0
	case *v <= 0:
		return apierror.Invalid("%s.value: must be greater than 0, got %d", path, *v)
	case orgV > 0 && *v > orgV:
		return apierror.Invalid("%s.value: must not exceed the organization's limit of %d, got %d", path, orgV, *v)
	default:
		*field = *v
	}
	return nil
}

// WorkspaceEntry is a workspace's entry for one family after an update.
func WorkspaceEntry(cat *catalog.Catalog, acct accounts.Account, ws accounts.WorkspaceInfo, fam string) WorkspaceRateLimit {
	all := families(cat)
	i := slices.IndexFunc(all, func(f family) bool { return f.name == fam })
	return workspaceEntry(acct, ws, all[i], false)
}
