package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/claudemock/claudemock/server"
)

// BenchmarkCreateMessage measures one full non-streaming request through
// the handler: middleware, auth, decoding, validation, counting,
// generation and rendering.
func BenchmarkCreateMessage(b *testing.B) {
	benchRequest(b, hello)
}

// BenchmarkCreateMessageStream is the same request with stream:true.
func BenchmarkCreateMessageStream(b *testing.B) {
	benchRequest(b, strings.Replace(hello, `{"model"`, `{"stream":true,"model"`, 1))
}

// BenchmarkCreateMessageTools is a request with a conversation of 20
// messages and two tools, one forced.
func BenchmarkCreateMessageTools(b *testing.B) {
	var turns []string
	for range 10 {
		turns = append(turns, `{"role":"user","content":"What is the weather like in Paris this week, roughly?"}`,
			`{"role":"assistant","content":"It should be mild, with some rain on Tuesday and sun later on."}`)
	}
	turns = append(turns, `{"role":"user","content":"And tomorrow?"}`)
	body := `{"model":"claude-sonnet-4-6","max_tokens":1024,"messages":[` + strings.Join(turns, ",") + `],
		"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer","minimum":1,"maximum":7}},"required":["city"]}},
		{"name":"get_time","input_schema":{"type":"object","properties":{"tz":{"type":"string"}}}}],
		"tool_choice":{"type":"tool","name":"get_weather"}}`
	benchRequest(b, body)
}

// BenchmarkCreateMessageCached is a 100k-token prompt with four cache
// breakpoints (tools, system, two messages), served from the cache after
// the first request.
func BenchmarkCreateMessageCached(b *testing.B) {
	chunk := strings.Repeat("abcd", 25_000) // 25,000 tokens
	cc := `,"cache_control":{"type":"ephemeral"}`
	body := `{"model":"claude-sonnet-4-6","max_tokens":1024,
		"tools":[{"name":"lookup","description":"` + chunk + `","input_schema":{"type":"object"}` + cc + `}],
		"system":[{"type":"text","text":"` + chunk + `"` + cc + `}],
		"messages":[{"role":"user","content":[{"type":"text","text":"` + chunk + `"` + cc + `}]},
			{"role":"assistant","content":"Noted."},
			{"role":"user","content":[{"type":"text","text":"` + chunk + `"` + cc + `},{"type":"text","text":"And now?"}]}]}`
	benchRequest(b, body)
}

// benchRequest sends body to a handler b.N times. The request, its body
// reader and the response writer are reused, so the figures are what the
// handler itself costs: the HTTP layer's own allocations are measured
// beside a bare handler by go run ./bench.
func benchRequest(b *testing.B, body string) {
	// The custom tier and a refill every 50,000 requests keep the loop
	// measuring admitted requests: admission is part of what is timed.
	s, err := server.New(server.Options{Tier: "custom"})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	send := reusable(h, body)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	n := 0
	for b.Loop() {
		if n++; n%50_000 == 0 {
			s.Reset()
		}
		if status := send(); status != 200 {
			b.Fatalf("status %d", status)
		}
	}
}

// reusable returns a function that sends body to h and returns the
// status, reusing the request, its body reader and the response writer,
// so that what it allocates is the handler's own.
func reusable(h http.Handler, body string) func() int {
	in := &rewindBody{}
	req := httptest.NewRequest(http.MethodPost, "/v1/messages", nil)
	req.Header = http.Header{"X-Api-Key": {"k"}, "Anthropic-Version": {"2023-06-01"},
		"Content-Type": {"application/json"}}
	req.ContentLength = int64(len(body))
	w := &sinkWriter{header: http.Header{}}
	return func() int {
		in.Reset(body)
		req.Body = in
		w.reset()
		h.ServeHTTP(w, req)
		return w.status
	}
}

// rewindBody is a request body that can be sent again.
type rewindBody struct{ strings.Reader }

func (*rewindBody) Close() error { return nil }

// sinkWriter is a reusable http.ResponseWriter that keeps the status and
// drops the body; it supports the deadlines and flushes a connection does.
type sinkWriter struct {
	header http.Header
	status int
}

func (w *sinkWriter) reset()                           { clear(w.header); w.status = 0 }
func (w *sinkWriter) Header() http.Header              { return w.header }
func (w *sinkWriter) Write(p []byte) (int, error)      { w.WriteHeader(200); return len(p), nil }
func (w *sinkWriter) Flush()                           {}
func (w *sinkWriter) SetReadDeadline(time.Time) error  { return nil }
func (w *sinkWriter) SetWriteDeadline(time.Time) error { return nil }
func (w *sinkWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
