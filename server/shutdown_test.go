package server_test

import (
	"bufio"
	"context"
	"io"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

var _ = Describe("Shutting down with replies still held", func() {
	var (
		s   *server.Server
		hc  *http.Client
		url string
	)

	BeforeEach(func() {
		s = server.RunT(GinkgoT(), server.Options{})
		hc, url = live(), s.URL()
	})

	// shutdownWhenHeld shuts the server down once the request is journaled
	// and so held by its fault.
	shutdownWhenHeld := func() {
		Eventually(s.Journal).Should(HaveLen(1))
		go func() { _ = s.Shutdown(context.Background()) }()
	}

	It("answers a non-streaming reply held by a latency fault with the 529 overloaded_error", func() {
		load(s, "faults:\n  - latency: {time_to_first_token: 1h}\n")
		done := make(chan *http.Response, 1)
		go func() {
			defer GinkgoRecover()
			done <- open(context.Background(), hc, url, hello)
		}()
		shutdownWhenHeld()
		var res *http.Response
		Eventually(done).Should(Receive(&res))
		Expect(res.StatusCode).To(Equal(529))
		Expect(res.Header.Get("x-should-retry")).To(Equal("true"))
		body, err := io.ReadAll(res.Body)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(body)).To(Equal(`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"` +
			res.Header.Get("request-id") + `"}`))
		Eventually(func() int { return s.Journal()[0].Status }).Should(Equal(529))
	})

	It("ends a paced stream with an overloaded error event instead of a clean end", func() {
		load(s, "faults:\n  - latency: {time_to_first_token: 1h}\n")
		res := open(context.Background(), hc, url, streamed(hello))
		Expect(res.StatusCode).To(Equal(200))
		r := bufio.NewReader(res.Body)
		whole := frames(twin(streamed(hello)).body)
		Expect(readFrames(r, 3)).To(Equal(whole[0] + whole[1] + whole[2])) // up to ping, sent at once
		shutdownWhenHeld()
		rest, err := io.ReadAll(r)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(rest)).To(MatchRegexp(`^event: error\ndata: \{"type":"error","error":\{"details":null,"type":"overloaded_error","message":"Overloaded"\},"request_id":"req_011C\w+"\}\n\n$`))
		Eventually(func() string { return s.Journal()[0].Delivery }).Should(Equal("error_event"))
	})

	It("ends a stalled stream with the same error event", func() {
		load(s, "faults:\n  - stall: {after_events: 2}\n")
		res := open(context.Background(), hc, url, streamed(hello))
		r := bufio.NewReader(res.Body)
		whole := frames(twin(streamed(hello)).body)
		Expect(readFrames(r, 2)).To(Equal(whole[0] + whole[1]))
		shutdownWhenHeld()
		rest, err := io.ReadAll(r)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(rest)).To(HavePrefix("event: error\ndata: {\"type\":\"error\",\"error\":{\"details\":null,\"type\":\"overloaded_error\""))
	})
})
