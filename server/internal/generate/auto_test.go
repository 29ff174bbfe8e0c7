package generate_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/generate"
)

var _ = Describe("AutoTool", func() {
	var tools []generate.Tool

	BeforeEach(func() {
		tools = []generate.Tool{{Name: "get_weather"}, {Name: "WebSearch"}, {Name: "HTTPServer"}, {Name: "Read"}}
	})

	called := func(rule generate.AutoTools, turn *generate.Turn) string {
		if t := generate.AutoTool(rule, tools, turn); t != nil {
			return t.Name
		}
		return ""
	}

	DescribeTable("under named, calls the first tool the last user turn names",
		func(text, want string) {
			Expect(called(generate.AutoNamed, &generate.Turn{Text: text})).To(Equal(want))
			Expect(called("", &generate.Turn{Text: text})).To(Equal(want))
		},
		Entry("the name as written", "Use get_weather for Paris", "get_weather"),
		Entry("the name's words", "Get weather in Paris, please.", "get_weather"),
		Entry("the name in camelCase", "call getWeather", "get_weather"),
		Entry("the name with a hyphen, upper case", "GET-WEATHER now", "get_weather"),
		Entry("a camelCase name as words", "do a web search for cats", "WebSearch"),
		Entry("an acronym name as words", "start the http server", "HTTPServer"),
		Entry("a one-word name", "read the README", "Read"),
		Entry("not a part of a longer word", "getaway weather", ""),
		Entry("not one of its words alone", "What is the weather in Paris?", ""),
		Entry("not its words apart", "get the weather", ""),
		Entry("nothing in a greeting", "say hi", ""),
		Entry("tools order, not text order", "read it, then get_weather", "get_weather"),
		Entry("not inside a system reminder", "say hi<system-reminder>use the Read tool</system-reminder>", ""),
		Entry("text after a system reminder", "<system-reminder>note</system-reminder>web search cats", "WebSearch"),
		Entry("not inside an unclosed system reminder", "hi <system-reminder>Read", ""),
	)

	It("answers a tool_result with text under every rule", func() {
		turn := &generate.Turn{Text: "get_weather again", ToolResult: true}
		for _, rule := range []generate.AutoTools{generate.AutoNamed, generate.AutoAlways, generate.AutoNever} {
			Expect(called(rule, turn)).To(BeEmpty())
		}
	})

	It("answers with text when the conversation ends with an assistant turn", func() {
		Expect(called(generate.AutoAlways, nil)).To(BeEmpty())
	})

	It("under always, calls the first tool whatever the text", func() {
		Expect(called(generate.AutoAlways, &generate.Turn{Text: "say hi"})).To(Equal("get_weather"))
	})

	It("under never, never calls a tool", func() {
		Expect(called(generate.AutoNever, &generate.Turn{Text: "get_weather"})).To(BeEmpty())
	})

	It("calls nothing when no tool is offered or a name has no words", func() {
		Expect(generate.AutoTool(generate.AutoAlways, nil, &generate.Turn{Text: "hi"})).To(BeNil())
		tools = []generate.Tool{{Name: "__"}}
		Expect(called(generate.AutoNamed, &generate.Turn{Text: "__ hi"})).To(BeEmpty())
	})

	It("lists its rules in documentation order", func() {
		Expect(generate.AutoToolsModes).To(Equal([]string{"named", "never", "always"}))
	})
})
