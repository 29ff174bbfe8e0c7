package catalog

import (
	"reflect"
	"strings"
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
