package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// row is one kind of request the tables measure.
type row struct {
	name   string
	stream bool
	keys   int // distinct API keys the requests cycle through
}

func rows() []row {
	all := []row{
		{"plain, 1 key", false, 1}, {"plain, 1,000 keys", false, 1000},
		{"stream, 1 key", true, 1}, {"stream, 1,000 keys", true, 1000},
	}
	return slices.DeleteFunc(all, func(r row) bool { return !strings.Contains(r.name, only) })
}

// result is one server's figures for one row.
type result struct {
	rate           float64
	p50, p99, p999 time.Duration
	failed         int // requests not answered 200, or not at all
}

// sample is what one load run saw: each answered request's latency, how
// long it ran and how many requests failed.
type sample struct {
	lat    []time.Duration
	d      time.Duration
	failed int
}

// body is the benchmark's request: one short user message.
func body(stream bool) []byte {
	return []byte(fmt.Sprintf(`{"model":"claude-haiku-4-5","max_tokens":256,"stream":%t,"messages":[{"role":"user","content":"Hello"}]}`, stream))
}

// load sends r's requests to base for d from conns workers: as fast as
// answers come (rate 0, closed loop), or each worker on its share of a
// constant rate, latency measured from the request's scheduled time, so a
// slow answer's wait counts against every request queued behind it.
func load(base string, r row, conns int, d time.Duration, rate float64) sample {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	payload := body(r.stream)
	var mu sync.Mutex
	var lat []time.Duration
	failed := 0
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			mine, bad := work(client, base, payload, r.keys, w, conns, deadline, rate)
			mu.Lock()
			lat = append(lat, mine...)
			failed += bad
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	client.CloseIdleConnections()
	return sample{lat: lat, d: d, failed: failed}
}

// work is one worker's loop; it returns each answered request's latency
// and the number of requests that failed.
func work(client *http.Client, base string, payload []byte, keys, w, conns int, deadline time.Time, rate float64) (lat []time.Duration, failed int) {
	var every time.Duration
	if rate > 0 {
		every = time.Duration(float64(time.Second) * float64(conns) / rate)
	}
	next := time.Now()
	for i := 0; time.Now().Before(deadline); i++ {
		if every > 0 {
			if wait := time.Until(next); wait > 0 {
				time.Sleep(wait)
			}
		} else {
			next = time.Now()
		}
		if send(client, base, payload, fmt.Sprintf("bench-key-%d", (w+i*conns)%keys)) {
			lat = append(lat, time.Since(next))
		} else {
			failed++
		}
		next = next.Add(every)
	}
	return lat, failed
}

// send posts one request and reads the whole answer; it reports whether
// the answer was a 200.
func send(client *http.Client, base string, payload []byte, key string) bool {
	req, _ := http.NewRequest("POST", base+"/v1/messages", bytes.NewReader(payload))
	req.Header.Set("x-api-key", key)
	req.Header.Set("anthropic-version", "2023-06-01")
	req.Header.Set("content-type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return false
	}
	_, err = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	return err == nil && res.StatusCode == http.StatusOK
}

// merge sums samples into the rate, percentiles and failures.
func merge(samples []sample) result {
	var lat []time.Duration
	var d time.Duration
	failed := 0
	for _, s := range samples {
		lat, d, failed = append(lat, s.lat...), d+s.d, failed+s.failed
	}
	if len(lat) == 0 {
		return result{failed: failed}
	}
	slices.Sort(lat)
	at := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
	return result{rate: float64(len(lat)) / d.Seconds(), p50: at(0.5), p99: at(0.99), p999: at(0.999), failed: failed}
}
