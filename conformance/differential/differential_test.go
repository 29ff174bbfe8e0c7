package differential_test

import (
	"fmt"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// finding is one difference found in one exchange, and what explains it.
type finding struct {
	exchange  *exchange
	diff      difference
	deviation int  // index in the deviation list, or -1
	era       bool // a newer recording shows the mock's side
}

// exchangeCount is the number of exchanges in testdata; a change to the
// extracted files must change it too.
const exchangeCount = 214

var _ = Describe("The mock against recorded real exchanges", Ordered, ContinueOnFailure, func() {
	exchanges, loadErr := loadExchanges("testdata")
	devs, devErr := loadDeviations("testdata/deviations.yaml")
	var findings []finding

	It("loads every extracted exchange and the deviation list", func() {
		Expect(loadErr).NotTo(HaveOccurred())
		Expect(devErr).NotTo(HaveOccurred())
		Expect(len(exchanges)).To(Equal(exchangeCount))
	})

	for _, e := range exchanges {
		Context(e.id(), func() {
			var srv *server.Server

			BeforeEach(func() {
				srv = startReplayServer(e)
			})

			It("answers like the recording", func() {
				a := replay(srv, e)
				var unexplained []string
				for _, d := range compare(e, a) {
					f := finding{exchange: e, diff: d, deviation: -1, era: superseded(d, e, exchanges)}
					if !f.era {
						f.deviation = listed(devs, e, d)
					}
					findings = append(findings, f)
					if !f.era && f.deviation < 0 {
						unexplained = append(unexplained, d.String())
					}
				}
				Expect(unexplained).To(BeEmpty(), "recorded in %s", e.source())
			})
		})
	}

	It("still finds every listed deviation", func() {
		used := make([]int, len(devs))
		for _, f := range findings {
			if f.deviation >= 0 {
				used[f.deviation]++
			}
		}
		var stale []string
		for i, d := range devs {
			if used[i] == 0 {
				stale = append(stale, d.String())
			}
		}
		AddReportEntry("differences", summary(findings, devs))
		Expect(stale).To(BeEmpty(), "deviations that no longer occur: delete them from testdata/deviations.yaml")
	})
})

// summary groups the findings by kind and path, with how many exchanges
// show each and the newest source, for a person reading a verbose run.
func summary(findings []finding, devs []*deviation) string {
	type group struct {
		n      int
		newest *exchange
		why    string
	}
	groups := map[string]*group{}
	for _, f := range findings {
		key := f.diff.Kind + " " + f.diff.Path + " recorded=" + f.diff.Recorded + " mock=" + f.diff.Mock
		why := "UNLISTED"
		switch {
		case f.era:
			why = "era (a newer recording agrees with the mock)"
		case f.deviation >= 0:
			why = "deviation: " + devs[f.deviation].Reason
			if devs[f.deviation].FixedBy != "" {
				why += " [fixed-by: " + devs[f.deviation].FixedBy + "]"
			}
		}
		key += "\n" + why
		g := groups[key]
		if g == nil {
			g = &group{why: why}
			groups[key] = g
		}
		g.n++
		if g.newest == nil || f.exchange.Source.Recorded > g.newest.Source.Recorded {
			g.newest = f.exchange
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		g := groups[k]
		head, _, _ := strings.Cut(k, "\n")
		fmt.Fprintf(&b, "%s\n    %d exchanges; newest %s\n    %s\n", head, g.n, g.newest.source(), g.why)
	}
	return b.String()
}
