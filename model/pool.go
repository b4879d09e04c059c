package model

import (
	"runtime"
	"sync"
)

// pool is a fixed set of goroutines that split one large operation (a
// matrix product's row bands, or an activation kernel's chunks) with the
// goroutine that asked for it, when SetThreads allows more than one thread.
// Everything it uses is allocated once, so a training step still allocates
// nothing: tasks are plain values on a channel, with no closures.
var pool workPool

type workPool struct {
	mu      sync.Mutex // held by the one operation using the pool
	start   sync.Once
	tasks   chan poolTask
	done    sync.WaitGroup
	workers int
	problem gemmProblem
}

// poolTask is a range of a matrix product's row bands, a chunk of an
// elementwise kernel, or a range of a rangeJob's items.
type poolTask struct {
	p        *gemmProblem
	from, to int
	k        kernelTask
	job      rangeJob
}

// kernelTask is one call of a vector kernel: output y, input z, a second
// input x (dy, for the backward kernels) and the kernel's two parameters.
type kernelTask struct {
	kind    kernelKind
	y, z, x []float64
	a, b    float64
}

// part is the task restricted to elements [lo, hi).
func (t kernelTask) part(lo, hi int) kernelTask {
	t.y, t.z = t.y[lo:hi], t.z[lo:hi]
	if t.x != nil {
		t.x = t.x[lo:hi]
	}
	return t
}

// rangeJob is work over independent items [0, n) (a batch's examples, for
// the convolution's lowering and pooling) that any split across threads
// computes identically. Implementations are pointer types, so that passing
// one as an interface allocates nothing.
type rangeJob interface {
	runRange(from, to int)
}

func (w *workPool) init() {
	w.start.Do(func() {
		w.workers = runtime.NumCPU() - 1
		w.tasks = make(chan poolTask, max(w.workers, 1))
		for range w.workers {
			go func() {
				for t := range w.tasks {
					if t.job != nil {
						t.job.runRange(t.from, t.to)
					} else if t.p != nil {
						t.p.rows(t.from, t.to)
					} else {
						runKernel(t.k)
					}
					w.done.Done()
				}
			}()
		}
	})
}

// gemm splits the row bands of p among the workers and the caller.
func (w *workPool) gemm(p gemmProblem, rowTiles int) {
	w.init()
	parts := min(threads, w.workers+1, rowTiles)
	// The problem lives in the pool (not on the caller's stack, whose
	// address would escape to the heap on every call).
	w.problem = p
	per := (rowTiles + parts - 1) / parts
	w.done.Add(parts - 1)
	for i := 1; i < parts; i++ {
		w.tasks <- poolTask{p: &w.problem, from: i * per, to: min((i+1)*per, rowTiles)}
	}
	w.problem.rows(0, min(per, rowTiles))
	w.done.Wait()
}

// kernelKind names a vector kernel the pool can run.
type kernelKind int

const (
	kernelSigmoid kernelKind = iota
	kernelTanh
	kernelELU             // a: scale of z > 0, b: factor of expm1
	kernelSwish           // z sigmoid(z)
	kernelSwishBackward   // x: dy
	kernelSoftplus        // log(1 + e^z)
	kernelSigmoidBackward // x: dy; y = dy sigmoid(z)
	kernelGELU            // z Phi(z)
	kernelGELUBackward    // x: dy
)

func runKernel(t kernelTask) {
	switch t.kind {
	case kernelSigmoid:
		sigmoidVector(t.y, t.z)
	case kernelTanh:
		tanhVector(t.y, t.z)
	default:
		variantVector(t)
	}
}

// streamMin is the array length above which the kernels write with
// non-temporal stores: far past the last-level cache, where the output
// would only evict useful lines, and reading it before overwriting it (as
// ordinary stores do) costs a third of the memory traffic.
const streamMin = 1 << 20

// parallelKernelMin is the array length from which a kernel is split
// across threads: below it the hand-off costs more than it saves.
const parallelKernelMin = 1 << 16

// kernel runs an elementwise kernel over y, z (whose length is a multiple
// of 8), in chunks across threads when the arrays are large and allowed.
// The chunks are independent, so the result does not depend on the split.
func (w *workPool) kernel(k kernelKind, y, z []float64) {
	w.run(kernelTask{kind: k, y: y, z: z})
}

// run is kernel for any task.
func (w *workPool) run(t kernelTask) {
	n := len(t.z)
	if threads <= 1 || n < parallelKernelMin || !w.mu.TryLock() {
		runKernel(t)
		return
	}
	w.init()
	parts := min(threads, w.workers+1)
	per := (n/parts + 7) &^ 7
	w.done.Add(parts - 1)
	for i := 1; i < parts; i++ {
		w.tasks <- poolTask{k: t.part(min(i*per, n), min((i+1)*per, n))}
	}
	runKernel(t.part(0, min(per, n)))
	w.done.Wait()
	w.mu.Unlock()
}

// parallelMinValues is the amount of work (in values touched) from which
// a rangeJob is split across threads.
const parallelMinValues = 1 << 15

// runJob calls job.runRange over [0, n), split across threads when allowed
// and when the job touches at least parallelMinValues values in all (work
// is the total).
func (w *workPool) runJob(job rangeJob, n, work int) {
	if threads <= 1 || n < 2 || work < parallelMinValues || !w.mu.TryLock() {
		job.runRange(0, n)
		return
	}
	w.init()
	parts := min(threads, w.workers+1, n)
	per := (n + parts - 1) / parts
	w.done.Add(parts - 1)
	for i := 1; i < parts; i++ {
		w.tasks <- poolTask{job: job, from: min(i*per, n), to: min((i+1)*per, n)}
	}
	job.runRange(0, min(per, n))
	w.done.Wait()
	w.mu.Unlock()
}
