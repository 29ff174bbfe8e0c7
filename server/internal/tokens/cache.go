package tokens

import (
	"encoding/binary"
	"math"
	"sync"
	"time"
)

// Lookback is how many blocks before a breakpoint the cache also checks for
// an earlier entry ("the lookback window is 20 blocks").
const Lookback = 20

// CacheUsage splits a prompt's input tokens the way usage reports them:
// Input after the last cached or written prefix, Read from the cache,
// and the tokens written under 5-minute and 1-hour breakpoints.
type CacheUsage struct {
	Input, Read, Write5m, Write1h int
}

// Written is cache_creation_input_tokens: everything written, either TTL.
func (u CacheUsage) Written() int { return u.Write5m + u.Write1h }

// Cache simulates the prompt cache: an entry is a prefix of the prompt
// (tools, then system, then messages) up to a breakpoint, kept per scope
// (the workspace) and model until it expires. Safe for concurrent use.
//
// An entry is 40 bytes of map slot with no pointer in it: its key names
// the (scope, model) pair by a number the cache gives each pair it meets
// (pairs), and its expiry is Unix seconds and nanoseconds rather than a
// time.Time, whose *Location the garbage collector would chase. Each
// Commit also looks at a few entries and drops those expired for
// ExpiredFor (see Reclaim), so that expired entries leave the map.
type Cache struct {
	mu      sync.Mutex
	entries map[entryKey]entry
	pairs   map[[2]string]uint32
}

// ExpiredFor is how long an entry must have been expired before it may be
// dropped. An expired entry is never read, refreshed or kept by a write,
// so dropping it changes nothing a request sees; the hour keeps that true
// even for a request whose virtual time is behind the one that drops it
// (virtual time set back, or a clock that ran on during a request),
// unless it is behind by more than an hour.
const ExpiredFor = time.Hour

// sweepBudget is how many entries each Commit looks at for dropping.
const sweepBudget = 4

// cacheKey names an entry as a Plan does, by its scope and model.
type cacheKey struct {
	scope, model string
	prefix       uint64
}

// entryKey names an entry in the map: pair is the (scope, model) pair's
// number in Cache.pairs.
type entryKey struct {
	pair   uint32
	prefix uint64
}

// entry is one cached prefix: it expires at Unix time sec.nsec and lives
// ttl from each use.
type entry struct {
	sec  int64
	ttl  time.Duration
	nsec int32
}

// newEntry is an entry living ttl from now.
func newEntry(now time.Time, ttl time.Duration) entry {
	t := now.Add(ttl)
	return entry{sec: t.Unix(), nsec: int32(t.Nanosecond()), ttl: ttl}
}

// expires is the instant the entry expires.
func (e entry) expires() time.Time { return time.Unix(e.sec, int64(e.nsec)) }

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{entries: map[entryKey]entry{}, pairs: map[[2]string]uint32{}}
}

// find is the map key of k; false when its (scope, model) pair has no
// number yet, and so no entry. The caller holds c.mu.
func (c *Cache) find(k cacheKey) (entryKey, bool) {
	n, ok := c.pairs[[2]string{k.scope, k.model}]
	return entryKey{pair: n, prefix: k.prefix}, ok
}

// number is the map key of k, giving its pair a number if it has none.
// The numbers are bounded by the workspaces and models, never reused
// while the cache lives. The caller holds c.mu.
func (c *Cache) number(k cacheKey) entryKey {
	if ek, ok := c.find(k); ok {
		return ek
	}
	n := uint32(len(c.pairs))
	c.pairs[[2]string{k.scope, k.model}] = n
	return entryKey{pair: n, prefix: k.prefix}
}

// Plan is what one request would read from and write to the cache. It is
// computed before admission and committed only if the request is admitted,
// so a refused request changes nothing.
type Plan struct {
	Usage  CacheUsage
	hit    *cacheKey
	writes []write
}

type write struct {
	key cacheKey
	ttl time.Duration
}

// Plan finds the longest cached prefix reachable from any breakpoint (the
// breakpoint itself or up to Lookback blocks before it), then plans a
// write at every later breakpoint whose prefix reaches minTokens; shorter
// prefixes are not cached and raise no error. now is the start of the request.
func (c *Cache) Plan(scope, model string, p Prompt, minTokens int, now time.Time) Plan {
	var prefixBuf [smallPrompt]int
	var hashBuf [smallPrompt]uint64
	prefixes, hashes := prefixTable(p, prefixBuf[:0], hashBuf[:0])
	bps := breakpoints(p)
	hit, read := c.longestHit(scope, model, bps, prefixes, hashes, now)
	plan := Plan{hit: hit}
	plan.Usage.Read = read
	start := read
	for _, bp := range bps {
		if prefixes[bp.block] <= start || prefixes[bp.block] < minTokens {
			continue
		}
		n := prefixes[bp.block] - start
		if bp.ttl >= time.Hour {
			plan.Usage.Write1h += n
		} else {
			plan.Usage.Write5m += n
		}
		plan.writes = append(plan.writes, write{key: cacheKey{scope, model, hashes[bp.block]}, ttl: bp.ttl})
		start = prefixes[bp.block]
	}
	plan.Usage.Input = Count(p) - start
	return plan
}

// Commit stores the plan's writes and refreshes the entry it read, each
// for its TTL from now (the start of the request).
func (c *Cache) Commit(plan Plan, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if plan.hit != nil {
		if k, ok := c.find(*plan.hit); ok {
			if e, ok := c.entries[k]; ok {
				c.entries[k] = newEntry(now, e.ttl)
			}
		}
	}
	for _, w := range plan.writes {
		k := c.number(w.key)
		if e, ok := c.entries[k]; ok && e.ttl > w.ttl && e.expires().After(now.Add(w.ttl)) {
			continue // a longer-lived entry for the same prefix stays
		}
		c.entries[k] = newEntry(now, w.ttl)
	}
	c.sweep(now, sweepBudget)
}

// sweep looks at up to n entries, starting wherever the map's iteration
// does (a random place), and drops those expired for ExpiredFor at now.
// The caller holds c.mu.
func (c *Cache) sweep(now time.Time, n int) {
	limit := now.Add(-ExpiredFor)
	for k, e := range c.entries {
		if n--; n < 0 {
			return
		}
		if !e.expires().After(limit) {
			delete(c.entries, k)
		}
	}
}

// Reclaim drops every entry expired for ExpiredFor at now, as the commits
// do a few at a time, and returns how many entries the cache holds.
func (c *Cache) Reclaim(now time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sweep(now, len(c.entries))
	return len(c.entries)
}

// Held is how many entries the cache holds, alive or expired but not yet
// dropped.
func (c *Cache) Held() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Reset forgets every entry.
func (c *Cache) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
	clear(c.pairs)
}

// Len counts the entries still alive at now.
func (c *Cache) Len(now time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, e := range c.entries {
		if e.expires().After(now) {
			n++
		}
	}
	return n
}

// longestHit returns the live entry covering the most tokens, searching
// back from every breakpoint.
func (c *Cache) longestHit(scope, model string, bps []breakpoint, prefixes []int, hashes []uint64, now time.Time) (*cacheKey, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var best *cacheKey
	read := 0
	pair, ok := c.pairs[[2]string{scope, model}]
	if !ok {
		return nil, 0 // no entry was ever written for the pair
	}
	for _, bp := range bps {
		for j := bp.block; j >= 0 && j >= bp.block-Lookback; j-- {
			key := cacheKey{scope, model, hashes[j]}
			if e, ok := c.entries[entryKey{pair, hashes[j]}]; ok && e.expires().After(now) {
				if prefixes[j] > read {
					best, read = &key, prefixes[j]
				}
				break
			}
		}
	}
	return best, read
}

// smallPrompt is how many blocks a prompt may have for Plan to keep its
// prefix table on the stack: most requests have a handful.
const smallPrompt = 16

// breakpoint is a block carrying cache_control, with its TTL.
type breakpoint struct {
	block int
	ttl   time.Duration
}

// breakpoints lists the explicit breakpoints in block order, plus the
// automatic one on the last block.
func breakpoints(p Prompt) []breakpoint {
	var out []breakpoint
	for i, b := range p.Blocks {
		if b.Cache > 0 {
			out = append(out, breakpoint{block: i, ttl: b.Cache})
		}
	}
	last := len(p.Blocks) - 1
	if p.AutoCache > 0 && last >= 0 && (len(out) == 0 || out[len(out)-1].block != last) {
		out = append(out, breakpoint{block: last, ttl: p.AutoCache})
	}
	return out
}

// prefixTable gives, for every block, the tokens of the prompt up to and
// including it and a hash of that prefix chained block by block, so a
// change anywhere changes every later prefix — a changed tool invalidates
// the system and the messages after it. The request's fixed overhead opens
// the prefix and each message's overhead is counted at its first block, so
// a conversation that grows keeps the prefixes it had. The tables are
// prefixes and hashes when they have room for every block (Plan's, on its
// stack, for a prompt of up to smallPrompt blocks), else new ones.
func prefixTable(p Prompt, prefixes []int, hashes []uint64) ([]int, []uint64) {
	start := overhead(p) - messageOverhead*min(max(p.Messages, 0), math.MaxInt/8)
	if n := len(p.Blocks); cap(prefixes) < n || cap(hashes) < n {
		prefixes, hashes = make([]int, n), make([]uint64, n)
	}
	prefixes, hashes = prefixes[:len(p.Blocks)], hashes[:len(p.Blocks)]
	sum, h, message := start, seed(start, p.ToolChoiceForced), -1
	for i := range p.Blocks {
		b := &p.Blocks[i]
		if b.Section == Messages && b.Message != message {
			sum, message = add(sum, messageOverhead), b.Message
		}
		sum = add(sum, blockTokens(b))
		h = chain(h, b)
		prefixes[i], hashes[i] = sum, h
	}
	return prefixes, hashes
}

// seed is the hash a prefix starts from: the request's fixed overhead and
// whether tool use is forced.
func seed(overhead int, forced bool) uint64 {
	var buf [9]byte
	binary.LittleEndian.PutUint64(buf[:8], uint64(overhead))
	if forced {
		buf[8] = 1
	}
	return fnv1a(fnvOffset, buf[:])
}

// chain hashes a block onto the hash of the prefix before it. The
// breakpoint's TTL is left out: moving or adding a breakpoint does not
// change what the prefix is.
func chain(prev uint64, b *Block) uint64 {
	var buf [8 * 6]byte
	binary.LittleEndian.PutUint64(buf[0:], prev)
	binary.LittleEndian.PutUint64(buf[8:], uint64(b.Section)<<8|uint64(b.Kind))
	binary.LittleEndian.PutUint64(buf[16:], uint64(b.Width))
	binary.LittleEndian.PutUint64(buf[24:], uint64(b.Height))
	binary.LittleEndian.PutUint64(buf[32:], uint64(b.Pages))
	binary.LittleEndian.PutUint64(buf[40:], uint64(int64(b.Message)))
	return fnv1a(fnv1a(fnvOffset, buf[:]), b.Text)
}

// FNV-1a's 64-bit offset basis and prime (hash/fnv's New64a).
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnv1a continues the 64-bit FNV-1a hash h over data: what hash/fnv's
// New64a computes, without the hash.Hash64 that moved to the heap on
// every block.
func fnv1a[T string | []byte](h uint64, data T) uint64 {
	for i := 0; i < len(data); i++ {
		h ^= uint64(data[i])
		h *= fnvPrime
	}
	return h
}
