//go:build !unix

package cnnspeed

// processCPUSeconds cannot be read on this platform.
func processCPUSeconds() float64 { return -1 }
