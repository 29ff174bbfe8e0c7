package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// goBenchmarks are the go test benchmarks the report includes: the
// handler's cost per request and the domain figures issue 15 sets targets
// for (admission, journal and state bytes per item). A memory benchmark
// builds its 100,000 items each iteration, so it runs once.
var goBenchmarks = []struct{ pkg, pattern, times string }{
	{"./server/", "BenchmarkCreateMessage", "2000x"},
	{"./server/internal/request/", "BenchmarkParse", "2000x"},
	{"./server/internal/limits/", "BenchmarkAdmit$|BenchmarkAdmitPriority$", "20000x"},
	{"./server/internal/limits/", "BenchmarkOrgFamilyMemory", "1x"},
	{"./server/internal/quota/", "BenchmarkBucketMemory", "1x"},
	{"./server/internal/journal/", "BenchmarkBeginFinish", "20000x"},
	{"./server/internal/journal/", "BenchmarkJournalMemory|BenchmarkGCFullJournal", "1x"},
	{"./server/internal/tokens/", "BenchmarkPlan", "20000x"},
	{"./server/internal/tokens/", "BenchmarkCacheMemory", "1x"},
}

// printGoBenchmarks runs goBenchmarks and prints their lines as a table:
// name, then each figure with its unit.
func printGoBenchmarks(out io.Writer) {
	fmt.Fprintln(out, "\n### go test -bench -benchmem")
	fmt.Fprintln(out, "\n| package | benchmark | -benchtime | figures |\n|---|---|---:|---|")
	for _, b := range goBenchmarks {
		cmd := exec.Command("go", "test", "-run", "XXX", "-bench", b.pattern, "-benchmem", "-benchtime", b.times, b.pkg)
		cmd.Stderr = os.Stderr
		text, err := cmd.Output()
		if err != nil {
			fmt.Fprintf(out, "| %s | %s (failed: %v) | | |\n", b.pkg, b.pattern, err)
			continue
		}
		for _, line := range strings.Split(string(text), "\n") {
			if name, figures, ok := benchLine(line); ok {
				fmt.Fprintf(out, "| %s | %s | %s | %s |\n", strings.Trim(b.pkg, "./"), name, b.times, figures)
			}
		}
	}
}

// benchLine splits a go test benchmark result line into the benchmark's
// name (without the GOMAXPROCS suffix) and its figures, dropping the
// iteration count.
func benchLine(line string) (name, figures string, ok bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
		return "", "", false
	}
	name = f[0]
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		name = name[:i]
	}
	var parts []string
	for i := 2; i+1 < len(f); i += 2 {
		parts = append(parts, f[i]+" "+f[i+1])
	}
	return strings.TrimPrefix(name, "Benchmark"), strings.Join(parts, ", "), true
}
