package request

import (
	"encoding/json"
	"strconv"
	"strings"
	"unsafe"

	"github.com/claudemock/claudemock/server/internal/jsonscan"
)

// The Messages body is decoded in one walk (package jsonscan) over one
// string copy of it: keys are matched by a switch, values are substrings
// of that copy, and each level is read once. The rules below reproduce
// what DecodeObject and json.Unmarshal into the former structs did, fault
// for fault, so that the refusals are worded exactly as before.

// kind is the JSON type a strictly decoded key expects.
type kind uint8

const (
	anyValue kind = iota // raw or ignored: any value
	stringValue
	intValue
	floatValue
	boolValue
	stringList // a list of strings (null elements read as "")
	anyList    // a list of any values
)

// member is one key of an object and its value's JSON text.
type member struct{ key, val string }

// members collects the members of the object text obj into buf (the
// caller's array, so that a small object costs no allocation); the last of
// duplicate keys wins, as in a Go map.
func members(obj string, buf []member) []member {
	it := jsonscan.Members(obj)
	for {
		k, v, ok := it.Next()
		if !ok {
			return buf
		}
		if i := memberIndex(buf, k); i >= 0 {
			buf[i].val = v
			continue
		}
		buf = append(buf, member{k, v})
	}
}

func memberIndex(ms []member, key string) int {
	for i := range ms {
		if ms[i].key == key {
			return i
		}
	}
	return -1
}

// strictFault is DecodeObject's verdict on an object's members: the key
// that sorts first among the unknown keys (want says false) and the keys
// whose non-null value has the wrong type, and the words for its fault;
// fault "" when there is none (a key may be ""). The caller names the key
// by its full path.
func strictFault(ms []member, want func(string) (kind, bool)) (bad, fault string) {
	for _, m := range ms {
		if fault != "" && m.key >= bad {
			continue
		}
		k, known := want(m.key)
		switch {
		case !known:
			bad, fault = m.key, "Extra inputs are not permitted"
		case m.val != "null":
			if f := typeFault(k, m.val); f != "" {
				bad, fault = m.key, f
			}
		}
	}
	return bad, fault
}

// typeFault is the pydantic wording for a value of the wrong JSON type
// for k, as TypeError words json.Unmarshal's mismatch; "" when it fits.
func typeFault(k kind, v string) string {
	ok := true
	switch k {
	case stringValue:
		ok = v[0] == '"'
	case intValue:
		_, err := strconv.ParseInt(v, 10, 64)
		ok = isNumber(v) && err == nil
	case floatValue:
		_, err := strconv.ParseFloat(v, 64)
		ok = isNumber(v) && err == nil
	case boolValue:
		ok = v == "true" || v == "false"
	case stringList:
		if v[0] != '[' {
			return "Input should be a valid list"
		}
		ok = allStrings(v)
	case anyList:
		if v[0] != '[' {
			return "Input should be a valid list"
		}
	}
	if ok {
		return ""
	}
	return expectedOf(k)
}

func isNumber(v string) bool { return v[0] == '-' || (v[0] >= '0' && v[0] <= '9') }

// allStrings reports whether every element of the list text v is a
// string or null.
func allStrings(v string) bool {
	it := jsonscan.Elems(v)
	for {
		e, ok := it.Elem()
		if !ok {
			return true
		}
		if e[0] != '"' && e != "null" {
			return false
		}
	}
}

// expectedOf names the JSON type a kind stands for, as expected does.
func expectedOf(k kind) string {
	switch k {
	case intValue:
		return "Input should be a valid integer"
	case floatValue:
		return "Input should be a valid number"
	case boolValue:
		return "Input should be a valid boolean"
	}
	return "Input should be a valid string" // stringValue, and a stringList's element
}

// rawJSON is the bytes of a value's JSON text, without a copy: the text is
// a substring of the string copy of the body, which nothing writes to, and
// these bytes are only ever read (unmarshalled, compared); appending to
// them reallocates, since their capacity is their length. "" is nil.
func rawJSON(v string) json.RawMessage {
	if v == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(v), len(v))
}

// isNull reports whether a value's text is absent or null.
func isNull(v string) bool { return v == "" || v == "null" }

// list is a JSON array read in place: its text and its length (-1 when
// not counted: counting is a walk over the whole list).
type list struct {
	text string
	n    int
}

// empty reports whether the list has no element (the zero list has none).
func (l list) empty() bool {
	return len(l.text) < 2 || strings.TrimLeft(l.text[1:], " \t\r\n")[0] == ']'
}

// readList counts the elements of the list text v.
func readList(v string) list {
	l := list{text: v}
	it := jsonscan.Elems(v)
	for _, ok := it.Elem(); ok; _, ok = it.Elem() {
		l.n++
	}
	return l
}

// elems iterates over the list's elements.
func (l list) elems() jsonscan.Iter { return jsonscan.Elems(l.text) }

// last is the list's last element ("" when empty).
func (l list) last() string {
	var v string
	it := l.elems()
	for e, ok := it.Elem(); ok; e, ok = it.Elem() {
		v = e
	}
	return v
}

// fieldOf is the name among names a key of a leniently decoded object
// (json.Unmarshal into a struct) sets: the exact name, else one equal
// under Unicode case folding, as encoding/json matches struct fields; ""
// for none. The common case, an exact name, is the caller's switch.
func fieldOf(key string, names ...string) string {
	for _, n := range names {
		if strings.EqualFold(key, n) {
			return n
		}
	}
	return ""
}

// loc names a place in the body for an error message, built only when a
// refusal is worded: prefix.i[.content.j][.tag].
type loc struct {
	prefix string // "messages", "system" or "tools"; "" for the body itself
	i, j   int    // j < 0 when the place is no block of a message
	tag    string // the block's or tool's type, named after its position
}

// String is the dotted path, e.g. "messages.1.content.0.tool_use".
func (l loc) String() string {
	if l.prefix == "" {
		return l.tag
	}
	s := l.prefix + "." + itoa(l.i)
	if l.j >= 0 {
		s += ".content." + itoa(l.j)
	}
	if l.tag != "" {
		s += "." + l.tag
	}
	return s
}

// tagged is l with the type named after its position.
func (l loc) tagged(tag string) loc {
	l.tag = tag
	return l
}

func messageLoc(i int) loc     { return loc{prefix: "messages", i: i, j: -1} }
func blockLoc(i, j int) loc    { return loc{prefix: "messages", i: i, j: j} }
func systemLoc(i int) loc      { return loc{prefix: "system", i: i, j: -1} }
func toolLoc(i int) loc        { return loc{prefix: "tools", i: i, j: -1} }
func fieldLoc(path string) loc { return loc{tag: path} }
