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
		Expect(s.State().Organizations[0].SpentThisMonth).To(Equal(float64(nanos) / 1e9))
		_, err = client.Messages.Batches.Get(ctx, b.ID, anthropic.MessageBatchGetParams{}) // observed again: booked once
		Expect(err).NotTo(HaveOccurred())
		Expect(s.State().Organizations[0].SpentThisMonth).To(Equal(float64(nanos) / 1e9))
	})
})

var _ = claudemock.Tiers
