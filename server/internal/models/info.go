package models

import (
	"time"

	"github.com/claudemock/claudemock/server/internal/catalog"
)

// Info is the ModelInfo object of the Models API.
type Info struct {
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

// Describe is m's ModelInfo as of now: its lifecycle stage, and its
// deprecation and retirement dates once it is no longer active (the API
// documents both as null while a model is active).
func Describe(m *catalog.Model, now time.Time) Info {
	adaptive, enabled := m.AcceptsThinking("adaptive"), m.AcceptsThinking("enabled")
	yes := support{Supported: true}
	info := Info{
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

// date is t as the API writes a date, nil for none.
func date(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// line is the ModelLine a family belongs to, nil for none.
func line(family string) *string {
	for _, l := range modelLines {
		if len(family) >= len(l) && family[:len(l)] == l {
			return &l
		}
	}
	return nil
}
