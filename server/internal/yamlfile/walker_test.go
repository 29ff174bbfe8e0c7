package yamlfile_test

import (
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/yaml.v3"

	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// value parses `v: <src>` and returns the node of v, so each spec sees a
// value at line 1 the way a walker meets it inside a file.
func value(src string) *yaml.Node {
	var doc yaml.Node
	Expect(yaml.Unmarshal([]byte("v: "+src+"\n"), &doc)).To(Succeed())
	return doc.Content[0].Content[1]
}

var _ = Describe("Walker", func() {
	var w *yamlfile.Walker

	BeforeEach(func() { w = yamlfile.NewWalker("f.yaml", 1000) })

	DescribeTable("Float accepts integers and decimals",
		func(src string, want float64) {
			var f float64
			Expect(w.Float(value(src), "v", &f)).To(BeTrue())
			Expect(f).To(Equal(want))
			Expect(w.Lines).To(Equal(map[string]int{"v": 1}))
			Expect(w.Err()).To(Succeed())
		},
		Entry("an integer", "5", 5.0),
		Entry("a decimal", "0.25", 0.25),
		Entry("a negative", "-1.5", -1.5),
		Entry("an exponent", "1e3", 1000.0),
	)

	DescribeTable("Bool accepts true and false",
		func(src string, want bool) {
			b := !want
			Expect(w.Bool(value(src), "v", &b)).To(BeTrue())
			Expect(b).To(Equal(want))
		},
		Entry("true", "true", true),
		Entry("false", "false", false),
	)

	DescribeTable("Duration accepts Go durations, negative ones included",
		func(src string, want time.Duration) {
			var d time.Duration
			Expect(w.Duration(value(src), "v", &d)).To(BeTrue())
			Expect(d).To(Equal(want))
		},
		Entry("seconds", "5s", 5*time.Second),
		Entry("compound", "1m30s", 90*time.Second),
		Entry("quoted", `"100ms"`, 100*time.Millisecond),
		Entry("negative", "-1s", -time.Second),
		Entry("zero", "0s", time.Duration(0)),
	)

	DescribeTable("Time accepts RFC 3339, as a timestamp or quoted",
		func(src string, want time.Time) {
			var t time.Time
			Expect(w.Time(value(src), "v", &t)).To(BeTrue())
			Expect(t.Equal(want)).To(BeTrue(), "got %v", t)
		},
		Entry("a timestamp", "2026-01-05T09:00:00Z", time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)),
		Entry("quoted", `"2026-01-05T09:00:00.5Z"`, time.Date(2026, 1, 5, 9, 0, 0, 500_000_000, time.UTC)),
		Entry("with an offset", "2026-01-05T10:00:00+01:00", time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)),
	)

	DescribeTable("the scalar methods reject what they do not read, naming it",
		func(decode func(w *yamlfile.Walker, n *yaml.Node) bool, src, want string) {
			Expect(decode(w, value(src))).To(BeFalse())
			Expect(w.Err()).To(MatchError(want))
			Expect(w.Lines).To(BeEmpty())
		},
		Entry("Float: a quoted number", float, `"5"`, `f.yaml:1: v: must be a number, got "5"`),
		Entry("Float: not a number", float, ".nan", `f.yaml:1: v: must be a number, got ".nan"`),
		Entry("Float: infinity", float, "-.inf", `f.yaml:1: v: must be a number, got "-.inf"`),
		Entry("Float: a mapping", float, "{a: 1}", `f.yaml:1: v: must be a number, got a mapping`),
		Entry("Bool: a quoted true", boolean, `"true"`, `f.yaml:1: v: must be true or false, got "true"`),
		Entry("Bool: a number", boolean, "1", `f.yaml:1: v: must be true or false, got "1"`),
		Entry("Bool: null", boolean, "~", `f.yaml:1: v: must be true or false, got null`),
		Entry("Duration: a bare number", duration, "5", `f.yaml:1: v: must be a duration such as 1s or 60s, got "5"`),
		Entry("Duration: no unit", duration, `"5"`, `f.yaml:1: v: must be a duration such as 1s or 60s, got "5"`),
		Entry("Duration: a list", duration, "[1s]", `f.yaml:1: v: must be a duration such as 1s or 60s, got a list`),
		Entry("Time: a date alone", timestamp, "2026-01-05",
			`f.yaml:1: v: must be an RFC 3339 time such as 2026-01-05T09:00:00Z, got "2026-01-05"`),
		Entry("Time: a number", timestamp, "5", `f.yaml:1: v: must be an RFC 3339 time such as 2026-01-05T09:00:00Z, got "5"`),
		Entry("Int: a decimal", integer, "1.5", `f.yaml:1: v: must be an integer, got "1.5"`),
		Entry("Int: too large", integer, "99999999999999999999", `f.yaml:1: v: must be an integer, got "99999999999999999999"`),
		Entry("Str: a number", str, "5", `f.yaml:1: v: must be a string, got "5"`),
	)

	It("Fields decodes known keys and reports unknown, repeated and missing ones", func() {
		var a, b int
		n := value("{a: 1, c: 2, a: 3, b: x}")
		ok := w.Fields(n, "v", []string{"a", "b", "d"}, []string{"a", "d"}, func(name string, val *yaml.Node, p string) bool {
			if name == "a" {
				return w.Int(val, p, &a)
			}
			return w.Int(val, p, &b)
		})
		Expect(ok).To(BeFalse())
		Expect(a).To(Equal(1))
		Expect(w.Bad).To(Equal(map[string]bool{"v.b": true}))
		Expect(w.Lines).To(Equal(map[string]int{"v.a": 1}))
		Expect(w.Err()).To(MatchError(`f.yaml:1: v: unknown field "c"` + "\n" +
			`f.yaml:1: v: field "a" is set twice (first at line 1)` + "\n" +
			`f.yaml:1: v: missing required field "d"` + "\n" +
			`f.yaml:1: v.b: must be an integer, got "x"`))
	})

	It("Entries positions a clean entry at its key", func() {
		got := map[string]string{}
		n := value("\n  x: one\n  y: [2]\n  x: three")
		ok := w.Entries(n, "v", func(key string, val *yaml.Node, p string) bool {
			var s string
			good := w.Str(val, p, &s)
			got[key] = s
			return good
		})
		Expect(ok).To(BeFalse())
		Expect(got).To(Equal(map[string]string{"x": "one", "y": ""}))
		Expect(w.Lines).To(Equal(map[string]int{"v.x": 2}))
		Expect(w.Errors()).To(HaveLen(2))
		Expect(w.Err()).To(MatchError(`f.yaml:3: v.y: must be a string, got a list` + "\n" +
			`f.yaml:4: v: key "x" is set twice (first at line 2)`))
	})

	It("List and Strs read null as empty and name each element", func() {
		var s []string
		Expect(w.Strs(value("~"), "v", &s)).To(BeTrue())
		Expect(s).To(BeEmpty())
		Expect(w.Strs(value("[a, 1, b]"), "v", &s)).To(BeFalse())
		Expect(s).To(Equal([]string{"a", "", "b"}))
		Expect(w.Err()).To(MatchError(`f.yaml:1: v[1]: must be a string, got "1"`))
	})

	It("follows aliases and stops once the node budget is spent", func() {
		w = yamlfile.NewWalker("f.yaml", 5)
		var doc yaml.Node
		Expect(yaml.Unmarshal([]byte("a: &x [1, 2]\nb: [*x, *x, *x]\n"), &doc)).To(Succeed())
		var got []string
		ok := w.List(doc.Content[0].Content[3], "b", func(_ int, e *yaml.Node, p string) bool {
			return w.Strs(e, p, &got)
		})
		Expect(ok).To(BeFalse())
		Expect(w.Err()).To(MatchError(
			`f.yaml:1: b[0][0]: must be a string, got "1"` + "\n" +
				`f.yaml:1: b[0][1]: must be a string, got "2"` + "\n" +
				`f.yaml:2: b[1]: the document holds more than 5 values (counting each of the 2 uses of an alias met so far as a copy); the walk stopped here`))
	})

	It("blames no aliases in a file without any, and adds nothing once stopped", func() {
		w = yamlfile.NewWalker("f.yaml", 4)
		var doc yaml.Node
		Expect(yaml.Unmarshal([]byte("b: [x, 2, 3, 4, 5, 6]\n"), &doc)).To(Succeed())
		var got []string
		Expect(w.Strs(doc.Content[0].Content[1], "b", &got)).To(BeFalse())
		w.Add(9, "late", "a problem found after the walk stopped")
		Expect(got).To(Equal([]string{"x", "", ""}))
		Expect(w.Err()).To(MatchError(
			`f.yaml:1: b[1]: must be a string, got "2"` + "\n" +
				`f.yaml:1: b[2]: the document holds more than 4 values; the walk stopped here`))
	})

	It("keeps the problems of the embedded Problems", func() {
		w.Add(2, "p", "message %d", 1)
		Expect(w.Problems.List).To(HaveLen(1))
		Expect(strings.Count(w.Err().Error(), "\n")).To(Equal(0))
	})
})

// The scalar methods as one shape, for the rejection table.
func float(w *yamlfile.Walker, n *yaml.Node) bool {
	var v float64
	return w.Float(n, "v", &v)
}

func boolean(w *yamlfile.Walker, n *yaml.Node) bool {
	var v bool
	return w.Bool(n, "v", &v)
}

func duration(w *yamlfile.Walker, n *yaml.Node) bool {
	var v time.Duration
	return w.Duration(n, "v", &v)
}

func timestamp(w *yamlfile.Walker, n *yaml.Node) bool {
	var v time.Time
	return w.Time(n, "v", &v)
}

func integer(w *yamlfile.Walker, n *yaml.Node) bool {
	var v int
	return w.Int(n, "v", &v)
}

func str(w *yamlfile.Walker, n *yaml.Node) bool {
	var v string
	return w.Str(n, "v", &v)
}
