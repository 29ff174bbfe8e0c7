// Command soak drives a running claudemock with a steady mix of ordinary
// and hostile requests for a while and reports throughput, the statuses it
// got and, given the server's pid, its resident memory over time, so a
// leak shows as a slope rather than a guess:
//
//	go run ./scripts/soak -url http://127.0.0.1:PORT -pid PID -duration 5m
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// mix is what each worker sends in turn: ordinary requests, streams,
// forced tools with awkward schemas, and bodies the server must refuse.
var mix = []struct{ path, body string }{
	{"/v1/messages", `{"model":"claude-haiku-4-5","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}`},
	{"/v1/messages", `{"model":"claude-sonnet-4-6","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Hello"}]}`},
	{"/v1/messages", `{"model":"claude-haiku-4-5","max_tokens":256,"tool_choice":{"type":"any"},"tools":[{"name":"t","input_schema":{"type":"object","properties":{"a":{"$ref":"#"},"s":{"type":"string","minLength":2000000000}},"required":["a","s"]}}],"messages":[{"role":"user","content":"Hello"}]}`},
	{"/v1/messages/count_tokens", `{"model":"claude-opus-4-8","messages":[{"role":"user","content":"` + strings.Repeat("token ", 2000) + `"}]}`},
	{"/v1/messages", `{"model":`},
	{"/v1/messages", `{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"user","content":"caf` + "\xe9" + `"}]}`},
	{"/v1/messages", `{"model":"claude-haiku-4-5","max_tokens":5,"metadata":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`},
}

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "base URL of the server")
	pid := flag.Int("pid", 0, "the server's process id, to sample its resident memory (Linux)")
	duration := flag.Duration("duration", 5*time.Minute, "how long to run")
	conns := flag.Int("conns", 16, "concurrent clients")
	every := flag.Duration("every", 30*time.Second, "how often to sample memory")
	flag.Parse()

	var sent atomic.Int64
	statuses := sync.Map{}
	deadline := time.Now().Add(*duration)
	var wg sync.WaitGroup
	for w := range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: time.Minute}
			for i := w; time.Now().Before(deadline); i++ {
				m := mix[i%len(mix)]
				status := send(client, *url+m.path, m.body)
				n, _ := statuses.LoadOrStore(status, new(atomic.Int64))
				n.(*atomic.Int64).Add(1)
				sent.Add(1)
			}
		}()
	}
	start := time.Now()
	sample(*pid, *every, deadline, start, &sent)
	wg.Wait()
	report(&statuses, sent.Load(), time.Since(start))
}

// send posts one request and returns its status (0 for a transport error).
func send(c *http.Client, url, body string) int {
	req, _ := http.NewRequest("POST", url, bytes.NewReader([]byte(body)))
	req.Header.Set("x-api-key", "sk-ant-soak-0001")
	req.Header.Set("anthropic-version", "2023-06-01")
	req.Header.Set("content-type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	return res.StatusCode
}

// sample prints the server's resident memory every interval until the
// deadline.
func sample(pid int, every time.Duration, deadline, start time.Time, sent *atomic.Int64) {
	for now := time.Now(); now.Before(deadline); now = time.Now() {
		time.Sleep(min(every, time.Until(deadline)))
		fmt.Printf("t=%-6s requests=%-9d rss=%s\n", time.Since(start).Round(time.Second), sent.Load(), rss(pid))
	}
}

// rss is VmRSS from /proc/PID/status, or "-" without a pid.
func rss(pid int) string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if pid == 0 || err != nil {
		return "-"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			return strings.Join(strings.Fields(strings.TrimPrefix(line, "VmRSS:")), " ")
		}
	}
	return "-"
}

// report prints throughput and the statuses seen.
func report(statuses *sync.Map, sent int64, took time.Duration) {
	fmt.Printf("%d requests in %s: %.0f req/s\n", sent, took.Round(time.Second), float64(sent)/took.Seconds())
	var codes []int
	statuses.Range(func(k, _ any) bool { codes = append(codes, k.(int)); return true })
	sort.Ints(codes)
	for _, c := range codes {
		n, _ := statuses.Load(c)
		fmt.Printf("  %d: %d\n", c, n.(*atomic.Int64).Load())
	}
}
