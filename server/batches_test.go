package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	claudemock "github.com/claudemock/claudemock"
	"github.com/claudemock/claudemock/server"
)

// batchStart is the virtual time the batch specs start at.
var batchStart = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// batchServer runs a manual-clock server whose batch requests take a
// second each, with the SDK client pointed at it.
func batchServer(opts server.Options) (*server.Server, anthropic.Client) {
	opts.Clock, opts.Start = "manual", batchStart
	if opts.BatchRequestTime == 0 {
		opts.BatchRequestTime = time.Second
	}
	s := server.RunT(GinkgoT(), opts)
	return s, anthropic.NewClient(option.WithBaseURL(s.URL()), option.WithAPIKey("test-key"), option.WithMaxRetries(0))
}

// batchOf is a create body of one haiku request per custom_id.
func batchOf(ids ...string) anthropic.MessageBatchNewParams {
	var reqs []anthropic.MessageBatchNewParamsRequest
	for _, id := range ids {
		reqs = append(reqs, anthropic.MessageBatchNewParamsRequest{CustomID: id, Params: anthropic.MessageBatchNewParamsRequestParams{
			Model: "claude-haiku-4-5", MaxTokens: 64,
			Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("Hello " + id))},
		}})
	}
	return anthropic.MessageBatchNewParams{Requests: reqs}
}

// results reads a batch's results through the SDK.
func results(client anthropic.Client, id string) []anthropic.MessageBatchIndividualResponse {
	GinkgoHelper()
	stream := client.Messages.Batches.ResultsStreaming(context.Background(), id, anthropic.MessageBatchResultsParams{})
	var out []anthropic.MessageBatchIndividualResponse
	for stream.Next() {
		out = append(out, stream.Current())
	}
	Expect(stream.Err()).NotTo(HaveOccurred())
	return out
}

// rawCall sends one request to a live server and returns status and body.
func rawCall(s *server.Server, method, path, body string, extra ...string) (int, http.Header, []byte) {
	GinkgoHelper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("x-api-key", "test-key")
	req.Header.Set("anthropic-version", "2023-06-01")
	req.Header.Set("content-type", "application/json")
	for i := 0; i+1 < len(extra); i += 2 {
		req.Header.Set(extra[i], extra[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	Expect(err).NotTo(HaveOccurred())
	return res.StatusCode, res.Header, data
}

// apiError is the SDK's error of a refused call.
func apiError(err error) *anthropic.Error {
	GinkgoHelper()
	var e *anthropic.Error
	Expect(errors.As(err, &e)).To(BeTrue(), "%v", err)
	return e
}

// errorMessage is error.message of an SDK error's body.
func errorMessage(e *anthropic.Error) string {
	var env struct {
		Error struct{ Type, Message string }
	}
	Expect(json.Unmarshal([]byte(e.RawJSON()), &env)).To(Succeed())
	return env.Error.Message
}

var _ = Describe("Message Batches", func() {
	ctx := context.Background()

	It("ends when the manual clock passes its last request, its results priced at the batch rate and booked once", func() {
		s, client := batchServer(server.Options{})
		b, err := client.Messages.Batches.New(ctx, batchOf("a", "b", "c"))
		Expect(err).NotTo(HaveOccurred())
		Expect(b.ID).To(HavePrefix("msgbatch_01"))
		Expect(b.ProcessingStatus).To(Equal(anthropic.MessageBatchProcessingStatusInProgress))
		Expect(b.RequestCounts.Processing).To(Equal(int64(3)))
		Expect(b.CreatedAt).To(Equal(batchStart))
		Expect(b.ExpiresAt).To(Equal(batchStart.Add(24 * time.Hour)))
		Expect(b.JSON.EndedAt.Raw()).To(Equal("null"))
		Expect(b.JSON.ResultsURL.Raw()).To(Equal("null"))

		_, err = s.Advance(2999 * time.Millisecond)
		Expect(err).NotTo(HaveOccurred())
		b, err = client.Messages.Batches.Get(ctx, b.ID, anthropic.MessageBatchGetParams{})
		Expect(err).NotTo(HaveOccurred())
		Expect(b.ProcessingStatus).To(Equal(anthropic.MessageBatchProcessingStatusInProgress))
		Expect(s.State().Organizations[0].SpentThisMonth).To(Equal(0.0))

		_, err = s.Advance(time.Millisecond)
		Expect(err).NotTo(HaveOccurred())
		spent := s.State().Organizations[0].SpentThisMonth // booked at the first look after the end
		b, err = client.Messages.Batches.Get(ctx, b.ID, anthropic.MessageBatchGetParams{})
		Expect(err).NotTo(HaveOccurred())
		Expect(b.ProcessingStatus).To(Equal(anthropic.MessageBatchProcessingStatusEnded))
		Expect(b.EndedAt).To(Equal(batchStart.Add(3 * time.Second)))
		Expect(b.RequestCounts).To(HaveField("Succeeded", int64(3)))
		Expect(b.RequestCounts.Processing).To(BeZero())
		Expect(b.ResultsURL).To(Equal(s.URL() + "/v1/messages/batches/" + b.ID + "/results"))

		var nanos int64 // claude-haiku-4-5 at the batch rate: $0.50 / $2.50 per million tokens
		got := results(client, b.ID)
		Expect(got).To(HaveLen(3))
		for i, r := range got {
			Expect(r.CustomID).To(Equal([]string{"a", "b", "c"}[i]))
			Expect(r.Result.Type).To(Equal("succeeded"))
			u := r.Result.Message.Usage
			Expect(string(u.ServiceTier)).To(Equal("batch"))
			nanos += u.InputTokens*500 + u.OutputTokens*2500
		}
		Expect(nanos).To(BeNumerically(">", 0))
		Expect(spent).To(Equal(float64(nanos) / 1e9))
		Expect(s.State().Organizations[0].SpentThisMonth).To(Equal(float64(nanos) / 1e9))
		_, err = client.Messages.Batches.Get(ctx, b.ID, anthropic.MessageBatchGetParams{}) // observed again: booked once
		Expect(err).NotTo(HaveOccurred())
		Expect(s.State().Organizations[0].SpentThisMonth).To(Equal(float64(nanos) / 1e9))
	})
})

var _ = Describe("Message Batches on the wire", func() {
	ctx := context.Background()
	body := `{"requests":[{"custom_id":"a","params":{"model":"claude-haiku-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}}]}`

	for _, beta := range []string{"", "?beta=true"} {
		It("validates every body against the OpenAPI document (path "+cmpOr(beta, "plain")+")", func() {
			s, _ := batchServer(server.Options{})
			base := "/v1/messages/batches"
			status, _, data := rawCall(s, "POST", base+beta, body)
			Expect(status).To(Equal(200), string(data))
			Expect(spec.ValidateResponse("post", base+beta, 200, data)).To(Succeed())
			var b struct{ ID string }
			Expect(json.Unmarshal(data, &b)).To(Succeed())
			one := base + "/" + b.ID

			status, _, data = rawCall(s, "GET", one+"/results"+beta, "")
			Expect(status).To(Equal(400))
			Expect(spec.ValidateResponse("get", one+"/results"+beta, 400, data)).To(Succeed())
			status, _, data = rawCall(s, "DELETE", one+beta, "")
			Expect(status).To(Equal(400))
			Expect(string(data)).To(ContainSubstring(`"message":"Message batch ` + b.ID + ` cannot be deleted while it is still processing (processing_status \"in_progress\"). Cancel it first, then delete it once it has ended."`))

			_, err := s.Advance(time.Second)
			Expect(err).NotTo(HaveOccurred())
			for _, path := range []string{one + beta, base + beta, base + beta + sep(beta) + "limit=1"} {
				status, _, data = rawCall(s, "GET", path, "")
				Expect(status).To(Equal(200), string(data))
				Expect(spec.ValidateResponse("get", strings.Replace(strings.Replace(path, "&limit=1", "", 1), "?limit=1", "", 1), 200, data)).To(Succeed(), path)
			}
			status, h, data := rawCall(s, "GET", one+"/results"+beta, "")
			Expect(status).To(Equal(200))
			Expect(h.Get("content-type")).To(Equal("application/x-jsonl"))
			lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
			Expect(lines).To(HaveLen(1))
			Expect(spec.Validate("MessageBatchIndividualResponse", []byte(lines[0]))).To(Succeed())
			status, _, data = rawCall(s, "POST", one+"/cancel"+beta, "")
			Expect(status).To(Equal(200))
			Expect(spec.ValidateResponse("post", one+"/cancel"+beta, 200, data)).To(Succeed())
			status, _, data = rawCall(s, "DELETE", one+beta, "")
			Expect(status).To(Equal(200))
			Expect(spec.ValidateResponse("delete", one+beta, 200, data)).To(Succeed())
			Expect(string(data)).To(Equal(`{"id":"` + b.ID + `","type":"message_batch_deleted"}`))
			status, _, data = rawCall(s, "GET", one+beta, "")
			Expect(status).To(Equal(404))
			Expect(spec.ValidateResponse("get", one+beta, 404, data)).To(Succeed())
		})
	}

	It("refuses a batch the processing queue has no room for with the real 429", func() {
		tiers := strings.ReplaceAll(string(claudemock.Tiers), "batch_queue: 200000", "batch_queue: 5")
		s, client := batchServer(server.Options{Tiers: []byte(tiers), Tier: "start"})
		_, err := client.Messages.Batches.New(ctx, batchOf("a", "b", "c"))
		Expect(err).NotTo(HaveOccurred())
		_, err = client.Messages.Batches.New(ctx, batchOf("d", "e", "f"))
		e := apiError(err)
		Expect(e.StatusCode).To(Equal(429))
		Expect(e.Response.Header.Get("retry-after")).To(Equal("3"))
		Expect(e.Response.Header.Get("x-should-retry")).To(Equal("true"))
		Expect(errorMessage(e)).To(Equal("This request would exceed your organization's limit of 5 batch requests in the processing queue " +
			"(org: " + s.State().Organizations[0].ID + "; 3 queued, 3 in this batch). For details, refer to: https://docs.claude.com/en/api/rate-limits. " +
			"Please wait for processing batches to end, or submit fewer requests."))
		Expect(spec.ValidateResponse("post", "/v1/messages/batches", 429, []byte(e.RawJSON()))).To(Succeed())

		_, err = s.Advance(3 * time.Second)
		Expect(err).NotTo(HaveOccurred())
		_, err = client.Messages.Batches.New(ctx, batchOf("d", "e", "f"))
		Expect(err).NotTo(HaveOccurred())
		_, err = client.Messages.Batches.New(ctx, batchOf("a", "b", "c", "d", "e", "f"))
		e = apiError(err)
		Expect(e.StatusCode).To(Equal(429))
		Expect(e.Response.Header.Get("x-should-retry")).To(Equal("false"))
	})

	It("counts every batch call against the tier's batch requests per minute", func() {
		s, client := batchServer(server.Options{Tier: "tier-1"})
		for range 50 {
			_, err := client.Messages.Batches.List(ctx, anthropic.MessageBatchListParams{})
			Expect(err).NotTo(HaveOccurred())
		}
		_, err := client.Messages.Batches.Get(ctx, "msgbatch_01x", anthropic.MessageBatchGetParams{})
		e := apiError(err)
		Expect(e.StatusCode).To(Equal(429))
		Expect(e.Response.Header.Get("retry-after")).To(Equal("2"))
		Expect(errorMessage(e)).To(HavePrefix("This request would exceed your organization's rate limit of 50 batch requests per minute (org: " +
			s.State().Organizations[0].ID + "). "))
	})

	It("names the faulty request of a create body", func() {
		_, client := batchServer(server.Options{})
		p := batchOf("a", "b")
		p.Requests[1].Params.MaxTokens = 0
		p.Requests[1].Params.Messages = nil
		_, err := client.Messages.Batches.New(ctx, p)
		e := apiError(err)
		Expect(e.StatusCode).To(Equal(400))
		Expect(errorMessage(e)).To(Equal("requests.1.params.messages: Field required"))
		_, err = client.Messages.Batches.New(ctx, batchOf("a", "a"))
		Expect(errorMessage(apiError(err))).To(Equal(`requests.1.custom_id: Duplicate custom_id "a": it is already used by requests.0; each custom_id must be unique within the batch`))
		_, err = client.Messages.Batches.New(ctx, batchOf("a/b"))
		Expect(errorMessage(apiError(err))).To(Equal("requests.0.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'"))
	})

	It("cancels, lists newest first with auto-paging both ways, and deletes once ended", func() {
		s, client := batchServer(server.Options{})
		var ids []string
		for range 3 {
			b, err := client.Messages.Batches.New(ctx, batchOf("a", "b", "c"))
			Expect(err).NotTo(HaveOccurred())
			ids = append([]string{b.ID}, ids...)
		}
		_, err := s.Advance(1500 * time.Millisecond)
		Expect(err).NotTo(HaveOccurred())
		b, err := client.Messages.Batches.Cancel(ctx, ids[0], anthropic.MessageBatchCancelParams{})
		Expect(err).NotTo(HaveOccurred())
		Expect(b.ProcessingStatus).To(Equal(anthropic.MessageBatchProcessingStatusCanceling))
		Expect(b.CancelInitiatedAt).To(Equal(batchStart.Add(1500 * time.Millisecond)))

		pager := client.Messages.Batches.ListAutoPaging(ctx, anthropic.MessageBatchListParams{Limit: anthropic.Int(1)})
		var listed []string
		for pager.Next() {
			listed = append(listed, pager.Current().ID)
		}
		Expect(pager.Err()).NotTo(HaveOccurred())
		Expect(listed).To(Equal(ids))
		page, err := client.Messages.Batches.List(ctx, anthropic.MessageBatchListParams{BeforeID: anthropic.String(ids[2]), Limit: anthropic.Int(1)})
		Expect(err).NotTo(HaveOccurred())
		Expect(page.Data).To(HaveLen(1))
		Expect(page.Data[0].ID).To(Equal(ids[1]))
		Expect(page.HasMore).To(BeTrue())

		_, err = s.Advance(500 * time.Millisecond)
		Expect(err).NotTo(HaveOccurred())
		b, err = client.Messages.Batches.Get(ctx, ids[0], anthropic.MessageBatchGetParams{})
		Expect(err).NotTo(HaveOccurred())
		Expect(b.ProcessingStatus).To(Equal(anthropic.MessageBatchProcessingStatusEnded))
		Expect(b.RequestCounts.Succeeded).To(Equal(int64(1)))
		Expect(b.RequestCounts.Canceled).To(Equal(int64(2)))
		var kinds []string
		for _, r := range results(client, ids[0]) {
			kinds = append(kinds, r.Result.Type)
		}
		Expect(kinds).To(Equal([]string{"succeeded", "canceled", "canceled"}))
		d, err := client.Messages.Batches.Delete(ctx, ids[0], anthropic.MessageBatchDeleteParams{})
		Expect(err).NotTo(HaveOccurred())
		Expect(d.ID).To(Equal(ids[0]))
		_, err = client.Messages.Batches.Get(ctx, ids[0], anthropic.MessageBatchGetParams{})
		Expect(apiError(err).StatusCode).To(Equal(404))
	})

	It("lets a scenario error, expire and slow single requests, and script their replies", func() {
		s, client := batchServer(server.Options{})
		Expect(s.SetScenario("batch.yaml", []byte(`name: batch
faults:
  - name: broken
    when: {from: 2, to: 2}
    batch_errored: {type: overloaded_error}
  - name: lost # counts the requests "broken" let through: a, c, d
    when: {from: 2, to: 2}
    batch_expired:
  - name: slow
    match: {endpoint: batch}
    batch_slow: {request_time: 1m}
replies:
  - name: canned
    match: {endpoint: batch}
    text: "canned"
`))).To(Succeed())
		b, err := client.Messages.Batches.New(ctx, batchOf("a", "b", "c", "d"))
		Expect(err).NotTo(HaveOccurred())
		_, err = s.Advance(2*time.Minute + 2*time.Second - time.Millisecond)
		Expect(err).NotTo(HaveOccurred())
		b, err = client.Messages.Batches.Get(ctx, b.ID, anthropic.MessageBatchGetParams{})
		Expect(err).NotTo(HaveOccurred())
		Expect(b.ProcessingStatus).To(Equal(anthropic.MessageBatchProcessingStatusInProgress))
		_, err = s.Advance(time.Millisecond)
		Expect(err).NotTo(HaveOccurred())
		got := results(client, b.ID)
		Expect(got[0].Result.Type).To(Equal("succeeded"))
		Expect(got[0].Result.Message.Content[0].Text).To(Equal("canned"))
		Expect(got[1].Result.Type).To(Equal("errored"))
		Expect(got[1].Result.Error.Error.Type).To(Equal("overloaded_error"))
		Expect(got[1].Result.Error.Error.Message).To(Equal("Overloaded"))
		Expect(got[2].Result.Type).To(Equal("expired"))
		Expect(got[3].Result.Type).To(Equal("succeeded"))
		status, _, data := rawCall(s, "GET", "/v1/messages/batches/"+b.ID+"/results", "")
		Expect(status).To(Equal(200))
		for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			Expect(spec.Validate("MessageBatchIndividualResponse", []byte(line))).To(Succeed(), line)
		}
	})
})

// cmpOr is a when it is not empty, else b.
func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// sep is the separator before another query parameter.
func sep(query string) string {
	if query == "" {
		return "?"
	}
	return "&"
}

var _ = Describe("The batch-client ready scenario", func() {
	ctx := context.Background()

	// play loads batch-client with its clock made manual and creates a
	// batch of four.
	play := func() (*server.Server, anthropic.Client, string) {
		s, client := batchServer(server.Options{BatchRequestTime: server.DefaultBatchRequestTime})
		playReady(s, "batch-client")
		b, err := client.Messages.Batches.New(ctx, batchOf("a", "b", "c", "d"))
		Expect(err).NotTo(HaveOccurred())
		return s, client, b.ID
	}

	It("passes a client that polls with backoff, reads the results once and handles errored and expired entries", func() {
		s, client, id := play()
		for wait := time.Second; ; wait *= 2 {
			_, err := s.Advance(wait)
			Expect(err).NotTo(HaveOccurred())
			b, err := client.Messages.Batches.Get(ctx, id, anthropic.MessageBatchGetParams{})
			Expect(err).NotTo(HaveOccurred())
			if b.ProcessingStatus == anthropic.MessageBatchProcessingStatusEnded {
				Expect(b.EndedAt).To(Equal(b.CreatedAt.Add(21 * time.Second)))
				break
			}
		}
		byID := map[string]string{}
		for _, r := range results(client, id) {
			byID[r.CustomID] = r.Result.Type
		}
		Expect(byID).To(Equal(map[string]string{"a": "succeeded", "b": "errored", "c": "expired", "d": "succeeded"}))
		rep := s.Report()
		Expect(rep.Pass).To(BeTrue(), "%+v", rep.Results)
	})

	It("fails a client that polls without waiting", func() {
		s, client, id := play()
		for range 25 {
			_, _ = client.Messages.Batches.Get(ctx, id, anthropic.MessageBatchGetParams{})
		}
		rep := s.Report()
		Expect(rep.Pass).To(BeFalse())
		Expect(resultOf(rep, "max_requests").Pass).To(BeFalse())
	})
})

var _ = Describe("Message Batches through the SDK's beta service", func() {
	It("creates, polls and reads results on the ?beta=true paths with the batches beta header", func() {
		ctx := context.Background()
		s, client := batchServer(server.Options{})
		b, err := client.Beta.Messages.Batches.New(ctx, anthropic.BetaMessageBatchNewParams{Requests: []anthropic.BetaMessageBatchNewParamsRequest{{
			CustomID: "only", Params: anthropic.BetaMessageBatchNewParamsRequestParams{
				Model: "claude-haiku-4-5", MaxTokens: 16,
				Messages: []anthropic.BetaMessageParam{anthropic.NewBetaUserMessage(anthropic.NewBetaTextBlock("hi"))},
			},
		}}})
		Expect(err).NotTo(HaveOccurred())
		_, err = s.Advance(time.Second)
		Expect(err).NotTo(HaveOccurred())
		got, err := client.Beta.Messages.Batches.Get(ctx, b.ID, anthropic.BetaMessageBatchGetParams{})
		Expect(err).NotTo(HaveOccurred())
		Expect(string(got.ProcessingStatus)).To(Equal("ended"))
		stream := client.Beta.Messages.Batches.ResultsStreaming(ctx, b.ID, anthropic.BetaMessageBatchResultsParams{})
		var n int
		for stream.Next() {
			Expect(stream.Current().CustomID).To(Equal("only"))
			Expect(stream.Current().Result.Type).To(Equal("succeeded"))
			n++
		}
		Expect(stream.Err()).NotTo(HaveOccurred())
		Expect(n).To(Equal(1))
	})
})
