package netlimit_test

import (
	"net"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/netlimit"
)

// accepted is what one Accept returned.
type accepted struct {
	conn net.Conn
	err  error
}

var _ = Describe("Listen", func() {
	var ln net.Listener

	BeforeEach(func() {
		var err error
		ln, err = net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(func() { _ = ln.Close() }) // some specs close it first
	})

	// dial opens a client connection, closed after the spec.
	dial := func() {
		c, err := net.Dial("tcp", ln.Addr().String())
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(c.Close)
	}

	// acceptLater runs Accept in the background.
	acceptLater := func(l net.Listener) <-chan accepted {
		ch := make(chan accepted, 1)
		go func() {
			c, err := l.Accept()
			ch <- accepted{c, err}
		}()
		return ch
	}

	It("leaves the listener alone without a limit", func() {
		Expect(netlimit.Listen(ln, 0)).To(BeIdenticalTo(ln))
		Expect(netlimit.Listen(ln, -1)).To(BeIdenticalTo(ln))
	})

	It("holds a waiting connection back until a slot frees, however often the first is closed", func() {
		l := netlimit.Listen(ln, 1)
		dial()
		dial()
		first, err := l.Accept()
		Expect(err).NotTo(HaveOccurred())
		next := acceptLater(l)
		Expect(first.Close()).To(Succeed())
		Expect(first.Close()).To(HaveOccurred()) // a second Close frees nothing more
		var got accepted
		Eventually(next).Should(Receive(&got))
		Expect(got.err).NotTo(HaveOccurred())
		DeferCleanup(got.conn.Close)
	})

	It("ends a wait for a slot when the listener closes, though a client is queued", func() {
		l := netlimit.Listen(ln, 1)
		dial()
		dial()
		first, err := l.Accept()
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(first.Close)
		next := acceptLater(l)
		Expect(l.Close()).To(Succeed())
		var got accepted
		Eventually(next).Should(Receive(&got))
		Expect(got.err).To(MatchError(net.ErrClosed))
	})

	It("defaults to the descriptor limit less a reserve, never below 16", func() {
		Expect(netlimit.Default()).To(BeNumerically(">=", 16))
	})
})
