package server

import (
	"io"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/generate"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

func requestID(c echo.Context) string { return state(c).id }

// stripPrefix lets a base URL carry a path prefix: the SDKs join
// "<base>/v1/messages", so "/anthropic/v1/messages" is routed as
// "/v1/messages". The query (e.g. ?beta=true) never takes part in routing.
// It runs before echo routes the request.
func stripPrefix(req *http.Request) {
	for _, root := range [...]string{"/v1/", "/_mock/"} {
		if i := strings.Index(req.URL.Path, root); i > 0 {
			req.URL.Path = req.URL.Path[i:]
			req.URL.RawPath = ""
			return
		}
	}
}

// identify gives every request its namespace (the test it names), its
// sequence number in that namespace, its own random source derived from
// (seed, namespace, sequence) and its request id, and sets the request-id
// header. Deriving the source from the sequence keeps responses
// byte-identical for the same seed and request order, and numbering per
// namespace keeps a test's bytes from depending on what parallel tests did.
// What follows it sees the exchange's context (apiContext), not echo's.
func (s *Server) identify(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error { return next(s.arrive(c).c) }
}

// arrive is identify's work: the exchange of a request arriving on c.
func (s *Server) arrive(c echo.Context) *exchange {
	now := s.clock.Now()
	play := s.play.Load()
	st := &exchange{s: s, now: now, began: time.Now(), play: play}
	st.ctx = apiContext{Context: c, x: st}
	st.c = &st.ctx
	var seq, mix uint64
	if st.ns, st.refusal = namespaceOf(play, c.Request(), now); st.refusal != nil {
		seq, mix = play.NextRefused()
	} else {
		seq, mix = st.ns.Next()
	}
	st.src.Seed(play.Seed^mix, seq)
	st.rand = *rand.New(&st.src) // in the exchange: no allocation of its own
	st.rng = &st.rand
	st.id = generate.ID(st.rng, "req_011C", 20)
	st.hdr.put(c.Response().Header(), headerRequestID, st.id)
	return st
}

// recoverPanic turns a panic anywhere below it into a 500 api_error and one
// log line with the stack; the client never sees Go internals.
func (s *Server) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.logf("panic on %s %s (request %s): %v\n%s",
					c.Request().Method, c.Request().URL.EscapedPath(), requestID(c), r, debug.Stack())
				err = &APIError{Type: APIFailure, Message: APIFailure.message()}
			}
		}()
		return next(c)
	}
}

// accessLog writes one line per request, the path as sent on the wire
// (escaped), so that a %0a in a URL cannot forge a second log line, and
// the test a request named, quoted, so that the interleaved lines of
// parallel tests can be told apart. API keys are never logged. The line is
// not even built when the logger discards it.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		if s.logger.Writer() == io.Discard {
			return nil
		}
		var buf [256]byte
		line := accessLine(buf[:0], c, time.Since(start).Round(time.Microsecond))
		_ = s.logger.Output(1, string(line)) // 1: as Printf
		return nil
	}
}

// accessLine appends the access log's line for c to dst: method, escaped
// path, status, request id, duration, and the test it named, as
// fmt's "%s %s %d %s %s test %q" would write them.
func accessLine(dst []byte, c echo.Context, took time.Duration) []byte {
	dst = append(dst, c.Request().Method...)
	dst = append(dst, ' ')
	dst = append(dst, c.Request().URL.EscapedPath()...)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(c.Response().Status), 10)
	dst = append(dst, ' ')
	dst = append(dst, requestID(c)...)
	dst = append(dst, ' ')
	dst = append(dst, took.String()...)
	if ns := state(c).ns; ns != nil && ns.Name != "" {
		dst = append(dst, " test "...)
		dst = strconv.AppendQuote(dst, ns.Name)
	}
	return dst
}

// authenticate checks the credentials and the version header in the order
// the real API does, after the edge's size check: a missing key is a 401
// even when the version is missing too. The key is kept for the handlers'
// organization lookup. An Admin API key, or a key the Admin API made
// inactive, is refused like an unknown one.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return s.authenticateAs(false, next)
}

// authenticateAdmin is authenticate for the Admin API: only an admin key
// passes, and the organization it belongs to is kept for the handlers.
func (s *Server) authenticateAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return s.authenticateAs(true, next)
}

// authenticateAs is the one path both kinds of key take: the same checks
// in the same order, only which keys are valid differs.
func (s *Server) authenticateAs(admin bool, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		// The edge refuses an oversized body before the API sees the
		// request, so its 413 comes before any credential check.
		if _, err := readBody(c); err == errTooLarge {
			return err
		}
		h := c.Request().Header
		key := requestKey(h)
		if key == "" {
			return &APIError{Type: Authentication, Message: "x-api-key header is required"}
		}
		if !s.validKey(c, key, admin) {
			return &APIError{Type: Authentication, Message: "invalid x-api-key"}
		}
		if strings.TrimSpace(h.Get("Anthropic-Version")) == "" {
			return invalid("anthropic-version: header is required")
		}
		state(c).key = key
		return next(c)
	}
}

// validKey reports whether key may call an API (admin: the Admin API) and
// sets the headers naming whom it belongs to. An admin key is valid only
// on the Admin API and only there; an API key only when the server's key
// list (if any) has it and the Admin API has not made it inactive.
func (s *Server) validKey(c echo.Context, key string, admin bool) bool {
	if admin {
		org, ok := s.accounts.AdminOrg(key)
		if ok {
			st := state(c)
			st.adminOrg = org
			st.hdr.put(c.Response().Header(), headerOrganization, org)
		}
		return ok
	}
	if strings.HasPrefix(key, orgs.AdminKeyPrefix) || (s.keys != nil && !s.keys[key]) || !s.accounts.Active(key) {
		return false
	}
	st := state(c)
	st.accountHeaders(c.Response().Header())
	return true
}

// accountHeaders names the organization and workspace a key resolved to.
// Real answers carry both on every answer after the key is authenticated,
// errors included (recorded 400s and 404s), and neither on a 401 or on the
// edge's 413.
func (x *exchange) accountHeaders(h http.Header) {
	x.hdr.put(h, headerOrganization, x.acct.OrgID)
	x.hdr.put(h, headerWorkspace, x.acct.WorkspaceHeader())
}

func bearer(header string) string {
	const prefix = "bearer "
	if len(header) > len(prefix) && strings.EqualFold(header[:len(prefix)], prefix) {
		return strings.TrimSpace(header[len(prefix):])
	}
	return ""
}

// requestKey is the API key a request carries: x-api-key, or else an
// Authorization: Bearer token; "" when neither.
func requestKey(h http.Header) string {
	if key := h.Get("X-Api-Key"); key != "" {
		return key
	}
	return bearer(h.Get("Authorization"))
}
