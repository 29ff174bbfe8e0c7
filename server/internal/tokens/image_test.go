package tokens_test

import (
	"bytes"
	"encoding/base64"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/tokens"
)

var _ = Describe("Image", func() {
	DescribeTable("scales to a 1568 px long edge and 1,205,862 px, then ceil(w×h / 750)",
		func(w, h, want int) {
			Expect(tokens.Image(w, h)).To(Equal(want))
		},
		Entry("1000×1000 is not resized: ceil(1e6/750)", 1000, 1000, 1334),
		Entry("4000×3000 → 1568×1176 → 1267×950", 4000, 3000, 1605),
		Entry("3000×4000 is the same rotated", 3000, 4000, 1605),
		Entry("1092×1092, the documented square maximum, is not resized", 1092, 1092, 1590),
		Entry("1568×1568 → 1098×1098 by area", 1568, 1568, 1608),
		Entry("1920×1080 → 1568×882 → 1464×823", 1920, 1080, 1607),
		Entry("10000×10 → 1568×1 by the long edge", 10000, 10, 3),
		Entry("200×200", 200, 200, 54),
		Entry("1×1 is the minimum", 1, 1, 1),
		Entry("unknown size counts as 1092×1092", 0, 0, 1590),
		Entry("a negative side is unknown too", -5, 100, 1590),
		Entry("absurd sizes do not overflow", 1<<40, 1<<40, 1608),
	)
})

var _ = Describe("Document", func() {
	It("counts 3090 per PDF page and at least one page", func() {
		Expect(tokens.Document(1)).To(Equal(3090))
		Expect(tokens.Document(3)).To(Equal(9270))
		Expect(tokens.Document(0)).To(Equal(3090))
		Expect(tokens.Document(-1)).To(Equal(3090))
	})
})

var _ = Describe("ImageSize", func() {
	type sized struct {
		w, h int
		ok   bool
	}
	size := func(w, h int, ok bool) sized { return sized{w, h, ok} }
	jpg := jpegBytes(61, 45)
	lateJPEG := withSegment(withSegment(jpg, 0xE1, bytes.Repeat([]byte{0xAB}, 60000)), 0xFE, []byte("comment"))

	DescribeTable("reads the size from the header",
		func(mediaType string, data []byte, w, h int) {
			Expect(size(tokens.ImageSize(mediaType, data))).To(Equal(size(w, h, true)))
			Expect(size(tokens.ImageSizeBase64(mediaType, b64(data)))).To(Equal(size(w, h, true)), "base64")
			Expect(size(tokens.ImageSizeBase64(mediaType, mime(b64(data))))).To(Equal(size(w, h, true)), "MIME base64")
			Expect(size(tokens.ImageSizeBase64(mediaType, base64.RawURLEncoding.EncodeToString(data)))).To(Equal(size(w, h, true)), "raw URL base64")
		},
		Entry("PNG", "image/png", pngBytes(37, 23), 37, 23),
		Entry("JPEG", "image/jpeg", jpg, 61, 45),
		Entry("JPEG with a 60 kB EXIF segment before the frame", "image/jpeg", lateJPEG, 61, 45),
		Entry("JPEG with junk and fill bytes before a marker", "image/jpeg",
			append([]byte{0xFF, 0xD8, 0xFF, 0xFE, 0, 4, 'h', 'i', 0x00, 0x12, 0xFF, 0xFF}, jpg[2:]...), 61, 45),
		Entry("GIF", "image/gif", gifBytes(19, 7), 19, 7),
		Entry("WebP VP8X", "image/webp", webpVP8X(640, 480), 640, 480),
		Entry("WebP VP8L", "image/webp", webpVP8L(300, 200), 300, 200),
		Entry("WebP VP8", "image/webp", webpVP8(320, 240), 320, 240),
		Entry("WebP VP8X at its 2^24 limit", "image/webp", webpVP8X(1<<24, 1), 1<<24, 1),
		Entry("a mislabelled media type", "image/jpeg", pngBytes(5, 6), 5, 6),
	)

	It("needs only a prefix of the image", func() {
		Expect(size(tokens.ImageSize("image/png", pngBytes(37, 23)[:24]))).To(Equal(size(37, 23, true)))
		Expect(size(tokens.ImageSize("image/gif", gifBytes(19, 7)[:10]))).To(Equal(size(19, 7, true)))
		Expect(size(tokens.ImageSize("image/webp", webpVP8(320, 240)[:30]))).To(Equal(size(320, 240, true)))
		sof := bytes.Index(jpg, []byte{0xFF, 0xC0})
		Expect(size(tokens.ImageSize("image/jpeg", jpg[:sof+9]))).To(Equal(size(61, 45, true)))
		Expect(size(tokens.ImageSizeBase64("image/jpeg", b64(lateJPEG[:len(lateJPEG)-len(jpg)+sof+9])))).To(Equal(size(61, 45, true)))
	})

	DescribeTable("fails without panicking on data it cannot read",
		func(data []byte) {
			Expect(size(tokens.ImageSize("image/png", data))).To(Equal(size(0, 0, false)))
			Expect(size(tokens.ImageSizeBase64("image/png", b64(data)))).To(Equal(size(0, 0, false)))
			Expect(size(tokens.ImageSizeBase64("image/png", string(data)))).To(Equal(size(0, 0, false)))
		},
		Entry("nothing", []byte{}),
		Entry("text", []byte("not an image at all")),
		Entry("a PNG signature alone", pngBytes(3, 3)[:8]),
		Entry("a PNG of width 0", append(pngBytes(3, 3)[:16], 0, 0, 0, 0, 0, 0, 0, 3)),
		Entry("a JPEG cut before its frame", jpg[:20]),
		Entry("a JPEG whose scan starts before a frame", []byte{0xFF, 0xD8, 0xFF, 0xDA, 0, 2}),
		Entry("a JPEG segment running past the end", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF, 1, 2}),
		Entry("a JPEG segment length below 2", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 1, 0xFF, 0xC0}),
		Entry("a GIF header cut short", []byte("GIF89a\x01")),
		Entry("a RIFF that is not WebP", append([]byte("RIFF\x00\x00\x00\x00WAVEfmt "), make([]byte, 20)...)),
		Entry("a VP8 chunk without its start code", append(webpVP8(3, 3)[:23], 0, 0, 0, 3, 0, 3, 0)),
		Entry("a VP8L chunk without its signature", append(webpVP8L(3, 3)[:20], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
	)

	It("stops at invalid base64 instead of guessing", func() {
		Expect(size(tokens.ImageSizeBase64("image/png", "!!!!!!!!"))).To(Equal(size(0, 0, false)))
		Expect(size(tokens.ImageSizeBase64("image/jpeg", "/9j/"))).To(Equal(size(0, 0, false)))
		Expect(size(tokens.ImageSizeBase64("image/png", b64(pngBytes(3, 3))[:20]+"*"))).To(Equal(size(0, 0, false)))
	})

	It("does not allocate, even for a JPEG whose frame is 60 kB in", func() {
		png64, jpeg64 := b64(pngBytes(64, 64)), b64(lateJPEG)
		Expect(testing.AllocsPerRun(50, func() { tokens.ImageSizeBase64("image/png", png64) })).To(BeZero())
		Expect(testing.AllocsPerRun(50, func() { tokens.ImageSizeBase64("image/jpeg", jpeg64) })).To(BeZero())
	})
})
