package journal

// chunkLen is how many records a chunk holds: big enough that the chunks'
// own list is short, small enough that letting go of the oldest tenth
// frees whole chunks.
const chunkLen = 512

// maxSpare is how many freed chunks a store keeps for reuse, so that a
// full journal letting its oldest entries go allocates almost nothing.
const maxSpare = 16

// store holds records by their place in the run (0 is the first request
// since the last Reset), in chunks of chunkLen. Chunks hold no pointers,
// so the collector never scans them. Only the last chunk grows by append,
// so that a journal of a few entries costs a few records.
type store struct {
	chunks [][]record
	base   int // the place of chunks[0][0]
	spare  [][]record
}

// at is the record at place a, which must be kept; the pointer is good
// until the next push.
func (s *store) at(a int) *record {
	i := a - s.base
	return &s.chunks[i/chunkLen][i%chunkLen]
}

// push adds r at the next place.
func (s *store) push(r *record) {
	last := len(s.chunks) - 1
	if last < 0 || len(s.chunks[last]) == chunkLen {
		s.chunks = append(s.chunks, s.fresh(last < 0))
		last++
	}
	s.chunks[last] = append(s.chunks[last], *r)
}

// fresh is an empty chunk: a small one to start a store, else a whole
// one, reused when one was freed.
func (s *store) fresh(first bool) []record {
	if first {
		return make([]record, 0, 8)
	}
	if n := len(s.spare); n > 0 {
		c := s.spare[n-1]
		s.spare = s.spare[:n-1]
		return c[:0]
	}
	return make([]record, 0, chunkLen)
}

// dropBefore lets go of the chunks wholly before place a.
func (s *store) dropBefore(a int) {
	n := (a - s.base) / chunkLen
	for _, c := range s.chunks[:n] {
		if cap(c) == chunkLen && len(s.spare) < maxSpare {
			s.spare = append(s.spare, c)
		}
	}
	copy(s.chunks, s.chunks[n:])
	clear(s.chunks[len(s.chunks)-n:])
	s.chunks = s.chunks[:len(s.chunks)-n]
	s.base += n * chunkLen
}

// reset empties the store, keeping its chunks as spares.
func (s *store) reset() {
	for _, c := range s.chunks {
		if cap(c) == chunkLen && len(s.spare) < maxSpare {
			s.spare = append(s.spare, c)
		}
	}
	s.chunks, s.base = nil, 0
}

// fpKey is a record's fingerprint as the index compares it.
type fpKey struct {
	v   uint64
	raw bool
}

// key is r's fingerprint key.
func (r *record) key() fpKey { return fpKey{r.fp, r.flags&fpRaw != 0} }

// index maps a fingerprint to the place of the latest request with it, an
// open-addressing table of places (plus one; 0 is empty) relative to base,
// compared through the records themselves: four bytes a slot, at most half
// of them used. A slot whose entry was let go stays taken, matching
// nothing, until the table is next built anew (when it fills up, or when
// compaction renamed the fingerprints), so that letting go of entries does
// not walk the kept ones.
type index struct {
	slots []uint32
	used  int
	base  int
}

// maxRelative is how far past its base the index lets places go before
// trimming builds it anew, so that a place always fits its uint32 slot even
// when the same content is sent over and over and the table never fills.
const maxRelative = 1 << 30

// slot is where k is, or the empty slot where it would go.
func (j *Journal) slot(k fpKey) (int, bool) {
	h := k.v
	if k.raw {
		h = ^h
	}
	mask := len(j.index.slots) - 1
	for i := int((h * 0x9E3779B97F4A7C15) >> 32 & uint64(mask)); ; i = (i + 1) & mask {
		s := j.index.slots[i]
		if s == 0 {
			return i, false
		}
		if a := int(s) - 1 + j.index.base; a >= j.dropped && j.records.at(a).key() == k {
			return i, true
		}
	}
}

// latest is the place of the latest request with fingerprint k.
func (j *Journal) latest(k fpKey) (int, bool) {
	if j.index.used == 0 {
		return 0, false
	}
	i, ok := j.slot(k)
	return int(j.index.slots[i]) - 1 + j.index.base, ok
}

// note makes place a, whose record is stored, the latest of its fingerprint.
func (j *Journal) note(a int) {
	if 2*(j.index.used+1) > len(j.index.slots) {
		j.reindex(j.seq - j.dropped)
	}
	i, ok := j.slot(j.records.at(a).key())
	if !ok {
		j.index.used++
	}
	j.index.slots[i] = uint32(a - j.index.base + 1)
}

// reindex builds the index anew over the kept records, with room for at
// least n: when it fills, and after the oldest entries were let go.
func (j *Journal) reindex(n int) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	j.index = index{slots: make([]uint32, size), base: j.dropped}
	for a := j.dropped; a < j.seq; a++ {
		i, ok := j.slot(j.records.at(a).key())
		if !ok {
			j.index.used++
		}
		j.index.slots[i] = uint32(a - j.index.base + 1)
	}
}
