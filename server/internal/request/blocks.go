package request

import (
	"encoding/json"
	"strings"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/jsonscan"
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
// type has its own fields and the mock only reads a few of them: unknown
// keys are passed over, and keys match the names below exactly or under
// case folding, as json.Unmarshal matched the struct this once was.
type inBlock struct {
	Type, Text       string
	hasType, hasText bool // false when absent or null
	// Source, Input, Content and CacheControl are JSON texts ("" when
	// absent; "null" when null).
	Source, Input, Content, CacheControl string
	// ID, Name, ToolUseID and Thinking are "" when absent or null.
	ID, Name, ToolUseID, Thinking string
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

// decodeBlock reads a block's type and the few fields the mock uses.
func decodeBlock(raw string, l loc) (inBlock, error) {
	var b inBlock
	switch {
	case raw[0] == '{':
		if field := b.read(raw); field != "" {
			return b, apierror.Invalid("%s.%s: Input should be a valid string", l, field)
		}
	case raw != "null": // null decodes as an object without keys
		return b, apierror.Invalid("%s: Input should be a valid dictionary", l)
	}
	if !b.hasType {
		return b, apierror.Invalid("%s: Unable to extract tag using discriminator 'type'", l)
	}
	if !contains(blockTypes, b.Type) {
		return b, apierror.Invalid("%s: Input tag '%s' found using 'type' does not match any of the expected tags: %s",
			l, b.Type, oneOf(blockTypes))
	}
	return b, nil
}

// read fills b from the object text obj; it returns the field of the
// first value of the wrong type, "" when there is none.
func (b *inBlock) read(obj string) string {
	it := jsonscan.Members(obj)
	for {
		key, v, ok := it.Next()
		if !ok {
			return ""
		}
		if field := blockField(key); field != "" && !b.set(field, v) {
			return field
		}
	}
}

// blockField is the field of inBlock a key sets, "" for none.
func blockField(key string) string {
	switch key {
	case "type", "text", "source", "id", "name", "input", "tool_use_id", "content", "thinking", "cache_control":
		return key
	}
	return fieldOf(key, "type", "text", "source", "id", "name", "input", "tool_use_id", "content", "thinking", "cache_control")
}

// set stores the value text v of field; false when v is of the wrong type.
func (b *inBlock) set(field, v string) bool {
	switch field {
	case "type":
		return setOptional(&b.Type, &b.hasType, v)
	case "text":
		return setOptional(&b.Text, &b.hasText, v)
	case "source":
		b.Source = v
	case "input":
		b.Input = v
	case "content":
		b.Content = v
	case "cache_control":
		b.CacheControl = v
	case "id":
		return setString(&b.ID, v)
	case "name":
		return setString(&b.Name, v)
	case "tool_use_id":
		return setString(&b.ToolUseID, v)
	case "thinking":
		return setString(&b.Thinking, v)
	}
	return true
}

// setOptional reads a string that null unsets (a *string field).
func setOptional(dst *string, has *bool, v string) bool {
	switch {
	case v == "null":
		*dst, *has = "", false
	case v[0] == '"':
		*dst, *has = jsonscan.Unquote(v), true
	default:
		return false
	}
	return true
}

// setString reads a string that null leaves as it was (a string field).
func setString(dst *string, v string) bool {
	switch {
	case v == "null":
	case v[0] == '"':
		*dst = jsonscan.Unquote(v)
	default:
		return false
	}
	return true
}

// lenientType is the type of a block as json.Unmarshal read it into a
// struct with only a string type field: the last string given (null
// changes nothing), and false when the block is no object or null, or a
// type is no string.
func lenientType(raw string) (string, bool) {
	if raw[0] != '{' {
		return "", raw == "null"
	}
	typ, ok := "", true
	it := jsonscan.Members(raw)
	for key, v, more := it.Next(); more; key, v, more = it.Next() {
		if key == "type" || fieldOf(key, "type") != "" {
			ok = setString(&typ, v) && ok
		}
	}
	return typ, ok
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
func (p *parser) contentBlock(b *inBlock, raw string, l loc, msg int) error {
	tagged := l.tagged(b.Type)
	if contains(noCacheControl, b.Type) && !isNull(b.CacheControl) {
		return apierror.Invalid("%s.cache_control: Extra inputs are not permitted", tagged)
	}
	ttl, err := p.parseCacheControl(b.CacheControl, tagged)
	if err != nil {
		return err
	}
	if err := p.addContent(b, raw, l, msg); err != nil {
		return err
	}
	p.blocks[len(p.blocks)-1].Cache = ttl
	return nil
}

// addContent validates one message block by its type and adds it.
func (p *parser) addContent(b *inBlock, raw string, l loc, msg int) error {
	tagged := l.tagged(b.Type)
	switch b.Type {
	case "text":
		return p.textBlock(b, tagged, tokens.Messages, msg)
	case "image":
		return p.imageBlock(b, l.String(), msg)
	case "document":
		return p.documentBlock(b, l.String(), msg)
	case "tool_use":
		if err := checkToolCall(b, tagged); err != nil {
			return err
		}
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindToolUse, Text: jsonscan.Compact(b.Input), Message: msg})
	case "server_tool_use":
		if err := checkToolCall(b, tagged); err != nil {
			return err
		}
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindOther, Text: jsonscan.Compact(raw), Message: msg})
	case "tool_result":
		if b.ToolUseID == "" {
			return apierror.Invalid("%s.tool_use_id: Field required", tagged)
		}
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindToolResult, Text: resultText(b.Content), Message: msg})
	case "thinking":
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindThinking, Text: b.Thinking, Message: msg})
	default:
		p.add(tokens.Block{Section: tokens.Messages, Kind: tokens.KindOther, Text: jsonscan.Compact(raw), Message: msg})
	}
	return nil
}

// checkToolCall requires a tool call's id, input and name, in the order the
// real API reports them; input must be an object.
func checkToolCall(b *inBlock, path loc) error {
	switch {
	case b.ID == "":
		return apierror.Invalid("%s.id: Field required", path)
	case b.Input == "":
		return apierror.Invalid("%s.input: Field required", path)
	case b.Input[0] != '{':
		return apierror.Invalid("%s.input: Input should be a valid dictionary", path)
	case b.Name == "":
		return apierror.Invalid("%s.name: Field required", path)
	}
	return nil
}

// textBlock checks the real API's rules for text: present, non-empty, not
// only whitespace (unless b.blankOK). path is the block's tagged path.
func (p *parser) textBlock(b *inBlock, path loc, section tokens.Section, msg int) error {
	switch {
	case !b.hasText:
		return apierror.Invalid("%s.text: Field required", path)
	case b.Text == "":
		return apierror.Invalid("%s: text content blocks must be non-empty", sectionName(section))
	case strings.TrimSpace(b.Text) == "" && !b.blankOK:
		return apierror.Invalid("%s: text content blocks must contain non-whitespace text", sectionName(section))
	}
	p.add(tokens.Block{Section: section, Kind: tokens.KindText, Text: b.Text, Message: msg})
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
	src, err := decodeSource(rawJSON(b.Source), path+".image.source")
	if err != nil {
		return err
	}
	block := tokens.Block{Section: tokens.Messages, Kind: tokens.KindImage, Message: msg}
	switch src.Type {
	case "base64":
		if !contains(imageMediaTypes, src.MediaType) {
			return apierror.Invalid("%s.image.source.base64.media_type: Input should be %s", path, oneOf(imageMediaTypes))
		}
		w, h, ok := tokens.ImageSizeBase64(src.MediaType, src.Data)
		if !ok {
			return apierror.Invalid("%s.image.source.base64.data: The image data could not be decoded as %s", path, src.MediaType)
		}
		block.Width, block.Height = w, h
	case "file":
		if err := p.imageFile(&block, src, path); err != nil {
			return err
		}
	case "url":
	default:
		return apierror.Invalid("%s.image.source: Input tag '%s' found using 'type' does not match any of the expected tags: 'base64', 'url' or 'file'", path, src.Type)
	}
	p.add(block)
	return nil
}

func (p *parser) documentBlock(b *inBlock, path string, msg int) error {
	src, err := decodeSource(rawJSON(b.Source), path+".document.source")
	if err != nil {
		return err
	}
	block := tokens.Block{Section: tokens.Messages, Kind: tokens.KindDocument, Message: msg}
	switch src.Type {
	case "base64":
		if src.MediaType != "application/pdf" {
			return apierror.Invalid("%s.document.source.base64.media_type: Input should be 'application/pdf'", path)
		}
		block.Pages = tokens.PDFPagesBase64(src.Data)
	case "text":
		block.Kind, block.Text = tokens.KindText, src.Data
	case "content":
		block.Kind, block.Text = tokens.KindOther, jsonscan.Compact(b.Source)
	case "file":
		if err := p.documentFile(&block, src, path); err != nil {
			return err
		}
	case "url":
	default:
		return apierror.Invalid("%s.document.source: Input tag '%s' found using 'type' does not match any of the expected tags: 'base64', 'text', 'content', 'url' or 'file'", path, src.Type)
	}
	p.add(block)
	return nil
}

func decodeSource(raw json.RawMessage, path string) (source, error) {
	var src source
	if len(raw) == 0 || IsNull(raw) {
		return src, apierror.Invalid("%s: Field required", path)
	}
	if err := json.Unmarshal(raw, &src); err != nil {
		return src, TypeError(path, err, "Input should be a valid dictionary")
	}
	return src, nil
}

// resultText is the countable text of a tool_result's content: its string,
// or its JSON text (a list of blocks); "" when absent or null.
func resultText(v string) string {
	switch {
	case isNull(v):
		return ""
	case v[0] == '"':
		return jsonscan.Unquote(v)
	}
	return jsonscan.Compact(v)
}
