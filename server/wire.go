package server

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/wire"
)

// writeJSON sends v as an application/json response.
func writeJSON(c echo.Context, status int, v any) error {
	body, err := wire.Marshal(v)
	if err != nil {
		return err
	}
	return c.Blob(status, "application/json", body)
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

// itoa formats a count for a header value.
func itoa(i int) string { return strconv.Itoa(i) }
