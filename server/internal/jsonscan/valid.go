// Package jsonscan reads JSON text in place, without reflection and without
// copying: Valid checks a whole document in one pass, and the walkers
// (Members, Elems, Skip, Unquote) then yield keys and values as substrings
// of it. The request package decodes a Messages body with it once, instead
// of unmarshalling the same bytes again for every level of the body.
//
// The walkers trust their input: they are only called on text Valid has
// accepted (they never panic on other text, but what they yield for it is
// unspecified).
package jsonscan

import "unicode/utf8"

// MaxDepth is encoding/json's nesting limit: a document nested deeper is
// refused ("exceeded max depth").
const MaxDepth = 10000

// plain marks the bytes a string may hold as they are: printable ASCII
// other than the quote and the backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// Valid reports whether s is one JSON value that encoding/json accepts
// (json.Valid), whose strings are valid UTF-8 and hold no \u escape of half
// a UTF-16 surrogate pair: exactly the documents the request package's
// CheckSyntax lets through, whatever their top-level type.
func Valid(s string) bool {
	v := validator{s: s}
	i, ok := v.value(space(s, 0), 0)
	return ok && space(s, i) == len(s)
}

// validator walks one document; each method takes the offset of what it
// reads and returns the offset after it.
type validator struct{ s string }

func (v *validator) value(i, depth int) (int, bool) {
	if i >= len(v.s) {
		return i, false
	}
	switch c := v.s[i]; {
	case c == '{':
		return v.object(i+1, depth+1)
	case c == '[':
		return v.array(i+1, depth+1)
	case c == '"':
		return validString(v.s, i+1)
	case c == '-' || (c >= '0' && c <= '9'):
		return validNumber(v.s, i)
	case c == 't':
		return literal(v.s, i, "true")
	case c == 'f':
		return literal(v.s, i, "false")
	case c == 'n':
		return literal(v.s, i, "null")
	}
	return i, false
}

func (v *validator) object(i, depth int) (int, bool) {
	if depth > MaxDepth {
		return i, false
	}
	if i = space(v.s, i); i < len(v.s) && v.s[i] == '}' {
		return i + 1, true
	}
	var ok bool
	for {
		if i >= len(v.s) || v.s[i] != '"' {
			return i, false
		}
		i, ok = validString(v.s, i+1)
		if !ok {
			return i, false
		}
		if i = space(v.s, i); i >= len(v.s) || v.s[i] != ':' {
			return i, false
		}
		if i, ok = v.value(space(v.s, i+1), depth); !ok {
			return i, false
		}
		switch i = space(v.s, i); {
		case i >= len(v.s):
			return i, false
		case v.s[i] == '}':
			return i + 1, true
		case v.s[i] != ',':
			return i, false
		}
		i = space(v.s, i+1)
	}
}

func (v *validator) array(i, depth int) (int, bool) {
	if depth > MaxDepth {
		return i, false
	}
	if i = space(v.s, i); i < len(v.s) && v.s[i] == ']' {
		return i + 1, true
	}
	var ok bool
	for {
		i, ok = v.value(i, depth)
		if !ok {
			return i, false
		}
		switch i = space(v.s, i); {
		case i >= len(v.s):
			return i, false
		case v.s[i] == ']':
			return i + 1, true
		case v.s[i] != ',':
			return i, false
		}
		i = space(v.s, i+1)
	}
}

// validString checks the string whose opening quote is just before i.
func validString(s string, i int) (int, bool) {
	for {
		i = plainRun(s, i)
		if i >= len(s) {
			return i, false
		}
		switch c := s[i]; {
		case c == '"':
			return i + 1, true
		case c == '\\':
			n, ok := validEscape(s, i)
			if !ok {
				return i, false
			}
			i += n
		case c < 0x20:
			return i, false
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return i, false
			}
			i += size
		}
	}
}

// plainRun returns the offset of the first byte at or after s[i] that is
// not plain, eight bytes at a time while it can: long strings (the
// prompts) are most of a body.
func plainRun(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		quote, backslash := w^(ones*'"'), w^(ones*'\\')
		special := (w - ones*0x20) | (quote-ones)&^quote | (backslash-ones)&^backslash
		if (special|w)&highs != 0 {
			break
		}
	}
	for i < len(s) && plain[s[i]] {
		i++
	}
	return i
}

// validEscape checks the escape at s[i] (a backslash) and returns its
// length: a \u escape of a high surrogate must be followed by one of a
// low surrogate, and a low one may not come alone.
func validEscape(s string, i int) (int, bool) {
	if i+1 >= len(s) {
		return 0, false
	}
	switch s[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, true
	case 'u':
	default:
		return 0, false
	}
	r, ok := hex4(s, i+2)
	switch {
	case !ok || (r >= 0xDC00 && r <= 0xDFFF):
		return 0, false
	case r < 0xD800 || r > 0xDBFF:
		return 6, true
	case i+12 > len(s) || s[i+6] != '\\' || s[i+7] != 'u':
		return 0, false
	}
	lo, ok := hex4(s, i+8)
	return 12, ok && lo >= 0xDC00 && lo <= 0xDFFF
}

// hex4 reads the four hex digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// validNumber checks the number at s[i:]: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(s string, i int) (int, bool) {
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		i = digits(s, i)
	default:
		return i, false
	}
	if i < len(s) && s[i] == '.' {
		if j := digits(s, i+1); j > i+1 {
			i = j
		} else {
			return j, false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digits(s, i)
		return j, j > i
	}
	return i, true
}

func digits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

func literal(s string, i int, word string) (int, bool) {
	if len(s)-i >= len(word) && s[i:i+len(word)] == word {
		return i + len(word), true
	}
	return i, false
}

// space skips JSON whitespace from s[i].
func space(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}
