package server

import (
	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/wire"
)

// writeJSON sends v as an application/json response, as echo's Blob
// would (the content type only when none is set), encoded in a pooled
// buffer.
func writeJSON(c echo.Context, status int, v any) error {
	b := wire.GetBuffer()
	defer b.Put()
	body, err := b.Encode(v)
	if err != nil {
		return err
	}
	return writeBody(c, status, "application/json", body)
}

// writeBody is echo's Blob with the content type set through the
// exchange's header scratch.
func writeBody(c echo.Context, status int, contentType string, body []byte) error {
	r := c.Response()
	if h := r.Header(); h.Get(headerContentType) == "" {
		state(c).hdr.put(h, headerContentType, contentType)
	}
	r.WriteHeader(status)
	_, err := r.Write(body)
	return err
}

// contextManagementFor is the context_management value an answer to p
// carries, nil when the request did not ask for it (the key is then left
// out, as real answers to requests without it do).
func contextManagementFor(p *request.Request) *wire.ContextManagement {
	if !p.ContextManagement {
		return nil
	}
	return &wire.ContextManagement{AppliedEdits: []any{}}
}
