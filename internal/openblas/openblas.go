//go:build cgo

// Package openblas links OpenBLAS into the binary and exposes the one
// OpenBLAS function gonum's netlib binding does not: setting its thread
// count. It is imported by the model package when built with the openblas
// tag (a package cannot mix cgo and Go assembly, so this lives apart).
package openblas

// #cgo LDFLAGS: -lopenblas
// void openblas_set_num_threads(int);
import "C"

// SetThreads sets how many threads OpenBLAS uses for one operation.
func SetThreads(n int) { C.openblas_set_num_threads(C.int(n)) }
