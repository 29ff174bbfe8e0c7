// The control API over HTTP: the /_mock/ routes, their guard and the
// handlers that read a body and hand it on: to the Go methods of
// control.go, or, for a change to an organization, to internal/control,
// which decodes and checks it.

package server

import (
	"crypto/subtle"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/control"
)

// controlRoutes registers the /_mock/ endpoints: each one a thin wrapper
// over a Server method.
func (s *Server) controlRoutes(e *echo.Echo) {
	e.GET("/_mock/health", s.health)
	guard := s.guardControl
	e.GET("/_mock/state", func(c echo.Context) error {
		_, ns, err := s.selected(c)
		if err != nil {
			return err
		}
		return writeJSON(c, http.StatusOK, s.stateOf(ns))
	}, guard)
	e.POST("/_mock/reset", s.postReset, guard)
	e.GET("/_mock/clock", s.getClock, guard)
	e.PUT("/_mock/clock", s.putClock, guard)
	e.POST("/_mock/clock/advance", s.advanceClock, guard)
	e.PUT("/_mock/organizations", s.putOrganizations, guard)
	e.PUT("/_mock/organizations/:id", s.putOrganization, guard)
	e.POST("/_mock/organizations/:id/credits", s.postCredits, guard)
	e.PUT("/_mock/organizations/:id/workspaces/:ws", s.putWorkspace, guard)
	s.scenarioRoutes(e, guard)
	e.GET("/metrics", s.getMetrics, guard)
	e.GET("/_mock/ui", s.getUI, challenge, guard)
}

// postReset refills buckets and empties prompt caches: every test's
// without ?test= (or with ?test=*), one test's with ?test=NAME, the
// default namespace's with an empty ?test=. It answers with the state of
// the namespace reset (the default one's after a reset of all).
func (s *Server) postReset(c echo.Context) error {
	if !c.QueryParams().Has("test") || c.QueryParam("test") == "*" {
		s.Reset()
		return writeJSON(c, http.StatusOK, s.State())
	}
	_, ns, err := s.selected(c)
	if err != nil {
		return err
	}
	ns.Reset()
	return writeJSON(c, http.StatusOK, s.stateOf(ns))
}

// guardControl stands before every control endpoint but health. With
// Options.ControlToken it asks for Authorization: Bearer <token>, or Basic
// with the token as the password (what a browser sends once the
// dashboard's challenge was answered); and it
// refuses a change sent by a web page of another origin, so that a page
// the tester's browser opens cannot reset the mock or load a scenario.
func (s *Server) guardControl(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if want := s.opts.ControlToken; want != "" {
			got, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
			if !ok {
				_, got, ok = req.BasicAuth()
			}
			if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
				return &APIError{Type: Authentication, Message: "control API: Authorization: Bearer <control token> required"}
			}
		}
		if req.Method != http.MethodGet && crossOrigin(req) {
			return &APIError{Type: Permission, Message: "control API: cross-origin requests are refused (Origin: " + req.Header.Get("Origin") + ")"}
		}
		return next(c)
	}
}

// crossOrigin reports whether a browser sent the request from a page of
// another origin: an Origin header whose host is not the one addressed.
func crossOrigin(req *http.Request) bool {
	origin := req.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || u.Host != req.Host
}

// health answers the container healthcheck and start-up probes.
func (s *Server) health(c echo.Context) error {
	return writeJSON(c, http.StatusOK, map[string]string{"status": "ok"})
}

type clockBody struct {
	Mode string    `json:"mode"`
	Now  time.Time `json:"now"`
}

func (s *Server) getClock(c echo.Context) error {
	return writeJSON(c, http.StatusOK, clockBody{Mode: s.clock.Mode().String(), Now: s.clock.Now()})
}

// putClock sets virtual time: {"now": "2026-01-01T00:00:00Z"}.
func (s *Server) putClock(c echo.Context) error {
	body, err := readControlBody(c)
	if err != nil {
		return err
	}
	t, err := control.DecodeTime(body)
	if err != nil {
		return err
	}
	s.SetTime(t)
	return s.getClock(c)
}

// advanceClock moves virtual time forward: {"duration": "90s"} or
// {"seconds": 90}.
func (s *Server) advanceClock(c echo.Context) error {
	body, err := readControlBody(c)
	if err != nil {
		return err
	}
	d, err := control.DecodeAdvance(body)
	if err != nil {
		return err
	}
	if _, err := s.Advance(d); err != nil {
		return invalid("duration: %v", err)
	}
	return s.getClock(c)
}

// putOrganizations replaces the configured organizations with the
// organizations file in the body (YAML, or JSON, which is YAML too).
func (s *Server) putOrganizations(c echo.Context) error {
	body, err := readControlBody(c)
	if err != nil {
		return err
	}
	if err := s.SetOrganizations("request body", body); err != nil {
		return invalid("%v", err)
	}
	return writeJSON(c, http.StatusOK, s.State())
}

// postCredits deposits credits: {"amount": 40} (USD).
func (s *Server) postCredits(c echo.Context) error {
	body, err := readControlBody(c)
	if err != nil {
		return err
	}
	amount, err := control.DecodeAmount(body)
	if err != nil {
		return err
	}
	res, err := s.Deposit(c.Param("id"), amount)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, res)
}

// putWorkspace sets a workspace's monthly spend limit: {"spend_limit": 5}
// (USD; null removes it).
func (s *Server) putWorkspace(c echo.Context) error {
	body, err := readControlBody(c)
	if err != nil {
		return err
	}
	ch, err := control.DecodeWorkspace(c.Param("ws"), body)
	if err := s.apply(c.Param("id"), ch, err); err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, s.State())
}

// putOrganization changes an organization: {"tier": "tier-2"},
// {"limits": {"opus-4": {"requests_per_minute": 10}}}, {"credits": true},
// {"spend_limit": 10} — any of them. The whole body is checked before any
// of it applies: a refused part leaves the organization as it was.
func (s *Server) putOrganization(c echo.Context) error {
	body, err := readControlBody(c)
	if err != nil {
		return err
	}
	ch, err := s.orgs().Decode(body)
	if err := s.apply(c.Param("id"), ch, err); err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, s.State())
}

// readControlBody reads a control request's body, refusing one over
// MaxYAMLBytes with a 413 before decoding any of it. Its Content-Type is
// not judged: curl -d declares a form, and a test double's control API
// should take the JSON a README prints whatever the header says (the /v1/
// endpoints keep the real API's strictness).
func readControlBody(c echo.Context) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, MaxYAMLBytes+1))
	if err != nil {
		return nil, bodyError(err)
	}
	if len(body) > MaxYAMLBytes {
		return nil, &APIError{Type: RequestTooLarge, Message: "control API bodies are limited to 4 MiB"}
	}
	return body, nil
}
