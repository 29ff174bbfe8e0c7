package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/claudemock/claudemock/server"
)

// serveConfig holds the serve command's flags.
type serveConfig struct {
	addr        string
	tiers       string
	seed        uint64
	apiKeys     string
	replyTokens int
	quiet       bool
	clock       string
	start       string
	tier        string
	orgs        string
	scenario    string
	autoTools   string
	// retryOversized is server.Options.RetryOversized.
	retryOversized bool
	controlToken   string
	bodyTimeout    time.Duration
	maxConns       int
	batchTime      time.Duration
}

// healthConfig holds the healthcheck command's flags.
type healthConfig struct {
	url  string
	wait time.Duration
}

// commandFlags declares a command's flags; the returned value is the
// config they fill.
func commandFlags(cmd string) (*flag.FlagSet, any) {
	fs := flag.NewFlagSet("claudemock "+cmd, flag.ContinueOnError)
	switch cmd {
	case "serve":
		c := &serveConfig{}
		fs.StringVar(&c.addr, "addr", ":8080", "address to listen on (env CLAUDEMOCK_ADDR)")
		fs.StringVar(&c.tiers, "tiers", "", "tiers.yaml with the model catalogue; the built-in one when empty (env CLAUDEMOCK_TIERS)")
		fs.Uint64Var(&c.seed, "seed", 0, "seed for ids and generated text: same seed + same requests = same bytes (env CLAUDEMOCK_SEED)")
		fs.StringVar(&c.apiKeys, "api-keys", "", "comma-separated keys to accept; any key when empty (env CLAUDEMOCK_API_KEYS)")
		fs.IntVar(&c.replyTokens, "reply-tokens", 24, "length of generated text replies in tokens, capped by max_tokens (env CLAUDEMOCK_REPLY_TOKENS)")
		fs.BoolVar(&c.quiet, "quiet", false, "do not log one line per request (env CLAUDEMOCK_QUIET)")
		fs.StringVar(&c.clock, "clock", "real", "virtual clock: real, manual (moves only via /_mock/clock) or scaled:N (N times faster) (env CLAUDEMOCK_CLOCK)")
		fs.StringVar(&c.start, "start", "", "virtual time to start at, RFC 3339 or YYYY-MM-DD (midnight UTC); now when empty (env CLAUDEMOCK_START)")
		fs.StringVar(&c.orgs, "orgs", "", "organizations file: organizations, workspaces, keys, tiers, limits (env CLAUDEMOCK_ORGS)")
		fs.StringVar(&c.tier, "tier", "", "usage tier of the default organization; the catalogue's default_tier when empty, start in the built-in one (env CLAUDEMOCK_TIER)")
		fs.BoolVar(&c.retryOversized, "retry-oversized", false, "answer a request larger than a whole rate-limit bucket with retry-after and x-should-retry: true instead of x-should-retry: false (env CLAUDEMOCK_RETRY_OVERSIZED)")
		fs.StringVar(&c.scenario, "scenario", "", "scenario to load at start: a file, or the name of a ready one such as burst-429 (env CLAUDEMOCK_SCENARIO)")
		fs.StringVar(&c.controlToken, "control-token", "", "require Authorization: Bearer TOKEN on every /_mock/ endpoint but health (env CLAUDEMOCK_CONTROL_TOKEN)")
		fs.DurationVar(&c.bodyTimeout, "body-timeout", server.DefaultBodyTimeout, "time a request body may take to arrive before a 408; 0 waits for ever (env CLAUDEMOCK_BODY_TIMEOUT)")
		fs.IntVar(&c.maxConns, "max-connections", 0, "connections served at once, more wait to be accepted; 0 is the descriptor limit less 64, -1 no limit (env CLAUDEMOCK_MAX_CONNECTIONS)")
		fs.DurationVar(&c.batchTime, "batch-request-time", server.DefaultBatchRequestTime, "virtual time one Message Batches request takes to process; a batch of n requests ends n times this after creation (env CLAUDEMOCK_BATCH_REQUEST_TIME)")
		fs.StringVar(&c.autoTools, "auto-tools", "named", "when tool_choice auto calls a tool: named (the first tool the last user turn names), never, or always (env CLAUDEMOCK_AUTO_TOOLS)")
		fs.Usage = usageOf(fs, "serve [flags]", "Runs the Messages API server until SIGINT or SIGTERM, then shuts down gracefully.")
		return fs, c
	case "healthcheck":
		c := &healthConfig{}
		fs.StringVar(&c.url, "url", "http://127.0.0.1:8080", "base URL of the server to probe (env CLAUDEMOCK_URL)")
		fs.DurationVar(&c.wait, "wait", 0, "keep probing until the server answers or this much time has passed, e.g. 30s; 0 probes once (env CLAUDEMOCK_WAIT)")
		fs.Usage = usageOf(fs, "healthcheck [--url URL] [--wait DURATION]", "Exits 0 when the server answers /_mock/health with 200, 1 otherwise; --wait keeps probing until it does.")
		return fs, c
	case "report":
		c := &reportConfig{}
		fs.StringVar(&c.url, "url", "http://127.0.0.1:8080", "base URL of the server to judge (env CLAUDEMOCK_URL)")
		fs.BoolVar(&c.json, "json", false, "print the report as JSON instead of text (env CLAUDEMOCK_JSON)")
		fs.StringVar(&c.junit, "junit", "", "also write the report as JUnit XML to FILE; - writes it to stdout instead of the text (env CLAUDEMOCK_JUNIT)")
		fs.StringVar(&c.token, "token", "", "the server's control token, sent as Authorization: Bearer (env CLAUDEMOCK_TOKEN)")
		fs.StringVar(&c.token, "control-token", "", "the same as --token, under serve's name (env CLAUDEMOCK_CONTROL_TOKEN)")
		fs.Var(&c.test, "test", `judge only the test whose requests sent x-claudemock-test: NAME ("" for the requests that sent none); every test when not given (env CLAUDEMOCK_TEST)`)
		fs.Usage = usageOf(fs, "report [--url URL] [--test NAME] [--json] [--junit FILE] [--token TOKEN]", "Prints the verdict on how the client behaved under the loaded scenario's expectations (the default ones\nwithout a scenario), for every test (one block per x-claudemock-test name) or the one --test names.\nExits 0 when all passed, 1 when one failed or no request arrived, 2 when the server could not be read\nor the JUnit file not written.")
		return fs, c
	case "validate":
		fs.Usage = usageOf(fs, "validate FILE...", "Checks tiers files, organizations files and scenario files (told apart by their top-level keys) and exits 1\nwith file:line: field.path: problem for each fault.")
		return fs, nil
	}
	return nil, nil
}

func usageOf(fs *flag.FlagSet, synopsis, what string) func() {
	return func() {
		fmt.Fprintf(fs.Output(), "Usage: claudemock %s\n\n%s\n", synopsis, what)
		if strings.Contains(synopsis, "flags") || strings.Contains(synopsis, "--") {
			fmt.Fprintln(fs.Output(), "\nFlags:")
			fs.PrintDefaults()
		}
	}
}

// parse applies CLAUDEMOCK_* environment variables as defaults, then the
// command line, so an explicit flag always wins over the environment.
func parse(fs *flag.FlagSet, args []string) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := "CLAUDEMOCK_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok && err == nil {
			if setErr := fs.Set(f.Name, v); setErr != nil {
				err = fmt.Errorf("environment variable %s=%q: %s", name, v, expected(f, setErr))
			}
		}
	})
	if err != nil {
		return err
	}
	return fs.Parse(args)
}

// expected says what a flag's value must look like, for a bad value from
// the environment: flag's own "parse error" names neither type nor form.
func expected(f *flag.Flag, err error) string {
	getter, ok := f.Value.(flag.Getter)
	if !ok {
		return err.Error()
	}
	switch getter.Get().(type) {
	case uint64:
		return "expected an unsigned integer such as 42"
	case int:
		return "expected an integer such as 10"
	case bool:
		return "expected true or false"
	case time.Duration:
		return "expected a duration such as 30s or 1m"
	}
	return err.Error()
}

// parseArgs reads a command's environment and arguments into fs, printing
// each problem once (flag's own printing would say it twice). It returns
// done with the exit code when the command must stop: 0 after --help,
// which prints the command's usage on stdout; 2 for a bad flag or, when
// the command takes none, a positional argument.
func parseArgs(fs *flag.FlagSet, args []string, positional bool, stdout, stderr io.Writer) (code int, done bool) {
	fs.SetOutput(io.Discard)
	err := parse(fs, args)
	cmd := strings.TrimPrefix(fs.Name(), "claudemock ")
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return 0, true
	case err != nil:
		fmt.Fprintf(stderr, "claudemock %s: %v\nRun 'claudemock help %s' for its flags.\n", cmd, err, cmd)
		return 2, true
	case !positional && fs.NArg() > 0:
		fmt.Fprintf(stderr, "claudemock %s: unexpected argument %q (it takes flags only)\nRun 'claudemock help %s' for its flags.\n", cmd, fs.Arg(0), cmd)
		return 2, true
	}
	return 0, false
}
