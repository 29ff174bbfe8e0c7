package tokens_test

import (
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/tokens"
)

var _ = Describe("Cache", func() {
	const (
		ws    = "ws:a"
		model = "claude-opus-4-5"
		min   = 1024
	)
	var (
		cache *tokens.Cache
		t0    time.Time
		tool  tokens.Block
		sys   tokens.Block
	)

	// text of exactly n tokens (four ASCII bytes each).
	text := func(n int) string { return strings.Repeat("abcd", n) }
	user := func(i int, n int) tokens.Block {
		return tokens.Block{Section: tokens.Messages, Kind: tokens.KindText, Text: text(n), Message: i}
	}
	use := func(p tokens.Prompt, at time.Time) tokens.CacheUsage {
		plan := cache.Plan(ws, model, p, min, at)
		cache.Commit(plan, at)
		return plan.Usage
	}

	BeforeEach(func() {
		cache = tokens.NewCache()
		t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		tool = tokens.Block{Section: tokens.Tools, Kind: tokens.KindToolDefinition, Text: text(95), Message: -1} // 95 + 5
		sys = tokens.Block{Section: tokens.System, Kind: tokens.KindText, Text: text(2000), Message: -1, Cache: 5 * time.Minute}
	})

	// prompt: overhead 7 + 3 (system) + 346 (tool prompt) = 356, then tool 100,
	// system 2000 (breakpoint) = 2,456; then the message's 3 and its 50.
	prompt := func() tokens.Prompt {
		return tokens.Prompt{Blocks: []tokens.Block{tool, sys, user(0, 50)}, Messages: 1}
	}

	It("writes the prefix up to the breakpoint, then reads it back inside the TTL", func() {
		p := prompt()
		Expect(tokens.Count(p)).To(Equal(359 + 100 + 2000 + 50))
		Expect(use(p, t0)).To(Equal(tokens.CacheUsage{Input: 53, Write5m: 2456}))
		Expect(use(p, t0.Add(4*time.Minute))).To(Equal(tokens.CacheUsage{Input: 53, Read: 2456}))
	})

	It("writes again after the TTL, and a hit refreshes the TTL", func() {
		p := prompt()
		use(p, t0)
		Expect(use(p, t0.Add(4*time.Minute)).Read).To(Equal(2456)) // refreshed: alive until 9 min
		Expect(use(p, t0.Add(8*time.Minute)).Read).To(Equal(2456))
		Expect(use(p, t0.Add(14*time.Minute))).To(Equal(tokens.CacheUsage{Input: 53, Write5m: 2456}))
	})

	It("lets a 1h entry outlive a 5m one", func() {
		p := prompt()
		p.Blocks[1].Cache = time.Hour
		Expect(use(p, t0)).To(Equal(tokens.CacheUsage{Input: 53, Write1h: 2456}))
		Expect(use(p, t0.Add(59*time.Minute)).Read).To(Equal(2456))
	})

	It("splits writes between the TTLs of the breakpoints that end them", func() {
		p := prompt()
		p.Blocks[0].Text = text(795) // tools: 356 + 800 = 1,156 under 1h (above the minimum)
		p.Blocks[0].Cache = time.Hour
		Expect(use(p, t0)).To(Equal(tokens.CacheUsage{Input: 53, Write1h: 1156, Write5m: 2000}))
	})

	It("invalidates everything after a changed tool definition", func() {
		use(prompt(), t0)
		p := prompt()
		p.Blocks[0].Text = text(94) + "abce"
		Expect(use(p, t0.Add(time.Minute))).To(Equal(tokens.CacheUsage{Input: 53, Write5m: 2456}))
	})

	It("keeps the cached prefix when only the messages after it change", func() {
		use(prompt(), t0)
		p := prompt()
		p.Blocks[2] = user(0, 70)
		Expect(use(p, t0.Add(time.Minute))).To(Equal(tokens.CacheUsage{Input: 73, Read: 2456}))
	})

	It("caches nothing below the model's minimum, without error", func() {
		p := prompt()
		p.Blocks[1].Text = text(100) // prefix 356 + 100 + 100 = 556 < 1024
		Expect(use(p, t0)).To(Equal(tokens.CacheUsage{Input: 609}))
		Expect(use(p, t0.Add(time.Second))).To(Equal(tokens.CacheUsage{Input: 609}))
	})

	It("finds an earlier entry within the 20-block lookback, not beyond", func() {
		conversation := func(turns int, bp int) tokens.Prompt {
			blocks := []tokens.Block{user(0, 2000)}
			for i := 1; i < turns; i++ {
				blocks = append(blocks, user(i, 10))
			}
			blocks[bp].Cache = 5 * time.Minute
			return tokens.Prompt{Blocks: blocks, Messages: turns}
		}
		use(conversation(1, 0), t0)  // writes the prefix ending at block 0
		near := conversation(21, 20) // breakpoint 20 blocks later: block 0 is in the window
		Expect(use(near, t0.Add(time.Second)).Read).To(BeNumerically(">", 0))
		cache.Reset()
		use(conversation(1, 0), t0)
		far := conversation(22, 21) // 21 blocks later: out of reach
		Expect(use(far, t0.Add(time.Second)).Read).To(Equal(0))
	})

	It("keeps workspaces and models apart", func() {
		use(prompt(), t0)
		Expect(cache.Plan("ws:b", model, prompt(), min, t0.Add(time.Second)).Usage.Read).To(Equal(0))
		Expect(cache.Plan(ws, "claude-opus-4-6", prompt(), min, t0.Add(time.Second)).Usage.Read).To(Equal(0))
	})

	It("changes nothing until a plan is committed", func() {
		cache.Plan(ws, model, prompt(), min, t0)
		Expect(cache.Len(t0)).To(Equal(0))
		Expect(use(prompt(), t0).Written()).To(Equal(2456))
		Expect(cache.Len(t0)).To(Equal(1))
	})

	It("puts the automatic breakpoint on the last block", func() {
		p := prompt()
		p.Blocks[1].Cache = 0
		p.AutoCache = 5 * time.Minute
		Expect(use(p, t0)).To(Equal(tokens.CacheUsage{Write5m: 2509}))
		Expect(use(p, t0.Add(time.Minute))).To(Equal(tokens.CacheUsage{Read: 2509}))
	})

	Describe("reclaiming expired entries", func() {
		// other is a prompt of its own, numbered i, cached for 5 minutes.
		other := func(i int) tokens.Prompt {
			return tokens.Prompt{Blocks: []tokens.Block{{Section: tokens.System, Kind: tokens.KindText,
				Text: text(1100) + strings.Repeat("x", i), Message: -1, Cache: 5 * time.Minute}}}
		}

		It("keeps an entry until it has been expired for ExpiredFor", func() {
			use(prompt(), t0)
			Expect(cache.Reclaim(t0.Add(5*time.Minute + tokens.ExpiredFor - time.Nanosecond))).To(Equal(1))
			Expect(cache.Reclaim(t0.Add(5*time.Minute + tokens.ExpiredFor))).To(BeZero())
		})

		It("drops expired entries a few at a time as commits go by, so the count falls", func() {
			for i := range 100 {
				use(other(i), t0)
			}
			Expect(cache.Held()).To(Equal(100))
			later := t0.Add(5*time.Minute + tokens.ExpiredFor)
			for i := range 30 {
				use(other(1000+i), later)
			}
			Expect(cache.Len(later)).To(Equal(30))
			Expect(cache.Held()).To(BeNumerically("<", 100)) // each commit looks at 4 entries, most of them expired
			Expect(cache.Reclaim(later)).To(Equal(30))
		})

		It("answers after dropping exactly as with the expired entries kept", func() {
			kept := tokens.NewCache()
			both := func(p tokens.Prompt, at time.Time) tokens.CacheUsage {
				a, b := cache.Plan(ws, model, p, min, at), kept.Plan(ws, model, p, min, at)
				Expect(a).To(Equal(b))
				cache.Commit(a, at)
				kept.Commit(b, at)
				return a.Usage
			}
			for i := range 5 {
				both(other(i), t0)
			}
			both(prompt(), t0)
			later := t0.Add(5*time.Minute + tokens.ExpiredFor)
			Expect(cache.Reclaim(later)).To(BeZero())
			Expect(kept.Held()).To(Equal(6))
			write, read := tokens.CacheUsage{Input: 53, Write5m: 2456}, tokens.CacheUsage{Input: 53, Read: 2456}
			for _, step := range []struct {
				d    time.Duration
				want tokens.CacheUsage
			}{{0, write}, {time.Minute, read}, {10 * time.Minute, write}} {
				d := step.d
				Expect(both(prompt(), later.Add(d))).To(Equal(step.want), "%s", d)
				both(other(2), later.Add(d)) // written again, then read
				both(other(2), later.Add(d))
				Expect(cache.Len(later.Add(d))).To(Equal(kept.Len(later.Add(d))))
			}
		})
	})
})
