package server

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/quota"
	"github.com/claudemock/claudemock/server/internal/scenario"
	"github.com/claudemock/claudemock/server/internal/tokens"
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
const MaxTests = 1000

// MaxTestName is the longest test name, in bytes: room for a pytest node
// id or a Jest describe path, not for a body smuggled into a header.
const MaxTestName = 256

// namespace is one test's share of the mock: the buckets, prompt cache,
// scenario state, journal and request numbering of the requests that
// name the test (or name none, for the default namespace). Organizations,
// spend, credits and the clock are not in it: they are shared.
type namespace struct {
	name string
	// mix is folded into the seed of the namespace's requests, so that its
	// ids are its own and differ from other tests'; 0 for the default.
	mix     uint64
	seq     atomic.Uint64
	limiter *quota.Limiter
	cache   *tokens.Cache
	journal *journal.Journal
	engine  *scenario.Engine // nil without a scenario
}

// newNamespace starts a namespace of the run p whose scenario starts
// playing at virtual time start.
func (p *playing) newNamespace(name string, start time.Time) *namespace {
	ns := &namespace{name: name, limiter: quota.New(), cache: tokens.NewCache(), journal: journal.NewCounted(&p.entries)}
	if name != "" {
		h := fnv.New64a()
		h.Write([]byte(name))
		ns.mix = h.Sum64()
	}
	if p.sc != nil {
		ns.engine = scenario.NewEngine(p.sc, p.seed, start)
	}
	return ns
}

// reset refills the namespace's buckets and empties its prompt cache.
func (ns *namespace) reset() {
	ns.limiter.Reset()
	ns.cache.Reset()
}

// namespaceOf is the namespace a request belongs to: the one its
// TestHeader names, created on first use, else the default one. Control
// requests always belong to the default one (they select a test with
// ?test=). The error is the 400 of a bad name or one too many.
func (p *playing) namespaceOf(req *http.Request, now time.Time) (*namespace, error) {
	values := req.Header[TestHeader]
	if len(values) == 0 || values[0] == "" || strings.HasPrefix(req.URL.Path, "/_mock/") {
		return p.def, nil
	}
	return p.named(values[0], now)
}

// named finds or creates the namespace of a test name.
func (p *playing) named(name string, now time.Time) (*namespace, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ns, ok := p.tests[name]; ok {
		return ns, nil
	}
	if problem := testNameProblem(name); problem != "" {
		return nil, invalid("%s: %s", strings.ToLower(TestHeader), problem)
	}
	if len(p.tests) >= MaxTests {
		return nil, invalid("%s: this run already keeps %d tests apart, the most it will; %q would be one more. "+
			"Load the scenario again (PUT or DELETE /_mock/scenario) to start a new run", strings.ToLower(TestHeader), MaxTests, name)
	}
	ns := p.newNamespace(name, now)
	p.tests[name] = ns
	return ns, nil
}

// testNameProblem says what is wrong with a test name, "" when nothing: 1
// to MaxTestName printable ASCII characters, not "*", which stands for
// every test in the control API.
func testNameProblem(name string) string {
	if name == "*" {
		return `"*" is reserved: it stands for every test in the control API`
	}
	if len(name) > MaxTestName {
		return fmt.Sprintf("a test name is at most %d bytes, got %d", MaxTestName, len(name))
	}
	for _, r := range []byte(name) {
		if r < 0x20 || r > 0x7e {
			return fmt.Sprintf("a test name is printable ASCII (letters, digits, spaces and punctuation), got %+q", name)
		}
	}
	return ""
}

// find is the namespace of a test name ("" the default one) without
// creating it: a test that sent nothing yet reads as an empty namespace,
// and reading takes none of the run's MaxTests.
func (p *playing) find(name string) *namespace {
	if name == "" {
		return p.def
	}
	p.mu.Lock()
	ns, ok := p.tests[name]
	p.mu.Unlock()
	if !ok {
		ns = p.newNamespace(name, p.loaded)
	}
	return ns
}

// all is every namespace in report order: the default one first, then
// the named tests by name.
func (p *playing) all() []*namespace {
	p.mu.Lock()
	out := make([]*namespace, 0, len(p.tests)+1)
	for _, ns := range p.tests {
		out = append(out, ns)
	}
	p.mu.Unlock()
	slices.SortFunc(out, func(a, b *namespace) int { return strings.Compare(a.name, b.name) })
	return append([]*namespace{p.def}, out...)
}

// boundJournals keeps the run's journals within p.bound entries together
// (journal.DefaultLimit), letting the oldest tenth of the longest one go until they
// fit. With the default namespace alone that is exactly the one journal's
// own limit; with many tests, the busiest gives way first.
func (p *playing) boundJournals() {
	if p.entries.Load() <= p.bound {
		return
	}
	p.trimMu.Lock()
	defer p.trimMu.Unlock()
	for p.entries.Load() > p.bound {
		if p.longest().journal.Trim() == 0 {
			return
		}
	}
}

// longest is the namespace with the most journal entries, the first in
// report order among equals.
func (p *playing) longest() *namespace {
	var best *namespace
	most := -1
	for _, ns := range p.all() {
		if n := ns.journal.Len(); n > most {
			best, most = ns, n
		}
	}
	return best
}

// selection reads the ?test= of a control request: a test name, "" for
// the default namespace, or every test for "*".
func selection(raw string) (name string, every bool, err error) {
	if raw == "*" {
		return "", true, nil
	}
	if raw != "" {
		if problem := testNameProblem(raw); problem != "" {
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
	return s.report(p, p.find(test))
}

// Reports judges every test of the run: the default namespace first, named
// "", then the named tests in name order. The default namespace is left
// out when it saw no request and some test named itself, so that a suite
// whose tests all name themselves is not failed by an empty default.
func (s *Server) Reports() []TestReport {
	p := s.play.Load()
	all := p.all()
	if len(all) > 1 && all[0].journal.Len() == 0 && all[0].journal.Dropped() == 0 {
		all = all[1:]
	}
	out := make([]TestReport, len(all))
	for i, ns := range all {
		out[i] = TestReport{Test: ns.name, Report: s.report(p, ns)}
	}
	return out
}

// JournalFor returns one test's journal entries in arrival order; "" is
// the default namespace (as Journal).
func (s *Server) JournalFor(test string) []JournalEntry {
	return s.play.Load().find(test).journal.Entries()
}

// StateFor is State with one test's buckets; "" is the default namespace.
func (s *Server) StateFor(test string) State {
	return s.stateOf(s.play.Load().find(test))
}

// ResetTest refills one test's buckets and empties its prompt cache; ""
// is the default namespace. Reset does it for every test.
func (s *Server) ResetTest(test string) {
	s.play.Load().find(test).reset()
}

// Tests lists the names of the tests the run has seen, in name order.
func (s *Server) Tests() []string {
	named := s.play.Load().all()[1:]
	out := make([]string, len(named))
	for i, ns := range named {
		out[i] = ns.name
	}
	return out
}
