package server_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// junitXSD is the Apache Ant JUnit schema (windyroad/JUnit-Schema, Apache
// License 2.0; see testdata/junit/README.md).
const junitXSD = "testdata/junit/JUnit.xsd"

// junit writes reports as JUnit XML.
func junit(reports ...server.NamedReport) string {
	GinkgoHelper()
	var buf bytes.Buffer
	Expect(server.WriteJUnit(&buf, reports)).To(Succeed())
	return buf.String()
}

// xmllint validates doc against the JUnit schema and returns xmllint's
// verdict. Without xmllint the spec skips, unless CLAUDEMOCK_SDK_CHECKS=
// required (as .ci/run sets, after installing libxml2-utils).
func xmllint(doc string) (string, error) {
	GinkgoHelper()
	tool, err := exec.LookPath("xmllint")
	if err != nil {
		const reason = "xmllint is not installed; apt-get install libxml2-utils"
		if os.Getenv("CLAUDEMOCK_SDK_CHECKS") == "required" {
			Fail("CLAUDEMOCK_SDK_CHECKS=required but " + reason)
		}
		Skip(reason)
	}
	file := filepath.Join(GinkgoT().TempDir(), "report.xml")
	Expect(os.WriteFile(file, []byte(doc), 0o600)).To(Succeed())
	out, err := exec.Command(tool, "--noout", "--schema", junitXSD, file).CombinedOutput()
	return string(bytes.ReplaceAll(out, []byte(file), []byte("report.xml"))), err
}

// burstRun is a known run: a 429 retried at once, a 400 retried.
func burstRun(s *server.Server, c *client) server.Report {
	GinkgoHelper()
	load(s, `faults:
  - name: burst
    when: {to: 1}
    rate_limit: {retry_after: 10s}
  - name: never
    when: {from: 100}
    overloaded: {}
expect:
  respects_retry_after: true
  no_retry_on: true
`)
	Expect(c.post("/v1/messages", hello).status).To(Equal(429))
	Expect(c.post("/v1/messages", hello).status).To(Equal(200))
	_, err := s.Advance(10 * time.Second)
	Expect(err).NotTo(HaveOccurred())
	bad := `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}]}`
	Expect(c.post("/v1/messages", bad).status).To(Equal(400))
	Expect(c.post("/v1/messages", bad).status).To(Equal(400))
	return s.Report()
}

var _ = Describe("WriteJUnit", func() {
	var (
		s *server.Server
		c *client
	)

	BeforeEach(func() {
		s, c = newServer(server.Options{})
	})

	It("writes a known run byte for byte: a test case per result, failures with their violations", func() {
		rep := burstRun(s, c)
		org := s.DefaultOrganization()
		Expect(junit(server.NamedReport{Report: rep})).To(Equal(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="spec" package="claudemock" id="0" timestamp="2026-01-01T00:00:10" hostname="localhost" tests="4" failures="3" errors="0" time="0">
    <properties>
      <property name="scenario" value="spec"></property>
      <property name="expectations_from" value="scenario"></property>
      <property name="requests" value="4"></property>
      <property name="dropped" value="0"></property>
      <property name="fault.burst" value="fired 1 of 2 matched"></property>
      <property name="fault.never" value="fired 0 of 1 matched"></property>
    </properties>
    <testcase name="requests_arrived" classname="spec" time="0"></testcase>
    <testcase name="faults_fired" classname="spec" time="0">
      <failure message="1 violation (2 faults, 0 optional)" type="faults_fired">fault never (overloaded) never fired: it matched 1 request</failure>
    </testcase>
    <testcase name="respects_retry_after" classname="spec" time="0">
      <failure message="1 violation (4 requests, 1 rate-limited)" type="respects_retry_after">request 2 came after 0s of the 10s the 429 to request 1 asked to wait (requests, org ` + org + `, family haiku-4-5)</failure>
    </testcase>
    <testcase name="no_retry_on" classname="spec" time="0">
      <failure message="1 violation (2 answers with status 400, 401, 403, 404, 413, x-should-retry: false or a spend refusal)" type="no_retry_on">request 4 retried the 400 (invalid_request_error) to request 3, which is not retryable (org ` + org + `, family haiku-4-5)</failure>
    </testcase>
    <system-out></system-out>
    <system-err></system-err>
  </testsuite>
</testsuites>
`))
	})

	It("names a suite by its name, else its scenario, else claudemock, and numbers the suites", func() {
		plain := server.Report{Faults: []scenario.Count{}, Verdict: server.Verdict{Results: []expect.Result{}}}
		named := plain
		named.Scenario = "burst-429"
		doc := junit(server.NamedReport{Name: "checkout tests", Report: named}, server.NamedReport{Report: named},
			server.NamedReport{Report: plain})
		Expect(doc).To(ContainSubstring(`<testsuite name="checkout tests" package="claudemock" id="0" timestamp="0001-01-01T00:00:00"`))
		Expect(doc).To(ContainSubstring(`<testsuite name="burst-429" package="claudemock" id="1" `))
		Expect(doc).To(ContainSubstring(`<testsuite name="claudemock" package="claudemock" id="2" `))
	})

	It("escapes markup, writes several lines of violations, and its summary when a failure has none", func() {
		rep := server.Report{Scenario: `a<b & "c"`, Faults: []scenario.Count{}, Verdict: server.Verdict{Results: []expect.Result{
			{Rule: "requests_arrived", Summary: expect.NoRequests, Violations: []expect.Violation{}},
			{Rule: "jitter", Summary: "2 violations (x)", Violations: []expect.Violation{
				{Requests: []int{1}, Detail: "first <one>"}, {Requests: []int{2}, Detail: "second & last"}}},
		}}}
		doc := junit(server.NamedReport{Report: rep})
		Expect(doc).To(ContainSubstring(`<testsuite name="a&lt;b &amp; &#34;c&#34;" `))
		Expect(doc).To(ContainSubstring(`<failure message="no request reached the mock — is the client&#39;s base URL set?" type="requests_arrived">` +
			`no request reached the mock — is the client&#39;s base URL set?</failure>`))
		Expect(doc).To(ContainSubstring(`<failure message="2 violations (x)" type="jitter">first &lt;one&gt;&#xA;second &amp; last</failure>`))
	})

	It("is deterministic: the same report gives the same bytes", func() {
		rep := burstRun(s, c)
		first := junit(server.NamedReport{Report: rep})
		Expect(junit(server.NamedReport{Report: s.Report()})).To(Equal(first))
	})

	It("passes on the writer's error", func() {
		err := server.WriteJUnit(failingWriter{}, []server.NamedReport{{Report: server.Report{}}})
		Expect(err).To(MatchError("disk full"))
	})

	Describe("against the JUnit schema", func() {
		It("validates a failing run, an empty run and several suites", func() {
			failing := burstRun(s, c)
			fresh, _ := newServer(server.Options{})
			empty := fresh.Report()
			Expect(empty.Pass).To(BeFalse())
			for _, doc := range []string{
				junit(server.NamedReport{Report: failing}),
				junit(server.NamedReport{Report: empty}),
				junit(server.NamedReport{Name: "a", Report: failing}, server.NamedReport{Name: "b", Report: empty}),
				junit(),
			} {
				out, err := xmllint(doc)
				Expect(err).NotTo(HaveOccurred(), out)
				Expect(out).To(Equal("report.xml validates\n"))
			}
		})

		It("is a real check: a suite without its hostname is refused", func() {
			doc := junit(server.NamedReport{Report: burstRun(s, c)})
			broken := bytes.Replace([]byte(doc), []byte(` hostname="localhost"`), nil, 1)
			out, err := xmllint(string(broken))
			Expect(err).To(HaveOccurred())
			Expect(out).To(ContainSubstring("The attribute 'hostname' is required but missing."))
			Expect(out).To(ContainSubstring("report.xml fails to validate"))
		})
	})
})

// failingWriter refuses every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
