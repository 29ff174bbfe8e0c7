package jsonscan

import (
	"strings"
	"unicode/utf8"
)

// Iter walks the members of an object or the elements of an array, each
// value yielded as the substring of its JSON text (no surrounding space).
type Iter struct {
	s string
	i int
}

// Members iterates over the object whose JSON text is obj (from '{').
func Members(obj string) Iter { return Iter{s: obj, i: 1} }

// Elems iterates over the array whose JSON text is arr (from '[').
func Elems(arr string) Iter { return Iter{s: arr, i: 1} }

// Next yields the next member of an object: its key, unescaped (a
// substring unless it has escapes), and its value's text.
func (it *Iter) Next() (key, val string, ok bool) {
	i := it.start()
	if i >= len(it.s) || it.s[i] != '"' {
		it.i = len(it.s)
		return "", "", false
	}
	end := Skip(it.s, i)
	key = Unquote(it.s[i:end])
	i = space(it.s, end)
	if i < len(it.s) && it.s[i] == ':' {
		i = space(it.s, i+1)
	}
	end = Skip(it.s, i)
	it.i = end
	return key, it.s[i:end], true
}

// Elem yields the next element of an array.
func (it *Iter) Elem() (val string, ok bool) {
	i := it.start()
	if i >= len(it.s) || it.s[i] == ']' {
		it.i = len(it.s)
		return "", false
	}
	end := Skip(it.s, i)
	if end == i { // not JSON: stop rather than loop
		it.i = len(it.s)
		return "", false
	}
	it.i = end
	return it.s[i:end], true
}

// start skips the space and the comma before the next item.
func (it *Iter) start() int {
	i := space(it.s, it.i)
	if i < len(it.s) && it.s[i] == ',' {
		i = space(it.s, i+1)
	}
	return i
}

// Skip returns the offset just after the value that starts at s[i].
func Skip(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '"':
		return skipString(s, i+1)
	case '{', '[':
		return skipNested(s, i)
	}
	for i < len(s) && scalarByte(s[i]) {
		i++
	}
	return i
}

// scalarByte reports whether c may be part of a number or a literal.
func scalarByte(c byte) bool {
	return c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// skipString returns the offset after the string whose opening quote is
// just before i: the first quote not escaped by an odd run of backslashes.
func skipString(s string, i int) int {
	for {
		j := strings.IndexByte(s[i:], '"')
		if j < 0 {
			return len(s)
		}
		i += j
		k := i
		for k > 0 && s[k-1] == '\\' {
			k--
		}
		if (i-k)%2 == 0 {
			return i + 1
		}
		i++
	}
}

// skipNested returns the offset after the object or array at s[i].
func skipNested(s string, i int) int {
	depth := 0
	for i < len(s) {
		switch s[i] {
		case '"':
			i = skipString(s, i+1)
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1
			}
		}
		i++
	}
	return i
}

// Unquote is the value of the JSON string whose text (with its quotes) is
// v: a substring of v when it has no escapes, so that reading a valid body
// costs no copy.
func Unquote(v string) string {
	if len(v) < 2 {
		return ""
	}
	body := v[1 : len(v)-1]
	if strings.IndexByte(body, '\\') < 0 {
		return body
	}
	return unescape(body)
}

// unescape decodes the escapes of a string's body (valid, so every \u
// high surrogate has its low one).
func unescape(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b = append(b, c)
			i++
			continue
		}
		i += 2
		switch s[i-1] {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			var r rune
			r, i = unicodeEscape(s, i)
			b = utf8.AppendRune(b, r)
		default: // '"', '\\', '/'
			b = append(b, s[i-1])
		}
	}
	return string(b)
}

// unicodeEscape reads the four hex digits at s[i:] (and the low half of a
// surrogate pair after them) and returns the rune and the offset after.
func unicodeEscape(s string, i int) (rune, int) {
	r, ok := hex4(s, i)
	if !ok {
		return utf8.RuneError, i
	}
	i += 4
	if r < 0xD800 || r > 0xDBFF || i+6 > len(s) || s[i] != '\\' || s[i+1] != 'u' {
		if r >= 0xD800 && r <= 0xDFFF {
			r = utf8.RuneError
		}
		return r, i
	}
	lo, ok := hex4(s, i+2)
	if !ok || lo < 0xDC00 || lo > 0xDFFF {
		return utf8.RuneError, i
	}
	return (r-0xD800)<<10 | (lo - 0xDC00) + 0x10000, i + 6
}

// Compact is v without the space between its tokens, as json.Compact
// writes it: v itself (no copy) when it has none.
func Compact(v string) string {
	i := nextSpace(v, 0)
	if i == len(v) {
		return v
	}
	b := make([]byte, 0, len(v))
	for start := 0; start < len(v); {
		b = append(b, v[start:i]...)
		start = space(v, i)
		i = nextSpace(v, start)
	}
	return string(b)
}

// nextSpace is the offset of the first space outside a string at or after
// s[i]; len(s) when there is none.
func nextSpace(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case '"':
			i = skipString(s, i+1)
			continue
		case ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}
