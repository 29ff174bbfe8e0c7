package run

import (
	"fmt"
	"hash/fnv"
	"sync/atomic"
	"time"

	"github.com/claudemock/claudemock/server/internal/batch"
	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/quota"
	"github.com/claudemock/claudemock/server/internal/scenario"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// MaxTests bounds the named tests of one run, so that a client sending a
// fresh name on every request cannot grow the server without end.
const MaxTests = 1000

// MaxTestName is the longest test name, in bytes: room for a pytest node
// id or a Jest describe path, not for a body smuggled into a header.
const MaxTestName = 256

// refusedMix seeds the ids of requests refused for their test name, apart
// from every namespace's.
const refusedMix = 0x7e57_7e57_7e57_7e57

// Namespace is one test's share of the mock: the buckets, prompt cache,
// scenario state, journal, Message Batches and request numbering of the requests that
// name the test (or name none, for the default namespace). Organizations,
// spend, credits and the clock are not in it: they are shared.
type Namespace struct {
	// Name is the test's name, "" for the default namespace.
	Name    string
	Limiter *quota.Limiter
	Cache   *tokens.Cache
	Journal *journal.Journal
	Engine  *scenario.Engine // nil without a scenario
	// Batches are the test's Message Batches: a test sees only its own.
	Batches *batch.Store

	// mix is folded into the seed of the namespace's requests, so that its
	// ids are its own and differ from other tests'; 0 for the default.
	mix uint64
	seq atomic.Uint64
}

// newNamespace starts a namespace of the run r whose scenario starts
// playing at virtual time start.
func (r *Run) newNamespace(name string, start time.Time) *Namespace {
	ns := &Namespace{Name: name, Limiter: quota.New(), Cache: tokens.NewCache(), Journal: journal.NewCounted(&r.entries), Batches: batch.NewStore()}
	if name != "" {
		h := fnv.New64a()
		h.Write([]byte(name))
		ns.mix = h.Sum64()
	}
	if r.Scenario != nil {
		ns.Engine = scenario.NewEngine(r.Scenario, r.Seed, start)
	}
	return ns
}

// Next numbers the namespace's next request: its sequence number (from 1)
// and the mix to fold into the run's seed, so that a test's request ids
// and bytes depend only on its own requests, not on parallel tests'.
func (ns *Namespace) Next() (seq, mix uint64) {
	return ns.seq.Add(1), ns.mix
}

// Reset refills the namespace's buckets and empties its prompt cache.
func (ns *Namespace) Reset() {
	ns.Limiter.Reset()
	ns.Cache.Reset()
}

// NameProblem says what is wrong with a test name, "" when nothing: 1 to
// MaxTestName printable ASCII characters, not "*", which stands for every
// test where tests are selected.
func NameProblem(name string) string {
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
