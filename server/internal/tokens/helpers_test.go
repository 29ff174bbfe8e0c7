package tokens_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"strings"
)

// noise returns a w×h image of deterministic random pixels, so encoders
// cannot compress it away.
func noise(w, h int, seed uint64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(seed, seed))
	for i := range img.Pix {
		img.Pix[i] = byte(rng.Uint32())
	}
	return img
}

func pngBytes(w, h int) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, noise(w, h, 1)); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func jpegBytes(w, h int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, noise(w, h, 2), nil); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func gifBytes(w, h int) []byte {
	var buf bytes.Buffer
	img := image.NewPaletted(image.Rect(0, 0, w, h), palette.Plan9)
	img.Set(0, 0, color.White)
	if err := gif.Encode(&buf, img, nil); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// withSegment inserts a JPEG segment with the given marker and payload right
// after SOI, pushing the SOF further into the file.
func withSegment(jpg []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// riff wraps one WebP chunk in a RIFF container.
func riff(fourcc string, payload []byte) []byte {
	chunk := append([]byte(fourcc), le32(uint32(len(payload)))...)
	chunk = append(chunk, payload...)
	out := append([]byte("RIFF"), le32(uint32(4+len(chunk)))...)
	return append(append(out, "WEBP"...), chunk...)
}

func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// webpVP8X is an extended WebP header with a w×h canvas.
func webpVP8X(w, h int) []byte {
	p := []byte{0x10, 0, 0, 0}
	p = append(p, le32(uint32(w - 1))[:3]...)
	p = append(p, le32(uint32(h - 1))[:3]...)
	return riff("VP8X", p)
}

// webpVP8L is a lossless WebP header of a w×h image.
func webpVP8L(w, h int) []byte {
	p := append([]byte{0x2F}, le32(uint32(w-1)|uint32(h-1)<<14|1<<28)...)
	return riff("VP8L", append(p, 0, 0, 0, 0, 0))
}

// webpVP8 is a lossy WebP key frame header of a w×h image.
func webpVP8(w, h int) []byte {
	p := []byte{0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A}
	p = binary.LittleEndian.AppendUint16(p, uint16(w))
	p = binary.LittleEndian.AppendUint16(p, uint16(h))
	return riff("VP8 ", append(p, 0, 0, 0, 0))
}

// mime wraps base64 text at 76 characters with CRLF, as e-mail does.
func mime(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}

func b64(data []byte) string { return base64.StdEncoding.EncodeToString(data) }

// threePagePDF is a tiny hand-written PDF with three page objects, each
// spelled with different whitespace, and a /Pages tree node.
const threePagePDF = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj
4 0 obj <</Type/Page/Parent 2 0 R>> endobj
5 0 obj <<
/Type
	/Page
>> endobj
6 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R /Size 7 >>
%%EOF
`
