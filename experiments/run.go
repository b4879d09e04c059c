package experiments

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/reluexp/reluexp/experiments/result"
)

// RunOptions control how an experiment's cells are run. None of them
// changes the results except Seed.
type RunOptions struct {
	// Seed is the run's seed; every cell's seed is derived from it and the
	// cell's ID.
	Seed uint64
	// Workers is the number of cells run at once (<= 0: one per CPU).
	Workers int
	Env     *Env
	// Progress, when set, is called after each cell finishes (from the
	// worker goroutines, one call at a time).
	Progress func(Progress)
}

// Progress reports how far a run has got.
type Progress struct {
	Done, Total int
	// DoneCost and TotalCost weigh the cells by their expected cost, for an
	// estimate of the time left that does not assume equal cells.
	DoneCost, TotalCost float64
	Cell                string
	Elapsed             time.Duration
}

// CellError is a cell that failed (an error or a panic in its code; a
// diverged training run is a result, not a failure).
type CellError struct {
	ID  string
	Err error
}

// RunError lists the cells that failed.
type RunError struct {
	Experiment string
	Failed     []CellError
}

func (e *RunError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d cell(s) failed:", e.Experiment, len(e.Failed))
	for _, f := range e.Failed {
		fmt.Fprintf(&b, "\n  %s: %v", f.ID, f.Err)
	}
	return b.String()
}

// Validate checks cfg against the experiment's rules and returns a clear
// error for the first problem.
func Validate(exp Experiment, cfg any) error { return exp.validate(cfg) }

// PlannedCell is a cell as it will run: its ID, its parameters and its seed.
type PlannedCell struct {
	ID     string
	Params any
	Seed   uint64
	Cost   float64
}

// Plan lists the cells cfg expands into, with their seeds, in a fixed order.
func Plan(exp Experiment, cfg any, seed uint64) []PlannedCell {
	cells := exp.cells(cfg)
	checkUniqueIDs(exp.Name(), cells)
	out := make([]PlannedCell, len(cells))
	for i, c := range cells {
		out[i] = PlannedCell{ID: c.ID, Params: c.Params, Seed: CellSeed(seed, exp.Name(), c.ID), Cost: c.Cost}
	}
	return out
}

// Run validates cfg, runs every cell (in parallel, up to opts.Workers at a
// time), and summarises the results. If any cell fails the others still run
// and a *RunError lists the failures. If ctx is cancelled, Run stops handing
// out cells and returns ctx's error.
func Run(ctx context.Context, exp Experiment, cfg any, opts RunOptions) (*result.Result, error) {
	if err := exp.validate(cfg); err != nil {
		return nil, err
	}
	if opts.Env == nil {
		opts.Env = &Env{}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	cells := exp.cells(cfg)
	checkUniqueIDs(exp.Name(), cells)

	// Hand out the most expensive cells first so that the last worker is not
	// left alone with a long cell; the results keep their declared order.
	order := make([]int, len(cells))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return cells[order[a]].Cost > cells[order[b]].Cost })

	results := make([]any, len(cells))
	errs := make([]error, len(cells))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	var doneCost, totalCost float64
	for _, c := range cells {
		totalCost += c.Cost
	}
	start := time.Now()
	for range min(workers, max(1, len(cells))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c := cells[i]
				rng := NewRand(CellSeed(opts.Seed, exp.Name(), c.ID))
				results[i], errs[i] = runProtected(ctx, exp, opts.Env, c, rng)
				if opts.Progress != nil {
					mu.Lock()
					done++
					doneCost += c.Cost
					opts.Progress(Progress{Done: done, Total: len(cells), DoneCost: doneCost, TotalCost: totalCost, Cell: c.ID, Elapsed: time.Since(start)})
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for _, i := range order {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var failed []CellError
	for i, err := range errs {
		if err != nil {
			failed = append(failed, CellError{ID: cells[i].ID, Err: err})
		}
	}
	if len(failed) > 0 {
		return nil, &RunError{Experiment: exp.Name(), Failed: failed}
	}
	return exp.summarize(cfg, cells, results)
}

// runProtected runs one cell, turning a panic into an error so that one
// broken cell cannot take down a long sweep.
func runProtected(ctx context.Context, exp Experiment, env *Env, c cell, rng *rand.Rand) (res any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return exp.runCell(ctx, env, c, rng)
}

func checkUniqueIDs(name string, cells []cell) {
	seen := make(map[string]bool, len(cells))
	for _, c := range cells {
		if seen[c.ID] {
			panic(fmt.Sprintf("experiments: %s has two cells with ID %q", name, c.ID))
		}
		seen[c.ID] = true
	}
}

// CellSeed derives a cell's seed from the run's seed, the experiment's name
// and the cell's ID, so that it depends on what the cell is and not on when
// or where it runs.
func CellSeed(runSeed uint64, experiment, cellID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(experiment))
	h.Write([]byte{0})
	h.Write([]byte(cellID))
	return splitmix64(runSeed ^ splitmix64(h.Sum64()))
}

// NewRand returns a PCG random source seeded from seed.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, splitmix64(seed^0x9e3779b97f4a7c15)))
}

// splitmix64 is the SplitMix64 finaliser (Steele et al. 2014): a bijection
// that scatters nearby inputs far apart.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// ErrCancelled is returned by long cells that notice their context ended.
var ErrCancelled = errors.New("cancelled")
