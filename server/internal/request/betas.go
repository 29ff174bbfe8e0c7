package request

import (
	"slices"
	"strings"
)

// The anthropic-beta values whose presence changes what a request may carry
// or what its answer looks like. Every other value is accepted and ignored:
// the mock never refuses a beta (docs/api.md, "What a request gets").
const (
	// betaSystemMessages lets role "system" messages into messages on any
	// model; the models the catalogue marks mid_conversation_system take
	// them without it, as the docs say.
	betaSystemMessages = "mid-conversation-system-2026-04-07"
	// betaSystemOutputConfig allows output_config on a system message.
	betaSystemOutputConfig = "mid-conversation-output-config-2026-07-01"
	// betaPerTurnControl allows it too: Claude Code 2.1.332 sends this one
	// with {"role":"system","output_config":{"effort":"medium"}} and no
	// other, and drops both only on its fallback retry after a 400.
	betaPerTurnControl = "per-turn-control-2026-07-01"
	// betaSystemClearAt allows clear_at on a system message.
	betaSystemClearAt = "mid-conversation-system-clear-at-2026-08-21"
	// betaCacheScope allows cache_control.scope (Claude Code sends
	// {"type":"ephemeral","scope":"global"} on its system blocks).
	betaCacheScope = "prompt-caching-scope-2026-01-05"
	// betaInterleavedThinking lets budgeted thinking think between tool
	// calls, so an answer to a tool_result opens with a thinking block.
	betaInterleavedThinking = "interleaved-thinking-2025-05-14"
)

// systemOutputConfigBetas each allow output_config on a system message.
var systemOutputConfigBetas = []string{betaSystemOutputConfig, betaPerTurnControl}

// contextManagementBetas enable the context_management request field and
// the context_management key of the answer (the OpenAPI document's
// x-anthropic-beta-required list for it).
var contextManagementBetas = []string{"context-management-2025-06-27", "compact-2026-01-12", "compact-2026-09-04"}

// betaSet is the merged anthropic-beta values of one request.
type betaSet []string

func (b betaSet) has(name string) bool { return slices.Contains(b, name) }

func (b betaSet) any(names []string) bool {
	return slices.ContainsFunc(names, b.has)
}

// Betas merges every anthropic-beta header line, comma-joined or repeated,
// into one list, the way the real API reads them.
func Betas(lines []string) []string {
	var out []string
	for _, line := range lines {
		for _, v := range strings.Split(line, ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}
