package server_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

var _ = Describe("Locking the control API", func() {
	Context("with a control token", func() {
		var c *client

		BeforeEach(func() {
			c = newClient(server.Options{ControlToken: "s3cret"})
		})

		DescribeTable("refuses every control endpoint but health without the bearer token",
			func(method, path string, auth string) {
				status, typ, msg := c.do(method, path, "{}", "Authorization", auth).errorOf()
				Expect([]any{status, typ, msg}).To(Equal([]any{401, "authentication_error",
					"control API: Authorization: Bearer <control token> required"}))
			},
			Entry("state, no header", "GET", "/_mock/state", ""),
			Entry("reset, a wrong token", "POST", "/_mock/reset", "Bearer guess"),
			Entry("requests, the token without Bearer", "GET", "/_mock/requests", "s3cret"),
			Entry("report, no header", "GET", "/_mock/report", ""),
			Entry("scenario, no header", "PUT", "/_mock/scenario", ""),
			Entry("clock advance, no header", "POST", "/_mock/clock/advance", ""),
		)

		It("answers with the token", func() {
			r := c.do("GET", "/_mock/clock", "", "Authorization", "Bearer s3cret")
			Expect(r.status).To(Equal(200), string(r.body))
		})

		It("leaves health and the API itself to their own rules", func() {
			Expect(string(c.do("GET", "/_mock/health", "").body)).To(Equal(`{"status":"ok"}`))
			Expect(c.post("/v1/messages", hello).status).To(Equal(200))
		})
	})

	Context("without a token", func() {
		var c *client

		BeforeEach(func() {
			c = newClient(server.Options{})
		})

		It("refuses a change sent from a page of another origin", func() {
			status, typ, msg := c.do("POST", "/_mock/reset", "", "Origin", "http://evil.example").errorOf()
			Expect([]any{status, typ, msg}).To(Equal([]any{403, "permission_error",
				"control API: cross-origin requests are refused (Origin: http://evil.example)"}))
		})

		It("takes a change from its own origin, and reads from any", func() {
			Expect(c.do("POST", "/_mock/reset", "", "Origin", "http://example.com").status).To(Equal(200))
			Expect(c.do("GET", "/_mock/state", "", "Origin", "http://evil.example").status).To(Equal(200))
		})
	})
})
