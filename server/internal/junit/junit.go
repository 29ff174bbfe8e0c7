package junit

import (
	"cmp"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// Suite is one report to write as a test suite: its verdict and what the
// verdict was drawn from.
type Suite struct {
	// Name names the suite; "" falls back to Scenario, then "claudemock".
	Name             string
	Scenario         string
	ExpectationsFrom string
	// JudgedAt is the virtual time the verdict was drawn, the suite's
	// timestamp.
	JudgedAt time.Time
	// Dropped counts the requests the journal let go unjudged.
	Dropped int
	Faults  []scenario.Count
	Verdict expect.Report
}

// Write writes suites as one JUnit document: a <testsuites> root holding
// one <testsuite> per suite in order. Times are 0 (the mock does not time
// the client's tests) and the host is "localhost", so that the same suites
// always give the same bytes.
func Write(w io.Writer, suites []Suite) error {
	root := xmlSuites{Suites: make([]xmlSuite, len(suites))}
	for i, s := range suites {
		root.Suites[i] = suiteOf(i, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// suiteOf turns the i-th suite into its XML element.
func suiteOf(i int, in Suite) xmlSuite {
	name := cmp.Or(in.Name, in.Scenario, "claudemock")
	s := xmlSuite{
		Name: name, Package: "claudemock", ID: i, Hostname: "localhost",
		Timestamp: in.JudgedAt.UTC().Format("2006-01-02T15:04:05"), Tests: len(in.Verdict.Results), Time: "0",
		Properties: properties(in),
	}
	for _, r := range in.Verdict.Results {
		tc := xmlCase{Name: r.Rule, Classname: name, Time: "0"}
		if !r.Pass {
			s.Failures++
			tc.Failure = &xmlFailure{Message: r.Summary, Type: r.Rule, Text: failureText(r.Summary, r.Violations)}
		}
		s.Cases = append(s.Cases, tc)
	}
	return s
}

// properties records what the verdict was drawn from: the scenario,
// which expectations, how many requests, and each fault's counts.
func properties(in Suite) []xmlProperty {
	props := []xmlProperty{
		{"scenario", in.Scenario},
		{"expectations_from", in.ExpectationsFrom},
		{"requests", strconv.Itoa(in.Verdict.Requests)},
		{"dropped", strconv.Itoa(in.Dropped)},
	}
	for _, f := range in.Faults {
		props = append(props, xmlProperty{"fault." + f.Name,
			"fired " + strconv.Itoa(f.Fired) + " of " + strconv.Itoa(f.Matched) + " matched"})
	}
	return props
}

// failureText is a failure's body: one line per violation, each naming
// its requests, or the summary when there are none to name.
func failureText(summary string, violations []expect.Violation) string {
	if len(violations) == 0 {
		return summary
	}
	lines := make([]string, len(violations))
	for i, v := range violations {
		lines[i] = v.Detail
	}
	return strings.Join(lines, "\n")
}
