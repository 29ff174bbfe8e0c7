package server_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/claudemock/claudemock/server"
)

// headers are what every hostile request carries besides its own.
const headers = "Host: mock\r\nx-api-key: sk-ant-hostile\r\nanthropic-version: 2023-06-01\r\nContent-Type: application/json\r\n"

// target is where an attack goes: addr is the server under test, whose
// bodies may take a minute (so a 33 MiB body is never timed out on a busy
// machine), slow the same server with a body timeout of 300 ms.
type target struct{ addr, slow string }

// attack is one hostile request: it talks to the server over a raw
// connection and returns the answer it got.
type attack func(t target) (*http.Response, string)

// exchange opens a connection, lets write send whatever it likes (in the
// background, as a client that writes while the server answers), and reads
// one response.
func exchange(addr string, write func(net.Conn)) (*http.Response, string) {
	conn, err := net.Dial("tcp", addr)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() { _ = conn.Close() })
	go write(conn)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	Expect(err).NotTo(HaveOccurred())
	body, err := io.ReadAll(res.Body)
	Expect(err).NotTo(HaveOccurred())
	return res, string(body)
}

// post is an attack sending body with its Content-Length.
func post(body string) attack {
	return func(t target) (*http.Response, string) {
		return exchange(t.addr, func(c net.Conn) {
			fmt.Fprintf(c, "POST /v1/messages HTTP/1.1\r\n%sContent-Length: %d\r\n\r\n%s", headers, len(body), body)
		})
	}
}

// chunked is an attack sending size bytes of a JSON string in 64 KiB
// chunks, without a Content-Length.
func chunked(size int) attack {
	return func(t target) (*http.Response, string) {
		return exchange(t.addr, func(c net.Conn) {
			fmt.Fprintf(c, "POST /v1/messages HTTP/1.1\r\n%sTransfer-Encoding: chunked\r\n\r\n", headers)
			chunk := strings.Repeat("a", 64<<10)
			for sent := 0; sent < size; sent += len(chunk) {
				if _, err := fmt.Fprintf(c, "%x\r\n%s\r\n", len(chunk), chunk); err != nil {
					return // the server has answered and closed
				}
			}
			_, _ = io.WriteString(c, "0\r\n\r\n")
		})
	}
}

// raw is an attack writing text as it is, then half-closing when asked.
func raw(text string, halfClose bool) attack {
	return func(t target) (*http.Response, string) {
		return rawTo(t.addr, text, halfClose)
	}
}

// stalled is raw against the server with the short body timeout.
func stalled(text string) attack {
	return func(t target) (*http.Response, string) {
		return rawTo(t.slow, text, false)
	}
}

// rawTo writes text to addr as it is, then half-closes when asked.
func rawTo(addr, text string, halfClose bool) (*http.Response, string) {
	return exchange(addr, func(c net.Conn) {
		_, _ = io.WriteString(c, text)
		if halfClose {
			_ = c.(*net.TCPConn).CloseWrite()
		}
	})
}

// envelope is the error body for status-less comparison: the request id is
// the response's own.
func envelope(typ, msg string) func(*http.Response) string {
	return func(res *http.Response) string {
		return `{"type":"error","error":{"type":"` + typ + `","message":"` + msg + `"},"request_id":"` + res.Header.Get("request-id") + `"}`
	}
}

// exactly is a fixed body.
func exactly(body string) func(*http.Response) string {
	return func(*http.Response) string { return body }
}

// bodyOf builds a Messages body around the given messages JSON and extra
// top-level fields.
func bodyOf(extra, content string) string {
	return `{"model":"claude-haiku-4-5","max_tokens":256,` + extra + `"messages":[{"role":"user","content":` + content + `}]}`
}

// forced is a body forcing the tool t with the given input schema.
func forced(schema string) string {
	return bodyOf(`"tool_choice":{"type":"any"},"tools":[{"name":"t","input_schema":`+schema+`}],`, `"Hello"`)
}

// manyLong is a schema of n required string properties of minLength 2e9.
func manyLong(n int) string {
	props, names := make([]string, n), make([]string, n)
	for i := range n {
		props[i], names[i] = fmt.Sprintf(`"p%d":{"type":"string","minLength":2000000000}`, i), fmt.Sprintf(`"p%d"`, i)
	}
	return `{"type":"object","properties":{` + strings.Join(props, ",") + `},"required":[` + strings.Join(names, ",") + `]}`
}

var _ = Describe("The standing hostile-input suite", func() {
	var s, slow *server.Server

	BeforeEach(func() {
		s = server.RunT(GinkgoT(), server.Options{Seed: 1, BodyTimeout: time.Minute, Tier: "tier-4"})
		slow = server.RunT(GinkgoT(), server.Options{Seed: 1, BodyTimeout: 300 * time.Millisecond, Tier: "tier-4"})
	})

	DescribeTable("answers each hostile request exactly, and the server stays whole",
		func(send attack, status int, want any) {
			res, body := send(target{addr: s.Addr().String(), slow: slow.Addr().String()})
			Expect(res.StatusCode).To(Equal(status), body)
			switch w := want.(type) {
			case func(*http.Response) string:
				Expect(body).To(Equal(w(res)))
			case types.GomegaMatcher:
				Expect(body).To(w)
			}
			healthy(s)
			healthy(slow)
			after := live()
			ok, err := after.Post(s.URL()+"/v1/messages", "application/json", strings.NewReader(hello))
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(ok.Body.Close)
			Expect(ok.StatusCode).To(Equal(401)) // no key: the server still checks, and still answers
		},
		Entry("malformed JSON", post(`{"model":`), 400,
			envelope("invalid_request_error", "The request body is not valid JSON: unexpected end of data: line 1 column 10 (char 9)")),
		Entry("JSON nested 20,000 deep", post(`{"model":"claude-haiku-4-5","max_tokens":5,"metadata":`+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+`}`), 400,
			envelope("invalid_request_error", "The request body is not valid JSON: recursion limit exceeded: line 1 column 10054 (char 10053)")),
		Entry("a 33 MiB body with its Content-Length", post(bodyOf("", `"`+strings.Repeat("a", 33<<20)+`"`)), 413, exactly(tooLarge)),
		Entry("a 33 MiB body sent chunked", chunked(33<<20), 413, exactly(tooLarge)),
		Entry("invalid UTF-8", post(bodyOf("", "\"caf\xe9\"")), 400,
			envelope("invalid_request_error", "The request body is not valid JSON: invalid UTF-8 in string: line 1 column 87 (char 86)")),
		Entry("a lone surrogate", post(bodyOf("", `"\ud83d x"`)), 400,
			envelope("invalid_request_error", "The request body is not valid JSON: no low surrogate in string: line 1 column 84 (char 83)")),
		Entry("a megabyte header, which fits", raw("POST /v1/messages HTTP/1.1\r\n"+headers+"x-junk: "+strings.Repeat("j", 1<<20)+"\r\nContent-Length: 2\r\n\r\n{}", false), 400,
			envelope("invalid_request_error", "model: Field required")),
		Entry("a tool schema that requires itself", post(forced(`{"type":"object","properties":{"a":{"$ref":"#"}},"required":["a"]}`)), 200,
			ContainSubstring(`"stop_reason":"tool_use"`)),
		Entry("a tool schema of a thousand strings of minLength 2,000,000,000", post(forced(manyLong(1000))), 200,
			And(ContainSubstring(`"stop_reason":"max_tokens"`), WithTransform(func(b string) int { return len(b) }, BeNumerically("<", 200_000)))),
		Entry("stream as a string", post(bodyOf(`"stream":"yes",`, `"Hello"`)), 400,
			envelope("invalid_request_error", "stream: Input should be a valid boolean")),
		Entry("an SSE Accept header on a request that does not stream", raw("POST /v1/messages HTTP/1.1\r\n"+headers+"Accept: text/event-stream\r\nContent-Length: "+fmt.Sprint(len(hello))+"\r\n\r\n"+hello, false), 200,
			HavePrefix(`{"model":"claude-haiku-4-5-20251001","id":"msg_01`)),
		Entry("a body that stops arriving", stalled("POST /v1/messages HTTP/1.1\r\n"+headers+"Content-Length: 1000\r\n\r\n{\""), 408,
			envelope("timeout_error", "The request body was not received in time.")),
		Entry("a body cut short by a half-close", raw("POST /v1/messages HTTP/1.1\r\n"+headers+"Content-Length: 1000\r\n\r\n{\"", true), 400,
			envelope("invalid_request_error", "The request body could not be read: unexpected EOF")),
		Entry("a whole request, then a half-close", raw("POST /v1/messages HTTP/1.1\r\n"+headers+"Content-Length: "+fmt.Sprint(len(hello))+"\r\n\r\n"+hello, true), 200,
			HavePrefix(`{"model":"claude-haiku-4-5-20251001","id":"msg_01`)),
	)

	It("refuses two megabytes of headers with net/http's 431, or a reset while the client still writes", func() {
		conn, err := net.Dial("tcp", s.Addr().String())
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(func() { _ = conn.Close() })
		go fmt.Fprintf(conn, "POST /v1/messages HTTP/1.1\r\n%sx-junk: %s\r\nContent-Length: 2\r\n\r\n{}", headers, strings.Repeat("j", 2<<20))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil { // net/http answers and hangs up mid-write: the kernel may reset first
			Expect(errors.Is(err, syscall.ECONNRESET)).To(BeTrue(), err.Error())
		} else {
			body, _ := io.ReadAll(res.Body)
			Expect(res.StatusCode).To(Equal(431))
			Expect(string(body)).To(Equal("431 Request Header Fields Too Large"))
		}
		Expect(s.Journal()).To(BeEmpty()) // refused before any handler
		healthy(s)
	})

	It("survives a client that leaves in the middle of a stream, and journals it", func() {
		conn, err := net.Dial("tcp", s.Addr().String())
		Expect(err).NotTo(HaveOccurred())
		body := streamed(hello)
		fmt.Fprintf(conn, "POST /v1/messages HTTP/1.1\r\n%sContent-Length: %d\r\n\r\n%s", headers, len(body), body)
		r := bufio.NewReader(conn)
		line, err := r.ReadString('\n')
		Expect(err).NotTo(HaveOccurred())
		Expect(line).To(Equal("HTTP/1.1 200 OK\r\n"))
		Expect(conn.Close()).To(Succeed())
		Eventually(func() int { return len(s.Journal()) }).Should(Equal(1))
		Eventually(func() int { return s.Journal()[0].Status }).Should(Equal(200))
		healthy(s)
	})
})
