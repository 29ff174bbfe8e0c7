package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// client drives a server's handler in memory.
type client struct {
	h       http.Handler
	headers map[string]string
}

// reply is one recorded response.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func newClient(opts server.Options) *client {
	_, c := newServer(opts)
	return c
}

// newServer builds a server and an in-memory client for it that sends the
// test key; specs that need another key pass it per request.
func newServer(opts server.Options) (*server.Server, *client) {
	s, err := server.New(opts)
	Expect(err).NotTo(HaveOccurred())
	return s, &client{h: s.Handler(), headers: map[string]string{
		"x-api-key": "test-key", "anthropic-version": "2023-06-01", "content-type": "application/json",
	}}
}

func (c *client) do(method, path, body string, extra ...string) reply {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			req.Header.Del(extra[i])
		} else {
			req.Header.Add(extra[i], extra[i+1])
		}
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	res := rec.Result()
	data, _ := io.ReadAll(res.Body)
	return reply{status: res.StatusCode, header: res.Header, body: data}
}

func (c *client) post(path, body string, extra ...string) reply {
	return c.do(http.MethodPost, path, body, extra...)
}

// answer posts a Messages body, insists on a 200 whose body validates
// against the OpenAPI document, and returns the decoded message.
func (c *client) answer(body string) map[string]any {
	GinkgoHelper()
	r := c.post("/v1/messages", body)
	Expect(r.status).To(Equal(200), string(r.body))
	Expect(spec.ValidateResponse("post", "/v1/messages", 200, r.body)).To(Succeed())
	return r.json()
}

// decode parses a JSON body into a generic map.
func (r reply) json() map[string]any {
	var m map[string]any
	Expect(json.Unmarshal(r.body, &m)).To(Succeed(), string(r.body))
	return m
}

// errorOf returns status, error.type and error.message of an error reply,
// after checking the envelope and that request_id equals the header.
func (r reply) errorOf() (int, string, string) {
	m := r.json()
	Expect(m["type"]).To(Equal("error"))
	Expect(m["request_id"]).To(Equal(r.header.Get("request-id")))
	e := m["error"].(map[string]any)
	return r.status, e["type"].(string), e["message"].(string)
}

// event is one server-sent event.
type event struct {
	name string
	data string
}

// events splits an SSE body, insisting on the exact framing.
func events(body []byte) []event {
	Expect(bytes.HasSuffix(body, []byte("\n\n"))).To(BeTrue(), "stream must end with a blank line")
	var out []event
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var cur event
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			cur.data = strings.TrimPrefix(line, "data: ")
		case line == "":
			out = append(out, cur)
			cur = event{}
		default:
			Fail("unexpected SSE line: " + line)
		}
	}
	return out
}

const hello = `{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}`
