package quota_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/claudemock/claudemock/server/internal/quota"
)

// benchCharges is one Messages request's RPM, ITPM and OTPM ("actual")
// charges on one family, with limits large enough that every one passes.
func benchCharges(scope string) []quota.Charge {
	k := func(dim string) quota.Key { return quota.Key{Scope: scope, Family: "opus-4", Dimension: dim} }
	return []quota.Charge{
		{Key: k("requests_per_minute"), Limit: quota.PerWindow(4e12, time.Minute, 0), Need: 1, Take: 1},
		{Key: k("input_tokens_per_minute"), Limit: quota.PerWindow(2e15, time.Minute, 0), Need: 1500, Take: 1500},
		{Key: k("output_tokens_per_minute"), Limit: quota.PerWindow(4e14, time.Minute, 0), Need: 1, Take: 0},
	}
}

func BenchmarkAdmit(b *testing.B) {
	l, charges := quota.New(), benchCharges("org:bench")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if !l.Admit(charges, t0.Add(time.Duration(i)*time.Millisecond)).Admitted {
			b.Fatal("refused")
		}
	}
}

func BenchmarkAdmitInto(b *testing.B) {
	l, charges := quota.New(), benchCharges("org:bench")
	var d quota.Decision
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if l.AdmitInto(&d, charges, t0.Add(time.Duration(i)*time.Millisecond)); !d.Admitted {
			b.Fatal("refused")
		}
	}
}

// BenchmarkAdmitRefused measures the refusal path, which also computes
// the retry-after wait.
func BenchmarkAdmitRefused(b *testing.B) {
	l := quota.New()
	c := quota.Charge{Key: quota.Key{Scope: "org:bench", Dimension: "input_tokens_per_minute"},
		Limit: quota.PerWindow(30000, time.Minute, 0), Need: 29000, Take: 29000}
	l.Settle(c.Key, c.Limit, 30000, t0)
	var d quota.Decision
	b.ReportAllocs()
	for b.Loop() {
		if l.AdmitInto(&d, []quota.Charge{c}, t0); d.Admitted {
			b.Fatal("admitted")
		}
	}
}

// BenchmarkAdmitParallel runs Admit from 2 goroutines per GOMAXPROCS
// (SetParallelism(2)), all on the same organization's buckets: the worst
// case for the one mutex.
func BenchmarkAdmitParallel(b *testing.B) {
	l, charges := quota.New(), benchCharges("org:bench")
	b.SetParallelism(2)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			if !l.Admit(charges, t0.Add(time.Duration(i)*time.Millisecond)).Admitted {
				b.Error("refused")
				return
			}
		}
	})
}

// BenchmarkBucketMemory creates 100,000 buckets and reports the heap
// each one costs (the map entry and the bucket; the key strings are made
// beforehand and not counted, as the server's come from its accounts).
func BenchmarkBucketMemory(b *testing.B) {
	const n = 100_000
	charges := make([]quota.Charge, n)
	for i := range charges {
		charges[i] = quota.Charge{Key: quota.Key{Scope: fmt.Sprintf("org:%d", i), Family: "opus-4",
			Dimension: "requests_per_minute"}, Limit: quota.PerWindow(50, time.Minute, 0), Need: 1, Take: 1}
	}
	var perBucket float64
	for b.Loop() {
		perBucket = heapPerBucket(charges)
	}
	b.ReportMetric(perBucket, "B/bucket")
}

// heapPerBucket admits every charge in a new Limiter and returns the heap
// growth divided by the number of buckets.
func heapPerBucket(charges []quota.Charge) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	l := quota.New()
	var d quota.Decision
	for _, c := range charges {
		l.AdmitInto(&d, []quota.Charge{c}, t0)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(l)
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(len(charges))
}

// BenchmarkAdmitAmongMany is BenchmarkAdmitInto on a limiter that holds
// 100,000 other buckets, none idle: what the sweep each admission makes
// costs when it finds nothing to drop.
func BenchmarkAdmitAmongMany(b *testing.B) {
	l, charges := quota.New(), benchCharges("org:bench")
	var d quota.Decision
	for i := range 100_000 {
		l.AdmitInto(&d, []quota.Charge{{Key: quota.Key{Scope: fmt.Sprintf("org:%d", i), Dimension: "requests_per_minute"},
			Limit: quota.PerWindow(50, time.Minute, 0), Need: 1, Take: 1}}, t0)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if l.AdmitInto(&d, charges, t0.Add(time.Duration(i)*time.Millisecond)); !d.Admitted {
			b.Fatal("refused")
		}
	}
}
