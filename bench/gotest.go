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
// for (admission, journal and state bytes per item).
var goBenchmarks = []struct{ pkg, pattern string }{
	{"./server/", "BenchmarkCreateMessage"},
	{"./server/internal/quota/", "."},
	{"./server/internal/limits/", "."},
	{"./server/internal/journal/", "."},
	{"./server/internal/tokens/", "Cache"},
	{"./server/internal/request/", "."},
}

// printGoBenchmarks runs goBenchmarks and prints their lines as a table:
// name, then each figure with its unit.
func printGoBenchmarks(out io.Writer) {
	fmt.Fprintln(out, "\n### go test -bench (-benchmem -benchtime 300x)")
	fmt.Fprintln(out, "\n| package | benchmark | figures |\n|---|---|---|")
	for _, b := range goBenchmarks {
		cmd := exec.Command("go", "test", "-run", "XXX", "-bench", b.pattern, "-benchmem", "-benchtime", "300x", b.pkg)
		cmd.Stderr = os.Stderr
		text, err := cmd.Output()
		if err != nil {
			fmt.Fprintf(out, "| %s | (failed: %v) | |\n", b.pkg, err)
			continue
		}
		for _, line := range strings.Split(string(text), "\n") {
			if name, figures, ok := benchLine(line); ok {
				fmt.Fprintf(out, "| %s | %s | %s |\n", strings.Trim(b.pkg, "./"), name, figures)
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
