package request

import (
	"encoding/json"
	"strings"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// parseSystem reads the system prompt: a string or a list of text blocks.
func (p *parser) parseSystem(raw json.RawMessage) error {
	if len(raw) == 0 || IsNull(raw) {
		return nil
	}
	content, err := parseContent(raw, "system")
	if err != nil {
		return err
	}
	if content.isString {
		p.add(tokens.Block{Section: tokens.System, Kind: tokens.KindText, Text: content.text, Message: -1})
		return nil
	}
	for i, rawBlock := range content.blocks {
		path := "system." + itoa(i)
		b, err := decodeBlock(rawBlock, path)
		if err != nil {
			return err
		}
		if *b.Type != "text" {
			return apierror.Invalid("%s.type: Input should be 'text'", path)
		}
		ttl, err := p.parseCacheControl(b.CacheControl, path)
		if err != nil {
			return err
		}
		if err := p.textBlock(b, path, tokens.System, -1); err != nil {
			return err
		}
		p.blocks[len(p.blocks)-1].Cache = ttl
	}
	return nil
}

func (p *parser) add(b tokens.Block) { p.blocks = append(p.blocks, b) }

// inMessage is one decoded entry of messages: what the rules that look
// across messages need.
type inMessage struct {
	role    string
	content stringOrBlocks
	// directive marks a system message with empty content and an
	// output_config: the real API accepts it at any position.
	directive bool
	// last is the type of the last content block, "" for string content.
	last string
}

// parseMessages validates every message, the pairing of tool_use and
// tool_result blocks between consecutive turns and the placement of system
// messages.
func (p *parser) parseMessages(msgs []json.RawMessage, out *Request) error {
	var pending []string // tool_use ids the previous assistant turn left open
	decoded := make([]inMessage, len(msgs))
	for i, rawMsg := range msgs {
		m, err := p.decodeMessage(rawMsg, i)
		if err != nil {
			return err
		}
		if m.role == "system" {
			err = p.systemContent(&m, i)
		} else {
			pending, err = p.turnContent(m, i, i == len(msgs)-1, pending)
		}
		if err != nil {
			return err
		}
		decoded[i] = m
		out.lastRole = m.role
	}
	p.messages = decoded
	return checkSystemPlacement(decoded)
}

// turnContent validates a user or assistant message and adds its blocks;
// it returns the tool_use ids left open for the next turn to answer.
func (p *parser) turnContent(m inMessage, i int, final bool, pending []string) ([]string, error) {
	if err := p.checkNonEmpty(m.content, i, final && m.role == "assistant"); err != nil {
		return nil, err
	}
	uses, results, err := p.messageBlocks(m, i)
	if err != nil {
		return nil, err
	}
	if pending, err = pairTools(pending, m.role, uses, results, i); err != nil {
		return nil, err
	}
	if final && m.role == "assistant" {
		if err := checkTrailingSpace(m.content); err != nil {
			return nil, err
		}
	}
	return pending, nil
}

// decodeMessage reads one message's role and content, and the keys only a
// system message may carry (each behind its beta).
func (p *parser) decodeMessage(raw json.RawMessage, i int) (inMessage, error) {
	path := "messages." + itoa(i)
	var role *string
	var content, clearAt, outputConfig json.RawMessage
	f := Fields{"role": &role, "content": &content, "clear_at": &clearAt, "output_config": &outputConfig}
	if err := DecodeObject(raw, path, f); err != nil {
		return inMessage{}, err
	}
	if role == nil {
		return inMessage{}, apierror.Invalid("%s.role: Field required", path)
	}
	if err := p.checkRole(*role, i); err != nil {
		return inMessage{}, err
	}
	m := inMessage{role: *role}
	directive, err := p.systemOptions(m.role, path, clearAt, outputConfig)
	if err != nil {
		return inMessage{}, err
	}
	if content == nil {
		return inMessage{}, apierror.Invalid("%s.content: Field required", path)
	}
	m.content, err = parseContent(content, path+".content")
	m.directive = directive && !m.content.isString && len(m.content.blocks) == 0
	m.last = lastBlockType(m.content)
	return m, err
}

// lastBlockType is the type of the last block of block content.
func lastBlockType(c stringOrBlocks) string {
	if c.isString || len(c.blocks) == 0 {
		return ""
	}
	var b struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(c.blocks[len(c.blocks)-1], &b)
	return b.Type
}

// checkNonEmpty enforces the real rule: only a final assistant turn may be
// empty.
func (p *parser) checkNonEmpty(c stringOrBlocks, i int, finalAssistant bool) error {
	empty := (c.isString && c.text == "") || (!c.isString && len(c.blocks) == 0)
	if empty && !finalAssistant {
		return apierror.Invalid("messages.%d: all messages must have non-empty content except for the optional final assistant message", i)
	}
	return nil
}

func checkTrailingSpace(c stringOrBlocks) error {
	if c.isString && c.text != "" && strings.TrimRight(c.text, " \t\r\n") != c.text {
		return apierror.Invalid("messages: final assistant content cannot end with trailing whitespace")
	}
	return nil
}

// toolUseTypes are the blocks that call a tool.
var toolUseTypes = []string{"tool_use", "server_tool_use", "mcp_tool_use"}

// messageBlocks turns one message's content into prompt blocks and returns
// the tool_use ids it opens and the tool_result ids it answers.
func (p *parser) messageBlocks(m inMessage, i int) (uses, results []string, err error) {
	if m.content.isString {
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindText, Text: m.content.text, Message: i})
		return nil, nil, nil
	}
	lastUse := p.lastToolUse(m)
	for j, rawBlock := range m.content.blocks {
		path := "messages." + itoa(i) + ".content." + itoa(j)
		b, err := decodeBlock(rawBlock, path)
		if err != nil {
			return nil, nil, err
		}
		switch *b.Type {
		case "tool_use", "server_tool_use", "mcp_tool_use":
			uses = appendIf(uses, b.ID, *b.Type == "tool_use")
		case "tool_result":
			results = append(results, b.ToolUseID)
		}
		b.blankOK = j < lastUse
		if err := p.contentBlock(b, rawBlock, path, i); err != nil {
			return nil, nil, err
		}
	}
	return uses, results, nil
}

// lastToolUse is the index of an assistant turn's last tool call, -1 when
// it has none. Real assistant turns often open with a whitespace-only text
// block before a tool_use, and clients send them back unchanged: recorded
// real exchanges show the API accepts such a block there.
func (p *parser) lastToolUse(m inMessage) int {
	last := -1
	if m.role != "assistant" {
		return last
	}
	for j, raw := range m.content.blocks {
		var b struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(raw, &b) == nil && contains(toolUseTypes, b.Type) {
			last = j
		}
	}
	return last
}

func appendIf(list []string, v string, ok bool) []string {
	if ok {
		return append(list, v)
	}
	return list
}

// pairTools applies the real API's tool rules: every tool_use of an
// assistant turn needs a tool_result in the very next message, and every
// tool_result must answer a tool_use of the previous message.
func pairTools(pending []string, role string, uses, results []string, i int) ([]string, error) {
	for _, id := range results {
		if !contains(pending, id) {
			return nil, apierror.Invalid("messages.%d.content: unexpected `tool_use_id` found in `tool_result` blocks: %s. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.", i, id)
		}
	}
	var missing []string
	for _, id := range pending {
		if !contains(results, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return nil, apierror.Invalid("messages.%d: `tool_use` ids were found without `tool_result` blocks immediately after: %s. Each `tool_use` block must have a corresponding `tool_result` block in the next message.", i-1, strings.Join(missing, ", "))
	}
	if role == "assistant" {
		return uses, nil
	}
	return nil, nil
}
