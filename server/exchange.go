package server

import (
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/request"
	"github.com/claudemock/claudemock/server/internal/run"
	"github.com/claudemock/claudemock/server/internal/scenario"
	"github.com/claudemock/claudemock/server/internal/tokens"
	"github.com/claudemock/claudemock/server/internal/wire"
)

// exchange is one API request and its answer, from arrival to its journal
// entry. The middleware fills in the first half (identify: id, random
// source, namespace; record: the journal entry; authenticate: the key);
// the handler's steps, methods of exchange in the order the package doc
// lists them, fill in the second, each recording what it learned in
// outcome. The middleware and handlers reach it through their context,
// which is its ctx.
type exchange struct {
	s   *Server
	c   echo.Context // &ctx
	ctx apiContext
	id  string
	rng *rand.Rand
	key string
	// src and rand are rng's source and generator, kept here rather than
	// allocated apart.
	src  rand.PCG
	rand rand.Rand
	// hdr holds the values of the headers the exchange sets.
	hdr headerScratch
	now time.Time // virtual time, read once when the request arrives
	// began is the wall time the request arrived, for its latency.
	began time.Time
	// acct is whom the request's key bills and limits, resolved once on
	// arrival (an unknown or missing key resolves to the default
	// organization, which only authenticate may then refuse).
	acct accounts.Account
	// adminOrg is the organization of an Admin API key, set by
	// authenticateAdmin.
	adminOrg string

	// body is read once, by the journal or the handler, whichever is first.
	body     []byte
	bodyErr  error
	bodyRead bool

	// play is the run as it stood when the request arrived, and ns the
	// namespace of the test the request names in it; nil when the name was
	// refused, and refusal is then the 400 the request gets.
	play    *run.Run
	ns      *run.Namespace
	refusal error
	// entry is the request's journal entry; identified is set once the
	// handler has told it the model.
	entry      *journal.Entry
	identified bool
	// outcome collects what the steps learned, for the journal.
	outcome journal.Outcome

	// What the steps find, in the order they find it.
	p      *request.Request // validate
	scen   scenario.Request // strike: the request as scenarios match it
	fault  *scenario.Action // strike: a fault that acts on delivery
	billed billing.Account  // checkSpend
	plan   tokens.Plan      // admit: the prompt cache's plan
	adm    limits.Admission // admit
	msg    wire.Message     // compose, settle
}

// apiContext is the echo context the middleware below identify and the
// handlers see: echo's own, with the request's exchange beside it, so that
// state finds the exchange without echo's per-request store (its first
// Set allocates a map on every request).
type apiContext struct {
	echo.Context
	x *exchange
}

// Error renders err with this context rather than echo's inner one, so
// that the error handler finds the exchange (the request id) in it.
func (c *apiContext) Error(err error) { c.x.s.renderError(err, c) }

// state is the exchange of an echo context; an empty one for a context
// identify never saw.
func state(c echo.Context) *exchange {
	if ac, ok := c.(*apiContext); ok {
		return ac.x
	}
	return &exchange{}
}

// header is the response's header, which the steps write as they go.
func (x *exchange) header() http.Header { return x.c.Response().Header() }
