package server

import (
	_ "embed"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
)

// dashboard is the live dashboard GET /_mock/ui serves: one page, its CSS
// and script inline, that polls the control API about once a second
// (docs/dashboard.md).
//
//go:embed ui/dashboard.html
var dashboard []byte

// dashboardPolicy keeps the page to itself: inline script and style, data
// from this server only, never framed by another site.
const dashboardPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; " +
	"connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// getUI serves the dashboard.
func (s *Server) getUI(c echo.Context) error {
	h := c.Response().Header()
	h.Set("Content-Security-Policy", dashboardPolicy)
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/html; charset=utf-8", dashboard)
}

// challenge asks a browser for the control token when guardControl
// refuses the dashboard: a page address cannot carry an Authorization
// header, so the browser prompts, and sends the token (as the password,
// any user name) on the page's own requests too.
func challenge(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.Type == Authentication {
			c.Response().Header().Set("WWW-Authenticate", `Basic realm="claudemock control API", charset="UTF-8"`)
		}
		return err
	}
}
