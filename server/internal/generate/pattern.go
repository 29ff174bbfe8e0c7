package generate

import (
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// maxPatternBytes bounds a string generated from a pattern, whatever its
// repetitions ask for.
const maxPatternBytes = 1000

// patternTries is how many strings are drawn from a pattern to find one
// that also fits minLength and maxLength.
const patternTries = 8

// patterned draws a string matching the regular expression p, as a
// string schema's "pattern" asks (structured outputs accept simple
// patterns). It honours minLength and maxLength when one of a few draws
// fits them. A pattern Go cannot parse (lookarounds, backreferences) or
// that matches nothing gives false, and the other keywords decide.
func (g *schemaGen) patterned(p string, s map[string]any) (string, bool) {
	re := g.parse(p)
	if re == nil {
		return "", false
	}
	lo, hasLo := num(s, "minLength")
	hi, hasHi := num(s, "maxLength")
	var text string
	for range patternTries {
		var b strings.Builder
		if !g.emit(&b, re) {
			return "", false
		}
		text = b.String()
		n := float64(utf8.RuneCountInString(text))
		if (!hasLo || n >= lo) && (!hasHi || n <= hi) {
			break
		}
	}
	return g.take(text), true
}

// parse parses a pattern once per generation; nil for one Go cannot parse.
// The parse is charged by the pattern's length, as it costs about that.
func (g *schemaGen) parse(p string) *syntax.Regexp {
	if re, ok := g.patterns[p]; ok {
		return re
	}
	var re *syntax.Regexp
	if g.spend(len(p)) {
		re, _ = syntax.Parse(p, syntax.Perl)
	}
	g.patterns[p] = re
	return re
}

// emit writes one string that re matches in full; false when re matches
// nothing. Repetitions without an upper bound repeat at most twice beyond
// their minimum.
func (g *schemaGen) emit(b *strings.Builder, re *syntax.Regexp) bool {
	if b.Len() > maxPatternBytes || !g.spend(1) {
		return true
	}
	switch re.Op {
	case syntax.OpNoMatch:
		return false
	case syntax.OpLiteral:
		b.WriteString(string(re.Rune))
	case syntax.OpCharClass:
		r, ok := g.classRune(re.Rune)
		if !ok {
			return false
		}
		b.WriteRune(r)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte(lexicon[g.rng.IntN(len(lexicon))][0])
	case syntax.OpCapture:
		return g.emit(b, re.Sub[0])
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		return g.repeat(b, re)
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !g.emit(b, sub) {
				return false
			}
		}
	case syntax.OpAlternate:
		return g.emit(b, re.Sub[g.rng.IntN(len(re.Sub))])
	}
	return true // empty match, anchors and word boundaries write nothing
}

// repeat writes a repetition's operand between its minimum and maximum
// number of times.
func (g *schemaGen) repeat(b *strings.Builder, re *syntax.Regexp) bool {
	lo, hi := re.Min, re.Max
	switch re.Op {
	case syntax.OpStar:
		lo, hi = 0, -1
	case syntax.OpPlus:
		lo, hi = 1, -1
	case syntax.OpQuest:
		lo, hi = 0, 1
	}
	if hi < 0 || hi > lo+2 {
		hi = lo + 2
	}
	for range lo + g.rng.IntN(hi-lo+1) {
		if !g.emit(b, re.Sub[0]) {
			return false
		}
	}
	return true
}

// classRune draws a rune from a character class (pairs of inclusive
// ranges), preferring letters and digits, then printable ASCII, so that a
// negated class does not produce control characters.
func (g *schemaGen) classRune(ranges []rune) (rune, bool) {
	for _, tier := range [][]rune{{'0', '9', 'A', 'Z', 'a', 'z'}, {' ', '~'}, {0, utf8.MaxRune}} {
		var in []rune
		total := 0
		for i := 0; i+1 < len(ranges); i += 2 {
			for j := 0; j+1 < len(tier); j += 2 {
				lo, hi := max(ranges[i], tier[j]), min(ranges[i+1], tier[j+1])
				if lo <= hi {
					in = append(in, lo, hi)
					total += int(hi-lo) + 1
				}
			}
		}
		if total == 0 {
			continue
		}
		pick := g.rng.IntN(total)
		for i := 0; i+1 < len(in); i += 2 {
			if size := int(in[i+1]-in[i]) + 1; pick >= size {
				pick -= size
			} else {
				return in[i] + rune(pick), true
			}
		}
	}
	return 0, false
}
