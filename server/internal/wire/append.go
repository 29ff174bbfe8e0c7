package wire

import (
	"strconv"
	"unicode/utf8"
)

// appendEvent appends the JSON of the events a stream sends most, a
// block's deltas and its stop, as encoding/json (HTML escaping off) would
// write them, without its reflection; ok is false for any other data,
// which the encoder writes.
func appendEvent(dst []byte, data any) (_ []byte, ok bool) {
	switch d := data.(type) {
	case *blockDelta:
		var kind, key, text string
		switch inner := d.Delta.(type) {
		case *textDelta:
			kind, key, text = inner.Type, "text", inner.Text
		case *thinkingDelta:
			kind, key, text = inner.Type, "thinking", inner.Thinking
		case *jsonDelta:
			kind, key, text = inner.Type, "partial_json", inner.PartialJSON
		default:
			return dst, false
		}
		dst = appendTypeIndex(dst, d.Type, d.Index)
		dst = append(dst, `,"delta":{"type":`...)
		dst = appendString(dst, kind)
		dst = append(dst, `,"`...)
		dst = append(dst, key...)
		dst = append(dst, `":`...)
		dst = appendString(dst, text)
		return append(dst, "}}"...), true
	case *blockStop:
		return append(appendTypeIndex(dst, d.Type, d.Index), '}'), true
	}
	return dst, false
}

// appendTypeIndex opens an event object with its type and index.
func appendTypeIndex(dst []byte, kind string, index int) []byte {
	dst = append(dst, `{"type":`...)
	dst = appendString(dst, kind)
	dst = append(dst, `,"index":`...)
	return strconv.AppendInt(dst, int64(index), 10)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string exactly as encoding/json writes
// it with HTML escaping off: ", \ and control characters escaped (\b, \f,
// \n, \r, \t by name, the rest as \u00XX), invalid UTF-8 as \ufffd, and
// U+2028 and U+2029 as \u2028 and \u2029.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
