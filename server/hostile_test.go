package server_test

import (
	"encoding/json"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

var _ = Describe("Recursive tool schemas", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{Seed: 1})
	})

	DescribeTable("answer a forced tool with a bounded input instead of overflowing the stack",
		func(schema string) {
			r := c.post("/v1/messages", `{"model":"claude-sonnet-4-6","max_tokens":256,"tool_choice":{"type":"any"},
				"tools":[{"name":"t","input_schema":`+schema+`}],"messages":[{"role":"user","content":"Hello"}]}`)
			Expect(r.status).To(Equal(200), string(r.body))
			block := r.json()["content"].([]any)[0].(map[string]any)
			Expect(block["type"]).To(Equal("tool_use"))
			input, err := json.Marshal(block["input"])
			Expect(err).NotTo(HaveOccurred())
			Expect(len(input)).To(BeNumerically("<", 64<<10))
			Expect(c.do("GET", "/_mock/health", "").status).To(Equal(200))
		},
		Entry("a property that is the whole schema, required", `{"type":"object","properties":{"a":{"$ref":"#"}},"required":["a"]}`),
		Entry("two properties that are the whole schema", `{"type":"object","properties":{"a":{"$ref":"#"},"b":{"$ref":"#"}},"required":["a","b"]}`),
		Entry("a $defs cycle", `{"$defs":{"a":{"type":"object","properties":{"b":{"$ref":"#/$defs/b"}},"required":["b"]},
			"b":{"type":"object","properties":{"a":{"$ref":"#/$defs/a"}},"required":["a"]}},"$ref":"#/$defs/a"}`),
	)
})
