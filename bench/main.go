// Command bench measures claudemock against a bare handler in the same run,
// on the same machine, with the same load generator and the same request,
// so that its cost is stated as a ratio that survives a noisy machine
// (issue 15). It is a tool to run by hand, not a test:
//
//	go run ./bench                      # every row, 5 s each
//	go run ./bench -duration 10s -conns 32
//
// Each row runs the closed-loop generator (conns workers sending as fast as
// answers come) against claudemock (tier custom: limits never reached, every
// request admitted) and against the bare handler (echo, decodes the body,
// writes a fixed Messages body or SSE stream of the same length), and
// prints req/s, p50/p99/p99.9 latency and claudemock's throughput as a
// fraction of the bare handler's. Rows: plain and streamed requests, with 1
// and with 1,000 distinct API keys. A second table paces the load at half of
// claudemock's peak rate (a constant-rate generator, so that coordinated
// omission does not hide the tails) and compares p99 and p99.9.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"text/tabwriter"
	"time"

	"github.com/claudemock/claudemock/server"
)

func main() {
	duration := flag.Duration("duration", 5*time.Second, "how long each row loads a server")
	conns := flag.Int("conns", 32, "concurrent connections of the closed-loop generator")
	flag.Parse()
	mock, stop := startMock()
	defer stop()
	bare, stopBare := startBare()
	defer stopBare()

	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "row\tserver\treq/s\tp50\tp99\tp99.9\tratio\t")
	var peaks []float64
	for _, row := range rows() {
		m := load(mock, row, *conns, *duration, 0)
		b := load(bare, row, *conns, *duration, 0)
		peaks = append(peaks, m.rate)
		printRow(w, row.name, "claudemock", m, m.rate/b.rate)
		printRow(w, row.name, "bare", b, 1)
	}
	w.Flush()

	fmt.Println("\nat half of claudemock's peak rate (constant rate):")
	w = tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "row\tserver\treq/s\tp50\tp99\tp99.9\tp99 ratio\t")
	for i, row := range rows() {
		rate := peaks[i] / 2
		m := load(mock, row, *conns, *duration, rate)
		b := load(bare, row, *conns, *duration, rate)
		printRow(w, row.name, "claudemock", m, float64(m.p99)/float64(b.p99))
		printRow(w, row.name, "bare", b, 1)
	}
	w.Flush()
}

// printRow writes one line of a table.
func printRow(w *tabwriter.Writer, row, name string, r result, ratio float64) {
	fmt.Fprintf(w, "%s\t%s\t%.0f\t%s\t%s\t%s\t%.2f\t\n", row, name, r.rate, ms(r.p50), ms(r.p99), ms(r.p999), ratio)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// startMock runs claudemock in-process on a free loopback port, on the
// custom tier, quiet: the server a user would run, minus the process.
func startMock() (string, func()) {
	s, err := server.New(server.Options{Tier: "custom"})
	must(err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	go func() { _ = s.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = s.Close() }
}

// startBare runs the bare handler on a free loopback port.
func startBare() (string, func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	srv := &http.Server{Handler: bareHandler()}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
