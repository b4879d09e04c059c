//go:build openblas && cgo

package model

// Built with -tags openblas, matrix products go to OpenBLAS through cgo
// (gonum.org/v1/netlib). Debian: apt-get install libopenblas-dev.

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/netlib/blas/netlib"

	"github.com/reluexp/reluexp/internal/openblas"
)

func init() {
	var impl netlib.Implementation
	backendName = "OpenBLAS (cgo, gonum.org/v1/netlib)"
	gemmHook = func(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
		ta, tb := blas.NoTrans, blas.NoTrans
		if transA {
			ta = blas.Trans
		}
		if transB {
			tb = blas.Trans
		}
		impl.Dgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
	setBackendThreads = openblas.SetThreads
	// OpenBLAS starts with one thread per core; reluexp's default is one,
	// for results that do not depend on the machine's core count.
	setBackendThreads(threads)
}
