package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// MaxRequestBytes is the real API's request size limit for the Messages and
// Token Counting endpoints (32 MB); a larger body gets the 413 its edge sends.
const MaxRequestBytes = 32 << 20

// readBody reads a JSON request body, refusing bodies over MaxRequestBytes
// and content types other than JSON. A missing Content-Type is taken as JSON.
func readBody(c echo.Context) ([]byte, error) {
	st := state(c)
	if !st.bodyRead {
		st.body, st.bodyErr = readAll(c.Request())
		st.bodyRead = true
	}
	return st.body, st.bodyErr
}

// readAll reads a JSON request body of at most MaxRequestBytes.
func readAll(req *http.Request) ([]byte, error) {
	if req.ContentLength > MaxRequestBytes {
		return nil, errTooLarge
	}
	if ct := req.Header.Get("Content-Type"); ct != "" {
		media, _, err := mime.ParseMediaType(ct)
		if err != nil || media != "application/json" {
			return nil, invalid("content-type: expected application/json, got %q", ct)
		}
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, MaxRequestBytes+1))
	if err != nil {
		return nil, bodyError(err)
	}
	if len(body) > MaxRequestBytes {
		return nil, errTooLarge
	}
	return body, nil
}

// fields maps each JSON key an object accepts to the Go value it decodes
// into; nil means "accepted and ignored".
type fields map[string]any

// decodeObject decodes a JSON object strictly: unknown keys are refused with
// the real API's "Extra inputs are not permitted", and a value of the wrong
// type names its full path (e.g. "messages.0.role").
func decodeObject(raw []byte, path string, into fields) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return typeError(path, err, "Input should be a valid dictionary")
	}
	// Keys are visited in sorted order so that a body with several faults
	// always reports the same one.
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		value := obj[key]
		target, ok := into[key]
		if !ok {
			return invalid("%s: Extra inputs are not permitted", join(path, key))
		}
		if target == nil || isNull(value) {
			continue
		}
		if err := json.Unmarshal(value, target); err != nil {
			return typeError(join(path, key), err, "")
		}
	}
	return nil
}

// join builds the dotted field paths the real API uses in messages.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// typeError words a JSON type mismatch the way the real API (pydantic) does.
func typeError(path string, err error, fallback string) *APIError {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if typeErr.Field != "" {
			path = join(path, typeErr.Field)
		}
		return invalid("%s: %s", pathOrBody(path), expected(typeErr.Type))
	}
	if fallback == "" {
		fallback = "Input is invalid"
	}
	return invalid("%s: %s", pathOrBody(path), fallback)
}

func pathOrBody(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

// expected names the JSON type a Go type stands for.
func expected(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint64:
		return "Input should be a valid integer"
	case reflect.Float64, reflect.Float32:
		return "Input should be a valid number"
	case reflect.Bool:
		return "Input should be a valid boolean"
	case reflect.String:
		return "Input should be a valid string"
	case reflect.Slice:
		return "Input should be a valid list"
	default:
		return "Input should be a valid dictionary"
	}
}

// syntaxCheck reports malformed JSON before any field is looked at, the
// way the real API does: its JSON parser's (orjson's) words after "The
// request body is not valid JSON: ", then the line, column and character
// of the fault, counted in characters.
func syntaxCheck(body []byte) error {
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
		return invalid("body: Input should be a valid dictionary or object to extract fields from")
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
// (see the README), since a strict JSON parser does and a client sending
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
func notJSON(body []byte, msg string, at int) *APIError {
	line, col, char := position(body, at)
	return invalid("The request body is not valid JSON: %s: line %d column %d (char %d)", msg, line, col, char)
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

// stringOrBlocks is content that may be a plain string or a list of blocks.
type stringOrBlocks struct {
	isString bool
	text     string
	blocks   []json.RawMessage
}

// parseContent reads "content" (or "system") in either of its two forms.
func parseContent(raw json.RawMessage, path string) (stringOrBlocks, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return stringOrBlocks{}, typeError(path, err, "")
		}
		return stringOrBlocks{isString: true, text: s}, nil
	}
	var blocks []json.RawMessage
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return stringOrBlocks{}, invalid("%s: Input should be a valid string or a valid list", path)
	}
	return stringOrBlocks{blocks: blocks}, nil
}

// oneOf formats the real API's list of allowed values: 'a', 'b' or 'c'.
func oneOf(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "'" + v + "'"
	}
	if len(quoted) == 1 {
		return quoted[0]
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// decodeTag reads the "type" that tags a union value at path, with the real
// API's (pydantic's) errors for a value that is no object or has no tag.
func decodeTag(raw json.RawMessage, path string, tag *string) error {
	var v struct {
		Type *string `json:"type"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return typeError(path, err, "Input should be a valid dictionary")
	}
	if v.Type == nil {
		return invalid("%s: Unable to extract tag using discriminator 'type'", path)
	}
	*tag = *v.Type
	return nil
}
