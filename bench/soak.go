package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// soak loads claudemock (plain requests, 1,000 keys, closed loop) for d
// and prints its resident memory every d/10, so a leak shows as a line that
// keeps climbing once the journal is full (100,000 entries).
func soak(mock *process, conns int, d time.Duration) {
	fmt.Printf("\n### Soak: plain requests, 1,000 keys, %d connections, %s\n", conns, d)
	fmt.Println("\n| elapsed | requests | claudemock RSS |\n|---:|---:|---:|")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	payload := body(false)
	var sent atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				send(client, mock.url, payload, fmt.Sprintf("bench-key-%d", (w+i*conns)%1000))
				sent.Add(1)
			}
		}()
	}
	start := time.Now()
	for tick := range 10 {
		time.Sleep(time.Until(start.Add(d * time.Duration(tick+1) / 10)))
		fmt.Printf("| %s | %d | %s |\n", time.Since(start).Round(time.Second), sent.Load(), rss(mock.cmd.Process.Pid))
	}
	close(stop)
	wg.Wait()
}

// rss reads a process's resident set size from /proc (Linux only).
func rss(pid int) string {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "n/a"
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmRSS:" {
			if kb, err := strconv.Atoi(f[1]); err == nil {
				return fmt.Sprintf("%.1f MB", float64(kb)/1024)
			}
		}
	}
	return "n/a"
}
