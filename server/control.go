package server

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"maps"
	"math"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/quota"
	"github.com/claudemock/claudemock/server/internal/yamlfile"
)

// State is everything the control API shows: the clock, the
// organizations and every bucket's level.
type State struct {
	Now           time.Time           `json:"now"`
	Clock         string              `json:"clock"`
	Organizations []OrganizationState `json:"organizations"`
	Buckets       []BucketState       `json:"buckets"`
}

// OrganizationState is one organization as State (and the control API)
// shows it: its tier, workspaces, spend this month and credits.
type OrganizationState struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Tier       string   `json:"tier"`
	Default    bool     `json:"default"`
	Workspaces []string `json:"workspaces"`
	// Spend and credits, in USD, for the month of the state's time.
	SpentThisMonth float64 `json:"spent_this_month"`
	CreditsEnabled bool    `json:"credits_enabled"`
	Balance        float64 `json:"balance"`
	Purchased      float64 `json:"purchased"`

	// DefaultWorkspaceID is what anthropic-workspace-id says for the keys
	// of the organization's default workspace.
	DefaultWorkspaceID string `json:"default_workspace_id"`
}

// BucketState is one token bucket: what it limits, its per-window limit,
// its capacity (the burst), its level now and when it will be full again.
type BucketState struct {
	Scope     string    `json:"scope"`
	Family    string    `json:"family"`
	Dimension string    `json:"dimension"`
	Limit     float64   `json:"limit"`
	Capacity  float64   `json:"capacity"`
	Level     float64   `json:"level"`
	FullAt    time.Time `json:"full_at"`
}

// Now is the server's virtual time.
func (s *Server) Now() time.Time { return s.clock.Now() }

// Advance moves virtual time forward by d (refused when negative).
func (s *Server) Advance(d time.Duration) (time.Time, error) { return s.clock.Advance(d) }

// SetTime moves virtual time to t, forwards or backwards.
func (s *Server) SetTime(t time.Time) { s.clock.Set(t) }

// Reset refills every bucket and empties the prompt cache, of every test
// (ResetTest one test's).
func (s *Server) Reset() {
	for _, ns := range s.play.Load().all() {
		ns.reset()
	}
}

// DefaultOrganization is the id of the organization unconfigured keys use.
func (s *Server) DefaultOrganization() string { return s.accounts.defaultID() }

// SetTier moves an organization to the named tier of the catalogue.
func (s *Server) SetTier(orgID, tierName string) error {
	tier, ok := s.catalog.Tier(tierName)
	if !ok {
		return invalid("tier: no tier named %q in the catalogue", tierName)
	}
	if err := s.accounts.setTier(orgID, tier); err != nil {
		return &APIError{Type: NotFound, Message: err.Error()}
	}
	return nil
}

// SetOrganizations replaces the configured organizations with those of an
// organizations file (YAML), as --orgs would have loaded them, granting
// the credits they declare. Keys of the old organizations fall back to the
// default one.
func (s *Server) SetOrganizations(file string, data []byte) error {
	configured, err := loadOrganizations(s.catalog, Options{Organizations: data, OrganizationsFile: file})
	if err != nil {
		return err
	}
	s.accounts.replace(s.catalog, configured)
	s.grantCredits(configured)
	return nil
}

// SetLimits gives an organization limits of its own over its tier's:
// family (or "default") → dimension (e.g. "requests_per_minute") → limit.
func (s *Server) SetLimits(orgID string, limits map[string]map[string]int) error {
	parsed, err := s.parseLimits(limits)
	if err != nil {
		return err
	}
	if err := s.accounts.setLimits(orgID, parsed); err != nil {
		return &APIError{Type: NotFound, Message: err.Error()}
	}
	return nil
}

// parseLimits checks families and dimensions by name and turns them into
// the catalogue's Limits.
func (s *Server) parseLimits(in map[string]map[string]int) (map[string]catalog.Limits, error) {
	out := map[string]catalog.Limits{}
	for _, family := range slices.Sorted(maps.Keys(in)) {
		if family != "default" && !s.isFamily(family) {
			return nil, invalid("limits: %q is not a model family or \"default\"", family)
		}
		var l catalog.Limits
		for _, name := range slices.Sorted(maps.Keys(in[family])) {
			n := in[family][name]
			field := limitField(&l, name)
			switch {
			case field == nil:
				return nil, invalid("limits.%s.%s: not a limit dimension", family, name)
			case n <= 0:
				return nil, invalid("limits.%s.%s: must be > 0, got %d", family, name, n)
			}
			*field = n
		}
		out[family] = l
	}
	return out, nil
}

// orgPriority applies the Priority Tier commitments of a putOrganization
// body: model → {"input_tokens_per_minute": n, "output_tokens_per_minute": n}.
func (s *Server) orgPriority(orgID string, priority map[string]map[string]json.RawMessage) error {
	if priority == nil {
		return nil
	}
	ints, err := intLimits(priority)
	if err != nil {
		return invalid("priority%s", strings.TrimPrefix(err.Error(), string(InvalidRequest)+": limits"))
	}
	for _, model := range slices.Sorted(maps.Keys(ints)) {
		for name := range ints[model] {
			if name != "input_tokens_per_minute" && name != "output_tokens_per_minute" {
				return invalid("priority.%s.%s: not a Priority Tier dimension", model, name)
			}
		}
		in, out := ints[model]["input_tokens_per_minute"], ints[model]["output_tokens_per_minute"]
		if err := s.SetPriority(orgID, model, in, out); err != nil {
			return err
		}
	}
	return nil
}

// orgSpend applies the credits switch and the spend limit of a
// putOrganization body.
func (s *Server) orgSpend(orgID string, credits *bool, spendLimit json.RawMessage) error {
	if credits != nil {
		if err := s.EnableCredits(orgID, *credits); err != nil {
			return err
		}
	}
	if spendLimit == nil {
		return nil
	}
	dollars, err := optionalDollars(spendLimit)
	if err != nil {
		return err
	}
	return s.SetSpendLimit(orgID, "", dollars)
}

// intLimits reads each limit value as an integer, naming its full path
// when it is not one.
func intLimits(raw map[string]map[string]json.RawMessage) (map[string]map[string]int, error) {
	out := map[string]map[string]int{}
	for _, family := range slices.Sorted(maps.Keys(raw)) {
		out[family] = map[string]int{}
		for _, name := range slices.Sorted(maps.Keys(raw[family])) {
			var n int
			if err := json.Unmarshal(raw[family][name], &n); err != nil {
				return nil, typeError("limits."+family+"."+name, err, "Input should be a valid integer")
			}
			out[family][name] = n
		}
	}
	return out, nil
}

func (s *Server) isFamily(name string) bool {
	for _, m := range s.catalog.Models() {
		if m.Family == name {
			return true
		}
	}
	return false
}

// limitField points at the field of l a dimension name stands for.
func limitField(l *catalog.Limits, name string) *int {
	switch name {
	case dimRequests:
		return &l.RequestsPerMinute
	case dimInputTokens:
		return &l.InputTokensPerMinute
	case dimOutputTokens:
		return &l.OutputTokensPerMinute
	case dimTokens:
		return &l.TokensPerMinute
	case dimTokensPerDay:
		return &l.TokensPerDay
	case dimRequestsPerDay:
		return &l.RequestsPerDay
	case dimRequestsMonth:
		return &l.RequestsPerMonth
	}
	return nil
}

// State reports the clock, the organizations and every bucket of the
// requests that name no test (StateFor one test's buckets).
func (s *Server) State() State { return s.StateFor("") }

// stateOf reports the clock, the organizations, shared by every test, and
// the buckets of ns.
func (s *Server) stateOf(ns *namespace) State {
	now := s.clock.Now()
	out := State{Now: now, Clock: s.clock.Mode().String(), Organizations: s.accounts.list(), Buckets: []BucketState{}}
	spend := map[string]billing.OrgSnapshot{}
	for _, o := range s.book.Snapshot(now).Orgs {
		spend[o.Org] = o
	}
	for i := range out.Organizations {
		o := spend[out.Organizations[i].ID]
		out.Organizations[i].SpentThisMonth, out.Organizations[i].CreditsEnabled = o.Spent.USD(), o.CreditsEnabled
		out.Organizations[i].Balance, out.Organizations[i].Purchased = o.Balance.USD(), o.Purchased.USD()
	}
	for _, st := range ns.limiter.Snapshot(now) {
		out.Buckets = append(out.Buckets, bucketState(st))
	}
	return out
}

func bucketState(st quota.State) BucketState {
	return BucketState{
		Scope: st.Key.Scope, Family: st.Key.Family, Dimension: st.Key.Dimension,
		Limit: limitOf(st), Capacity: st.Limit.Capacity, Level: st.Level, FullAt: st.FullAt,
	}
}

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
	ns.reset()
	return writeJSON(c, http.StatusOK, s.stateOf(ns))
}

// guardControl stands before every control endpoint but health. With
// Options.ControlToken it asks for Authorization: Bearer <token>; and it
// refuses a change sent by a web page of another origin, so that a page
// the tester's browser opens cannot reset the mock or load a scenario.
func (s *Server) guardControl(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if want := s.opts.ControlToken; want != "" {
			got, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
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
	var body struct {
		Now *string `json:"now"`
	}
	if err := decodeControl(c, fields{"now": &body.Now}); err != nil {
		return err
	}
	if body.Now == nil {
		return invalid("now: Field required")
	}
	t, err := time.Parse(time.RFC3339Nano, *body.Now)
	if err != nil {
		return invalid("now: %q is not an RFC 3339 time such as \"2026-01-01T00:00:00Z\"", *body.Now)
	}
	s.SetTime(t)
	return s.getClock(c)
}

// advanceClock moves virtual time forward: {"duration": "90s"} or
// {"seconds": 90}.
func (s *Server) advanceClock(c echo.Context) error {
	var body struct {
		Duration *string  `json:"duration"`
		Seconds  *float64 `json:"seconds"`
	}
	if err := decodeControl(c, fields{"duration": &body.Duration, "seconds": &body.Seconds}); err != nil {
		return err
	}
	d, err := advanceBy(body.Duration, body.Seconds)
	if err != nil {
		return err
	}
	if _, err := s.Advance(d); err != nil {
		return invalid("duration: %v", err)
	}
	return s.getClock(c)
}

func advanceBy(duration *string, seconds *float64) (time.Duration, error) {
	switch {
	case duration != nil && seconds != nil:
		return 0, invalid("give either duration or seconds, not both")
	case duration != nil:
		d, err := time.ParseDuration(*duration)
		if err != nil {
			return 0, invalid("duration: %q is not a duration such as \"90s\" or \"1h30m\"", *duration)
		}
		return d, nil
	case seconds != nil:
		return secondsDuration(*seconds)
	}
	return 0, invalid("duration: Field required (or seconds)")
}

// maxAdvanceSeconds is the longest advance a time.Duration holds (about 292
// years); a larger float would wrap around to a negative duration.
const maxAdvanceSeconds = float64(math.MaxInt64 / int64(time.Second))

// secondsDuration converts an advance in seconds, refusing what no
// duration can hold before converting, so that 1e300 is named as itself.
func secondsDuration(seconds float64) (time.Duration, error) {
	if !(seconds >= 0 && seconds <= maxAdvanceSeconds) {
		return 0, invalid("seconds: must be between 0 and %.0f (about 292 years), got %g", maxAdvanceSeconds, seconds)
	}
	return time.Duration(seconds * float64(time.Second)), nil
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
	var amount *float64
	if err := decodeControl(c, fields{"amount": &amount}); err != nil {
		return err
	}
	if amount == nil {
		return invalid("amount: Field required")
	}
	res, err := s.Deposit(c.Param("id"), *amount)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, res)
}

// putWorkspace sets a workspace's monthly spend limit: {"spend_limit": 5}
// (USD; null removes it).
func (s *Server) putWorkspace(c echo.Context) error {
	var limit json.RawMessage
	if err := decodeControl(c, fields{"spend_limit": &limit}); err != nil {
		return err
	}
	dollars, err := optionalDollars(limit)
	if err != nil {
		return err
	}
	if err := s.SetSpendLimit(c.Param("id"), c.Param("ws"), dollars); err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, s.State())
}

// optionalDollars reads a spend limit that may be null.
func optionalDollars(raw json.RawMessage) (*float64, error) {
	if raw == nil || isNull(raw) {
		return nil, nil
	}
	var v float64
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, typeError("spend_limit", err, "Input should be a valid number")
	}
	return &v, nil
}

// putOrganization changes an organization: {"tier": "tier-2"},
// {"limits": {"opus-4": {"requests_per_minute": 10}}}, {"credits": true},
// {"spend_limit": 10} — any of them.
func (s *Server) putOrganization(c echo.Context) error {
	var body struct {
		Tier       *string
		Limits     map[string]map[string]json.RawMessage
		Credits    *bool
		SpendLimit json.RawMessage
		Priority   map[string]map[string]json.RawMessage
	}
	f := fields{"tier": &body.Tier, "limits": &body.Limits, "credits": &body.Credits, "spend_limit": &body.SpendLimit, "priority": &body.Priority}
	if err := decodeControl(c, f); err != nil {
		return err
	}
	if body.Tier == nil && body.Limits == nil && body.Credits == nil && body.SpendLimit == nil && body.Priority == nil {
		return invalid("tier, limits, credits, spend_limit or priority: Field required")
	}
	if err := s.orgPriority(c.Param("id"), body.Priority); err != nil {
		return err
	}
	if err := s.orgSpend(c.Param("id"), body.Credits, body.SpendLimit); err != nil {
		return err
	}
	if body.Tier != nil {
		if err := s.SetTier(c.Param("id"), *body.Tier); err != nil {
			return err
		}
	}
	if body.Limits != nil {
		limits, err := intLimits(body.Limits)
		if err != nil {
			return err
		}
		if err := s.SetLimits(c.Param("id"), limits); err != nil {
			return err
		}
	}
	return writeJSON(c, http.StatusOK, s.State())
}

// decodeControl reads a control request body strictly, naming the field
// of any fault.
func decodeControl(c echo.Context, into fields) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	if err := syntaxCheck(body); err != nil {
		return err
	}
	return decodeObject(body, "", into)
}

// MaxYAMLBytes bounds every YAML file the mock takes (tiers, organizations,
// scenarios), whether read from disk (ReadYAML) or sent to the control API
// (413 above it): ready scenarios are a few KiB, and decoding a file of tens
// of MiB would cost the server gigabytes.
const MaxYAMLBytes = yamlfile.MaxBytes

// ReadYAML reads a YAML file for the mock, refusing one over MaxYAMLBytes
// by its size before reading it.
func ReadYAML(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil {
		if err := yamlfile.CheckSize(path, info.Size()); err != nil {
			return nil, err
		}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxYAMLBytes+1))
	if err == nil {
		err = yamlfile.CheckSize(path, int64(len(data)))
	}
	return data, err
}

// readControlBody reads a control request's body, refusing one over
// MaxYAMLBytes with a 413 before decoding any of it.
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
