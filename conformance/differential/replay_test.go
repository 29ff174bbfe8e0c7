package differential_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

const (
	// apiKey is the one key the replay server accepts; an exchange that
	// recorded a 401 sends another.
	apiKey = "differential-key"
	// replayTier is a tier whose limits no single replayed request reaches:
	// the recordings came from organizations whose headers show 4,000 to
	// 10,000 requests a minute, and shapes, not limits, are compared here.
	replayTier = "tier-4"
)

// replayStart is the virtual time every replay server starts at.
var replayStart = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// startReplayServer starts a fresh in-process mock for one exchange;
// RunT registers its Close as a cleanup of the current spec.
func startReplayServer(e *exchange) *server.Server {
	GinkgoHelper()
	srv := server.RunT(GinkgoT(), server.Options{Seed: 9, Tier: replayTier, Clock: "manual",
		Start: replayStart, APIKeys: []string{apiKey}})
	if e.Scenario != "" {
		Expect(srv.SetScenario(e.Name, []byte(e.Scenario))).To(Succeed())
	}
	return srv
}

// body is the request body of e with every placeholder expanded.
func (e *exchange) body() []byte {
	GinkgoHelper()
	if e.Request.Body == nil {
		return nil
	}
	b, err := json.Marshal(expand(e.Request.Body))
	Expect(err).NotTo(HaveOccurred())
	if e.Request.Oversize > len(b) {
		b = append(b, bytes.Repeat([]byte(" "), e.Request.Oversize-len(b))...)
	}
	return b
}

// replay sends e's request to srv and reduces the answer to shapes.
func replay(srv *server.Server, e *exchange) answer {
	GinkgoHelper()
	method := e.Request.Method
	if method == "" {
		method = http.MethodPost
	}
	var reader io.Reader
	if b := e.body(); b != nil {
		reader = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, srv.URL()+e.Request.Path, reader)
	Expect(err).NotTo(HaveOccurred())
	key := apiKey
	if e.Request.Key != "" {
		key = e.Request.Key
	}
	req.Header.Set("x-api-key", key)
	req.Header.Set("anthropic-version", "2023-06-01")
	req.Header.Set("content-type", "application/json")
	if len(e.Request.Beta) > 0 {
		req.Header.Set("anthropic-beta", strings.Join(e.Request.Beta, ","))
	}
	resp, err := http.DefaultClient.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	Expect(err).NotTo(HaveOccurred())
	return reduce(e, resp, raw)
}

// reduce turns a response into the shapes compare works on.
func reduce(e *exchange, resp *http.Response, raw []byte) answer {
	a := answer{status: resp.StatusCode, headers: apiHeaders(resp.Header)}
	if strings.HasPrefix(resp.Header.Get("content-type"), "text/event-stream") {
		s, shape, msg := streamShape(parseSSE(string(raw)))
		a.sse, a.shape = &s, shape
		a.blocks, a.json, a.message = blockList(msg), jsonText(msg), msg != nil
		return a
	}
	v, err := decode(raw)
	if err != nil {
		a.shape = []string{"(body): not JSON"}
		return a
	}
	a.shape, a.err, a.body = shapeOf(v), errorOf(v), v
	if m, ok := v.(map[string]any); ok && a.status == http.StatusOK && e.Request.Path == "/v1/messages" {
		a.blocks, a.json, a.message = blockList(m), jsonText(m), true
	}
	return a
}

// apiHeaders is the sorted, lowercase names of the headers the API itself
// sets.
func apiHeaders(h http.Header) []string {
	var out []string
	for name := range h {
		n := strings.ToLower(name)
		if !edgeHeaders.MatchString(n) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// errorOf is "type: message" of an error body, for a person reading a
// status difference.
func errorOf(v any) string {
	m, _ := v.(map[string]any)
	e, _ := m["error"].(map[string]any)
	if e == nil {
		return ""
	}
	return fmt.Sprintf("%v: %v", e["type"], e["message"])
}
