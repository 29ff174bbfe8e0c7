package yamlfile

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Resolve follows YAML aliases (*name) to the node they stand for, so anchors
// can be used anywhere a value can. The bound guards against a malformed tree.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; i < 16 && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

// IsNull reports whether n is YAML null (null, ~ or an empty value), which
// the walkers treat as "not given" rather than as a string.
func IsNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// Describe names what a node holds, for the "got …" part of a problem: the
// kind for collections, the quoted value for scalars.
func Describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case IsNull(n):
		return "null"
	case n.Kind == yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "an unresolved alias"
}

// Child extends a field path so problems name the field from the top of the
// document: "models[0]" + "prices" = "models[0].prices".
func Child(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// FieldKey checks one key of a mapping whose keys are schema field names: a
// plain string, known to the schema (the caller looks it up) and not yet in
// seen. A good key is recorded in seen with its line and true returned; a bad
// one is reported, so strict checking reads the same at every level.
func (ps *Problems) FieldKey(key *yaml.Node, path string, known bool, seen map[string]int) bool {
	first, dup := seen[key.Value]
	switch {
	case key.Kind != yaml.ScalarNode:
		ps.Add(key.Line, path, "field names must be plain strings, got %s", Describe(key))
	case !known:
		ps.Add(key.Line, path, "unknown field %q", key.Value)
	case dup:
		ps.Add(key.Line, path, "field %q is set twice (first at line %d)", key.Value, first)
	default:
		seen[key.Value] = key.Line
		return true
	}
	return false
}

// EntryKey checks one key of a mapping whose keys are data, not schema (model
// families): a plain, non-null string not yet in seen. A good key is recorded
// in seen with its line and true returned; a bad one is reported.
func (ps *Problems) EntryKey(key *yaml.Node, path string, seen map[string]int) bool {
	if key.Kind != yaml.ScalarNode || IsNull(key) {
		ps.Add(key.Line, path, "keys must be plain strings, got %s", Describe(key))
		return false
	}
	if first, dup := seen[key.Value]; dup {
		ps.Add(key.Line, path, "key %q is set twice (first at line %d)", key.Value, first)
		return false
	}
	seen[key.Value] = key.Line
	return true
}
