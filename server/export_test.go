package server

import "github.com/labstack/echo/v4"

// AddPanicRoute registers a route whose handler panics, so the external
// specs can prove the recover middleware.
func AddPanicRoute(s *Server) {
	s.echo.GET("/_mock/test-panic", func(echo.Context) error { panic("boom") })
}
