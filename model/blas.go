package model

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// All matrix products in the package go through gemm, so that the BLAS
// backend can be swapped (pure-Go gonum by default, OpenBLAS through cgo
// under the openblas build tag) without touching any layer.

// Tile sizes for the pure-Go path. gonum's Dgemm starts goroutines (and
// allocates) once C spans 4 or more 64x64 blocks; calling it on tiles of at
// most 64x128 keeps it on its serial, allocation-free path. Each element of
// C is still summed over the whole k range by one call, in one order, so
// the result depends neither on the tiling nor on which thread computes a
// tile.
const (
	tileRows = 64
	tileCols = 128
	// Products smaller than this many multiply-adds are not worth waking
	// other threads for.
	parallelMinWork = 1 << 20
)

// threads is the number of threads a matrix product may use; see
// SetThreads.
var threads = 1

// SetThreads sets how many threads one matrix product may use (at least 1;
// the default is 1). Experiments keep the default and run independent cells
// in parallel instead; benchmarks raise it to compare a single training
// step with other libraries. With the pure-Go backend the results do not
// depend on it. With OpenBLAS they can (it splits the inner dimension of
// some products across threads), which is why it is a setting of its own and
// not derived from the number of workers. Call it before any product runs.
func SetThreads(n int) {
	threads = max(1, n)
	if setBackendThreads != nil {
		setBackendThreads(threads)
	}
}

// Threads returns the current setting.
func Threads() int { return threads }

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
	p := gemmProblem{transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc}
	rowTiles := (m + tileRows - 1) / tileRows
	if threads > 1 && rowTiles > 1 && m*n*k >= parallelMinWork && pool.mu.TryLock() {
		// One operation at a time uses the pool; one that finds it busy
		// (another cell's) runs on its own goroutine instead of queueing.
		pool.gemm(p, rowTiles)
		pool.mu.Unlock()
		return
	}
	p.rows(0, rowTiles)
}

// gemmProblem is one product's arguments.
type gemmProblem struct {
	transA, transB bool
	m, n, k        int
	alpha          float64
	a              []float64
	lda            int
	b              []float64
	ldb            int
	beta           float64
	c              []float64
	ldc            int
}

// rows computes the tiles of C in row bands [from, to).
func (p *gemmProblem) rows(from, to int) {
	ta, tb := blas.NoTrans, blas.NoTrans
	if p.transA {
		ta = blas.Trans
	}
	if p.transB {
		tb = blas.Trans
	}
	impl := blas64.Implementation()
	for t := from; t < to; t++ {
		i0 := t * tileRows
		mi := min(tileRows, p.m-i0)
		// Row i of op(a) starts at a[i*lda] untransposed, at a[i] transposed.
		aOff := i0 * p.lda
		if p.transA {
			aOff = i0
		}
		for j0 := 0; j0 < p.n; j0 += tileCols {
			nj := min(tileCols, p.n-j0)
			// Column j of op(b) starts at b[j] untransposed, at b[j*ldb] transposed.
			bOff := j0
			if p.transB {
				bOff = j0 * p.ldb
			}
			impl.Dgemm(ta, tb, mi, nj, p.k, p.alpha, p.a[aOff:], p.lda, p.b[bOff:], p.ldb, p.beta, p.c[i0*p.ldc+j0:], p.ldc)
		}
	}
}

// gemmHook and setBackendThreads, when set by a backend file, replace the
// pure-Go path.
var (
	gemmHook          func(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int)
	setBackendThreads func(int)
)

// backendName is set by the file that selects the BLAS implementation.
var backendName = "gonum (pure Go)"

// BLASBackend names the BLAS implementation the matrix products use, for
// reports and benchmarks.
func BLASBackend() string { return backendName }
