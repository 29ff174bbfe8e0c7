package server

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/claudemock/claudemock/server/internal/tokens"
)

// blockTypes are the content block types a request message may hold: the
// InputContentBlock and BetaInputContentBlock tags of the OpenAPI document.
var blockTypes = []string{
	"text", "image", "document", "search_result", "thinking", "redacted_thinking",
	"tool_use", "tool_result", "server_tool_use", "web_search_tool_result",
	"web_fetch_tool_result", "code_execution_tool_result",
	"bash_code_execution_tool_result", "text_editor_code_execution_tool_result",
	"tool_search_tool_result", "container_upload", "mcp_tool_use", "mcp_tool_result",
	"mcp_tool_listing", "compaction", "advisor_tool_result", "fallback",
	"tool_addition", "tool_removal",
}

// inBlock is a request content block; it is decoded leniently because each
// type has its own fields and the mock only reads a few of them.
type inBlock struct {
	Type         *string         `json:"type"`
	Text         *string         `json:"text"`
	Source       json.RawMessage `json:"source"`
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Input        json.RawMessage `json:"input"`
	ToolUseID    string          `json:"tool_use_id"`
	Content      json.RawMessage `json:"content"`
	Thinking     string          `json:"thinking"`
	CacheControl json.RawMessage `json:"cache_control"`
	// blankOK allows a whitespace-only text block (one before a tool call
	// in an assistant turn).
	blankOK bool
}

type source struct {
	Type      string `json:"type"`
	MediaType string `json:"media_type"`
	Data      string `json:"data"`
	URL       string `json:"url"`
	FileID    string `json:"file_id"`
}

// parseSystem reads the system prompt: a string or a list of text blocks.
func (p *parser) parseSystem(raw json.RawMessage) error {
	if len(raw) == 0 || isNull(raw) {
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
			return invalid("%s.type: Input should be 'text'", path)
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
func (p *parser) parseMessages(msgs []json.RawMessage, out *params) error {
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
	f := fields{"role": &role, "content": &content, "clear_at": &clearAt, "output_config": &outputConfig}
	if err := decodeObject(raw, path, f); err != nil {
		return inMessage{}, err
	}
	if role == nil {
		return inMessage{}, invalid("%s.role: Field required", path)
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
		return inMessage{}, invalid("%s.content: Field required", path)
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
		return invalid("messages.%d: all messages must have non-empty content except for the optional final assistant message", i)
	}
	return nil
}

func checkTrailingSpace(c stringOrBlocks) error {
	if c.isString && c.text != "" && strings.TrimRight(c.text, " \t\r\n") != c.text {
		return invalid("messages: final assistant content cannot end with trailing whitespace")
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

// decodeBlock reads a block's type and the few fields the mock uses.
func decodeBlock(raw json.RawMessage, path string) (*inBlock, error) {
	var b inBlock
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, typeError(path, err, "Input should be a valid dictionary")
	}
	if b.Type == nil {
		return nil, invalid("%s: Unable to extract tag using discriminator 'type'", path)
	}
	if !contains(blockTypes, *b.Type) {
		return nil, invalid("%s: Input tag '%s' found using 'type' does not match any of the expected tags: %s",
			path, *b.Type, oneOf(blockTypes))
	}
	return &b, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// noCacheControl are the block types whose schema has no cache_control.
var noCacheControl = []string{"thinking", "redacted_thinking", "fallback", "mcp_tool_listing"}

// contentBlock validates one message block and adds it to the prompt. The
// real API's paths name the block's type after its position
// ("messages.1.content.0.tool_use.input: Field required").
func (p *parser) contentBlock(b *inBlock, raw json.RawMessage, path string, msg int) error {
	tagged := path + "." + *b.Type
	if contains(noCacheControl, *b.Type) && len(b.CacheControl) > 0 && !isNull(b.CacheControl) {
		return invalid("%s.cache_control: Extra inputs are not permitted", tagged)
	}
	ttl, err := p.parseCacheControl(b.CacheControl, tagged)
	if err != nil {
		return err
	}
	if err := p.addContent(b, raw, path, msg); err != nil {
		return err
	}
	p.blocks[len(p.blocks)-1].Cache = ttl
	return nil
}

// addContent validates one message block by its type and adds it.
func (p *parser) addContent(b *inBlock, raw json.RawMessage, path string, msg int) error {
	tagged := path + "." + *b.Type
	switch *b.Type {
	case "text":
		return p.textBlock(b, tagged, tokens.Messages, msg)
	case "image":
		return p.imageBlock(b, path, msg)
	case "document":
		return p.documentBlock(b, path, msg)
	case "tool_use":
		if err := checkToolCall(b, tagged); err != nil {
			return err
		}
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindToolUse, Text: compact(b.Input), Message: msg})
	case "server_tool_use":
		if err := checkToolCall(b, tagged); err != nil {
			return err
		}
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindOther, Text: compact(raw), Message: msg})
	case "tool_result":
		if b.ToolUseID == "" {
			return invalid("%s.tool_use_id: Field required", tagged)
		}
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindToolResult, Text: resultText(b.Content), Message: msg})
	case "thinking":
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindThinking, Text: b.Thinking, Message: msg})
	default:
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindOther, Text: compact(raw), Message: msg})
	}
	return nil
}

// checkToolCall requires a tool call's id, input and name, in the order the
// real API reports them; input must be an object.
func checkToolCall(b *inBlock, path string) error {
	switch {
	case b.ID == "":
		return invalid("%s.id: Field required", path)
	case len(b.Input) == 0:
		return invalid("%s.input: Field required", path)
	case bytes.TrimSpace(b.Input)[0] != '{':
		return invalid("%s.input: Input should be a valid dictionary", path)
	case b.Name == "":
		return invalid("%s.name: Field required", path)
	}
	return nil
}

// textBlock checks the real API's rules for text: present, non-empty, not
// only whitespace (unless b.blankOK). path is the block's tagged path.
func (p *parser) textBlock(b *inBlock, path string, section tokens.Section, msg int) error {
	switch {
	case b.Text == nil:
		return invalid("%s.text: Field required", path)
	case *b.Text == "":
		return invalid("%s: text content blocks must be non-empty", sectionName(section))
	case strings.TrimSpace(*b.Text) == "" && !b.blankOK:
		return invalid("%s: text content blocks must contain non-whitespace text", sectionName(section))
	}
	p.add(tokens.Block{Section: section, Kind: tokens.KindText, Text: *b.Text, Message: msg})
	return nil
}

func sectionName(s tokens.Section) string {
	if s == tokens.System {
		return "system"
	}
	return "messages"
}

// imageMediaTypes are the image formats the real API accepts.
var imageMediaTypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp"}

func (p *parser) imageBlock(b *inBlock, path string, msg int) error {
	src, err := decodeSource(b.Source, path+".image.source")
	if err != nil {
		return err
	}
	block := tokens.Block{Section: tokens.Messages, Kind: tokens.KindImage, Message: msg}
	switch src.Type {
	case "base64":
		if !contains(imageMediaTypes, src.MediaType) {
			return invalid("%s.image.source.base64.media_type: Input should be %s", path, oneOf(imageMediaTypes))
		}
		w, h, ok := tokens.ImageSizeBase64(src.MediaType, src.Data)
		if !ok {
			return invalid("%s.image.source.base64.data: The image data could not be decoded as %s", path, src.MediaType)
		}
		block.Width, block.Height = w, h
	case "url", "file":
	default:
		return invalid("%s.image.source: Input tag '%s' found using 'type' does not match any of the expected tags: 'base64', 'url' or 'file'", path, src.Type)
	}
	p.add(block)
	return nil
}

func (p *parser) documentBlock(b *inBlock, path string, msg int) error {
	src, err := decodeSource(b.Source, path+".document.source")
	if err != nil {
		return err
	}
	block := tokens.Block{Section: tokens.Messages, Kind: tokens.KindDocument, Message: msg}
	switch src.Type {
	case "base64":
		if src.MediaType != "application/pdf" {
			return invalid("%s.document.source.base64.media_type: Input should be 'application/pdf'", path)
		}
		block.Pages = tokens.PDFPagesBase64(src.Data)
	case "text":
		block.Kind, block.Text = tokens.KindText, src.Data
	case "content":
		block.Kind, block.Text = tokens.KindOther, compact(b.Source)
	case "url", "file":
	default:
		return invalid("%s.document.source: Input tag '%s' found using 'type' does not match any of the expected tags: 'base64', 'text', 'content', 'url' or 'file'", path, src.Type)
	}
	p.add(block)
	return nil
}

func decodeSource(raw json.RawMessage, path string) (source, error) {
	var src source
	if len(raw) == 0 || isNull(raw) {
		return src, invalid("%s: Field required", path)
	}
	if err := json.Unmarshal(raw, &src); err != nil {
		return src, typeError(path, err, "Input should be a valid dictionary")
	}
	return src, nil
}

// resultText is the countable text of a tool_result's content.
func resultText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return compact(raw)
}

// pairTools applies the real API's tool rules: every tool_use of an
// assistant turn needs a tool_result in the very next message, and every
// tool_result must answer a tool_use of the previous message.
func pairTools(pending []string, role string, uses, results []string, i int) ([]string, error) {
	for _, id := range results {
		if !contains(pending, id) {
			return nil, invalid("messages.%d.content: unexpected `tool_use_id` found in `tool_result` blocks: %s. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.", i, id)
		}
	}
	var missing []string
	for _, id := range pending {
		if !contains(results, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return nil, invalid("messages.%d: `tool_use` ids were found without `tool_result` blocks immediately after: %s. Each `tool_use` block must have a corresponding `tool_result` block in the next message.", i-1, strings.Join(missing, ", "))
	}
	if role == "assistant" {
		return uses, nil
	}
	return nil, nil
}
