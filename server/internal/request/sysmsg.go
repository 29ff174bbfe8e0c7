package request

import (
	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/jsonscan"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// Mid-conversation system messages: {"role":"system"} entries of messages
// (the SDKs' BetaMessageParam; the docs' "Mid-conversation system
// messages"). The wordings below are the real API's, recorded in public
// client code and issue threads (2026-07 to 2026-10).

// directiveNote ends every placement error, as the real one does.
const directiveNote = "the directive-only form (content: [] with output_config) is accepted at any position"

// systemBlockTypes are the blocks a system message may hold.
var systemBlockTypes = []string{"text", "tool_addition", "tool_removal"}

// serverResultTypes are the blocks that end an assistant turn in a server
// tool result, after which a system message may follow.
var serverResultTypes = []string{
	"web_search_tool_result", "web_fetch_tool_result", "code_execution_tool_result",
	"bash_code_execution_tool_result", "text_editor_code_execution_tool_result",
	"tool_search_tool_result", "mcp_tool_result", "advisor_tool_result",
}

// checkRole accepts user and assistant everywhere, and system on the models
// the catalogue marks mid_conversation_system (the docs: "No beta header is
// required"). Elsewhere a system message gets the old schema error, or with
// the beta, the one the real API gives models without the feature.
func (p *parser) checkRole(role string, i int) error {
	supported := p.model != nil && p.model.MidConversationSystem
	withBeta := p.betas.has(betaSystemMessages)
	switch {
	case role == "user" || role == "assistant":
		return nil
	case role == "system" && supported:
		return nil
	case role == "system" && withBeta && p.model != nil:
		return apierror.Invalid("messages.%d: role 'system' is not supported on this model", i)
	case role == "system" && withBeta:
		return nil // an unknown model: its 404 comes later
	case supported || withBeta:
		return apierror.Invalid("messages.%d.role: Input should be 'user', 'assistant' or 'system'", i)
	}
	return apierror.Invalid("messages.%d.role: Input should be 'user' or 'assistant'", i)
}

// systemOptions checks clear_at and output_config, which only a system
// message may carry and each only with its beta, and reports whether the
// message has an output_config with a field set.
func (p *parser) systemOptions(role string, path loc, clearAt, outputConfig string) (bool, error) {
	if err := p.checkClearAt(role, path, clearAt); err != nil {
		return false, err
	}
	if isNull(outputConfig) {
		return false, nil
	}
	if role != "system" || !p.betas.any(systemOutputConfigBetas) {
		return false, apierror.Invalid("%s.output_config: Extra inputs are not permitted", path)
	}
	var effort *string
	if err := DecodeObject(rawJSON(outputConfig), path.String()+".output_config", Fields{"effort": &effort}); err != nil {
		return false, err
	}
	if effort != nil && !contains(catalog.EffortLevels, *effort) {
		return false, apierror.Invalid("%s.output_config.effort: Input should be %s", path, oneOf(catalog.EffortLevels))
	}
	return effort != nil, nil
}

func (p *parser) checkClearAt(role string, path loc, raw string) error {
	if isNull(raw) {
		return nil
	}
	if role != "system" || !p.betas.has(betaSystemClearAt) {
		return apierror.Invalid("%s.clear_at: Extra inputs are not permitted", path)
	}
	if v := jsonscan.Unquote(raw); raw[0] != '"' || (v != "next_user_message" && v != "never") {
		return apierror.Invalid("%s.clear_at: Input should be 'next_user_message' or 'never'", path)
	}
	return nil
}

// systemContent validates a system message's content and adds it to the
// prompt where it stands, so it is counted like system text and an
// appended one leaves the cached prefix before it intact.
func (p *parser) systemContent(m *inMessage, i int) error {
	c := m.content
	switch {
	case m.directive:
		return nil
	case c.isString && c.text == "", !c.isString && c.blocks.empty():
		return apierror.Invalid("messages.%d: system content must contain at least one block", i)
	case c.isString:
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindText, Text: c.text, Message: i})
		return nil
	}
	it := c.blocks.elems()
	for j := 0; ; j++ {
		raw, ok := it.Elem()
		if !ok {
			return nil
		}
		b, err := decodeBlock(raw, blockLoc(i, j))
		if err != nil {
			return err
		}
		if !contains(systemBlockTypes, b.Type) {
			return apierror.Invalid("messages.%d: role 'system' supports text, tool_addition, and tool_removal blocks only", i)
		}
		if err := p.contentBlock(&b, raw, blockLoc(i, j), i); err != nil {
			return err
		}
	}
}

// checkSystemPlacement applies the real rule to each run of consecutive
// system messages: not first (the top-level system is for that), after a
// user turn or an assistant turn ending in a server tool result, and
// before an assistant turn or at the end. Directive-only runs go anywhere.
func checkSystemPlacement(msgs []inMessage) error {
	for start := 0; start < len(msgs); {
		if msgs[start].role != "system" {
			start++
			continue
		}
		end := start
		for end < len(msgs) && msgs[end].role == "system" {
			end++
		}
		if err := checkSystemRun(msgs, start, end); err != nil {
			return err
		}
		start = end
	}
	return nil
}

// checkSystemRun checks the run msgs[start:end], naming its first message
// when what precedes it is wrong and its last when what follows is.
func checkSystemRun(msgs []inMessage, start, end int) error {
	first, last := -1, -1
	for k := start; k < end; k++ {
		if msgs[k].directive {
			continue
		}
		if first < 0 {
			first = k
		}
		last = k
	}
	switch {
	case first < 0:
		return nil
	case start == 0:
		return apierror.Invalid("messages.%d: use the top-level 'system' parameter for the initial system prompt; %s", first, directiveNote)
	case !opensSystem(msgs[start-1]):
		return apierror.Invalid("messages.%d: role 'system' must follow a 'user' message or an 'assistant' message ending in a server tool result; %s", first, directiveNote)
	case end < len(msgs) && msgs[end].role != "assistant":
		return apierror.Invalid("messages.%d: role 'system' must precede an 'assistant' message or end the array; %s", last, directiveNote)
	}
	return nil
}

// opensSystem reports whether a system message may follow m.
func opensSystem(m inMessage) bool {
	return m.role == "user" || (m.role == "assistant" && contains(serverResultTypes, lastBlockType(m.content)))
}
