package conformance_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// The TypeScript and Python checks run as child processes against an
// in-process server. Their SDKs are installed by .ci/run; where they are
// missing the specs skip, unless CLAUDEMOCK_SDK_CHECKS=required (as .ci/run
// sets it), which makes a missing install a failure.

const installHint = "run .ci/run, or: npm ci --prefix conformance/node && " +
	"python3 -m venv conformance/python/.venv && " +
	"conformance/python/.venv/bin/pip install -r conformance/python/requirements.txt"

// unavailable skips the spec, or fails it when the SDK checks are required.
func unavailable(reason string) {
	GinkgoHelper()
	missing(reason, installHint)
}

// missing skips the spec with reason and how to install what is missing,
// or fails it when CLAUDEMOCK_SDK_CHECKS=required.
func missing(reason, hint string) {
	GinkgoHelper()
	if os.Getenv("CLAUDEMOCK_SDK_CHECKS") == "required" {
		Fail("CLAUDEMOCK_SDK_CHECKS=required but " + reason + "; " + hint)
	}
	Skip(reason + "; " + hint)
}

// childEnv is this process's environment without any ANTHROPIC_* variable,
// plus the mock's base URL and the test key, so that the SDKs' own
// environment lookup can only find the mock.
func childEnv(baseURL string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ANTHROPIC_") {
			env = append(env, kv)
		}
	}
	return append(append(env,
		"ANTHROPIC_BASE_URL="+baseURL,
		"ANTHROPIC_API_KEY="+testKey,
		"PYTHONDONTWRITEBYTECODE=1",
		"NO_COLOR=1",
	), extra...)
}

// run runs cmd and returns its combined output, echoed to GinkgoWriter so
// that it is printed when the spec fails.
func run(cmd *exec.Cmd) (string, error) {
	out, err := cmd.CombinedOutput()
	_, _ = GinkgoWriter.Write(out)
	return string(out), err
}

// pythonInterpreter is the venv's python when it exists, else
// $CLAUDEMOCK_PYTHON, else python3.
func pythonInterpreter() string {
	GinkgoHelper()
	venv, err := filepath.Abs(filepath.Join("python", ".venv", "bin", "python"))
	Expect(err).NotTo(HaveOccurred())
	if _, err := os.Stat(venv); err == nil {
		return venv
	}
	if py := os.Getenv("CLAUDEMOCK_PYTHON"); py != "" {
		return py
	}
	return "python3"
}

// pinned reads the version pinned for name from a requirements.txt line
// "name==version".
func pinned(requirements, name string) string {
	GinkgoHelper()
	data, err := os.ReadFile(requirements)
	Expect(err).NotTo(HaveOccurred())
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `==(\S+)$`).FindStringSubmatch(string(data))
	Expect(m).NotTo(BeNil(), "%s pins no %s", requirements, name)
	return m[1]
}

// packageJSON reads the fields the node spec needs from a package.json.
func packageJSON(path string) (version string, deps map[string]string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	var pkg struct {
		Version      string            `json:"version"`
		Dependencies map[string]string `json:"dependencies"`
	}
	err = json.Unmarshal(data, &pkg)
	return pkg.Version, pkg.Dependencies, err
}

var _ = Describe("official SDK checks in other languages", func() {
	var srv, burst *server.Server

	BeforeEach(func() {
		srv = startServer(server.Options{Seed: 1})
		burst = readyServer("burst-429")
	})

	It("the TypeScript SDK passes node/check.mjs", func(ctx SpecContext) {
		node, err := exec.LookPath("node")
		if err != nil {
			unavailable("node is not on PATH")
		}
		_, deps, err := packageJSON(filepath.Join("node", "package.json"))
		Expect(err).NotTo(HaveOccurred())
		want := deps["@anthropic-ai/sdk"]
		Expect(want).NotTo(BeEmpty(), "node/package.json pins no @anthropic-ai/sdk")
		installed := filepath.Join("node", "node_modules", "@anthropic-ai", "sdk", "package.json")
		if _, err := os.Stat(installed); errors.Is(err, os.ErrNotExist) {
			unavailable("@anthropic-ai/sdk is not installed in conformance/node/node_modules")
		}
		got, _, err := packageJSON(installed)
		Expect(err).NotTo(HaveOccurred())
		if got != want {
			unavailable("conformance/node/node_modules has @anthropic-ai/sdk " + got + ", package.json pins " + want)
		}

		cmd := exec.CommandContext(ctx, node, "check.mjs")
		cmd.Dir = "node"
		cmd.Env = childEnv(srv.URL(), "CLAUDEMOCK_BURST_URL="+burst.URL())
		out, err := run(cmd)

		Expect(err).NotTo(HaveOccurred(), "node check.mjs failed:\n%s", out)
		Expect(out).To(MatchRegexp(`(?m)^\d+ passed, 0 failed$`), "node check.mjs output:\n%s", out)
		Expect(out).NotTo(ContainSubstring("FAIL - "), "node check.mjs output:\n%s", out)
	}, NodeTimeout(3*time.Minute))

	It("the Python SDK passes python/test_sdk.py", func(ctx SpecContext) {
		python := pythonInterpreter()
		if _, err := exec.LookPath(python); err != nil {
			unavailable("no Python interpreter " + python)
		}
		want := pinned(filepath.Join("python", "requirements.txt"), "anthropic")
		probe := exec.CommandContext(ctx, python, "-c", "import anthropic, pytest; print(anthropic.__version__)")
		probe.Env = childEnv(srv.URL())
		version, err := probe.Output()
		if err != nil {
			unavailable(python + " cannot import anthropic and pytest")
		}
		if got := strings.TrimSpace(string(version)); got != want {
			unavailable(python + " has anthropic " + got + ", requirements.txt pins " + want)
		}

		cmd := exec.CommandContext(ctx, python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
			filepath.Join("conformance", "python", "test_sdk.py"))
		cmd.Dir = ".."
		cmd.Env = childEnv(srv.URL(), "CLAUDEMOCK_BURST_URL="+burst.URL())
		out, err := run(cmd)

		Expect(err).NotTo(HaveOccurred(), "pytest failed:\n%s", out)
		Expect(out).To(MatchRegexp(`(?m)^\d+ passed in `), "pytest output:\n%s", out)
		Expect(out).NotTo(MatchRegexp(`(?m)\d+ (failed|skipped|error)`), "pytest output:\n%s", out)
	}, NodeTimeout(3*time.Minute))
})
