//go:build unix

package harness

import (
	"errors"
	"os"
	"syscall"
)

// lockExclusiveNow takes an exclusive lock on f if no other process holds
// one, without waiting; it reports whether it got it.
func lockExclusiveNow(f *os.File) (bool, error) {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	return err == nil, err
}

// lockShared holds f shared (replacing an exclusive lock this process has).
func lockShared(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_SH)
}
