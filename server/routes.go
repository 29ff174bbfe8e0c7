package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// routes builds the echo instance and its endpoints. A request meets, in
// order: stripPrefix before routing; then identify (namespace, random
// source, request id), accessLog and recoverPanic for every route, so the
// access log shows the request id and the 500 a recovered panic became;
// then, on the API routes, record (the journal) and authenticate, and the
// handler.
//
// Echo builds a request's middleware chain anew for every request (a
// closure per middleware, its own and the route's); here each chain is
// built once instead: a route's handler is registered already wrapped
// (chain), stripPrefix runs before echo (serveHTTP), and the one
// middleware given to echo hands back the chain of the three built once.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.renderError
	around := s.identify(s.accessLog(s.recoverPanic(routed)))
	e.Use(func(echo.HandlerFunc) echo.HandlerFunc { return around })

	// authenticate wraps each route rather than a group: a group's
	// middleware would swallow echo's 405 for a known path.
	// record comes first so that refused requests are journaled too.
	api := func(h echo.HandlerFunc) echo.HandlerFunc { return s.record(s.authenticate(h)) }
	e.POST("/v1/messages", api(s.createMessage))
	e.POST("/v1/messages/count_tokens", api(s.countTokens))
	e.GET("/v1/models", api(s.listModels))
	e.GET("/v1/models/:model_id", api(s.getModel))

	// The Files API (beta files-api-2025-04-14; answered with or without the
	// beta header, as the document's plain paths are). upload reads its own
	// multipart body, bounded by the Files API's request size.
	e.POST("/v1/files", s.uploadBody(api(s.uploadFile)))
	e.GET("/v1/files", api(s.listFiles))
	e.GET("/v1/files/:file_id", api(s.getFile))
	e.DELETE("/v1/files/:file_id", api(s.deleteFile))
	e.GET("/v1/files/:file_id/content", api(s.downloadFile))

	// The Admin API (issue 13): admin keys only, see admin.go.
	s.adminRoutes(e)

	// Message Batches (batches.go), plain and ?beta=true alike.
	e.POST("/v1/messages/batches", api(s.createBatch))
	e.GET("/v1/messages/batches", api(s.listBatches))
	e.GET("/v1/messages/batches/:id", api(s.getBatch))
	e.DELETE("/v1/messages/batches/:id", api(s.deleteBatch))
	e.POST("/v1/messages/batches/:id/cancel", api(s.cancelBatch))
	e.GET("/v1/messages/batches/:id/results", api(s.batchResults))

	s.controlRoutes(e)
	return e
}

// routed calls the handler echo's router found for the request (the route's,
// or its 404 or 405): the next step of a chain built before any request.
func routed(c echo.Context) error { return c.Handler()(c) }

// serveHTTP is the server's handler: stripPrefix, then echo.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	stripPrefix(r)
	s.echo.ServeHTTP(w, r)
}
