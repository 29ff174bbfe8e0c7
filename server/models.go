package server

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/catalog"
)

// modelInfo is the ModelInfo object of GET /v1/models.
type modelInfo struct {
	Type           string       `json:"type"`
	ID             string       `json:"id"`
	DisplayName    string       `json:"display_name"`
	CreatedAt      string       `json:"created_at"`
	Lifecycle      string       `json:"lifecycle"`
	DeprecatedAt   *string      `json:"deprecated_at"`
	RetiresAt      *string      `json:"retires_at"`
	Line           *string      `json:"line"`
	MaxInputTokens int          `json:"max_input_tokens"`
	MaxTokens      int          `json:"max_tokens"`
	Capabilities   capabilities `json:"capabilities"`
}

type support struct {
	Supported bool `json:"supported"`
}

// capabilities reports what the catalogue knows (thinking types, effort
// levels) and marks the rest supported: the mock accepts every such request
// field alike.
type capabilities struct {
	Batch             support  `json:"batch"`
	Citations         support  `json:"citations"`
	CodeExecution     support  `json:"code_execution"`
	ContextManagement ctxMgmt  `json:"context_management"`
	Effort            effort   `json:"effort"`
	ImageInput        support  `json:"image_input"`
	PDFInput          support  `json:"pdf_input"`
	ServerTools       srvTools `json:"server_tools"`
	StructuredOutputs support  `json:"structured_outputs"`
	Thinking          thinkCap `json:"thinking"`
}

type ctxMgmt struct {
	ClearThinking *support `json:"clear_thinking_20251015"`
	ClearToolUses *support `json:"clear_tool_uses_20250919"`
	Compact       *support `json:"compact_20260112"`
	Supported     bool     `json:"supported"`
}

type effort struct {
	Supported bool    `json:"supported"`
	Low       support `json:"low"`
	Medium    support `json:"medium"`
	High      support `json:"high"`
	Max       support `json:"max"`
	XHigh     support `json:"xhigh"`
}

type srvTools struct {
	Supported     bool    `json:"supported"`
	CodeExecution support `json:"code_execution"`
	WebSearch     support `json:"web_search"`
}

type thinkCap struct {
	Supported bool       `json:"supported"`
	Types     thinkTypes `json:"types"`
}

type thinkTypes struct {
	Adaptive     support `json:"adaptive"`
	BetweenTools support `json:"between_tools"`
	Disabled     support `json:"disabled"`
	Enabled      support `json:"enabled"`
}

// modelLines are the ModelLine values of the OpenAPI document; a family
// name starting with one of them gives the model's line.
var modelLines = []string{"haiku", "sonnet", "opus", "fable", "mythos"}

// toModelInfo describes m as of now: its lifecycle stage, and its
// deprecation and retirement dates once it is no longer active (the API
// documents both as null while a model is active).
func toModelInfo(m *catalog.Model, now time.Time) modelInfo {
	adaptive, enabled := m.AcceptsThinking("adaptive"), m.AcceptsThinking("enabled")
	yes := support{Supported: true}
	info := modelInfo{
		Type: "model", ID: m.ID, DisplayName: m.DisplayName,
		CreatedAt: m.CreatedAt.UTC().Format(time.RFC3339), Lifecycle: m.LifecycleAt(now), Line: line(m.Family),
		MaxInputTokens: m.ContextWindow, MaxTokens: m.MaxOutputTokens,
		Capabilities: capabilities{
			Batch: yes, Citations: yes, CodeExecution: yes, ImageInput: yes, PDFInput: yes, StructuredOutputs: yes,
			ContextManagement: ctxMgmt{Supported: false},
			Effort:            effortOf(m),
			ServerTools:       srvTools{Supported: true, CodeExecution: yes, WebSearch: yes},
			Thinking: thinkCap{Supported: adaptive || enabled, Types: thinkTypes{
				Adaptive: support{adaptive}, Enabled: support{enabled}, Disabled: yes, BetweenTools: support{m.AcceptsThinking("between_tools")},
			}},
		},
	}
	if info.Lifecycle != catalog.LifecycleActive {
		info.DeprecatedAt, info.RetiresAt = date(m.DeprecatedAt), date(m.RetiresAt)
	}
	return info
}

// effortOf reports the output_config.effort levels the catalogue lists.
func effortOf(m *catalog.Model) effort {
	has := func(level string) support { return support{m.AcceptsEffort(level)} }
	return effort{
		Supported: len(m.Effort) > 0,
		Low:       has("low"), Medium: has("medium"), High: has("high"), XHigh: has("xhigh"), Max: has("max"),
	}
}

func date(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func line(family string) *string {
	for _, l := range modelLines {
		if len(family) >= len(l) && family[:len(l)] == l {
			return &l
		}
	}
	return nil
}

// modelPage is the list envelope the SDKs page through.
type modelPage struct {
	Data    []modelInfo `json:"data"`
	HasMore bool        `json:"has_more"`
	FirstID *string     `json:"first_id"`
	LastID  *string     `json:"last_id"`
}

// listModels serves GET /v1/models: newest first, paged with after_id /
// before_id / limit, filtered by lifecycle[] (active and deprecated when
// none is given), each model's stage judged at the request's virtual time.
func (s *Server) listModels(c echo.Context) error {
	limit, err := pageLimit(c.QueryParam("limit"))
	if err != nil {
		return err
	}
	now := state(c).now
	models, err := s.visibleModels(c.QueryParams()["lifecycle[]"], now)
	if err != nil {
		return err
	}
	lo, hi, hasMore, err := window(models, c.QueryParam("after_id"), c.QueryParam("before_id"), limit)
	if err != nil {
		return err
	}
	page := modelPage{Data: make([]modelInfo, 0, hi-lo), HasMore: hasMore}
	for _, m := range models[lo:hi] {
		page.Data = append(page.Data, toModelInfo(m, now))
	}
	if len(page.Data) > 0 {
		page.FirstID, page.LastID = &page.Data[0].ID, &page.Data[len(page.Data)-1].ID
	}
	return writeJSON(c, 200, page)
}

func pageLimit(raw string) (int, error) {
	if raw == "" {
		return 20, nil
	}
	n, err := strconv.Atoi(raw)
	switch {
	case err != nil:
		return 0, invalid("limit: Input should be a valid integer, unable to parse string as an integer")
	case n < 1:
		return 0, invalid("limit: Input should be greater than or equal to 1")
	case n > 1000:
		return 0, invalid("limit: Input should be less than or equal to 1000")
	}
	return n, nil
}

// visibleModels lists the models whose stage at now is one of lifecycles.
func (s *Server) visibleModels(lifecycles []string, now time.Time) ([]*catalog.Model, error) {
	want := map[string]bool{"active": true, "deprecated": true}
	if len(lifecycles) > 0 {
		want = map[string]bool{}
		for _, l := range lifecycles {
			if l != "active" && l != "deprecated" && l != "retired" {
				return nil, invalid("lifecycle[]: Input should be 'active', 'deprecated' or 'retired'")
			}
			want[l] = true
		}
	}
	var out []*catalog.Model
	for _, m := range s.catalog.Models() {
		if want[m.LifecycleAt(now)] {
			out = append(out, m)
		}
	}
	return out, nil
}

// window picks the page [lo, hi) of models for the cursors and says
// whether more lie beyond it in the direction of travel.
func window(models []*catalog.Model, after, before string, limit int) (lo, hi int, more bool, err error) {
	switch {
	case after != "" && before != "":
		return 0, 0, false, invalid("after_id and before_id cannot both be set")
	case before != "":
		at := indexOf(models, before)
		if at < 0 {
			return 0, 0, false, invalid("before_id: no model with id %s", before)
		}
		lo = max(0, at-limit)
		return lo, at, lo > 0, nil
	case after != "":
		at := indexOf(models, after)
		if at < 0 {
			return 0, 0, false, invalid("after_id: no model with id %s", after)
		}
		lo = at + 1
	}
	hi = min(len(models), lo+limit)
	return lo, hi, hi < len(models), nil
}

func indexOf(models []*catalog.Model, id string) int {
	for i, m := range models {
		if m.ID == id {
			return i
		}
	}
	return -1
}

// getModel serves GET /v1/models/{id}; an alias answers with the model it
// points to, as the real API does. A retired model is still described
// (lifecycle "retired"): the real API keeps it as the record of its retirement.
func (s *Server) getModel(c echo.Context) error {
	id := c.Param("model_id")
	m, ok := s.catalog.Lookup(id)
	if !ok {
		return &APIError{Type: NotFound, Message: "model: " + id}
	}
	return writeJSON(c, 200, toModelInfo(m, state(c).now))
}
