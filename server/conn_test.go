package server_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// rawRequest opens a TCP connection to s and writes head (request line and
// headers, CRLF-terminated, without the blank line) and then body as given.
func rawRequest(s *server.Server, head, body string) net.Conn {
	conn, err := net.Dial("tcp", s.Addr().String())
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() { _ = conn.Close() }) // a spec may have closed it already
	_, err = io.WriteString(conn, head+"\r\n"+body)
	Expect(err).NotTo(HaveOccurred())
	return conn
}

// healthy asserts that the server still answers its health check.
func healthy(s *server.Server) {
	res, err := live().Get(s.URL() + "/_mock/health")
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(res.Body.Close)
	Expect(res.StatusCode).To(Equal(200))
}

var _ = Describe("Connections", func() {
	Describe("a body that stops arriving", func() {
		var s *server.Server

		BeforeEach(func() {
			s = server.RunT(GinkgoT(), server.Options{BodyTimeout: 200 * time.Millisecond})
		})

		It("is answered 408 timeout_error once the body timeout passes, and the connection closed", func() {
			conn := rawRequest(s, "POST /v1/messages HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nx-api-key: k\r\nanthropic-version: 2023-06-01\r\nContent-Length: 1000\r\n", `{"`)
			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			Expect(err).NotTo(HaveOccurred())
			body, err := io.ReadAll(res.Body)
			Expect(err).NotTo(HaveOccurred())
			Expect(res.StatusCode).To(Equal(408))
			Expect(res.Header.Values("x-should-retry")).To(BeEmpty()) // 408 is retried by status
			Expect(res.Close).To(BeTrue())
			Expect(string(body)).To(Equal(`{"type":"error","error":{"type":"timeout_error","message":"The request body was not received in time."},"request_id":"` +
				res.Header.Get("request-id") + `"}`))
			healthy(s)
		})

		It("does not bound a stream that outlasts the body timeout once its body is in", func() {
			load(s, "faults:\n  - latency: {time_to_first_token: 600ms}\n")
			res := open(context.Background(), live(), s.URL(), streamed(hello))
			Expect(res.StatusCode).To(Equal(200))
			body, err := io.ReadAll(res.Body)
			Expect(err).NotTo(HaveOccurred())
			Expect(string(body)).To(HaveSuffix("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
			Expect(string(body)).NotTo(ContainSubstring("event: error"))
		})
	})

	Describe("MaxConnections", func() {
		It("makes a connection past the limit wait until one closes, then serves it", func() {
			s := server.RunT(GinkgoT(), server.Options{MaxConnections: 1})
			idle := rawRequest(s, "GET /_mock/health HTTP/1.1\r\nHost: mock\r\n", "")
			_, err := http.ReadResponse(bufio.NewReader(idle), nil) // served and kept alive: the one slot is taken
			Expect(err).NotTo(HaveOccurred())
			done := make(chan int, 1)
			go func() {
				defer GinkgoRecover()
				res, err := live().Get(s.URL() + "/_mock/health")
				Expect(err).NotTo(HaveOccurred())
				res.Body.Close()
				done <- res.StatusCode
			}()
			Consistently(done, 300*time.Millisecond).ShouldNot(Receive())
			Expect(idle.Close()).To(Succeed())
			Eventually(done).Should(Receive(Equal(200)))
		})
	})
})
