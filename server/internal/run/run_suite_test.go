package run_test

import (
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/journal"
	"github.com/claudemock/claudemock/server/internal/run"
)

func TestRun(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Run Suite")
}

// t0 is the instant every spec's run is loaded at.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// record journals n requests in ns and bounds the run's journals after
// each, as the server does.
func record(r *run.Run, ns *run.Namespace, n int) {
	for range n {
		ns.Journal.Begin(journal.Entry{Time: t0})
		r.BoundJournals()
	}
}

// names are the names of namespaces, in order.
func names(all []*run.Namespace) []string {
	out := make([]string, len(all))
	for i, ns := range all {
		out[i] = ns.Name
	}
	return out
}
