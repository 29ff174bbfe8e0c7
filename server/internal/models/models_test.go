package models_test

import (
	"encoding/json"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/models"
)

var _ = Describe("List", func() {
	DescribeTable("pages newest first with after_id, before_id and has_more",
		func(q models.Query, want []any) {
			page, err := models.List(catalogue(), q, now)
			Expect(err).NotTo(HaveOccurred())
			Expect(ids(page)).To(Equal(want))
		},
		Entry("the first page", models.Query{Limit: "2"}, []any{"e", "d", "e", "d", true}),
		Entry("after d", models.Query{Limit: "2", AfterID: "d"}, []any{"c", "old", "c", "old", false}),
		Entry("before old, more behind", models.Query{Limit: "1", BeforeID: "old"}, []any{"c", "c", "c", true}),
		Entry("before c, nothing behind", models.Query{Limit: "5", BeforeID: "c"}, []any{"e", "d", "e", "d", false}),
		Entry("after the last", models.Query{AfterID: "old"}, []any{"<nil>", "<nil>", false}),
		Entry("retired only", models.Query{Lifecycles: []string{"retired"}}, []any{"gone", "gone", "gone", false}),
	)

	DescribeTable("refuses a bad query with the API's wording",
		func(q models.Query, message string) {
			_, err := models.List(catalogue(), q, now)
			Expect(err).To(Equal(apierror.Invalid("%s", message)))
		},
		Entry("a limit not a number", models.Query{Limit: "ten"}, "limit: Input should be a valid integer, unable to parse string as an integer"),
		Entry("a limit of 0", models.Query{Limit: "0"}, "limit: Input should be greater than or equal to 1"),
		Entry("a limit over 1000", models.Query{Limit: "1001"}, "limit: Input should be less than or equal to 1000"),
		Entry("an unknown stage", models.Query{Lifecycles: []string{"beta"}}, "lifecycle[]: Input should be 'active', 'deprecated' or 'retired'"),
		Entry("both cursors", models.Query{AfterID: "e", BeforeID: "c"}, "after_id and before_id cannot both be set"),
		Entry("a retired cursor", models.Query{AfterID: "gone"}, "after_id: no model with id gone"),
		Entry("an unknown cursor", models.Query{BeforeID: "x"}, "before_id: no model with id x"),
	)
})

var _ = Describe("Describe", func() {
	It("gives a deprecated model its dates and line, and what it accepts", func() {
		old := catalogue()[3]
		old.Thinking, old.Effort = []string{"enabled"}, []string{"low", "high"}
		b, err := json.Marshal(models.Describe(old, now))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(b)).To(Equal(`{"type":"model","id":"old","display_name":"old","created_at":"2026-01-03T00:00:00Z",` +
			`"lifecycle":"deprecated","deprecated_at":"2026-02-01T00:00:00Z","retires_at":"2026-06-01T00:00:00Z","line":"haiku",` +
			`"max_input_tokens":200000,"max_tokens":64000,"capabilities":{"batch":{"supported":true},"citations":{"supported":true},` +
			`"code_execution":{"supported":true},"context_management":{"clear_thinking_20251015":null,"clear_tool_uses_20250919":null,` +
			`"compact_20260112":null,"supported":false},"effort":{"supported":true,"low":{"supported":true},"medium":{"supported":false},` +
			`"high":{"supported":true},"max":{"supported":false},"xhigh":{"supported":false}},"image_input":{"supported":true},` +
			`"pdf_input":{"supported":true},"server_tools":{"supported":true,"code_execution":{"supported":true},"web_search":{"supported":true}},` +
			`"structured_outputs":{"supported":true},"thinking":{"supported":true,"types":{"adaptive":{"supported":false},` +
			`"between_tools":{"supported":false},"disabled":{"supported":true},"enabled":{"supported":true}}}}}`))
	})

	It("leaves an active model's dates null, and a family of no line without one", func() {
		info := models.Describe(catalogue()[4], day(1, 1).AddDate(-1, 0, 0))
		Expect([]any{info.Lifecycle, info.DeprecatedAt, info.RetiresAt, info.Line}).To(Equal([]any{"active", (*string)(nil), (*string)(nil), (*string)(nil)}))
	})
})
