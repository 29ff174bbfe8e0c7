package quota_test

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/quota"
)

var _ = Describe("Limiter", func() {
	var (
		l   *quota.Limiter
		rpm quota.Charge
	)

	BeforeEach(func() {
		l = quota.New()
		rpm = charge(key("requests_per_minute"), rpm50, 1, 1)
	})

	Describe("State.Settled", func() {
		It("matches what Settle leaves when nothing else happens in between", func() {
			d := l.Admit([]quota.Charge{rpm}, t0)
			Expect(d.States[0].Settled(9, t0)).To(Equal(l.Settle(rpm.Key, rpm50, 9, t0)))
			Expect(d.States[0].Settled(9, t0).Level).To(Equal(40.0))
		})

		It("refunds no higher than the capacity", func() {
			d := l.Admit([]quota.Charge{rpm}, t0)
			Expect(d.States[0].Settled(-5, t0)).To(Equal(quota.State{Key: rpm.Key, Limit: rpm50, Level: 50, FullAt: t0}))
		})
	})

	Describe("a new bucket", func() {
		It("starts full, with FullAt now", func() {
			Expect(l.Peek([]quota.Charge{rpm}, t0)).To(Equal([]quota.State{
				{Key: rpm.Key, Limit: rpm50, Level: 50, FullAt: t0},
			}))
		})

		It("is not created by Peek", func() {
			l.Peek([]quota.Charge{rpm}, t0)
			Expect(l.Snapshot(t0)).To(BeEmpty())
		})

		It("reports its state after admission", func() {
			d := l.Admit([]quota.Charge{rpm}, t0)
			Expect(d).To(Equal(quota.Decision{
				Admitted: true,
				States:   []quota.State{{Key: rpm.Key, Limit: rpm50, Level: 49, FullAt: at(1200 * time.Millisecond)}},
			}))
		})
	})

	Describe("refill", func() {
		BeforeEach(func() {
			Expect(l.Admit([]quota.Charge{charge(rpm.Key, rpm50, 50, 50)}, t0).Admitted).To(BeTrue())
		})

		It("leaves the bucket empty, full 60s later", func() {
			Expect(l.Peek([]quota.Charge{rpm}, t0)[0]).To(Equal(
				quota.State{Key: rpm.Key, Limit: rpm50, Level: 0, FullAt: at(time.Minute)}))
		})

		It("regains 50/60 per second", func() {
			prev := level(l, rpm, t0)
			for s := 1; s <= 60; s++ {
				cur := level(l, rpm, at(time.Duration(s)*time.Second))
				Expect(cur-prev).To(BeNumerically("~", 50.0/60, 1e-12), "second %d", s)
				prev = cur
			}
		})

		It("holds whole numbers exactly when it has regained them", func() {
			Expect(level(l, rpm, at(6*time.Second))).To(Equal(5.0))
			Expect(level(l, rpm, at(1200*time.Millisecond))).To(Equal(1.0))
			Expect(level(l, rpm, at(30*time.Second))).To(Equal(25.0))
			Expect(l.Peek([]quota.Charge{rpm}, at(6*time.Second))[0].Remaining()).To(Equal(int64(5)))
		})

		It("never exceeds the capacity", func() {
			Expect(level(l, rpm, at(time.Minute))).To(Equal(50.0))
			Expect(level(l, rpm, at(time.Hour))).To(Equal(50.0))
			Expect(l.Peek([]quota.Charge{rpm}, at(time.Hour))[0].FullAt).To(Equal(at(time.Hour)))
		})

		It("reports FullAt as the instant the bucket is full again", func() {
			Expect(l.Peek([]quota.Charge{rpm}, at(30*time.Second))[0].FullAt).To(Equal(at(time.Minute)))
		})
	})

	Describe("60 RPM enforced as 1 per second", func() {
		var one quota.Charge

		BeforeEach(func() {
			one = charge(rpm.Key, quota.PerWindow(60, time.Minute, time.Second), 1, 1)
		})

		It("admits exactly one request each second", func() {
			for s := range 10 {
				now := at(time.Duration(s) * time.Second)
				Expect(l.Admit([]quota.Charge{one}, now).Admitted).To(BeTrue(), "second %d", s)
				d := l.Admit([]quota.Charge{one}, now)
				Expect(d.Admitted).To(BeFalse())
				Expect(d.RetryAfter).To(Equal(time.Second))
				Expect(l.Admit([]quota.Charge{one}, now.Add(999*time.Millisecond)).Admitted).To(BeFalse())
			}
		})
	})

	Describe("concurrent admissions at one instant", func() {
		admitted := func(m int, charges []quota.Charge) int64 {
			var n atomic.Int64
			var wg sync.WaitGroup
			for range m {
				wg.Go(func() {
					if l.Admit(charges, t0).Admitted {
						n.Add(1)
					}
				})
			}
			wg.Wait()
			return n.Load()
		}

		It("admits exactly the capacity", func() {
			Expect(admitted(1000, []quota.Charge{rpm})).To(Equal(int64(50)))
			Expect(level(l, rpm, t0)).To(Equal(0.0))
		})

		It("admits exactly what the tightest bucket allows", func() {
			itpm := charge(key("input_tokens_per_minute"), itpm30k, 1000, 1000)
			Expect(admitted(500, []quota.Charge{rpm, itpm})).To(Equal(int64(30)))
			Expect(level(l, rpm, t0)).To(Equal(20.0))
			Expect(level(l, itpm, t0)).To(Equal(0.0))
		})
	})

	Describe("all or nothing", func() {
		var in, out quota.Charge

		BeforeEach(func() {
			in = charge(key("input_tokens_per_minute"), itpm30k, 3000, 3000)
			out = charge(key("output_tokens_per_minute"), otpm8k, 6000, 6000)
			l.Settle(out.Key, otpm8k, 5000, t0) // 3000 left
		})

		It("refuses when one bucket refuses and leaves the others untouched", func() {
			d := l.Admit([]quota.Charge{rpm, in, out}, t0)
			Expect(d.Admitted).To(BeFalse())
			Expect(d.Refused).To(Equal([]quota.Key{out.Key}))
			Expect(d.Never).To(BeFalse())
			Expect(d.RetryAfter).To(Equal(22500 * time.Millisecond)) // 3000 / (8000/60)
			Expect(d.States).To(HaveLen(3))
			Expect(d.States[0].Level).To(Equal(50.0))
			Expect(d.States[1].Level).To(Equal(30000.0))
			Expect(d.States[2].Level).To(Equal(3000.0))
			Expect(level(l, rpm, t0)).To(Equal(50.0))
			Expect(level(l, in, t0)).To(Equal(30000.0))
		})

		It("takes from every bucket when all pass", func() {
			d := l.Admit([]quota.Charge{rpm, in, out}, at(22500*time.Millisecond))
			Expect(d.Admitted).To(BeTrue())
			Expect(d.Refused).To(BeEmpty())
			Expect(d.RetryAfter).To(BeZero())
			Expect([]float64{d.States[0].Level, d.States[1].Level, d.States[2].Level}).
				To(Equal([]float64{49, 27000, 0}))
		})

		It("waits for the slowest refusing bucket, binds on it and names them all in charge order", func() {
			l.Settle(rpm.Key, rpm50, 50, t0)
			l.Settle(in.Key, itpm30k, 30000, t0)
			d := l.Admit([]quota.Charge{rpm, in, out}, t0)
			Expect(d.Refused).To(Equal([]quota.Key{rpm.Key, in.Key, out.Key}))
			Expect(d.RetryAfter).To(Equal(22500 * time.Millisecond))
			Expect(d.Binding).To(Equal(out.Key))
		})

		It("counts charges on the same bucket together", func() {
			twice := []quota.Charge{charge(in.Key, itpm30k, 20000, 20000), charge(in.Key, itpm30k, 20000, 20000)}
			d := l.Admit(twice, t0)
			Expect(d.Never).To(BeTrue())
			Expect(d.Refused).To(Equal([]quota.Key{in.Key}))
			twice[1].Need, twice[1].Take = 10000, 10000
			d = l.Admit(twice, t0)
			Expect(d.Admitted).To(BeTrue())
			Expect(d.States[0].Level).To(Equal(0.0))
			Expect(d.States[1].Level).To(Equal(0.0))
		})
	})

	DescribeTable("retry-after is tight and sufficient",
		func(lim quota.Limit, drain, need, take float64, want time.Duration) {
			k := key("dimension")
			l.Settle(k, lim, drain, t0)
			c := charge(k, lim, need, take)
			d := l.Admit([]quota.Charge{c}, t0)
			Expect(d.Admitted).To(BeFalse())
			Expect(d.Never).To(BeFalse())
			Expect(d.Refused).To(Equal([]quota.Key{k}))
			Expect(d.RetryAfter).To(Equal(want))

			Expect(level(l, c, at(want))).To(BeNumerically(">=", need))
			Expect(level(l, c, at(want-1))).To(BeNumerically("<", need))
			wait := ceilSeconds(d.RetryAfter)
			Expect(l.Admit([]quota.Charge{c}, at(wait-time.Second)).Admitted).To(BeFalse())
			Expect(l.Admit([]quota.Charge{c}, at(wait-time.Second)).RetryAfter).To(Equal(want - wait + time.Second))
			Expect(l.Admit([]quota.Charge{c}, at(wait)).Admitted).To(BeTrue())
		},
		Entry("RPM 50/min, empty", rpm50, 50.0, 1.0, 1.0, 1200*time.Millisecond),
		Entry("RPM 50/min, half a request left", rpm50, 49.5, 1.0, 1.0, 600*time.Millisecond),
		Entry("RPM 60/min as 1/s, empty", quota.PerWindow(60, time.Minute, time.Second), 1.0, 1.0, 1.0, time.Second),
		Entry("RPM 7/min, 3 in debt", perMinute(7), 10.0, 1.0, 1.0, 34285714286*time.Nanosecond),
		Entry("RPM 4000/min, empty", perMinute(4000), 4000.0, 1.0, 1.0, 15*time.Millisecond),
		Entry("ITPM 30k, empty, 1 token", itpm30k, 30000.0, 1.0, 1.0, 2*time.Millisecond),
		Entry("ITPM 30k, empty, 1500 tokens", itpm30k, 30000.0, 1500.0, 1500.0, 3*time.Second),
		Entry("ITPM 30k, empty, 29000 tokens", itpm30k, 30000.0, 29000.0, 29000.0, 58*time.Second),
		Entry("ITPM 30k, empty, the whole bucket", itpm30k, 30000.0, 30000.0, 30000.0, time.Minute),
		Entry("ITPM 30k, 10000 left, 29000 tokens", itpm30k, 20000.0, 29000.0, 29000.0, 38*time.Second),
		Entry("ITPM 30k, 1499.5 left, 1500 tokens", itpm30k, 28500.5, 1500.0, 1500.0, time.Millisecond),
		Entry("ITPM 30k, 1 token short of 1500", itpm30k, 28501.0, 1500.0, 1500.0, 2*time.Millisecond),
		Entry("OTPM reserve, 500 left, max_tokens 4096", otpm8k, 7500.0, 4096.0, 4096.0, 26970*time.Millisecond),
		Entry("OTPM actual, 2000 in debt", otpm8k, 10000.0, 1.0, 0.0, 15007500*time.Microsecond),
		Entry("tokens per day, empty, 12345 tokens", quota.PerWindow(1e6, 24*time.Hour, 0), 1e6, 12345.0, 12345.0, 1066608*time.Millisecond),
		Entry("requests per month, empty", quota.PerWindow(1000, 30*24*time.Hour, 0), 1000.0, 1.0, 1.0, 2592*time.Second),
		Entry("ITPM 30k as 10s bursts, empty, 4999 tokens", quota.PerWindow(30000, time.Minute, 10*time.Second), 5000.0, 4999.0, 4999.0, 9998*time.Millisecond),
	)

	It("keeps retry-after tight and sufficient at arbitrary levels and rates", func() {
		r := rand.New(rand.NewPCG(1, 2))
		for i := range 5000 {
			windows := []time.Duration{time.Minute, 24 * time.Hour, 30 * 24 * time.Hour}
			window := windows[r.IntN(len(windows))]
			lim := quota.PerWindow(float64(1+r.IntN(2_000_000)), window, time.Duration(r.Int64N(int64(window))))
			k := quota.Key{Scope: "org:fuzz", Dimension: string(rune('a' + i%26))}
			l.Reset()
			l.Settle(k, lim, lim.Capacity*r.Float64()*1.5, t0)
			c := charge(k, lim, float64(1+r.IntN(int(lim.Capacity))), 1)
			d := l.Admit([]quota.Charge{c}, t0)
			if d.Admitted {
				continue
			}
			Expect(level(l, c, at(d.RetryAfter))).To(BeNumerically(">=", c.Need), "case %d: %+v", i, c)
			Expect(level(l, c, at(d.RetryAfter-1))).To(BeNumerically("<", c.Need), "case %d: %+v", i, c)
			wait := ceilSeconds(d.RetryAfter)
			Expect(l.Admit([]quota.Charge{c}, at(wait-time.Second)).Admitted).To(BeFalse(), "case %d", i)
			Expect(l.Admit([]quota.Charge{c}, at(wait)).Admitted).To(BeTrue(), "case %d", i)
		}
	})

	Describe("a request that can never pass", func() {
		var big, rpmEmpty quota.Charge

		BeforeEach(func() {
			big = charge(key("input_tokens_per_minute"), itpm30k, 56000, 56000)
			rpmEmpty = rpm
			l.Settle(rpm.Key, rpm50, 50, t0)
		})

		It("is Never with no retry-after, every time", func() {
			for s := range 5 {
				now := at(time.Duration(s) * time.Minute)
				d := l.Admit([]quota.Charge{big}, now)
				Expect(d.Admitted).To(BeFalse())
				Expect(d.Never).To(BeTrue())
				Expect(d.RetryAfter).To(BeZero())
				Expect(d.Refused).To(Equal([]quota.Key{big.Key}))
				Expect(d.States[0].Level).To(Equal(30000.0))
			}
		})

		It("is Never even when another bucket only asks to wait", func() {
			d := l.Admit([]quota.Charge{rpmEmpty, big}, t0)
			Expect(d.Never).To(BeTrue())
			Expect(d.RetryAfter).To(BeZero())
			Expect(d.Refused).To(Equal([]quota.Key{rpm.Key, big.Key}))
			Expect(d.Binding).To(Equal(big.Key))
		})

		It("is Never when the bucket short of its need does not refill", func() {
			frozen := charge(key("frozen"), quota.Limit{Capacity: 10}, 5, 5)
			Expect(l.Admit([]quota.Charge{frozen}, t0).Admitted).To(BeTrue())
			Expect(l.Admit([]quota.Charge{frozen}, t0).Admitted).To(BeTrue())
			d := l.Admit([]quota.Charge{frozen}, at(time.Hour))
			Expect(d.Never).To(BeTrue())
			Expect(d.States[0].FullAt).To(BeZero())
		})
	})

	It("admits an empty list of charges", func() {
		d := l.Admit(nil, t0)
		Expect(d.Admitted).To(BeTrue())
		Expect(d.Refused).To(BeEmpty())
		Expect(d.States).To(BeEmpty())
	})

	It("handles more charges than its scratch space, all or nothing", func() {
		var charges []quota.Charge
		for i := range 12 {
			charges = append(charges, charge(quota.Key{Scope: "org:many", Dimension: string(rune('a' + i))}, rpm50, 30, 30))
		}
		Expect(l.Admit(charges, t0).Admitted).To(BeTrue())
		charges[11].Need = 21
		d := l.Admit(charges, t0)
		Expect(d.Refused).To(HaveLen(12))
		Expect(d.RetryAfter).To(Equal(12 * time.Second)) // (30-20) / (50/60), the slowest
		for _, s := range d.States {
			Expect(s.Level).To(Equal(20.0))
		}
	})

	It("admits a Need of 0 unless the bucket is in debt", func() {
		zero := charge(rpm.Key, rpm50, 0, 0)
		l.Settle(rpm.Key, rpm50, 50, t0)
		Expect(l.Admit([]quota.Charge{zero}, t0).Admitted).To(BeTrue())
		l.Settle(rpm.Key, rpm50, 1, t0)
		d := l.Admit([]quota.Charge{zero}, t0)
		Expect(d.Admitted).To(BeFalse())
		Expect(d.RetryAfter).To(Equal(1200 * time.Millisecond))
	})

	Describe("Settle", func() {
		It("refunds up to the capacity, never above", func() {
			Expect(l.Settle(rpm.Key, rpm50, -10, t0).Level).To(Equal(50.0))
			l.Settle(rpm.Key, rpm50, 20, t0)
			Expect(l.Settle(rpm.Key, rpm50, -15, t0).Level).To(Equal(45.0))
			Expect(l.Settle(rpm.Key, rpm50, -15, t0).Level).To(Equal(50.0))
		})

		It("refunds unused max_tokens under reserve accounting", func() {
			out := charge(key("output_tokens_per_minute"), otpm8k, 4096, 4096)
			Expect(l.Admit([]quota.Charge{out}, t0).States[0].Level).To(Equal(8000.0 - 4096))
			Expect(l.Settle(out.Key, otpm8k, 312-4096, t0).Level).To(Equal(8000.0 - 312))
		})

		It("creates a bucket full before settling", func() {
			s := l.Settle(rpm.Key, rpm50, 5, t0)
			Expect(s).To(Equal(quota.State{Key: rpm.Key, Limit: rpm50, Level: 45, FullAt: at(6 * time.Second)}))
		})

		DescribeTable("debt delays the next admission by exactly debt/Rate",
			func(lim quota.Limit, need, debt float64, extra time.Duration) {
				k := key("dimension")
				c := charge(k, lim, need, need)
				l.Settle(k, lim, lim.Capacity, t0)
				clear := l.Admit([]quota.Charge{c}, t0).RetryAfter
				l.Settle(k, lim, debt, t0)
				s := l.Peek([]quota.Charge{c}, t0)[0]
				Expect(s.Level).To(Equal(-debt))
				Expect(s.FullAt).To(Equal(at(time.Minute + extra)))
				Expect(l.Admit([]quota.Charge{c}, t0).RetryAfter - clear).To(Equal(extra))
			},
			Entry("10 requests at 50/min", rpm50, 1.0, 10.0, 12*time.Second),
			Entry("3000 input tokens at 30k/min", itpm30k, 1500.0, 3000.0, 6*time.Second),
			Entry("2000 output tokens at 8k/min", otpm8k, 1.0, 2000.0, 15*time.Second),
		)
	})

	Describe("reshaping", func() {
		BeforeEach(func() {
			l.Settle(rpm.Key, rpm50, 40, t0) // 10 left
		})

		It("keeps what was used on a tier upgrade and applies the new rate", func() {
			up := quota.Limit{Capacity: 1000, Rate: 1000.0 / 60}
			d := l.Admit([]quota.Charge{charge(rpm.Key, up, 1, 0)}, t0)
			Expect(d.States[0]).To(Equal(quota.State{Key: rpm.Key, Limit: up, Level: 960, FullAt: at(2400 * time.Millisecond)}))
			Expect(level(l, charge(rpm.Key, up, 1, 0), at(6*time.Second))).To(Equal(1000.0))
			Expect(l.Snapshot(at(6 * time.Second))[0].Limit).To(Equal(up))
		})

		It("admits the next request at once after an upgrade from empty", func() {
			up := perMinute(1000)
			l.Settle(rpm.Key, rpm50, 10, t0) // empty: 50 used
			c := charge(rpm.Key, up, 100, 100)
			d := l.Admit([]quota.Charge{c}, t0)
			Expect(d.Admitted).To(BeTrue())
			Expect(d.States[0].Level).To(Equal(850.0))
			Expect(level(l, c, at(time.Hour))).To(Equal(1000.0))
		})

		It("counts what was regained before under the old rate", func() {
			up := perMinute(1000)
			// 10 left + 6 s at 50/min = 15 left, 35 used; 965 of 1,000 after.
			Expect(level(l, charge(rpm.Key, up, 1, 1), at(6*time.Second))).To(Equal(965.0))
			Expect(l.Settle(rpm.Key, up, 0, at(6*time.Second)).Level).To(Equal(965.0))
			Expect(level(l, charge(rpm.Key, up, 1, 1), at(7*time.Second))).To(Equal(981.0 + 2.0/3))
		})

		It("caps the level on a downgrade from full", func() {
			l.Settle(rpm.Key, rpm50, -40, t0) // full again
			down := perMinute(5)
			s := l.Settle(rpm.Key, down, 0, at(time.Second))
			Expect(s.Level).To(Equal(5.0))
			Expect(s.Limit).To(Equal(down))
			d := l.Admit([]quota.Charge{charge(rpm.Key, down, 6, 6)}, at(time.Second))
			Expect(d.Never).To(BeTrue())
		})

		It("leaves a debt on a downgrade below what was used", func() {
			down := perMinute(5) // 40 used of 50: 35 more than the new 5
			s := l.Settle(rpm.Key, down, 0, t0)
			Expect(s.Level).To(Equal(-35.0))
			d := l.Admit([]quota.Charge{charge(rpm.Key, down, 1, 1)}, t0)
			Expect(d.RetryAfter).To(Equal(432 * time.Second)) // 36 at 5/min
		})

		It("is only shown, not stored, by Peek", func() {
			up := perMinute(1000)
			Expect(level(l, charge(rpm.Key, up, 1, 1), at(6*time.Second))).To(Equal(965.0))
			Expect(l.Snapshot(at(6 * time.Second))[0].Limit).To(Equal(rpm50))
			Expect(level(l, rpm, at(6*time.Second))).To(Equal(15.0))
		})
	})

	Describe("a clock set backwards", func() {
		BeforeEach(func() {
			l.Settle(rpm.Key, rpm50, 10, at(time.Minute)) // 40 left at t0+60s
		})

		It("neither adds nor removes tokens", func() {
			Expect(level(l, rpm, at(30*time.Second))).To(Equal(40.0))
			Expect(level(l, rpm, t0)).To(Equal(40.0))
			Expect(level(l, rpm, at(time.Minute))).To(Equal(40.0))
		})

		It("does not count the same interval twice", func() {
			Expect(l.Admit([]quota.Charge{charge(rpm.Key, rpm50, 40, 40)}, at(30*time.Second)).Admitted).To(BeTrue())
			Expect(level(l, rpm, at(30*time.Second))).To(Equal(0.0))
			Expect(level(l, rpm, at(time.Minute))).To(Equal(0.0))
			Expect(level(l, rpm, at(66*time.Second))).To(Equal(5.0))
		})

		It("refuses with a wait counted from the latest instant seen", func() {
			l.Settle(rpm.Key, rpm50, 40, at(time.Minute))
			d := l.Admit([]quota.Charge{rpm}, at(30*time.Second))
			Expect(d.Admitted).To(BeFalse())
			Expect(d.RetryAfter).To(Equal(31200 * time.Millisecond))
		})
	})

	Describe("Snapshot and Reset", func() {
		var keys []quota.Key

		BeforeEach(func() {
			keys = nil
			for _, scope := range []string{"org:b", "org:a", "ws:a"} {
				for _, family := range []string{"sonnet-4", "", "opus-4"} {
					for _, dim := range []string{"requests_per_minute", "input_tokens_per_minute"} {
						keys = append(keys, quota.Key{Scope: scope, Family: family, Dimension: dim})
					}
				}
			}
			rand.New(rand.NewPCG(3, 4)).Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
			for i, k := range keys {
				l.Settle(k, rpm50, float64(i), t0)
			}
		})

		It("lists every bucket sorted by scope, family and dimension", func() {
			snap := l.Snapshot(at(time.Second))
			Expect(snap).To(HaveLen(len(keys)))
			Expect(snap[0].Key).To(Equal(quota.Key{Scope: "org:a", Family: "", Dimension: "input_tokens_per_minute"}))
			Expect(snap[1].Key).To(Equal(quota.Key{Scope: "org:a", Family: "", Dimension: "requests_per_minute"}))
			Expect(snap[2].Key).To(Equal(quota.Key{Scope: "org:a", Family: "opus-4", Dimension: "input_tokens_per_minute"}))
			Expect(snap[len(snap)-1].Key).To(Equal(quota.Key{Scope: "ws:a", Family: "sonnet-4", Dimension: "requests_per_minute"}))
			Expect(slices.IsSortedFunc(snap, func(a, b quota.State) int {
				return cmp.Or(cmp.Compare(a.Key.Scope, b.Key.Scope),
					cmp.Compare(a.Key.Family, b.Key.Family), cmp.Compare(a.Key.Dimension, b.Key.Dimension))
			})).To(BeTrue())
			for i, k := range keys {
				Expect(snap).To(ContainElement(quota.State{Key: k, Limit: rpm50,
					Level: min(50, 50-float64(i)+50.0/60), FullAt: at(max(time.Second, time.Duration(i)*1200*time.Millisecond))}))
			}
		})

		It("is deterministic", func() {
			Expect(l.Snapshot(at(time.Second))).To(Equal(l.Snapshot(at(time.Second))))
		})

		It("forgets every bucket on Reset; they come back full", func() {
			l.Reset()
			Expect(l.Snapshot(t0)).To(BeEmpty())
			c := charge(keys[len(keys)-1], rpm50, 50, 50)
			Expect(level(l, c, t0)).To(Equal(50.0))
			Expect(l.Admit([]quota.Charge{c}, t0).Admitted).To(BeTrue())
		})
	})

	Describe("AdmitInto", func() {
		var charges []quota.Charge

		BeforeEach(func() {
			big := quota.Limit{Capacity: 1e15, Rate: 1e12}
			charges = []quota.Charge{
				charge(key("requests_per_minute"), big, 1, 1),
				charge(key("input_tokens_per_minute"), big, 1500, 1500),
				charge(key("output_tokens_per_minute"), big, 1, 0),
			}
		})

		It("matches Admit", func() {
			var d quota.Decision
			l.AdmitInto(&d, charges, t0)
			Expect(d).To(Equal(quota.New().Admit(charges, t0)))
		})

		It("allocates nothing once its Decision has grown", func() {
			var d quota.Decision
			l.AdmitInto(&d, charges, t0)
			Expect(testing.AllocsPerRun(100, func() { l.AdmitInto(&d, charges, t0) })).To(BeZero())
		})

		It("clears the previous verdict", func() {
			var d quota.Decision
			l.AdmitInto(&d, []quota.Charge{charge(rpm.Key, rpm50, 60, 60)}, t0)
			Expect(d.Never).To(BeTrue())
			l.AdmitInto(&d, []quota.Charge{rpm}, t0)
			Expect(d.Admitted).To(BeTrue())
			Expect(d.Never).To(BeFalse())
			Expect(d.Refused).To(BeEmpty())
			Expect(d.States).To(HaveLen(1))
		})
	})
})
