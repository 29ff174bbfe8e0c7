package server_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

// tooLarge is the edge's 413 body as recorded in public SDK issue threads
// (anthropic-sdk-python#938, claude-code#14567): no top-level type, no
// request_id.
const tooLarge = `{"error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}`

var _ = Describe("Error bodies", func() {
	var c *client

	BeforeEach(func() {
		c = newClient(server.Options{APIKeys: []string{"test-key"}})
	})

	DescribeTable("are the recorded envelope, byte for byte, with the request id in header and body",
		func(send func(*client) reply, status int, typ, message string) {
			r := send(c)
			Expect(r.status).To(Equal(status))
			Expect(r.header.Get("Content-Type")).To(Equal("application/json"))
			Expect(r.header.Get("request-id")).To(MatchRegexp(`^req_011C[1-9A-HJ-NP-Za-km-z]{20}$`))
			Expect(string(r.body)).To(Equal(errorJSON(r, typ, message)))
		},
		Entry("no key (n8n#37930)", func(c *client) reply { return c.post("/v1/messages", hello, "x-api-key", "") },
			401, "authentication_error", "x-api-key header is required"),
		Entry("a bad key", func(c *client) reply { return c.post("/v1/messages", hello, "x-api-key", "", "x-api-key", "sk-bad") },
			401, "authentication_error", "invalid x-api-key"),
		Entry("no version header", func(c *client) reply { return c.post("/v1/messages", hello, "anthropic-version", "") },
			400, "invalid_request_error", "anthropic-version: header is required"),
		Entry("an unknown model", func(c *client) reply {
			return c.post("/v1/messages", strings.Replace(hello, "claude-haiku-4-5", "claude-nope-1", 1))
		}, 404, "not_found_error", "model: claude-nope-1"),
		Entry("max_tokens above the model's maximum", func(c *client) reply {
			return c.post("/v1/messages", strings.Replace(hello, `"max_tokens":100`, `"max_tokens":64001`, 1))
		}, 400, "invalid_request_error", "max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5-20251001"),
		Entry("five cache breakpoints", func(c *client) reply {
			return c.post("/v1/messages", `{"model":"claude-haiku-4-5","max_tokens":10,"messages":[{"role":"user","content":[`+
				strings.Repeat(`{"type":"text","text":"a","cache_control":{"type":"ephemeral"}},`, 4)+
				`{"type":"text","text":"b","cache_control":{"type":"ephemeral"}}]}]}`)
		}, 400, "invalid_request_error", "A maximum of 4 blocks with cache_control may be provided. Found 5."),
		Entry("an empty body, in the real parser's (orjson's) wording", func(c *client) reply { return c.post("/v1/messages", ``) },
			400, "invalid_request_error", "The request body is not valid JSON: Input is a zero-length, empty document: line 1 column 1 (char 0)"),
		Entry("an unknown path (no recording: wording chosen)", func(c *client) reply { return c.do("GET", "/v1/nothing", "") },
			404, "not_found_error", "Not Found"),
		Entry("a wrong method (no recording: wording chosen)", func(c *client) reply { return c.do("GET", "/v1/messages", "") },
			405, "invalid_request_error", "Method Not Allowed"),
	)

	Describe("the 413", func() {
		var big string

		BeforeEach(func() {
			big = `{"x":"` + strings.Repeat("a", server.MaxRequestBytes) + `"}`
		})

		It("is the edge's body exactly, without request_id or request-id header", func() {
			r := c.post("/v1/messages", big)
			Expect(r.status).To(Equal(413))
			Expect(string(r.body)).To(Equal(tooLarge))
			Expect(r.header.Get("Content-Type")).To(Equal("application/json"))
			Expect(r.header.Values("request-id")).To(BeEmpty())
		})

		It("comes before any credential check, as the edge answers first", func() {
			r := c.post("/v1/messages/count_tokens", big, "x-api-key", "", "anthropic-version", "")
			Expect(r.status).To(Equal(413))
			Expect(string(r.body)).To(Equal(tooLarge))
		})

		It("is also what a scenario's status 413 sends", func() {
			s, c := newServer(server.Options{})
			load(s, "faults:\n  - status: {code: 413}\n")
			r := c.post("/v1/messages", hello)
			Expect(r.status).To(Equal(413))
			Expect(string(r.body)).To(Equal(tooLarge))
			Expect(r.header.Values("request-id")).To(BeEmpty())
			Expect(r.header.Values("anthropic-organization-id")).To(BeEmpty(), "the edge knows no organization")
			Expect(r.header.Values("anthropic-workspace-id")).To(BeEmpty())
			Expect(r.header.Values("x-should-retry")).To(BeEmpty())
		})

		It("carries no x-should-retry, organization or workspace", func() {
			r := c.post("/v1/messages", big)
			Expect(r.status).To(Equal(413))
			Expect(r.header.Values("x-should-retry")).To(BeEmpty())
			Expect(r.header.Values("anthropic-organization-id")).To(BeEmpty())
			Expect(r.header.Values("anthropic-workspace-id")).To(BeEmpty())
		})
	})
})

var _ = Describe("Error headers", func() {
	var (
		s   *server.Server
		c   *client
		org string
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{APIKeys: []string{"test-key", "sk-batch"},
			Organizations: []byte("organizations:\n  - id: org-acme\n    workspaces:\n      - id: wrkspc_batch\n        keys: [sk-batch]\n")})
		org = s.DefaultOrganization()
	})

	// headersOf is what the specs compare: x-should-retry, then the
	// organization and workspace headers, each as every value sent.
	headersOf := func(r reply) [][]string {
		return [][]string{r.header.Values("x-should-retry"), r.header.Values("anthropic-organization-id"), r.header.Values("anthropic-workspace-id")}
	}

	DescribeTable("are those of the recorded answers: x-should-retry false, and the account once the key is authenticated",
		func(send func(*client) reply, status int, authenticated bool) {
			r := send(c)
			Expect(r.status).To(Equal(status))
			want := [][]string{{"false"}, nil, nil}
			if authenticated {
				want = [][]string{{"false"}, {org}, {orgs.DefaultWorkspaceID(org)}}
			}
			Expect(headersOf(r)).To(Equal(want))
		},
		Entry("401 without a key (Mirascope, ruby_llm)", func(c *client) reply { return c.post("/v1/messages", hello, "x-api-key", "") }, 401, false),
		Entry("401 with a bad key", func(c *client) reply { return c.post("/v1/messages", hello, "x-api-key", "", "x-api-key", "sk-bad") }, 401, false),
		Entry("400 without a version, after the key", func(c *client) reply { return c.post("/v1/messages", hello, "anthropic-version", "") }, 400, true),
		Entry("400 of validation (ruby_llm, Mirascope)", func(c *client) reply {
			return c.post("/v1/messages", strings.Replace(hello, `"max_tokens":100`, `"max_tokens":64001`, 1))
		}, 400, true),
		Entry("404 for an unknown model (Mirascope)", func(c *client) reply {
			return c.post("/v1/messages", strings.Replace(hello, "claude-haiku-4-5", "claude-nope-1", 1))
		}, 404, true),
		Entry("400 from count_tokens", func(c *client) reply { return c.post("/v1/messages/count_tokens", `{"model":"claude-haiku-4-5"}`) }, 400, true),
		Entry("404 for an unknown model id on /v1/models", func(c *client) reply { return c.do("GET", "/v1/models/claude-nope-1", "") }, 404, true),
		Entry("404 for an unknown path, which no key reaches", func(c *client) reply { return c.do("GET", "/v1/nothing", "") }, 404, false),
		Entry("405 for a wrong method, which no key reaches", func(c *client) reply { return c.do("GET", "/v1/messages", "") }, 405, false),
	)

	It("name a configured workspace on its key's errors", func() {
		r := c.post("/v1/messages", strings.Replace(hello, "claude-haiku-4-5", "claude-nope-1", 1), "x-api-key", "", "x-api-key", "sk-batch")
		Expect(r.status).To(Equal(404))
		Expect(headersOf(r)).To(Equal([][]string{{"false"}, {"org-acme"}, {"wrkspc_batch"}}))
	})

	DescribeTable("name the organization and its default workspace on every successful answer, without x-should-retry",
		func(method, path, body string) {
			r := c.do(method, path, body)
			Expect(r.status).To(Equal(200))
			Expect(headersOf(r)).To(Equal([][]string{nil, {org}, {orgs.DefaultWorkspaceID(org)}}))
		},
		Entry("a message", "POST", "/v1/messages", hello),
		Entry("a stream", "POST", "/v1/messages", strings.Replace(hello, `"max_tokens"`, `"stream":true,"max_tokens"`, 1)),
		Entry("a token count", "POST", "/v1/messages/count_tokens", `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hello"}]}`),
		Entry("the models list", "GET", "/v1/models", ""),
	)

	It("show the default workspace's id in the state, as the header names it", func() {
		ids := map[string]string{}
		for _, o := range s.State().Organizations {
			ids[o.ID] = o.DefaultWorkspaceID
		}
		Expect(ids).To(Equal(map[string]string{org: orgs.DefaultWorkspaceID(org), "org-acme": "wrkspc_01gems7WjPpk4pDn2VM4HD2G"}))
	})
})
