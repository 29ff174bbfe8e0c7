package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server"
)

// reportConfig holds the report command's flags.
type reportConfig struct {
	url   string
	json  bool
	junit string // file for JUnit XML; "-" is stdout
	token string
	// test is --test: one test's report; every test's when not given.
	test optionalString
}

// optionalString is a string flag that knows whether it was given, so
// that --test "" (the requests that named no test) differs from no --test.
type optionalString struct {
	value string
	set   bool
}

func (o *optionalString) String() string { return o.value }

func (o *optionalString) Set(v string) error {
	o.value, o.set = v, true
	return nil
}

// report fetches a running server's verdict and prints it; the exit code
// is 0 when every expectation passed, 1 when one failed (an empty run
// fails) and 2 when there was no verdict to read or the JUnit file could
// not be written, so a CI job can end with it.
func report(args []string, stdout, stderr io.Writer) int {
	fs, cfg := commandFlags("report")
	c := cfg.(*reportConfig)
	if code, done := parseArgs(fs, args, false, stdout, stderr); done {
		return code
	}
	if c.json && c.junit == "-" {
		fmt.Fprintln(stderr, "claudemock report: --json and --junit - both write to stdout; give --junit a file")
		return 2
	}
	raw, reps, err := fetchSelected(c)
	if err == nil {
		err = writeReports(c, raw, reps, stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "claudemock report: %v\n", err)
		return 2
	}
	for _, r := range reps {
		if !r.Pass {
			return 1
		}
	}
	return 0
}

// fetchSelected reads what --test selects: one test's report, or every
// test's (no --test, or --test '*'). raw is the server's JSON for --json:
// one report, or the list when tests named themselves. When none did, the
// list holds the default namespace alone and raw is that one report, as it
// was before tests could name themselves.
func fetchSelected(c *reportConfig) ([]byte, []server.TestReport, error) {
	if c.test.set && c.test.value != "*" {
		raw, rep, err := fetchReport(c.url, c.token, c.test.value)
		return raw, []server.TestReport{{Test: c.test.value, Report: rep}}, err
	}
	raw, reps, err := fetchReports(c.url, c.token)
	if err == nil && onlyDefault(reps) {
		raw = encode(reps[0].Report)
	}
	return raw, reps, err
}

// onlyDefault reports whether reps is the default namespace alone.
func onlyDefault(reps []server.TestReport) bool {
	return len(reps) == 1 && reps[0].Test == ""
}

// writeReports writes the verdict as the flags ask: JUnit XML (one suite
// per test) to a file or to stdout, and unless stdout took the XML, the
// JSON or the text.
func writeReports(c *reportConfig, raw []byte, reps []server.TestReport, stdout io.Writer) error {
	suites := make([]server.NamedReport, len(reps))
	for i, r := range reps {
		suites[i] = server.NamedReport{Name: r.Test, Report: r.Report}
	}
	switch {
	case c.junit == "-":
		return server.WriteJUnit(stdout, suites)
	case c.junit != "":
		var buf bytes.Buffer
		if err := server.WriteJUnit(&buf, suites); err != nil {
			return err
		}
		if err := os.WriteFile(c.junit, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	switch {
	case c.json:
		_, err := stdout.Write(raw)
		return err
	case len(reps) == 1 && (reps[0].Test == "" || c.test.set):
		printReport(stdout, reps[0].Report)
	default:
		printTests(stdout, reps)
	}
	return nil
}

// printTests writes every test's report under its name, then how many
// failed.
func printTests(w io.Writer, reps []server.TestReport) {
	var failed []string
	for _, r := range reps {
		name := fmt.Sprintf("test %q", r.Test)
		if r.Test == "" {
			name = "requests without " + strings.ToLower(server.TestHeader)
		}
		fmt.Fprintf(w, "%s:\n", name)
		printReport(w, r.Report)
		if !r.Pass {
			failed = append(failed, fmt.Sprintf("%q", r.Test))
		}
	}
	fmt.Fprintf(w, "%s: %d failed", count(len(reps), "test", "tests"), len(failed))
	if len(failed) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(failed, ", "))
	}
	fmt.Fprintln(w)
}

// encode writes v as the server does: no HTML escaping, no final newline.
func encode(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // a Report always encodes
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// fetchReport reads GET /_mock/report, one test's (?test=NAME) when test
// is not empty.
func fetchReport(base, token, test string) ([]byte, server.Report, error) {
	var rep server.Report
	path := "/_mock/report"
	if test != "" {
		path += "?test=" + url.QueryEscape(test)
	}
	raw, err := controlGet(base, token, path)
	if err != nil {
		return nil, rep, err
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		return nil, rep, fmt.Errorf("%s did not answer with a report: %v", base, err)
	}
	return raw, rep, nil
}

// fetchReports reads GET /_mock/reports: every test's report, the default
// namespace first (named "") when it saw requests.
func fetchReports(base, token string) ([]byte, []server.TestReport, error) {
	raw, err := controlGet(base, token, "/_mock/reports")
	if err != nil {
		return nil, nil, err
	}
	var reps []server.TestReport
	if err := json.Unmarshal(raw, &reps); err != nil {
		return nil, nil, fmt.Errorf("%s did not answer with a list of reports: %v", base, err)
	}
	return raw, reps, nil
}

// controlGet reads a control endpoint, with the control token when one is
// given; any status but 200 is an error quoting the answer.
func controlGet(url, token, path string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, strings.TrimSuffix(url, "/")+path, nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered %d: %s", url, resp.StatusCode, raw)
	}
	return raw, nil
}

// printReport writes the verdict for humans: which expectations judged
// the run, one line per result, the violations under each failure (each
// names its requests), and the faults fired.
func printReport(w io.Writer, rep server.Report) {
	name := "(no scenario)"
	if rep.Scenario != "" {
		name = "scenario " + rep.Scenario
	}
	from := "the scenario's"
	if rep.ExpectationsFrom != server.ExpectScenario {
		from = "the default"
	}
	fmt.Fprintf(w, "%s: %s, %s, judged by %s expectations\n", name, verdict(rep.Pass), count(rep.Requests, "request", "requests"), from)
	if rep.Dropped > 0 {
		fmt.Fprintf(w, "  (the %s left the journal and were not judged)\n", count(rep.Dropped, "oldest request", "oldest requests"))
	}
	for _, r := range rep.Results {
		fmt.Fprintf(w, "  %s  %-20s %s\n", verdict(r.Pass), r.Rule, r.Summary)
		for _, v := range r.Violations {
			fmt.Fprintf(w, "        %s\n", v.Detail)
		}
	}
	for _, f := range rep.Faults {
		optional := ""
		if f.Optional {
			optional = " (optional)"
		}
		fmt.Fprintf(w, "  fault %s (%s)%s: fired %d of %s\n", f.Name, f.Kind, optional, f.Fired, count(f.Matched, "matching request", "matching requests"))
	}
}

// count writes n with its noun in the right number ("1 request").
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func verdict(pass bool) string {
	if pass {
		return "PASS"
	}
	return "FAIL"
}
