package conformance_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"
	"github.com/onsi/gomega/gexec"

	"github.com/claudemock/claudemock/server"
)

// The real-client specs run the claudemock command as a user does, not an
// in-process server: `claudemock serve --addr 127.0.0.1:0` and no other
// flag, the base URL read from the line it prints.

// buildClaudemock builds the command once for the real-client specs; the
// race detector stays on, as in the rest of the suite, so that real
// clients' traffic can also find races.
func buildClaudemock() string {
	GinkgoHelper()
	path, err := gexec.Build("github.com/claudemock/claudemock/cmd/claudemock", "-race")
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(gexec.CleanupBuildArtifacts)
	return path
}

var listeningLine = regexp.MustCompile(`claudemock listening on (http://127\.0\.0\.1:\d+)`)

// mockProcess is one running `claudemock serve`.
type mockProcess struct {
	url     string
	session *gexec.Session
}

// serveMock starts `claudemock serve --addr 127.0.0.1:0`, waits for the line
// that says where it listens, and stops it when the spec ends.
func serveMock(binary string) *mockProcess {
	GinkgoHelper()
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	session, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() { session.Kill().Wait() })
	Eventually(session.Err).WithTimeout(30 * time.Second).Should(gbytes.Say(listeningLine.String()))
	return &mockProcess{url: listeningLine.FindStringSubmatch(string(session.Err.Contents()))[1], session: session}
}

// control sends a control-API request and decodes a 200 answer into out.
func (m *mockProcess) control(method, path string, body io.Reader, out any) {
	GinkgoHelper()
	req, err := http.NewRequest(method, m.url+path, body)
	Expect(err).NotTo(HaveOccurred())
	res, err := http.DefaultClient.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	Expect(err).NotTo(HaveOccurred())
	Expect(res.StatusCode).To(Equal(http.StatusOK), "%s %s: %s", method, path, data)
	if out != nil {
		Expect(json.Unmarshal(data, out)).To(Succeed(), "%s %s: %s", method, path, data)
	}
}

// loadReady loads one of the ready scenarios by name.
func (m *mockProcess) loadReady(name string) {
	GinkgoHelper()
	m.control("PUT", "/_mock/scenario?name="+url.QueryEscape(name), nil, nil)
}

// loadScenario loads a scenario file.
func (m *mockProcess) loadScenario(path string) {
	GinkgoHelper()
	data, err := os.ReadFile(path)
	Expect(err).NotTo(HaveOccurred())
	m.control("PUT", "/_mock/scenario", bytes.NewReader(data), nil)
}

// journalEntry holds the fields of a GET /_mock/requests entry the specs
// look at.
type journalEntry struct {
	Seq        int    `json:"seq"`
	Path       string `json:"path"`
	Endpoint   string `json:"endpoint"`
	Model      string `json:"model"`
	Stream     bool   `json:"stream"`
	RetryCount int    `json:"retry_count"`
	Status     int    `json:"status"`
	ErrorType  string `json:"error_type"`
	Dimension  string `json:"dimension"`
	Reply      string `json:"reply"`
	Delivery   string `json:"delivery"`
	Usage      *struct {
		InputTokens  int `json:"input_tokens"`
		OutputTokens int `json:"output_tokens"`
	} `json:"usage"`
}

// journal is the run's journal once every request in it has been answered
// (a client can exit before the server has written its last entry).
func (m *mockProcess) journal() []journalEntry {
	GinkgoHelper()
	var entries []journalEntry
	Eventually(func(g Gomega) {
		var page struct {
			Requests []journalEntry `json:"requests"`
		}
		m.control("GET", "/_mock/requests", nil, &page)
		for _, e := range page.Requests {
			g.Expect(e.Delivery).NotTo(BeEmpty(), "request %d is still being answered", e.Seq)
		}
		entries = page.Requests
	}).WithTimeout(10 * time.Second).Should(Succeed())
	return entries
}

// report is GET /_mock/report.
func (m *mockProcess) report() server.Report {
	GinkgoHelper()
	var rep server.Report
	m.control("GET", "/_mock/report", nil, &rep)
	return rep
}

// describe prints the journal for a failure message: one line a request.
func describeJournal(entries []journalEntry) string {
	var b strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&b, "  #%d %s model=%s stream=%t retry=%d -> %d %s %s reply=%s delivery=%s\n",
			e.Seq, e.Path, e.Model, e.Stream, e.RetryCount, e.Status, e.ErrorType, e.Dimension, e.Reply, e.Delivery)
	}
	return b.String()
}

func statuses(entries []journalEntry) []int {
	out := []int{}
	for _, e := range entries {
		out = append(out, e.Status)
	}
	return out
}

// clientURL is the base URL a client is given. With
// CLAUDEMOCK_CLIENT_CAPTURE=DIR it is a recording proxy in front of the
// mock that writes each request (method, path, headers with the key
// redacted, body) to DIR/<name>-NN.json: what the client sends by default,
// for anyone comparing it with the real API. Without it, the mock itself.
func (m *mockProcess) clientURL(name string) string {
	GinkgoHelper()
	dir := os.Getenv("CLAUDEMOCK_CLIENT_CAPTURE")
	if dir == "" {
		return m.url
	}
	Expect(os.MkdirAll(dir, 0o755)).To(Succeed())
	target, err := url.Parse(m.url)
	Expect(err).NotTo(HaveOccurred())
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.FlushInterval = -1
	var n atomic.Int32
	recorder := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		file := filepath.Join(dir, fmt.Sprintf("%s-%02d.json", name, n.Add(1)))
		_ = os.WriteFile(file, captured(r, body), 0o644)
		proxy.ServeHTTP(w, r)
	}))
	DeferCleanup(recorder.Close)
	return recorder.URL
}

// captured renders one request for clientURL's capture files.
func captured(r *http.Request, body []byte) []byte {
	headers := map[string]string{}
	for name, values := range r.Header {
		v := strings.Join(values, ", ")
		if k := strings.ToLower(name); k == "x-api-key" || k == "authorization" {
			v = "<redacted>"
		}
		headers[strings.ToLower(name)] = v
	}
	rec := map[string]any{"method": r.Method, "path": r.URL.RequestURI(), "headers": headers}
	if json.Valid(body) {
		rec["body"] = json.RawMessage(body)
	} else {
		rec["body"] = string(body)
	}
	out, _ := json.MarshalIndent(rec, "", "  ")
	return out
}
