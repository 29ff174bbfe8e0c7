package request

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/claudemock/claudemock/server/internal/apierror"
)

// CheckSyntax reports malformed JSON before any field is looked at, the
// way the real API does: its JSON parser's (orjson's) words after "The
// request body is not valid JSON: ", then the line, column and character
// of the fault, counted in characters.
func CheckSyntax(body []byte) error {
	if len(body) == 0 {
		return notJSON(body, "Input is a zero-length, empty document", 0)
	}
	if !json.Valid(body) {
		msg, at := syntaxFault(body)
		return notJSON(body, msg, at)
	}
	if msg, at, ok := loneSurrogate(body); ok {
		return notJSON(body, msg, at)
	}
	if !utf8.Valid(body) {
		return notJSON(body, "invalid UTF-8 in string", invalidUTF8(body))
	}
	if body = bytes.TrimSpace(body); body[0] != '{' {
		return apierror.Invalid("body: Input should be a valid dictionary or object to extract fields from")
	}
	return nil
}

// syntaxFault words the first fault of a body that is not JSON and gives
// its byte offset. Only a faulty body is decoded here, to learn where the
// fault is.
func syntaxFault(body []byte) (string, int) {
	var syntaxErr *json.SyntaxError
	if !errors.As(json.Unmarshal(body, new(json.RawMessage)), &syntaxErr) {
		return "unexpected character", 0
	}
	at := int(max(syntaxErr.Offset-1, 0)) // Offset counts the offending byte
	msg := syntaxErr.Error()
	switch {
	case msg == "unexpected end of JSON input":
		return "unexpected end of data", len(body)
	case strings.HasSuffix(msg, "in string literal"):
		return "unexpected control character in string", at
	case strings.HasSuffix(msg, "in string escape code"):
		return "invalid escaped character in string", at
	case strings.Contains(msg, "in literal"):
		return "invalid literal", at
	case strings.HasSuffix(msg, "after top-level value"):
		return "unexpected content after document", at
	case strings.Contains(msg, "exceeded max depth"):
		return "recursion limit exceeded", at
	}
	return "unexpected character", at
}

// invalidUTF8 is the byte offset of the first byte that is not part of a
// valid UTF-8 sequence; len(body) when there is none. Go's decoder would
// quietly replace such bytes with U+FFFD; the mock refuses them instead
// (see docs/decisions.md), since a strict JSON parser does and a client sending
// them has a bug worth seeing.
func invalidUTF8(body []byte) int {
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(body)
}

// notJSON is the real API's 400 for a body its parser refuses.
func notJSON(body []byte, msg string, at int) *apierror.Error {
	line, col, char := position(body, at)
	return apierror.Invalid("The request body is not valid JSON: %s: line %d column %d (char %d)", msg, line, col, char)
}

// position turns a byte offset into a 1-based line and column and a
// 0-based character index, all counted in characters as Python does.
func position(body []byte, offset int) (line, col, char int) {
	before := body[:min(max(offset, 0), len(body))]
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	line = bytes.Count(before, []byte("\n")) + 1
	return line, utf8.RuneCount(before[lineStart:]) + 1, utf8.RuneCount(before)
}

// loneSurrogate finds a \u escape of half a UTF-16 surrogate pair, which
// Go's decoder replaces but the real API's parser refuses (Claude Code
// users meet "no low surrogate in string" when a tool output is cut
// mid-pair). It returns the parser's words and the byte offset.
func loneSurrogate(body []byte) (string, int, bool) {
	inString := false
	for i := 0; i < len(body); i++ {
		switch {
		case body[i] == '"':
			inString = !inString
		case !inString || body[i] != '\\':
		case body[i+1] != 'u':
			i++ // a one-character escape, such as \" or \\
		default:
			size, msg := surrogateAt(body, i)
			if msg != "" {
				return msg, i, true
			}
			i += size - 1
		}
	}
	return "", 0, false
}

// surrogateAt judges the \u escape at body[i:] (json.Valid has checked its
// six bytes) and returns how many bytes it spans with its pair, and the
// parser's words when it is half a pair: a high surrogate needs a low one
// right after it; a low one may not come first.
func surrogateAt(body []byte, i int) (int, string) {
	v := hex16(body[i+2 : i+6])
	switch {
	case v >= 0xDC00 && v <= 0xDFFF:
		return 6, "invalid high surrogate in string"
	case v < 0xD800 || v > 0xDBFF:
		return 6, ""
	case i+12 > len(body) || body[i+6] != '\\' || body[i+7] != 'u':
		return 6, "no low surrogate in string"
	}
	if lo := hex16(body[i+8 : i+12]); lo < 0xDC00 || lo > 0xDFFF {
		return 6, "invalid low surrogate in string"
	}
	return 12, ""
}

// hex16 reads four hex digits.
func hex16(b []byte) int {
	v, _ := strconv.ParseUint(string(b), 16, 16)
	return int(v)
}
