package wire

import (
	"bytes"
	"encoding/json"
)

// Marshal encodes without HTML escaping (as the real API does) and without
// the encoder's trailing newline.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// RawData is an event's data line exactly as the real API writes it.
type RawData []byte

// Frame encodes one event in the real API's framing, "event: <name>\ndata:
// <one-line JSON>\n\n", into buf (reset first), and returns buf's bytes,
// valid until buf is used again. Data already in wire form (RawData) is
// sent as it is.
func Frame(buf *bytes.Buffer, name string, data any) ([]byte, error) {
	payload, ok := data.(RawData)
	if !ok {
		var err error
		if payload, err = Marshal(data); err != nil {
			return nil, err
		}
	}
	buf.Reset()
	buf.WriteString("event: ")
	buf.WriteString(name)
	buf.WriteString("\ndata: ")
	buf.Write(payload)
	buf.WriteString("\n\n")
	return buf.Bytes(), nil
}
