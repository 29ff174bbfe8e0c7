package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/claudemock/claudemock/server"
)

// serve runs the server until SIGINT/SIGTERM.
func serve(args []string, stdout, stderr io.Writer) int {
	fs, cfg := commandFlags("serve")
	c := cfg.(*serveConfig)
	if code, done := parseArgs(fs, args, false, stdout, stderr); done {
		return code
	}
	opts, err := c.options(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "claudemock: %v\n", err)
		return 1
	}
	srv, err := server.New(opts)
	if err != nil {
		fmt.Fprintf(stderr, "claudemock: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		fmt.Fprintf(stderr, "claudemock: --addr: %v\n", err)
		return 1
	}
	info := srv.Scenario()
	if info.Loaded {
		fmt.Fprintf(stderr, "claudemock listening on %s (seed %d, scenario %s)\n", listenURL(ln.Addr()), info.Seed, info.Name)
	} else {
		fmt.Fprintf(stderr, "claudemock listening on %s (seed %d)\n", listenURL(ln.Addr()), info.Seed)
	}
	if err := srv.ServeContext(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "claudemock: %v\n", err)
		return 1
	}
	fmt.Fprintln(stderr, "claudemock stopped")
	return 0
}

// listenURL is a base URL a client on this machine can use: an address
// listening on every interface (":8080") is shown as 127.0.0.1, since
// http://[::]:8080 is no address an SDK or curl can be given.
func listenURL(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port))
}

// parseStart reads --start: an RFC 3339 time, or a bare date (midnight UTC),
// so "--start 2027-01-01" moves past a model's retirement day in one word.
func parseStart(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// options turns the flags into server.Options, reading the tiers file.
func (c *serveConfig) options(stderr io.Writer) (server.Options, error) {
	opts := server.Options{Addr: c.addr, Seed: c.seed, ReplyTokens: c.replyTokens, Clock: c.clock, Tier: c.tier,
		AutoTools: c.autoTools, RetryOversized: c.retryOversized, ControlToken: c.controlToken,
		BodyTimeout: c.bodyTimeout, MaxConnections: c.maxConns, BatchRequestTime: c.batchTime}
	if c.bodyTimeout == 0 {
		opts.BodyTimeout = -1 // the flag's 0 is "no timeout"; the Options' 0 is the default
	}
	if c.start != "" {
		start, err := parseStart(c.start)
		if err != nil {
			return opts, fmt.Errorf("--start: %q is not an RFC 3339 time such as 2026-01-01T00:00:00Z or a date such as 2026-01-01", c.start)
		}
		opts.Start = start
	}
	if c.bodyTimeout < 0 {
		return opts, fmt.Errorf("--body-timeout: must be >= 0, got %s", c.bodyTimeout)
	}
	if c.batchTime <= 0 {
		return opts, fmt.Errorf("--batch-request-time: must be > 0, got %s", c.batchTime)
	}
	if c.replyTokens < 0 {
		return opts, fmt.Errorf("--reply-tokens: must be >= 0, got %d", c.replyTokens)
	}
	if !slices.Contains(server.AutoToolsModes, c.autoTools) {
		return opts, fmt.Errorf("--auto-tools: must be one of %s, got %q", strings.Join(server.AutoToolsModes, ", "), c.autoTools)
	}
	if c.tiers != "" {
		data, err := server.ReadYAML(c.tiers)
		if err != nil {
			return opts, fmt.Errorf("--tiers: %v", err)
		}
		opts.Tiers, opts.TiersFile = data, c.tiers
	}
	if c.orgs != "" {
		data, err := server.ReadYAML(c.orgs)
		if err != nil {
			return opts, fmt.Errorf("--orgs: %v", err)
		}
		opts.Organizations, opts.OrganizationsFile = data, c.orgs
	}
	if c.scenario != "" {
		file, data, err := server.ReadyScenario(c.scenario)
		if err != nil {
			return opts, fmt.Errorf("--scenario: %v", err)
		}
		opts.Scenario, opts.ScenarioFile = data, file
	}
	for _, k := range strings.Split(c.apiKeys, ",") {
		if k = strings.TrimSpace(k); k != "" {
			opts.APIKeys = append(opts.APIKeys, k)
		}
	}
	if !c.quiet {
		opts.Logger = log.New(stderr, "", log.LstdFlags|log.LUTC)
	}
	return opts, nil
}

// validate checks each file and prints every fault found.
func validate(args []string, stdout, stderr io.Writer) int {
	fs, _ := commandFlags("validate")
	if code, done := parseArgs(fs, args, true, stdout, stderr); done {
		return code
	}
	args = fs.Args()
	if len(args) == 0 {
		fmt.Fprintln(stderr, "claudemock validate: name at least one file")
		return 2
	}
	failed := false
	for _, path := range args {
		data, err := server.ReadYAML(path)
		if err == nil {
			err = server.Validate(path, data)
		}
		if err != nil {
			failed = true
			fmt.Fprintln(stderr, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", path)
	}
	if failed {
		return 1
	}
	return 0
}

// healthcheck probes a running server; it needs no shell tools, so a
// distroless container can use it as its HEALTHCHECK. With --wait it
// probes until the server answers or the wait is over, so a CI job can
// start the server in the background and wait for it in one command.
func healthcheck(args []string, stdout, stderr io.Writer) int {
	fs, cfg := commandFlags("healthcheck")
	c := cfg.(*healthConfig)
	if code, done := parseArgs(fs, args, false, stdout, stderr); done {
		return code
	}
	url := strings.TrimSuffix(c.url, "/") + "/_mock/health"
	deadline := time.Now().Add(c.wait)
	for {
		err := probe(url)
		if err == nil {
			return 0
		}
		if !time.Now().Before(deadline) {
			if c.wait > 0 {
				err = fmt.Errorf("no answer within %s: %w", c.wait, err)
			}
			fmt.Fprintf(stderr, "claudemock healthcheck: %v\n", err)
			return 1
		}
		time.Sleep(healthPoll)
	}
}

// healthPoll is how often healthcheck --wait probes again.
const healthPoll = 100 * time.Millisecond

// probe asks url once; nil when it answers 200.
func probe(url string) error {
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}
