package harness

import (
	"bytes"
	"context"
	"encoding/json"
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
	Alone  bool // run with no other cell in flight (Cell.Alone)
}

// Plan lists the cells cfg expands into, with their seeds, in a fixed order.
func Plan(exp Experiment, cfg any, seed uint64) []PlannedCell {
	cells := exp.cells(cfg)
	checkUniqueIDs(exp.Name(), cells)
	out := make([]PlannedCell, len(cells))
	for i, c := range cells {
		key := c.ID
		if c.Pair != "" {
			key = "pair:" + c.Pair
		}
		out[i] = PlannedCell{ID: c.ID, Params: c.Params, Seed: CellSeed(seed, exp.Name(), key), Cost: c.Cost, Alone: c.Alone}
	}
	return out
}

// ExecOptions control which cells of a sweep run and where their records
// go. None of them changes any result except Seed.
type ExecOptions struct {
	Seed    uint64
	Workers int
	Env     *Env
	// Store keeps the records; required.
	Store Store
	// Shard restricts the run to part of the sweep.
	Shard Shard
	// Force reruns cells that already have a valid record.
	Force    bool
	Progress func(Progress)
}

// ExecReport counts what Execute did.
type ExecReport struct {
	// Cells is the number of cells in the whole sweep; InShard of them
	// belong to this shard, Reused had a valid record already, Ran were run.
	Cells, InShard, Reused, Ran int
	Failed                      []CellError
}

// Execute runs the cells of exp's sweep that belong to opts.Shard and have
// no valid record in opts.Store (all of them with Force), in parallel, and
// saves a record for each as it finishes. A cell that fails is saved with
// its error and the others go on; Execute then returns a *RunError. If ctx
// is cancelled it stops handing out cells, waits for the running ones, and
// returns ctx's error: every finished cell has its record, so running the
// same sweep again completes only what is missing.
func Execute(ctx context.Context, exp Experiment, cfg any, opts ExecOptions) (ExecReport, error) {
	if err := exp.validate(cfg); err != nil {
		return ExecReport{}, err
	}
	if opts.Env == nil {
		opts.Env = &Env{}
	}
	rep, todo, err := pending(exp, cfg, opts)
	if err != nil {
		return rep, err
	}
	// Hand out the most expensive cells first so that the last worker is not
	// left alone with a long cell.
	sort.SliceStable(todo, func(a, b int) bool { return todo[a].Cost > todo[b].Cost })
	done, failed, saveErr := runCells(ctx, exp, todo, opts)
	rep.Ran = done
	sort.Slice(failed, func(a, b int) bool { return failed[a].ID < failed[b].ID })
	rep.Failed = failed
	if saveErr != nil {
		return rep, fmt.Errorf("saving a cell's record failed, so the run stopped (the records saved before are kept): %w", saveErr)
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if len(failed) > 0 {
		return rep, &RunError{Experiment: exp.Name(), Failed: failed}
	}
	return rep, nil
}

// pending lists the cells of the sweep that this shard still has to run,
// counting the others in the report.
func pending(exp Experiment, cfg any, opts ExecOptions) (ExecReport, []PlannedCell, error) {
	plan := Plan(exp, cfg, opts.Seed)
	assign := AssignShards(plan, opts.Shard.Count)
	rep := ExecReport{Cells: len(plan)}
	var todo []PlannedCell
	for _, c := range plan {
		if !opts.Shard.Whole() && assign[c.ID] != opts.Shard.Index {
			continue
		}
		rep.InShard++
		if !opts.Force {
			if _, ok, err := LoadValid(exp, opts.Store, c); err != nil {
				return rep, nil, err
			} else if ok {
				rep.Reused++
				continue
			}
		}
		todo = append(todo, c)
	}
	return rep, todo, nil
}

// runCells runs todo on opts.Workers goroutines, saving each cell's record
// as it finishes, and returns how many finished, which failed, and the first
// error saving a record. A failed save (a full disk, a folder gone) stops
// the run: every later cell would be computed only to be lost. Cells already
// saved stay.
func runCells(ctx context.Context, exp Experiment, todo []PlannedCell, opts ExecOptions) (done int, failed []CellError, saveErr error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	var totalCost, doneCost float64
	for _, c := range todo {
		totalCost += c.Cost
	}
	var mu sync.Mutex
	start := time.Now()
	stopSaving := make(chan struct{})
	work := func(c PlannedCell) {
		rec, err, cut := runOne(ctx, exp, opts.Env, c)
		if cut {
			return
		}
		serr := opts.Store.Save(rec)
		mu.Lock()
		defer mu.Unlock()
		if serr != nil && saveErr == nil {
			saveErr = serr
			close(stopSaving)
		}
		if err != nil {
			failed = append(failed, CellError{ID: c.ID, Err: err})
		}
		done++
		doneCost += c.Cost
		if opts.Progress != nil {
			opts.Progress(Progress{Done: done, Total: len(todo), DoneCost: doneCost, TotalCost: totalCost, Cell: c.ID, Elapsed: time.Since(start)})
		}
	}
	stopped := func() bool {
		select {
		case <-ctx.Done():
			return true
		case <-stopSaving:
			return true
		default:
			return false
		}
	}
	// Cells that must run alone go first, one at a time, before any
	// worker starts.
	var shared []PlannedCell
	for _, c := range todo {
		if !c.Alone {
			shared = append(shared, c)
			continue
		}
		if !stopped() {
			work(c)
		}
	}
	next := make(chan PlannedCell)
	var wg sync.WaitGroup
	for range min(workers, max(1, len(shared))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				work(c)
			}
		}()
	}
feed:
	for _, c := range shared {
		select {
		case next <- c:
		case <-ctx.Done():
			break feed
		case <-stopSaving:
			break feed
		}
	}
	close(next)
	wg.Wait()
	return done, failed, saveErr
}

// runOne runs one cell and makes its record; err is the cell's failure, if
// any. cut reports a cell cut short by an interruption: not a result, not a
// failure, and not recorded; the next run redoes it.
func runOne(ctx context.Context, exp Experiment, env *Env, c PlannedCell) (rec Record, err error, cut bool) {
	began := time.Now()
	res, err := runProtected(ctx, exp, env, cell{ID: c.ID, Params: c.Params, Cost: c.Cost}, NewRand(c.Seed))
	if err != nil && ctx.Err() != nil {
		return Record{}, nil, true
	}
	rec, recErr := newRecord(exp, c, res, err, time.Since(began))
	if recErr != nil {
		err = recErr
		rec.Error = recErr.Error()
	}
	return rec, err, false
}

// newRecord encodes a finished cell. A result that cannot be encoded (NaN
// in a float, say) is an error of the experiment's code, reported as the
// cell's failure.
func newRecord(exp Experiment, c PlannedCell, res any, runErr error, took time.Duration) (Record, error) {
	params, err := json.Marshal(c.Params)
	if err != nil {
		return Record{}, fmt.Errorf("encoding the parameters of cell %s: %w", c.ID, err)
	}
	rec := Record{Format: RecordFormat, Experiment: exp.Name(), Version: exp.Version(), ID: c.ID, Seed: c.Seed,
		Params: params, WallSeconds: took.Seconds()}
	if runErr != nil {
		rec.Error = runErr.Error()
		return rec, nil
	}
	js, err := json.Marshal(res)
	if err != nil {
		return rec, fmt.Errorf("the result of cell %s cannot be recorded: %w", c.ID, err)
	}
	rec.Result = js
	return rec, nil
}

// LoadValid returns the record of c if it exists and was made by the same
// experiment version, for the same parameters and seed, without error.
func LoadValid(exp Experiment, store Store, c PlannedCell) (Record, bool, error) {
	rec, ok, err := store.Load(c.ID)
	if err != nil || !ok {
		return rec, false, err
	}
	params, err := json.Marshal(c.Params)
	if err != nil {
		return rec, false, err
	}
	valid := rec.Format == RecordFormat && rec.Experiment == exp.Name() && rec.Version == exp.Version() &&
		rec.ID == c.ID && rec.Seed == c.Seed && rec.Error == "" && len(rec.Result) > 0 && sameJSON(rec.Params, params)
	return rec, valid, nil
}

// MissingCellsError lists the cells of a sweep that have no valid record.
type MissingCellsError struct {
	Experiment string
	IDs        []string
}

func (e *MissingCellsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d cell(s) have no valid record:", e.Experiment, len(e.IDs))
	for i, id := range e.IDs {
		if i == 20 {
			fmt.Fprintf(&b, "\n  ... and %d more", len(e.IDs)-20)
			break
		}
		fmt.Fprintf(&b, "\n  %s", id)
	}
	return b.String()
}

// Summarize reads the record of every cell of the sweep from store and
// summarises them. A missing or invalid record is a *MissingCellsError.
func Summarize(exp Experiment, cfg any, seed uint64, store Store) (*result.Result, error) {
	if err := exp.validate(cfg); err != nil {
		return nil, err
	}
	plan := Plan(exp, cfg, seed)
	cells := make([]cell, len(plan))
	results := make([]any, len(plan))
	var missing []string
	for i, c := range plan {
		cells[i] = cell{ID: c.ID, Params: c.Params, Cost: c.Cost}
		rec, ok, err := LoadValid(exp, store, c)
		if err != nil {
			return nil, err
		}
		if !ok {
			missing = append(missing, c.ID)
			continue
		}
		if results[i], err = exp.decodeResult(rec.Result); err != nil {
			return nil, fmt.Errorf("record of cell %s: %w", c.ID, err)
		}
	}
	if len(missing) > 0 {
		return nil, &MissingCellsError{Experiment: exp.Name(), IDs: missing}
	}
	return exp.summarize(cfg, cells, results)
}

// Run executes every cell of the sweep with records kept in memory and
// summarises them: the whole pipeline of a single-machine run, without
// files.
func Run(ctx context.Context, exp Experiment, cfg any, opts RunOptions) (*result.Result, error) {
	store := NewMemoryStore()
	if _, err := Execute(ctx, exp, cfg, ExecOptions{Seed: opts.Seed, Workers: opts.Workers, Env: opts.Env, Store: store, Progress: opts.Progress}); err != nil {
		return nil, err
	}
	return Summarize(exp, cfg, opts.Seed, store)
}

func sameJSON(a, b []byte) bool {
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return false
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
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
