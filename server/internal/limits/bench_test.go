package limits_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/limits"
	"github.com/claudemock/claudemock/server/internal/orgs"
	"github.com/claudemock/claudemock/server/internal/quota"
	"github.com/claudemock/claudemock/server/internal/tokens"
)

// benchTier is a tier of generous RPM, ITPM and OTPM, so that every
// benchmarked admission passes.
var benchTier = &catalog.Tier{Name: "bench", OTPMAccounting: catalog.OTPMActual, Limits: map[string]catalog.Limits{
	catalog.DefaultFamily: {RequestsPerMinute: 4_000_000_000, InputTokensPerMinute: 2_000_000_000, OutputTokensPerMinute: 400_000_000}}}

// benchRequest is a plain Messages request of the default workspace of
// organization id, as the server hands it to Admit.
func benchRequest(id string) limits.Request {
	acct := accounts.Account{OrgID: id, Tier: benchTier, Org: orgs.Organization{ID: id}}
	return limits.Request{Account: acct, Family: "haiku-4-5", Model: "claude-haiku-4-5-20251001", MaxTokens: 1024,
		Usage: tokens.CacheUsage{Input: 1500}}
}

// BenchmarkAdmit measures exactly the server's admission decision of a
// Messages request (server/messages.go admit): limits.Admit on the
// namespace's limiter, standard tier, organization scope.
func BenchmarkAdmit(b *testing.B) {
	lim, r := quota.New(), benchRequest("bench")
	var a limits.Admission
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if a = limits.Admit(lim, r, accounts.Commitment{}, false, t0.Add(time.Duration(i)*time.Millisecond)); !a.Admitted {
			b.Fatal("refused")
		}
	}
}

// BenchmarkAdmitPriority is BenchmarkAdmit for a request the Priority
// Tier serves: its two buckets and the standard ones together.
func BenchmarkAdmitPriority(b *testing.B) {
	lim, r := quota.New(), benchRequest("bench")
	c := accounts.Commitment{InputTPM: 2_000_000_000, OutputTPM: 2_000_000_000}
	var a limits.Admission
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if a = limits.Admit(lim, r, c, true, t0.Add(time.Duration(i)*time.Millisecond)); a.ServiceTier != "priority" {
			b.Fatal("not served by the Priority Tier")
		}
	}
}

// BenchmarkOrgFamilyMemory admits one request for each of 100,000
// organizations × 3 model families through the real registry path
// (limits.Admit, which creates the RPM, ITPM and OTPM buckets) and reports
// the heap each (organization, family) costs: its three buckets and the
// organization's share of its scope name. The organization ids are made
// beforehand and not counted, as the server's come from its directory.
func BenchmarkOrgFamilyMemory(b *testing.B) {
	const orgCount = 100_000
	families := []string{"haiku-4-5", "sonnet-4", "opus-4"}
	reqs := make([]limits.Request, orgCount)
	for i := range reqs {
		reqs[i] = benchRequest(fmt.Sprintf("org-%06d", i))
	}
	var per float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		lim := quota.New()
		for _, r := range reqs {
			for _, f := range families {
				r.Family = f
				limits.Admit(lim, r, accounts.Commitment{}, false, t0)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(lim)
		per = float64(after.HeapAlloc-before.HeapAlloc) / float64(orgCount*len(families))
	}
	b.ReportMetric(per, "B/org-family")
}
