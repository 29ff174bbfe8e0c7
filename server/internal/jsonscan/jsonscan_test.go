package jsonscan_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/jsonscan"
)

var _ = Describe("Valid", func() {
	DescribeTable("accepts what encoding/json accepts, with valid UTF-8 and whole surrogate pairs",
		func(doc string, valid bool) {
			Expect(jsonscan.Valid(doc)).To(Equal(valid))
		},
		Entry("an object", ` {"a": [1, -2.5e+3, true, false, null, "x\u00e9\ud83d\ude00\n"]} `, true),
		Entry("a long plain string", `"`+strings.Repeat("abcdefg ", 100)+`"`, true),
		Entry("a scalar", `0`, true),
		Entry("nothing", ``, false),
		Entry("a trailing comma", `[1,]`, false),
		Entry("a leading zero", `01`, false),
		Entry("a bare fraction", `1.`, false),
		Entry("content after the document", `{} x`, false),
		Entry("a control character in a string", "\"a\tb\"", false),
		Entry("a bad escape", `"\x"`, false),
		Entry("a lone high surrogate", `"\ud800"`, false),
		Entry("a high surrogate before no low one", `"\ud800\u0041"`, false),
		Entry("a lone low surrogate", `"\udc00"`, false),
		Entry("invalid UTF-8", "\"a\xffb\"", false),
		Entry("nesting at encoding/json's limit", strings.Repeat("[", 10000)+strings.Repeat("]", 10000), true),
		Entry("nesting past it", strings.Repeat("[", 10001)+strings.Repeat("]", 10001), false),
	)
})

var _ = Describe("the walkers", func() {
	It("yield an object's members as unescaped keys and value texts", func() {
		it := jsonscan.Members(`{"a" : 1 , "b\u0021":{"c":[1,"]"]}, "d":"x\"y"}`)
		var got []string
		for k, v, ok := it.Next(); ok; k, v, ok = it.Next() {
			got = append(got, k+"="+v)
		}
		Expect(got).To(Equal([]string{`a=1`, `b!={"c":[1,"]"]}`, `d="x\"y"`}))
	})

	It("yield an array's elements", func() {
		it := jsonscan.Elems(`[ 1, "a\\" , [] ,{}]`)
		var got []string
		for v, ok := it.Elem(); ok; v, ok = it.Elem() {
			got = append(got, v)
		}
		Expect(got).To(Equal([]string{`1`, `"a\\"`, `[]`, `{}`}))
	})

	It("unquote without a copy when there is no escape, and decode escapes as encoding/json does", func() {
		plain := `"hello"`
		Expect(jsonscan.Unquote(plain)).To(Equal("hello"))
		Expect(jsonscan.Unquote(`"a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"`)).To(Equal("a\"\\/\b\f\n\r\té😀"))
	})

	It("compact a value as json.Compact does", func() {
		Expect(jsonscan.Compact(`{ "a" : [ 1 , " x " ] }`)).To(Equal(`{"a":[1," x "]}`))
		Expect(jsonscan.Compact(`{"a":1}`)).To(Equal(`{"a":1}`))
	})
})

// FuzzWalk checks Valid and the walkers against encoding/json: Valid
// accepts only what json.Valid accepts, and of a valid document, Unquote,
// Compact and Members read what json.Unmarshal and json.Compact read.
func FuzzWalk(f *testing.F) {
	for _, seed := range []string{`{"a":"b\u00e9","a":[1, {"c" : null}]}`, `"\ud83d\ude00"`, `[1,2 ,3]`, `{"\u0041":1}`, " {} "} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		valid := jsonscan.Valid(doc)
		if valid && (!json.Valid([]byte(doc)) || !utf8.ValidString(doc)) {
			t.Fatalf("Valid accepts %q, which encoding/json or UTF-8 refuses", doc)
		}
		if json.Valid([]byte(doc)) && utf8.ValidString(doc) && !strings.Contains(doc, `\u`) && !valid {
			t.Fatalf("Valid refuses %q, which encoding/json accepts", doc)
		}
		if !valid {
			return
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(doc)); err != nil || jsonscan.Compact(strings.Trim(doc, " \t\r\n")) != buf.String() {
			t.Fatalf("Compact(%q) = %q, json.Compact %q", doc, jsonscan.Compact(doc), buf.String())
		}
		checkValue(t, strings.Trim(doc, " \t\r\n"))
	})
}

// checkValue compares what the walkers read of v with json.Unmarshal.
func checkValue(t *testing.T, v string) {
	switch v[0] {
	case '"':
		var want string
		if err := json.Unmarshal([]byte(v), &want); err != nil || jsonscan.Unquote(v) != want {
			t.Fatalf("Unquote(%q) = %q, want %q", v, jsonscan.Unquote(v), want)
		}
	case '{':
		var want map[string]json.RawMessage
		_ = json.Unmarshal([]byte(v), &want)
		got := map[string]json.RawMessage{}
		it := jsonscan.Members(v)
		for k, val, ok := it.Next(); ok; k, val, ok = it.Next() {
			got[k] = json.RawMessage(val)
			checkValue(t, val)
		}
		if len(got) != len(want) {
			t.Fatalf("Members(%q) = %v, want %v", v, got, want)
		}
		for k, val := range want {
			if string(bytes.TrimSpace(val)) != string(got[k]) {
				t.Fatalf("Members(%q)[%q] = %q, want %q", v, k, got[k], val)
			}
		}
	case '[':
		var want []json.RawMessage
		_ = json.Unmarshal([]byte(v), &want)
		it := jsonscan.Elems(v)
		n := 0
		for val, ok := it.Elem(); ok; val, ok = it.Elem() {
			if n >= len(want) || string(bytes.TrimSpace(want[n])) != val {
				t.Fatalf("Elems(%q) element %d = %q", v, n, val)
			}
			checkValue(t, val)
			n++
		}
		if n != len(want) {
			t.Fatalf("Elems(%q) has %d elements, want %d", v, n, len(want))
		}
	}
}
