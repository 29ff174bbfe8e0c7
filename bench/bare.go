package main

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
)

// The bare handler's answers: what claudemock sends for the benchmark's
// request, fixed, so the bare handler does no work but the HTTP and the
// JSON decoding every server has to do.
const (
	fixedMessage = `{"model":"claude-haiku-4-5-20251001","id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant",` +
		`"content":[{"type":"text","text":"Bright morning light spills over quiet hills while the river hums along its stony bed."}],` +
		`"stop_reason":"end_turn","stop_sequence":null,"stop_details":null,"usage":{"input_tokens":11,"cache_creation_input_tokens":0,` +
		`"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":24,` +
		`"service_tier":"standard","inference_geo":"not_available"}}`
)

// fixedStream is a stream of the length claudemock sends for the request:
// start, block start, ping, eight deltas, block stop, delta, stop.
var fixedStream = func() []byte {
	var b []byte
	add := func(name, data string) { b = append(b, "event: "+name+"\ndata: "+data+"\n\n"...) }
	add("message_start", `{"type":"message_start","message":{"model":"claude-haiku-4-5-20251001","id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"stop_details":null,"usage":{"input_tokens":11,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard","inference_geo":"not_available"}}}`)
	add("content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`)
	add("ping", `{"type": "ping"}`)
	for i := 0; i < 8; i++ {
		add("content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" quiet hills while"}}`)
	}
	add("content_block_stop", `{"type":"content_block_stop","index":0}`)
	add("message_delta", `{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null,"stop_details":null},"usage":{"input_tokens":11,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":24}}`)
	add("message_stop", `{"type":"message_stop"}`)
	return b
}()

// bareHandler decodes the body, as any server must, and answers with the
// fixed message or stream.
func bareHandler() http.Handler {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.POST("/v1/messages", func(c echo.Context) error {
		var body struct {
			Stream bool `json:"stream"`
		}
		var all map[string]any
		if err := json.NewDecoder(c.Request().Body).Decode(&all); err != nil {
			return c.String(http.StatusBadRequest, err.Error())
		}
		body.Stream, _ = all["stream"].(bool)
		if !body.Stream {
			return c.Blob(http.StatusOK, "application/json", []byte(fixedMessage))
		}
		c.Response().Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		c.Response().WriteHeader(http.StatusOK)
		_, err := c.Response().Write(fixedStream)
		c.Response().Flush()
		return err
	})
	return e
}
