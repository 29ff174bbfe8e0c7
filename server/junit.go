package server

import (
	"cmp"
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/claudemock/claudemock/server/internal/expect"
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
	root := junitSuites{Suites: make([]junitSuite, len(reports))}
	for i, nr := range reports {
		root.Suites[i] = junitSuiteOf(i, nr)
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

// junitSuiteOf turns the i-th report into its test suite.
func junitSuiteOf(i int, nr NamedReport) junitSuite {
	rep := nr.Report
	name := cmp.Or(nr.Name, rep.Scenario, "claudemock")
	s := junitSuite{
		Name: name, Package: "claudemock", ID: i, Hostname: "localhost",
		Timestamp: rep.JudgedAt.UTC().Format("2006-01-02T15:04:05"), Tests: len(rep.Results), Time: "0",
		Properties: junitProperties(rep),
	}
	for _, r := range rep.Results {
		tc := junitCase{Name: r.Rule, Classname: name, Time: "0"}
		if !r.Pass {
			s.Failures++
			tc.Failure = &junitFailure{Message: r.Summary, Type: r.Rule, Text: failureText(r.Summary, r.Violations)}
		}
		s.Cases = append(s.Cases, tc)
	}
	return s
}

// junitProperties records what the verdict was drawn from: the scenario,
// which expectations, how many requests, and each fault's counts.
func junitProperties(rep Report) []junitProperty {
	props := []junitProperty{
		{"scenario", rep.Scenario},
		{"expectations_from", rep.ExpectationsFrom},
		{"requests", strconv.Itoa(rep.Requests)},
		{"dropped", strconv.Itoa(rep.Dropped)},
	}
	for _, f := range rep.Faults {
		props = append(props, junitProperty{"fault." + f.Name,
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

// The JUnit XML elements, in the schema's order. system-out and
// system-err are required there, so they are written empty.
type (
	junitSuites struct {
		XMLName xml.Name     `xml:"testsuites"`
		Suites  []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name       string          `xml:"name,attr"`
		Package    string          `xml:"package,attr"`
		ID         int             `xml:"id,attr"`
		Timestamp  string          `xml:"timestamp,attr"`
		Hostname   string          `xml:"hostname,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Time       string          `xml:"time,attr"`
		Properties []junitProperty `xml:"properties>property"`
		Cases      []junitCase     `xml:"testcase"`
		SystemOut  string          `xml:"system-out"`
		SystemErr  string          `xml:"system-err"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitFailure `xml:"failure"`
	}
	junitFailure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)
