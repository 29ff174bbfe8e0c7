package wire

import (
	"bytes"
	"encoding/json"
	"sync"
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

// Buffer encodes as Marshal does into a buffer it keeps, so that an answer
// is encoded without allocating: take one with GetBuffer, give it back
// with Put once its bytes are written.
type Buffer struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// maxPooled is the largest buffer Put keeps: a rare huge answer should not
// pin its memory in the pool.
const maxPooled = 256 << 10

var buffers = sync.Pool{New: func() any {
	b := new(Buffer)
	b.enc = json.NewEncoder(&b.buf)
	b.enc.SetEscapeHTML(false)
	return b
}}

// GetBuffer is a Buffer from the pool.
func GetBuffer() *Buffer { return buffers.Get().(*Buffer) }

// Put gives b back to the pool; its bytes must not be used after.
func (b *Buffer) Put() {
	if b.buf.Cap() <= maxPooled {
		buffers.Put(b)
	}
}

// Encode is Marshal(v) into b: the bytes are valid until b is used again.
// A *Message is appended without the encoder's reflection when it can be
// (appendMessage), to the same bytes.
func (b *Buffer) Encode(v any) ([]byte, error) {
	b.buf.Reset()
	if msg, ok := v.(*Message); ok {
		if out, ok := appendMessage(b.buf.AvailableBuffer(), msg); ok {
			b.buf.Write(out) // appended in b's free space, as AvailableBuffer intends
			return b.buf.Bytes(), nil
		}
	}
	if err := b.enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.buf.Bytes(), []byte("\n")), nil
}

// Frame is Frame(name, data) encoded into b: the frame's bytes, valid
// until b is used again. The encoder's trailing newline is the first of
// the two that end the frame.
func (b *Buffer) Frame(name string, data any) ([]byte, error) {
	b.buf.Reset()
	b.buf.WriteString("event: ")
	b.buf.WriteString(name)
	b.buf.WriteString("\ndata: ")
	if raw, ok := data.(RawData); ok {
		b.buf.Write(raw)
		b.buf.WriteByte('\n')
	} else if out, ok := appendEvent(b.buf.AvailableBuffer(), data); ok {
		b.buf.Write(out) // appended in b's free space, as AvailableBuffer intends
		b.buf.WriteByte('\n')
	} else if err := b.enc.Encode(data); err != nil {
		return nil, err
	}
	b.buf.WriteByte('\n')
	return b.buf.Bytes(), nil
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

// malformed are the broken frames of a malformed_event fault: "json" is a
// data line whose JSON stops halfway; "frame" is a data line without its
// colon, which SSE parsers take for an unknown field, leaving the event
// empty.
var malformed = map[string]string{
	"json":  "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_del\n\n",
	"frame": "event: content_block_delta\ndata{\"type\":\"content_block_delta\",\"index\":0}\n\n",
}

// Malformed is the broken frame of the given kind ("json" or "frame").
func Malformed(kind string) []byte { return []byte(malformed[kind]) }
