package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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
}

// report fetches a running server's verdict and prints it; the exit code
// is 0 when every expectation passed, 1 when one failed (an empty run
// fails) and 2 when there was no verdict to read or the JUnit file could
// not be written, so a CI job can end with it.
func report(args []string, stdout, stderr io.Writer) int {
	fs, cfg := commandFlags("report")
	fs.SetOutput(stderr)
	c := cfg.(*reportConfig)
	if err := parse(fs, args); err != nil {
		return flagExit(err, stderr)
	}
	if c.json && c.junit == "-" {
		fmt.Fprintln(stderr, "claudemock report: --json and --junit - both write to stdout; give --junit a file")
		return 2
	}
	raw, rep, err := fetchReport(c.url, c.token)
	if err == nil {
		err = writeReport(c, raw, rep, stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "claudemock report: %v\n", err)
		return 2
	}
	if !rep.Pass {
		return 1
	}
	return 0
}

// writeReport writes the verdict as the flags ask: JUnit XML to a file or
// to stdout, and unless stdout took the XML, the JSON or the text.
func writeReport(c *reportConfig, raw []byte, rep server.Report, stdout io.Writer) error {
	runs := []server.NamedReport{{Report: rep}}
	switch {
	case c.junit == "-":
		return server.WriteJUnit(stdout, runs)
	case c.junit != "":
		var buf bytes.Buffer
		if err := server.WriteJUnit(&buf, runs); err != nil {
			return err
		}
		if err := os.WriteFile(c.junit, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if c.json {
		_, err := stdout.Write(raw)
		return err
	}
	printReport(stdout, rep)
	return nil
}

// fetchReport reads GET /_mock/report, with the control token when one is
// given.
func fetchReport(url, token string) ([]byte, server.Report, error) {
	var rep server.Report
	req, err := http.NewRequest(http.MethodGet, strings.TrimSuffix(url, "/")+"/_mock/report", nil)
	if err != nil {
		return nil, rep, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return nil, rep, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, rep, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, rep, fmt.Errorf("%s answered %d: %s", url, resp.StatusCode, raw)
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		return nil, rep, fmt.Errorf("%s did not answer with a report: %v", url, err)
	}
	return raw, rep, nil
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
