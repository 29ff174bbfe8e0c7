package openapi

import "slices"

// Exemption is one key the OpenAPI document marks required (and nullable)
// on a response schema but that real responses leave out when it does not
// apply. Where the document and real traffic disagree, real traffic wins
// (DESIGN.md, "Fidelity sources"); the validator lets such a key be absent
// and still checks its value whenever it is present. Every other required
// key stays required.
type Exemption struct {
	Schema   string // #/components/schemas/<Schema>
	Property string // a name in that schema's "required" list
	Reason   string
}

// Exemptions is the whole list, each with its reason. The Beta* twins are
// what /v1/messages?beta=true answers with, and real beta responses omit
// the same keys. An entry applies only where its schema requires its key;
// [Spec.Exempted] lists those that did, so a spec can prove that every
// entry still matches the document it was written for.
var Exemptions = []Exemption{
	{"ResponseTextBlock", "citations",
		"text block `citations`: OpenAPI requires+nullable, real traffic omits it on a block without citations " +
			"(api-facts §12.1); the Vercel AI SDK validates citations as array().optional() and refuses null"},
	{"BetaResponseTextBlock", "citations", "as ResponseTextBlock.citations, on the beta endpoint"},
	{"Message", "diagnostics",
		"message `diagnostics`: OpenAPI requires+nullable, the recorded real exchanges (2025-08..2026-08) leave it out (api-facts §12.1)"},
	{"BetaMessage", "diagnostics", "as Message.diagnostics, on the beta endpoint"},
	{"Message", "container",
		"message `container`: OpenAPI requires+nullable, real responses carry it only as a populated object, " +
			"when a code-execution container was used (api-facts §12.1)"},
	{"BetaMessage", "container", "as Message.container, on the beta endpoint"},
	{"MessageDelta", "container", "message_delta `delta.container`: as Message.container, in the stream"},
	{"BetaMessageDelta", "container", "as MessageDelta.container, on the beta endpoint"},
	{"Usage", "speed",
		"usage `speed`: OpenAPI requires+nullable, the recorded real exchanges leave it out (api-facts §12.1)"},
	{"BetaUsage", "speed", "as Usage.speed, on the beta endpoint"},
	{"Usage", "server_tool_use",
		"usage `server_tool_use`: OpenAPI requires+nullable, real responses carry it only as a populated object, " +
			"when server tools ran (api-facts §12.1)"},
	{"BetaUsage", "server_tool_use", "as Usage.server_tool_use, on the beta endpoint"},
	{"Usage", "output_tokens_details",
		"usage `output_tokens_details`: OpenAPI requires+nullable, real responses carry {\"thinking_tokens\":N} " +
			"or leave it out, never null (api-facts §12.1)"},
	{"BetaUsage", "output_tokens_details", "as Usage.output_tokens_details, on the beta endpoint"},
	{"MessageDeltaUsage", "server_tool_use", "message_delta `usage.server_tool_use`: as Usage.server_tool_use, in the stream"},
	{"BetaMessageDeltaUsage", "server_tool_use", "as MessageDeltaUsage.server_tool_use, on the beta endpoint"},
	{"MessageDeltaUsage", "output_tokens_details", "message_delta `usage.output_tokens_details`: as Usage.output_tokens_details, in the stream"},
	{"BetaMessageDeltaUsage", "output_tokens_details", "as MessageDeltaUsage.output_tokens_details, on the beta endpoint"},
	{"BetaMessage", "context_management",
		"beta message `context_management`: OpenAPI requires+nullable, recorded beta replies carry it only when the " +
			"request used context management (6 of 273 in pydantic-ai's 2026 cassettes)"},
	{"BetaMessageDeltaEvent", "context_management", "as BetaMessage.context_management, in the stream"},
	{"BetaUsage", "iterations",
		"beta usage `iterations`: OpenAPI requires+nullable, recorded beta replies carry it only after compaction " +
			"or an advisor call (10 of 273 in pydantic-ai's 2026 cassettes)"},
	{"BetaMessageDeltaUsage", "iterations", "as BetaUsage.iterations, in the stream"},
	{"BetaUsage", "fallback_credit",
		"beta usage `fallback_credit`: OpenAPI requires+nullable, none of 273 recorded 2026 beta replies carries it"},
	{"BetaMessageDeltaUsage", "fallback_credit", "as BetaUsage.fallback_credit, in the stream"},
}

// The 413 is not on this list: it comes from the edge (Cloudflare), not the
// API, as {"error":{"type":"request_too_large","message":"…"}} with no
// top-level type and no request_id, and its error type is not one the
// document's ErrorResponse knows. It is not an API response, so nothing
// validates it against the document; specs assert its exact bytes instead.

// exempt removes each exempted key from its schema's "required" list in
// the parsed document, before the document is compiled, and returns the
// entries that applied.
func exempt(schemas map[string]any, list []Exemption) []Exemption {
	var applied []Exemption
	for _, e := range list {
		sch, _ := schemas[e.Schema].(map[string]any)
		req, _ := sch["required"].([]any)
		if i := slices.Index(req, any(e.Property)); i >= 0 {
			sch["required"] = slices.Delete(slices.Clone(req), i, i+1)
			applied = append(applied, e)
		}
	}
	return applied
}

// Exempted lists the exemptions that applied to this document: keys it
// requires that the validator lets a body leave out.
func (s *Spec) Exempted() []Exemption {
	return slices.Clone(s.exempted)
}
