package differential_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("The comparison itself", func() {
	var body []byte

	BeforeEach(func() {
		body = []byte(`{"type":"message","content":[{"type":"text","text":"hi","citations":null},` +
			`{"type":"tool_use","id":"x","name":"n","input":{"city":"Paris"}}],` +
			`"stop_reason":"tool_use","usage":{"input_tokens":3,"cost":1.5,"inference_geo":"global"}}`)
	})

	It("reduces a body to typed key paths, values of enumerations only, tool input opaque", func() {
		v, err := decode(body)
		Expect(err).NotTo(HaveOccurred())
		Expect(shapeOf(v)).To(Equal([]string{
			"content[text].citations: null",
			"content[text].text: string",
			"content[text].type: string=text",
			"content[tool_use].id: string",
			"content[tool_use].input: object",
			"content[tool_use].name: string",
			"content[tool_use].type: string=tool_use",
			"stop_reason: string=tool_use",
			"type: string=message",
			"usage.cost: number",
			"usage.inference_geo: string=global",
			"usage.input_tokens: integer",
		}))
	})

	It("folds a stream into its frame, ping position and per-block order", func() {
		order := eventOrder([]string{"message_start", "content_block_start[thinking]", "ping",
			"content_block_delta[thinking_delta]", "content_block_delta[thinking_delta]",
			"content_block_delta[signature_delta]", "content_block_stop", "content_block_start[text]",
			"content_block_delta[text_delta]", "content_block_stop", "message_delta", "message_stop"})
		Expect(order).To(Equal(sse{
			Frame: "message_start block+ message_delta message_stop",
			Ping:  "content_block_start",
			Blocks: map[string]string{
				"thinking": "content_block_start[thinking] content_block_delta[thinking_delta]+ " +
					"content_block_delta[signature_delta]+ content_block_stop",
				"text": "content_block_start[text] content_block_delta[text_delta]+ content_block_stop",
			},
		}))
	})

	It("names missing, extra, retyped and revalued paths, and a block only one side has once", func() {
		rec := []string{"stop_reason: string=tool_use", "usage.inference_geo: string=global",
			"usage.speed: string=standard", "content[tool_use].id: string"}
		mock := []string{"stop_reason: string=end_turn", "usage.inference_geo: null", "diagnostics: null",
			"content[text].text: string"}
		Expect(compareShapes(rec, mock, []string{"tool_use"}, []string{"text"}, false)).To(ConsistOf(
			difference{Kind: "value", Path: "stop_reason", Recorded: "string=tool_use", Mock: "string=end_turn"},
			difference{Kind: "type", Path: "usage.inference_geo", Recorded: "string=global", Mock: "null"},
			difference{Kind: "missing", Path: "usage.speed", Recorded: "string=standard"},
			difference{Kind: "extra", Path: "diagnostics", Mock: "null"},
		))
	})

	It("lets a newer recording of the same class supersede an older one, and matches deviations by glob", func() {
		older, newer := &exchange{repository: "r", Name: "old"}, &exchange{repository: "r", Name: "new"}
		older.Source.Recorded, newer.Source.Recorded = "2025-10-01", "2026-08-01"
		for _, e := range []*exchange{older, newer} {
			e.Request.Path, e.Response.Status = "/v1/messages", 200
			e.Request.Body = map[string]any{"model": "claude-haiku-4-5"}
		}
		older.Response.Shape = "usage.input_tokens: integer\n"
		newer.Response.Shape = "usage.input_tokens: integer\nusage.inference_geo: string=not_available\n"
		all := []*exchange{older, newer}
		extra := difference{Kind: "extra", Path: "usage.inference_geo", Mock: "string=not_available"}
		Expect(superseded(extra, older, all)).To(BeTrue())
		Expect(superseded(extra, newer, all)).To(BeFalse())

		devs := []*deviation{{Kind: "extra", Path: "*inference_geo", Cases: "r/new", Request: "*last=-", Reason: "x"}}
		for _, d := range devs {
			d.path, d.cases, d.request, d.recorded, d.mock = glob(d.Path), glob(d.Cases), glob(d.Request), glob(""), glob("")
		}
		Expect(listed(devs, newer, extra)).To(Equal(0))
		Expect(listed(devs, older, extra)).To(Equal(-1))
	})
})
