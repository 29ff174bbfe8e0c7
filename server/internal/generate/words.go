package generate

import (
	"math/rand/v2"
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
// after the first carries its leading space. Joined, they are the text.
func Words(rng *rand.Rand, n int) []string {
	words := make([]string, 0, n)
	left := 0
	for i := range n {
		w := lexicon[rng.IntN(len(lexicon))]
		if left == 0 {
			left = 4 + rng.IntN(8)
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		left--
		if left == 0 || i == n-1 {
			w += "."
		}
		if i > 0 {
			w = " " + w
		}
		words = append(words, w)
	}
	return words
}
