package main_test

import (
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"
	"github.com/onsi/gomega/gexec"
)

// start runs the binary with args and extra environment variables.
func start(env []string, args ...string) *gexec.Session {
	cmd := exec.Command(binary, args...)
	cmd.Env = append([]string{"PATH=/usr/bin:/bin"}, env...)
	session, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	return session
}

var listening = regexp.MustCompile(`listening on (http://\S+)`)

// serve starts "claudemock serve" on a free loopback port and returns its
// base URL once it says it is listening.
func serve(env []string, args ...string) (*gexec.Session, string) {
	session := start(env, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	DeferCleanup(func() { session.Kill().Wait() })
	Eventually(session.Err).Should(gbytes.Say(`listening on http://127\.0\.0\.1:\d+`))
	url := listening.FindStringSubmatch(string(session.Err.Contents()))[1]
	return session, url
}

func post(url, body string, headers ...string) (int, string) {
	req, _ := http.NewRequest("POST", url+"/v1/messages", strings.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	req.Header.Set("x-api-key", "k")
	req.Header.Set("anthropic-version", "2023-06-01")
	req.Header.Set("content-type", "application/json")
	res, err := http.DefaultClient.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(data)
}

// postRaw posts body to /v1/messages and returns the response, its body
// read and closed.
func postRaw(url, body string) *http.Response {
	req, _ := http.NewRequest("POST", url+"/v1/messages", strings.NewReader(body))
	req.Header.Set("x-api-key", "k")
	req.Header.Set("anthropic-version", "2023-06-01")
	res, err := http.DefaultClient.Do(req)
	Expect(err).NotTo(HaveOccurred())
	_, _ = io.ReadAll(res.Body)
	Expect(res.Body.Close()).To(Succeed())
	return res
}

const hello = `{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}`

var _ = Describe("claudemock serve", func() {
	It("answers a message with the embedded catalogue and stops on SIGTERM", func() {
		session, url := serve(nil)
		status, body := post(url, hello)
		Expect(status).To(Equal(200))
		Expect(body).To(ContainSubstring(`"model":"claude-haiku-4-5-20251001"`))
		Eventually(session.Err).Should(gbytes.Say(`POST /v1/messages 200 req_011C`))
		session.Signal(syscall.SIGTERM)
		Eventually(session).Should(gexec.Exit(0))
		Expect(session.Err).To(gbytes.Say("claudemock stopped"))
	})

	It("reads its flags from CLAUDEMOCK_* variables, the flag winning", func() {
		_, url := serve([]string{"CLAUDEMOCK_API_KEYS=only-this", "CLAUDEMOCK_QUIET=true"})
		status, body := post(url, hello)
		Expect(status).To(Equal(401))
		Expect(body).To(ContainSubstring(`"message":"invalid x-api-key"`))
		_, url = serve([]string{"CLAUDEMOCK_API_KEYS=only-this"}, "--api-keys", "k")
		status, _ = post(url, hello)
		Expect(status).To(Equal(200))
	})

	It("serves the organizations of --orgs on the clock and tier it is given", func() {
		_, url := serve([]string{"CLAUDEMOCK_CLOCK=manual", "CLAUDEMOCK_START=2026-01-01T00:00:00Z"}, "--orgs", "testdata/orgs.yaml", "--tier", "tier-3")
		req, _ := http.NewRequest("POST", url+"/v1/messages", strings.NewReader(hello))
		req.Header.Set("x-api-key", "sk-batch")
		req.Header.Set("anthropic-version", "2023-06-01")
		res, err := http.DefaultClient.Do(req)
		Expect(err).NotTo(HaveOccurred())
		res.Body.Close()
		Expect(res.Header.Get("anthropic-organization-id")).To(Equal("org-acme"))
		Expect(res.Header.Get("anthropic-ratelimit-requests-limit")).To(Equal("5"))
		Expect(res.Header.Get("anthropic-ratelimit-requests-reset")).To(Equal("2026-01-01T00:00:12Z"))
		status, _ := post(url, hello) // an unknown key: the default organization, on tier-3
		Expect(status).To(Equal(200))
	})

	It("puts the default organization on start with no flags, and tier-1 with --tier", func() {
		_, url := serve(nil)
		framework := `{"model":"claude-sonnet-4-6","max_tokens":64000,"messages":[{"role":"user","content":"Hello"}]}`
		res := postRaw(url, framework)
		Expect(res.StatusCode).To(Equal(200))
		Expect(res.Header.Get("anthropic-ratelimit-output-tokens-limit")).To(Equal("400000"))

		_, url = serve(nil, "--tier", "tier-1") // reserves max_tokens of 8,000 output tokens a minute
		res = postRaw(url, framework)
		Expect([]any{res.StatusCode, res.Header.Get("x-should-retry"), res.Header.Get("retry-after")}).To(Equal([]any{429, "false", ""}))
		_, url = serve([]string{"CLAUDEMOCK_TIER=tier-1", "CLAUDEMOCK_RETRY_OVERSIZED=true"})
		res = postRaw(url, framework)
		Expect([]any{res.StatusCode, res.Header.Get("x-should-retry"), res.Header.Get("retry-after")}).To(Equal([]any{429, "true", "1"}))
	})

	It("starts the clock at a bare --start date, past a model's retirement", func() {
		_, url := serve(nil, "--start", "2027-01-01")
		status, body := post(url, strings.Replace(hello, "claude-haiku-4-5", "claude-sonnet-4-5", 1))
		Expect(status).To(Equal(404))
		Expect(body).To(MatchRegexp(`^\{"type":"error","error":\{"type":"not_found_error","message":"model: claude-sonnet-4-5"\},"request_id":"req_011C\w+"\}$`))
		status, _ = post(url, strings.Replace(hello, "claude-haiku-4-5", "claude-sonnet-4-6", 1))
		Expect(status).To(Equal(200))
	})

	It("names a bad clock", func() {
		session := start(nil, "serve", "--clock", "fast")
		Eventually(session).Should(gexec.Exit(1))
		Expect(session.Err).To(gbytes.Say(`claudemock: clock "fast": want real, manual or scaled:N`))
	})

	It("gives the same bytes for the same seed", func() {
		_, a := serve(nil, "--seed", "5")
		_, b := serve([]string{"CLAUDEMOCK_SEED=5"})
		_, first := post(a, hello)
		_, second := post(b, hello)
		Expect(first).To(Equal(second))
	})

	It("names the variable holding a bad value", func() {
		session := start([]string{"CLAUDEMOCK_REPLY_TOKENS=many"}, "serve")
		Eventually(session).Should(gexec.Exit(2))
		Expect(session.Err).To(gbytes.Say(`claudemock serve: environment variable CLAUDEMOCK_REPLY_TOKENS="many": expected an integer such as 10`))
		session = start([]string{"CLAUDEMOCK_SEED=x"}, "serve")
		Eventually(session).Should(gexec.Exit(2))
		Expect(session.Err).To(gbytes.Say(`claudemock serve: environment variable CLAUDEMOCK_SEED="x": expected an unsigned integer such as 42`))
	})

	It("says a bad flag once, and refuses a stray argument", func() {
		session := start(nil, "serve", "--bogus")
		Eventually(session).Should(gexec.Exit(2))
		Expect(string(session.Err.Contents())).To(Equal("claudemock serve: flag provided but not defined: -bogus\n" +
			"Run 'claudemock help serve' for its flags.\n"))
		session = start(nil, "serve", "extra")
		Eventually(session).Should(gexec.Exit(2))
		Expect(string(session.Err.Contents())).To(Equal("claudemock serve: unexpected argument \"extra\" (it takes flags only)\n" +
			"Run 'claudemock help serve' for its flags.\n"))
	})

	It("prints a URL a client can use when listening on every interface", func() {
		session := start(nil, "serve", "--addr", ":0")
		DeferCleanup(func() { session.Kill().Wait() })
		Eventually(session.Err).Should(gbytes.Say(`listening on http://127\.0\.0\.1:\d+ \(seed 0\)`))
		url := listening.FindStringSubmatch(string(session.Err.Contents()))[1]
		status, _ := post(url, hello)
		Expect(status).To(Equal(200))
	})

	It("calls a tool on every request under CLAUDEMOCK_AUTO_TOOLS=always, the flag winning", func() {
		withTool := `{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"Hello"}],` +
			`"tools":[{"name":"ping","input_schema":{"type":"object","properties":{"n":{"const":1}},"required":["n"]}}]}`
		_, url := serve([]string{"CLAUDEMOCK_AUTO_TOOLS=always", "CLAUDEMOCK_QUIET=true"})
		status, body := post(url, withTool)
		Expect(status).To(Equal(200))
		Expect(body).To(MatchRegexp(`"content":\[\{"type":"tool_use","id":"toolu_01\w{22}","name":"ping","input":\{"n":1\}`))
		Expect(body).To(ContainSubstring(`"stop_reason":"tool_use"`))
		_, url = serve([]string{"CLAUDEMOCK_AUTO_TOOLS=always", "CLAUDEMOCK_QUIET=true"}, "--auto-tools", "named")
		status, body = post(url, withTool)
		Expect(status).To(Equal(200))
		Expect(body).To(ContainSubstring(`"stop_reason":"end_turn"`))
	})

	It("names a bad --auto-tools rule", func() {
		session := start(nil, "serve", "--auto-tools", "sometimes")
		Eventually(session).Should(gexec.Exit(1))
		Expect(session.Err).To(gbytes.Say(`claudemock: --auto-tools: must be one of named, never, always, got "sometimes"`))
	})

	It("names the tiers file, line, field and value of a bad catalogue", func() {
		session := start(nil, "serve", "--tiers", "testdata/bad-tiers.yaml")
		Eventually(session).Should(gexec.Exit(1))
		Expect(session.Err).To(gbytes.Say(`testdata/bad-tiers.yaml:\d+: models\[0\]\.max_output_tokens: `))
	})

	It("explains a port already in use", func() {
		_, url := serve(nil)
		session := start(nil, "serve", "--addr", strings.TrimPrefix(url, "http://"))
		Eventually(session).Should(gexec.Exit(1))
		Expect(session.Err).To(gbytes.Say(`claudemock: --addr: listen tcp .*address already in use`))
	})
})

var _ = Describe("claudemock validate", func() {
	It("accepts the shipped catalogue", func() {
		session := start(nil, "validate", "../../tiers.yaml")
		Eventually(session).Should(gexec.Exit(0))
		Expect(session.Out).To(gbytes.Say(`\.\./\.\./tiers\.yaml: ok`))
	})

	It("rejects a bad file with its location and exits 1", func() {
		session := start(nil, "validate", "../../tiers.yaml", "testdata/bad-tiers.yaml", "testdata/missing.yaml")
		Eventually(session).Should(gexec.Exit(1))
		Expect(session.Err).To(gbytes.Say(`testdata/bad-tiers.yaml:\d+: models\[0\]\.max_output_tokens: `))
		Expect(session.Err).To(gbytes.Say(`open testdata/missing.yaml: no such file or directory`))
	})

	It("checks organizations files too", func() {
		session := start(nil, "validate", "testdata/orgs.yaml", "testdata/bad-orgs.yaml")
		Eventually(session).Should(gexec.Exit(1))
		Expect(session.Out).To(gbytes.Say(`testdata/orgs\.yaml: ok`))
		Expect(session.Err).To(gbytes.Say(`testdata/bad-orgs\.yaml:3: organizations\[0\]\.tier: must name a tier of the catalogue \(.*\), got "tier-9"`))
	})

	It("checks scenario files too, the shipped ones passing", func() {
		session := start(nil, "validate", "../../scenarios/burst-429.yaml", "testdata/bad-scenario.yaml")
		Eventually(session).Should(gexec.Exit(1))
		Expect(session.Out).To(gbytes.Say(`\.\./\.\./scenarios/burst-429\.yaml: ok`))
		Expect(session.Err).To(gbytes.Say(`testdata/bad-scenario\.yaml:3: faults\[0\]\.rate_limit\.dimension: `))
	})

	It("takes a file with scenario keys but no name for a scenario that forgot it", func() {
		session := start(nil, "validate", "testdata/unnamed-scenario.yaml")
		Eventually(session).Should(gexec.Exit(1))
		Expect(session.Err).To(gbytes.Say(`testdata/unnamed-scenario\.yaml:1: missing required field "name"\n`))
	})

	It("refuses a file over 4 MiB by its size, without reading it", func() {
		path := filepath.Join(GinkgoT().TempDir(), "huge.yaml")
		Expect(os.WriteFile(path, []byte("name: huge\nfaults:\n"+strings.Repeat("  - rate_limit: {dimension: bananas}\n", 300_000)), 0o600)).To(Succeed())
		session := start(nil, "validate", path)
		Eventually(session).Should(gexec.Exit(1))
		Expect(string(session.Err.Contents())).To(Equal(path + ": the file is 10.6 MiB; YAML files are limited to 4 MiB\n"))
	})

	It("prints twenty problems of a file that has more, then counts the rest", func() {
		path := filepath.Join(GinkgoT().TempDir(), "many.yaml")
		Expect(os.WriteFile(path, []byte("name: many\nfaults:\n"+strings.Repeat("  - rate_limit: {dimension: bananas}\n", 45)), 0o600)).To(Succeed())
		session := start(nil, "validate", path)
		Eventually(session).Should(gexec.Exit(1))
		lines := strings.Split(strings.TrimSuffix(string(session.Err.Contents()), "\n"), "\n")
		Expect(lines).To(HaveLen(21))
		Expect(lines[0]).To(Equal(path + `:3: faults[0].rate_limit.dimension: must be one of requests, input_tokens, output_tokens, tokens, got "bananas"`))
		Expect(lines[19]).To(Equal(path + `:22: faults[19].rate_limit.dimension: must be one of requests, input_tokens, output_tokens, tokens, got "bananas"`))
		Expect(lines[20]).To(Equal("… and 25 more problems"))
	})

	It("needs a file", func() {
		Eventually(start(nil, "validate")).Should(gexec.Exit(2))
	})

	It("explains itself on --help instead of looking for a file of that name", func() {
		session := start(nil, "validate", "--help")
		Eventually(session).Should(gexec.Exit(0))
		Expect(session.Out).To(gbytes.Say(`Usage: claudemock validate FILE\.\.\.`))
		Expect(session.Err.Contents()).To(BeEmpty())
	})
})

var _ = Describe("claudemock serve --scenario and claudemock report", func() {
	It("plays a ready scenario by name and reports a failing client with exit 1", func() {
		_, url := serve(nil, "--scenario", "burst-429", "--quiet")
		status, _ := post(url, hello)
		Expect(status).To(Equal(429))
		status, _ = post(url, hello) // at once, without waiting out retry-after
		Expect(status).To(Equal(429))
		session := start(nil, "report", "--url", url)
		Eventually(session).Should(gexec.Exit(1))
		Expect(session.Out).To(gbytes.Say(`scenario burst-429: FAIL, 2 requests, judged by the scenario's expectations\n`))
		Expect(session.Out).To(gbytes.Say(`  PASS  requests_arrived     2 requests reached the mock\n`))
		Expect(session.Out).To(gbytes.Say(`  PASS  faults_fired         1 fault, 0 optional; every fault that is not optional fired\n`))
		Expect(session.Out).To(gbytes.Say(`  FAIL  respects_retry_after 1 violation`))
		Expect(session.Out).To(gbytes.Say(`\n        request 2 came after \d+(\.\d+)?s of the 60s the 429 to request 1 asked to wait`))
		Expect(session.Out).To(gbytes.Say(`  fault burst \(rate_limit\): fired 2 of 2 matching requests\n`))
		Expect(string(session.Out.Contents())).NotTo(ContainSubstring("requests 1, 2:"))
	})

	It("fails a run no request reached with exit 1, saying why", func() {
		_, url := serve(nil, "--scenario", "burst-429", "--quiet")
		session := start(nil, "report", "--url", url)
		Eventually(session).Should(gexec.Exit(1))
		Expect(string(session.Out.Contents())).To(Equal(`scenario burst-429: FAIL, 0 requests, judged by the scenario's expectations
  FAIL  requests_arrived     no request reached the mock — is the client's base URL set?
  FAIL  faults_fired         1 violation (1 fault, 0 optional)
        fault burst (rate_limit) never fired: it matched 0 requests
  PASS  respects_retry_after 0 requests, 0 rate-limited; every request waited out retry-after
  PASS  max_attempts         0 requests in 0 logical requests; none made more than 3 attempts (most: 0)
  PASS  backoff              0 retries; none came at once and the waits grew (1.5× within every three, or reached 6s)
  PASS  jitter               0 retries after 429s; never more than 2 within 0.1s
  PASS  no_retry_on          0 answers with status 400, 401, 403, 404, 413, x-should-retry: false or a spend refusal; none retried
  PASS  retries_retryable    0 retryable answers; no logical request gave up at once
  fault burst (rate_limit): fired 0 of 0 matching requests
`))
	})

	It("judges a run without a scenario by the default expectations, in the singular for one request", func() {
		_, url := serve(nil, "--quiet")
		status, _ := post(url, hello)
		Expect(status).To(Equal(200))
		session := start(nil, "report", "--url", url)
		Eventually(session).Should(gexec.Exit(0))
		Expect(string(session.Out.Contents())).To(Equal(`(no scenario): PASS, 1 request, judged by the default expectations
  PASS  requests_arrived     1 request reached the mock
  PASS  respects_retry_after 1 request, 0 rate-limited; every request waited out retry-after
  PASS  no_retry_on          0 answers with status 400, 401, 403, 404, 413, x-should-retry: false or a spend refusal; none retried
  PASS  retries_retryable    0 retryable answers; no logical request gave up at once
  PASS  no_truncated_accept  0 cut streams; each was retried
`))
	})

	It("exits 0 for a passing run, and prints JSON on request", func() {
		_, url := serve([]string{"CLAUDEMOCK_SCENARIO=steady-state-tier-1"}, "--quiet")
		status, _ := post(url, hello)
		Expect(status).To(Equal(200))
		session := start(nil, "report", "--url", url, "--json")
		Eventually(session).Should(gexec.Exit(0))
		Expect(session.Out).To(gbytes.Say(`^\{"scenario":"steady-state-tier-1","expectations_from":"scenario","judged_at":"2026-01-05T09:00:\d\d(\.\d+)?Z",`))
		Expect(session.Out).To(gbytes.Say(`"pass":true,"requests":1,"expectations":\[\{"rule":"requests_arrived","pass":true,`))
	})

	It("writes JUnit XML to --junit FILE beside the text, keeping the exit code", func() {
		_, url := serve(nil, "--scenario", "burst-429", "--quiet")
		file := filepath.Join(GinkgoT().TempDir(), "report.xml")
		session := start(nil, "report", "--url", url, "--junit", file)
		Eventually(session).Should(gexec.Exit(1))
		Expect(session.Out).To(gbytes.Say(`scenario burst-429: FAIL, 0 requests`))
		data, err := os.ReadFile(file)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(data)).To(HavePrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n" +
			`  <testsuite name="burst-429" package="claudemock" id="0" timestamp="2026-01-05T09:00:`))
		Expect(string(data)).To(ContainSubstring(` hostname="localhost" tests="8" failures="2" errors="0" time="0">`))
		Expect(string(data)).To(ContainSubstring(`<failure message="no request reached the mock — is the client&#39;s base URL set?" type="requests_arrived">`))
		Expect(string(data)).To(HaveSuffix("</testsuites>\n"))
	})

	It("writes the JUnit XML alone to stdout with --junit -, and refuses it beside --json", func() {
		_, url := serve([]string{"CLAUDEMOCK_SCENARIO=steady-state-tier-1"}, "--quiet")
		status, _ := post(url, hello)
		Expect(status).To(Equal(200))
		session := start([]string{"CLAUDEMOCK_JUNIT=-"}, "report", "--url", url)
		Eventually(session).Should(gexec.Exit(0))
		out := string(session.Out.Contents())
		Expect(out).To(HavePrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n" +
			`  <testsuite name="steady-state-tier-1" package="claudemock" id="0" `))
		Expect(out).To(ContainSubstring(` tests="7" failures="0" errors="0" time="0">`))
		Expect(out).To(ContainSubstring(`<testcase name="max_concurrency" classname="steady-state-tier-1" time="0"></testcase>`))
		Expect(out).To(HaveSuffix("</testsuites>\n"))

		both := start(nil, "report", "--url", url, "--json", "--junit", "-")
		Eventually(both).Should(gexec.Exit(2))
		Expect(string(both.Err.Contents())).To(Equal("claudemock report: --json and --junit - both write to stdout; give --junit a file\n"))
		Expect(both.Out.Contents()).To(BeEmpty())
	})

	It("exits 2 when it cannot write the JUnit file", func() {
		_, url := serve(nil, "--quiet")
		session := start(nil, "report", "--url", url, "--junit", filepath.Join(GinkgoT().TempDir(), "no-such-dir", "report.xml"))
		Eventually(session).Should(gexec.Exit(2))
		Expect(session.Err).To(gbytes.Say(`claudemock report: open .*no-such-dir/report\.xml: no such file or directory\n`))
	})

	It("locks the control API with --control-token, and report passes the token along", func() {
		_, url := serve([]string{"CLAUDEMOCK_SCENARIO=steady-state-tier-1"}, "--quiet", "--control-token", "s3cret")
		status, _ := post(url, hello)
		Expect(status).To(Equal(200))
		res, err := http.Get(url + "/_mock/report")
		Expect(err).NotTo(HaveOccurred())
		res.Body.Close()
		Expect(res.StatusCode).To(Equal(401))
		refused := start(nil, "report", "--url", url)
		Eventually(refused).Should(gexec.Exit(2))
		Expect(refused.Err).To(gbytes.Say(`answered 401: .*control API: Authorization: Bearer <control token> required`))
		Eventually(start(nil, "report", "--url", url, "--token", "s3cret")).Should(gexec.Exit(0))
		Eventually(start([]string{"CLAUDEMOCK_CONTROL_TOKEN=s3cret"}, "report", "--url", url)).Should(gexec.Exit(0))
		Eventually(start(nil, "healthcheck", "--url", url)).Should(gexec.Exit(0))
	})

	It("judges one test with --test, and every test without, one block each", func() {
		_, url := serve(nil, "--scenario", "testdata/two-tests.yaml", "--quiet")
		send := func(test string) int {
			status, _ := post(url, hello, "x-claudemock-test", test)
			return status
		}
		Expect([]int{send("patient"), send("eager"), send("eager")}).To(Equal([]int{429, 429, 200})) // eager retries at once
		res, err := http.Post(url+"/_mock/clock/advance", "application/json", strings.NewReader(`{"seconds": 3}`))
		Expect(err).NotTo(HaveOccurred())
		Expect(res.Body.Close()).To(Succeed())
		Expect(send("patient")).To(Equal(200))

		patient := start(nil, "report", "--url", url, "--test", "patient")
		Eventually(patient).Should(gexec.Exit(0))
		Expect(string(patient.Out.Contents())).To(HavePrefix("scenario two-tests: PASS, 2 requests, judged by the scenario's expectations\n  PASS  requests_arrived "))
		eager := start([]string{"CLAUDEMOCK_TEST=eager"}, "report", "--url", url)
		Eventually(eager).Should(gexec.Exit(1))
		Expect(string(eager.Out.Contents())).To(HavePrefix("scenario two-tests: FAIL, 2 requests, judged by the scenario's expectations\n"))
		Expect(string(eager.Out.Contents())).To(ContainSubstring("\n  FAIL  respects_retry_after "))

		all := start(nil, "report", "--url", url)
		Eventually(all).Should(gexec.Exit(1))
		Expect(all.Out).To(gbytes.Say(`^test "eager":\nscenario two-tests: FAIL, 2 requests, judged by the scenario's expectations\n`))
		Expect(all.Out).To(gbytes.Say(`  FAIL  respects_retry_after `))
		Expect(all.Out).To(gbytes.Say(`\ntest "patient":\nscenario two-tests: PASS, 2 requests, judged by the scenario's expectations\n`))
		Expect(all.Out).To(gbytes.Say(`  fault first \(rate_limit\): fired 1 of 2 matching requests\n2 tests: 1 failed \("eager"\)\n$`))
		asJSON := start(nil, "report", "--url", url, "--json")
		Eventually(asJSON).Should(gexec.Exit(1))
		Expect(string(asJSON.Out.Contents())).To(MatchRegexp(`^\[\{"test":"eager","scenario":"two-tests",.*"pass":false,"requests":2,.*\},\{"test":"patient",.*"pass":true,"requests":2,.*\}\]$`))
		junit := start(nil, "report", "--url", url, "--junit", "-")
		Eventually(junit).Should(gexec.Exit(1))
		Expect(regexp.MustCompile(`<testsuite name="[^"]*"`).FindAllString(string(junit.Out.Contents()), -1)).To(
			Equal([]string{`<testsuite name="eager"`, `<testsuite name="patient"`})) // one suite per test
	})

	It("exits 2 when there is no server to ask, and names a scenario it cannot find", func() {
		Eventually(start(nil, "report", "--url", "http://127.0.0.1:1")).Should(gexec.Exit(2))
		session := start(nil, "serve", "--scenario", "no-such-scenario")
		Eventually(session).Should(gexec.Exit(1))
		Expect(session.Err).To(gbytes.Say(`--scenario: scenario "no-such-scenario": neither a file nor a ready scenario \(have acceleration-ramp, batch-client, burst-429, `))
	})
})

var _ = Describe("claudemock healthcheck", func() {
	It("exits 0 against a running server and 1 against nothing", func() {
		_, url := serve(nil)
		Eventually(start(nil, "healthcheck", "--url", url)).Should(gexec.Exit(0))
		Eventually(start([]string{"CLAUDEMOCK_URL=http://127.0.0.1:1"}, "healthcheck")).Should(gexec.Exit(1))
	})

	It("waits with --wait for a server that is still starting", func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		addr := ln.Addr().String()
		Expect(ln.Close()).To(Succeed())
		waiting := start(nil, "healthcheck", "--url", "http://"+addr, "--wait", "60s")
		Consistently(waiting.Exited).ShouldNot(BeClosed()) // nothing listens yet
		server := start(nil, "serve", "--addr", addr)
		DeferCleanup(func() { server.Kill().Wait() })
		Eventually(waiting).Should(gexec.Exit(0))
	})

	It("gives up after --wait, saying so", func() {
		session := start(nil, "healthcheck", "--url", "http://127.0.0.1:1", "--wait", "300ms")
		Eventually(session).Should(gexec.Exit(1))
		Expect(session.Err).To(gbytes.Say(`claudemock healthcheck: no answer within 300ms: `))
	})
})

var _ = Describe("claudemock help", func() {
	It("explains the commands and every serve flag with its variable", func() {
		session := start(nil, "help", "serve")
		Eventually(session).Should(gexec.Exit(0))
		for _, flag := range []string{"addr", "tiers", "seed", "api-keys", "reply-tokens", "quiet", "clock", "start", "tier", "orgs", "scenario", "auto-tools", "retry-oversized", "batch-request-time"} {
			env := "CLAUDEMOCK_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
			Expect(string(session.Out.Contents())).To(MatchRegexp(`-` + flag + `[\s\S]*env ` + env))
		}
	})

	It("rejects an unknown command with the usage", func() {
		session := start(nil, "serv")
		Eventually(session).Should(gexec.Exit(2))
		Expect(session.Err).To(gbytes.Say(`unknown command "serv"`))
		session = start(nil, "help", "nope")
		Eventually(session).Should(gexec.Exit(2))
		Expect(session.Err).To(gbytes.Say(`claudemock help: unknown command "nope"\n\nclaudemock — a local`))
		Expect(session.Out.Contents()).To(BeEmpty())
	})
})
