package server

import (
	"io"

	"github.com/claudemock/claudemock/server/internal/junit"
)

// NamedReport is one report for WriteJUnit: Name names its test suite
// (empty: the report's scenario, else "claudemock"). A single run is one
// element; a run split by test names would be one per name.
type NamedReport struct {
	Name   string
	Report Report
}

// WriteJUnit writes reports as JUnit XML, so that a CI system shows each
// expectation as a test: a <testsuites> root holding one <testsuite> per
// report and one <testcase> per result (requests_arrived, faults_fired and
// each rule), a failed one carrying its summary and one line per
// violation. The output follows the Apache Ant schema most CI systems read
// (server/testdata/junit/JUnit.xsd): the timestamp is the virtual time the
// verdict was drawn, times are 0 (the mock does not time the client's
// tests), the host is "localhost". It depends on nothing but the reports,
// so the same reports give the same bytes.
func WriteJUnit(w io.Writer, reports []NamedReport) error {
	suites := make([]junit.Suite, len(reports))
	for i, nr := range reports {
		r := nr.Report
		suites[i] = junit.Suite{Name: nr.Name, Scenario: r.Scenario, ExpectationsFrom: r.ExpectationsFrom,
			JudgedAt: r.JudgedAt, Dropped: r.Dropped, Faults: r.Faults, Verdict: r.Verdict}
	}
	return junit.Write(w, suites)
}
