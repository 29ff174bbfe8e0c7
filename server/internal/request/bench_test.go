package request_test

import (
	"strings"
	"testing"
	"time"

	"github.com/claudemock/claudemock"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/request"
)

// BenchmarkParse decodes and validates the smallest Messages body.
func BenchmarkParse(b *testing.B) {
	benchParse(b, hello)
}

// BenchmarkParseCached decodes and validates a 100k-token prompt with four
// cache breakpoints (tools, system, two messages), the body of the server's
// BenchmarkCreateMessageCached.
func BenchmarkParseCached(b *testing.B) {
	chunk := strings.Repeat("abcd", 25_000) // 25,000 tokens
	cc := `,"cache_control":{"type":"ephemeral"}`
	body := `{"model":"claude-sonnet-4-6","max_tokens":1024,
		"tools":[{"name":"lookup","description":"` + chunk + `","input_schema":{"type":"object"}` + cc + `}],
		"system":[{"type":"text","text":"` + chunk + `"` + cc + `}],
		"messages":[{"role":"user","content":[{"type":"text","text":"` + chunk + `"` + cc + `}]},
			{"role":"assistant","content":"Noted."},
			{"role":"user","content":[{"type":"text","text":"` + chunk + `"` + cc + `},{"type":"text","text":"And now?"}]}]}`
	benchParse(b, body)
}

func benchParse(b *testing.B, body string) {
	cat, err := catalog.Load("tiers.yaml", claudemock.Tiers)
	if err != nil {
		b.Fatal(err)
	}
	raw := []byte(body)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := request.Parse(cat, raw, false, nil, now); err != nil {
			b.Fatal(err)
		}
	}
}
