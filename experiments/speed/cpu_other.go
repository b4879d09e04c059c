//go:build !unix

package speed

// processCPUSeconds cannot be read on this platform.
func processCPUSeconds() float64 { return -1 }
