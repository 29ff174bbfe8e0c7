package quota_test

import (
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/quota"
)

func TestQuota(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Quota Suite")
}

// t0 is the instant every spec starts at.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// at is t0 plus d.
func at(d time.Duration) time.Time { return t0.Add(d) }

// key names a bucket of the org "o1" in family "opus-4".
func key(dim string) quota.Key {
	return quota.Key{Scope: "org:o1", Family: "opus-4", Dimension: dim}
}

// charge asks need of the bucket and takes take.
func charge(k quota.Key, l quota.Limit, need, take float64) quota.Charge {
	return quota.Charge{Key: k, Limit: l, Need: need, Take: take}
}

// level is the level of the bucket for c at instant now, without changing it.
func level(l *quota.Limiter, c quota.Charge, now time.Time) float64 {
	return l.Peek([]quota.Charge{c}, now)[0].Level
}

// ceilSeconds rounds d up to whole seconds, as the server's retry-after does.
func ceilSeconds(d time.Duration) time.Duration {
	return (d + time.Second - 1) / time.Second * time.Second
}

var (
	perMinute = func(n float64) quota.Limit { return quota.PerWindow(n, time.Minute, 0) }
	rpm50     = perMinute(50)
	itpm30k   = perMinute(30000)
	otpm8k    = perMinute(8000)
)
