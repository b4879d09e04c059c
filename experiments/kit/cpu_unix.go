//go:build unix

package kit

import "syscall"

// ProcessCPUSeconds is the CPU time (user and system) this process has
// used so far, or -1 where it cannot be read.
func ProcessCPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
