package quota

import "sync"

// names interns the scope names a Limiter's callers build from a prefix
// and an id ("org:" and an organization id), so that building a request's
// charges allocates nothing once its scopes have been seen. It holds one
// string per distinct scope, which the directory of accounts bounds; it
// has its own lock, read-mostly, so that naming a scope does not wait on
// admissions.
type names struct {
	mu sync.RWMutex
	m  map[[2]string]string
}

// Name is prefix+id, the same string every time for the same pair.
func (l *Limiter) Name(prefix, id string) string {
	k := [2]string{prefix, id}
	l.names.mu.RLock()
	s, ok := l.names.m[k]
	l.names.mu.RUnlock()
	if ok {
		return s
	}
	l.names.mu.Lock()
	defer l.names.mu.Unlock()
	if s, ok := l.names.m[k]; ok {
		return s
	}
	s = prefix + id
	l.names.m[k] = s
	return s
}
