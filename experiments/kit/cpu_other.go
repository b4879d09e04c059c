//go:build !linux

package kit

// threadSched cannot be read on this platform.
func threadSched() (run, wait float64, ok bool) { return 0, 0, false }

// stealSeconds cannot be read on this platform.
func stealSeconds() (float64, bool) { return 0, false }
