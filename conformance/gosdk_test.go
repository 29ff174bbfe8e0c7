package conformance_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"sync"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// attempts records every HTTP attempt the Go SDK makes, with the
// X-Stainless-Retry-Count header it sent, through option.WithMiddleware.
type attempts struct {
	mu     sync.Mutex
	counts []string
	paths  []string
}

func (a *attempts) middleware(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	a.mu.Lock()
	a.counts = append(a.counts, req.Header.Get("X-Stainless-Retry-Count"))
	a.paths = append(a.paths, req.URL.RequestURI())
	a.mu.Unlock()
	return next(req)
}

func (a *attempts) retryCounts() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.counts...)
}

func (a *attempts) requestURIs() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.paths...)
}

// asAPIError unwraps err into the Go SDK's one error type.
func asAPIError(err error) *anthropic.Error {
	GinkgoHelper()
	Expect(err).To(HaveOccurred())
	var apiErr *anthropic.Error
	Expect(errors.As(err, &apiErr)).To(BeTrue(), "want *anthropic.Error, got %T: %v", err, err)
	return apiErr
}

// errorEnvelope is the mock's (and the real API's) error body.
type errorEnvelope struct {
	Type  string `json:"type"`
	Error struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
	RequestID string `json:"request_id"`
}

func envelopeOf(apiErr *anthropic.Error) errorEnvelope {
	GinkgoHelper()
	var env errorEnvelope
	Expect(json.Unmarshal([]byte(apiErr.RawJSON()), &env)).To(Succeed(), "error body: %s", apiErr.RawJSON())
	return env
}

var _ = Describe("Go SDK v1.84.0", func() {
	var (
		srv    *server.Server
		client anthropic.Client
	)

	BeforeEach(func() {
		srv = startServer(server.Options{Seed: 1})
		client = newClient(srv, testKey)
	})

	Describe("Messages.New", func() {
		It("returns a complete end_turn message whose input_tokens match CountTokens", func(ctx SpecContext) {
			msg, err := client.Messages.New(ctx, textParams())
			Expect(err).NotTo(HaveOccurred())

			Expect(msg.ID).To(HavePrefix("msg_01"))
			Expect(string(msg.Type)).To(Equal("message"))
			Expect(string(msg.Role)).To(Equal("assistant"))
			Expect(string(msg.Model)).To(Equal(haikuID))
			Expect(msg.StopReason).To(Equal(anthropic.StopReasonEndTurn))
			Expect(msg.StopSequence).To(BeEmpty())
			Expect(msg.Content).To(HaveLen(1))
			Expect(msg.Content[0].Type).To(Equal("text"))
			Expect(msg.Content[0].Text).NotTo(BeEmpty())
			Expect(msg.Usage.OutputTokens).To(Equal(int64(replyTokens)))

			count, err := client.Messages.CountTokens(ctx, anthropic.MessageCountTokensParams{
				Model:    anthropic.Model(haikuAlias),
				Messages: helloMessages(),
			})
			Expect(err).NotTo(HaveOccurred())
			Expect(count.InputTokens).To(BeNumerically(">", 0))
			Expect(msg.Usage.InputTokens).To(Equal(count.InputTokens))

			// §7.13: every required Message field is on the wire, stop_sequence as null.
			var wire map[string]json.RawMessage
			Expect(json.Unmarshal([]byte(msg.RawJSON()), &wire)).To(Succeed())
			Expect(wire).To(HaveKey("id"))
			Expect(wire).To(HaveKey("content"))
			Expect(wire).To(HaveKey("usage"))
			Expect(wire).To(HaveKeyWithValue("stop_sequence", json.RawMessage("null")))
		})

		It("answers JSON with a request-id header (§7.5)", func(ctx SpecContext) {
			var raw *http.Response
			_, err := client.Messages.New(ctx, textParams(), option.WithResponseInto(&raw))
			Expect(err).NotTo(HaveOccurred())
			Expect(raw.Header.Get("Content-Type")).To(HavePrefix("application/json"))
			Expect(raw.Header.Get("request-id")).To(HavePrefix("req_"))
		})

		It("answers the dated id when the dated id is sent", func(ctx SpecContext) {
			p := textParams()
			p.Model = anthropic.Model(haikuID)
			msg, err := client.Messages.New(ctx, p)
			Expect(err).NotTo(HaveOccurred())
			Expect(string(msg.Model)).To(Equal(haikuID))
		})

		It("is byte-identical on two servers started with the same seed", func(ctx SpecContext) {
			twin := newClient(startServer(server.Options{Seed: 1}), testKey)

			first, err := client.Messages.New(ctx, textParams())
			Expect(err).NotTo(HaveOccurred())
			second, err := twin.Messages.New(ctx, textParams())
			Expect(err).NotTo(HaveOccurred())
			Expect(second.RawJSON()).To(Equal(first.RawJSON()))

			other := newClient(startServer(server.Options{Seed: 2}), testKey)
			third, err := other.Messages.New(ctx, textParams())
			Expect(err).NotTo(HaveOccurred())
			Expect(third.ID).NotTo(Equal(first.ID), "a different seed should give a different message id")
		})
	})

	Describe("Messages.NewStreaming", func() {
		It("accumulates to the non-streaming message of a same-seed server", func(ctx SpecContext) {
			twin := newClient(startServer(server.Options{Seed: 1}), testKey)
			want, err := twin.Messages.New(ctx, textParams())
			Expect(err).NotTo(HaveOccurred())

			got, events := accumulate(client, ctx, textParams())

			Expect(withoutPings(events)).To(HaveExactElements(
				"message_start", "content_block_start",
				"content_block_delta", // at least one, possibly more: folded below
				"content_block_stop", "message_delta", "message_stop",
			), "event order (pings and repeated deltas folded): %v", events)
			Expect(got.ID).To(Equal(want.ID))
			Expect(got.Model).To(Equal(want.Model))
			Expect(got.Content).To(HaveLen(1))
			Expect(texts(&got)).To(Equal(texts(want)))
			Expect(got.StopReason).To(Equal(anthropic.StopReasonEndTurn))
			Expect(got.StopReason).To(Equal(want.StopReason))
			Expect(got.StopSequence).To(Equal(want.StopSequence))
			Expect(got.Usage.InputTokens).To(Equal(want.Usage.InputTokens))
			Expect(got.Usage.OutputTokens).To(Equal(want.Usage.OutputTokens))
			Expect(got.Usage.OutputTokens).To(Equal(int64(replyTokens)))
			// v1.84's Accumulate rebuilds the wire JSON; it must be the same message.
			Expect(got.RawJSON()).To(MatchJSON(want.RawJSON()))
		})

		It("is served as SSE with a request-id header (§7.5, §7.14)", func(ctx SpecContext) {
			var raw *http.Response
			_, _ = accumulate(client, ctx, textParams(), option.WithResponseInto(&raw))

			Expect(raw).NotTo(BeNil())
			Expect(raw.StatusCode).To(Equal(http.StatusOK))
			Expect(raw.Header.Get("Content-Type")).To(Equal("text/event-stream; charset=utf-8"))
			Expect(raw.Header.Get("request-id")).To(HavePrefix("req_"))
		})
	})

	Describe("forced tool_choice", func() {
		It("returns one tool_use block whose input has the required properties", func(ctx SpecContext) {
			msg, err := client.Messages.New(ctx, toolParams())
			Expect(err).NotTo(HaveOccurred())

			Expect(msg.StopReason).To(Equal(anthropic.StopReasonToolUse))
			var uses []anthropic.ContentBlockUnion
			for _, b := range msg.Content {
				if b.Type == "tool_use" {
					uses = append(uses, b)
				}
			}
			Expect(uses).To(HaveLen(1), "content: %s", msg.RawJSON())
			use := uses[0]
			Expect(use.ID).To(HavePrefix("toolu_"))
			Expect(use.Name).To(Equal("get_weather"))

			var input map[string]any
			Expect(json.Unmarshal(use.Input, &input)).To(Succeed(), "input: %s", use.Input)
			Expect(input).To(HaveKeyWithValue("location", BeAssignableToTypeOf("")))
			Expect(input).To(HaveKeyWithValue("unit", BeElementOf("celsius", "fahrenheit")))
		})

		It("streams the same tool input as the non-streaming call", func(ctx SpecContext) {
			twin := newClient(startServer(server.Options{Seed: 1}), testKey)
			want, err := twin.Messages.New(ctx, toolParams())
			Expect(err).NotTo(HaveOccurred())
			Expect(want.Content).NotTo(BeEmpty())
			wantUse := want.Content[len(want.Content)-1]
			Expect(wantUse.Type).To(Equal("tool_use"))

			got, _ := accumulate(client, ctx, toolParams())

			Expect(got.StopReason).To(Equal(anthropic.StopReasonToolUse))
			Expect(got.Content).To(HaveLen(len(want.Content)))
			gotUse := got.Content[len(got.Content)-1]
			Expect(gotUse.Type).To(Equal("tool_use"))
			Expect(gotUse.ID).To(Equal(wantUse.ID))
			Expect(gotUse.Name).To(Equal("get_weather"))
			Expect(string(gotUse.Input)).To(MatchJSON(string(wantUse.Input)))
			Expect(got.Usage.InputTokens).To(Equal(want.Usage.InputTokens))
			Expect(got.Usage.OutputTokens).To(Equal(want.Usage.OutputTokens))
			Expect(got.RawJSON()).To(MatchJSON(want.RawJSON()))
		})
	})

	Describe("Models", func() {
		var all []string

		BeforeEach(func(ctx SpecContext) {
			page, err := client.Models.List(ctx, anthropic.ModelListParams{Limit: anthropic.Int(1000)})
			Expect(err).NotTo(HaveOccurred())
			Expect(page.HasMore).To(BeFalse())
			all = nil
			for _, m := range page.Data {
				all = append(all, m.ID)
			}
			Expect(all).To(ContainElement(haikuID))
			Expect(len(all)).To(BeNumerically(">", 3), "paging by 3 needs more than one page")
			Expect(page.FirstID).To(Equal(all[0]))
			Expect(page.LastID).To(Equal(all[len(all)-1]))
		})

		It("ListAutoPaging by 3 yields each model exactly once, in list order", func(ctx SpecContext) {
			var seen attempts
			paging := newClient(srv, testKey, option.WithMiddleware(seen.middleware))

			var ids []string
			pager := paging.Models.ListAutoPaging(ctx, anthropic.ModelListParams{Limit: anthropic.Int(3)})
			for pager.Next() {
				ids = append(ids, pager.Current().ID)
			}
			Expect(pager.Err()).NotTo(HaveOccurred())

			Expect(ids).To(HaveLen(len(all)))
			Expect(unique(ids)).To(HaveLen(len(ids)), "duplicates in %v", ids)
			Expect(ids).To(Equal(all))
			// has_more is false on the last page, so no empty trailing request.
			Expect(seen.requestURIs()).To(HaveLen((len(all) + 2) / 3))
		})

		It("pages backwards from before_id, each earlier model exactly once", func(ctx SpecContext) {
			var ids []string
			pager := client.Models.ListAutoPaging(ctx, anthropic.ModelListParams{
				Limit:    anthropic.Int(3),
				BeforeID: anthropic.String(all[len(all)-1]),
			})
			for pager.Next() {
				ids = append(ids, pager.Current().ID)
			}
			Expect(pager.Err()).NotTo(HaveOccurred())
			Expect(unique(ids)).To(HaveLen(len(ids)), "duplicates in %v", ids)
			Expect(ids).To(ConsistOf(all[:len(all)-1]))
		})

		It("Get resolves an alias to the dated id", func(ctx SpecContext) {
			m, err := client.Models.Get(ctx, haikuAlias, anthropic.ModelGetParams{})
			Expect(err).NotTo(HaveOccurred())
			Expect(m.ID).To(Equal(haikuID))
			Expect(string(m.Type)).To(Equal("model"))
			Expect(m.DisplayName).NotTo(BeEmpty())
		})
	})

	Describe("errors", func() {
		It("an unknown model is a 404 not_found_error with the request id", func(ctx SpecContext) {
			p := textParams()
			p.Model = "claude-nope"
			_, err := client.Messages.New(ctx, p)

			apiErr := asAPIError(err)
			Expect(apiErr.StatusCode).To(Equal(http.StatusNotFound))
			Expect(apiErr.RequestID).To(HavePrefix("req_"))
			Expect(string(apiErr.Type())).To(Equal("not_found_error"))
			Expect(apiErr.Response.Header.Get("Content-Type")).To(HavePrefix("application/json"))

			env := envelopeOf(apiErr)
			Expect(env.Type).To(Equal("error"))
			Expect(env.Error.Type).To(Equal("not_found_error"))
			Expect(env.Error.Message).To(Equal("model: claude-nope"))
			Expect(env.RequestID).To(Equal(apiErr.RequestID))
		})

		It("Models.Get of an unknown id is a 404 not_found_error", func(ctx SpecContext) {
			_, err := client.Models.Get(ctx, "claude-nope", anthropic.ModelGetParams{})
			apiErr := asAPIError(err)
			Expect(apiErr.StatusCode).To(Equal(http.StatusNotFound))
			Expect(string(apiErr.Type())).To(Equal("not_found_error"))
			Expect(envelopeOf(apiErr).Error.Message).To(Equal("model: claude-nope"))
		})

		It("a 400 is not retried: exactly one attempt, with X-Stainless-Retry-Count 0", func(ctx SpecContext) {
			var seen attempts
			counted := newClient(srv, testKey, option.WithMiddleware(seen.middleware))
			p := textParams()
			p.Messages = []anthropic.MessageParam{}

			_, err := counted.Messages.New(ctx, p)

			apiErr := asAPIError(err)
			Expect(apiErr.StatusCode).To(Equal(http.StatusBadRequest))
			Expect(string(apiErr.Type())).To(Equal("invalid_request_error"))
			Expect(apiErr.RequestID).To(HavePrefix("req_"))
			Expect(envelopeOf(apiErr).RequestID).To(Equal(apiErr.RequestID))
			Expect(seen.retryCounts()).To(Equal([]string{"0"}))
		})

		Context("when the server only accepts some API keys", func() {
			var keyed *server.Server

			BeforeEach(func() {
				keyed = startServer(server.Options{Seed: 1, APIKeys: []string{"right-key"}})
			})

			It("answers a wrong key with a 401 authentication_error, not retried", func(ctx SpecContext) {
				var seen attempts
				wrong := newClient(keyed, "wrong-key", option.WithMiddleware(seen.middleware))

				_, err := wrong.Messages.New(ctx, textParams())

				apiErr := asAPIError(err)
				Expect(apiErr.StatusCode).To(Equal(http.StatusUnauthorized))
				Expect(string(apiErr.Type())).To(Equal("authentication_error"))
				Expect(apiErr.RequestID).To(HavePrefix("req_"))
				Expect(envelopeOf(apiErr).Error.Message).To(Equal("invalid x-api-key"))
				Expect(seen.retryCounts()).To(Equal([]string{"0"}))
			})

			It("accepts the right key", func(ctx SpecContext) {
				right := newClient(keyed, "right-key")
				msg, err := right.Messages.New(ctx, textParams())
				Expect(err).NotTo(HaveOccurred())
				Expect(msg.StopReason).To(Equal(anthropic.StopReasonEndTurn))
			})
		})
	})
})

// withoutPings drops ping events and folds runs of the same event type into
// one, so that an event sequence can be compared with its expected shape.
func withoutPings(events []string) []string {
	var out []string
	for _, e := range events {
		if e == "ping" || (len(out) > 0 && out[len(out)-1] == e) {
			continue
		}
		out = append(out, e)
	}
	return out
}

func unique(ids []string) map[string]bool {
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set
}
