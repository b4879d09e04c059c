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

// stealSeconds is the machine's CPU time stolen by the hypervisor so far,
// over all CPUs (the steal column of /proc/stat's cpu line, in USER_HZ
// ticks of 1/100 s): time a virtual CPU was ready but the host ran
// something else, which a thread's own scheduler record counts as run.
// ok is false where it cannot be read.
func stealSeconds() (float64, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	var name string
	var f [8]int64
	if n, err := fmt.Sscan(string(b), &name, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]); err != nil || n != 9 || name != "cpu" {
		return 0, false
	}
	return float64(f[7]) / 100, true
}
