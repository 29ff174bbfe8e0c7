// Command claudemock runs the claudemock server, a local stand-in for the
// Anthropic Claude API, and its helper commands.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `claudemock — a local, deterministic stand-in for the Anthropic Claude API.

Usage:
  claudemock serve [flags]          run the server (default :8080, built-in model catalogue)
  claudemock validate FILE...       check tiers, organizations and scenario files; exits 1 naming file, line, field and value
  claudemock report [--url U]       print the verdict on the client's behaviour (--json, --junit FILE); exits 1 when an
                                    expectation failed or no request arrived
  claudemock healthcheck [--url U] [--wait D]
                                    exit 0 when a server answers /_mock/health (for containers); --wait 30s
                                    keeps probing until it does
  claudemock help [COMMAND]         show help

Point an official SDK at it with ANTHROPIC_BASE_URL=http://localhost:8080 and any ANTHROPIC_API_KEY.
Run 'claudemock help COMMAND' for a command's flags (docs/cli.md has them all); every flag can also
be set from a CLAUDEMOCK_* environment variable (the flag wins).
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a command line and returns the process exit code, so the
// commands can be tested without exiting.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "validate":
		return validate(args[1:], stdout, stderr)
	case "healthcheck":
		return healthcheck(args[1:], stdout, stderr)
	case "report":
		return report(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		return help(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "claudemock: unknown command %q\n\n%s", args[0], usage)
	return 2
}

// help prints the general usage, or one command's; an unknown command is
// named as such on stderr, with the usage, and exits 2.
func help(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return 0
	}
	fs, _ := commandFlags(args[0])
	if fs == nil {
		fmt.Fprintf(stderr, "claudemock help: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	fs.SetOutput(stdout)
	fs.Usage()
	return 0
}
