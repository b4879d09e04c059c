//go:build linux

package kit

import (
	"fmt"
	"os"
)

// threadSched reads the calling OS thread's scheduler statistics from
// /proc/thread-self/schedstat: the seconds it has run on a CPU and the
// seconds it has waited, ready to run, for a CPU (its run-queue wait).
// ok is false where the kernel does not keep them.
func threadSched() (run, wait float64, ok bool) {
	b, err := os.ReadFile("/proc/thread-self/schedstat")
	if err != nil {
		return 0, 0, false
	}
	var runNs, waitNs, slices int64
	if n, err := fmt.Sscan(string(b), &runNs, &waitNs, &slices); err != nil || n != 3 {
		return 0, 0, false
	}
	return float64(runNs) / 1e9, float64(waitNs) / 1e9, true
}
