package server_test

import (
	"strings"
	"time"

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

// helloTo returns hello sent to another model.
func helloTo(id string) string {
	return strings.Replace(hello, `"claude-haiku-4-5"`, `"`+id+`"`, 1)
}

var _ = Describe("Model lifecycle on the virtual clock", func() {
	var (
		s *server.Server
		c *client
	)

	// The day before Claude Sonnet 4.5 retires (2026-11-30), at noon UTC.
	eve := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

	BeforeEach(func() {
		s, c = newServer(server.Options{Clock: "manual", Start: eve})
	})

	info := func(id string) map[string]any {
		r := c.do("GET", "/v1/models/"+id, "")
		Expect(r.status).To(Equal(200), string(r.body))
		Expect(spec.ValidateResponse("get", "/v1/models/{model_id}", 200, r.body)).To(Succeed())
		return r.json()
	}
	stage := func(m map[string]any) []any {
		return []any{m["id"], m["lifecycle"], m["deprecated_at"], m["retires_at"]}
	}
	listed := func(query string) []string {
		r := c.do("GET", "/v1/models?limit=1000"+query, "")
		Expect(r.status).To(Equal(200), string(r.body))
		Expect(spec.ValidateResponse("get", "/v1/models", 200, r.body)).To(Succeed())
		var ids []string
		for _, m := range r.json()["data"].([]any) {
			ids = append(ids, m.(map[string]any)["id"].(string))
		}
		return ids
	}

	It("serves a deprecated model until its retirement, then answers 404 by alias and by id", func() {
		r := c.post("/v1/messages", helloTo("claude-sonnet-4-5"))
		Expect(r.status).To(Equal(200), string(r.body))
		Expect(r.json()["model"]).To(Equal("claude-sonnet-4-5-20250929"))
		Expect(stage(info("claude-sonnet-4-5"))).To(Equal([]any{"claude-sonnet-4-5-20250929", "deprecated", "2026-09-30T00:00:00Z", "2026-11-30T00:00:00Z"}))

		_, err := s.Advance(12 * time.Hour)
		Expect(err).NotTo(HaveOccurred())
		for _, name := range []string{"claude-sonnet-4-5", "claude-sonnet-4-5-20250929"} {
			status, typ, msg := c.post("/v1/messages", helloTo(name)).errorOf()
			Expect([]any{status, typ, msg}).To(Equal([]any{404, "not_found_error", "model: " + name}))
		}
		count := `{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hello"}]}`
		status, typ, msg := c.post("/v1/messages/count_tokens", count).errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{404, "not_found_error", "model: claude-sonnet-4-5"}))
		Expect(stage(info("claude-sonnet-4-5"))).To(Equal([]any{"claude-sonnet-4-5-20250929", "retired", "2026-09-30T00:00:00Z", "2026-11-30T00:00:00Z"}))
		Expect(c.post("/v1/messages", helloTo("claude-sonnet-4-6")).status).To(Equal(200))
	})

	It("shows no dates while a model is still active", func() {
		s.SetTime(time.Date(2026, 9, 29, 23, 59, 59, 0, time.UTC))
		Expect(stage(info("claude-sonnet-4-5"))).To(Equal([]any{"claude-sonnet-4-5-20250929", "active", nil, nil}))
		Expect(stage(info("claude-opus-4-8"))).To(Equal([]any{"claude-opus-4-8", "active", nil, nil}))
	})

	It("lists each model under the stage it is in at that instant", func() {
		retired := []string{"claude-mythos-preview", "claude-opus-4-1-20250805", "claude-opus-4-20250514",
			"claude-sonnet-4-20250514", "claude-3-7-sonnet-20250219", "claude-3-5-haiku-20241022", "claude-3-haiku-20240307"}
		Expect(listed("&lifecycle[]=deprecated")).To(Equal([]string{"claude-sonnet-4-5-20250929"}))
		Expect(listed("&lifecycle[]=retired")).To(Equal(retired))
		Expect(listed("")).To(ContainElement("claude-sonnet-4-5-20250929"))

		s.SetTime(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
		Expect(listed("&lifecycle[]=deprecated")).To(BeEmpty())
		Expect(listed("&lifecycle[]=retired")).To(Equal(append(retired[:1:1], append([]string{"claude-sonnet-4-5-20250929"}, retired[1:]...)...)))
		all := listed("")
		Expect(all).NotTo(ContainElement("claude-sonnet-4-5-20250929"))
		Expect(listed("&lifecycle[]=active&lifecycle[]=deprecated&lifecycle[]=retired")).To(HaveLen(len(all) + len(retired) + 1))
	})

	It("answers 404 for a model retired long ago, as it does for an unknown one", func() {
		status, typ, msg := c.post("/v1/messages", helloTo("claude-3-7-sonnet-latest")).errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{404, "not_found_error", "model: claude-3-7-sonnet-latest"}))
		status, typ, msg = c.post("/v1/messages", helloTo("claude-opus-4-1")).errorOf()
		Expect([]any{status, typ, msg}).To(Equal([]any{404, "not_found_error", "model: claude-opus-4-1"}))
	})
})

var _ = Describe("output_config.effort", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{})
	})

	effort := func(id, config string) string {
		return strings.Replace(helloTo(id), `{"model"`, `{"output_config":`+config+`,"model"`, 1)
	}

	DescribeTable("refuses what the model does not take, in the real wording",
		func(body string, message string) {
			for _, path := range []string{"/v1/messages", "/v1/messages/count_tokens"} {
				if path != "/v1/messages" {
					body = strings.Replace(body, `"max_tokens":100,`, "", 1)
				}
				status, typ, msg := c.post(path, body).errorOf()
				Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error", message}), path)
			}
		},
		Entry("xhigh on Claude Opus 4.6", effort("claude-opus-4-6", `{"effort":"xhigh"}`),
			"This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium."),
		Entry("xhigh on Claude Sonnet 4.6", effort("claude-sonnet-4-6", `{"effort":"xhigh"}`),
			"This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium."),
		Entry("max on Claude Opus 4.5", effort("claude-opus-4-5", `{"effort":"max"}`),
			"This model does not support effort level 'max'. Supported levels: high, low, medium."),
		Entry("any level on Claude Haiku 4.5", effort("claude-haiku-4-5", `{"effort":"low"}`),
			"This model does not support the effort parameter."),
		Entry("a level that does not exist", effort("claude-opus-4-8", `{"effort":"extreme"}`),
			"output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'"),
		Entry("a level of the wrong type", effort("claude-opus-4-8", `{"effort":5}`),
			"output_config.effort: Input should be a valid string"),
		Entry("an unknown key", effort("claude-opus-4-8", `{"effort":"low","colour":"red"}`),
			"output_config.colour: Extra inputs are not permitted"),
	)

	DescribeTable("accepts the levels the model lists",
		func(body string) {
			r := c.post("/v1/messages", body)
			Expect(r.status).To(Equal(200), string(r.body))
		},
		Entry("xhigh on Claude Opus 4.8", effort("claude-opus-4-8", `{"effort":"xhigh"}`)),
		Entry("xhigh on Claude Sonnet 5.5", effort("claude-sonnet-5-5", `{"effort":"xhigh"}`)),
		Entry("max on Claude Opus 4.6", effort("claude-opus-4-6", `{"effort":"max"}`)),
		Entry("low on Claude Opus 4.5", effort("claude-opus-4-5", `{"effort":"low"}`)),
		Entry("no effort on Claude Haiku 4.5", effort("claude-haiku-4-5", `{"effort":null}`)),
		Entry("an empty output_config on Claude Haiku 4.5", effort("claude-haiku-4-5", `{}`)),
	)

	DescribeTable("reports the levels in capabilities.effort",
		func(id string, want map[string]any) {
			r := c.do("GET", "/v1/models/"+id, "")
			Expect(r.status).To(Equal(200))
			Expect(r.json()["capabilities"].(map[string]any)["effort"]).To(Equal(want))
		},
		Entry(nil, "claude-opus-4-6", effortLevels(true, true, true, true, true, false)),
		Entry(nil, "claude-opus-4-8", effortLevels(true, true, true, true, true, true)),
		Entry(nil, "claude-opus-4-5", effortLevels(true, true, true, true, false, false)),
		Entry(nil, "claude-haiku-4-5", effortLevels(false, false, false, false, false, false)),
	)
})

// effortLevels builds the capabilities.effort object of ModelInfo.
func effortLevels(supported, low, medium, high, maxLevel, xhigh bool) map[string]any {
	s := func(b bool) map[string]any { return map[string]any{"supported": b} }
	return map[string]any{"supported": supported, "low": s(low), "medium": s(medium), "high": s(high), "max": s(maxLevel), "xhigh": s(xhigh)}
}
