package request

import (
	"strings"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/jsonscan"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// parseSystem reads the system prompt: a string or a list of text blocks.
func (p *parser) parseSystem(v string) error {
	if isNull(v) {
		return nil
	}
	content, err := parseContent(v, fieldLoc("system"))
	if err != nil {
		return err
	}
	if content.isString {
		p.add(tokens.Block{Section: tokens.System, Kind: tokens.KindText, Text: content.text, Message: -1})
		return nil
	}
	it := content.blocks.elems()
	for i := 0; ; i++ {
		raw, ok := it.Elem()
		if !ok {
			return nil
		}
		if err := p.systemBlock(raw, systemLoc(i)); err != nil {
			return err
		}
	}
}

// systemBlock validates one block of the system prompt and adds it.
func (p *parser) systemBlock(raw string, l loc) error {
	b, err := decodeBlock(raw, l)
	if err != nil {
		return err
	}
	if b.Type != "text" {
		return apierror.Invalid("%s.type: Input should be 'text'", l)
	}
	ttl, err := p.parseCacheControl(b.CacheControl, l)
	if err != nil {
		return err
	}
	if err := p.textBlock(&b, l, tokens.System, -1); err != nil {
		return err
	}
	p.blocks[len(p.blocks)-1].Cache = ttl
	return nil
}

// add appends a block to the prompt (blocks stays nil until the first).
func (p *parser) add(b tokens.Block) {
	if p.blocks == nil {
		p.blocks = make([]tokens.Block, 0, max(p.blockHint, 1))
	}
	p.blocks = append(p.blocks, b)
}

// inMessage is one decoded entry of messages: what the rules that look
// across messages need.
type inMessage struct {
	role    string
	content stringOrBlocks
	// directive marks a system message with empty content and an
	// output_config: the real API accepts it at any position.
	directive bool
}

// parseMessages validates every message, the pairing of tool_use and
// tool_result blocks between consecutive turns and the placement of system
// messages.
func (p *parser) parseMessages(msgs list, out *Request) error {
	var pending []string // tool_use ids the previous assistant turn left open
	decoded := make([]inMessage, msgs.n)
	it := msgs.elems()
	for i := range decoded {
		rawMsg, _ := it.Elem()
		m, err := p.decodeMessage(rawMsg, i)
		if err != nil {
			return err
		}
		if m.role == "system" {
			err = p.systemContent(&m, i)
		} else {
			pending, err = p.turnContent(m, i, i == len(decoded)-1, pending)
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

// messageKind is the type each key of a message takes: role and content,
// and the keys only a system message may carry (each behind its beta).
func messageKind(key string) (kind, bool) {
	switch key {
	case "role":
		return stringValue, true
	case "content", "clear_at", "output_config":
		return anyValue, true
	}
	return anyValue, false
}

// decodeMessage reads one message's role and content, and the keys only a
// system message may carry (each behind its beta).
func (p *parser) decodeMessage(raw string, i int) (inMessage, error) {
	l := messageLoc(i)
	var buf [8]member
	var ms []member
	switch {
	case raw[0] == '{':
		ms = members(raw, buf[:0])
	case raw != "null": // null is an object without keys
		return inMessage{}, apierror.Invalid("%s: Input should be a valid dictionary", l)
	}
	if bad, fault := strictFault(ms, messageKind); fault != "" {
		return inMessage{}, apierror.Invalid("%s.%s: %s", l, bad, fault)
	}
	role, content, clearAt, outputConfig := messageValue(ms, "role"), messageValue(ms, "content"), messageValue(ms, "clear_at"), messageValue(ms, "output_config")
	if role == "" {
		return inMessage{}, apierror.Invalid("%s.role: Field required", l)
	}
	m := inMessage{role: jsonscan.Unquote(role)}
	if err := p.checkRole(m.role, i); err != nil {
		return inMessage{}, err
	}
	directive, err := p.systemOptions(m.role, l, clearAt, outputConfig)
	if err != nil {
		return inMessage{}, err
	}
	if content == "" {
		return inMessage{}, apierror.Invalid("%s.content: Field required", l)
	}
	m.content, err = parseContent(content, l.tagged("content"))
	m.directive = directive && !m.content.isString && m.content.blocks.empty()
	return m, err
}

// messageValue is the text of a message's key, "" when absent or null.
func messageValue(ms []member, key string) string {
	if i := memberIndex(ms, key); i >= 0 && ms[i].val != "null" {
		return ms[i].val
	}
	return ""
}

// lastBlockType is the type of the last block of block content, read as
// json.Unmarshal read it into a struct with a string type; "" for string
// content. Only the placement of a system message asks for it.
func lastBlockType(c stringOrBlocks) string {
	if c.isString || c.blocks.empty() {
		return ""
	}
	typ, _ := lenientType(c.blocks.last())
	return typ
}

// checkNonEmpty enforces the real rule: only a final assistant turn may be
// empty.
func (p *parser) checkNonEmpty(c stringOrBlocks, i int, finalAssistant bool) error {
	empty := (c.isString && c.text == "") || (!c.isString && c.blocks.empty())
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
	it := m.content.blocks.elems()
	for j := 0; ; j++ {
		raw, ok := it.Elem()
		if !ok {
			return uses, results, nil
		}
		b, err := decodeBlock(raw, blockLoc(i, j))
		if err != nil {
			return nil, nil, err
		}
		switch b.Type {
		case "tool_use", "server_tool_use", "mcp_tool_use":
			uses = appendIf(uses, b.ID, b.Type == "tool_use")
		case "tool_result":
			results = append(results, b.ToolUseID)
		}
		b.blankOK = j < lastUse
		if err := p.contentBlock(&b, raw, blockLoc(i, j), i); err != nil {
			return nil, nil, err
		}
	}
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
	it := m.content.blocks.elems()
	for j := 0; ; j++ {
		raw, ok := it.Elem()
		if !ok {
			return last
		}
		if typ, ok := lenientType(raw); ok && contains(toolUseTypes, typ) {
			last = j
		}
	}
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
