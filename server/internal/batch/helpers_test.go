package batch_test

import (
	"bytes"
	"encoding/json"
)

// jsonMarshal encodes v as the results file does: compact, HTML unescaped.
func jsonMarshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}
