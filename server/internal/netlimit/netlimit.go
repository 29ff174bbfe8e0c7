// Package netlimit bounds the connections a listener serves at once, below
// the process's descriptor limit, so that accept never fails with "too many
// open files" (which would stall every client, health checks included).
// It knows sockets, not HTTP.
package netlimit

import (
	"net"
	"sync"
)

// listener accepts at most n connections at once; Accept waits for
// one to close before taking another. Bounding connections below the
// process's descriptor limit keeps accept from failing with "too many open
// files", which would stall every client, health checks included; a
// waiting client is served as soon as a slot frees, and slow ones free
// theirs within the body and idle timeouts.
type listener struct {
	net.Listener
	slots     chan struct{}
	closed    chan struct{}
	closeOnce sync.Once
}

// Listen wraps ln to hold at most n connections; n <= 0 is no limit.
func Listen(ln net.Listener, n int) net.Listener {
	if n <= 0 {
		return ln
	}
	return &listener{Listener: ln, slots: make(chan struct{}, n), closed: make(chan struct{})}
}

// Accept waits for a free slot, then for a connection that takes it; a
// closed listener stops the wait.
func (l *listener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.closed:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &conn{Conn: c, release: func() { <-l.slots }}, nil
}

// Close closes the listener and ends any wait for a slot.
func (l *listener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// conn gives its slot back when closed, once however often Close is
// called.
type conn struct {
	net.Conn
	once    sync.Once
	release func()
}

// Close closes the connection and frees its slot.
func (c *conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// Default is the limit to use when none is configured: the process's
// descriptor limit less a reserve for files, listeners and the journal's
// readers, and 10,000 where that limit is unknown.
func Default() int {
	n, ok := openFileLimit()
	if !ok || n > 1<<30 {
		return 10_000
	}
	return max(16, n-64)
}
