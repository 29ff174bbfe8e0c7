package tokens

import "bytes"

// The PDF names that mark a page object: "/Type /Page", but not "/Pages".
const (
	typeName = "/Type"
	pageName = "/Page"
)

// PDFPages counts the page objects of a PDF ("/Type /Page", whitespace
// optional, but not the "/Type /Pages" tree nodes). Pages hidden in
// compressed object streams are not seen, so non-empty data counts at least
// one page; empty data counts 0.
func PDFPages(data []byte) int {
	if len(data) == 0 {
		return 0
	}
	n, _ := scanPages(data, true, nil)
	return max(n, 1)
}

// PDFPagesBase64 is PDFPages for base64 data. It decodes through a fixed
// 8 KiB window instead of into one buffer, carrying a page marker that is cut
// by the window's edge over to the next window, so the result is the same as
// decoding everything first.
func PDFPagesBase64(b64 string) int {
	r := reader{b64: b64, isBase64: true}
	var buf [8 << 10]byte
	var tail [len(typeName) + len(pageName)]byte
	total, kept, seen := 0, 0, false
	for {
		got := r.read(buf[kept:])
		seen = seen || got > 0
		final := kept+got < len(buf)
		n, carry := scanPages(buf[:kept+got], final, tail[:0])
		total += n
		if final {
			break
		}
		kept = copy(buf[:], carry)
	}
	if !seen {
		return 0
	}
	return max(total, 1)
}

// scanPages counts the page markers in b. Unless b is the final piece, it
// also appends to carry what must be rescanned at the start of the next
// piece: a marker that b ends in the middle of, shortened to "/Type" plus
// the part of "/Page" seen so far (the whitespace between them does not
// matter), or a last few bytes that could begin "/Type".
func scanPages(b []byte, final bool, carry []byte) (n int, _ []byte) {
	i := 0
	for {
		j := bytes.Index(b[i:], []byte(typeName))
		if j < 0 {
			break
		}
		j += i
		match, more, k := pageAt(b, j)
		if more && final {
			match = len(b)-k == len(pageName) // "/Page" at the very end
		} else if more {
			return n, append(append(carry, typeName...), b[k:]...)
		}
		if match {
			n++
		}
		i = k
	}
	if final {
		return n, carry
	}
	for s := max(i, len(b)-len(typeName)+1); s < len(b); s++ {
		if bytes.HasPrefix([]byte(typeName), b[s:]) {
			return n, append(carry, b[s:]...)
		}
	}
	return n, carry
}

// pageAt checks the marker whose "/Type" starts at b[j]: whitespace, then
// "/Page" and a delimiter. k is where the whitespace ends; more is true when
// b ends before the answer is known.
func pageAt(b []byte, j int) (match, more bool, k int) {
	k = j + len(typeName)
	for k < len(b) && isPDFSpace(b[k]) {
		k++
	}
	rest := b[k:]
	if len(rest) <= len(pageName) {
		return false, bytes.HasPrefix([]byte(pageName), rest), k
	}
	return bytes.HasPrefix(rest, []byte(pageName)) && isPDFDelimiter(rest[len(pageName)]), false, k
}

// isPDFSpace reports the PDF whitespace characters.
func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

// isPDFDelimiter reports whether c ends a PDF name, so "/Page" followed by c
// is the name /Page and not a longer one such as /Pages.
func isPDFDelimiter(c byte) bool {
	return isPDFSpace(c) || bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0
}
