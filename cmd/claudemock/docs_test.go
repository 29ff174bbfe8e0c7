package main_test

// Every command the docs print works as printed.
//
// The convention (docs/contributing.md says the same for writers):
//
//   - Where commands are found: fenced ```sh blocks of README.md, docs/*.md
//     and scenarios/README.md, and the leading comment block of every
//     scenarios/*.yaml, where a command is a line "#   " (two or more
//     spaces) whose first word is claudemock, curl, export or go. A "..."
//     line there stands for the reader's own client and is not run; other
//     indented header lines are prose or quoted output.
//   - Fences: ```sh is run; ```console, ```text, ``` (none) and the
//     languages of files (```yaml, ```json, ```go, …) are not. ```bash and
//     ```shell are refused, so nobody writes one believing it runs.
//   - One command a line; a line ending in "\" continues on the next; "#"
//     starts a comment, as in sh.
//   - The mock: the docs address it at localhost:8080 (or 127.0.0.1:8080),
//     which is rewritten to a server this spec starts on a free port, and
//     CLAUDEMOCK_URL names it, so `claudemock healthcheck` and
//     `claudemock report` without --url reach it too. Each document runs in
//     order against one server, as a reader following the page would: a
//     `claudemock serve FLAGS` line (also as `go run ./cmd/claudemock serve`,
//     with or without "&") is not run in the shell but (re)starts that
//     server with FLAGS; before the first one a document gets a server with
//     no flags, or, for a scenario file, with --scenario that file.
//   - claudemock is the binary this suite built (`go run ./cmd/claudemock`
//     is rewritten to it); commands run in a scratch directory that links
//     the repository's top-level entries, so relative paths such as
//     @scenarios/burst-429.yaml resolve and written files are thrown away.
//   - Working means exit status 0. curl runs with --fail-with-body, so an
//     HTTP error fails the command; `claudemock report` exits 1 for a failed
//     verdict, which is the command working (the docs' runs have no client
//     behind them), so 1 counts as 0 for it; usage errors and an unreadable
//     server are 2.
//   - Exceptions are the two short tables below, each entry with its reason;
//     an entry that matches no command fails the spec, so none goes stale.

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"
	"github.com/onsi/gomega/gexec"
)

// skipped are commands a test machine cannot or must not run.
var skipped = []struct{ pattern, reason string }{
	{`^go test -race -timeout 20m \./\.\.\.$`, "the whole suite, this spec included: running it here would recurse"},
	{`^go install github\.com/claudemock/claudemock/cmd/claudemock@latest`, "needs the network and writes to GOBIN; this spec builds the same command from the checkout"},
	{`^go install \./cmd/claudemock`, "writes to GOBIN; this spec puts its own build on PATH instead"},
	{`^docker `, "no Docker engine on test machines (examples/compose_test.go checks the compose files)"},
	{`npm test$`, "the reader's own test suite"},
}

// failing are commands printed to show an error, with the status they
// exit with (curl --fail-with-body: 22 on an HTTP error).
var failing = []struct {
	doc, pattern string
	status       int
	reason       string
}{
	{"docs/models.md", `"model":"claude-sonnet-4-5"`, 22, "shows the 404 a retired model gets"},
}

// docCommand is one command as printed, where it was printed, and its
// place in the document's sequence of blocks.
type docCommand struct {
	doc   string // path from the repository root
	line  int    // 1-based line of its first line
	block int    // commands of one block run in one shell
	text  string // continuation lines joined
}

// serveLine recognises the commands that start a server.
var serveLine = regexp.MustCompile(`^(?:claudemock|go run \./cmd/claudemock) serve((?:\s+[^\s#&]+)*)\s*&?\s*(?:#.*)?$`)

// hostPort is how the docs address the mock.
var hostPort = regexp.MustCompile(`\b(?:localhost|127\.0\.0\.1):8080\b`)

// headerCommand picks the commands out of a scenario file's header.
var headerCommand = regexp.MustCompile(`^#\s{2,}((?:claudemock|curl|export|go)\s.*)$`)

const repoRoot = "../.."

// markdownCommands returns the commands of a Markdown file's sh blocks, and
// an error for a fence that looks runnable but is not sh.
func markdownCommands(doc string) ([]docCommand, error) {
	data, err := os.ReadFile(filepath.Join(repoRoot, doc))
	if err != nil {
		return nil, err
	}
	var out []docCommand
	fence := regexp.MustCompile("^(\\s*)```\\s*(\\S*)")
	inFence, run, block := false, false, 0
	var pending *docCommand
	for i, line := range strings.Split(string(data), "\n") {
		if m := fence.FindStringSubmatch(line); m != nil {
			if !inFence {
				inFence = true
				switch m[2] {
				case "sh":
					run = true
					block++
				case "bash", "shell", "zsh":
					return nil, fmt.Errorf("%s:%d: a ```%s block: write ```sh (run by this spec) or ```console (not run)", doc, i+1, m[2])
				}
			} else {
				inFence, run = false, false
			}
			continue
		}
		if !run {
			continue
		}
		text := strings.TrimSpace(line)
		if pending != nil {
			pending.text += " " + strings.TrimSuffix(text, `\`)
			if !strings.HasSuffix(text, `\`) {
				out = append(out, *pending)
				pending = nil
			}
			continue
		}
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		c := docCommand{doc: doc, line: i + 1, block: block, text: strings.TrimSuffix(text, `\`)}
		if strings.HasSuffix(text, `\`) {
			pending = &c
			continue
		}
		out = append(out, c)
	}
	for i := range out {
		out[i].text = strings.Join(strings.Fields(out[i].text), " ")
	}
	return out, nil
}

// headerCommands returns the commands of a scenario file's leading comment
// block, all in one block.
func headerCommands(doc string) ([]docCommand, error) {
	f, err := os.Open(filepath.Join(repoRoot, doc))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []docCommand
	scanner := bufio.NewScanner(f)
	for n := 1; scanner.Scan(); n++ {
		line := scanner.Text()
		if !strings.HasPrefix(line, "#") {
			break
		}
		if m := headerCommand.FindStringSubmatch(line); m != nil {
			out = append(out, docCommand{doc: doc, line: n, block: 1, text: strings.TrimSpace(m[1])})
		}
	}
	return out, scanner.Err()
}

// documents lists what the spec reads, from the repository root.
func documents() []string {
	docs := []string{"README.md"}
	more, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	scenarios, _ := filepath.Glob(filepath.Join(repoRoot, "scenarios", "*.yaml"))
	for _, p := range append(append(more, filepath.Join(repoRoot, "scenarios", "README.md")), scenarios...) {
		rel, _ := filepath.Rel(repoRoot, p)
		docs = append(docs, filepath.ToSlash(rel))
	}
	sort.Strings(docs[1:])
	return docs
}

func commandsOf(doc string) ([]docCommand, error) {
	if strings.HasSuffix(doc, ".yaml") {
		return headerCommands(doc)
	}
	return markdownCommands(doc)
}

func skipReason(c docCommand) (string, bool) {
	for _, s := range skipped {
		if regexp.MustCompile(s.pattern).MatchString(c.text) {
			return s.reason, true
		}
	}
	return "", false
}

func expectedStatus(c docCommand) int {
	for _, f := range failing {
		if f.doc == c.doc && regexp.MustCompile(f.pattern).MatchString(c.text) {
			return f.status
		}
	}
	return 0
}

// toolDir holds the claudemock and curl the commands find first on PATH.
func toolDir() string {
	dir := GinkgoT().TempDir()
	realCurl, err := exec.LookPath("curl")
	Expect(err).NotTo(HaveOccurred(), "curl is needed to run the docs' commands (.ci/run installs it)")
	Expect(os.WriteFile(filepath.Join(dir, "curl"), []byte(
		"#!/bin/sh\nexec "+realCurl+" --fail-with-body --silent --show-error --max-time 60 \"$@\"\n"), 0o755)).To(Succeed())
	Expect(os.WriteFile(filepath.Join(dir, "claudemock"), []byte(
		"#!/bin/sh\n"+binary+" \"$@\"\nstatus=$?\n"+
			"if [ \"$1\" = report ] && [ $status -eq 1 ]; then exit 0; fi\nexit $status\n"), 0o755)).To(Succeed())
	return dir
}

// scratchDir links the repository's top-level entries into a directory of
// its own, so relative paths resolve and written files stay out of the tree.
func scratchDir() string {
	dir := GinkgoT().TempDir()
	root, err := filepath.Abs(repoRoot)
	Expect(err).NotTo(HaveOccurred())
	entries, err := os.ReadDir(root)
	Expect(err).NotTo(HaveOccurred())
	for _, e := range entries {
		Expect(os.Symlink(filepath.Join(root, e.Name()), filepath.Join(dir, e.Name()))).To(Succeed())
	}
	return dir
}

// runBlock runs a block's commands in one shell, each checked for its
// expected status; it returns the output and which command failed, if any.
func runBlock(cmds []docCommand, url, tools, dir string) (string, error) {
	var script strings.Builder
	for i, c := range cmds {
		text := strings.Replace(c.text, "go run ./cmd/claudemock", "claudemock", 1)
		text = hostPort.ReplaceAllString(text, strings.TrimPrefix(url, "http://"))
		fmt.Fprintf(&script, "%s\ns=$?; if [ $s -ne %d ]; then echo \"[command %d exited $s]\" >&2; exit 100; fi\n",
			text, expectedStatus(c), i)
	}
	cmd := exec.Command("bash", "-c", script.String())
	cmd.Dir = dir
	env := []string{"PATH=" + tools + string(os.PathListSeparator) + os.Getenv("PATH"), "CLAUDEMOCK_URL=" + url}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "CLAUDEMOCK_") && !strings.HasPrefix(kv, "ANTHROPIC_") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err == nil {
		return string(out), nil
	}
	failed := regexp.MustCompile(`\[command (\d+) exited (\d+)\]`).FindStringSubmatch(string(out))
	if failed == nil {
		return string(out), err
	}
	var i int
	fmt.Sscan(failed[1], &i)
	c := cmds[i]
	return string(out), fmt.Errorf("%s:%d: %q exited %s, want %d", c.doc, c.line, c.text, failed[2], expectedStatus(c))
}

var _ = Describe("every command the docs print", Ordered, ContinueOnFailure, func() {
	var tools string
	ran, skips := map[string]int{}, map[string]int{}

	BeforeAll(func() { tools = toolDir() })

	for _, doc := range documents() {
		cmds, err := commandsOf(doc)
		if err == nil && len(cmds) == 0 {
			continue
		}
		It("works as printed in "+doc, func() {
			Expect(err).NotTo(HaveOccurred())
			dir := scratchDir()
			var url string
			var session *gexec.Session
			startServer := func(args []string) {
				if session != nil {
					session.Kill().Wait()
				}
				session = start(nil, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
				s := session
				DeferCleanup(func() { s.Kill().Wait() })
				Eventually(session.Err).Should(gbytes.Say(`listening on http://127\.0\.0\.1:\d+`))
				url = listening.FindStringSubmatch(string(session.Err.Contents()))[1]
			}
			ensureServer := func() {
				if session == nil {
					var args []string
					if strings.HasSuffix(doc, ".yaml") {
						args = []string{"--scenario", filepath.Join(repoRoot, doc)}
					}
					startServer(args)
				}
			}
			var block []docCommand
			flush := func() {
				if len(block) == 0 {
					return
				}
				ensureServer()
				out, err := runBlock(block, url, tools, dir)
				Expect(err).NotTo(HaveOccurred(), "output:\n%s", out)
				GinkgoWriter.Print(out)
				block = nil
			}
			for i, c := range cmds {
				if i > 0 && c.block != cmds[i-1].block {
					flush()
				}
				if reason, ok := skipReason(c); ok {
					skips[c.text]++
					GinkgoWriter.Printf("%s:%d: skipped %q: %s\n", c.doc, c.line, c.text, reason)
					continue
				}
				ran[doc]++
				if m := serveLine.FindStringSubmatch(c.text); m != nil {
					flush()
					startServer(strings.Fields(m[1]))
					continue
				}
				Expect(c.text).NotTo(MatchRegexp(`^(claudemock|go run \./cmd/claudemock) serve`), "%s:%d: a serve command this spec cannot read: %q", c.doc, c.line, c.text)
				block = append(block, c)
			}
			flush()
		})
	}

	It("has no stale exception and finds the commands it expects", func() {
		var total, totalSkipped int
		for _, n := range ran {
			total += n
		}
		for _, s := range skipped {
			matched := 0
			for text, n := range skips {
				if regexp.MustCompile(s.pattern).MatchString(text) {
					matched += n
				}
			}
			Expect(matched).To(BeNumerically(">", 0), "skip entry %q matches no command", s.pattern)
			totalSkipped += matched
		}
		for _, f := range failing {
			cmds, err := commandsOf(f.doc)
			Expect(err).NotTo(HaveOccurred())
			n := 0
			for _, c := range cmds {
				if regexp.MustCompile(f.pattern).MatchString(c.text) {
					n++
				}
			}
			Expect(n).To(Equal(1), "failing entry %q should match one command of %s", f.pattern, f.doc)
		}
		// The README and every scenario header have commands to run.
		Expect(ran).To(HaveKey("README.md"))
		scenarios, _ := filepath.Glob(filepath.Join(repoRoot, "scenarios", "*.yaml"))
		for _, p := range scenarios {
			rel, _ := filepath.Rel(repoRoot, p)
			Expect(ran).To(HaveKey(filepath.ToSlash(rel)))
		}
		AddReportEntry("doc commands", fmt.Sprintf("%d run, %d skipped", total, totalSkipped))
		GinkgoWriter.Printf("doc commands: %d run, %d skipped\n", total, totalSkipped)
	})
})

var _ = Describe("the command line and docs/cli.md", func() {
	var cli string
	flagLine := regexp.MustCompile(`(?m)^\s+-([a-z][a-z-]*)\b.*\n\s+.*\(env (CLAUDEMOCK_[A-Z_]+)\)`)

	BeforeEach(func() {
		data, err := os.ReadFile(filepath.Join(repoRoot, "docs", "cli.md"))
		Expect(err).NotTo(HaveOccurred())
		cli = string(data)
	})

	It("documents every command the usage lists", func() {
		session := start(nil, "help")
		Eventually(session).Should(gexec.Exit(0))
		commands := regexp.MustCompile(`(?m)^  claudemock ([a-z]+)`).FindAllStringSubmatch(string(session.Out.Contents()), -1)
		Expect(commands).To(HaveLen(5))
		for _, c := range commands {
			Expect(cli).To(ContainSubstring("`claudemock "+c[1]), "docs/cli.md says nothing of claudemock %s", c[1])
		}
	})

	It("documents every flag and variable each command prints, and no flag that none has", func() {
		known := map[string]bool{"help": true}
		for _, command := range []string{"serve", "report", "healthcheck"} {
			session := start(nil, "help", command)
			Eventually(session).Should(gexec.Exit(0))
			flags := flagLine.FindAllStringSubmatch(string(session.Out.Contents()), -1)
			Expect(flags).NotTo(BeEmpty())
			for _, f := range flags {
				known[f[1]] = true
				Expect(cli).To(MatchRegexp(`--`+f[1]+`\b[^-]`), "docs/cli.md does not document claudemock %s --%s", command, f[1])
				Expect(cli).To(ContainSubstring("`"+f[2]+"`"), "docs/cli.md does not document %s (claudemock %s --%s)", f[2], command, f[1])
			}
		}
		for _, m := range regexp.MustCompile(`--([a-z][a-z-]*[a-z])`).FindAllStringSubmatch(cli, -1) {
			Expect(known).To(HaveKey(m[1]), "docs/cli.md documents --%s, which no command has", m[1])
		}
	})
})
