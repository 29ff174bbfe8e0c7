package server_test

import (
	"encoding/json"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// weatherTool is a strict tool as agent frameworks declare one.
const weatherTool = `{"name":"get_weather","description":"Get the current weather in a city","strict":true,` +
	`"input_schema":{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},` +
	`"required":["city","unit"],"additionalProperties":false}}`

// agentTools are the tools of every request below: one that is never
// named, then the weather tool.
const agentTools = `"tools":[{"name":"search_docs","input_schema":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}},` + weatherTool + `]`

// ask is a request offering agentTools, ending with the given messages.
func ask(messages string, extra ...string) string {
	return `{"model":"claude-sonnet-4-6","max_tokens":1024,` + agentTools + strings.Join(extra, "") + `,"messages":[` + messages + `]}`
}

// user is a plain user turn.
func user(text string) string { return `{"role":"user","content":` + quote(text) + `}` }

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

var _ = Describe("tool_choice auto", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{Seed: 42})
	})

	answer := func(body string) map[string]any { return c.answer(body) }

	// called is the name of the tool a reply calls, "" for a text answer.
	called := func(m map[string]any) string {
		GinkgoHelper()
		content := m["content"].([]any)
		last := content[len(content)-1].(map[string]any)
		if last["type"] != "tool_use" {
			Expect(m["stop_reason"]).To(Equal("end_turn"))
			return ""
		}
		Expect(m["stop_reason"]).To(Equal("tool_use"))
		return last["name"].(string)
	}

	It("calls the tool the last user turn names, with an input from its schema", func() {
		m := answer(ask(user("Use get_weather for Paris")))
		Expect(m["content"]).To(HaveLen(1))
		block := m["content"].([]any)[0].(map[string]any)
		Expect(block["type"]).To(Equal("tool_use"))
		Expect(block["id"]).To(Equal("toolu_01bgR5qu5vkaxnJUhZLmcdN3"))
		Expect(block["name"]).To(Equal("get_weather"))
		Expect(block["input"]).To(Equal(map[string]any{"city": "Garden steady", "unit": "celsius"}))
		input, _ := json.Marshal(block["input"])
		Expect(matchesSchema(`{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","unit"],"additionalProperties":false}`, string(input))).To(Succeed())
		Expect(m["stop_reason"]).To(Equal("tool_use"))
		// {"city":"Garden steady","unit":"celsius"}: 41 bytes, 11 tokens; the name 3; framing 10.
		Expect(outputTokens(m)).To(BeEquivalentTo(24))
	})

	It("answers the tool_result turn with text, so the tool loop ends", func() {
		first := answer(ask(user("Use get_weather for Paris")))
		use, _ := json.Marshal(first["content"])
		result := `{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01bgR5qu5vkaxnJUhZLmcdN3","content":"18 degrees"}]}`
		m := answer(ask(user("Use get_weather for Paris") + `,{"role":"assistant","content":` + string(use) + `},` + result))
		Expect(called(m)).To(BeEmpty())
		Expect(m["content"]).To(HaveLen(1))
		Expect(strings.Fields(m["content"].([]any)[0].(map[string]any)["text"].(string))).To(HaveLen(server.DefaultReplyTokens))
		Expect(outputTokens(m)).To(BeEquivalentTo(server.DefaultReplyTokens))
	})

	DescribeTable("calls a tool only when the last user turn names it",
		func(messages, want string) {
			Expect(called(answer(ask(messages)))).To(Equal(want))
		},
		Entry("the name as words", user("get weather in Paris"), "get_weather"),
		Entry("the name in camelCase", user("try getWeather"), "get_weather"),
		Entry("the first tool named, in tools order", user("get_weather, then search docs"), "search_docs"),
		Entry("a text block of a block list", `{"role":"user","content":[{"type":"text","text":"Use"},{"type":"text","text":"get_weather"}]}`, "get_weather"),
		Entry("not by what the description says", user("What is the current weather in Paris?"), ""),
		Entry("not a plain greeting", user("say hi"), ""),
		Entry("not in an earlier turn", user("get_weather")+`,{"role":"assistant","content":"Which city?"},`+user("Paris"), ""),
		Entry("not in Claude Code's system reminders",
			`{"role":"user","content":[{"type":"text","text":"<system-reminder>Use get_weather when asked.</system-reminder>"},{"type":"text","text":"say hi"}]}`, ""),
		Entry("not after a tool_result, even in the same turn",
			user("get_weather")+`,{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}]},`+
				`{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18"},{"type":"text","text":"now get_weather for Rome"}]}`, ""),
		Entry("not after a tool_result in a user turn merged with the next",
			user("get_weather")+`,{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}]},`+
				`{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18"}]},`+user("get_weather for Rome"), ""),
	)

	It("never calls a tool under tool_choice none", func() {
		Expect(called(answer(ask(user("Use get_weather"), `,"tool_choice":{"type":"none"}`)))).To(BeEmpty())
	})

	It("honours disable_parallel_tool_use, calling one tool", func() {
		m := answer(ask(user("get_weather and search_docs"), `,"tool_choice":{"type":"auto","disable_parallel_tool_use":true}`))
		Expect(m["content"]).To(HaveLen(1))
		Expect(called(m)).To(Equal("search_docs"))
	})

	It("never calls a tool it has no input schema for", func() {
		body := `{"model":"claude-sonnet-4-6","max_tokens":1024,"tools":[{"type":"bash_20250124","name":"bash"}],"messages":[` + user("run bash") + `]}`
		Expect(called(answer(body))).To(BeEmpty())
	})

	It("thinks first, then calls the tool", func() {
		m := answer(ask(user("Use get_weather"), `,"thinking":{"type":"adaptive"}`))
		Expect(blocks(m)[0]).To(Equal([]any{"thinking"}))
		Expect(m["content"]).To(HaveLen(2))
		Expect(called(m)).To(Equal("get_weather"))
	})

	It("streams the call as the non-streamed message of a same-seed server", func() {
		body := ask(user("Use get_weather for Paris"))
		whole := newClient(server.Options{Seed: 42}).post("/v1/messages", body).json()
		Expect(accumulate(events(c.post("/v1/messages", streamed(body)).body))).To(Equal(whole))
	})

	It("gives byte-identical calls for the same seed and request sequence", func() {
		other := newClient(server.Options{Seed: 42})
		for _, text := range []string{"Use get_weather", "search docs for limits", "say hi"} {
			Expect(c.post("/v1/messages", ask(user(text))).body).To(Equal(other.post("/v1/messages", ask(user(text))).body))
		}
	})

	It("lets a scripted reply win", func() {
		load(s, "replies:\n  - text: scripted\n")
		Expect(blocks(answer(ask(user("Use get_weather"))))).To(Equal([][]any{{"text", "scripted"}}))
	})

	Describe("switched per server", func() {
		It("answers text under never", func() {
			c = newClient(server.Options{Seed: 42, AutoTools: "never"})
			Expect(called(answer(ask(user("Use get_weather"))))).To(BeEmpty())
		})

		It("calls the first tool on any prompt under always, but not after a tool_result", func() {
			c = newClient(server.Options{Seed: 42, AutoTools: "always"})
			Expect(called(answer(ask(user("say hi"))))).To(Equal("search_docs"))
			after := user("hi") + `,{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"search_docs","input":{"q":"x"}}]},` +
				`{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"none"}]}`
			Expect(called(answer(ask(after)))).To(BeEmpty())
		})

		It("refuses an unknown rule", func() {
			_, err := server.New(server.Options{AutoTools: "sometimes"})
			Expect(err).To(MatchError(`auto tools: must be one of named, never, always, got "sometimes"`))
		})
	})

	Describe("switched per scenario", func() {
		It("overrides the server's rule while loaded, and gives it back when cleared", func() {
			s, c = newServer(server.Options{Seed: 42, AutoTools: "never"})
			load(s, "auto_tools: always\n")
			Expect(called(answer(ask(user("say hi"))))).To(Equal("search_docs"))
			s.ClearScenario()
			Expect(called(answer(ask(user("say hi"))))).To(BeEmpty())
		})

		It("keeps the server's rule when the scenario names none", func() {
			s, c = newServer(server.Options{Seed: 42, AutoTools: "always"})
			load(s, "")
			Expect(called(answer(ask(user("say hi"))))).To(Equal("search_docs"))
		})

		It("can turn tool calls off for one scenario", func() {
			load(s, "auto_tools: never\n")
			Expect(called(answer(ask(user("Use get_weather"))))).To(BeEmpty())
		})
	})
})
