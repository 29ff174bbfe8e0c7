package wire

import (
	"strconv"
	"unicode/utf8"
)

// appendEvent appends the JSON of the events a stream sends most, a
// block's deltas and its stop, and its message_start, as encoding/json (HTML escaping off) would
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
	case *messageStart:
		dst = append(appendField(dst, '{', "type", d.Type), `,"message":`...)
		if dst, ok = appendMessage(dst, &d.Message); !ok {
			return dst, false
		}
		return append(dst, '}'), true
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

// appendMessage appends the JSON of msg as encoding/json (HTML escaping
// off) would write it, without its reflection; ok is false when msg holds
// what it leaves to the encoder (a tool call's input, which the encoder
// compacts, stop details, edits, a block of another type).
func appendMessage(dst []byte, msg *Message) (_ []byte, ok bool) {
	if msg.StopDetails != nil || (msg.ContextManagement != nil && len(msg.ContextManagement.AppliedEdits) > 0) {
		return dst, false
	}
	dst = appendField(dst, '{', "model", msg.Model)
	dst = appendField(dst, ',', "id", msg.ID)
	dst = appendField(dst, ',', "type", msg.Type)
	dst = appendField(dst, ',', "role", msg.Role)
	if dst, ok = appendContent(append(dst, `,"content":`...), msg.Content); !ok {
		return dst, false
	}
	dst = appendOptional(append(dst, `,"stop_reason":`...), msg.StopReason)
	dst = appendOptional(append(dst, `,"stop_sequence":`...), msg.StopSequence)
	dst = append(dst, `,"stop_details":null,"usage":`...)
	dst = appendUsage(dst, &msg.Usage)
	if cm := msg.ContextManagement; cm != nil {
		if cm.AppliedEdits == nil {
			dst = append(dst, `,"context_management":{"applied_edits":null}`...)
		} else {
			dst = append(dst, `,"context_management":{"applied_edits":[]}`...)
		}
	}
	return append(dst, '}'), true
}

// appendContent appends a Message's content blocks, ok false for a block
// other than text, thinking or redacted thinking.
func appendContent(dst []byte, content []any) (_ []byte, ok bool) {
	if content == nil {
		return append(dst, "null"...), true
	}
	dst = append(dst, '[')
	for i, block := range content {
		if i > 0 {
			dst = append(dst, ',')
		}
		switch b := block.(type) {
		case TextBlock:
			dst = appendField(appendField(dst, '{', "type", b.Type), ',', "text", b.Text)
		case ThinkingBlock:
			dst = appendField(appendField(dst, '{', "type", b.Type), ',', "thinking", b.Thinking)
			dst = appendField(dst, ',', "signature", b.Signature)
		case RedactedThinkingBlock:
			dst = appendField(appendField(dst, '{', "type", b.Type), ',', "data", b.Data)
		default:
			return dst, false
		}
		dst = append(dst, '}')
	}
	return append(dst, ']'), true
}

// appendUsage appends a Message's usage.
func appendUsage(dst []byte, u *Usage) []byte {
	dst = appendInt(dst, '{', "input_tokens", u.InputTokens)
	dst = appendInt(dst, ',', "cache_creation_input_tokens", u.CacheCreationInputTokens)
	dst = appendInt(dst, ',', "cache_read_input_tokens", u.CacheReadInputTokens)
	dst = append(dst, `,"cache_creation":`...)
	dst = appendInt(dst, '{', "ephemeral_5m_input_tokens", u.CacheCreation.Ephemeral5m)
	dst = appendInt(dst, ',', "ephemeral_1h_input_tokens", u.CacheCreation.Ephemeral1h)
	dst = appendInt(append(dst, '}'), ',', "output_tokens", u.OutputTokens)
	dst = appendField(dst, ',', "service_tier", u.ServiceTier)
	dst = appendField(dst, ',', "inference_geo", u.InferenceGeo)
	if d := u.OutputTokensDetails; d != nil {
		dst = append(dst, `,"output_tokens_details":`...)
		dst = append(appendInt(dst, '{', "thinking_tokens", d.ThinkingTokens), '}')
	}
	return append(dst, '}')
}

// appendField appends sep, then "key":value with value a JSON string.
func appendField(dst []byte, sep byte, key, value string) []byte {
	dst = append(append(append(dst, sep, '"'), key...), '"', ':')
	return appendString(dst, value)
}

// appendInt appends sep, then "key":n.
func appendInt(dst []byte, sep byte, key string, n int) []byte {
	dst = append(append(append(dst, sep, '"'), key...), '"', ':')
	return strconv.AppendInt(dst, int64(n), 10)
}

// appendOptional appends a JSON string, or null for nil.
func appendOptional(dst []byte, s *string) []byte {
	if s == nil {
		return append(dst, "null"...)
	}
	return appendString(dst, *s)
}
