package orgs

import (
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// maxNodes bounds how many nodes one walk visits. Aliases let a short file
// stand for an exponentially large tree ("billion laughs"); the bound turns
// that into a problem instead of a hung server.
const maxNodes = 100_000

// decoder walks a yaml.Node tree into Go values by hand, as package catalog
// does, so every problem carries its field path, unknown and repeated keys
// are caught at every level and decoding goes on after the first problem.
type decoder struct {
	yamlfile.Problems
	lines   map[string]int  // field path -> line, for every value that decoded cleanly
	bad     map[string]bool // field path -> true for a given value that did not decode
	visited int
}

// newDecoder starts an empty walk over a file named file.
func newDecoder(file string) *decoder {
	return &decoder{Problems: yamlfile.Problems{File: file}, lines: make(map[string]int), bad: make(map[string]bool)}
}

// ok remembers where a cleanly decoded value sits, so validation can position
// its own problems and skip values already reported as malformed.
func (d *decoder) ok(n *yaml.Node, path string) bool {
	d.lines[path] = n.Line
	return true
}

// enter resolves aliases and counts the node against maxNodes; false means
// the budget is spent (reported once) and the walk must stop.
func (d *decoder) enter(n *yaml.Node, path string) (*yaml.Node, bool) {
	d.visited++
	if d.visited == maxNodes {
		d.Add(n.Line, path, "the document expands to more than %d values (aliases?)", maxNodes)
	}
	return yamlfile.Resolve(n), d.visited < maxNodes
}

// fields decodes a mapping whose keys are schema field names. set decodes one
// value and reports whether it was clean; unknown, repeated and missing
// required keys are problems.
func (d *decoder) fields(n *yaml.Node, path string, names, required []string, set func(name string, val *yaml.Node, path string) bool) bool {
	n, more := d.enter(n, path)
	if !more {
		return false
	}
	if n.Kind != yaml.MappingNode {
		d.Mismatch(n, path, "a mapping")
		return false
	}
	seen := make(map[string]int) // key -> line of its first occurrence
	good := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := yamlfile.Resolve(n.Content[i]), n.Content[i+1]
		if !d.FieldKey(key, path, slices.Contains(names, key.Value), seen) {
			good = false
			continue
		}
		p := yamlfile.Child(path, key.Value)
		if !set(key.Value, val, p) {
			d.bad[p] = true
			good = false
		}
	}
	for _, name := range required {
		if _, set := seen[name]; !set {
			d.Add(n.Line, path, "missing required field %q", name)
			good = false
		}
	}
	return good && d.ok(n, path)
}

// entries decodes a mapping whose keys are data (model families), calling
// entry for each; keys must be plain strings and appear once. A clean entry
// is positioned at its key, so problems about it point at the name.
func (d *decoder) entries(n *yaml.Node, path string, entry func(key string, val *yaml.Node, path string) bool) bool {
	n, more := d.enter(n, path)
	if !more {
		return false
	}
	if n.Kind != yaml.MappingNode {
		d.Mismatch(n, path, "a mapping")
		return false
	}
	seen := make(map[string]int) // key -> line of its first occurrence
	good := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := yamlfile.Resolve(n.Content[i]), n.Content[i+1]
		if !d.EntryKey(key, path, seen) {
			good = false
			continue
		}
		p := yamlfile.Child(path, key.Value)
		if entry(key.Value, val, p) {
			d.lines[p] = key.Line
		} else {
			good = false
		}
	}
	return good && d.ok(n, path)
}

// list decodes a sequence, calling item for each element; null is an empty
// list.
func (d *decoder) list(n *yaml.Node, path string, item func(i int, n *yaml.Node, path string) bool) bool {
	n, more := d.enter(n, path)
	if !more {
		return false
	}
	if yamlfile.IsNull(n) {
		return d.ok(n, path)
	}
	if n.Kind != yaml.SequenceNode {
		d.Mismatch(n, path, "a list")
		return false
	}
	good := true
	for i, e := range n.Content {
		good = item(i, e, fmt.Sprintf("%s[%d]", path, i)) && good
	}
	return good && d.ok(n, path)
}

// str decodes a string. The tag must be !!str, so a bare 5 or null is not
// silently taken for a name.
func (d *decoder) str(n *yaml.Node, path string, s *string) bool {
	n, more := d.enter(n, path)
	if !more {
		return false
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		d.Mismatch(n, path, "a string")
		return false
	}
	*s = n.Value
	return d.ok(n, path)
}

// integer decodes an int; the tag must be !!int, so 1.5 or "5" is rejected
// rather than truncated or guessed.
func (d *decoder) integer(n *yaml.Node, path string, v *int) bool {
	n, more := d.enter(n, path)
	if !more {
		return false
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(v) != nil {
		d.Mismatch(n, path, "an integer")
		return false
	}
	return d.ok(n, path)
}

// strs decodes a list of strings.
func (d *decoder) strs(n *yaml.Node, path string, out *[]string) bool {
	return d.list(n, path, func(_ int, e *yaml.Node, p string) bool {
		var s string
		ok := d.str(e, p, &s)
		*out = append(*out, s)
		return ok
	})
}

// limitsMap decodes limits keyed by family; whether a key is a known family is
// validation's business. Only clean entries are kept, so a malformed one
// cannot pass for "no limit".
func (d *decoder) limitsMap(n *yaml.Node, path string, out *map[string]catalog.Limits) bool {
	m := make(map[string]catalog.Limits)
	ok := d.entries(n, path, func(key string, val *yaml.Node, p string) bool {
		var l catalog.Limits
		if !d.limits(val, p, &l) {
			return false
		}
		m[key] = l
		return true
	})
	*out = m
	return ok
}

// limits decodes one family's limits, a mapping of dimensions to integers.
func (d *decoder) limits(n *yaml.Node, path string, l *catalog.Limits) bool {
	return d.fields(n, path, dimensionNames, nil, func(name string, val *yaml.Node, p string) bool {
		i := slices.Index(dimensionNames, name)
		return d.integer(val, p, dimensions[i].of(l))
	})
}

// dimensionNames are the keys of a limits entry, in dimensions' order.
var dimensionNames = func() []string {
	names := make([]string, len(dimensions))
	for i, dim := range dimensions {
		names[i] = dim.name
	}
	return names
}()

// organizations decodes the `organizations:` list and reports whether it was
// clean.
func (d *decoder) organizations(n *yaml.Node, path string) ([]Organization, bool) {
	var orgs []Organization
	ok := d.list(n, path, func(_ int, e *yaml.Node, p string) bool {
		var o Organization
		ok := d.organization(e, p, &o)
		orgs = append(orgs, o)
		return ok
	})
	return orgs, ok
}

// organization decodes one organization.
func (d *decoder) organization(n *yaml.Node, path string, o *Organization) bool {
	names := []string{"id", "name", "tier", "limits", "keys", "workspaces"}
	return d.fields(n, path, names, names[:1], func(name string, val *yaml.Node, p string) bool {
		switch name {
		case "id":
			return d.str(val, p, &o.ID)
		case "name":
			return d.str(val, p, &o.Name)
		case "tier":
			return d.str(val, p, &o.Tier)
		case "limits":
			return d.limitsMap(val, p, &o.Limits)
		case "keys":
			return d.strs(val, p, &o.Keys)
		default:
			return d.list(val, p, func(_ int, e *yaml.Node, p string) bool {
				var w Workspace
				ok := d.workspace(e, p, &w)
				o.Workspaces = append(o.Workspaces, w)
				return ok
			})
		}
	})
}

// workspace decodes one workspace.
func (d *decoder) workspace(n *yaml.Node, path string, w *Workspace) bool {
	names := []string{"id", "name", "limits", "keys"}
	return d.fields(n, path, names, names[:1], func(name string, val *yaml.Node, p string) bool {
		switch name {
		case "id":
			return d.str(val, p, &w.ID)
		case "name":
			return d.str(val, p, &w.Name)
		case "limits":
			return d.limitsMap(val, p, &w.Limits)
		default:
			return d.strs(val, p, &w.Keys)
		}
	})
}
