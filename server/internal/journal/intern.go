package journal

import "strings"

// interner hands out small integer ids for values, the same id for equal
// values, so that a record can name a string (or a combination of them)
// in four bytes instead of holding a pointer the collector must follow.
type interner[T comparable] struct {
	vals []T
	ids  map[T]uint32
}

// id is v's id, interning v when it is new.
func (n *interner[T]) id(v T) uint32 {
	if id, ok := n.ids[v]; ok {
		return id
	}
	if n.ids == nil {
		n.ids = map[T]uint32{}
	}
	id := uint32(len(n.vals))
	n.vals = append(n.vals, v)
	n.ids[v] = id
	return id
}

// reqKey is what a request said about itself on arrival, as string ids.
type reqKey struct{ method, path, endpoint, key, org, workspace uint32 }

// whatKey is what a request asked for, once identified.
type whatKey struct {
	model, family uint32
	stream        bool
}

// howKey is how a request was answered, apart from the figures.
type howKey struct {
	status                                   int
	errType, errCode, shouldRetry, dimension uint32
	fault, action, reply, delivery           uint32
	spend                                    bool
}

// names are a journal's interned strings and the combinations of them its
// records name. String id 0 is always "".
type names struct {
	strs  interner[string]
	reqs  interner[reqKey]
	whats interner[whatKey]
	hows  interner[howKey]
}

// newNames starts the tables with "" as string 0.
func newNames() *names {
	n := &names{}
	n.strs.id("")
	return n
}

// str is the id of s. A new string is copied first: it may be a window on
// a request's body, which the journal must not keep alive.
func (n *names) str(s string) uint32 {
	if s == "" {
		return 0
	}
	if id, ok := n.strs.ids[s]; ok {
		return id
	}
	return n.strs.id(strings.Clone(s))
}

// size is how many values the tables hold, to tell when they have grown
// well beyond what the live records name (compact).
func (n *names) size() int {
	return len(n.strs.vals) + len(n.reqs.vals) + len(n.whats.vals) + len(n.hows.vals)
}

// compact builds the names anew from the kept records once they have
// grown to twice their size after the last compaction (and past a few
// thousand), so that strings only let-go entries named — paths with an
// id in them, unknown models, odd request ids — do not pile up in a
// server that runs for long. It runs when entries are let go; j.mu must
// be held. It reports whether it did, as the index must then be built
// anew.
func (j *Journal) compact() bool {
	size := j.names.size()
	if size < 4096 || size < 2*j.grown {
		return false
	}
	old, fresh := j.names, newNames()
	for a := j.dropped; a < j.seq; a++ {
		fresh.remap(old, j.records.at(a))
	}
	j.names, j.grown = fresh, fresh.size()
	return true
}

// remap renames r's ids in old into n's.
func (n *names) remap(old *names, r *record) {
	s := func(id uint32) uint32 { return n.strs.id(old.strs.vals[id]) }
	if r.flags&fpRaw != 0 {
		r.fp = uint64(s(uint32(r.fp)))
	}
	if r.flags&odd != 0 {
		return // kept whole: only its fingerprint is read from the record
	}
	if r.flags&idRaw != 0 {
		id := s(uint32(r.id[0]) | uint32(r.id[1])<<8 | uint32(r.id[2])<<16 | uint32(r.id[3])<<24)
		r.id[0], r.id[1], r.id[2], r.id[3] = byte(id), byte(id>>8), byte(id>>16), byte(id>>24)
	}
	q, w, h := old.reqs.vals[r.req], old.whats.vals[r.what], old.hows.vals[r.how]
	r.req = n.reqs.id(reqKey{s(q.method), s(q.path), s(q.endpoint), s(q.key), s(q.org), s(q.workspace)})
	r.what = n.whats.id(whatKey{s(w.model), s(w.family), w.stream})
	r.how = n.hows.id(howKey{h.status, s(h.errType), s(h.errCode), s(h.shouldRetry), s(h.dimension),
		s(h.fault), s(h.action), s(h.reply), s(h.delivery), h.spend})
}
