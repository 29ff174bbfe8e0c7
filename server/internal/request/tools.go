package request

import (
	"slices"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/jsonscan"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// validToolName applies the real API's pattern for custom tool names,
// ^[a-zA-Z0-9_-]{1,128}$ (its characters are ASCII, so bytes count them).
func validToolName(name string) bool {
	if len(name) < 1 || len(name) > 128 {
		return false
	}
	for _, c := range []byte(name) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// parseTools validates tool definitions and tool_choice.
func (p *parser) parseTools(raw *rawParams, out *Request) error {
	it := raw.Tools.elems()
	for i := 0; ; i++ {
		rawTool, ok := it.Elem()
		if !ok {
			break
		}
		tool, err := p.parseTool(rawTool, i)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(out.Tools, func(t Tool) bool { return t.Name == tool.Name }) {
			return apierror.Invalid("tools: Tool names must be unique.")
		}
		out.Tools = append(out.Tools, tool)
		p.add(tokens.Block{Section: tokens.Tools, Kind: tokens.KindToolDefinition, Text: jsonscan.Compact(rawTool), Message: -1, Cache: tool.cache})
	}
	return p.parseToolChoice(raw.ToolChoice, out)
}

// toolDef is a tool definition as far as the mock reads it, decoded
// leniently as json.Unmarshal decoded the struct it once was: unknown keys
// passed over, names matched exactly or under case folding.
type toolDef struct {
	Type, Name                string // Type "" when absent or null
	hasName                   bool   // false when absent or null
	InputSchema, CacheControl string // JSON texts, "" when absent
}

// read fills t from the object text obj; it returns the field of the
// first value of the wrong type, "" when there is none.
func (t *toolDef) read(obj string) string {
	it := jsonscan.Members(obj)
	for key, v, ok := it.Next(); ok; key, v, ok = it.Next() {
		field := key
		switch key {
		case "type", "name", "input_schema", "cache_control":
		default:
			field = fieldOf(key, "type", "name", "input_schema", "cache_control")
		}
		switch field {
		case "type":
			ok = setString(&t.Type, v)
		case "name":
			ok = setOptional(&t.Name, &t.hasName, v)
		case "input_schema":
			t.InputSchema = v
		case "cache_control":
			t.CacheControl = v
		}
		if !ok {
			return field
		}
	}
	return ""
}

func (p *parser) parseTool(raw string, i int) (Tool, error) {
	var t toolDef
	l := toolLoc(i)
	switch {
	case raw[0] == '{':
		if field := t.read(raw); field != "" {
			return Tool{}, apierror.Invalid("%s.%s: Input should be a valid string", l, field)
		}
	case raw != "null": // null decodes as an object without keys
		return Tool{}, apierror.Invalid("%s: Input should be a valid dictionary", l)
	}
	if t.Type == "" || t.Type == "custom" {
		l.tag = "custom"
		switch {
		case !t.hasName:
			return Tool{}, apierror.Invalid("%s.name: Field required", l)
		case !validToolName(t.Name):
			return Tool{}, apierror.Invalid("%s.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'", l)
		case isNull(t.InputSchema):
			return Tool{}, apierror.Invalid("%s.input_schema: Field required", l)
		}
	} else {
		l.tag = t.Type
		if !t.hasName {
			return Tool{}, apierror.Invalid("%s.name: Field required", l)
		}
	}
	ttl, err := p.parseCacheControl(t.CacheControl, l)
	if err != nil {
		return Tool{}, err
	}
	return Tool{Name: t.Name, Type: t.Type, Schema: rawJSON(t.InputSchema), cache: ttl}, nil
}

// parseToolChoice validates tool_choice: a tagged object, each type with
// its keys. A forced one needs tools ("tool_choice.any may only be
// specified while providing tools" is the recorded real wording); auto and
// none without tools are accepted, since no recording shows them refused.
func (p *parser) parseToolChoice(v string, out *Request) error {
	if isNull(v) {
		out.ToolChoice = ToolChoice{Type: "auto"}
		return nil
	}
	typ, sub, fault := unionTag(v)
	switch {
	case fault != "":
		return apierror.Invalid("tool_choice%s: %s", sub, fault)
	case typ != "auto" && typ != "any" && typ != "none" && typ != "tool":
		return apierror.Invalid("tool_choice: Input tag '%s' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool' or 'none'", typ)
	}
	var buf [4]member
	ms := members(v, buf[:0])
	if bad, fault := strictFault(ms, func(key string) (kind, bool) {
		switch key {
		case "type":
			return anyValue, true
		case "disable_parallel_tool_use":
			return boolValue, typ != "none"
		}
		return stringValue, key == "name" && typ == "tool"
	}); fault != "" {
		return apierror.Invalid("tool_choice.%s.%s: %s", typ, bad, fault)
	}
	return p.chooseTool(ToolChoice{Type: typ}, messageValue(ms, "name"), out)
}

// chooseTool checks a tool_choice against the tools: the name (the JSON
// text of a type "tool"'s, "" when absent) must name one of them.
func (p *parser) chooseTool(tc ToolChoice, name string, out *Request) error {
	if tc.Type == "tool" && name == "" {
		return apierror.Invalid("tool_choice.tool.name: Field required")
	}
	if tc.forced() && len(out.Tools) == 0 {
		return apierror.Invalid("tool_choice.%s may only be specified while providing tools", tc.Type)
	}
	if name != "" {
		tc.Name = jsonscan.Unquote(name)
		if !slices.ContainsFunc(out.Tools, func(t Tool) bool { return t.Name == tc.Name }) {
			return apierror.Invalid("tool_choice.name: Tool '%s' not found in tools", tc.Name)
		}
	}
	out.ToolChoice = tc
	return nil
}
