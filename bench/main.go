// Command bench measures claudemock against a bare handler in the same run,
// on the same machine, with the same load generator and the same request,
// so that its cost is stated as a ratio that survives a noisy machine
// (issue 15). It is a tool to run by hand from the repository's root, not
// a test:
//
//	go run ./bench                      # every row, 5 s each, then go test -bench
//	go run ./bench -duration 10s -rounds 3 -gotest=false
//	go run ./bench -duration 1s -soak 10m   # and resident memory over 10 minutes
//
// It builds and starts `claudemock serve --orgs FILE --quiet` (an
// organization whose limits are never reached, so every request is
// admitted) and a bare handler (echo, decodes
// the body, writes a fixed Messages body or an SSE stream of the same
// length), each in its own process, and loads both from this one. The
// closed-loop table sends as fast as answers come from conns connections
// and gives req/s, p50/p99/p99.9 and claudemock's rate as a fraction of
// the bare handler's; the constant-rate table paces both at half of
// claudemock's peak (latency from each request's scheduled time, so
// coordinated omission does not hide the tails) and compares p99 and
// p99.9. Rows: plain and streamed requests, with 1 and 1,000 API keys.
// Each round loads claudemock then the bare handler, row by row; rounds
// are summed, so drift on a shared machine falls on both. Last come the
// go test -bench figures (allocations per request, admission, journal and
// state bytes per item). With -soak, before those, claudemock is loaded
// for that long and its resident memory printed every tenth of it. The output is Markdown: the README's performance
// section is this output, pasted.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"
)

// only keeps the rows whose name contains it (-only).
var only string

func main() {
	duration := flag.Duration("duration", 5*time.Second, "how long each row loads a server, per round")
	conns := flag.Int("conns", 32, "concurrent connections")
	rounds := flag.Int("rounds", 1, "rounds to sum, each loading both servers with every row")
	gotest := flag.Bool("gotest", true, "also run and print the go test -bench figures")
	loads := flag.Bool("load", true, "load the servers (false: only the go test -bench figures)")
	soakFor := flag.Duration("soak", 0, "then load claudemock this long and print its resident memory (e.g. 10m)")
	flag.StringVar(&only, "only", "", "run only the rows whose name contains this (e.g. stream)")
	bare := flag.Bool("serve-bare", false, "(internal) serve the bare handler and print its address")
	flag.Parse()
	if *bare {
		serveBare()
		return
	}
	if *loads {
		loadBoth(*conns, *duration, *rounds, *soakFor)
	}
	if *gotest {
		printGoBenchmarks(os.Stdout)
	}
}

// loadBoth starts both servers, prints the load tables and, when soakFor
// is set, the soak's.
func loadBoth(conns int, duration time.Duration, rounds int, soakFor time.Duration) {
	dir, err := os.MkdirTemp("", "claudemock-bench-")
	must(err)
	defer os.RemoveAll(dir)
	mock, err := startMock(dir)
	must(err)
	defer mock.stop()
	base, err := startBare()
	must(err)
	defer base.stop()

	fmt.Printf("%s, %s/%s, %d CPUs; %d connections, %s a row × %d round(s)\n",
		time.Now().UTC().Format("2006-01-02"), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), conns, duration, rounds)
	peaks := closedLoop(mock.url, base.url, conns, duration, rounds)
	constantRate(mock.url, base.url, conns, duration, rounds, peaks)
	if soakFor > 0 {
		soak(mock, conns, soakFor)
	}
}

// closedLoop prints the closed-loop table and returns claudemock's peak
// rate per row.
func closedLoop(mock, bare string, conns int, d time.Duration, rounds int) []float64 {
	fmt.Println("\n### Closed loop: as fast as answers come")
	fmt.Println("\n| request | claudemock req/s | bare req/s | ratio | claudemock p50 / p99 / p99.9 | bare p50 / p99 / p99.9 |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	var peaks []float64
	for _, r := range rows() {
		m, b := compare(mock, bare, r, conns, d, rounds, 0)
		peaks = append(peaks, m.rate)
		fmt.Printf("| %s | %.0f | %.0f | **%.2f×** | %s | %s |\n", r.name, m.rate, b.rate, m.rate/b.rate, tails(m), tails(b))
	}
	return peaks
}

// constantRate prints the table of tails at half of each row's peak.
func constantRate(mock, bare string, conns int, d time.Duration, rounds int, peaks []float64) {
	fmt.Println("\n### Constant rate: half of claudemock's peak, latency from the scheduled time")
	fmt.Println("\n| request | req/s | claudemock p50 / p99 / p99.9 | bare p50 / p99 / p99.9 | p99 ratio | p99.9 ratio |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	for i, r := range rows() {
		m, b := compare(mock, bare, r, conns, d, rounds, peaks[i]/2)
		fmt.Printf("| %s | %.0f | %s | %s | **%.2f×** | **%.2f×** |\n", r.name, peaks[i]/2, tails(m), tails(b),
			float64(m.p99)/float64(b.p99), float64(m.p999)/float64(b.p999))
	}
}

// compare loads both servers with one row, rounds times, alternating, and
// sums each server's rounds.
func compare(mock, bare string, r row, conns int, d time.Duration, rounds int, rate float64) (result, result) {
	var m, b []sample
	for range rounds {
		m = append(m, load(mock, r, conns, d, rate))
		b = append(b, load(bare, r, conns, d, rate))
	}
	mr, br := merge(m), merge(b)
	if mr.failed+br.failed > 0 {
		fmt.Fprintf(os.Stderr, "bench: %s: %d claudemock and %d bare requests failed\n", r.name, mr.failed, br.failed)
	}
	return mr, br
}

// tails formats a result's percentiles.
func tails(r result) string {
	return fmt.Sprintf("%s / %s / %s", ms(r.p50), ms(r.p99), ms(r.p999))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
