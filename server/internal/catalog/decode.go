package catalog

import (
	"fmt"
	"reflect"
	"slices"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// msgEmpty is the problem reported for a file with no content at all.
const msgEmpty = `document is empty; expected a mapping with a "models" list`

// timeType and durationType are compared against field types to decode
// dates and durations by hand.
var (
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
)

// decoder walks a yaml.Node tree into Go values itself instead of using
// yaml.v3's Decode: that way every problem carries its field path, strict key
// checking covers nested mappings (yaml.v3 offers KnownFields only on a whole
// Decoder) and decoding goes on after the first problem so all are reported.
type decoder struct {
	yamlfile.Problems
	lines map[string]int // field path -> line, for every value that decoded cleanly
}

// newDecoder starts an empty walk over a file named file.
func newDecoder(file string) *decoder {
	return &decoder{Problems: yamlfile.Problems{File: file}, lines: make(map[string]int)}
}

// ok remembers where a cleanly decoded value sits, so validation can position
// its own problems and skips values that were already reported as malformed.
func (d *decoder) ok(n *yaml.Node, path string) bool {
	d.lines[path] = n.Line
	return true
}

// top decodes the document node into doc. A file holding only comments or
// "null" has no catalogue, which is reported like an empty file.
func (d *decoder) top(root *yaml.Node, doc *document) {
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			d.Add(max(root.Line, 1), "", msgEmpty)
			return
		}
		root = root.Content[0]
	}
	root = yamlfile.Resolve(root)
	if yamlfile.IsNull(root) {
		d.Add(max(root.Line, 1), "", msgEmpty)
		return
	}
	d.value(root, "", reflect.ValueOf(doc).Elem())
}

// value decodes n into v, which has one of the few types the schema uses. It
// reports a problem and returns false when n does not fit.
func (d *decoder) value(n *yaml.Node, path string, v reflect.Value) bool {
	n = yamlfile.Resolve(n)
	switch {
	case v.Type() == timeType:
		return d.date(n, path, v)
	case v.Type() == durationType:
		return d.duration(n, path, v)
	case v.Kind() == reflect.Pointer:
		if yamlfile.IsNull(n) {
			return d.ok(n, path)
		}
		p := reflect.New(v.Type().Elem())
		if !d.value(n, path, p.Elem()) {
			return false
		}
		v.Set(p)
		return true
	case v.Kind() == reflect.Struct:
		return d.mapping(n, path, v)
	case v.Kind() == reflect.Slice:
		return d.list(n, path, v)
	case v.Kind() == reflect.Map:
		return d.entries(n, path, v)
	default:
		return d.scalar(n, path, v)
	}
}

// mapping decodes a YAML mapping into the struct v, matching keys to yaml
// tags. Unknown, repeated and missing required keys are all problems.
func (d *decoder) mapping(n *yaml.Node, path string, v reflect.Value) bool {
	if n.Kind != yaml.MappingNode {
		d.Mismatch(n, path, "a mapping")
		return false
	}
	fields := fieldsOf(v.Type())
	seen := make(map[string]int) // key -> line of its first occurrence
	good := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := yamlfile.Resolve(n.Content[i]), n.Content[i+1]
		f, known := d.key(key, path, fields, seen)
		if !known {
			good = false
			continue
		}
		good = d.value(val, yamlfile.Child(path, key.Value), v.Field(f.index)) && good
	}
	for _, f := range fields {
		if _, set := seen[f.name]; !set && !f.optional {
			d.Add(n.Line, path, "missing required field %q", f.name)
			good = false
		}
	}
	return good && d.ok(n, path)
}

// key checks one mapping key: a plain name, known to the schema, not yet
// seen (it is then recorded in seen). It returns the field the key sets.
func (d *decoder) key(key *yaml.Node, path string, fields []field, seen map[string]int) (field, bool) {
	i := slices.IndexFunc(fields, func(f field) bool { return f.name == key.Value })
	if !d.FieldKey(key, path, i >= 0, seen) {
		return field{}, false
	}
	return fields[i], true
}

// entries decodes a YAML mapping whose keys are data, not schema (a tier's
// limits, keyed by model family), into the map v. Keys must be plain scalars
// and appear once. An entry that decodes cleanly is positioned at its key, not
// its value, so problems about it point at the name even when the value is a
// block mapping starting on the next line. Whether a key is a known name is
// validation's business.
func (d *decoder) entries(n *yaml.Node, path string, v reflect.Value) bool {
	if n.Kind != yaml.MappingNode {
		d.Mismatch(n, path, "a mapping")
		return false
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	seen := make(map[string]int) // key -> line of its first occurrence
	good := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := yamlfile.Resolve(n.Content[i]), n.Content[i+1]
		if !d.EntryKey(key, path, seen) {
			good = false
			continue
		}
		p := yamlfile.Child(path, key.Value)
		e := reflect.New(v.Type().Elem()).Elem()
		if d.value(val, p, e) {
			d.lines[p] = key.Line
		} else {
			good = false
		}
		m.SetMapIndex(reflect.ValueOf(key.Value).Convert(v.Type().Key()), e)
	}
	v.Set(m)
	return good && d.ok(n, path)
}

// list decodes a YAML sequence into the slice v. null stands for an empty
// list; whether empty is acceptable is validation's business.
func (d *decoder) list(n *yaml.Node, path string, v reflect.Value) bool {
	if yamlfile.IsNull(n) {
		return d.ok(n, path)
	}
	if n.Kind != yaml.SequenceNode {
		d.Mismatch(n, path, "a list")
		return false
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	good := true
	for i, item := range n.Content {
		good = d.value(item, fmt.Sprintf("%s[%d]", path, i), s.Index(i)) && good
	}
	v.Set(s)
	return good && d.ok(n, path)
}

// scalar decodes a string, integer, number or boolean. The YAML tag must match
// the Go type exactly, so 1.5 is not silently truncated into an int and a
// quoted "5" is not taken for a number.
func (d *decoder) scalar(n *yaml.Node, path string, v reflect.Value) bool {
	want, tags := scalarKind(v.Kind())
	if n.Kind != yaml.ScalarNode || !slices.Contains(tags, n.ShortTag()) {
		d.Mismatch(n, path, want)
		return false
	}
	if err := n.Decode(v.Addr().Interface()); err != nil {
		d.Mismatch(n, path, want)
		return false
	}
	return d.ok(n, path)
}

// date decodes a YYYY-MM-DD calendar date, quoted or not, as midnight UTC.
func (d *decoder) date(n *yaml.Node, path string, v reflect.Value) bool {
	const want = "a date (YYYY-MM-DD)"
	tag := n.ShortTag()
	if n.Kind != yaml.ScalarNode || (tag != "!!str" && tag != "!!timestamp") {
		d.Mismatch(n, path, want)
		return false
	}
	t, err := time.Parse(time.DateOnly, n.Value)
	if err != nil {
		d.Mismatch(n, path, want)
		return false
	}
	v.Set(reflect.ValueOf(t))
	return d.ok(n, path)
}

// duration decodes a Go duration string such as "1s" or "1m30s". A bare
// number is rejected rather than guessed to be seconds.
func (d *decoder) duration(n *yaml.Node, path string, v reflect.Value) bool {
	const want = "a duration such as 1s or 60s"
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		d.Mismatch(n, path, want)
		return false
	}
	t, err := time.ParseDuration(n.Value)
	if err != nil {
		d.Mismatch(n, path, want)
		return false
	}
	v.SetInt(int64(t))
	return d.ok(n, path)
}
