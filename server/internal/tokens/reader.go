package tokens

import "strings"

// b64Value maps a base64 character (standard or URL alphabet) to its 6-bit
// value, and anything else to 0xFF.
var b64Value = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range len(std) {
		t[std[i]] = byte(i)
	}
	t['-'], t['_'] = 62, 63
	return t
}()

// reader yields the bytes of an upload held either raw or as base64 text,
// decoding base64 lazily one 4-character quantum at a time. Line breaks are
// ignored like encoding/base64 does; padding or any other character ends the
// data. It is a concrete type (not an interface) so it stays on the stack.
type reader struct {
	raw      []byte
	b64      string
	isBase64 bool
	pos      int     // next unread index into raw or b64
	q        [3]byte // decoded bytes of the current quantum
	qi, qn   int     // next unread and count of bytes in q
	end      bool    // the base64 text has ended
}

// rewind starts reading again from the beginning.
func (r *reader) rewind() {
	r.pos, r.qi, r.qn, r.end = 0, 0, 0, false
}

// readByte returns the next byte, false at the end of the data.
func (r *reader) readByte() (byte, bool) {
	if !r.isBase64 {
		if r.pos >= len(r.raw) {
			return 0, false
		}
		r.pos++
		return r.raw[r.pos-1], true
	}
	if r.qi == r.qn && !r.fill() {
		return 0, false
	}
	r.qi++
	return r.q[r.qi-1], true
}

// fill decodes the next quantum into q, skipping line breaks; a short final
// quantum (unpadded or before '=') yields one or two bytes and ends the data.
func (r *reader) fill() bool {
	var v uint32
	k := 0
	for !r.end && k < 4 && r.pos < len(r.b64) {
		c := r.b64[r.pos]
		if d := b64Value[c]; d <= 63 {
			v, k = v<<6|uint32(d), k+1
		} else if c != '\n' && c != '\r' {
			break
		}
		r.pos++
	}
	if k < 4 {
		r.end = true
		v <<= 6 * uint(4-k)
	}
	r.q = [3]byte{byte(v >> 16), byte(v >> 8), byte(v)}
	r.qi, r.qn = 0, max(k-1, 0)
	return r.qn > 0
}

// read fills dst as far as the data allows and returns how many bytes it
// wrote; it is short only at the end of the data. Whole base64 quanta go
// straight into dst without the per-byte path.
func (r *reader) read(dst []byte) int {
	if !r.isBase64 {
		n := copy(dst, r.raw[r.pos:])
		r.pos += n
		return n
	}
	n := 0
	for n < len(dst) {
		for ; n < len(dst) && r.qi < r.qn; n, r.qi = n+1, r.qi+1 {
			dst[n] = r.q[r.qi]
		}
		n += r.readQuanta(dst[n:])
		if n < len(dst) && r.qi == r.qn && !r.fill() {
			break
		}
	}
	return n
}

// readQuanta decodes whole quanta of plain base64 (no line break, padding or
// invalid character) straight into dst while at least three bytes fit, and
// returns how many bytes it wrote. It is the hot loop of PDFPagesBase64.
func (r *reader) readQuanta(dst []byte) int {
	src, d := r.b64[r.pos:], dst
	for len(d) >= 3 && len(src) >= 4 {
		a, b, c, e := b64Value[src[0]], b64Value[src[1]], b64Value[src[2]], b64Value[src[3]]
		if a|b|c|e > 63 {
			break
		}
		v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(e)
		d[0], d[1], d[2] = byte(v>>16), byte(v>>8), byte(v)
		d, src = d[3:], src[4:]
	}
	r.pos = len(r.b64) - len(src)
	return len(dst) - len(d)
}

// skip discards the next n bytes and reports whether they were all there.
// Over base64 it jumps whole quanta without decoding them when that stretch
// of text holds no line break, so skipping a large JPEG segment is cheap.
func (r *reader) skip(n int) bool {
	if !r.isBase64 {
		if n > len(r.raw)-r.pos {
			r.pos = len(r.raw)
			return false
		}
		r.pos += n
		return true
	}
	for ; n > 0 && r.qi < r.qn; n-- {
		r.qi++
	}
	if q := n / 3; q > 0 && !r.end {
		if q > (len(r.b64)-r.pos)/4 { // too few characters even without line breaks
			r.pos, r.end = len(r.b64), true
			return false
		}
		if s := r.b64[r.pos : r.pos+4*q]; strings.IndexByte(s, '\n') < 0 && strings.IndexByte(s, '\r') < 0 {
			r.pos, n = r.pos+4*q, n-3*q
		}
	}
	for ; n > 0; n-- {
		if _, ok := r.readByte(); !ok {
			return false
		}
	}
	return true
}
