package request

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/jsonscan"
)

// Fields maps each JSON key an object accepts to the Go value it decodes
// into; nil means "accepted and ignored". The control API decodes its
// bodies with it too, so both speak the same strict dialect.
type Fields map[string]any

// DecodeObject decodes a JSON object strictly: unknown keys are refused with
// the real API's "Extra inputs are not permitted", and a value of the wrong
// type names its full path (e.g. "messages.0.role").
func DecodeObject(raw []byte, path string, into Fields) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return TypeError(path, err, "Input should be a valid dictionary")
	}
	// Keys are visited in sorted order so that a body with several faults
	// always reports the same one.
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		value := obj[key]
		target, ok := into[key]
		if !ok {
			return apierror.Invalid("%s: Extra inputs are not permitted", join(path, key))
		}
		if target == nil || IsNull(value) {
			continue
		}
		if err := json.Unmarshal(value, target); err != nil {
			return TypeError(join(path, key), err, "")
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

// IsNull reports whether a raw value is JSON null, which a field treats as
// absent.
func IsNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// TypeError words a JSON type mismatch at path the way the real API
// (pydantic) does; fallback is said when err is no type mismatch ("Input
// is invalid" when empty).
func TypeError(path string, err error, fallback string) *apierror.Error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if typeErr.Field != "" {
			path = join(path, typeErr.Field)
		}
		return apierror.Invalid("%s: %s", pathOrBody(path), expected(typeErr.Type))
	}
	if fallback == "" {
		fallback = "Input is invalid"
	}
	return apierror.Invalid("%s: %s", pathOrBody(path), fallback)
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

// stringOrBlocks is content that may be a plain string or a list of blocks.
type stringOrBlocks struct {
	isString bool
	text     string
	blocks   list
}

// parseContent reads "content" (or "system") in either of its two forms.
func parseContent(v string, path loc) (stringOrBlocks, error) {
	switch v[0] {
	case '"':
		return stringOrBlocks{isString: true, text: jsonscan.Unquote(v)}, nil
	case '[':
		return stringOrBlocks{blocks: list{text: v, n: -1}}, nil
	}
	return stringOrBlocks{}, apierror.Invalid("%s: Input should be a valid string or a valid list", path)
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
