package generate_test

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/claudemock/claudemock/server/internal/generate"
)

// FuzzFromSchema checks that no schema, however odd, makes generation panic
// or produce something that is not a JSON object.
func FuzzFromSchema(f *testing.F) {
	f.Add(`{"type":"object","properties":{"a":{"type":"integer","minimum":5,"maximum":1}}}`)
	f.Add(`{"$ref":"#"}`)
	f.Add(`{"$defs":{"a":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}`)
	f.Add(`{"type":"array","minItems":1e9}`)
	f.Add(`{"allOf":[{"allOf":[{"$ref":"#"}]}]}`)
	f.Add(`{"properties":{"a":{"$ref":"#"},"b":{"$ref":"#"}},"required":["a","b"]}`)
	f.Add(`{"properties":{"p":{"pattern":"(a|b+)*[^\\d]{2,}$"}}}`)
	f.Add(`{"$defs":{"x":{"allOf":[{"$ref":"#/$defs/x"},{"$ref":"#/$defs/x"}],"properties":{"y":{"$ref":"#/$defs/x"}},"required":["y"]}},"$ref":"#/$defs/x"}`)
	f.Add(`{"properties":{"a":{"minLength":1e9},"b":{"minLength":1e9}},"required":["a","b","c","c"]}`)
	f.Add(`{"properties":{"x":{"type":"array","minItems":100,"items":{"pattern":"^(a|b){999}[^a]{3,}$"}}}}`)
	f.Fuzz(func(t *testing.T, schema string) {
		v := generate.FromSchema(rand.New(rand.NewPCG(1, 2)), json.RawMessage(schema), nil)
		raw, err := json.Marshal(v)
		if err != nil || len(raw) == 0 || raw[0] != '{' {
			t.Fatalf("schema %q gave %s (%v)", schema, raw, err)
		}
		if limit := 16*len(schema) + 4<<20; len(raw) > limit {
			t.Fatalf("schema of %d bytes gave %d bytes, over %d", len(schema), len(raw), limit)
		}
	})
}

// FuzzDocument checks that a structured output is always one JSON
// document, whatever the schema.
func FuzzDocument(f *testing.F) {
	f.Add(`{"type":"array","items":{"$ref":"#"},"minItems":2}`)
	f.Add(`{"type":"string","pattern":"^[\\x{D800}-\\x{DFFF}]+$"}`)
	f.Add(`{"enum":[1e400]}`)
	f.Fuzz(func(t *testing.T, schema string) {
		doc := generate.Document(rand.New(rand.NewPCG(1, 2)), json.RawMessage(schema), nil)
		if !json.Valid([]byte(doc)) {
			t.Fatalf("schema %q gave %q", schema, doc)
		}
	})
}

// FuzzAutoTool checks the one-pass word walk against the rule as it was
// first written (every word of the text built by nameWords, lower-cased,
// and compared): the same tool is called for every text and pair of
// tool names.
func FuzzAutoTool(f *testing.F) {
	f.Add("please getWeather for HTTPServer", "get_weather", "http-server")
	f.Add("ΣΊΣΥΦΟΣ ςσ KELVIN K", "σίσυφος", "kelvin")
	f.Add("a1B2 c\xffd <system-reminder>get time</system-reminder> get", "A1-b2", "get time")
	f.Add("x y x y z", "y_z", "x-y-x-y-z-q")
	f.Fuzz(func(t *testing.T, text, first, second string) {
		tools := []generate.Tool{{Name: first}, {Name: second}}
		got := generate.AutoTool(generate.AutoNamed, tools, &generate.Turn{Text: text})
		want := referenceAutoTool(tools, text)
		if got != want {
			t.Fatalf("text %q, tools %q %q: called %v, the reference %v", text, first, second, got, want)
		}
	})
}

// referenceAutoTool is AutoNamed as first written.
func referenceAutoTool(tools []generate.Tool, text string) *generate.Tool {
	said := generate.NameWords(generate.WithoutReminders(text))
	for i := range tools {
		name := generate.NameWords(tools[i].Name)
		if len(name) == 0 || len(name) > 16 {
			continue
		}
		for k := 0; k+len(name) <= len(said); k++ {
			if slices.Equal(said[k:k+len(name)], name) {
				return &tools[i]
			}
		}
	}
	return nil
}
