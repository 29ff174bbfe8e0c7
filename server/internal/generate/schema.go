package generate

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp/syntax"
	"strings"
)

// maxDepth bounds recursion through nested or self-referencing schemas.
const maxDepth = 8

// maxItems caps generated arrays; a schema demanding more is not honoured.
const maxItems = 100

// schemaGen walks a JSON Schema and builds a value valid against it. It
// covers what tool input schemas use: type (single or list), properties and
// required, items with minItems/maxItems, enum, const, anyOf/oneOf/allOf,
// $ref into $defs or definitions, string pattern, length and format, and
// numeric bounds. Every declared property is filled, so a strict tool's
// schema (additionalProperties: false, everything required) is met too.
type schemaGen struct {
	rng  *rand.Rand
	root map[string]any
	// budget is how many more values may be generated; nested arrays would
	// otherwise grow exponentially (100 items of 100 items of ...).
	budget int
	// steps is how much more work of any kind (values, $ref hops, allOf
	// parts, properties and required names visited) may be done. It bounds
	// what budget cannot: a wide allOf whose parts refer back to it, or an
	// object of 100,000 properties met again in every array item.
	steps int
	// runes is how many more runes of string all values together may hold,
	// so a thousand properties of minLength 100,000 cannot make 100 MB.
	runes int
	// done, when closed, means the client has gone: generation stops and
	// what remains is cut to empty values.
	done <-chan struct{}
	// patterns caches each pattern's parse, nil for one Go cannot parse,
	// so an array of a hundred items parses its item's pattern once.
	patterns map[string]*syntax.Regexp
}

// maxValues bounds the size of one generated input.
const maxValues = 2000

// maxSteps bounds the work of one generation, whatever the schema.
const maxSteps = 200_000

// newGen starts a generation over root; done may be nil.
func newGen(rng *rand.Rand, root map[string]any, done <-chan struct{}) *schemaGen {
	return &schemaGen{rng: rng, root: root, budget: maxValues, steps: maxSteps,
		runes: MaxStringRunes, done: done, patterns: map[string]*syntax.Regexp{}}
}

// FromSchema generates a value valid against the JSON Schema in raw. A
// schema that is not an object yields an empty object, the only input a
// tool call may carry. Closing done (nil never closes) stops the work
// early, with empty values where it stopped.
func FromSchema(rng *rand.Rand, raw json.RawMessage, done <-chan struct{}) any {
	root := decodeSchema(raw)
	if root == nil {
		return map[string]any{}
	}
	v := newGen(rng, root, done).value(root, 0)
	if _, ok := v.(map[string]any); !ok {
		return map[string]any{}
	}
	return v
}

// spend takes n steps of work and reports whether there was room for
// them. Running out, or the client going away, spends everything, so
// every caller up the stack stops too.
func (g *schemaGen) spend(n int) bool {
	select {
	case <-g.done:
		g.steps = 0
	default:
	}
	if g.steps < n {
		g.steps = 0
		return false
	}
	g.steps -= n
	return true
}

func (g *schemaGen) value(s map[string]any, depth int) any {
	g.budget--
	if !g.spend(1) {
		return empty(s)
	}
	s = g.resolve(s, depth)
	if c, ok := s["const"]; ok {
		return c
	}
	if enum, ok := s["enum"].([]any); ok && len(enum) > 0 {
		return enum[g.rng.IntN(len(enum))]
	}
	if branch := g.branch(s); branch != nil {
		return g.value(branch, depth+1)
	}
	switch schemaType(s) {
	case "object":
		return g.object(s, depth)
	case "array":
		return g.array(s, depth)
	case "integer":
		return g.integer(s)
	case "number":
		return g.number(s)
	case "boolean":
		return g.rng.IntN(2) == 1
	case "null":
		return nil
	default:
		return g.str(s)
	}
}

// resolve follows local $ref pointers and merges allOf parts.
func (g *schemaGen) resolve(s map[string]any, depth int) map[string]any {
	for range maxDepth {
		ref, ok := s["$ref"].(string)
		if !ok || !g.spend(1+len(ref)/32) {
			break
		}
		target := g.lookup(ref)
		if target == nil {
			return map[string]any{}
		}
		s = target
	}
	if parts, ok := s["allOf"].([]any); ok && depth < maxDepth && g.spend(len(parts)) {
		return g.merge(s, parts, depth)
	}
	return s
}

// lookup resolves "#/$defs/Name", "#/definitions/Name" and other local
// JSON pointers against the root schema.
func (g *schemaGen) lookup(ref string) map[string]any {
	if !strings.HasPrefix(ref, "#") {
		return nil
	}
	var node any = g.root
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#"), "/") {
		if part == "" {
			continue
		}
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := node.(map[string]any)
		if !ok {
			return nil
		}
		node = m[part]
	}
	m, _ := node.(map[string]any)
	return m
}

// merge combines allOf parts into one object schema: properties and
// required lists are united, other keywords taken from the first holder.
func (g *schemaGen) merge(s map[string]any, parts []any, depth int) map[string]any {
	out := map[string]any{}
	props := map[string]any{}
	var required []any
	for _, p := range append([]any{s}, parts...) {
		part, ok := p.(map[string]any)
		if !ok {
			continue
		}
		part = g.resolve(withoutAllOf(part), depth+1)
		for k, v := range part {
			if _, seen := out[k]; !seen {
				out[k] = v
			}
		}
		if pp, ok := part["properties"].(map[string]any); ok && g.spend(len(pp)) {
			for k, v := range pp {
				props[k] = v
			}
		}
		if r, ok := part["required"].([]any); ok {
			required = append(required, r...)
		}
	}
	delete(out, "allOf")
	out["properties"], out["required"] = props, required
	return out
}

func withoutAllOf(s map[string]any) map[string]any {
	if _, ok := s["allOf"]; !ok {
		return s
	}
	c := make(map[string]any, len(s))
	for k, v := range s {
		if k != "allOf" {
			c[k] = v
		}
	}
	return c
}

// branch picks the first non-null alternative of anyOf/oneOf, so that a
// nullable field gets a real value.
func (g *schemaGen) branch(s map[string]any) map[string]any {
	for _, key := range []string{"anyOf", "oneOf"} {
		alts, ok := s[key].([]any)
		if !ok {
			continue
		}
		for _, a := range alts {
			if !g.spend(1) {
				break
			}
			if m, ok := a.(map[string]any); ok && schemaType(g.resolve(m, maxDepth)) != "null" {
				return m
			}
		}
		if len(alts) > 0 {
			m, _ := alts[0].(map[string]any)
			return m
		}
	}
	return nil
}

// schemaType is the schema's type; for a list of types the first non-null
// one, and without a type whatever its keywords imply.
func schemaType(s map[string]any) string {
	switch t := s["type"].(type) {
	case string:
		return t
	case []any:
		for _, x := range t {
			if name, ok := x.(string); ok && name != "null" {
				return name
			}
		}
		return "null"
	}
	if _, ok := s["properties"]; ok {
		return "object"
	}
	if _, ok := s["items"]; ok {
		return "array"
	}
	return "string"
}

// object fills every declared property (required or not), deepest first
// cut at maxDepth where only required ones are kept.
func (g *schemaGen) object(s map[string]any, depth int) any {
	out := map[string]any{}
	if g.exhausted(depth) {
		return out
	}
	props, _ := s["properties"].(map[string]any)
	reqList, _ := s["required"].([]any)
	if !g.spend(objectCost(props, reqList)) {
		return out
	}
	required, isRequired := requiredNames(reqList)
	for _, name := range sortedKeys(props) {
		if (depth >= maxDepth || g.budget <= 0) && !isRequired[name] {
			continue
		}
		if ps, ok := props[name].(map[string]any); ok {
			out[name] = g.value(ps, depth+1)
		} else {
			out[name] = g.str(nil)
		}
	}
	for _, name := range required {
		if _, ok := out[name]; !ok {
			out[name] = g.str(nil)
		}
	}
	return out
}

// objectCost is the work of filling an object: a step per property and
// required name, and one per eight bytes of property name, since every
// object made copies its names (a hundred items of an object with a
// 100 KB name would otherwise be 10 MB).
func objectCost(props map[string]any, required []any) int {
	n := len(props) + len(required)
	for k := range props {
		n += len(k) / 8
	}
	return n
}

// requiredNames is a required list's names in its own order, once each,
// so that the draws for required members the properties do not declare
// are made in the same order every time; the set answers membership
// without a quadratic scan of a long list.
func requiredNames(r []any) ([]string, map[string]bool) {
	var out []string
	set := make(map[string]bool, len(r))
	for _, name := range r {
		if n, ok := name.(string); ok && !set[n] {
			out, set[n] = append(out, n), true
		}
	}
	return out, set
}

// empty is the smallest value of the schema's type, what generation
// leaves once its work is spent.
func empty(s map[string]any) any {
	switch schemaType(s) {
	case "object":
		return map[string]any{}
	case "array":
		return []any{}
	case "integer", "number":
		return 0
	case "boolean":
		return false
	case "null":
		return nil
	}
	return ""
}

// exhausted reports that an object must stay empty: past four times
// maxDepth, or once a second allowance of maxValues has gone on required
// members alone. Without it a schema whose required members contain the
// schema itself would recurse until the stack, a fatal error, ran out.
func (g *schemaGen) exhausted(depth int) bool {
	return depth > 4*maxDepth || g.budget < -maxValues
}

func (g *schemaGen) array(s map[string]any, depth int) any {
	n := 1
	if lo, ok := num(s, "minItems"); ok && lo > 1 {
		n = int(min(lo, maxItems))
	}
	if hi, ok := num(s, "maxItems"); ok && float64(n) > hi {
		n = int(hi)
	}
	if depth >= maxDepth || g.budget <= 0 {
		n = 0
	}
	n = min(n, max(g.budget, 0))
	items, _ := s["items"].(map[string]any)
	out := make([]any, 0, n)
	for i := range n {
		if items == nil {
			out = append(out, g.str(nil))
			continue
		}
		v := g.value(items, depth+1)
		if str, ok := v.(string); ok && s["uniqueItems"] == true {
			v = fmt.Sprintf("%s%d", str, i)
		}
		out = append(out, v)
	}
	return out
}

// bounds reads a numeric range, treating exclusive bounds as a step inward.
func bounds(s map[string]any, step float64) (lo, hi float64) {
	lo, hi = 0, 100
	if v, ok := num(s, "minimum"); ok {
		lo = v
		hi = math.Max(hi, lo+100)
	}
	if v, ok := num(s, "exclusiveMinimum"); ok {
		lo = v + step
		hi = math.Max(hi, lo+100)
	}
	if v, ok := num(s, "maximum"); ok {
		hi = v
	}
	if v, ok := num(s, "exclusiveMaximum"); ok {
		hi = v - step
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

func (g *schemaGen) integer(s map[string]any) any {
	lo, hi := bounds(s, 1)
	lo, hi = math.Ceil(lo), math.Floor(hi)
	if m, ok := num(s, "multipleOf"); ok && m >= 1 {
		first := math.Ceil(lo/m) * m
		steps := int64(math.Max(0, math.Floor((hi-first)/m)))
		return int64(first) + int64(m)*g.rng.Int64N(steps+1)
	}
	if hi < lo {
		return int64(lo)
	}
	return int64(lo) + g.rng.Int64N(int64(hi-lo)+1)
}

func (g *schemaGen) number(s map[string]any) any {
	lo, hi := bounds(s, 0.01)
	v := lo + g.rng.Float64()*(hi-lo)
	return math.Round(v*100) / 100
}

func num(s map[string]any, key string) (float64, bool) {
	v, ok := s[key].(float64)
	return v, ok
}
