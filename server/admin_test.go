package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
	"github.com/anthropics/anthropic-sdk-go/packages/param"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
	"github.com/claudemock/claudemock/server/internal/admin"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

const (
	adminKey  = "sk-ant-admin01-acme-0001"
	adminOrgs = `organizations:
  - id: org-acme
    name: Acme
    tier: tier-2
    keys: [sk-acme]
    admin_keys: [` + adminKey + `]
    workspaces:
      - id: wrkspc_batch
        name: Batch
        keys: [sk-batch]
  - id: org-small
    keys: [sk-small]
`
)

// validated checks every body the SDK receives against the OpenAPI
// document, under the path it was sent to (?beta=true included).
type validated struct {
	mu       sync.Mutex
	problems []string
	paths    []string
}

func (v *validated) middleware(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	res, err := next(req)
	if err != nil {
		return res, err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body = io.NopCloser(bytes.NewReader(body))
	path := req.URL.Path
	if req.URL.Query().Get("beta") == "true" {
		path += "?beta=true"
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.paths = append(v.paths, req.Method+" "+path)
	if err := spec.ValidateResponse(req.Method, path, res.StatusCode, body); err != nil {
		v.problems = append(v.problems, fmt.Sprintf("%s %s: %v", req.Method, path, err))
	}
	return res, nil
}

// sdkClient is a Go SDK client of s with key whose answers v validates.
func sdkClient(s *server.Server, key string, v *validated) anthropic.Client {
	return anthropic.NewClient(option.WithoutEnvironmentDefaults(), option.WithBaseURL(s.URL()),
		option.WithAPIKey(key), option.WithMaxRetries(0), option.WithMiddleware(v.middleware))
}

// sdkError is the *anthropic.Error an SDK call failed with.
func sdkError(err error) *anthropic.Error {
	GinkgoHelper()
	var apiErr *anthropic.Error
	Expect(errors.As(err, &apiErr)).To(BeTrue(), "want *anthropic.Error, got %v", err)
	return apiErr
}

// errorBody is an SDK error's type and message.
func errorBody(err error) (int, string, string) {
	GinkgoHelper()
	e := sdkError(err)
	var body struct {
		Error struct{ Type, Message string }
	}
	Expect(json.Unmarshal([]byte(e.RawJSON()), &body)).To(Succeed())
	return e.StatusCode, body.Error.Type, body.Error.Message
}

var _ = Describe("The Admin API", func() {
	var (
		s       *server.Server
		v       *validated
		console anthropic.Client
		ctx     = context.Background()
	)

	BeforeEach(func() {
		s = server.RunT(GinkgoT(), server.Options{Clock: "manual", Start: start, Organizations: []byte(adminOrgs)})
		v = &validated{}
		console = sdkClient(s, adminKey, v)
	})

	AfterEach(func() {
		Expect(v.problems).To(BeEmpty())
	})

	message := func(key string) (*anthropic.Message, error) {
		c := sdkClient(s, key, v)
		return c.Messages.New(ctx, anthropic.MessageNewParams{Model: "claude-haiku-4-5", MaxTokens: 100,
			Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("Hello"))}})
	}

	It("names the admin key's organization, plain and beta", func() {
		me, err := console.Organization.Get(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect([]string{me.ID, me.Name, string(me.Type)}).To(Equal([]string{admin.OrganizationUUID("org-acme"), "Acme", "organization"}))
		beta, err := console.Beta.Organization.Get(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(beta.ID).To(Equal(me.ID))
		Expect(v.paths).To(Equal([]string{"GET /v1/organizations/me", "GET /v1/organizations/me?beta=true"}))
	})

	It("refuses an API key on the Admin API and an admin key on the Messages API, as an invalid key", func() {
		normal := sdkClient(s, "sk-acme", v)
		_, err := normal.Organization.Get(ctx)
		status, typ, msg := errorBody(err)
		Expect([]any{status, typ, msg}).To(Equal([]any{401, "authentication_error", "invalid x-api-key"}))
		_, err = message(adminKey)
		status, typ, msg = errorBody(err)
		Expect([]any{status, typ, msg}).To(Equal([]any{401, "authentication_error", "invalid x-api-key"}))
		unknown := sdkClient(s, "sk-ant-admin01-unknown", v)
		_, err = unknown.Organization.Get(ctx)
		Expect(sdkError(err).StatusCode).To(Equal(401), "a file with admin keys knows all of them")
	})

	It("takes any admin-prefixed key as the default organization's when no file lists admin keys", func() {
		plain := server.RunT(GinkgoT(), server.Options{})
		any := sdkClient(plain, "sk-ant-admin01-anything", v)
		me, err := any.Organization.Get(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect([]string{me.ID, me.Name}).To(Equal([]string{plain.DefaultOrganization(), "Default organization"}))
	})

	It("shows the organization's effective limits and a workspace limit that the next request meets as a 429", func() {
		page, err := console.Organization.RateLimits.List(ctx, anthropic.OrganizationRateLimitListParams{Model: param.NewOpt("claude-haiku-4-5")})
		Expect(err).NotTo(HaveOccurred())
		Expect(page.Data).To(HaveLen(1))
		Expect(page.Data[0].ID).To(Equal("haiku-4-5"))
		Expect(page.Data[0].Limits[0].Type).To(Equal("requests_per_minute"))
		Expect(page.Data[0].Limits[0].Value).To(Equal(int64(1000))) // tier-2's

		counting, err := console.Beta.Organization.RateLimits.List(ctx, anthropic.BetaOrganizationRateLimitListParams{GroupType: "token_count"})
		Expect(err).NotTo(HaveOccurred())
		Expect(counting.Data).To(HaveLen(1))
		Expect([]any{counting.Data[0].ID, counting.Data[0].Limits[0].Type, counting.Data[0].Limits[0].Value}).
			To(Equal([]any{"token_count", "requests_per_minute", int64(2000)}))

		entry, err := console.Organization.Workspaces.RateLimits.Update(ctx, "haiku-4-5", anthropic.OrganizationWorkspaceRateLimitUpdateParams{
			WorkspaceID: "wrkspc_batch",
			Limits:      []anthropic.WorkspaceRateLimitUpdateValueParam{{Type: "requests_per_minute", Value: param.NewOpt[int64](2)}},
		})
		Expect(err).NotTo(HaveOccurred())
		Expect([]any{entry.RateLimitID, entry.WorkspaceID, entry.Limits[0].Type, entry.Limits[0].Value, entry.Limits[0].OrgLimit, entry.Limits[0].Source.Type}).
			To(Equal([]any{"haiku-4-5", "wrkspc_batch", "requests_per_minute", int64(2), int64(1000), "workspace"}))

		for range 2 {
			_, err := message("sk-batch")
			Expect(err).NotTo(HaveOccurred())
		}
		_, err = message("sk-batch")
		e := sdkError(err)
		Expect(e.StatusCode).To(Equal(429))
		h := e.Response.Header
		Expect([]string{h.Get("retry-after"), h.Get("anthropic-ratelimit-requests-limit"), h.Get("anthropic-ratelimit-requests-remaining"),
			h.Get("anthropic-ratelimit-requests-reset"), h.Get("x-should-retry"), h.Get("anthropic-workspace-id")}).
			To(Equal([]string{"30", "2", "0", "2026-01-01T00:01:00Z", "true", "wrkspc_batch"}))
		_, err = message("sk-acme")
		Expect(err).NotTo(HaveOccurred(), "the default workspace keeps the organization's limits")

		list, err := console.Beta.Organization.Workspaces.RateLimits.List(ctx, "wrkspc_batch", anthropic.BetaOrganizationWorkspaceRateLimitListParams{})
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Data).To(HaveLen(1))
		Expect(list.Data[0].Limits[0].Value).To(Equal(int64(2)))
	})

	It("clears a workspace override with null and refuses one above the organization's", func() {
		update := func(value param.Opt[int64]) error {
			_, err := console.Organization.Workspaces.RateLimits.Update(ctx, "haiku-4-5", anthropic.OrganizationWorkspaceRateLimitUpdateParams{
				WorkspaceID: "wrkspc_batch", Limits: []anthropic.WorkspaceRateLimitUpdateValueParam{{Type: "requests_per_minute", Value: value}}})
			return err
		}
		Expect(update(param.NewOpt[int64](3))).To(Succeed())
		Expect(update(param.Null[int64]())).To(Succeed())
		list, err := console.Organization.Workspaces.RateLimits.List(ctx, "wrkspc_batch", anthropic.OrganizationWorkspaceRateLimitListParams{})
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Data).To(BeEmpty())
		status, typ, msg := errorBody(update(param.NewOpt[int64](1001)))
		Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error",
			"limits.0.value: must not exceed the organization's limit of 1000, got 1001"}))
	})

	It("creates, lists (auto-paging), renames and archives workspaces with deterministic ids", func() {
		created, err := console.Organization.Workspaces.New(ctx, anthropic.OrganizationWorkspaceNewParams{Name: "Research"})
		Expect(err).NotTo(HaveOccurred())
		Expect(created.ID).To(Equal(orgs.DerivedID("wrkspc_01", "claudemock:workspace:org-acme:1")))
		Expect([]any{created.Name, created.CreatedAt.UTC()}).To(Equal([]any{"Research", start}))

		var names []string
		iter := console.Organization.Workspaces.ListAutoPaging(ctx, anthropic.OrganizationWorkspaceListParams{Limit: param.NewOpt[int64](1)})
		for iter.Next() {
			names = append(names, iter.Current().Name)
		}
		Expect(iter.Err()).NotTo(HaveOccurred())
		Expect(names).To(Equal([]string{"Research", "Batch"}), "newest first")

		renamed, err := console.Beta.Organization.Workspaces.Update(ctx, created.ID, anthropic.BetaOrganizationWorkspaceUpdateParams{Name: param.NewOpt("Lab")})
		Expect(err).NotTo(HaveOccurred())
		Expect(renamed.Name).To(Equal("Lab"))
		archived, err := console.Organization.Workspaces.Archive(ctx, "wrkspc_batch")
		Expect(err).NotTo(HaveOccurred())
		Expect(archived.ArchivedAt.UTC()).To(Equal(start))
		_, err = message("sk-batch")
		Expect(sdkError(err).StatusCode).To(Equal(401), "an archived workspace's keys stop working")

		page, err := console.Organization.Workspaces.List(ctx, anthropic.OrganizationWorkspaceListParams{IncludeDefault: param.NewOpt(true)})
		Expect(err).NotTo(HaveOccurred())
		Expect(page.Data).To(HaveLen(2))
		Expect(page.Data[1].ID).To(Equal(orgs.DefaultWorkspaceID("org-acme")))
		_, err = console.Organization.Workspaces.Get(ctx, "wrkspc_nope")
		status, typ, msg := errorBody(err)
		Expect([]any{status, typ, msg}).To(Equal([]any{404, "not_found_error", "Workspace wrkspc_nope not found."}))
	})

	It("lists keys with filters and makes an inactive key a 401 on /v1/messages", func() {
		page, err := console.Organization.APIKeys.List(ctx, anthropic.OrganizationAPIKeyListParams{WorkspaceID: param.NewOpt("wrkspc_batch")})
		Expect(err).NotTo(HaveOccurred())
		Expect(page.Data).To(HaveLen(1))
		key := page.Data[0]
		Expect([]string{key.ID, key.PartialKeyHint, string(key.Status)}).
			To(Equal([]string{orgs.DerivedID("apikey_01", "claudemock:api-key:sk-batch"), "…atch", "active"}))

		updated, err := console.Organization.APIKeys.Update(ctx, key.ID, anthropic.OrganizationAPIKeyUpdateParams{
			Status: anthropic.OrganizationAPIKeyUpdateParamsStatusInactive, Name: param.NewOpt("batch jobs")})
		Expect(err).NotTo(HaveOccurred())
		Expect([]string{updated.Name, string(updated.Status)}).To(Equal([]string{"batch jobs", "inactive"}))
		_, err = message("sk-batch")
		status, typ, msg := errorBody(err)
		Expect([]any{status, typ, msg}).To(Equal([]any{401, "authentication_error", "invalid x-api-key"}))

		inactive, err := console.Beta.Organization.APIKeys.List(ctx, anthropic.BetaOrganizationAPIKeyListParams{Status: "inactive"})
		Expect(err).NotTo(HaveOccurred())
		Expect(inactive.Data).To(HaveLen(1))
		_, err = console.Organization.APIKeys.Update(ctx, key.ID, anthropic.OrganizationAPIKeyUpdateParams{Status: anthropic.OrganizationAPIKeyUpdateParamsStatusActive})
		Expect(err).NotTo(HaveOccurred())
		_, err = message("sk-batch")
		Expect(err).NotTo(HaveOccurred())
	})
})

// The real answer to a path the API does not have, as recorded in
// ppipada/flexigpt-vscode-extension#8 (2024-03) and danielmiessler/Fabric#1140
// (2024-11): 404 not_found_error "Not Found", x-should-retry false.
var _ = Describe("Unsupported endpoints", func() {
	c := newClient(server.Options{})
	DescribeTable("answer the real 404 envelope",
		func(method, path string) {
			r := c.do(method, path, "{}")
			status, typ, msg := r.errorOf()
			Expect([]any{status, typ, msg}).To(Equal([]any{404, "not_found_error", "Not Found"}))
			Expect(r.header.Get("x-should-retry")).To(Equal("false"))
			if strings.HasSuffix(path, "?beta=true") {
				Expect(spec.ValidateResponse(method, path, 404, r.body)).To(Succeed())
			} else {
				Expect(spec.Validate("ErrorResponse", r.body)).To(Succeed())
			}
		},
		Entry("agents", "GET", "/v1/agents?beta=true"),
		Entry("environments", "POST", "/v1/environments?beta=true"),
		Entry("memory stores", "GET", "/v1/memory_stores?beta=true"),
		Entry("skills", "GET", "/v1/skills?beta=true"),
		Entry("a plain path the document does not have", "GET", "/v1/agents"),
	)
})

var _ = Describe("The Admin API's reports", func() {
	var (
		s       *server.Server
		v       *validated
		console anthropic.Client
		ctx     = context.Background()
	)

	BeforeEach(func() {
		s = server.RunT(GinkgoT(), server.Options{Clock: "manual", Start: start, Organizations: []byte(adminOrgs)})
		v = &validated{}
		console = sdkClient(s, adminKey, v)
		send := func(key, text string) {
			c := sdkClient(s, key, v)
			_, err := c.Messages.New(ctx, anthropic.MessageNewParams{Model: "claude-haiku-4-5", MaxTokens: 100,
				Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(text))}})
			Expect(err).NotTo(HaveOccurred())
		}
		send("sk-acme", "Hello")
		_, err := s.Advance(90 * time.Minute)
		Expect(err).NotTo(HaveOccurred())
		send("sk-batch", "Hello there, how are you?")
		send("sk-acme", "One more question about the weather")
		send("sk-small", "Another organization's request")
	})

	AfterEach(func() {
		Expect(v.problems).To(BeEmpty())
	})

	// report GETs a report through the SDK with query pairs.
	report := func(path string, out any, query ...string) error {
		opts := []option.RequestOption{option.WithQuery("beta", "true")}
		for i := 0; i+1 < len(query); i += 2 {
			opts = append(opts, option.WithQueryAdd(query[i], query[i+1]))
		}
		return console.Get(ctx, path, nil, out, opts...)
	}

	// journalSums adds up org-acme's served usage per workspace the way
	// the report names them (nil: the default workspace).
	journalSums := func() (input, output int) {
		for _, e := range s.Journal() {
			if e.Organization == "org-acme" && e.Usage != nil {
				input, output = input+e.Usage.InputTokens, output+e.Usage.OutputTokens
			}
		}
		return input, output
	}

	type usageItem struct {
		Uncached    int     `json:"uncached_input_tokens"`
		Output      int     `json:"output_tokens"`
		APIKeyID    *string `json:"api_key_id"`
		WorkspaceID *string `json:"workspace_id"`
		Model       *string `json:"model"`
	}
	type usageReport struct {
		Data []struct {
			StartingAt string      `json:"starting_at"`
			EndingAt   string      `json:"ending_at"`
			Results    []usageItem `json:"results"`
		} `json:"data"`
		HasMore  bool    `json:"has_more"`
		NextPage *string `json:"next_page"`
	}

	It("sums the journal's usage into one daily bucket", func() {
		var r usageReport
		Expect(report("v1/organizations/usage_report/messages", &r, "starting_at", "2026-01-01T00:00:00Z")).To(Succeed())
		Expect(r.Data).To(HaveLen(1))
		Expect([]any{r.Data[0].StartingAt, r.Data[0].EndingAt, r.HasMore, r.NextPage}).
			To(Equal([]any{"2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", false, (*string)(nil)}))
		in, out := journalSums()
		Expect(r.Data[0].Results).To(Equal([]usageItem{{Uncached: in, Output: out}}))
	})

	It("buckets by the hour, groups by key and workspace, and pages with next_page", func() {
		var first, second usageReport
		query := []string{"starting_at", "2026-01-01T00:30:00Z", "ending_at", "2026-01-01T02:00:00Z", "bucket_width", "1h",
			"limit", "1", "group_by[]", "api_key_id", "group_by[]", "workspace_id"}
		Expect(report("v1/organizations/usage_report/messages", &first, query...)).To(Succeed())
		Expect([]any{len(first.Data), first.Data[0].StartingAt, first.HasMore}).To(Equal([]any{1, "2026-01-01T00:00:00Z", true}))
		Expect(first.Data[0].Results).To(HaveLen(1))
		Expect(*first.Data[0].Results[0].APIKeyID).To(Equal(orgs.DerivedID("apikey_01", "claudemock:api-key:sk-acme")))
		Expect(first.Data[0].Results[0].WorkspaceID).To(BeNil(), "the default workspace")

		Expect(report("v1/organizations/usage_report/messages", &second, append(query, "page", *first.NextPage)...)).To(Succeed())
		Expect([]any{len(second.Data), second.Data[0].StartingAt, second.HasMore, second.NextPage}).
			To(Equal([]any{1, "2026-01-01T01:00:00Z", false, (*string)(nil)}))
		ids := []string{}
		for _, it := range second.Data[0].Results {
			ids = append(ids, *it.APIKeyID)
		}
		Expect(ids).To(Equal([]string{orgs.DerivedID("apikey_01", "claudemock:api-key:sk-batch"), orgs.DerivedID("apikey_01", "claudemock:api-key:sk-acme")}))
		Expect(*second.Data[0].Results[0].WorkspaceID).To(Equal("wrkspc_batch"))

		in, out := journalSums()
		total := first.Data[0].Results[0]
		for _, it := range second.Data[0].Results {
			total.Uncached, total.Output = total.Uncached+it.Uncached, total.Output+it.Output
		}
		Expect([]int{total.Uncached, total.Output}).To(Equal([]int{in, out}))
	})

	It("prices the same requests in a cost report whose sum is the spend ledger's", func() {
		var r struct {
			Data []struct {
				Results []struct {
					Amount      string  `json:"amount"`
					Currency    string  `json:"currency"`
					WorkspaceID *string `json:"workspace_id"`
					Description *string `json:"description"`
				} `json:"results"`
			} `json:"data"`
		}
		Expect(report("v1/organizations/cost_report", &r, "starting_at", "2026-01-01T00:00:00Z", "group_by[]", "workspace_id")).To(Succeed())
		Expect(r.Data).To(HaveLen(1))
		Expect(r.Data[0].Results).To(HaveLen(2))
		var cents float64
		for _, it := range r.Data[0].Results {
			Expect(it.Currency).To(Equal("USD"))
			Expect(it.Description).To(BeNil())
			f, err := strconv.ParseFloat(it.Amount, 64)
			Expect(err).NotTo(HaveOccurred())
			cents += f
		}
		var spent float64
		for _, o := range s.State().Organizations {
			if o.ID == "org-acme" {
				spent = o.SpentThisMonth
			}
		}
		Expect(cents / 100).To(BeNumerically("~", spent, 1e-9))
		Expect(spent).To(BeNumerically(">", 0))
	})

	It("counts an ended batch's requests as service tier batch, at the batch rate the ledger booked", func() {
		client := sdkClient(s, "sk-acme", v)
		_, err := client.Messages.Batches.New(ctx, batchOf("one", "two"))
		Expect(err).NotTo(HaveOccurred())
		_, err = s.Advance(time.Minute) // both requests end, and the state books them
		Expect(err).NotTo(HaveOccurred())
		var spent float64
		for _, o := range s.State().Organizations {
			if o.ID == "org-acme" {
				spent = o.SpentThisMonth
			}
		}
		var usage struct {
			Data []struct {
				Results []struct {
					Output      int     `json:"output_tokens"`
					ServiceTier *string `json:"service_tier"`
				} `json:"results"`
			} `json:"data"`
		}
		Expect(report("v1/organizations/usage_report/messages", &usage, "starting_at", "2026-01-01T00:00:00Z", "group_by[]", "service_tier")).To(Succeed())
		tiers := map[string]int{}
		for _, it := range usage.Data[0].Results {
			tiers[*it.ServiceTier] += it.Output
		}
		Expect(tiers).To(HaveKey("batch"))
		Expect(tiers["batch"]).To(BeNumerically(">", 0))
		var cost struct {
			Data []struct {
				Results []struct {
					Amount string `json:"amount"`
				} `json:"results"`
			} `json:"data"`
		}
		Expect(report("v1/organizations/cost_report", &cost, "starting_at", "2026-01-01T00:00:00Z")).To(Succeed())
		cents, err := strconv.ParseFloat(cost.Data[0].Results[0].Amount, 64)
		Expect(err).NotTo(HaveOccurred())
		Expect(cents / 100).To(BeNumerically("~", spent, 1e-9))
	})

	It("refuses a bad window and a bucket width the cost report lacks, naming the parameter", func() {
		var r usageReport
		status, typ, msg := errorBody(report("v1/organizations/usage_report/messages", &r))
		Expect([]any{status, typ, msg}).To(Equal([]any{400, "invalid_request_error", "starting_at: Field required"}))
		status, _, msg = errorBody(report("v1/organizations/cost_report", &r, "starting_at", "2026-01-01T00:00:00Z", "bucket_width", "1h"))
		Expect([]any{status, msg}).To(Equal([]any{400, "bucket_width: Input should be '1d'"}))
		status, _, msg = errorBody(report("v1/organizations/usage_report/messages", &r, "starting_at", "2026-01-01T00:00:00Z", "group_by[]", "colour"))
		Expect([]any{status, msg}).To(Equal([]any{400, "group_by[]: Input should be 'account_id', 'api_key_id', 'context_window', " +
			"'inference_geo', 'model', 'service_account_id', 'service_tier', 'speed' or 'workspace_id'"}))
	})
})

var _ = Describe("The Admin API on bad input", func() {
	var c *client

	BeforeEach(func() {
		_, c = newServer(server.Options{Clock: "manual", Start: start, Organizations: []byte(adminOrgs)})
		c.headers["x-api-key"] = adminKey
	})

	DescribeTable("answers the real envelope naming the field",
		func(method, path, body string, status int, typ, msg string) {
			r := c.do(method, path, body)
			got, gotType, gotMsg := r.errorOf()
			Expect([]any{got, gotType, gotMsg}).To(Equal([]any{status, typ, msg}))
			Expect(spec.ValidateResponse(method, strings.SplitN(path, "&", 2)[0], status, r.body)).To(Succeed())
		},
		Entry("a body that is not JSON", "POST", "/v1/organizations/workspaces", "{",
			400, "invalid_request_error", "The request body is not valid JSON: unexpected end of JSON input"),
		Entry("a workspace without a name", "POST", "/v1/organizations/workspaces", "{}",
			400, "invalid_request_error", "name: Field required"),
		Entry("a page size of 0", "GET", "/v1/organizations/workspaces?beta=true&limit=0", "",
			400, "invalid_request_error", "limit: Input should be greater than or equal to 1"),
		Entry("a limiter the mock does not enforce", "POST", "/v1/organizations/workspaces/wrkspc_batch/rate_limits/haiku-4-5",
			`{"limits":[{"type":"tool_uses_per_second","value":1}]}`,
			400, "invalid_request_error", "limits.0.type: tool_uses_per_second is not a limiter the mock enforces"),
		Entry("an unknown rate-limit entry", "POST", "/v1/organizations/workspaces/wrkspc_batch/rate_limits/gpt-5",
			`{"limits":[{"type":"requests_per_minute","value":1}]}`, 404, "not_found_error", "Rate limit gpt-5 not found."),
		Entry("limits on the default workspace", "POST", "/v1/organizations/workspaces/"+orgs.DefaultWorkspaceID("org-acme")+"/rate_limits/haiku-4-5",
			`{"limits":[{"type":"requests_per_minute","value":1}]}`,
			400, "invalid_request_error", "The default workspace cannot have rate limits of its own."),
		Entry("an unknown key", "GET", "/v1/organizations/api_keys/apikey_01nope?beta=true", "",
			404, "not_found_error", "API key apikey_01nope not found."),
		Entry("a resource the mock does not have", "GET", "/v1/organizations/users", "",
			404, "not_found_error", "Not Found"),
	)
})
