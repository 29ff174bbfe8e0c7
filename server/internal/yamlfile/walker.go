package yamlfile

import (
	"fmt"
	"math"
	"slices"
	"time"

	"gopkg.in/yaml.v3"
)

// Walker walks a yaml.Node tree into Go values by hand, so every problem
// carries its field path, unknown and repeated keys are caught at every level
// and decoding goes on after the first problem. Packages orgs and scenario
// share it so their files read, and fail, the same way.
//
// Every decoding method reports whether the value was clean; a clean value's
// line is kept in Lines under its path, so validation can position its own
// problems and skip values already reported as malformed.
type Walker struct {
	Problems
	// Lines maps a field path to its line, for every value that decoded cleanly.
	Lines map[string]int
	// Bad holds the field paths of given values that did not decode.
	Bad map[string]bool
	// MaxNodes bounds how many nodes one walk visits. Aliases let a short
	// file stand for an exponentially large tree ("billion laughs"); the
	// bound turns that into a problem instead of a hung server.
	MaxNodes int
	visited  int
	aliases  int // aliases followed, to say whether they made the file too big
}

// NewWalker starts an empty walk over a file named file that visits at most
// maxNodes nodes.
func NewWalker(file string, maxNodes int) *Walker {
	return &Walker{Problems: Problems{File: file}, Lines: make(map[string]int), Bad: make(map[string]bool), MaxNodes: maxNodes}
}

// OK records where a cleanly decoded value sits and returns true, so a
// decoding method can end with `return w.OK(n, path)`.
func (w *Walker) OK(n *yaml.Node, path string) bool {
	w.Lines[path] = n.Line
	return true
}

// Enter resolves aliases and counts the node against MaxNodes; false means
// the budget is spent (reported once, and the walk stopped) and the caller
// must not go on.
func (w *Walker) Enter(n *yaml.Node, path string) (*yaml.Node, bool) {
	if w.Stopped {
		return n, false
	}
	if n.Kind == yaml.AliasNode {
		w.aliases++
	}
	if w.visited++; w.visited >= w.MaxNodes {
		w.Stop(n.Line, path, "the document holds more than %d values%s; the walk stopped here", w.MaxNodes, w.aliasNote())
		return n, false
	}
	return Resolve(n), true
}

// aliasNote blames aliases for a document's size only when it has some.
func (w *Walker) aliasNote() string {
	if w.aliases == 0 {
		return ""
	}
	return fmt.Sprintf(" (counting each of the %d uses of an alias met so far as a copy)", w.aliases)
}

// mapping enters n and checks that it is a mapping, reporting it when not.
func (w *Walker) mapping(n *yaml.Node, path string) (*yaml.Node, bool) {
	n, more := w.Enter(n, path)
	if !more {
		return n, false
	}
	if n.Kind != yaml.MappingNode {
		w.Mismatch(n, path, "a mapping")
		return n, false
	}
	return n, true
}

// Fields decodes a mapping whose keys are schema field names. set decodes one
// value and reports whether it was clean; unknown, repeated and missing
// required keys are problems.
func (w *Walker) Fields(n *yaml.Node, path string, names, required []string, set func(name string, val *yaml.Node, path string) bool) bool {
	n, ok := w.mapping(n, path)
	if !ok {
		return false
	}
	seen := make(map[string]int) // key -> line of its first occurrence
	good := true
	for i := 0; i+1 < len(n.Content) && !w.Stopped; i += 2 {
		key, val := Resolve(n.Content[i]), n.Content[i+1]
		if !w.FieldKey(key, path, slices.Contains(names, key.Value), seen) {
			good = false
			continue
		}
		p := Child(path, key.Value)
		if !set(key.Value, val, p) {
			w.Bad[p] = true
			good = false
		}
	}
	for _, name := range required {
		if _, set := seen[name]; !set {
			w.Add(n.Line, path, "missing required field %q", name)
			good = false
		}
	}
	return good && w.OK(n, path)
}

// Entries decodes a mapping whose keys are data (model families, header
// names), calling entry for each; keys must be plain strings and appear once.
// A clean entry is positioned at its key, so problems about it point at the
// name.
func (w *Walker) Entries(n *yaml.Node, path string, entry func(key string, val *yaml.Node, path string) bool) bool {
	n, ok := w.mapping(n, path)
	if !ok {
		return false
	}
	seen := make(map[string]int) // key -> line of its first occurrence
	good := true
	for i := 0; i+1 < len(n.Content) && !w.Stopped; i += 2 {
		key, val := Resolve(n.Content[i]), n.Content[i+1]
		if !w.EntryKey(key, path, seen) {
			good = false
			continue
		}
		p := Child(path, key.Value)
		if entry(key.Value, val, p) {
			w.Lines[p] = key.Line
		} else {
			good = false
		}
	}
	return good && w.OK(n, path)
}

// List decodes a sequence, calling item for each element; null is an empty
// list.
func (w *Walker) List(n *yaml.Node, path string, item func(i int, n *yaml.Node, path string) bool) bool {
	n, more := w.Enter(n, path)
	if !more {
		return false
	}
	if IsNull(n) {
		return w.OK(n, path)
	}
	if n.Kind != yaml.SequenceNode {
		w.Mismatch(n, path, "a list")
		return false
	}
	good := true
	for i, e := range n.Content {
		if w.Stopped {
			return false
		}
		good = item(i, e, fmt.Sprintf("%s[%d]", path, i)) && good
	}
	return good && w.OK(n, path)
}

// scalar enters n and checks that it is a scalar with one of tags, reporting
// a mismatch against want otherwise; it returns the resolved node on success.
func (w *Walker) scalar(n *yaml.Node, path, want string, tags ...string) (*yaml.Node, bool) {
	n, more := w.Enter(n, path)
	if !more {
		return nil, false
	}
	if n.Kind != yaml.ScalarNode || !slices.Contains(tags, n.ShortTag()) {
		w.Mismatch(n, path, want)
		return nil, false
	}
	return n, true
}

// Str decodes a string. The tag must be !!str, so a bare 5 or null is not
// silently taken for a name.
func (w *Walker) Str(n *yaml.Node, path string, s *string) bool {
	n, ok := w.scalar(n, path, "a string", "!!str")
	if !ok {
		return false
	}
	*s = n.Value
	return w.OK(n, path)
}

// Int decodes an int; the tag must be !!int, so 1.5 or "5" is rejected rather
// than truncated or guessed.
func (w *Walker) Int(n *yaml.Node, path string, v *int) bool {
	return decodeScalar(w, n, path, "an integer", "!!int", v)
}

// decodeScalar decodes a scalar of one tag into v, reporting what was
// wanted when the tag or the value does not fit.
func decodeScalar[T any](w *Walker, n *yaml.Node, path, want, tag string, v *T) bool {
	r, ok := w.scalar(n, path, want, tag)
	if !ok {
		return false
	}
	if r.Decode(v) != nil {
		w.Mismatch(r, path, want)
		return false
	}
	return w.OK(r, path)
}

// Strs decodes a list of strings.
func (w *Walker) Strs(n *yaml.Node, path string, out *[]string) bool {
	return w.List(n, path, func(_ int, e *yaml.Node, p string) bool {
		var s string
		ok := w.Str(e, p, &s)
		*out = append(*out, s)
		return ok
	})
}

// Float decodes a finite number written as an integer or a decimal; "5",
// .nan and .inf are rejected, since no amount or rate is meant by them.
func (w *Walker) Float(n *yaml.Node, path string, v *float64) bool {
	r, ok := w.scalar(n, path, "a number", "!!int", "!!float")
	if !ok {
		return false
	}
	var f float64
	if r.Decode(&f) != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		w.Mismatch(r, path, "a number")
		return false
	}
	*v = f
	return w.OK(r, path)
}

// Bool decodes true or false; the tag must be !!bool, so "yes" in quotes or
// 1 is not taken for a switch.
func (w *Walker) Bool(n *yaml.Node, path string, v *bool) bool {
	return decodeScalar(w, n, path, "true or false", "!!bool", v)
}

// Duration decodes a Go duration string such as "1s" or "1m30s". A bare
// number is rejected rather than guessed to be seconds.
func (w *Walker) Duration(n *yaml.Node, path string, v *time.Duration) bool {
	const want = "a duration such as 1s or 60s"
	r, ok := w.scalar(n, path, want, "!!str")
	if !ok {
		return false
	}
	d, err := time.ParseDuration(r.Value)
	if err != nil {
		w.Mismatch(r, path, want)
		return false
	}
	*v = d
	return w.OK(r, path)
}

// Time decodes an RFC 3339 timestamp, whether YAML read it as a timestamp or
// it was quoted, so "2026-01-05T09:00:00Z" works either way. A date alone is
// rejected: it leaves the time of day and the zone to a guess.
func (w *Walker) Time(n *yaml.Node, path string, v *time.Time) bool {
	const want = "an RFC 3339 time such as 2026-01-05T09:00:00Z"
	r, ok := w.scalar(n, path, want, "!!str", "!!timestamp")
	if !ok {
		return false
	}
	t, err := time.Parse(time.RFC3339Nano, r.Value)
	if err != nil {
		w.Mismatch(r, path, want)
		return false
	}
	*v = t
	return w.OK(r, path)
}

// Err is every problem found so far as one error, sorted by line (Join); nil
// when the walk was clean. The problems themselves are w.Problems.List: the
// List method shadows the field.
func (w *Walker) Err() error {
	return Join(w.Problems.List)
}

// Errors is every problem found so far, sorted by line (Sort).
func (w *Walker) Errors() []error {
	return Sort(w.Problems.List)
}
