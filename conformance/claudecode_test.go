package conformance_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// claudeTimeout bounds one run of the Claude Code CLI: a request the mock
// keeps refusing makes it retry for minutes.
const claudeTimeout = 90 * time.Second

// claudeCode is the installed Claude Code CLI with a home and a working
// directory of its own, both temporary, so that no user setting, session or
// project file reaches it and nothing it writes outlives the spec.
type claudeCode struct {
	bin, home, dir string
}

// installedClaudeCode is the CLI clients/node installs (its native binary
// comes from the optional dependency @anthropic-ai/claude-code-linux-x64,
// put in place by the package's postinstall); otherwise the spec skips or
// fails.
func installedClaudeCode(ctx context.Context) claudeCode {
	GinkgoHelper()
	nodeForClients()
	_, deps, err := packageJSON(filepath.Join(clientsNode, "package.json"))
	Expect(err).NotTo(HaveOccurred())
	bin, err := filepath.Abs(filepath.Join(clientsNode, "node_modules", ".bin", "claude"))
	Expect(err).NotTo(HaveOccurred())
	version, err := exec.CommandContext(ctx, bin, "--version").Output()
	if want := deps["@anthropic-ai/claude-code"] + " (Claude Code)"; err != nil || strings.TrimSpace(string(version)) != want {
		missing("conformance/clients/node/node_modules/.bin/claude --version does not print "+want+
			" (is its native binary in place?)", clientsHint)
	}
	return claudeCode{bin: bin, home: GinkgoT().TempDir(), dir: GinkgoT().TempDir()}
}

// command is `claude args...` against baseURL with the environment the
// issue prescribes and nothing else of this process's.
func (c claudeCode) command(ctx context.Context, baseURL string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.bin, args...)
	cmd.Dir = c.dir
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + c.home,
		"ANTHROPIC_BASE_URL=" + baseURL,
		"ANTHROPIC_API_KEY=" + testKey,
		"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
		"DISABLE_AUTOUPDATER=1",
		"NO_COLOR=1",
	}
	return cmd
}

// output runs the CLI, bounded by claudeTimeout, and returns what it
// printed on stdout; its exit status is judged from what it printed.
func (c claudeCode) output(ctx context.Context, baseURL string, args ...string) []byte {
	GinkgoHelper()
	ctx, cancel := context.WithTimeout(ctx, claudeTimeout)
	defer cancel()
	cmd := c.command(ctx, baseURL, args...)
	var stdout bytes.Buffer
	cmd.Stdout = io.MultiWriter(&stdout, GinkgoWriter)
	cmd.Stderr = GinkgoWriter
	err := cmd.Run()
	Expect(ctx.Err()).NotTo(HaveOccurred(), "claude did not finish within %s", claudeTimeout)
	Expect(stdout.Len()).NotTo(BeZero(), "claude printed nothing (%v)", err)
	return stdout.Bytes()
}

// run is `claude -p ... --output-format json`: one JSON object.
func (c claudeCode) run(ctx context.Context, baseURL string, args ...string) claudeResult {
	GinkgoHelper()
	data := c.output(ctx, baseURL, args...)
	var r claudeResult
	Expect(json.Unmarshal(data, &r)).To(Succeed(), "%s", data)
	Expect(r.Type).To(Equal("result"), "%s", data)
	return r
}

// streamLines are the events of `--output-format stream-json`, one JSON
// object a line.
type streamLines []json.RawMessage

// stream is `claude -p ... --output-format stream-json`.
func (c claudeCode) stream(ctx context.Context, baseURL string, args ...string) streamLines {
	GinkgoHelper()
	var lines streamLines
	scanner := bufio.NewScanner(bytes.NewReader(c.output(ctx, baseURL, args...)))
	scanner.Buffer(nil, 16<<20)
	for scanner.Scan() {
		if line := bytes.TrimSpace(scanner.Bytes()); len(line) > 0 {
			Expect(json.Valid(line)).To(BeTrue(), "%s", line)
			lines = append(lines, append(json.RawMessage(nil), line...))
		}
	}
	Expect(scanner.Err()).NotTo(HaveOccurred())
	return lines
}

// summary is the final result line and the text of every text_delta the
// CLI passed on from the API's stream.
func (lines streamLines) summary() (claudeResult, []string) {
	GinkgoHelper()
	var (
		final  claudeResult
		deltas []string
	)
	for _, line := range lines {
		var ev struct {
			Type  string `json:"type"`
			Event struct {
				Type  string `json:"type"`
				Delta struct {
					Type string `json:"type"`
					Text string `json:"text"`
				} `json:"delta"`
			} `json:"event"`
		}
		Expect(json.Unmarshal(line, &ev)).To(Succeed())
		switch {
		case ev.Type == "result":
			Expect(json.Unmarshal(line, &final)).To(Succeed())
		case ev.Type == "stream_event" && ev.Event.Type == "content_block_delta" && ev.Event.Delta.Type == "text_delta":
			deltas = append(deltas, ev.Event.Delta.Text)
		}
	}
	Expect(final.Type).To(Equal("result"), "no result line in %d lines", len(lines))
	return final, deltas
}
