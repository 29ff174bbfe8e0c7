package admin

import (
	"slices"
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
)

// UsageQuery is GET /v1/organizations/usage_report/messages' query: the
// window, group_by[] and the filters (api_key_ids[], workspace_ids[],
// models[], service_tiers[], context_window[], inference_geos[], speeds[],
// account_ids[], service_account_ids[]) by their query names.
type UsageQuery struct {
	ReportQuery
	GroupBy []string
	Filters map[string][]string
}

// usageDims are the dimensions a usage report groups and filters by, with
// the filter's query name and how a record reads it (nil: the mock has no
// such value, so grouping gives null and filtering matches nothing).
var usageDims = []struct {
	name, filter string
	of           func(Record) *string
}{
	{"account_id", "account_ids[]", nil},
	{"api_key_id", "api_key_ids[]", func(r Record) *string { return &r.KeyID }},
	{"context_window", "context_window[]", func(r Record) *string { return &r.ContextWindow }},
	{"inference_geo", "inference_geos[]", func(r Record) *string { return &r.InferenceGeo }},
	{"model", "models[]", func(r Record) *string { return &r.Model }},
	{"service_account_id", "service_account_ids[]", nil},
	{"service_tier", "service_tiers[]", func(r Record) *string { return &r.ServiceTier }},
	{"speed", "speeds[]", func(r Record) *string { return &r.Speed }},
	{"workspace_id", "workspace_ids[]", func(r Record) *string { return r.Workspace }},
}

// UsageItem is one group's usage in a bucket.
type UsageItem struct {
	Uncached         int           `json:"uncached_input_tokens"`
	CacheCreation    CacheCreation `json:"cache_creation"`
	CacheRead        int           `json:"cache_read_input_tokens"`
	Output           int           `json:"output_tokens"`
	ServerToolUse    ServerToolUse `json:"server_tool_use"`
	APIKeyID         *string       `json:"api_key_id"`
	WorkspaceID      *string       `json:"workspace_id"`
	AccountID        *string       `json:"account_id"`
	ServiceAccountID *string       `json:"service_account_id"`
	Model            *string       `json:"model"`
	ServiceTier      *string       `json:"service_tier"`
	ContextWindow    *string       `json:"context_window"`
	InferenceGeo     *string       `json:"inference_geo"`
	Speed            *string       `json:"speed"`
}

// CacheCreation splits cache writes by lifetime.
type CacheCreation struct {
	Ephemeral1h int `json:"ephemeral_1h_input_tokens"`
	Ephemeral5m int `json:"ephemeral_5m_input_tokens"`
}

// ServerToolUse counts server tool calls; the mock runs none.
type ServerToolUse struct {
	WebSearchRequests int `json:"web_search_requests"`
}

// Bucket is one time bucket of a report.
type Bucket[T any] struct {
	StartingAt string `json:"starting_at"`
	EndingAt   string `json:"ending_at"`
	Results    []T    `json:"results"`
}

// Report is a page of buckets.
type Report[T any] struct {
	Data     []Bucket[T] `json:"data"`
	HasMore  bool        `json:"has_more"`
	NextPage *string     `json:"next_page"`
}

// UsageReport sums records into the buckets and groups q asks for. Groups
// come in the order their first record came; an empty bucket has no
// results.
func UsageReport(records []Record, q UsageQuery, now time.Time) (Report[UsageItem], error) {
	names := make([]string, len(usageDims))
	for i, d := range usageDims {
		names[i] = d.name
	}
	sp, err := parseSpan(q.ReportQuery, []string{"1d", "1h", "1m"}, now)
	if err != nil {
		return Report[UsageItem]{}, err
	}
	for _, g := range q.GroupBy {
		if !slices.Contains(names, g) {
			return Report[UsageItem]{}, apierror.Invalid("group_by[]: Input should be %s", quoteList(names))
		}
	}
	kept := filter(records, q.Filters)
	starts, next := sp.starts()
	out := Report[UsageItem]{Data: []Bucket[UsageItem]{}, HasMore: next != nil, NextPage: next}
	for _, at := range starts {
		out.Data = append(out.Data, Bucket[UsageItem]{StartingAt: stamp(at), EndingAt: stamp(at.Add(sp.w.d)),
			Results: usageGroups(within(kept, at, at.Add(sp.w.d)), q.GroupBy)})
	}
	return out, nil
}

// filter keeps the records every given filter admits.
func filter(records []Record, filters map[string][]string) []Record {
	var out []Record
	for _, r := range records {
		if admitted(r, filters) {
			out = append(out, r)
		}
	}
	return out
}

func admitted(r Record, filters map[string][]string) bool {
	for _, d := range usageDims {
		want := filters[d.filter]
		if len(want) == 0 {
			continue
		}
		if d.of == nil || d.of(r) == nil || !slices.Contains(want, *d.of(r)) {
			return false
		}
	}
	return true
}

// within keeps the records of [from, to).
func within(records []Record, from, to time.Time) []Record {
	var out []Record
	for _, r := range records {
		if !r.Time.Before(from) && r.Time.Before(to) {
			out = append(out, r)
		}
	}
	return out
}

// usageGroups sums records per combination of the group_by dimensions.
func usageGroups(records []Record, groupBy []string) []UsageItem {
	out := []UsageItem{}
	index := map[string]int{}
	for _, r := range records {
		item := usageKey(r, groupBy)
		key := groupKey(item)
		i, ok := index[key]
		if !ok {
			i, index[key] = len(out), len(out)
			out = append(out, item)
		}
		add(&out[i], r)
	}
	return out
}

// usageKey is an empty item carrying a record's grouped dimensions.
func usageKey(r Record, groupBy []string) UsageItem {
	var it UsageItem
	fields := map[string]**string{"api_key_id": &it.APIKeyID, "workspace_id": &it.WorkspaceID,
		"account_id": &it.AccountID, "service_account_id": &it.ServiceAccountID, "model": &it.Model,
		"service_tier": &it.ServiceTier, "context_window": &it.ContextWindow, "inference_geo": &it.InferenceGeo, "speed": &it.Speed}
	for _, d := range usageDims {
		if slices.Contains(groupBy, d.name) && d.of != nil {
			*fields[d.name] = d.of(r)
		}
	}
	return it
}

// groupKey identifies an item's group by its dimensions.
func groupKey(it UsageItem) string {
	key := ""
	for _, p := range []*string{it.APIKeyID, it.WorkspaceID, it.AccountID, it.ServiceAccountID, it.Model,
		it.ServiceTier, it.ContextWindow, it.InferenceGeo, it.Speed} {
		if p == nil {
			key += "\x00|"
		} else {
			key += *p + "|"
		}
	}
	return key
}

// add sums a record's tokens into an item.
func add(it *UsageItem, r Record) {
	it.Uncached += r.Uncached
	it.Output += r.Output
	it.CacheRead += r.CacheRead
	it.CacheCreation.Ephemeral5m += r.Cache5m
	it.CacheCreation.Ephemeral1h += r.Cache1h
}
