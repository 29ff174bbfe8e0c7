package run

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// Run is one run: the scenario loaded (nil when none), the seed in force
// and the namespaces of the tests that took part, each with its own
// engine playing the scenario. Loading a scenario starts a new run,
// forgetting every namespace.
type Run struct {
	Scenario *scenario.Scenario
	Seed     uint64
	loaded   time.Time
	def      *Namespace // the requests that name no test

	mu    sync.Mutex
	tests map[string]*Namespace // by name, at most MaxTests
	// entries counts the journal entries of every namespace, which
	// BoundJournals keeps within bound; trimMu serialises it.
	entries atomic.Int64
	bound   int64
	trimMu  sync.Mutex
	// refused numbers the requests refused for their test name, which
	// belong to no namespace.
	refused atomic.Uint64
}

// ErrFull is Named's refusal of a new name once the run keeps MaxTests.
var ErrFull = errors.New("the run already keeps the most tests it will")

// New starts a run of sc (nil: none) with seed at virtual time loaded,
// its journals bounded to journal.DefaultLimit entries together.
func New(sc *scenario.Scenario, seed uint64, loaded time.Time) *Run {
	r := &Run{Scenario: sc, Seed: seed, loaded: loaded, tests: map[string]*Namespace{}, bound: journal.DefaultLimit}
	r.def = r.newNamespace("", loaded)
	return r
}

// LimitJournals bounds the run's journals to n entries together, so that
// specs can reach the bound in a few requests.
func (r *Run) LimitJournals(n int) { r.bound = int64(n) }

// NextRefused numbers a request refused for its test name, which belongs
// to no namespace, as Namespace.Next does for the others.
func (r *Run) NextRefused() (seq, mix uint64) {
	return r.refused.Add(1), refusedMix
}

// Named finds or creates the namespace of a test name ("" is not one:
// Find("") is the default namespace). A bad name is refused with an error
// saying its NameProblem, one too many with ErrFull.
func (r *Run) Named(name string, now time.Time) (*Namespace, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ns, ok := r.tests[name]; ok {
		return ns, nil
	}
	if problem := NameProblem(name); problem != "" {
		return nil, errors.New(problem)
	}
	if len(r.tests) >= MaxTests {
		return nil, ErrFull
	}
	ns := r.newNamespace(name, now)
	r.tests[name] = ns
	return ns, nil
}

// Find is the namespace of a test name ("" the default one) without
// creating it: a test that sent nothing yet reads as an empty namespace,
// and reading takes none of the run's MaxTests.
func (r *Run) Find(name string) *Namespace {
	if name == "" {
		return r.def
	}
	r.mu.Lock()
	ns, ok := r.tests[name]
	r.mu.Unlock()
	if !ok {
		ns = r.newNamespace(name, r.loaded)
	}
	return ns
}

// All is every namespace in report order: the default one first, then
// the named tests by name.
func (r *Run) All() []*Namespace {
	r.mu.Lock()
	out := make([]*Namespace, 0, len(r.tests)+1)
	for _, ns := range r.tests {
		out = append(out, ns)
	}
	r.mu.Unlock()
	slices.SortFunc(out, func(a, b *Namespace) int { return strings.Compare(a.Name, b.Name) })
	return append([]*Namespace{r.def}, out...)
}

// BoundJournals keeps the run's journals within the bound together,
// letting the oldest tenth of the longest one go until they fit. With the
// default namespace alone that is exactly the one journal's own limit;
// with many tests, the busiest gives way first.
func (r *Run) BoundJournals() {
	if r.entries.Load() <= r.bound {
		return
	}
	r.trimMu.Lock()
	defer r.trimMu.Unlock()
	for r.entries.Load() > r.bound {
		if r.longest().Journal.Trim() == 0 {
			return
		}
	}
}

// longest is the namespace with the most journal entries, the first in
// report order among equals.
func (r *Run) longest() *Namespace {
	var best *Namespace
	most := -1
	for _, ns := range r.All() {
		if n := ns.Journal.Len(); n > most {
			best, most = ns, n
		}
	}
	return best
}
