package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server"
)

// reportConfig holds the report command's flags.
type reportConfig struct {
	url   string
	json  bool
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
// is 0 when every expectation passed, 1 when one failed and 2 when there
// was no verdict to read, so a CI job can end with it.
func report(args []string, stdout, stderr io.Writer) int {
	fs, cfg := commandFlags("report")
	fs.SetOutput(stderr)
	c := cfg.(*reportConfig)
	if err := parse(fs, args); err != nil {
		return flagExit(err, stderr)
	}
	if !c.test.set || c.test.value == "*" {
		return reportAll(c, stdout, stderr)
	}
	raw, rep, err := fetchReport(c.url, c.token, c.test.value)
	if err != nil {
		fmt.Fprintf(stderr, "claudemock report: %v\n", err)
		return 2
	}
	return printOne(c, raw, rep, stdout)
}

// printOne prints one report, as JSON (raw, the server's own bytes) or
// text, and returns the exit code of its verdict.
func printOne(c *reportConfig, raw []byte, rep server.Report, stdout io.Writer) int {
	if c.json {
		_, _ = stdout.Write(raw)
	} else {
		printReport(stdout, rep)
	}
	if !rep.Pass {
		return 1
	}
	return 0
}

// reportAll judges every test the server has seen. When no test named
// itself the output is exactly the one report of the default namespace, as
// it was before tests could; otherwise each test's report follows the
// other (--json: the list), and the exit code is 1 when any failed.
func reportAll(c *reportConfig, stdout, stderr io.Writer) int {
	raw, reps, err := fetchReports(c.url, c.token)
	if err != nil {
		fmt.Fprintf(stderr, "claudemock report: %v\n", err)
		return 2
	}
	if len(reps) == 1 && reps[0].Test == "" {
		return printOne(c, encode(reps[0].Report), reps[0].Report, stdout)
	}
	if c.json {
		_, _ = stdout.Write(raw)
	} else {
		printTests(stdout, reps)
	}
	for _, r := range reps {
		if !r.Pass {
			return 1
		}
	}
	return 0
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
	fmt.Fprintf(w, "%d tests: %d failed", len(reps), len(failed))
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

// printReport writes the verdict for humans: one line per expectation,
// the offending requests under each failure, and the faults fired.
func printReport(w io.Writer, rep server.Report) {
	name := rep.Scenario
	if name == "" {
		name = "(no scenario)"
	}
	fmt.Fprintf(w, "scenario %s: %s, %d requests\n", name, verdict(rep.Pass), rep.Requests)
	if rep.Dropped > 0 {
		fmt.Fprintf(w, "  (the %d oldest requests left the journal and were not judged)\n", rep.Dropped)
	}
	for _, r := range rep.Results {
		fmt.Fprintf(w, "  %s  %-20s %s\n", verdict(r.Pass), r.Rule, r.Summary)
		for _, v := range r.Violations {
			fmt.Fprintf(w, "        requests %s: %s\n", joinInts(v.Requests), v.Detail)
		}
	}
	for _, f := range rep.Faults {
		fmt.Fprintf(w, "  fault %s (%s): fired %d of %d matching requests\n", f.Name, f.Kind, f.Fired, f.Matched)
	}
}

func verdict(pass bool) string {
	if pass {
		return "PASS"
	}
	return "FAIL"
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprint(n)
	}
	return strings.Join(parts, ", ")
}
