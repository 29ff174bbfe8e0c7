package server

import (
	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/models"
)

// listModels serves GET /v1/models: newest first, paged with after_id /
// before_id / limit, filtered by lifecycle[] (active and deprecated when
// none is given), each model's stage judged at the request's virtual time.
func (s *Server) listModels(c echo.Context) error {
	q := models.Query{Limit: c.QueryParam("limit"), Lifecycles: c.QueryParams()["lifecycle[]"],
		AfterID: c.QueryParam("after_id"), BeforeID: c.QueryParam("before_id")}
	page, err := models.List(s.catalog.Models(), q, state(c).now)
	if err != nil {
		return err
	}
	return writeJSON(c, 200, page)
}

// getModel serves GET /v1/models/{id}; an alias answers with the model it
// points to, as the real API does. A retired model is still described
// (lifecycle "retired"): the real API keeps it as the record of its retirement.
func (s *Server) getModel(c echo.Context) error {
	id := c.Param("model_id")
	m, ok := s.catalog.Lookup(id)
	if !ok {
		return &APIError{Type: NotFound, Message: "model: " + id}
	}
	return writeJSON(c, 200, models.Describe(m, state(c).now))
}
