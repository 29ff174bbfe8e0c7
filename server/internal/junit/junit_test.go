package junit_test

import (
	"bytes"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/expect"
	"github.com/claudemock/claudemock/server/internal/junit"
	"github.com/claudemock/claudemock/server/internal/scenario"
)

// write renders suites as one document.
func write(suites ...junit.Suite) string {
	GinkgoHelper()
	var buf bytes.Buffer
	Expect(junit.Write(&buf, suites)).To(Succeed())
	return buf.String()
}

var judgedAt = time.Date(2026, 3, 1, 12, 0, 30, 0, time.FixedZone("CET", 3600))

var _ = Describe("Write", func() {
	It("writes a passing and a failing suite, named by name, scenario or claudemock", func() {
		passing := junit.Suite{Name: "checkout", ExpectationsFrom: "defaults", JudgedAt: judgedAt,
			Verdict: expect.Report{Pass: true, Requests: 1, Results: []expect.Result{
				{Rule: "requests_arrived", Pass: true, Summary: "1 request arrived"},
			}}}
		failing := junit.Suite{Scenario: "burst", ExpectationsFrom: "scenario", JudgedAt: judgedAt, Dropped: 2,
			Faults: []scenario.Count{{Name: "burst", Matched: 3, Fired: 1}},
			Verdict: expect.Report{Requests: 3, Results: []expect.Result{
				{Rule: "respects_retry_after", Summary: "2 retries came too soon", Violations: []expect.Violation{
					{Requests: []int{1, 2}, Detail: "request 2 came 0s after request 1's 429 <retry-after: 10s>"},
					{Requests: []int{2, 3}, Detail: "request 3 came 1s after request 2's 429"},
				}},
				{Rule: "no_bad_requests", Summary: "failed", Violations: []expect.Violation{}},
			}}}
		Expect(write(passing, failing, junit.Suite{})).To(Equal(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="checkout" package="claudemock" id="0" timestamp="2026-03-01T11:00:30" hostname="localhost" tests="1" failures="0" errors="0" time="0">
    <properties>
      <property name="scenario" value=""></property>
      <property name="expectations_from" value="defaults"></property>
      <property name="requests" value="1"></property>
      <property name="dropped" value="0"></property>
    </properties>
    <testcase name="requests_arrived" classname="checkout" time="0"></testcase>
    <system-out></system-out>
    <system-err></system-err>
  </testsuite>
  <testsuite name="burst" package="claudemock" id="1" timestamp="2026-03-01T11:00:30" hostname="localhost" tests="2" failures="2" errors="0" time="0">
    <properties>
      <property name="scenario" value="burst"></property>
      <property name="expectations_from" value="scenario"></property>
      <property name="requests" value="3"></property>
      <property name="dropped" value="2"></property>
      <property name="fault.burst" value="fired 1 of 3 matched"></property>
    </properties>
    <testcase name="respects_retry_after" classname="burst" time="0">
      <failure message="2 retries came too soon" type="respects_retry_after">request 2 came 0s after request 1&#39;s 429 &lt;retry-after: 10s&gt;&#xA;request 3 came 1s after request 2&#39;s 429</failure>
    </testcase>
    <testcase name="no_bad_requests" classname="burst" time="0">
      <failure message="failed" type="no_bad_requests">failed</failure>
    </testcase>
    <system-out></system-out>
    <system-err></system-err>
  </testsuite>
  <testsuite name="claudemock" package="claudemock" id="2" timestamp="0001-01-01T00:00:00" hostname="localhost" tests="0" failures="0" errors="0" time="0">
    <properties>
      <property name="scenario" value=""></property>
      <property name="expectations_from" value=""></property>
      <property name="requests" value="0"></property>
      <property name="dropped" value="0"></property>
    </properties>
    <system-out></system-out>
    <system-err></system-err>
  </testsuite>
</testsuites>
`))
	})
})
