package server_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

// browser starts headless Chromium (Debian's chromium package) for one
// spec, stopped when the spec ends. Without it the spec is skipped, unless
// CI is set: .ci/run installs it, so there a missing browser fails.
func browser() context.Context {
	GinkgoHelper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			Fail("chromium is not installed; .ci/run installs it")
		}
		Skip("chromium is not installed (apt-get install chromium): the dashboard's browser specs need it")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path),
		chromedp.NoSandbox, chromedp.WindowSize(1400, 1000))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	DeferCleanup(func() { cancel(); cancelAlloc() })
	Expect(chromedp.Do(ctx)).To(Succeed()) // starts the browser outside any timeout
	return ctx
}

// screen is what the dashboard shows, read from its DOM.
type screen struct {
	Clock    string   `json:"clock"`
	Scenario string   `json:"scenario"`
	RPM      string   `json:"rpm"`
	RPMFull  string   `json:"rpm_full"`
	Rows     []string `json:"rows"`
	Groups   []int    `json:"groups"`
	Fault    string   `json:"fault"`
	Verdict  string   `json:"verdict"`
	Spend    string   `json:"spend"`
	Error    string   `json:"error"`
}

// readScreen reads the numbers a person would look at: the haiku-4-5
// requests bucket, each journal row's sequence number and status class,
// the size of each group of attempts, the fault's counts, the verdict and
// the default organization's spend.
const readScreen = `(() => {
  const text = (sel) => { const e = document.querySelector(sel); return e ? e.textContent : ""; };
  const rpm = '.bucket-group[data-family="haiku-4-5"] .bucket[data-dimension="requests_per_minute"] ';
  return {
    clock: text("#clock-now") + " " + text("#clock-mode"),
    scenario: text("#scenario-name"),
    rpm: text(rpm + ".bucket-level"),
    rpm_full: text(rpm + ".bucket-full-at"),
    rows: Array.from(document.querySelectorAll("#journal tr.row"), (r) => r.dataset.seq + " " + r.className),
    groups: Array.from(document.querySelectorAll("#journal tbody.logical"), (b) => b.rows.length),
    fault: text('tr.fault[data-name="burst"] .fault-matched') + " matched, " + text('tr.fault[data-name="burst"] .fault-fired') + " fired",
    verdict: text("#verdict") + " " + document.querySelector("#verdict").className,
    spend: text(".org .spend-text"),
    error: text("#error"),
  };
})()`

// look reads the screen now; an error (the page still loading) makes
// Eventually try again.
func look(ctx context.Context) (screen, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[screen](readScreen))
}

// screenshot saves the page as NAME.png in $CLAUDEMOCK_ARTIFACTS, else in
// the spec's temporary directory, and says where.
func screenshot(ctx context.Context, name string) {
	GinkgoHelper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	Expect(err).NotTo(HaveOccurred())
	dir := os.Getenv("CLAUDEMOCK_ARTIFACTS")
	if dir == "" {
		dir = GinkgoT().TempDir()
	}
	Expect(os.MkdirAll(dir, 0o755)).To(Succeed())
	path := filepath.Join(dir, name+".png")
	Expect(os.WriteFile(path, png, 0o644)).To(Succeed())
	AddReportEntry("screenshot", path)
	fmt.Fprintf(GinkgoWriter, "dashboard screenshot: %s\n", path)
}

// dashboardScenario refuses the first two Messages requests with a 429 and
// judges the retries.
const dashboardScenario = `name: dashboard
faults:
  - name: burst
    match: {endpoint: messages}
    when: {from: 1, to: 2}
    rate_limit: {dimension: requests, retry_after: 2s}
expect:
  respects_retry_after: true
  max_attempts: 3
  backoff: true
  no_retry_on: true
  retries_retryable: true
`

var _ = Describe("The dashboard in a browser", Label("browser"), func() {
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

	// send posts a Messages body over HTTP and returns the status.
	send := func(s *server.Server, body string, retry int, extra ...string) int {
		GinkgoHelper()
		req, err := http.NewRequest("POST", s.URL()+"/v1/messages", strings.NewReader(body))
		Expect(err).NotTo(HaveOccurred())
		req.Header.Set("x-api-key", "test-key")
		req.Header.Set("anthropic-version", "2023-06-01")
		req.Header.Set("content-type", "application/json")
		req.Header.Set("x-stainless-retry-count", fmt.Sprint(retry))
		res, err := http.DefaultClient.Do(req)
		Expect(err).NotTo(HaveOccurred())
		res.Body.Close()
		return res.StatusCode
	}
	// burst: one request refused twice and then answered, two more
	// answered and one refused for its body: six rows, four logical
	// requests.
	burst := func(s *server.Server) {
		GinkgoHelper()
		statuses := []int{send(s, hello, 0)}
		_, _ = s.Advance(2 * time.Second)
		statuses = append(statuses, send(s, hello, 1))
		_, _ = s.Advance(3 * time.Second)
		statuses = append(statuses, send(s, hello, 2),
			send(s, `{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"B"}]}`, 0),
			send(s, `{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"C"}]}`, 0),
			send(s, `{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"D"}]}`, 0))
		Expect(statuses).To(Equal([]int{429, 429, 200, 200, 400, 200}))
	}

	It("shows the buckets, the journal by status and attempt, the fault's count, spend and the verdict after a burst", func() {
		ctx := browser()
		s := server.RunT(GinkgoT(), server.Options{Clock: "manual", Start: start, Tier: "tier-1",
			Scenario: []byte(dashboardScenario), ScenarioFile: "dashboard.yaml"})
		Expect(chromedp.Do(ctx, chromedp.Navigate(s.URL()+"/_mock/ui"))).To(Succeed())
		burst(s)
		o := s.State().Organizations[0]
		want := screen{
			Clock: "2026-01-05 09:00:05Z (manual)", Scenario: "dashboard",
			RPM: "47 / 50", RPMFull: "full in 4s (09:00:08.600)",
			Rows: []string{"6 row status-2xx", "5 row status-4xx", "4 row status-2xx",
				"1 row status-429", "2 row status-429", "3 row status-2xx"},
			Groups:  []int{1, 1, 1, 3},
			Fault:   "5 matched, 2 fired", // the 400 never reached the scenario
			Verdict: "PASS badge pass",
			Spend:   fmt.Sprintf("$%.6f / $100.00", o.SpentThisMonth),
		}
		Expect(o.SpentThisMonth).To(BeNumerically("<", 0.01)) // the page's six decimals
		Eventually(look).WithArguments(ctx).WithTimeout(20 * time.Second).WithPolling(100 * time.Millisecond).Should(Equal(want))
		screenshot(ctx, "dashboard")
	})

	It("follows one test's namespace with ?test=NAME", func() {
		ctx := browser()
		s := server.RunT(GinkgoT(), server.Options{Clock: "manual", Start: start, Tier: "tier-1",
			Scenario: []byte(dashboardScenario), ScenarioFile: "dashboard.yaml"})
		Expect(send(s, hello, 0, "x-claudemock-test", "other")).To(Equal(429))
		Expect(chromedp.Do(ctx, chromedp.Navigate(s.URL()+"/_mock/ui?test=checkout"))).To(Succeed())
		Eventually(look).WithArguments(ctx).WithTimeout(20 * time.Second).WithPolling(100 * time.Millisecond).Should(
			And(HaveField("Rows", BeEmpty()), HaveField("Fault", "0 matched, 0 fired"), HaveField("Verdict", "FAIL badge fail")))
	})

	It("asks for the control token once, and then shows the run", func() {
		ctx := browser()
		s := server.RunT(GinkgoT(), server.Options{Clock: "manual", Start: start, Tier: "tier-1", ControlToken: "s3cret",
			Scenario: []byte(dashboardScenario), ScenarioFile: "dashboard.yaml"})
		Expect(send(s, hello, 0)).To(Equal(429))

		// The browser's prompt, answered as a person would: any user
		// name, the token as the password.
		var mu sync.Mutex
		var asked []string
		paused, challenged := chromedp.Events(ctx, fetch.RequestPaused), chromedp.Events(ctx, fetch.AuthRequired)
		go func() {
			defer GinkgoRecover()
			for ev, err := range paused {
				if err != nil {
					return
				}
				_, _ = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
			}
		}()
		go func() {
			defer GinkgoRecover()
			for ev, err := range challenged {
				if err != nil {
					return
				}
				mu.Lock()
				asked = append(asked, strings.TrimPrefix(ev.Request.URL, s.URL()))
				mu.Unlock()
				_, _ = chromedp.Call(ctx, fetch.ContinueWithAuth, fetch.ContinueWithAuthParams{RequestID: ev.RequestID,
					AuthChallengeResponse: &fetch.AuthChallengeResponse{
						Response: fetch.AuthChallengeResponseResponseProvideCredentials, Username: "me", Password: "s3cret"}})
			}
		}()
		handle := true
		_, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{HandleAuthRequests: &handle})
		Expect(err).NotTo(HaveOccurred())

		Expect(chromedp.Do(ctx, chromedp.Navigate(s.URL()+"/_mock/ui"))).To(Succeed())
		Eventually(look).WithArguments(ctx).WithTimeout(20 * time.Second).WithPolling(100 * time.Millisecond).Should(
			And(HaveField("Rows", Equal([]string{"1 row status-429"})), HaveField("Fault", "1 matched, 1 fired"), HaveField("Error", "")))
		mu.Lock()
		defer mu.Unlock()
		Expect(asked).To(Equal([]string{"/_mock/ui"}))
	})
})
