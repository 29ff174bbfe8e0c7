package examples_test

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/yaml.v3"
)

// action is the part of action.yml the specs read.
type action struct {
	Inputs map[string]struct {
		Required bool   `yaml:"required"`
		Default  string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

type step struct {
	Name  string            `yaml:"name"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
}

// expression is a GitHub Actions ${{ … }} expression.
var expression = regexp.MustCompile(`\$\{\{\s*([a-z_.]+)\s*\}\}`)

// runner plays the shell steps of the action as GitHub would: expressions
// filled in from the inputs, RUNNER_TEMP a directory of its own, each step
// in bash -eo pipefail; `uses:` steps (setup-go) are the runner's business
// and are passed over, the machine's Go standing in.
type runner struct {
	root, temp, work string
	inputs           map[string]string
}

func (r runner) expand(s string) string {
	return expression.ReplaceAllStringFunc(s, func(m string) string {
		name := expression.FindStringSubmatch(m)[1]
		if name == "github.action_path" {
			return r.root
		}
		v, ok := r.inputs[strings.TrimPrefix(name, "inputs.")]
		Expect(ok).To(BeTrue(), "the action reads %s, which no input defines", name)
		return v
	})
}

// play runs every shell step in order and returns the exit code of the
// first that fails, 0 when all pass.
func (r runner) play(a action) int {
	for _, s := range a.Runs.Steps {
		if s.Run == "" {
			continue
		}
		Expect(s.Shell).To(Equal("bash"), "step %q", s.Name)
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", r.expand(s.Run))
		cmd.Dir = r.work
		cmd.Env = append(os.Environ(), "RUNNER_TEMP="+r.temp)
		for k, v := range s.Env {
			cmd.Env = append(cmd.Env, k+"="+r.expand(v))
		}
		cmd.Stdout, cmd.Stderr = GinkgoWriter, GinkgoWriter
		if err := cmd.Run(); err != nil {
			exit, ok := err.(*exec.ExitError)
			Expect(ok).To(BeTrue(), "step %q: %v", s.Name, err)
			return exit.ExitCode()
		}
	}
	return 0
}

// freePort is a loopback port nothing listens on now.
func freePort() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	Expect(err).NotTo(HaveOccurred())
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// oneRequest is a test command that sends one Messages request to the mock
// the action started, with Python's standard library (no SDK needed).
const oneRequest = `python3 -c 'import json, os, urllib.request as u
r = u.Request(os.environ["ANTHROPIC_BASE_URL"] + "/v1/messages", method="POST",
  data=json.dumps({"model": "claude-haiku-4-5", "max_tokens": 16, "messages": [{"role": "user", "content": "Hi"}]}).encode(),
  headers={"x-api-key": os.environ["ANTHROPIC_API_KEY"], "anthropic-version": "2023-06-01", "content-type": "application/json"})
print(u.urlopen(r).status)'`

var _ = Describe("the composite action (action.yml)", func() {
	var (
		a action
		r runner
	)

	BeforeEach(func() {
		root, err := filepath.Abs("..")
		Expect(err).NotTo(HaveOccurred())
		data, err := os.ReadFile(filepath.Join(root, "action.yml"))
		Expect(err).NotTo(HaveOccurred())
		Expect(yaml.Unmarshal(data, &a)).To(Succeed())
		r = runner{root: root, temp: GinkgoT().TempDir(), work: GinkgoT().TempDir(), inputs: map[string]string{}}
		for name, in := range a.Inputs {
			r.inputs[name] = in.Default
		}
		r.inputs["port"] = freePort()
		DeferCleanup(func() { // a run that failed before its last step leaves the mock running
			if pid, err := os.ReadFile(filepath.Join(r.temp, "claudemock.pid")); err == nil {
				if n, err := strconv.Atoi(strings.TrimSpace(string(pid))); err == nil {
					if p, err := os.FindProcess(n); err == nil {
						_ = p.Kill()
					}
				}
			}
		})
	})

	It("is a composite action whose only required input is the test command", func() {
		Expect(a.Runs.Using).To(Equal("composite"))
		var required []string
		for name, in := range a.Inputs {
			if in.Required {
				required = append(required, name)
			}
		}
		Expect(required).To(Equal([]string{"run"}))
		Expect(a.Runs.Steps[0].Uses).To(Equal("actions/setup-go@v5"))
	})

	It("builds, starts and waits for the mock, runs the tests and passes a good run, writing JUnit", func() {
		r.inputs["run"] = oneRequest
		Expect(r.play(a)).To(Equal(0))
		junit, err := os.ReadFile(filepath.Join(r.work, "claudemock-report.xml"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(junit)).To(ContainSubstring(`failures="0"`))
	})

	It("fails the run with the verdict when the client misbehaves under the scenario", func() {
		r.inputs["scenario"] = "burst-429" // the one request gets a 429 and is never retried
		r.inputs["run"] = oneRequest + " || true"
		Expect(r.play(a)).To(Equal(1))
		junit, err := os.ReadFile(filepath.Join(r.work, "claudemock-report.xml"))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(junit)).To(MatchRegexp(`failures="[1-9]`))
	})

	It("fails with the test command's own exit code when the tests fail", func() {
		r.inputs["run"] = "exit 3"
		Expect(r.play(a)).To(Equal(3))
	})
})
