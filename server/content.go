package server

import (
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
		ttl, err := p.parseCacheControl(b.CacheControl, path+".cache_control")
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

// parseMessages validates every message and the pairing of tool_use and
// tool_result blocks between consecutive turns.
func (p *parser) parseMessages(msgs []json.RawMessage, out *params) error {
	var pending []string // tool_use ids the previous assistant turn left open
	for i, rawMsg := range msgs {
		role, content, err := decodeMessage(rawMsg, i)
		if err != nil {
			return err
		}
		final := i == len(msgs)-1
		if err := p.checkNonEmpty(content, i, final && role == "assistant"); err != nil {
			return err
		}
		uses, results, err := p.messageBlocks(content, i)
		if err != nil {
			return err
		}
		if pending, err = pairTools(pending, role, uses, results, i); err != nil {
			return err
		}
		if final && role == "assistant" {
			if err := checkTrailingSpace(content); err != nil {
				return err
			}
		}
		out.lastRole = role
	}
	return nil
}

func decodeMessage(raw json.RawMessage, i int) (string, stringOrBlocks, error) {
	path := "messages." + itoa(i)
	var role *string
	var content json.RawMessage
	if err := decodeObject(raw, path, fields{"role": &role, "content": &content}); err != nil {
		return "", stringOrBlocks{}, err
	}
	if role == nil {
		return "", stringOrBlocks{}, invalid("%s.role: Field required", path)
	}
	if *role != "user" && *role != "assistant" {
		return "", stringOrBlocks{}, invalid("%s.role: Input should be 'user' or 'assistant'", path)
	}
	if content == nil {
		return "", stringOrBlocks{}, invalid("%s.content: Field required", path)
	}
	parsed, err := parseContent(content, path+".content")
	return *role, parsed, err
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

// messageBlocks turns one message's content into prompt blocks and returns
// the tool_use ids it opens and the tool_result ids it answers.
func (p *parser) messageBlocks(c stringOrBlocks, i int) (uses, results []string, err error) {
	if c.isString {
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindText, Text: c.text, Message: i})
		return nil, nil, nil
	}
	for j, rawBlock := range c.blocks {
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
		if err := p.contentBlock(b, rawBlock, path, i); err != nil {
			return nil, nil, err
		}
	}
	return uses, results, nil
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

// contentBlock validates one message block and adds it to the prompt.
func (p *parser) contentBlock(b *inBlock, raw json.RawMessage, path string, msg int) error {
	ttl, err := p.parseCacheControl(b.CacheControl, path+".cache_control")
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
	switch *b.Type {
	case "text":
		return p.textBlock(b, path, tokens.Messages, msg)
	case "image":
		return p.imageBlock(b, path, msg)
	case "document":
		return p.documentBlock(b, path, msg)
	case "tool_use":
		if b.ID == "" || b.Name == "" {
			return invalid("%s.tool_use: id, name and input are required", path)
		}
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindToolUse, Text: compact(b.Input), Message: msg})
	case "tool_result":
		if b.ToolUseID == "" {
			return invalid("%s.tool_result.tool_use_id: Field required", path)
		}
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindToolResult, Text: resultText(b.Content), Message: msg})
	case "thinking":
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindThinking, Text: b.Thinking, Message: msg})
	default:
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindOther, Text: compact(raw), Message: msg})
	}
	return nil
}

// textBlock checks the real API's rules for text: present, non-empty, not
// only whitespace.
func (p *parser) textBlock(b *inBlock, path string, section tokens.Section, msg int) error {
	switch {
	case b.Text == nil:
		return invalid("%s.text: Field required", path)
	case *b.Text == "":
		return invalid("%s: text content blocks must be non-empty", sectionName(section))
	case strings.TrimSpace(*b.Text) == "":
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
