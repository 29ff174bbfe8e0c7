package server

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server/internal/run"
)

// TestHeader is the request header a test names itself with, so that
// parallel tests sharing one mock each get their own buckets, prompt
// cache, scenario state, journal and report. The SDKs set it once per
// client as a default header. Requests without it share the default
// namespace.
const TestHeader = "X-Claudemock-Test"

// MaxTests bounds the named tests of one run (a scenario load starts a
// new run), so that a client sending a fresh name on every request cannot
// grow the server without end; the next new name is refused with a 400.
const MaxTests = run.MaxTests

// MaxTestName is the longest test name, in bytes: room for a pytest node
// id or a Jest describe path, not for a body smuggled into a header.
const MaxTestName = run.MaxTestName

// namespaceOf is the namespace a request belongs to in the run p: the one
// its TestHeader names, created on first use, else the default one.
// Control requests always belong to the default one (they select a test
// with ?test=). The error is the 400 of a bad name or one too many.
func namespaceOf(p *run.Run, req *http.Request, now time.Time) (*run.Namespace, error) {
	values := req.Header[TestHeader]
	if len(values) == 0 || values[0] == "" || strings.HasPrefix(req.URL.Path, "/_mock/") {
		return p.Find(""), nil
	}
	ns, err := p.Named(values[0], now)
	switch {
	case errors.Is(err, run.ErrFull):
		return nil, invalid("%s: this run already keeps %d tests apart, the most it will; %q would be one more. "+
			"Load the scenario again (PUT or DELETE /_mock/scenario) to start a new run", strings.ToLower(TestHeader), MaxTests, values[0])
	case err != nil:
		return nil, invalid("%s: %v", strings.ToLower(TestHeader), err)
	}
	return ns, nil
}

// selection reads the ?test= of a control request: a test name, "" for
// the default namespace, or every test for "*".
func selection(raw string) (name string, every bool, err error) {
	if raw == "*" {
		return "", true, nil
	}
	if raw != "" {
		if problem := run.NameProblem(raw); problem != "" {
			return "", false, invalid("test: %s", problem)
		}
	}
	return raw, false, nil
}

// TestReport is one test's report in the list of all of them: Test is the
// name it sent in TestHeader, "" for the requests that named none.
type TestReport struct {
	Test string `json:"test"`
	Report
}

// ReportFor judges one test's journal against the loaded scenario's
// expectations; "" is the default namespace (as Report). A test that sent
// nothing yet has an empty report.
func (s *Server) ReportFor(test string) Report {
	p := s.play.Load()
	return s.report(p, p.Find(test))
}

// Reports judges every test of the run: the default namespace first, named
// "", then the named tests in name order. The default namespace is left
// out when it saw no request and some test named itself, so that a suite
// whose tests all name themselves is not failed by an empty default.
func (s *Server) Reports() []TestReport {
	p := s.play.Load()
	all := p.All()
	if len(all) > 1 && all[0].Journal.Len() == 0 && all[0].Journal.Dropped() == 0 {
		all = all[1:]
	}
	out := make([]TestReport, len(all))
	for i, ns := range all {
		out[i] = TestReport{Test: ns.Name, Report: s.report(p, ns)}
	}
	return out
}

// JournalFor returns one test's journal entries in arrival order; "" is
// the default namespace (as Journal).
func (s *Server) JournalFor(test string) []JournalEntry {
	return s.play.Load().Find(test).Journal.Entries()
}

// StateFor is State with one test's buckets; "" is the default namespace.
func (s *Server) StateFor(test string) State {
	return s.stateOf(s.play.Load().Find(test))
}

// ResetTest refills one test's buckets and empties its prompt cache; ""
// is the default namespace. Reset does it for every test.
func (s *Server) ResetTest(test string) {
	s.play.Load().Find(test).Reset()
}

// Tests lists the names of the tests the run has seen, in name order.
func (s *Server) Tests() []string {
	named := s.play.Load().All()[1:]
	out := make([]string, len(named))
	for i, ns := range named {
		out[i] = ns.Name
	}
	return out
}
