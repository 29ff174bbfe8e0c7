package request

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/claudemock/claudemock/server/internal/apierror"
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

// decodeBlock reads a block's type and the few fields the mock uses.
func decodeBlock(raw json.RawMessage, path string) (*inBlock, error) {
	var b inBlock
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, TypeError(path, err, "Input should be a valid dictionary")
	}
	if b.Type == nil {
		return nil, apierror.Invalid("%s: Unable to extract tag using discriminator 'type'", path)
	}
	if !contains(blockTypes, *b.Type) {
		return nil, apierror.Invalid("%s: Input tag '%s' found using 'type' does not match any of the expected tags: %s",
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
	if contains(noCacheControl, *b.Type) && len(b.CacheControl) > 0 && !IsNull(b.CacheControl) {
		return apierror.Invalid("%s.cache_control: Extra inputs are not permitted", tagged)
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
			return apierror.Invalid("%s.tool_use_id: Field required", tagged)
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
		return apierror.Invalid("%s.id: Field required", path)
	case len(b.Input) == 0:
		return apierror.Invalid("%s.input: Field required", path)
	case bytes.TrimSpace(b.Input)[0] != '{':
		return apierror.Invalid("%s.input: Input should be a valid dictionary", path)
	case b.Name == "":
		return apierror.Invalid("%s.name: Field required", path)
	}
	return nil
}

// textBlock checks the real API's rules for text: present, non-empty, not
// only whitespace (unless b.blankOK). path is the block's tagged path.
func (p *parser) textBlock(b *inBlock, path string, section tokens.Section, msg int) error {
	switch {
	case b.Text == nil:
		return apierror.Invalid("%s.text: Field required", path)
	case *b.Text == "":
		return apierror.Invalid("%s: text content blocks must be non-empty", sectionName(section))
	case strings.TrimSpace(*b.Text) == "" && !b.blankOK:
		return apierror.Invalid("%s: text content blocks must contain non-whitespace text", sectionName(section))
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
	src, err := decodeSource(b.Source, path+".document.source")
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
		block.Kind, block.Text = tokens.KindOther, compact(b.Source)
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
