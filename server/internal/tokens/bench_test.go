package tokens_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/claudemock/claudemock/server/internal/tokens"
)

func BenchmarkText(b *testing.B) {
	para := "The quick brown fox jumps over the lazy dog. 素早い茶色の狐が怠惰な犬を飛び越える。 "
	for _, size := range []struct {
		name string
		n    int
	}{{"1KiB", 1 << 10}, {"100KiB", 100 << 10}} {
		s := strings.Repeat(para, size.n/len(para)+1)[:size.n]
		b.Run(size.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				tokens.Text(s)
			}
		})
	}
}

func BenchmarkCount(b *testing.B) {
	p := tokens.Prompt{Blocks: []tokens.Block{tool(weatherTool), tool(timeTool)}, Messages: 20}
	for i := range 20 {
		p.Blocks = append(p.Blocks, userText(i, strings.Repeat("Tell me about the weather in Paris and 東京. ", 10)))
	}
	b.ReportAllocs()
	for b.Loop() {
		tokens.Count(p)
	}
}

func BenchmarkImageSizeBase64(b *testing.B) {
	// The JPEG carries 13 × 60 kB APP2 segments before its frame, so it is
	// ~1 MiB of base64 too and the SOF sits at the very end.
	jpg := jpegBytes(64, 64)
	for range 13 {
		jpg = withSegment(jpg, 0xE2, make([]byte, 60000))
	}
	for _, img := range []struct {
		name, mediaType string
		data            []byte
	}{
		{"png-1MiB", "image/png", pngBytes(443, 443)},
		{"jpeg-1MiB-late-SOF", "image/jpeg", jpg},
	} {
		s := b64(img.data)
		b.Run(img.name, func(b *testing.B) {
			if _, _, ok := tokens.ImageSizeBase64(img.mediaType, s); !ok {
				b.Fatal("size not found")
			}
			b.ReportAllocs()
			for b.Loop() {
				tokens.ImageSizeBase64(img.mediaType, s)
			}
			b.ReportMetric(float64(len(s))/(1<<20), "MiB-b64")
		})
	}
}

func BenchmarkPDFPagesBase64(b *testing.B) {
	s := b64([]byte(strings.Repeat(threePagePDF, 1<<20/len(threePagePDF))))
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		tokens.PDFPagesBase64(s)
	}
}

// BenchmarkCacheMemory writes 1,000,000 prompt-cache entries through the
// real path (Plan and Commit: 1,000 workspaces × 1,000 prompts, one
// breakpoint each) and reports the heap each entry costs. The prompts and
// scope names are made beforehand and not counted, as the server's come
// from requests and accounts.
func BenchmarkCacheMemory(b *testing.B) {
	const scopes, perScope = 1000, 1000
	names := make([]string, scopes)
	for i := range names {
		names[i] = fmt.Sprintf("ws:org-%04d/default", i)
	}
	prompts := make([]tokens.Prompt, perScope)
	for i := range prompts {
		prompts[i] = tokens.Prompt{Blocks: []tokens.Block{{Section: tokens.System, Kind: tokens.KindText,
			Text: fmt.Sprintf("prompt %d", i), Message: -1, Cache: 5 * time.Minute}}}
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var per float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		c := tokens.NewCache()
		for _, scope := range names {
			for _, p := range prompts {
				c.Commit(c.Plan(scope, "claude-opus-4-5", p, 0, now), now)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if c.Held() != scopes*perScope {
			b.Fatalf("%d entries, want %d", c.Held(), scopes*perScope)
		}
		per = float64(after.HeapAlloc-before.HeapAlloc) / (scopes * perScope)
	}
	b.ReportMetric(per, "B/entry")
}

// BenchmarkPlan measures the prompt cache's part of a plain Messages
// request: Plan for a prompt of a few blocks and no breakpoint, which
// finds nothing to read or write.
func BenchmarkPlan(b *testing.B) {
	c := tokens.NewCache()
	p := tokens.Prompt{Blocks: []tokens.Block{tool(weatherTool), userText(0, "Hello, Claude")}, Messages: 1}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		c.Commit(c.Plan("ws:org/default", "claude-opus-4-5", p, 1024, now), now)
	}
}
