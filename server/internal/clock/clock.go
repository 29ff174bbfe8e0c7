// Package clock is claudemock's virtual time. Every limit, refill and reset
// is computed on it, so a test can move time instead of sleeping:
//
//   - real: virtual time is wall time (plus any offset Set or Advance made);
//   - manual: time stands still until Advance or Set moves it;
//   - scaled:N: virtual time runs N times faster than wall time, and every
//     duration a client sees is converted back to wall time (WallDuration,
//     WallTime) so that a real client waits N times less.
//
// The server reads Now once per request and passes it down; domain packages
// never read a clock.
package clock

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Mode is how virtual time moves: Name is "real", "manual" or "scaled";
// Factor is how many virtual seconds pass per wall second (1, 0, N).
type Mode struct {
	Name   string
	Factor float64
}

// String gives the mode back in the form Parse reads.
func (m Mode) String() string {
	if m.Name == "scaled" {
		return "scaled:" + strconv.FormatFloat(m.Factor, 'f', -1, 64)
	}
	return m.Name
}

// Parse reads "real", "manual" or "scaled:N" (N > 0, e.g. "scaled:60").
func Parse(spec string) (Mode, error) {
	switch spec {
	case "", "real":
		return Mode{Name: "real", Factor: 1}, nil
	case "manual":
		return Mode{Name: "manual", Factor: 0}, nil
	}
	factor, ok := strings.CutPrefix(spec, "scaled:")
	n, err := strconv.ParseFloat(factor, 64)
	if !ok || err != nil || n <= 0 || n > 1e6 {
		return Mode{}, fmt.Errorf("clock %q: want real, manual or scaled:N with 0 < N <= 1000000", spec)
	}
	return Mode{Name: "scaled", Factor: n}, nil
}

// Clock is a virtual clock anchored at a (wall, virtual) pair of instants;
// safe for concurrent use.
type Clock struct {
	mu    sync.Mutex
	mode  Mode
	wall  func() time.Time
	wall0 time.Time // wall time at the anchor
	virt0 time.Time // virtual time at the anchor
}

// New starts a clock in mode at virtual time start (wall now when zero).
// wall is the wall-clock source, time.Now when nil; tests pass their own.
func New(mode Mode, start time.Time, wall func() time.Time) *Clock {
	if wall == nil {
		wall = time.Now
	}
	now := wall()
	if start.IsZero() {
		start = now
	}
	return &Clock{mode: mode, wall: wall, wall0: now, virt0: start.UTC()}
}

// Mode reports how the clock moves.
func (c *Clock) Mode() Mode {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mode
}

// Now is the current virtual time, in UTC.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked(c.wall())
}

func (c *Clock) nowLocked(wall time.Time) time.Time {
	elapsed := wall.Sub(c.wall0)
	return c.virt0.Add(time.Duration(float64(elapsed) * c.mode.Factor))
}

// Set moves virtual time to t, forwards or backwards.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wall0, c.virt0 = c.wall(), t.UTC()
}

// Advance moves virtual time forward by d and returns the new time. A
// negative d is refused: moving back is Set's job, and says so.
func (c *Clock) Advance(d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, fmt.Errorf("clock: cannot advance by a negative duration %s; set the time instead", d)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := c.wall()
	c.virt0, c.wall0 = c.nowLocked(wall).Add(d), wall
	return c.virt0, nil
}

// WallDuration converts a virtual duration into the wall time a client
// will spend waiting it: d/N under scaled:N, d otherwise.
func (c *Clock) WallDuration(d time.Duration) time.Duration {
	m := c.Mode()
	if m.Name != "scaled" {
		return d
	}
	return time.Duration(float64(d) / m.Factor)
}

// VirtualSeconds converts the wall seconds a client was told to wait back
// into virtual seconds, the unit the journal judges in: w*N under
// scaled:N, w otherwise.
func (c *Clock) VirtualSeconds(wall float64) float64 {
	if m := c.Mode(); m.Name == "scaled" {
		return wall * m.Factor
	}
	return wall
}

// WallTime converts a virtual instant into the wall instant a client
// should expect it at. Only scaled clocks convert: under real and manual
// the client sees virtual time itself.
func (c *Clock) WallTime(v time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mode.Name != "scaled" {
		return v
	}
	wall := c.wall()
	ahead := v.Sub(c.nowLocked(wall))
	return wall.Add(time.Duration(float64(ahead) / c.mode.Factor)).UTC()
}

// VirtualTime converts a wall instant a client was shown (a reset header)
// back into virtual time, the inverse of WallTime, so that the journal
// judges what the client was told on the clock everything else runs on.
func (c *Clock) VirtualTime(w time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mode.Name != "scaled" {
		return w.UTC()
	}
	wall := c.wall()
	return c.nowLocked(wall).Add(time.Duration(float64(w.Sub(wall)) * c.mode.Factor)).UTC()
}

// Reset re-anchors the clock in another mode at virtual time start (the
// current virtual time when start is zero), as loading a scenario that
// declares its own clock does.
func (c *Clock) Reset(mode Mode, start time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := c.wall()
	if start.IsZero() {
		start = c.nowLocked(wall)
	}
	c.mode, c.wall0, c.virt0 = mode, wall, start.UTC()
}
