package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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

func benchRequest(b *testing.B, body string) {
	// The custom tier and a refill every 50,000 requests keep the loop
	// measuring admitted requests: admission is part of what is timed.
	s, err := server.New(server.Options{Tier: "custom"})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	n := 0
	for b.Loop() {
		if n++; n%50_000 == 0 {
			s.Reset()
		}
		req := httptest.NewRequest(http.MethodPost, "/v1/messages", strings.NewReader(body))
		req.Header.Set("x-api-key", "k")
		req.Header.Set("anthropic-version", "2023-06-01")
		req.Header.Set("content-type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
