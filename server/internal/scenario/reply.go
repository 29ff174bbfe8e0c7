// This file decodes a scenario's scripted replies (`replies:`): answers the
// scenario dictates in place of the ones package generate makes up.

package scenario

import (
	"math"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// replyNames are the keys of a scripted reply (a `replies:` entry);
// contentNames those that say what the reply holds, at least one of which must be set.
var (
	replyNames   = []string{"name", "match", "when", "text", "thinking", "tool_use", "stop_reason", "usage"}
	contentNames = replyNames[3:]
)

// usageNames are the keys of a scripted reply's `usage:` block.
var usageNames = []string{"input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"}

// replies decodes the scripted replies of `replies:`, then checks that names are unique.
func (d *decoder) replies(n *yaml.Node, path string) []Reply {
	return namedList(d, n, path, d.reply, func(r Reply) string { return r.Name })
}

// reply decodes one scripted reply, whose name defaults to its path ("replies[0]").
func (d *decoder) reply(n *yaml.Node, path string) (Reply, bool) {
	r := Reply{Name: path, Line: yamlfile.Resolve(n).Line}
	content := false
	ok := d.Fields(n, path, replyNames, nil, func(name string, val *yaml.Node, p string) bool {
		switch name {
		case "name":
			return d.Str(val, p, &r.Name) && d.nonEmpty(r.Name, p)
		case "match":
			return d.match(val, p, &r.Match)
		case "when":
			return d.when(val, p, &r.When)
		}
		content = true
		return d.replyField(name, val, p, &r)
	})
	if m := yamlfile.Resolve(n); m.Kind == yaml.MappingNode && !content {
		d.Add(m.Line, path, "must set at least one of %s, got none", strings.Join(contentNames, ", "))
		return r, false
	}
	return r, ok
}

// replyField decodes one content field of a scripted reply.
func (d *decoder) replyField(name string, n *yaml.Node, p string, r *Reply) bool {
	switch name {
	case "text":
		return d.text(n, p, &r.Text)
	case "thinking":
		return d.text(n, p, &r.Thinking)
	case "tool_use":
		r.ToolUse = &ToolUse{}
		return d.toolUse(n, p, r.ToolUse)
	case "stop_reason":
		return d.Str(n, p, &r.StopReason) && d.oneOf(r.StopReason, p, stopReasons)
	default:
		return d.usage(n, p, &r.Usage)
	}
}

// text decodes fixed text (a string) or generated text ({length: N}).
func (d *decoder) text(n *yaml.Node, path string, out **Text) bool {
	t := &Text{}
	*out = t
	switch r := yamlfile.Resolve(n); {
	case r.Kind == yaml.MappingNode:
		return d.Fields(n, path, []string{"length"}, []string{"length"}, func(_ string, val *yaml.Node, p string) bool {
			return d.intAtLeast(val, p, 0, &t.Length)
		})
	case r.Kind == yaml.ScalarNode && r.ShortTag() == "!!str":
		return d.Str(n, path, &t.Fixed)
	default:
		if _, more := d.Enter(n, path); more {
			d.Mismatch(r, path, "a string or a mapping with a length")
		}
		return false
	}
}

// toolUse decodes a scripted tool call; input, when given, is kept as the
// JSON object the block will carry.
func (d *decoder) toolUse(n *yaml.Node, path string, t *ToolUse) bool {
	return d.Fields(n, path, []string{"name", "input"}, []string{"name"}, func(name string, val *yaml.Node, p string) bool {
		if name == "name" {
			return d.Str(val, p, &t.Name) && d.nonEmpty(t.Name, p)
		}
		if yamlfile.IsNull(yamlfile.Resolve(val)) {
			return d.OK(val, p)
		}
		t.Input = make(map[string]any)
		return d.object(val, p, t.Input)
	})
}

// object decodes a mapping into a JSON object.
func (d *decoder) object(n *yaml.Node, path string, out map[string]any) bool {
	return d.Entries(n, path, func(key string, val *yaml.Node, p string) bool {
		v, ok := d.json(val, p)
		out[key] = v
		return ok
	})
}

// json decodes any YAML value JSON can carry: mappings, lists, strings,
// finite numbers, booleans and null (a timestamp is kept as its text).
// yaml.v3 lets an alias stand inside its own anchor (&a [*a]), a cycle no
// JSON value can hold, so collections being decoded are tracked in d.inside.
func (d *decoder) json(n *yaml.Node, path string) (any, bool) {
	r := yamlfile.Resolve(n)
	if r.Kind != yaml.MappingNode && r.Kind != yaml.SequenceNode {
		return d.scalarJSON(n, path)
	}
	if d.inside[r] {
		d.Add(n.Line, path, "the alias *%s is inside its own anchor", n.Value)
		return nil, false
	}
	d.inside[r] = true
	defer delete(d.inside, r)
	if r.Kind == yaml.MappingNode {
		m := make(map[string]any)
		return m, d.object(n, path, m)
	}
	l := []any{}
	ok := d.List(n, path, func(_ int, e *yaml.Node, p string) bool {
		v, ok := d.json(e, p)
		l = append(l, v)
		return ok
	})
	return l, ok
}

// scalarJSON decodes a scalar JSON value.
func (d *decoder) scalarJSON(n *yaml.Node, path string) (any, bool) {
	r, more := d.Enter(n, path)
	if !more {
		return nil, false
	}
	if v, ok := jsonScalar(r); ok {
		return v, d.OK(r, path)
	}
	d.Mismatch(r, path, "a JSON value")
	return nil, false
}

// jsonScalar converts a scalar by its tag; false for what JSON cannot
// carry (NaN, infinities, binary, custom tags).
func jsonScalar(n *yaml.Node) (any, bool) {
	var v any
	switch n.ShortTag() {
	case "!!str", "!!timestamp":
		return n.Value, true
	case "!!null":
		return nil, true
	case "!!bool":
		var b bool
		err := n.Decode(&b)
		v = b
		return v, err == nil
	case "!!int":
		var i int64
		err := n.Decode(&i)
		v = i
		return v, err == nil
	case "!!float":
		var f float64
		err := n.Decode(&f)
		v = f
		return v, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	return nil, false
}

// usage decodes a scripted reply's usage overrides, each an int >= 0.
func (d *decoder) usage(n *yaml.Node, path string, u *Usage) bool {
	fields := []**int{&u.InputTokens, &u.OutputTokens, &u.CacheCreationInputTokens, &u.CacheReadInputTokens}
	return d.Fields(n, path, usageNames, nil, func(name string, val *yaml.Node, p string) bool {
		var v int
		if !d.intAtLeast(val, p, 0, &v) {
			return false
		}
		for i, un := range usageNames {
			if un == name {
				*fields[i] = &v
			}
		}
		return true
	})
}
