package catalog

import (
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// field is one settable key of a schema struct, read from its tags.
type field struct {
	name     string // the yaml tag
	index    int    // position in the struct
	optional bool   // tagged catalog:"optional"
}

// fieldsOf lists the yaml keys of a schema struct in declaration order, so
// "missing field" problems come out in the order the fields are documented.
func fieldsOf(t reflect.Type) []field {
	fields := make([]field, 0, t.NumField())
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		fields = append(fields, field{name: name, index: i, optional: sf.Tag.Get("catalog") == "optional"})
	}
	return fields
}

// scalarKind says, for a Go kind, how to describe it in a problem and which
// YAML tags may decode into it.
func scalarKind(k reflect.Kind) (want string, tags []string) {
	switch k {
	case reflect.String:
		return "a string", []string{"!!str"}
	case reflect.Int:
		return "an integer", []string{"!!int"}
	case reflect.Float64:
		return "a number", []string{"!!int", "!!float"}
	case reflect.Bool:
		return "true or false", []string{"!!bool"}
	}
	return "a supported value", nil
}

// resolve follows YAML aliases (*name) to the node they stand for, so anchors
// can be used anywhere a value can. The bound guards against a malformed tree.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; i < 16 && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

// isNull reports whether n is YAML null (null, ~ or an empty value).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names what a node holds, for the "got …" part of a problem.
func describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case isNull(n):
		return "null"
	case n.Kind == yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "an unresolved alias"
}

// join extends a field path: "models[0]" + "prices" = "models[0].prices".
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
