package server

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/clock"
	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/orgs"
	"github.com/claudemock/claudemock/server/internal/run"
	"github.com/claudemock/claudemock/server/internal/scenario"
	"github.com/claudemock/claudemock/server/internal/wire"
)

// SetScenario loads a scenario file (YAML) and resets the server to the
// world it declares: seed, clock, default tier, organizations with their
// credits and spend limits; every bucket, cache entry, spend record and
// journal entry is forgotten, and every test's namespace with them. file
// only names the source in errors, which give the line, field path and
// bad value of each fault.
func (s *Server) SetScenario(file string, data []byte) error {
	sc, err := scenario.Load(file, data, s.catalog)
	if err != nil {
		return err
	}
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	seed := s.opts.Seed
	if sc.Seed != nil {
		seed = *sc.Seed
	}
	mode := s.mode
	if sc.Clock.Mode != "" {
		mode, _ = clock.Parse(sc.Clock.Mode) // validated by Load
	}
	tier := s.tier
	if t, ok := s.catalog.Tier(sc.Tier); ok {
		tier = t
	}
	s.restart(sc, seed, mode, sc.Clock.Start, tier, sc.Organizations)
	return nil
}

// ClearScenario unloads the scenario and resets the server to its own
// options (seed, clock mode, tier, organizations), keeping the current
// virtual time.
func (s *Server) ClearScenario() {
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	s.restart(nil, s.opts.Seed, s.mode, time.Time{}, s.tier, s.configured)
}

// restart puts every piece of state back to a fresh start and begins a
// new run of sc: new namespaces, so new buckets, caches, journals and
// request numbering.
func (s *Server) restart(sc *scenario.Scenario, seed uint64, mode clock.Mode, start time.Time, tier *catalog.Tier, configured []orgs.Organization) {
	s.clock.Reset(mode, start)
	s.accounts.Reset(s.catalog, seed, tier, configured)
	s.book.Reset()
	s.files.Reset()
	s.grantCredits(configured)
	s.play.Store(run.New(sc, seed, s.clock.Now()))
}

// grantCredits turns credits on for the organizations that declare them.
func (s *Server) grantCredits(configured []orgs.Organization) {
	for _, o := range configured {
		if o.Credits != nil {
			s.book.Grant(o.ID, billing.Dollars(*o.Credits))
		}
	}
}

// ScenarioInfo describes the loaded scenario for the control API.
type ScenarioInfo struct {
	Loaded      bool         `json:"loaded"`
	File        string       `json:"file,omitempty"`
	Name        string       `json:"name,omitempty"`
	Description string       `json:"description,omitempty"`
	Seed        uint64       `json:"seed"`
	Faults      []FaultCount `json:"faults"`
}

// Scenario describes the loaded scenario and how often each fault has
// fired for the requests that name no test (ScenarioFor one test's).
func (s *Server) Scenario() ScenarioInfo { return s.ScenarioFor("") }

// ScenarioFor describes the loaded scenario and how often each fault has
// fired for one test; "" is the default namespace.
func (s *Server) ScenarioFor(test string) ScenarioInfo {
	p := s.play.Load()
	return scenarioInfo(p, p.Find(test))
}

// scenarioInfo describes the run p's scenario with the fault counts of ns.
func scenarioInfo(p *run.Run, ns *run.Namespace) ScenarioInfo {
	info := ScenarioInfo{Seed: p.Seed, Faults: []FaultCount{}}
	if sc := p.Scenario; sc != nil {
		info.Loaded, info.File, info.Name, info.Description = true, sc.File, sc.Name, sc.Description
		info.Faults = ns.Engine.Counts()
	}
	return info
}

// Journal returns every API request that named no test, answered since
// the server started or the scenario was loaded, in arrival order
// (JournalFor one test's).
func (s *Server) Journal() []JournalEntry { return s.JournalFor("") }

// Report is the verdict on the run so far: whether any request arrived and
// every fault the scenario needs fired, each expectation with the requests
// that broke it, and how often each fault fired.
type Report struct {
	Scenario string `json:"scenario"`
	// ExpectationsFrom says which rules judged the run: ExpectScenario
	// (the loaded scenario's `expect:` block) or ExpectDefaults.
	ExpectationsFrom string `json:"expectations_from"`
	// JudgedAt is the virtual time the verdict was drawn.
	JudgedAt time.Time    `json:"judged_at"`
	Faults   []FaultCount `json:"faults"`
	// Dropped counts the oldest requests the journal let go (the journals
	// of a run keep the latest JournalLimit together); they were not
	// judged.
	Dropped int `json:"dropped"`
	// Verdict is whether the run passed and each check's result.
	Verdict
}

// The values of Report.ExpectationsFrom.
const (
	ExpectScenario = "scenario"
	ExpectDefaults = "defaults"
)

// Report judges the journal of the requests that named no test (ReportFor
// one test's, Reports every test's).
func (s *Server) Report() Report { return s.ReportFor("") }

// report judges one namespace of the run p against the loaded scenario's
// expectations, or expect.Defaults when no scenario is loaded or it has no
// `expect:` block. A run no request reached fails, and so does one in
// which a fault that is not optional never fired.
func (s *Server) report(p *run.Run, ns *run.Namespace) Report {
	info := scenarioInfo(p, ns)
	rules, from := expect.Defaults(), ExpectDefaults
	if p.Scenario != nil && p.Scenario.HasExpect {
		rules, from = p.Scenario.Expect, ExpectScenario
	}
	faults := make([]expect.Fault, len(info.Faults))
	for i, f := range info.Faults {
		faults[i] = expect.Fault{Name: f.Name, Kind: string(f.Kind), Matched: f.Matched, Fired: f.Fired, Optional: f.Optional}
	}
	return Report{Scenario: info.Name, ExpectationsFrom: from, JudgedAt: s.clock.Now(), Faults: info.Faults,
		Dropped: ns.Journal.Dropped(), Verdict: expect.Judge(rules, ns.Journal.Entries(), faults)}
}

// scenarioRoutes are the control endpoints of scenarios, the journal and
// the reports; each takes ?test=NAME to read one test's namespace.
func (s *Server) scenarioRoutes(e *echo.Echo, guard echo.MiddlewareFunc) {
	e.GET("/_mock/scenario", func(c echo.Context) error {
		p, ns, err := s.selected(c)
		if err != nil {
			return err
		}
		return writeJSON(c, http.StatusOK, scenarioInfo(p, ns))
	}, guard)
	e.PUT("/_mock/scenario", s.putScenario, guard)
	e.DELETE("/_mock/scenario", func(c echo.Context) error {
		s.ClearScenario()
		return writeJSON(c, http.StatusOK, s.Scenario())
	}, guard)
	e.GET("/_mock/requests", s.getRequests, guard)
	e.GET("/_mock/report", s.getReport, guard)
	e.GET("/_mock/reports", func(c echo.Context) error { return writeJSON(c, http.StatusOK, s.Reports()) }, guard)
}

// selected is the run and the namespace a control request's ?test= names
// (the default one without it); "*" is refused, as these endpoints show
// one test at a time.
func (s *Server) selected(c echo.Context) (*run.Run, *run.Namespace, error) {
	name, every, err := selection(c.QueryParam("test"))
	if err != nil {
		return nil, nil, err
	}
	if every {
		return nil, nil, invalid("test: %s %s shows one test at a time; \"*\" (every test) is for GET /_mock/report and POST /_mock/reset",
			c.Request().Method, c.Request().URL.Path)
	}
	p := s.play.Load()
	return p, p.Find(name), nil
}

// getReport serves one test's report, or with ?test=* every test's as
// GET /_mock/reports does.
func (s *Server) getReport(c echo.Context) error {
	if c.QueryParam("test") == "*" {
		return writeJSON(c, http.StatusOK, s.Reports())
	}
	p, ns, err := s.selected(c)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, s.report(p, ns))
}

// putScenario loads the YAML body as the scenario; ?name=NAME loads one of
// the ready scenarios instead and ignores the body. Only embedded names are
// accepted over HTTP, so the control API never reads the server's files.
func (s *Server) putScenario(c echo.Context) error {
	file, body := "request body", []byte(nil)
	if name := c.QueryParam("name"); name != "" {
		var err error
		if file, body, err = scenario.Ready(name); err != nil {
			return &APIError{Type: NotFound, Message: err.Error()}
		}
	} else {
		var err error
		if body, err = readControlBody(c); err != nil {
			return err
		}
	}
	if err := s.SetScenario(file, body); err != nil {
		return invalid("%v", err)
	}
	return writeJSON(c, http.StatusOK, s.Scenario())
}

// ReadyScenario finds a scenario by file path or by the name of one of the
// ready scenarios embedded from scenarios/ ("burst-429" or
// "burst-429.yaml"), and returns its name for messages and its content.
func ReadyScenario(name string) (string, []byte, error) {
	if file, data, err := scenario.Ready(name); err == nil {
		return file, data, nil
	}
	data, err := ReadYAML(name)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, fmt.Errorf("scenario %q: neither a file nor a ready scenario (have %s)", name, strings.Join(ReadyScenarios(), ", "))
	}
	return name, data, err
}

// ReadyScenarios lists the names of the embedded ready scenarios.
func ReadyScenarios() []string { return scenario.ReadyNames() }

// maxRequestsPage is the largest limit GET /_mock/requests takes: the most
// entries the journal keeps.
const maxRequestsPage = journal.DefaultLimit

// getRequests serves the journal, all of it or a page: ?limit=N&after=SEQ,
// and &order=newest for newest first; ?test=NAME one test's journal. The body is streamed entry by entry,
// so a long run is never held in memory as one JSON document.
func (s *Server) getRequests(c echo.Context) error {
	after, err := queryInt(c, "after", 0, math.MaxInt)
	if err != nil {
		return err
	}
	limit, err := queryInt(c, "limit", 1, maxRequestsPage)
	if err != nil {
		return err
	}
	order := c.QueryParam("order")
	if order != "" && order != "oldest" && order != "newest" {
		return invalid("order: Input should be 'oldest' or 'newest', got %q", order)
	}
	_, ns, err := s.selected(c)
	if err != nil {
		return err
	}
	page := ns.Journal.Page(after, limit, order == "newest")
	return streamRequests(c, page, ns.Journal.Dropped())
}

// queryInt reads an optional integer query parameter within [lo, hi]; 0
// when absent.
func queryInt(c echo.Context, name string, lo, hi int) (int, error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return 0, invalid("%s: must be an integer from %d to %d, got %q", name, lo, hi, raw)
	}
	return n, nil
}

// streamRequests writes {"dropped":D,"has_more":M,"requests":[…]} an entry
// at a time, flushing every thousand.
func streamRequests(c echo.Context, page journal.Page, dropped int) error {
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, `{"dropped":%d,"has_more":%t,"requests":[`, dropped, page.More)
	for i := range page.Entries {
		if i > 0 {
			w.Write([]byte{','})
		}
		b, err := wire.Marshal(&page.Entries[i])
		if err != nil {
			return err // the status is sent: the client sees a cut body
		}
		w.Write(b)
		if i%1000 == 999 {
			w.Flush()
		}
	}
	_, err := w.Write([]byte("]}"))
	return err
}
