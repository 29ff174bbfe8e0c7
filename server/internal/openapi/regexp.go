package openapi

import (
	"regexp"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ecmaRegexp compiles an ECMA-262 style `pattern` with Go's regexp
// package. The OpenAPI document uses `\uXXXX` escapes (for example
// `^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$`), which RE2 does not understand;
// they are rewritten to the equivalent `\x{XXXX}`. Everything else the
// document uses (classes, `\d`, `\x..`, anchors, bounded repeats) is
// already valid RE2.
func ecmaRegexp(s string) (jsonschema.Regexp, error) {
	return regexp.Compile(translateECMA(s))
}

func translateECMA(s string) string {
	if !strings.Contains(s, `\u`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		next := s[i+1]
		if next == 'u' && i+6 <= len(s) && isHex(s[i+2:i+6]) {
			b.WriteString(`\x{`)
			b.WriteString(s[i+2 : i+6])
			b.WriteByte('}')
			i += 5
			continue
		}
		// keep any other escape (including `\\`) verbatim
		b.WriteByte(c)
		b.WriteByte(next)
		i++
	}
	return b.String()
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
