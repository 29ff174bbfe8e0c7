package scenario

import (
	"bytes"
	"math/rand/v2"
	"path"
	"sync"
	"time"
)

// pcgStream is the second PCG seed word: fixed, so one seed always gives the
// same draws, and distinct from the other seeded sources of the mock.
const pcgStream = 0x5ce7a1105ce7a110

// Engine plays a scenario: it decides, request by request, which fault fires
// and which reply answers. It holds the counters and windows the `when:`
// blocks need, behind one mutex, so the server's handlers may share it.
type Engine struct {
	mu      sync.Mutex
	sc      *Scenario
	loaded  time.Time // virtual time the scenario was loaded; `after` counts from it
	rng     *rand.Rand
	faults  []counter // one per sc.Faults
	replies []counter // one per sc.Replies
}

// counter is the playing state of one fault or reply.
type counter struct {
	matched, fired int
	// passed holds the virtual times of the matching requests an
	// acceleration_limit let through, for its two one-minute windows.
	passed []time.Time
}

// NewEngine starts playing sc, loaded at virtual time loaded; seed seeds the
// probability draws, so a run with the same seed and requests fires the
// same faults.
func NewEngine(sc *Scenario, seed uint64, loaded time.Time) *Engine {
	if sc == nil {
		sc = &Scenario{}
	}
	return &Engine{
		sc: sc, loaded: loaded,
		rng:     rand.New(rand.NewPCG(seed, pcgStream)),
		faults:  make([]counter, len(sc.Faults)),
		replies: make([]counter, len(sc.Replies)),
	}
}

// Fault returns the first fault, in file order, that fires for r at virtual
// time now. Faults after it are not consulted, so they do not count r.
func (e *Engine) Fault(r Request, now time.Time) (Firing, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range e.sc.Faults {
		f, c := &e.sc.Faults[i], &e.faults[i]
		if !f.Match.matches(r) || (f.Action.Kind.Streaming() && !r.Stream) || f.Action.Kind.Batch() != (r.Endpoint == EndpointBatch) {
			continue
		}
		c.matched++
		if wait, ok := e.fires(f, c, now); ok {
			c.fired++
			return Firing{Fault: f, RetryAfter: wait}, true
		}
	}
	return Firing{}, false
}

// fires decides whether a fault that matched fires, and with what wait.
// An acceleration_limit must also find the ramp exceeded, and records the
// requests it lets through for the windows of later ones.
func (e *Engine) fires(f *Fault, c *counter, now time.Time) (time.Duration, bool) {
	if f.Action.Kind != AccelerationLimit {
		return 0, e.due(f.When, c, now) && e.draw(f.When)
	}
	due := e.due(f.When, c, now)
	over, wait := c.accelerate(f.Action, now)
	if !due || !over || !e.draw(f.When) {
		c.passed = append(c.passed, now)
		return 0, false
	}
	if f.Action.RetryAfter != nil {
		wait = *f.Action.RetryAfter
	}
	return wait, true
}

// Reply returns the first reply, in file order, that fires for r at virtual
// time now; replies are tried independently of faults.
func (e *Engine) Reply(r Request, now time.Time) (*Reply, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range e.sc.Replies {
		rp, c := &e.sc.Replies[i], &e.replies[i]
		if !rp.Match.matches(r) {
			continue
		}
		c.matched++
		if e.due(rp.When, c, now) && e.draw(rp.When) {
			c.fired++
			return rp, true
		}
	}
	return nil, false
}

// Counts reports how often each fault matched and fired, in file order.
func (e *Engine) Counts() []Count {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Count, len(e.sc.Faults))
	for i, f := range e.sc.Faults {
		out[i] = Count{Name: f.Name, Kind: f.Action.Kind, Matched: e.faults[i].matched, Fired: e.faults[i].fired, Optional: f.Optional}
	}
	return out
}

// ReplyCounts reports how often each reply matched and fired, in file
// order; Kind is empty.
func (e *Engine) ReplyCounts() []Count {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Count, len(e.sc.Replies))
	for i, r := range e.sc.Replies {
		out[i] = Count{Name: r.Name, Matched: e.replies[i].matched, Fired: e.replies[i].fired}
	}
	return out
}

// due checks every condition of w but the probability, for the n-th
// matching request (c.matched, already counted) at virtual time now.
func (e *Engine) due(w When, c *counter, now time.Time) bool {
	n, from := c.matched, max(w.From, 1)
	since := now.Sub(e.loaded)
	return n >= from &&
		(w.To == 0 || n <= w.To) &&
		(w.Every == 0 || (n-from)%w.Every == 0) &&
		since >= w.After && (w.For == 0 || since < w.After+w.For) &&
		(w.Max == 0 || c.fired < w.Max)
}

// draw takes one draw from the seeded source when w has a probability, so
// draws happen only for requests every other condition let through.
func (e *Engine) draw(w When) bool {
	return w.Probability == nil || e.rng.Float64() < *w.Probability
}

// accelerate reports whether one more request at now would exceed the ramp
// of an acceleration_limit, and how long until the oldest request of the
// last minute leaves the window. Times older than two minutes are dropped.
func (c *counter) accelerate(a Action, now time.Time) (bool, time.Duration) {
	kept := c.passed[:0]
	var cur, prev int
	var oldest time.Time
	for _, t := range c.passed {
		age := now.Sub(t)
		if age >= 2*time.Minute {
			continue
		}
		kept = append(kept, t)
		switch {
		case age >= time.Minute:
			prev++
		case age >= 0:
			if cur++; cur == 1 || t.Before(oldest) {
				oldest = t
			}
		}
	}
	c.passed = kept
	if cur+1 <= max(a.Floor, prev+a.Ramp) {
		return false, 0
	}
	return true, oldest.Add(time.Minute).Sub(now)
}

// matches reports whether r satisfies every field of m that is set.
func (m *Match) matches(r Request) bool {
	return (m.Endpoint == "" || m.Endpoint == r.Endpoint) &&
		(m.Model == "" || glob(m.Model, r.Model) || (r.Alias != "" && glob(m.Model, r.Alias))) &&
		(m.Family == "" || glob(m.Family, r.Family)) &&
		(m.Key == "" || m.Key == r.Key) &&
		(m.Organization == "" || m.Organization == r.Organization ||
			(m.Organization == defaultName && r.DefaultOrganization)) &&
		(m.Workspace == "" || m.Workspace == r.Workspace) &&
		(m.Stream == nil || *m.Stream == r.Stream) &&
		(m.Header == "" || len(r.Header.Values(m.Header)) > 0) &&
		(m.BodyContains == "" || bytes.Contains(r.Body, []byte(m.BodyContains)))
}

// glob is path.Match without the error, which Load has ruled out.
func glob(pattern, name string) bool {
	ok, _ := path.Match(pattern, name)
	return ok
}
