package tokens_test

import (
	"testing"

	"github.com/claudemock/claudemock/server/internal/tokens"
)

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "Hi", "Hello, world", "日本語", "👍🏽", "\xe6\x97", "\x80\xff"} {
		f.Add(s, "more")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		n, m := tokens.Text(a), tokens.Text(a+b)
		if n < 0 || m < n {
			t.Fatalf("Text(%q) = %d, Text(%q) = %d", a, n, a+b, m)
		}
		if m > len(a+b) {
			t.Fatalf("Text(%q) = %d exceeds its length", a+b, m)
		}
	})
}

func FuzzImageSizeBase64(f *testing.F) {
	for _, seed := range [][]byte{
		pngBytes(3, 2), jpegBytes(5, 4), gifBytes(2, 9), webpVP8X(7, 8), webpVP8L(9, 10), webpVP8(11, 12),
		withSegment(jpegBytes(5, 4), 0xE1, make([]byte, 300)), {0xFF, 0xD8, 0xFF, 0xE0, 0, 2},
	} {
		f.Add("image/png", seed)
	}
	f.Fuzz(func(t *testing.T, mediaType string, data []byte) {
		w, h, ok := tokens.ImageSize(mediaType, data)
		if ok && (w <= 0 || h <= 0) || !ok && (w != 0 || h != 0) {
			t.Fatalf("ImageSize = %d, %d, %v", w, h, ok)
		}
		bw, bh, bok := tokens.ImageSizeBase64(mediaType, b64(data))
		if bw != w || bh != h || bok != ok {
			t.Fatalf("ImageSizeBase64 = %d, %d, %v; ImageSize = %d, %d, %v", bw, bh, bok, w, h, ok)
		}
		tokens.ImageSizeBase64(mediaType, string(data)) // garbage as base64: must not panic
		if tokens.Image(w, h) < 1 {
			t.Fatalf("Image(%d, %d) < 1", w, h)
		}
	})
}

func FuzzPDFPages(f *testing.F) {
	for _, s := range []string{threePagePDF, "", "/Type/Page", "/Type /Pages", "/Type\n\n/Pag"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n := tokens.PDFPages(data)
		if (len(data) == 0) != (n == 0) || n < 0 {
			t.Fatalf("PDFPages = %d for %d bytes", n, len(data))
		}
		if m := tokens.PDFPagesBase64(b64(data)); m != n {
			t.Fatalf("PDFPagesBase64 = %d, PDFPages = %d", m, n)
		}
		tokens.PDFPagesBase64(string(data)) // garbage as base64: must not panic
	})
}
