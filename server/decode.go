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
	"strings"

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
		return nil, invalid("The request body could not be read: %v", err)
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

// syntaxCheck reports malformed JSON with the real API's prefix and the
// position of the fault, before any field is looked at.
func syntaxCheck(body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return invalid("The request body is not valid JSON: Expecting value: line 1 column 1 (char 0)")
	}
	if json.Valid(body) {
		if body = bytes.TrimSpace(body); body[0] != '{' {
			return invalid("body: Input should be a valid dictionary or object to extract fields from")
		}
		return nil
	}
	// Only a faulty body is decoded here, to learn where the fault is.
	var syntaxErr *json.SyntaxError
	err := json.Unmarshal(body, new(json.RawMessage))
	if errors.As(err, &syntaxErr) {
		at := max(syntaxErr.Offset-1, 0) // Offset counts the offending byte
		line, col := position(body, at)
		return invalid("The request body is not valid JSON: %s: line %d column %d (char %d)",
			syntaxErr.Error(), line, col, at)
	}
	return invalid("The request body is not valid JSON: %v", err)
}

// position turns a byte offset into a 1-based line and column.
func position(body []byte, offset int64) (line, col int) {
	if offset > int64(len(body)) {
		offset = int64(len(body))
	}
	before := body[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
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
