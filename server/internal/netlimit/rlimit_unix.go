//go:build unix

package netlimit

import "syscall"

// openFileLimit is the soft limit on open descriptors, false when unknown.
func openFileLimit() (int, bool) {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) != nil || l.Cur == 0 {
		return 0, false
	}
	return int(min(l.Cur, 1<<31)), true
}
