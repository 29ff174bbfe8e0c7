package generate

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"unicode/utf8"
)

// bytesPerToken is how much JSON text one output token stands for, the
// same rate a tool call's input is counted at.
const bytesPerToken = 4

// Document generates the JSON document a structured output answers with:
// compact JSON valid against the JSON Schema in raw, by the generator that
// builds tool inputs. Unlike a tool input it may be any JSON value, as the
// schema says. A schema that is not an object gives {}. Closing done (nil
// never closes) stops the work early, as in FromSchema.
func Document(rng *rand.Rand, raw json.RawMessage, done <-chan struct{}) string {
	root := decodeSchema(raw)
	if root == nil {
		return "{}"
	}
	g := newGen(rng, root, done)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as the model writes it: <, > and & as they are
	if enc.Encode(g.value(root, 0)) != nil {
		return "{}"
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// Tokens splits text into output tokens of bytesPerToken bytes (a token
// never splits a character), so that max_tokens and stop sequences cut a
// structured output as they cut words.
func Tokens(text string) []string {
	var out []string
	start := 0
	for end := 0; end < len(text); {
		_, size := utf8.DecodeRuneInString(text[end:])
		if end += size; end-start >= bytesPerToken || end == len(text) {
			out = append(out, text[start:end])
			start = end
		}
	}
	return out
}
