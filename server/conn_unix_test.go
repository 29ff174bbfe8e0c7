//go:build unix

package server_test

import (
	"syscall"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server"
)

var _ = Describe("DefaultMaxConnections", func() {
	It("is the descriptor limit less a reserve of 64", func() {
		var l syscall.Rlimit
		Expect(syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l)).To(Succeed())
		want := 10_000
		if l.Cur <= 1<<30 {
			want = max(16, int(l.Cur)-64)
		}
		Expect(server.DefaultMaxConnections()).To(Equal(want))
	})
})
