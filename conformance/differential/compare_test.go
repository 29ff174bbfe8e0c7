package differential_test

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// answer is what the mock sent for one exchange, reduced to shapes.
type answer struct {
	status  int
	headers []string // API header names, lowercase, sorted
	shape   []string
	sse     *sse
	blocks  []string
	json    bool
	message bool   // the answer is a message (blocks and json are meaningful)
	err     string // an error body's "type: message"
	body    any    // the decoded JSON body
}

// difference is one way the mock's answer differs from a recording.
type difference struct {
	Kind     string // status, missing, extra, type, value, blocks, json_text, sse-frame, sse-ping, sse-block, header-missing, header-extra
	Path     string // the key path, block type or header name concerned
	Recorded string
	Mock     string
}

func (d difference) String() string {
	return fmt.Sprintf("%s %s: recorded %q, mock %q", d.Kind, d.Path, d.Recorded, d.Mock)
}

// edgeHeaders are set by the network in front of the real API (Cloudflare,
// Envoy, HTTP framing) or by the recording tool, not by the API: they are
// not compared.
var edgeHeaders = regexp.MustCompile(`^(cf-|x-envoy|x-cloud|alt-svc$|server$|via$|date$|connection$|` +
	`transfer-encoding$|content-length$|content-encoding$|vary$|strict-transport-security$|` +
	`content-security-policy$|x-robots-tag$|traceresponse$|server-timing$|set-cookie$|cache-status$|x-kong|` +
	`nel$|report-to$|keep-alive$|x-vcr|age$|expires$|etag$|last-modified$)`)

// rateLimitHeaders is what "anthropic-ratelimit-*" stands for in testdata.
var rateLimitHeaders = func() []string {
	var out []string
	for _, d := range []string{"input-tokens", "output-tokens", "requests", "tokens"} {
		for _, f := range []string{"limit", "remaining", "reset"} {
			out = append(out, "anthropic-ratelimit-"+d+"-"+f)
		}
	}
	return out
}()

func expandHeaders(names []string) []string {
	var out []string
	for _, n := range names {
		if n == "anthropic-ratelimit-*" {
			out = append(out, rateLimitHeaders...)
			continue
		}
		out = append(out, n)
	}
	return out
}

// byPath groups shape lines by path: path -> sorted "type[=value]" set.
func byPath(lines []string) map[string][]string {
	out := map[string][]string{}
	for _, l := range lines {
		p, t := splitLine(l)
		out[p] = append(out[p], t)
	}
	for _, ts := range out {
		sort.Strings(ts)
	}
	return out
}

// deltaBlock is the block type each delta type belongs to.
var deltaBlock = map[string]string{"text_delta": "text", "citations_delta": "text", "input_json_delta": "tool_use",
	"thinking_delta": "thinking", "signature_delta": "thinking"}

var blockTypes = map[string]bool{"text": true, "tool_use": true, "thinking": true, "redacted_thinking": true}

var segmentRE = regexp.MustCompile(`\[([a-z_]+)\]`)

// blocksOf names the content-block types a path belongs to.
func blocksOf(path string) []string {
	var out []string
	for _, m := range segmentRE.FindAllStringSubmatch(path, -1) {
		if b, ok := deltaBlock[m[1]]; ok {
			out = append(out, b)
		} else if blockTypes[m[1]] {
			out = append(out, m[1])
		}
	}
	return out
}

// shared reports whether every block type the path belongs to is in both
// answers: a block only one side has is reported once, as "blocks".
func shared(path string, a, b []string) bool {
	for _, t := range blocksOf(path) {
		if !slices.Contains(a, t) || !slices.Contains(b, t) {
			return false
		}
	}
	return true
}

// compareShapes lists the key paths that are missing, extra, of another
// type or of another enumerated value.
func compareShapes(rec, mock []string, recBlocks, mockBlocks []string, partial bool) []difference {
	r, m := byPath(rec), byPath(mock)
	var out []difference
	for p, rt := range r {
		if !shared(p, recBlocks, mockBlocks) {
			continue
		}
		mt, ok := m[p]
		switch {
		case !ok && impliedIn(m, p, rt):
		case !ok:
			out = append(out, difference{Kind: "missing", Path: p, Recorded: strings.Join(rt, "|")})
		case !slices.Equal(rt, mt):
			kind := "value"
			if !slices.Equal(typesOnly(rt), typesOnly(mt)) {
				kind = "type"
			}
			out = append(out, difference{Kind: kind, Path: p, Recorded: strings.Join(rt, "|"), Mock: strings.Join(mt, "|")})
		}
	}
	if partial {
		return out
	}
	for p, mt := range m {
		if _, ok := r[p]; !ok && !impliedIn(r, p, mt) && shared(p, recBlocks, mockBlocks) {
			out = append(out, difference{Kind: "extra", Path: p, Mock: strings.Join(mt, "|")})
		}
	}
	return out
}

// impliedIn reports whether a container line (object or array) at p is
// implied by the lines below p in the other shape, which pruning dropped.
func impliedIn(shape map[string][]string, p string, types []string) bool {
	if len(types) != 1 || (types[0] != "object" && types[0] != "array") {
		return false
	}
	for q := range shape {
		if strings.HasPrefix(q, p+".") || strings.HasPrefix(q, p+"[") {
			return true
		}
	}
	return false
}

func typesOnly(ts []string) []string {
	var out []string
	for _, t := range ts {
		t, _, _ = strings.Cut(t, "=")
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// normalBlocks is a block list as compared: runs of one type fold into one,
// a text block right before a tool_use is the model's choice (dropped), and
// with adaptive thinking whether to think is the model's choice too.
func normalBlocks(blocks []string, adaptive bool) []string {
	var out []string
	for i, b := range blocks {
		if adaptive && (b == "thinking" || b == "redacted_thinking") {
			continue
		}
		if b == "text" && slices.Contains(blocks[i+1:], "tool_use") {
			continue
		}
		if len(out) > 0 && out[len(out)-1] == b {
			continue
		}
		out = append(out, b)
	}
	return out
}

// compare lists every difference between a recording and the mock's answer.
func compare(e *exchange, a answer) []difference {
	if a.status != e.Response.Status {
		mock := fmt.Sprint(a.status)
		if a.err != "" {
			mock += " " + a.err
		}
		return []difference{{Kind: "status", Path: "status", Recorded: fmt.Sprint(e.Response.Status), Mock: mock}}
	}
	var out []difference
	for _, d := range compareShapes(e.shapeLines(), a.shape, e.Response.Blocks, a.blocks, e.Response.Partial) {
		if d.Kind == "value" && strings.HasSuffix(d.Path, "inference_geo") && e.mapped() {
			continue // the value is the model generation's, and the model was mapped
		}
		out = append(out, d)
	}
	out = append(out, compareMessage(e, a)...)
	out = append(out, compareSSE(e.Response.SSE, a.sse)...)
	out = append(out, compareModels(e.Response.Models, a.body)...)
	out = append(out, compareHeaders(e, a.headers)...)
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// compareMessage compares the block types and, with structured output,
// whether the text is one JSON document.
func compareMessage(e *exchange, a answer) []difference {
	if !a.message {
		return nil
	}
	var out []difference
	if e.Response.Blocks != nil {
		adaptive := false
		if t, ok := e.Request.Body["thinking"].(map[string]any); ok {
			adaptive = t["type"] == "adaptive"
		}
		rb, mb := normalBlocks(e.Response.Blocks, adaptive), normalBlocks(a.blocks, adaptive)
		if !slices.Equal(rb, mb) {
			out = append(out, difference{Kind: "blocks", Path: "content", Recorded: strings.Join(rb, ","), Mock: strings.Join(mb, ",")})
		}
	}
	if e.Response.JSONText != nil && *e.Response.JSONText != a.json {
		out = append(out, difference{Kind: "json_text", Path: "content[text].text", Recorded: fmt.Sprint(*e.Response.JSONText), Mock: fmt.Sprint(a.json)})
	}
	return out
}

func compareSSE(rec, mock *sse) []difference {
	if rec == nil || mock == nil {
		return nil
	}
	var out []difference
	if rec.Frame != mock.Frame {
		out = append(out, difference{Kind: "sse-frame", Path: "events", Recorded: rec.Frame, Mock: mock.Frame})
	}
	if rec.Ping != mock.Ping {
		out = append(out, difference{Kind: "sse-ping", Path: "ping", Recorded: rec.Ping, Mock: mock.Ping})
	}
	for t, seq := range rec.Blocks {
		if m, ok := mock.Blocks[t]; ok && m != seq {
			out = append(out, difference{Kind: "sse-block", Path: t, Recorded: seq, Mock: m})
		}
	}
	return out
}

func compareHeaders(e *exchange, mock []string) []difference {
	rec := expandHeaders(e.Response.Headers)
	var out []difference
	for _, h := range rec {
		if !slices.Contains(mock, h) {
			out = append(out, difference{Kind: "header-missing", Path: h})
		}
	}
	if !e.Response.HeadersComplete {
		return out
	}
	for _, h := range mock {
		if !slices.Contains(rec, h) {
			out = append(out, difference{Kind: "header-extra", Path: h})
		}
	}
	return out
}

// superseded reports whether a newer recording of the same class shows the
// mock's side of d: the mock emulates the API as it is now, so where an
// older recording and a newer one disagree, the newer one wins.
func superseded(d difference, e *exchange, all []*exchange) bool {
	for _, n := range all {
		if n.Source.Recorded <= e.Source.Recorded || n.class() != e.class() {
			continue
		}
		if showsMockSide(d, n) {
			return true
		}
	}
	return false
}

func showsMockSide(d difference, n *exchange) bool {
	shape := byPath(n.shapeLines())
	switch d.Kind {
	case "missing":
		_, has := shape[d.Path]
		return !has && hasParent(shape, d.Path)
	case "extra":
		_, has := shape[d.Path]
		return has
	case "type":
		return strings.Join(shape[d.Path], "|") == d.Mock
	case "value":
		return eraValues[d.Path[strings.LastIndex(d.Path, ".")+1:]] && strings.Join(shape[d.Path], "|") == d.Mock
	case "sse-frame":
		return n.Response.SSE != nil && n.Response.SSE.Frame == d.Mock
	case "sse-ping":
		return n.Response.SSE != nil && n.Response.SSE.Ping == d.Mock
	case "sse-block":
		return n.Response.SSE != nil && n.Response.SSE.Blocks[d.Path] == d.Mock
	case "header-extra":
		return n.Response.HeadersComplete && slices.Contains(expandHeaders(n.Response.Headers), d.Path)
	case "header-missing":
		return n.Response.HeadersComplete && !slices.Contains(expandHeaders(n.Response.Headers), d.Path)
	}
	return false
}

// eraValues are the enumerated keys whose values changed with time rather
// than with the request.
var eraValues = map[string]bool{"service_tier": true, "inference_geo": true, "speed": true}

// hasParent reports whether the object that would hold path is in shape.
func hasParent(shape map[string][]string, path string) bool {
	i := strings.LastIndexAny(path, ".[")
	if i <= 0 {
		return len(shape) > 0
	}
	parent := path[:i]
	for p := range shape {
		if p == parent || strings.HasPrefix(p, parent+".") || strings.HasPrefix(p, parent+"[") {
			return true
		}
	}
	return false
}

// compareModels checks the limits a recorded models list showed against
// the mock's list, model by model.
func compareModels(rec map[string]map[string]int, body any) []difference {
	if rec == nil {
		return nil
	}
	listed := map[string]map[string]any{}
	m, _ := body.(map[string]any)
	data, _ := m["data"].([]any)
	for _, d := range data {
		if model, ok := d.(map[string]any); ok {
			id, _ := model["id"].(string)
			listed[id] = model
		}
	}
	var out []difference
	for id, fields := range rec {
		model, ok := listed[id]
		if !ok {
			out = append(out, difference{Kind: "catalogue", Path: id, Recorded: "listed", Mock: "not listed"})
			continue
		}
		for f, want := range fields {
			if got := fmt.Sprint(model[f]); got != fmt.Sprint(want) {
				out = append(out, difference{Kind: "catalogue", Path: id + "." + f, Recorded: fmt.Sprint(want), Mock: got})
			}
		}
	}
	return out
}
