package tokens

import (
	"bytes"
	"encoding/binary"
	"math"
)

// Image and document constants, see the package documentation.
const (
	maxLongEdge      = 1568      // px; longer images are scaled down
	maxArea          = 1_205_862 // px, ≈1.15 megapixels (1.15 × 2^20)
	pixelsPerToken   = 750       // tokens = ceil(width × height / 750)
	unknownImageEdge = 1092      // an image of unknown size counts as 1092×1092
	pdfPageTokens    = 1500 + 1590
)

// Image estimates an image's tokens the way the real API bills it: the image
// is first scaled down, keeping its aspect ratio, until the long edge is at
// most 1568 px and the area at most maxArea, then every 750 pixels are a
// token. A non-positive size means unknown and counts as 1092×1092 (1590).
func Image(width, height int) int {
	if width <= 0 || height <= 0 {
		width, height = unknownImageEdge, unknownImageEdge
	}
	w, h := fitImage(int64(width), int64(height))
	return int((w*h + pixelsPerToken - 1) / pixelsPerToken)
}

// fitImage scales w×h down to the long-edge and area limits, flooring each
// side but keeping it at least 1 px. Absurd sizes are first halved until they
// fit comfortably in int64 arithmetic, which keeps the aspect ratio.
func fitImage(w, h int64) (int64, int64) {
	for w > 1<<30 || h > 1<<30 {
		w, h = max(w>>1, 1), max(h>>1, 1)
	}
	if long := max(w, h); long > maxLongEdge {
		w, h = max(w*maxLongEdge/long, 1), max(h*maxLongEdge/long, 1)
	}
	if w*h <= maxArea {
		return w, h
	}
	s := math.Sqrt(float64(maxArea) / float64(w*h))
	w, h = max(int64(float64(w)*s), 1), max(int64(float64(h)*s), 1)
	for w*h > maxArea { // guard against rounding in the square root
		if w >= h {
			w--
		} else {
			h--
		}
	}
	return w, h
}

// Document estimates a PDF's tokens: each page is billed as its text plus an
// image of the page, 3090 tokens, and an unknown (0) page count is one page.
func Document(pages int) int {
	pages = max(pages, 1)
	if pages > math.MaxInt/pdfPageTokens {
		return math.MaxInt
	}
	return pages * pdfPageTokens
}

// ImageSize returns the pixel size stored in a PNG, JPEG, GIF or WebP header.
// data is the decoded image, or only a prefix of it: PNG, GIF and WebP need
// their first 30 bytes, JPEG everything up to its SOF segment. The format is
// taken from the bytes' signature, so a mislabelled mediaType still gets the
// true size; ok is false when the size cannot be read.
func ImageSize(mediaType string, data []byte) (w, h int, ok bool) {
	r := reader{raw: data}
	return imageSize(mediaType, &r)
}

// ImageSizeBase64 is ImageSize for base64 data (standard or URL alphabet,
// padded or not, line breaks allowed). It decodes lazily: 32 bytes for a PNG,
// GIF or WebP header, and for a JPEG only the segment headers up to the SOF,
// jumping over the base64 of the segments in between. It never allocates and
// never panics on garbage.
func ImageSizeBase64(mediaType, b64 string) (w, h int, ok bool) {
	r := reader{b64: b64, isBase64: true}
	return imageSize(mediaType, &r)
}

// imageSize reads the header from r and dispatches on its signature.
func imageSize(_ string, r *reader) (w, h int, ok bool) {
	var buf [32]byte
	hdr := buf[:r.read(buf[:])]
	switch {
	case bytes.HasPrefix(hdr, []byte("\x89PNG\r\n\x1a\n")):
		return pngSize(hdr)
	case bytes.HasPrefix(hdr, []byte("GIF87a")), bytes.HasPrefix(hdr, []byte("GIF89a")):
		return gifSize(hdr)
	case len(hdr) >= 16 && string(hdr[:4]) == "RIFF" && string(hdr[8:12]) == "WEBP":
		return webpSize(hdr)
	case bytes.HasPrefix(hdr, []byte{0xFF, 0xD8, 0xFF}):
		r.rewind()
		return jpegSize(r)
	}
	return 0, 0, false
}

// positive reports w×h as a size when both sides are positive.
func positive(w, h int) (int, int, bool) {
	if w <= 0 || h <= 0 {
		return 0, 0, false
	}
	return w, h, true
}

// pngSize reads the IHDR chunk, which the PNG spec requires to come first.
func pngSize(hdr []byte) (w, h int, ok bool) {
	if len(hdr) < 24 || string(hdr[12:16]) != "IHDR" {
		return 0, 0, false
	}
	return positive(int(binary.BigEndian.Uint32(hdr[16:])), int(binary.BigEndian.Uint32(hdr[20:])))
}

// gifSize reads the logical screen size that follows the GIF signature.
func gifSize(hdr []byte) (w, h int, ok bool) {
	if len(hdr) < 10 {
		return 0, 0, false
	}
	return positive(int(binary.LittleEndian.Uint16(hdr[6:])), int(binary.LittleEndian.Uint16(hdr[8:])))
}

// webpSize reads the first chunk of a WebP file: the canvas size of an
// extended (VP8X) file, or the frame size of a lossless (VP8L) or lossy (VP8)
// one.
func webpSize(hdr []byte) (w, h int, ok bool) {
	if len(hdr) < 30 {
		return 0, 0, false
	}
	p := hdr[20:]
	switch string(hdr[12:16]) {
	case "VP8X":
		return le24(p[4:]) + 1, le24(p[7:]) + 1, true
	case "VP8L":
		if p[0] != 0x2F {
			return 0, 0, false
		}
		bits := binary.LittleEndian.Uint32(p[1:])
		return int(bits&0x3FFF) + 1, int(bits>>14&0x3FFF) + 1, true
	case "VP8 ":
		if p[3] != 0x9D || p[4] != 0x01 || p[5] != 0x2A {
			return 0, 0, false
		}
		return positive(int(binary.LittleEndian.Uint16(p[6:])&0x3FFF), int(binary.LittleEndian.Uint16(p[8:])&0x3FFF))
	}
	return 0, 0, false
}

// le24 reads a 24-bit little-endian number, as VP8X stores its canvas size.
func le24(b []byte) int {
	return int(b[0]) | int(b[1])<<8 | int(b[2])<<16
}

// jpegSize walks the JPEG segments up to the first SOF (start of frame)
// marker, which holds the size, skipping other segments by their length.
// Like libjpeg it tolerates extraneous bytes before a marker.
func jpegSize(r *reader) (w, h int, ok bool) {
	if a, _ := r.readByte(); a != 0xFF {
		return 0, 0, false
	}
	if b, _ := r.readByte(); b != 0xD8 {
		return 0, 0, false
	}
	for {
		m, ok := nextMarker(r)
		switch {
		case !ok || m == 0xD9 || m == 0xDA: // end of data, EOI, or the scan began without a frame
			return 0, 0, false
		case m == 0x00 || m == 0x01 || m >= 0xD0 && m <= 0xD8: // markers without a length
			continue
		}
		var seg [7]byte // length, precision, height, width
		if r.read(seg[:2]) < 2 {
			return 0, 0, false
		}
		n := int(binary.BigEndian.Uint16(seg[:]))
		if isSOF(m) {
			if n < 7 || r.read(seg[2:]) < 5 {
				return 0, 0, false
			}
			return positive(int(binary.BigEndian.Uint16(seg[5:])), int(binary.BigEndian.Uint16(seg[3:])))
		}
		if n < 2 || !r.skip(n-2) {
			return 0, 0, false
		}
	}
}

// nextMarker skips to the next 0xFF, then over fill bytes, and returns the
// marker code that follows.
func nextMarker(r *reader) (byte, bool) {
	c, ok := r.readByte()
	for ok && c != 0xFF {
		c, ok = r.readByte()
	}
	for ok && c == 0xFF {
		c, ok = r.readByte()
	}
	return c, ok
}

// isSOF reports whether m starts a frame: 0xC0–0xCF except DHT (0xC4),
// JPG (0xC8) and DAC (0xCC).
func isSOF(m byte) bool {
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC
}
