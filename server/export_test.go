package server

import "github.com/labstack/echo/v4"

// LimitJournals bounds the journals of the server's current run to n
// entries together, so that specs can reach the bound in a few requests.
// Call it before sending any request; loading a scenario undoes it.
func LimitJournals(s *Server, n int) { s.play.Load().LimitJournals(n) }

// AddPanicRoute registers a route whose handler panics, so the external
// specs can prove the recover middleware.
func AddPanicRoute(s *Server) {
	s.echo.GET("/_mock/test-panic", func(echo.Context) error { panic("boom") })
}
