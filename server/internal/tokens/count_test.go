package tokens_test

import (
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/tokens"
)

const (
	weatherTool = `{"name":"get_weather","description":"Get the current weather for a city","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}` // 166 bytes → 42
	timeTool    = `{"name":"get_time","description":"Get the local time","input_schema":{"type":"object","properties":{"tz":{"type":"string"}}}}`                                          // 125 bytes → 32
)

func userText(msg int, text string) tokens.Block {
	return tokens.Block{Section: tokens.Messages, Kind: tokens.KindText, Text: text, Message: msg}
}

func tool(json string) tokens.Block {
	return tokens.Block{Section: tokens.Tools, Kind: tokens.KindToolDefinition, Text: json, Message: -1}
}

var _ = Describe("Count", func() {
	It("counts a lone Hi user message as 7 + 3 + 1 = 11", func() {
		p := tokens.Prompt{Blocks: []tokens.Block{userText(0, "Hi")}, Messages: 1}
		Expect(tokens.Count(p)).To(Equal(11))
	})

	It("counts an empty request as the request overhead alone", func() {
		Expect(tokens.Count(tokens.Prompt{})).To(Equal(7))
	})

	It("adds 3 for a non-empty system prompt and nothing for an empty one", func() {
		sys := tokens.Block{Section: tokens.System, Kind: tokens.KindText, Text: "Be brief.", Message: -1} // 9 bytes → 3
		p := tokens.Prompt{Blocks: []tokens.Block{sys, userText(0, "Hi")}, Messages: 1}
		Expect(tokens.Count(p)).To(Equal(11 + 3 + 3))
		p.Blocks[0].Text = ""
		Expect(tokens.Count(p)).To(Equal(11))
	})

	It("counts two tools with a forced tool_choice: 11 + 313 + (42+5) + (32+5) = 408", func() {
		p := tokens.Prompt{
			Blocks:           []tokens.Block{tool(weatherTool), tool(timeTool), userText(0, "Hi")},
			Messages:         1,
			ToolChoiceForced: true,
		}
		Expect(tokens.Count(p)).To(Equal(408))
		Expect(tokens.CountBlocks(p, nil)).To(Equal([]int{47, 37, 1}))
	})

	It("uses the 346-token tool prompt when tool_choice is auto or none", func() {
		p := tokens.Prompt{Blocks: []tokens.Block{tool(weatherTool), tool(timeTool), userText(0, "Hi")}, Messages: 1}
		Expect(tokens.Count(p)).To(Equal(441))
	})

	It("counts every kind of block by its rule", func() {
		p := tokens.Prompt{Messages: 2, Blocks: []tokens.Block{
			userText(0, "Hello, world"), // 3
			{Section: tokens.Messages, Kind: tokens.KindImage, Width: 1000, Height: 1000},        // 1334
			{Section: tokens.Messages, Kind: tokens.KindImage},                                   // unknown size: 1590
			{Section: tokens.Messages, Kind: tokens.KindDocument, Pages: 2},                      // 6180
			{Section: tokens.Messages, Kind: tokens.KindDocument},                                // URL PDF: 3090
			{Section: tokens.Messages, Kind: tokens.KindDocument, Text: "日本語"},                   // text document: 3
			{Section: tokens.Messages, Kind: tokens.KindThinking, Text: "Hmm.", Message: 1},      // 1 + 3
			{Section: tokens.Messages, Kind: tokens.KindToolUse, Text: `{"a":1}`, Message: 1},    // 2 + 3
			{Section: tokens.Messages, Kind: tokens.KindToolResult, Text: "sunny", Message: 1},   // 2 + 3
			{Section: tokens.Messages, Kind: tokens.KindOther, Text: `{"type":"x"}`, Message: 1}, // 3 + 3
			{Section: tokens.Messages, Kind: tokens.Kind(200), Text: "", Message: 1},             // unknown kind as Other: 3
		}}
		counts := tokens.CountBlocks(p, []int{-1})
		Expect(counts).To(Equal([]int{-1, 3, 1334, 1590, 6180, 3090, 3, 4, 5, 5, 6, 3}))
		sum := 0
		for _, c := range counts[1:] {
			sum += c
		}
		Expect(tokens.Count(p)).To(Equal(7 + 2*3 + sum))
	})

	It("saturates instead of overflowing", func() {
		huge := tokens.Block{Section: tokens.Messages, Kind: tokens.KindDocument, Pages: math.MaxInt}
		p := tokens.Prompt{Blocks: []tokens.Block{huge, huge}, Messages: math.MaxInt}
		Expect(tokens.Count(p)).To(Equal(math.MaxInt))
	})

	It("never goes down when a block is added or text is appended", func() {
		var p tokens.Prompt
		steps := []func(){
			func() { p.Messages = 1; p.Blocks = append(p.Blocks, userText(0, "")) },
			func() { p.Blocks[len(p.Blocks)-1].Text += "What is" },
			func() { p.Blocks[len(p.Blocks)-1].Text += " the weather in 東京?" },
			func() {
				p.Blocks = append([]tokens.Block{{Section: tokens.System, Kind: tokens.KindText, Text: "Be brief."}}, p.Blocks...)
			},
			func() { p.Blocks = append([]tokens.Block{tool(timeTool)}, p.Blocks...) },
			func() { p.Blocks = append([]tokens.Block{tool(weatherTool)}, p.Blocks...) },
			func() {
				p.Messages = 2
				p.Blocks = append(p.Blocks, tokens.Block{Section: tokens.Messages, Kind: tokens.KindToolUse, Message: 1})
			},
			func() { p.Blocks[len(p.Blocks)-1].Text = `{"city":"Tokyo"}` },
			func() {
				p.Messages = 3
				p.Blocks = append(p.Blocks, tokens.Block{Section: tokens.Messages, Kind: tokens.KindImage, Width: 1, Height: 1, Message: 2})
			},
			func() {
				p.Blocks = append(p.Blocks, tokens.Block{Section: tokens.Messages, Kind: tokens.KindDocument, Pages: 3, Message: 2})
			},
		}
		prev := tokens.Count(p)
		for i, step := range steps {
			step()
			n := tokens.Count(p)
			Expect(n).To(BeNumerically(">", prev), "step %d", i)
			prev = n
		}
	})
})
