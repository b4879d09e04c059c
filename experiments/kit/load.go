package kit

import (
	"fmt"
	"os"
)

// LoadAverage reads the 1-minute load average from /proc/loadavg, or -1
// where it cannot be read: the timing experiments record it beside their
// CPU-share control.
func LoadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	var l float64
	if _, err := fmt.Sscan(string(b), &l); err != nil {
		return -1
	}
	return l
}
