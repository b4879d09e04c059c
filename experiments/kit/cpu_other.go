//go:build !unix

package kit

// ProcessCPUSeconds cannot be read on this platform.
func ProcessCPUSeconds() float64 { return -1 }
