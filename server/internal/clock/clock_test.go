package clock_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/clock"
)

// fakeWall is a wall clock the specs move by hand.
type fakeWall struct{ t time.Time }

func (f *fakeWall) now() time.Time       { return f.t }
func (f *fakeWall) pass(d time.Duration) { f.t = f.t.Add(d) }
func mustParse(spec string) clock.Mode {
	m, err := clock.Parse(spec)
	Expect(err).NotTo(HaveOccurred())
	return m
}

var (
	wallStart = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	virtStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

var _ = Describe("Parse", func() {
	DescribeTable("reads the three modes",
		func(spec, name string, factor float64, back string) {
			m, err := clock.Parse(spec)
			Expect(err).NotTo(HaveOccurred())
			Expect(m).To(Equal(clock.Mode{Name: name, Factor: factor}))
			Expect(m.String()).To(Equal(back))
		},
		Entry("empty is real", "", "real", 1.0, "real"),
		Entry("real", "real", "real", 1.0, "real"),
		Entry("manual", "manual", "manual", 0.0, "manual"),
		Entry("scaled", "scaled:60", "scaled", 60.0, "scaled:60"),
		Entry("scaled by a fraction", "scaled:0.5", "scaled", 0.5, "scaled:0.5"),
	)

	DescribeTable("refuses anything else, naming the value",
		func(spec string) {
			_, err := clock.Parse(spec)
			Expect(err).To(MatchError(`clock "` + spec + `": want real, manual or scaled:N with 0 < N <= 1000000`))
		},
		Entry("unknown", "fast"),
		Entry("zero factor", "scaled:0"),
		Entry("negative factor", "scaled:-2"),
		Entry("no factor", "scaled:"),
		Entry("not a number", "scaled:x"),
		Entry("too fast", "scaled:2000000"),
	)
})

var _ = Describe("Clock", func() {
	var wall *fakeWall

	BeforeEach(func() {
		wall = &fakeWall{t: wallStart}
	})

	Context("manual", func() {
		var c *clock.Clock

		BeforeEach(func() {
			c = clock.New(mustParse("manual"), virtStart, wall.now)
		})

		It("stands still while wall time passes", func() {
			wall.pass(time.Hour)
			Expect(c.Now()).To(Equal(virtStart))
		})

		It("moves only when advanced or set", func() {
			t, err := c.Advance(90 * time.Second)
			Expect(err).NotTo(HaveOccurred())
			Expect(t).To(Equal(virtStart.Add(90 * time.Second)))
			Expect(c.Now()).To(Equal(virtStart.Add(90 * time.Second)))
			c.Set(virtStart.Add(-time.Hour))
			Expect(c.Now()).To(Equal(virtStart.Add(-time.Hour)))
		})

		It("refuses to advance backwards", func() {
			_, err := c.Advance(-time.Second)
			Expect(err).To(MatchError("clock: cannot advance by a negative duration -1s; set the time instead"))
			Expect(c.Now()).To(Equal(virtStart))
		})

		It("shows clients virtual durations and instants unchanged", func() {
			Expect(c.WallDuration(16 * time.Second)).To(Equal(16 * time.Second))
			Expect(c.VirtualSeconds(2.5)).To(Equal(2.5))
			Expect(c.WallTime(virtStart.Add(time.Minute))).To(Equal(virtStart.Add(time.Minute)))
			Expect(c.VirtualTime(virtStart.Add(time.Minute))).To(Equal(virtStart.Add(time.Minute)))
		})
	})

	Context("real", func() {
		It("follows wall time, starting now when no start is given", func() {
			c := clock.New(mustParse("real"), time.Time{}, wall.now)
			wall.pass(5 * time.Second)
			Expect(c.Now()).To(Equal(wallStart.Add(5 * time.Second)))
		})

		It("keeps an offset after Advance", func() {
			c := clock.New(mustParse("real"), time.Time{}, wall.now)
			_, err := c.Advance(time.Hour)
			Expect(err).NotTo(HaveOccurred())
			wall.pass(time.Second)
			Expect(c.Now()).To(Equal(wallStart.Add(time.Hour + time.Second)))
		})
	})

	Context("scaled:60", func() {
		var c *clock.Clock

		BeforeEach(func() {
			c = clock.New(mustParse("scaled:60"), virtStart, wall.now)
		})

		It("runs sixty times faster than wall time", func() {
			wall.pass(time.Second)
			Expect(c.Now()).To(Equal(virtStart.Add(time.Minute)))
			_, err := c.Advance(time.Hour)
			Expect(err).NotTo(HaveOccurred())
			wall.pass(500 * time.Millisecond)
			Expect(c.Now()).To(Equal(virtStart.Add(time.Minute + time.Hour + 30*time.Second)))
		})

		It("converts what the client sees back to wall time", func() {
			Expect(c.WallDuration(time.Minute)).To(Equal(time.Second))
			Expect(c.WallDuration(16 * time.Second)).To(Equal(16 * time.Second / 60))
			Expect(c.VirtualSeconds(2)).To(Equal(120.0))
			wall.pass(2 * time.Second) // virtual: +2 minutes
			resetAt := c.Now().Add(60 * time.Second)
			Expect(c.WallTime(resetAt)).To(Equal(wallStart.Add(3 * time.Second)))
			Expect(c.VirtualTime(wallStart.Add(3 * time.Second))).To(Equal(resetAt))
			Expect(c.VirtualTime(wallStart.Add(4 * time.Second))).To(Equal(resetAt.Add(time.Minute)))
		})
	})
})

var _ = Describe("Reset", func() {
	var (
		wall *fakeWall
		c    *clock.Clock
	)
	BeforeEach(func() {
		wall = &fakeWall{t: wallStart}
		c = clock.New(mustParse("manual"), virtStart, wall.now)
	})

	It("switches mode and restarts at the given time", func() {
		start := virtStart.Add(48 * time.Hour)
		c.Reset(mustParse("scaled:60"), start)
		Expect(c.Mode().String()).To(Equal("scaled:60"))
		wall.pass(time.Second)
		Expect(c.Now()).To(Equal(start.Add(time.Minute)))
	})

	It("keeps the current virtual time when no start is given", func() {
		_, _ = c.Advance(time.Hour)
		c.Reset(mustParse("real"), time.Time{})
		Expect(c.Now()).To(Equal(virtStart.Add(time.Hour)))
		wall.pass(2 * time.Second)
		Expect(c.Now()).To(Equal(virtStart.Add(time.Hour + 2*time.Second)))
	})
})
