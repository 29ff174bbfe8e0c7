package server_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

var _ = Describe("Models", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{})
	})

	ids := func(page map[string]any) []string {
		var out []string
		for _, m := range page["data"].([]any) {
			out = append(out, m.(map[string]any)["id"].(string))
		}
		return out
	}

	It("lists every model once, newest first, in pages the SDKs can follow", func() {
		all := c.do("GET", "/v1/models?limit=1000", "")
		Expect(all.status).To(Equal(200))
		Expect(spec.ValidateResponse("get", "/v1/models", 200, all.body)).To(Succeed())
		full := ids(all.json())
		Expect(len(full)).To(BeNumerically(">", 10))
		Expect(all.json()["has_more"]).To(BeFalse())

		var paged []string
		cursor := ""
		for {
			r := c.do("GET", "/v1/models?limit=3"+cursor, "")
			Expect(spec.ValidateResponse("get", "/v1/models", 200, r.body)).To(Succeed())
			page := r.json()
			got := ids(page)
			Expect(page["first_id"]).To(Equal(got[0]))
			Expect(page["last_id"]).To(Equal(got[len(got)-1]))
			paged = append(paged, got...)
			if page["has_more"] == false {
				break
			}
			cursor = "&after_id=" + page["last_id"].(string)
		}
		Expect(paged).To(Equal(full))
	})

	It("pages backwards with before_id", func() {
		full := ids(c.do("GET", "/v1/models?limit=1000", "").json())
		page := c.do("GET", "/v1/models?limit=2&before_id="+full[4], "").json()
		Expect(ids(page)).To(Equal(full[2:4]))
		Expect(page["has_more"]).To(BeTrue())
	})

	It("gets a model by alias as its dated id", func() {
		r := c.do("GET", "/v1/models/claude-haiku-4-5?beta=true", "")
		Expect(r.status).To(Equal(200))
		Expect(spec.ValidateResponse("get", "/v1/models/{model_id}", 200, r.body)).To(Succeed())
		Expect(r.json()["id"]).To(Equal("claude-haiku-4-5-20251001"))
		Expect(r.json()["type"]).To(Equal("model"))
	})

	It("answers an unknown model with 404", func() {
		status, typ, msg := c.do("GET", "/v1/models/claude-nope", "").errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{404, "not_found_error", "model: claude-nope"}))
	})

	It("refuses a limit out of range", func() {
		status, typ, msg := c.do("GET", "/v1/models?limit=0", "").errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error", "limit: Input should be greater than or equal to 1"}))
	})
})
