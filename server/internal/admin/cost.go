package admin

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/catalog"
)

// CostQuery is GET /v1/organizations/cost_report's query.
type CostQuery struct {
	ReportQuery
	GroupBy []string
}

// CostItem is one group's cost in a bucket. Amount is in cents, as a
// decimal string ("123.45" is $1.23); the line's details are null unless
// grouped by description.
type CostItem struct {
	Currency      string  `json:"currency"`
	Amount        string  `json:"amount"`
	WorkspaceID   *string `json:"workspace_id"`
	Description   *string `json:"description"`
	CostType      *string `json:"cost_type"`
	ContextWindow *string `json:"context_window"`
	Model         *string `json:"model"`
	ServiceTier   *string `json:"service_tier"`
	TokenType     *string `json:"token_type"`
	InferenceGeo  *string `json:"inference_geo"`
	Speed         *string `json:"speed"`
}

// tokenType is one billed category of a record, at its price.
type tokenType struct {
	name, label string
	tokens      func(Record) int
	price       func(catalog.Prices) float64
}

// tokenTypes are the categories a request is billed in, as the cost
// report's token_type names them; their sum is billing.Cost.
var tokenTypes = []tokenType{
	{"uncached_input_tokens", "Input Tokens", func(r Record) int { return r.Uncached }, func(p catalog.Prices) float64 { return p.Input }},
	{"output_tokens", "Output Tokens", func(r Record) int { return r.Output }, func(p catalog.Prices) float64 { return p.Output }},
	{"cache_read_input_tokens", "Cache Read", func(r Record) int { return r.CacheRead }, func(p catalog.Prices) float64 { return p.CacheRead }},
	{"cache_creation.ephemeral_5m_input_tokens", "Cache Write (5m)", func(r Record) int { return r.Cache5m }, func(p catalog.Prices) float64 { return p.CacheWrite5m }},
	{"cache_creation.ephemeral_1h_input_tokens", "Cache Write (1h)", func(r Record) int { return r.Cache1h }, func(p catalog.Prices) float64 { return p.CacheWrite1h }},
}

// Cost is what a record cost, priced as the spend ledger charged it (a
// batch request at the batch rate).
func Cost(r Record) billing.Money {
	return billing.Cost(r.Prices, billing.Usage{Input: r.Uncached, Output: r.Output,
		CacheWrite5m: r.Cache5m, CacheWrite1h: r.Cache1h, CacheRead: r.CacheRead, Batch: r.ServiceTier == "batch"})
}

// line is one token type of one record, priced.
func line(r Record, t tokenType) billing.Money {
	var p catalog.Prices
	switch t.name {
	case "uncached_input_tokens":
		p.Input = t.price(r.Prices)
	case "output_tokens":
		p.Output = t.price(r.Prices)
	case "cache_read_input_tokens":
		p.CacheRead = t.price(r.Prices)
	case "cache_creation.ephemeral_5m_input_tokens":
		p.CacheWrite5m = t.price(r.Prices)
	default:
		p.CacheWrite1h = t.price(r.Prices)
	}
	r.Prices = p
	return Cost(r)
}

// CostReport sums the cost of records into daily buckets, grouped by
// workspace_id and/or description (one line per model and token type).
func CostReport(records []Record, q CostQuery, now time.Time) (Report[CostItem], error) {
	groups := []string{"description", "workspace_id"}
	for _, g := range q.GroupBy {
		if !slices.Contains(groups, g) {
			return Report[CostItem]{}, apierror.Invalid("group_by[]: Input should be %s", quoteList(groups))
		}
	}
	sp, err := parseSpan(q.ReportQuery, []string{"1d"}, now)
	if err != nil {
		return Report[CostItem]{}, err
	}
	starts, next := sp.starts()
	out := Report[CostItem]{Data: []Bucket[CostItem]{}, HasMore: next != nil, NextPage: next}
	for _, at := range starts {
		out.Data = append(out.Data, Bucket[CostItem]{StartingAt: stamp(at), EndingAt: stamp(at.Add(sp.w.d)),
			Results: costGroups(within(records, at, at.Add(sp.w.d)), q.GroupBy)})
	}
	return out, nil
}

// costGroups sums priced lines per group, in the order groups first occur.
func costGroups(records []Record, groupBy []string) []CostItem {
	type acc struct {
		item CostItem
		sum  billing.Money
	}
	var groups []*acc
	index := map[string]*acc{}
	for _, r := range records {
		for _, t := range tokenTypes {
			if t.tokens(r) == 0 && slices.Contains(groupBy, "description") {
				continue
			}
			item := costKey(r, t, groupBy)
			key := fmt.Sprint(deref(item.WorkspaceID), "|", deref(item.Description))
			g, ok := index[key]
			if !ok {
				g = &acc{item: item}
				index[key] = g
				groups = append(groups, g)
			}
			g.sum += line(r, t)
		}
	}
	out := make([]CostItem, 0, len(groups))
	for _, g := range groups {
		g.item.Amount = cents(g.sum)
		out = append(out, g.item)
	}
	return out
}

// costKey is a record's line of token type t, with the grouped fields set.
func costKey(r Record, t tokenType, groupBy []string) CostItem {
	it := CostItem{Currency: "USD"}
	if slices.Contains(groupBy, "workspace_id") {
		it.WorkspaceID = r.Workspace
	}
	if slices.Contains(groupBy, "description") {
		desc := r.DisplayName + " Usage - " + t.label
		costType, model, tier, cw, tt, geo, speed := "tokens", r.Model, r.ServiceTier, r.ContextWindow, t.name, r.InferenceGeo, r.Speed
		it.Description, it.CostType, it.Model, it.ServiceTier = &desc, &costType, &model, &tier
		it.ContextWindow, it.TokenType, it.InferenceGeo, it.Speed = &cw, &tt, &geo, &speed
	}
	return it
}

func deref(p *string) string {
	if p == nil {
		return "\x00"
	}
	return *p
}

// cents writes nano-dollars as cents in a decimal string, exactly: a cent
// is 10^7 nano-dollars, so at most seven decimals, trailing zeros cut.
func cents(m billing.Money) string {
	s := new(big.Rat).SetFrac64(int64(m), 10_000_000).FloatString(7)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}
