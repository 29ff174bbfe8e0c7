package server

import (
	"github.com/labstack/echo/v4"

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
