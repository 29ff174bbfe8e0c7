package differential_test

import (
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"sort"
	"strings"
)

// The shape of a JSON document is a set of lines "path: type" or
// "path: type=value"; README.md defines them. The extractor that wrote
// testdata/ computes them the same way from the recorded bodies.
var (
	// enumKeys are the keys whose string values are an enumeration, so the
	// value is part of the shape.
	enumKeys = map[string]bool{"type": true, "role": true, "stop_reason": true, "service_tier": true,
		"inference_geo": true, "speed": true}
	// opaqueKeys hold data the model chose (a tool's input); only their
	// type is compared.
	opaqueKeys = map[string]bool{"input": true}
	// discriminated keys hold one object whose type names it in the path.
	discriminated = map[string]bool{"content_block": true, "delta": true}
)

// decode parses JSON keeping the integer / number distinction.
func decode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		if strings.ContainsAny(string(x), ".eE") {
			return "number"
		}
		return "integer"
	case string:
		return "string"
	case []any:
		return "array"
	default:
		return "object"
	}
}

func shapeLine(path, key string, v any) string {
	line := path + ": " + jsonType(v)
	if s, ok := v.(string); ok && enumKeys[key] {
		line += "=" + s
	}
	return line
}

// typeOf is the "type" member of an object, when it is a string.
func typeOf(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	t, ok := m["type"].(string)
	return t, ok
}

// walk adds the lines of v, found at path, to out.
func walk(v any, path string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			seg := k
			if t, ok := typeOf(child); ok && discriminated[k] {
				seg = k + "[" + t + "]"
			}
			p := seg
			if path != "" {
				p = path + "." + seg
			}
			out[shapeLine(p, k, child)] = true
			if !opaqueKeys[k] {
				walk(child, p, out)
			}
		}
	case []any:
		for _, child := range x {
			p := path + "[]"
			if t, ok := typeOf(child); ok {
				p = path + "[" + t + "]"
			}
			out[shapeLine(p, "", child)] = true
			walk(child, p, out)
		}
	}
}

// prune drops an object or array line when a line below it implies it.
func prune(lines map[string]bool) []string {
	paths := map[string]bool{}
	for l := range lines {
		paths[pathOf(l)] = true
	}
	var out []string
	for l := range lines {
		p, t := splitLine(l)
		if (t == "object" || t == "array") && hasChild(paths, p) {
			continue
		}
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

func hasChild(paths map[string]bool, p string) bool {
	for q := range paths {
		if strings.HasPrefix(q, p+".") || strings.HasPrefix(q, p+"[") {
			return true
		}
	}
	return false
}

func splitLine(l string) (path, typ string) {
	path, typ, _ = strings.Cut(l, ": ")
	return path, typ
}

func pathOf(l string) string { p, _ := splitLine(l); return p }

// shapeOf is the pruned shape of one JSON document.
func shapeOf(v any) []string {
	lines := map[string]bool{}
	walk(v, "", lines)
	return prune(lines)
}

// event is one server-sent event: its name and its data, decoded.
type event struct {
	name string
	data any
}

var blankLine = regexp.MustCompile(`\r?\n\r?\n`)

// parseSSE splits a stream body into its events.
func parseSSE(body string) []event {
	var events []event
	for _, chunk := range blankLine.Split(body, -1) {
		var name string
		var data []string
		for _, l := range strings.Split(chunk, "\n") {
			l = strings.TrimRight(l, "\r")
			switch {
			case strings.HasPrefix(l, "event:"):
				name = strings.TrimSpace(l[6:])
			case strings.HasPrefix(l, "data:"):
				data = append(data, strings.TrimSpace(l[5:]))
			}
		}
		if name == "" && len(data) == 0 {
			continue
		}
		v, _ := decode([]byte(strings.Join(data, "\n")))
		if name == "" {
			name, _ = typeOf(v)
		}
		events = append(events, event{name: name, data: v})
	}
	return events
}

// sse is what the event order of a stream looks like: the frame (blocks
// folded into "block+"), the event the first ping follows, and each block
// type's own event sequence.
type sse struct {
	Frame  string            `yaml:"frame"`
	Ping   string            `yaml:"ping"`
	Blocks map[string]string `yaml:"blocks"`
}

func token(e event) string {
	m, _ := e.data.(map[string]any)
	switch e.name {
	case "content_block_start":
		t, _ := typeOf(m["content_block"])
		return "content_block_start[" + t + "]"
	case "content_block_delta":
		t, _ := typeOf(m["delta"])
		return "content_block_delta[" + t + "]"
	}
	return e.name
}

// collapse folds runs of deltas (and of blocks) into one token with "+".
func collapse(tokens []string) []string {
	var out []string
	for _, t := range tokens {
		if strings.HasPrefix(t, "content_block_delta") || t == "block" {
			t += "+"
			if len(out) > 0 && out[len(out)-1] == t {
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// pingAfter names the event (without its block type) the first ping follows.
func pingAfter(tokens []string) string {
	for i, t := range tokens {
		if t != "ping" {
			continue
		}
		if i == 0 {
			return "start"
		}
		prev, _, _ := strings.Cut(tokens[i-1], "[")
		return prev
	}
	return "none"
}

// streamShape is the event order, the union of the events' shapes and the
// message the events add up to.
func streamShape(events []event) (sse, []string, map[string]any) {
	tokens := make([]string, len(events))
	lines := map[string]bool{}
	for i, e := range events {
		tokens[i] = token(e)
		if e.data != nil && e.name != "ping" {
			walk(e.data, e.name, lines)
		}
	}
	return eventOrder(tokens), prune(lines), accumulate(events)
}

// eventOrder folds a stream's tokens into its frame, its ping position and
// each block type's own sequence.
func eventOrder(tokens []string) sse {
	out := sse{Ping: pingAfter(tokens), Blocks: map[string]string{}}
	var frame, cur []string
	var btype string
	for _, t := range tokens {
		switch {
		case t == "ping":
		case strings.HasPrefix(t, "content_block_start["):
			btype, cur = t[len("content_block_start["):len(t)-1], []string{t}
		case cur != nil:
			cur = append(cur, t)
			if t == "content_block_stop" {
				if _, ok := out.Blocks[btype]; !ok {
					out.Blocks[btype] = strings.Join(collapse(cur), " ")
				}
				frame, cur = append(frame, "block"), nil
			}
		default:
			frame = append(frame, t)
		}
	}
	out.Frame = strings.Join(collapse(frame), " ")
	return out
}

// accumulate adds the events up to a message: its content blocks (text
// joined) and its stop reason, enough for the block list and the text.
func accumulate(events []event) map[string]any {
	var msg map[string]any
	var content []any
	for _, e := range events {
		m, _ := e.data.(map[string]any)
		switch e.name {
		case "message_start":
			msg, _ = m["message"].(map[string]any)
		case "content_block_start":
			b, _ := m["content_block"].(map[string]any)
			content = append(content, copyMap(b))
		case "content_block_delta":
			if len(content) == 0 {
				continue
			}
			b := content[len(content)-1].(map[string]any)
			if d, _ := m["delta"].(map[string]any); d["type"] == "text_delta" {
				text, _ := b["text"].(string)
				add, _ := d["text"].(string)
				b["text"] = text + add
			}
		}
	}
	if msg == nil {
		return nil
	}
	msg = copyMap(msg)
	msg["content"] = content
	return msg
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// blockList is the types of a message's content blocks, in order.
func blockList(msg map[string]any) []string {
	blocks, _ := msg["content"].([]any)
	out := []string{}
	for _, b := range blocks {
		if t, ok := typeOf(b); ok {
			out = append(out, t)
		}
	}
	return out
}

// jsonText reports whether the first text block is one JSON document.
func jsonText(msg map[string]any) bool {
	blocks, _ := msg["content"].([]any)
	for _, b := range blocks {
		if t, _ := typeOf(b); t == "text" {
			text, _ := b.(map[string]any)["text"].(string)
			d := json.NewDecoder(strings.NewReader(text))
			var v any
			if d.Decode(&v) != nil || d.Decode(new(any)) != io.EOF {
				return false
			}
			switch v.(type) {
			case map[string]any, []any:
				return true
			}
			return false
		}
	}
	return false
}
