package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// listening finds the URL a server prints when it is ready to serve.
var listening = regexp.MustCompile(`listening on (http://\S+)`)

// process is a server running in a child process, as users run it: its own
// runtime, heap and garbage collector, so the load generator's allocations
// are not charged to it.
type process struct {
	url string
	cmd *exec.Cmd
}

// startMock builds the claudemock command into dir and runs
// `claudemock serve` on a free loopback port, quiet, with benchOrgs: every
// request is admitted, and every one still goes through admission.
func startMock(dir string) (*process, error) {
	bin, orgs := filepath.Join(dir, "claudemock"), filepath.Join(dir, "orgs.yaml")
	build := exec.Command("go", "build", "-o", bin, "./cmd/claudemock")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("building claudemock (run go run ./bench from the repository's root): %w", err)
	}
	if err := os.WriteFile(orgs, benchOrgs(), 0o644); err != nil {
		return nil, err
	}
	return start(exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--orgs", orgs, "--quiet"))
}

// benchOrgs is an organizations file with one organization whose limits
// are never reached (a billion requests a minute; even the custom tier's
// 100,000 run dry within a minute at these rates) and the 1,000 keys the
// rows send.
func benchOrgs() []byte {
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = fmt.Sprintf("bench-key-%d", i)
	}
	return fmt.Appendf(nil, `organizations:
  - id: org-bench
    tier: custom
    limits:
      default: {requests_per_minute: 1000000000, input_tokens_per_minute: 1000000000000, output_tokens_per_minute: 1000000000000}
    keys: [%s]
`, strings.Join(keys, ", "))
}

// startBare runs this program again as the bare handler's server.
func startBare() (*process, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return start(exec.Command(self, "-serve-bare"))
}

// start runs cmd and waits for the URL it prints on stderr.
func start(cmd *exec.Cmd) (*process, error) {
	out, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if m := listening.FindStringSubmatch(lines.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, out) }()
			return &process{url: m[1], cmd: cmd}, nil
		}
	}
	_ = cmd.Process.Kill()
	return nil, fmt.Errorf("%s printed no listen address", cmd.Path)
}

// stop ends the process.
func (p *process) stop() {
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
}

// serveBare is the child process of startBare: the bare handler on a
// free loopback port, until killed.
func serveBare() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	fmt.Fprintf(os.Stderr, "bare handler listening on http://%s\n", ln.Addr())
	srv := &http.Server{Handler: bareHandler(), ReadHeaderTimeout: time.Minute}
	must(srv.Serve(ln))
}
