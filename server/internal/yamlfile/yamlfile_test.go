package yamlfile_test

import (
	"errors"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/yaml.v3"

	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

var _ = Describe("Problem", func() {
	It("formats as file:line: path: message", func() {
		p := &yamlfile.Problem{File: "tiers.yaml", Line: 7, Path: "models[0].id", Msg: "must not be empty"}
		Expect(p.Error()).To(Equal("tiers.yaml:7: models[0].id: must not be empty"))
	})

	It("leaves the path out when there is none", func() {
		p := &yamlfile.Problem{File: "tiers.yaml", Line: 1, Msg: "document is empty"}
		Expect(p.Error()).To(Equal("tiers.yaml:1: document is empty"))
	})
})

var _ = Describe("Parse", func() {
	It("returns the one document", func() {
		root, err := yamlfile.Parse("f.yaml", []byte("a: 1\n"), "empty")
		Expect(err).NotTo(HaveOccurred())
		Expect(root.Kind).To(Equal(yaml.DocumentNode))
		Expect(root.Content[0].Content[1].Value).To(Equal("1"))
	})

	DescribeTable("rejects what is not exactly one document",
		func(data, want string) {
			root, err := yamlfile.Parse("f.yaml", []byte(data), "nothing here")
			Expect(root).To(BeNil())
			Expect(err).To(MatchError(want))
		},
		Entry("a second document", "a: 1\n---\nb: 2\n", "f.yaml:2: only one YAML document is allowed"),
		Entry("an empty file", "", "f.yaml:1: nothing here"),
		Entry("only a comment", "# nothing\n", "f.yaml:1: nothing here"),
		Entry("a syntax error", "a: [1, 2\n", "f.yaml:1: did not find expected ',' or ']'"),
		Entry("a syntax error in the second document", "a: 1\n---\n[\n", "f.yaml:3: did not find expected node content"),
		Entry("binary garbage, without a line or a panic", "\x00\xff\xfe", "f.yaml: control characters are not allowed"),
	)

	It("refuses a file over MaxBytes by its size, before parsing it", func() {
		data := []byte("a: " + strings.Repeat("x", yamlfile.MaxBytes) + "\n")
		root, err := yamlfile.Parse("f.yaml", data, "empty")
		Expect(root).To(BeNil())
		Expect(err).To(MatchError("f.yaml: the file is 4.0 MiB; YAML files are limited to 4 MiB"))
		Expect(yamlfile.CheckSize("g.yaml", 11<<20)).To(MatchError("g.yaml: the file is 11.0 MiB; YAML files are limited to 4 MiB"))
		Expect(yamlfile.CheckSize("g.yaml", yamlfile.MaxBytes)).To(Succeed())
	})

	It("positions syntax errors as a Problem", func() {
		_, err := yamlfile.Parse("f.yaml", []byte("a: 1\n  b: 2\n"), "empty")
		var p *yamlfile.Problem
		Expect(errors.As(err, &p)).To(BeTrue())
		Expect(*p).To(Equal(yamlfile.Problem{File: "f.yaml", Line: 2, Msg: "mapping values are not allowed in this context"}))
	})
})

var _ = Describe("Join", func() {
	It("orders problems by line, then path, keeping ties in order found", func() {
		ps := yamlfile.Problems{File: "f.yaml"}
		ps.Add(3, "b", "third")
		ps.Add(1, "z", "second")
		ps.Add(1, "", "first")
		ps.Add(3, "b", "fourth")
		Expect(yamlfile.Join(ps.List)).To(MatchError(
			"f.yaml:1: first\nf.yaml:1: z: second\nf.yaml:3: b: third\nf.yaml:3: b: fourth"))
	})

	It("spells out MaxReported problems and counts the rest, keeping the one that stopped the walk", func() {
		ps := yamlfile.Problems{File: "f.yaml"}
		for i := range 30_000 {
			ps.Add(i+1, "", "bad %d", i+1)
		}
		ps.Stop(25_000, "x", "stopped")
		ps.Add(30_001, "", "dropped after the stop")
		lines := strings.Split(yamlfile.Join(ps.List).Error(), "\n")
		Expect(lines).To(HaveLen(yamlfile.MaxReported + 2))
		Expect(lines[0]).To(Equal("f.yaml:1: bad 1"))
		Expect(lines[19]).To(Equal("f.yaml:20: bad 20"))
		Expect(lines[20]).To(Equal("f.yaml:25000: x: stopped"))
		Expect(lines[21]).To(Equal("… and 29980 more problems"))
	})

	It("is nil without problems", func() {
		Expect(yamlfile.Join(nil)).To(Succeed())
		Expect(yamlfile.Sort(nil)).To(BeEmpty())
	})
})

var _ = Describe("Claim", func() {
	It("registers a name for its first owner and refuses empty, spaced and taken names", func() {
		ps := yamlfile.Problems{File: "f.yaml"}
		owners := map[string]string{}
		ps.Claim(owners, 1, "a[0].id", "x", `"x"`, "a[0]")
		ps.Claim(owners, 2, "a[1].id", "", `""`, "a[1]")
		ps.Claim(owners, 3, "a[2].id", "y z", `"y z"`, "a[2]")
		ps.Claim(owners, 4, "a[3].id", "x", `"x"`, "a[3]")
		Expect(owners).To(Equal(map[string]string{"x": "a[0]"}))
		Expect(yamlfile.Join(ps.List)).To(MatchError("f.yaml:2: a[1].id: must not be empty\n" +
			`f.yaml:3: a[2].id: must not contain whitespace, got "y z"` + "\n" +
			`f.yaml:4: a[3].id: "x" is already used by a[0]`))
	})
})

var _ = Describe("node helpers", func() {
	node := func(src string) *yaml.Node {
		var doc yaml.Node
		Expect(yaml.Unmarshal([]byte(src), &doc)).To(Succeed())
		return doc.Content[0]
	}

	DescribeTable("Describe names what a node holds",
		func(src, want string) { Expect(yamlfile.Describe(node(src))).To(Equal(want)) },
		Entry("a mapping", "{a: 1}", "a mapping"),
		Entry("a list", "[1]", "a list"),
		Entry("null", "~", "null"),
		Entry("a scalar, quoted", "5", `"5"`),
	)

	It("Resolve follows an alias to its anchor", func() {
		m := node("a: &x [1]\nb: *x\n")
		Expect(yamlfile.Resolve(m.Content[3])).To(BeIdenticalTo(m.Content[1]))
	})

	It("Child extends a path", func() {
		Expect(yamlfile.Child("", "models")).To(Equal("models"))
		Expect(yamlfile.Child("models[0]", "prices")).To(Equal("models[0].prices"))
	})

	It("Mismatch says the top level when there is no path", func() {
		ps := yamlfile.Problems{File: "f.yaml"}
		ps.Mismatch(node("[1]"), "", "a mapping")
		ps.Mismatch(node("x"), "a", "an integer")
		Expect(yamlfile.Join(ps.List)).To(MatchError(
			"f.yaml:1: the top level must be a mapping, got a list\nf.yaml:1: a: must be an integer, got \"x\""))
	})

	It("FieldKey and EntryKey report bad keys and record good ones", func() {
		m := node("a: 1\nb: 2\na: 3\n~: 4\n")
		ps, seen := yamlfile.Problems{File: "f.yaml"}, map[string]int{}
		Expect(ps.FieldKey(m.Content[0], "p", true, seen)).To(BeTrue())
		Expect(ps.FieldKey(m.Content[2], "p", false, seen)).To(BeFalse())
		Expect(ps.FieldKey(m.Content[4], "p", true, seen)).To(BeFalse())
		Expect(ps.EntryKey(m.Content[6], "p", seen)).To(BeFalse())
		Expect(seen).To(Equal(map[string]int{"a": 1}))
		Expect(yamlfile.Join(ps.List)).To(MatchError("f.yaml:2: p: unknown field \"b\"\n" +
			"f.yaml:3: p: field \"a\" is set twice (first at line 1)\nf.yaml:4: p: keys must be plain strings, got null"))
	})
})
