package scenario_test

import (
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// wantPrefix starts the comment lines at the top of each file of
// testdata/invalid: one per expected problem, each exactly one line of the
// joined error, in order. A file is loaded under its base name, so the
// lines read "name.yaml:line: path: message".
const wantPrefix = "# want: "

// wants reads the expected problems from the top of a corpus file.
func wants(data []byte) []string {
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		want, ok := strings.CutPrefix(line, wantPrefix)
		if !ok {
			break
		}
		out = append(out, want)
	}
	return out
}

var _ = Describe("invalid scenario files", func() {
	var cat *catalog.Catalog

	BeforeEach(func() { cat = loadCatalog() })

	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil {
		panic(err)
	}

	It("cover a wide range of mistakes", func() {
		Expect(len(files)).To(BeNumerically(">=", 22))
	})

	for _, file := range files {
		name := filepath.Base(file)
		It("rejects "+name+" with exactly the problems it lists", func() {
			data, err := os.ReadFile(file)
			Expect(err).NotTo(HaveOccurred())
			want := wants(data)
			Expect(want).NotTo(BeEmpty(), "%s starts with no %q line", name, wantPrefix)

			sc, err := scenario.Load(name, data, cat)
			Expect(sc).To(BeNil())
			Expect(err).To(HaveOccurred())
			Expect(strings.Split(err.Error(), "\n")).To(Equal(want))
			Expect(scenario.Validate(name, data, cat)).To(MatchError(err.Error()))
		})
	}
})

var _ = Describe("Load on odd input", func() {
	var cat *catalog.Catalog

	BeforeEach(func() { cat = loadCatalog() })

	DescribeTable("rejects it without panicking, naming the problem",
		func(doc, want string) {
			sc, err := scenario.Load("s.yaml", []byte(doc), cat)
			Expect(sc).To(BeNil())
			Expect(err).To(MatchError(want))
		},
		Entry("binary garbage", "\x00\xff", "s.yaml: control characters are not allowed"),
		Entry("a scalar document", "hello\n", `s.yaml:1: the top level must be a mapping, got "hello"`),
		Entry("a null document", "~\n", `s.yaml:1: document is empty; expected a scenario mapping with a "name"`),
		Entry("a list key", "name: n\n[a]: 1\n", `s.yaml:2: field names must be plain strings, got a list`),
		Entry("faults as a mapping", "name: n\nfaults: {overloaded: ~}\n", `s.yaml:2: faults: must be a list, got a mapping`),
		Entry("a fault as a string", "name: n\nfaults: [overloaded]\n", `s.yaml:2: faults[0]: must be a mapping, got "overloaded"`),
		Entry("three actions", "name: n\nfaults:\n  - {overloaded: ~, api_error: ~, timeout: ~}\n",
			`s.yaml:3: faults[0]: has three actions, overloaded, api_error and timeout; a fault has exactly one`),
		Entry("a reply name given twice", "name: n\nreplies:\n  - {name: a, text: x}\n  - {name: a, text: y}\n",
			`s.yaml:4: replies[1].name: "a" is already used by replies[0]`),
		Entry("a name that is another fault's default", "name: n\nfaults:\n  - {name: 'faults[1]', overloaded: ~}\n  - overloaded:\n",
			`s.yaml:3: faults[0].name: "faults[1]" is the default name of faults[1]; choose another`),
		Entry("an empty name", "name: n\nfaults: [{name: '', overloaded: ~}]\n", `s.yaml:2: faults[0].name: must not be empty`),
		Entry("an empty key and body", "name: n\nfaults: [{match: {key: '', body_contains: ''}, overloaded: ~}]\n",
			"s.yaml:2: faults[0].match.body_contains: must not be empty\ns.yaml:2: faults[0].match.key: must not be empty"),
		Entry("an organization when none is declared", "name: n\nfaults: [{match: {organization: org-a}, overloaded: ~}]\n",
			`s.yaml:2: faults[0].match.organization: must be "default" or an organization id of the scenario (none declared), got "org-a"`),
		Entry("a non-integer seed too large", "name: n\nseed: 99999999999999999999\n",
			`s.yaml:2: seed: must be an integer, got "99999999999999999999"`),
		Entry("tokens_per_second of zero", "name: n\nfaults: [{latency: {tokens_per_second: 0}}]\n",
			`s.yaml:2: faults[0].latency.tokens_per_second: must be > 0, got 0`),
		Entry("a negative time to first token", "name: n\nfaults: [{latency: {time_to_first_token: -1ms}}]\n",
			`s.yaml:2: faults[0].latency.time_to_first_token: must be >= 0, got -1ms`),
		Entry("an input key that is not a string", "name: n\nreplies: [{tool_use: {name: t, input: {[a]: 1}}}]\n",
			`s.yaml:2: replies[0].tool_use.input: keys must be plain strings, got a list`),
		Entry("a binary input value", "name: n\nreplies: [{tool_use: {name: t, input: {a: !!binary aGk=}}}]\n",
			`s.yaml:2: replies[0].tool_use.input.a: must be a JSON value, got "aGk="`),
		Entry("no_retry_on as a mapping", "name: n\nexpect: {no_retry_on: {a: 1}}\n",
			`s.yaml:2: expect.no_retry_on: must be true, false or a list of statuses, got a mapping`),
		Entry("an empty clock mode", "name: n\nclock: {mode: ''}\n",
			`s.yaml:2: clock.mode: must be real, manual or scaled:N with 0 < N <= 1000000, got ""`),
	)
})
