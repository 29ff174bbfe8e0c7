package limits

import (
	"math"
	"time"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/quota"
)

// Forced is the 429 a rate_limit fault forces: the buckets as they stand
// with the named one (Empty) at 0, refilling from now, and the wait until
// that bucket holds the request again.
type Forced struct {
	View    View
	Empty   quota.State
	Wait    time.Duration
	Message string
}

// Force computes the 429 the buckets of lim would give r if the dimension
// a scenario names ("requests", "input_tokens", ...) were empty, taking
// nothing. The request's needs are admission's own (Request.weigh), so the
// wait reflects what admission would ask of the bucket.
func Force(lim *quota.Limiter, r Request, dimension string, now time.Time) Forced {
	var buf [maxStandard]quota.Charge
	charges := standardCharges(buf[:0], lim, r.Account, r.Family, r.weigh())
	states := lim.Peek(charges, now)
	d, _ := ByScenario(dimension)
	i := Tightest(states, quota.Key{}, func(st quota.State) bool { return st.Key.Dimension == d.Name })
	if i < 0 {
		states = append(states, missing(r.Account, r.Family, d.Name, states))
		i = len(states) - 1
	}
	empty := &states[i]
	refill := time.Duration(float64(time.Second) * empty.Limit.Capacity / empty.Limit.Rate)
	empty.Level, empty.FullAt = 0, now.Add(refill)
	return Forced{
		View:    ViewOf(states, empty.Key),
		Empty:   *empty,
		Wait:    refillWait(*empty, need(charges, empty.Key)),
		Message: Message(r.Account, empty.Key, LimitOf(*empty), r.Model),
	}
}

// missing stands for a dimension the request draws on no bucket of, so a
// fault can still name it. "tokens" is the combined input and output
// bucket the tokens headers already show; any other is a bucket of one
// unit a minute.
func missing(acct accounts.Account, family, dim string, states []quota.State) quota.State {
	if dim == Tokens {
		if t := ViewOf(states, quota.Key{}).Tokens; t.OK {
			return t.State
		}
	}
	return quota.State{
		Key:   quota.Key{Scope: acct.OrgScope(), Family: family, Dimension: dim},
		Limit: quota.PerWindow(1, time.Minute, 0),
	}
}

// need is what the request would need from the bucket with the given key,
// at least one unit.
func need(charges []quota.Charge, key quota.Key) float64 {
	for _, c := range charges {
		if c.Key == key {
			return max(c.Need, 1)
		}
	}
	return 1
}

// refillWait is how long an empty bucket takes to hold n units again.
func refillWait(st quota.State, n float64) time.Duration {
	if st.Limit.Rate <= 0 {
		return time.Minute
	}
	secs := math.Min(n, st.Limit.Capacity) / st.Limit.Rate
	return time.Duration(secs * float64(time.Second))
}
