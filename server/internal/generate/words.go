package generate

import (
	"math/rand/v2"
	"slices"
	"strings"
)

// lexicon is the vocabulary of generated text: short, plain words, so that
// one word is one token.
var lexicon = strings.Fields(`the a mock reply token bucket limit client server request
response stream cache model prompt retry wait quiet steady test double local fast
small clear simple light green river stone cloud paper window garden signal
answer number minute second header budget window careful honest exact patient
and with from into over under after before while since`)

// Words draws n words forming sentences of 4 to 11 words: the first word of
// a sentence is capitalised, the last ends with a period, and every word
// after the first carries its leading space. Joined, they are Text(rng, n).
func Words(rng *rand.Rand, n int) []string {
	return splitWords(Text(rng, n))
}

// Text draws the n words Words draws, joined, in one allocation. A word
// never holds a space, so the words are the text cut before each space.
func Text(rng *rand.Rand, n int) string {
	var b strings.Builder
	b.Grow(n * (longestWord + 2)) // with its space and period: no regrowth
	left := 0
	for i := range n {
		w := lexicon[rng.IntN(len(lexicon))]
		if i > 0 {
			b.WriteByte(' ')
		}
		if left == 0 {
			left = 4 + rng.IntN(8)
			b.WriteByte(upper(w[0]))
			w = w[1:]
		}
		b.WriteString(w)
		left--
		if left == 0 || i == n-1 {
			b.WriteByte('.')
		}
	}
	return b.String()
}

// upper is strings.ToUpper for one byte of the lexicon, which is ASCII,
// without the string ToUpper would allocate.
func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// longestWord is the length of the lexicon's longest word.
var longestWord = len(slices.MaxFunc(lexicon, func(a, b string) int { return len(a) - len(b) }))

// splitWords cuts text before each space: the words Text joined.
func splitWords(text string) []string {
	if text == "" {
		return []string{}
	}
	words := make([]string, 0, strings.Count(text, " ")+1)
	start := 0
	for i := 1; i < len(text); i++ {
		if text[i] == ' ' {
			words = append(words, text[start:i])
			start = i
		}
	}
	return append(words, text[start:])
}
