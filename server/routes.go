package server

import (
	"github.com/labstack/echo/v4"
)

// routes builds the echo instance and its endpoints. A request meets, in
// order: stripPrefix before routing; then identify (namespace, random
// source, request id), accessLog and recoverPanic for every route, so the
// access log shows the request id and the 500 a recovered panic became;
// then, on the API routes, record (the journal) and authenticate, and the
// handler.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.renderError
	e.Pre(stripPrefix)
	e.Use(s.identify, s.accessLog, s.recoverPanic)

	// authenticate wraps each route rather than a group: a group's
	// middleware would swallow echo's 405 for a known path.
	// record comes first so that refused requests are journaled too.
	e.POST("/v1/messages", s.createMessage, s.record, s.authenticate)
	e.POST("/v1/messages/count_tokens", s.countTokens, s.record, s.authenticate)
	e.GET("/v1/models", s.listModels, s.record, s.authenticate)
	e.GET("/v1/models/:model_id", s.getModel, s.record, s.authenticate)

	// The Files API (beta files-api-2025-04-14; answered with or without the
	// beta header, as the document's plain paths are). upload reads its own
	// multipart body, bounded by the Files API's request size.
	e.POST("/v1/files", s.uploadFile, s.uploadBody, s.record, s.authenticate)
	e.GET("/v1/files", s.listFiles, s.record, s.authenticate)
	e.GET("/v1/files/:file_id", s.getFile, s.record, s.authenticate)
	e.DELETE("/v1/files/:file_id", s.deleteFile, s.record, s.authenticate)
	e.GET("/v1/files/:file_id/content", s.downloadFile, s.record, s.authenticate)

	// The Admin API (issue 13): admin keys only, see admin.go.
	s.adminRoutes(e)

	// Message Batches (batches.go), plain and ?beta=true alike.
	e.POST("/v1/messages/batches", s.createBatch, s.record, s.authenticate)
	e.GET("/v1/messages/batches", s.listBatches, s.record, s.authenticate)
	e.GET("/v1/messages/batches/:id", s.getBatch, s.record, s.authenticate)
	e.DELETE("/v1/messages/batches/:id", s.deleteBatch, s.record, s.authenticate)
	e.POST("/v1/messages/batches/:id/cancel", s.cancelBatch, s.record, s.authenticate)
	e.GET("/v1/messages/batches/:id/results", s.batchResults, s.record, s.authenticate)

	s.controlRoutes(e)
	return e
}
