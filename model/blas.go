package model

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// All matrix products in the package go through gemm, so that the BLAS
// backend can be swapped (pure-Go gonum by default, OpenBLAS through cgo
// under a build tag) without touching any layer.

// Tile sizes for the pure-Go path. gonum's Dgemm starts goroutines (and
// allocates) once C spans 4 or more 64x64 blocks; calling it on tiles of at
// most 64x128 keeps it on its serial, allocation-free path. Each element of
// C is still summed over the whole k range by one call, in one order, so
// the result does not depend on the tiling.
const (
	tileRows = 64
	tileCols = 128
)

// gemm computes c = alpha * op(a) * op(b) + beta * c for row-major matrices,
// where op transposes when the flag is set. op(a) is m x k, op(b) is k x n.
func gemm(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if gemmHook != nil {
		gemmHook(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	ta, tb := blas.NoTrans, blas.NoTrans
	if transA {
		ta = blas.Trans
	}
	if transB {
		tb = blas.Trans
	}
	impl := blas64.Implementation()
	for i0 := 0; i0 < m; i0 += tileRows {
		mi := min(tileRows, m-i0)
		// Row i of op(a) starts at a[i*lda] untransposed, at a[i] transposed.
		aOff := i0 * lda
		if transA {
			aOff = i0
		}
		for j0 := 0; j0 < n; j0 += tileCols {
			nj := min(tileCols, n-j0)
			// Column j of op(b) starts at b[j] untransposed, at b[j*ldb] transposed.
			bOff := j0
			if transB {
				bOff = j0 * ldb
			}
			impl.Dgemm(ta, tb, mi, nj, k, alpha, a[aOff:], lda, b[bOff:], ldb, beta, c[i0*ldc+j0:], ldc)
		}
	}
}

// gemmHook, when set by a backend file, replaces the pure-Go path entirely.
var gemmHook func(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int)

// backendName is set by the file that selects the BLAS implementation.
var backendName = "gonum (pure Go, tiled serial Dgemm)"

// BLASBackend names the BLAS implementation the matrix products use, for
// reports and benchmarks.
func BLASBackend() string { return backendName }
