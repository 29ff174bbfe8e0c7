package generate

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// str generates a string honouring pattern, format, minLength and
// maxLength; a pattern wins over a format.
func (g *schemaGen) str(s map[string]any) any {
	if p, ok := s["pattern"].(string); ok {
		if v, ok := g.patterned(p, s); ok {
			return v
		}
	}
	if f, ok := s["format"].(string); ok {
		if v, ok := g.formatted(f); ok {
			return v
		}
	}
	text := strings.TrimSuffix(Text(g.rng, 1+g.rng.IntN(3)), ".")
	if lo, ok := num(s, "minLength"); ok {
		text = g.lengthen(text, int(min(lo, float64(g.runes))))
	}
	if hi, ok := num(s, "maxLength"); ok && len([]rune(text)) > int(hi) {
		text = string([]rune(text)[:int(max(hi, 0))])
	}
	return g.take(text)
}

// MaxStringRunes caps the strings of one generated value, all together. A
// minLength beyond it is met only this far: honouring minLength
// 2,000,000,000 would hold a core and gigabytes for one request, and no
// client needs such a value from a mock.
const MaxStringRunes = 100_000

// take charges text to the rune allowance, cutting it to what is left.
func (g *schemaGen) take(text string) string {
	n := utf8.RuneCountInString(text)
	if n > g.runes {
		text, n = string([]rune(text)[:g.runes]), g.runes
	}
	g.runes -= n
	return text
}

// lengthen appends lexicon words to text until it holds want runes,
// counting them as they are added, so the work is linear in what it emits.
func (g *schemaGen) lengthen(text string, want int) string {
	n := utf8.RuneCountInString(text)
	if n >= want {
		return text
	}
	var b strings.Builder
	b.Grow(want + 16)
	b.WriteString(text)
	for n < want {
		word := strings.TrimSpace(lexicon[g.rng.IntN(len(lexicon))])
		b.WriteByte(' ')
		b.WriteString(word)
		n += 1 + utf8.RuneCountInString(word)
	}
	return b.String()
}

// formatted produces a value for the common string formats.
func (g *schemaGen) formatted(format string) (string, bool) {
	n := g.rng.IntN(28) + 1
	switch format {
	case "date-time":
		return fmt.Sprintf("2026-01-%02dT12:00:00Z", n), true
	case "date":
		return fmt.Sprintf("2026-01-%02d", n), true
	case "time":
		return fmt.Sprintf("12:%02d:00Z", n), true
	case "email":
		return fmt.Sprintf("user%d@example.com", n), true
	case "uri", "url":
		return fmt.Sprintf("https://example.com/item/%d", n), true
	case "uuid":
		return fmt.Sprintf("00000000-0000-4000-8000-%012d", n), true
	case "ipv4":
		return fmt.Sprintf("192.0.2.%d", n), true
	case "ipv6":
		return fmt.Sprintf("2001:db8::%x", n), true
	case "hostname":
		return fmt.Sprintf("host%d.example.com", n), true
	case "duration":
		return fmt.Sprintf("PT%dM", n), true
	case "uri-reference":
		return fmt.Sprintf("/item/%d", n), true
	}
	return "", false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
