package request

import (
	"encoding/json"
	"regexp"
	"slices"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// toolName is the real API's pattern for custom tool names.
var toolName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)

// parseTools validates tool definitions and tool_choice.
func (p *parser) parseTools(raw *rawParams, out *Request) error {
	for i, rawTool := range raw.Tools {
		tool, err := p.parseTool(rawTool, i)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(out.Tools, func(t Tool) bool { return t.Name == tool.Name }) {
			return apierror.Invalid("tools: Tool names must be unique.")
		}
		out.Tools = append(out.Tools, tool)
		p.add(tokens.Block{Section: tokens.Tools, Kind: tokens.KindToolDefinition, Text: compact(rawTool), Message: -1, Cache: tool.cache})
	}
	return p.parseToolChoice(raw.ToolChoice, out)
}

func (p *parser) parseTool(raw json.RawMessage, i int) (Tool, error) {
	var t struct {
		Type         string          `json:"type"`
		Name         *string         `json:"name"`
		InputSchema  json.RawMessage `json:"input_schema"`
		CacheControl json.RawMessage `json:"cache_control"`
	}
	path := "tools." + itoa(i)
	if err := json.Unmarshal(raw, &t); err != nil {
		return Tool{}, TypeError(path, err, "Input should be a valid dictionary")
	}
	if t.Type == "" || t.Type == "custom" {
		path += ".custom"
		switch {
		case t.Name == nil:
			return Tool{}, apierror.Invalid("%s.name: Field required", path)
		case !toolName.MatchString(*t.Name):
			return Tool{}, apierror.Invalid("%s.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'", path)
		case len(t.InputSchema) == 0 || IsNull(t.InputSchema):
			return Tool{}, apierror.Invalid("%s.input_schema: Field required", path)
		}
	} else {
		path += "." + t.Type
		if t.Name == nil {
			return Tool{}, apierror.Invalid("%s.name: Field required", path)
		}
	}
	ttl, err := p.parseCacheControl(t.CacheControl, path)
	if err != nil {
		return Tool{}, err
	}
	return Tool{Name: *t.Name, Type: t.Type, Schema: t.InputSchema, cache: ttl}, nil
}

// toolChoiceFields are the keys each tool_choice type takes.
func toolChoiceFields(tc *ToolChoice, name **string) (Fields, error) {
	f := Fields{"type": nil, "disable_parallel_tool_use": new(*bool)}
	switch tc.Type {
	case "auto", "any":
	case "none":
		delete(f, "disable_parallel_tool_use")
	case "tool":
		f["name"] = name
	default:
		return nil, apierror.Invalid("tool_choice: Input tag '%s' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool' or 'none'", tc.Type)
	}
	return f, nil
}

// parseToolChoice validates tool_choice: a tagged object. A forced one
// needs tools ("tool_choice.any may only be specified while providing
// tools" is the recorded real wording); auto and none without tools are
// accepted, since no recording shows them refused.
func (p *parser) parseToolChoice(raw json.RawMessage, out *Request) error {
	if len(raw) == 0 || IsNull(raw) {
		out.ToolChoice = ToolChoice{Type: "auto"}
		return nil
	}
	var tc ToolChoice
	var name *string
	if err := decodeTag(raw, "tool_choice", &tc.Type); err != nil {
		return err
	}
	f, err := toolChoiceFields(&tc, &name)
	if err != nil {
		return err
	}
	if err := DecodeObject(raw, "tool_choice."+tc.Type, f); err != nil {
		return err
	}
	if tc.Type == "tool" && name == nil {
		return apierror.Invalid("tool_choice.tool.name: Field required")
	}
	if tc.forced() && len(out.Tools) == 0 {
		return apierror.Invalid("tool_choice.%s may only be specified while providing tools", tc.Type)
	}
	if name != nil {
		tc.Name = *name
		if !slices.ContainsFunc(out.Tools, func(t Tool) bool { return t.Name == tc.Name }) {
			return apierror.Invalid("tool_choice.name: Tool '%s' not found in tools", tc.Name)
		}
	}
	out.ToolChoice = tc
	return nil
}
