package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"github.com/reluexp/reluexp/experiments/result"
)

// Experiment is a registered experiment, seen through its configuration
// and cells without knowing their types.
type Experiment interface {
	// Name is what users type: `reluexp run NAME`.
	Name() string
	// Claims lists the claim IDs (C1..C12) the experiment gives verdicts on.
	Claims() []string
	// Summary is one line for `reluexp list`.
	Summary() string
	// Doc is the longer help text.
	Doc() string
	// NewConfig returns a pointer to a fresh configuration holding the
	// defaults, or the quick defaults.
	NewConfig(quick bool) any
	// Version is bumped when what a cell computes changes, so that records
	// made by an older version are rerun rather than mixed in.
	Version() int
	// Profiles lists the experiment's named sets of defaults besides its
	// own (see Profile); most experiments have none.
	Profiles() []ProfileInfo

	profileConfig(name string, quick bool) (any, bool)

	validate(cfg any) error
	cells(cfg any) []cell
	runCell(ctx context.Context, env *Env, c cell, rng *rand.Rand) (any, error)
	summarize(cfg any, cells []cell, results []any) (*result.Result, error)
	decodeResult(raw []byte) (any, error)
	memory(cfg any) (perCell, shared int64)
}

// cell is one unit of work in type-erased form.
type cell struct {
	ID     string
	Pair   string
	Params any
	// Cost is the expected cost relative to the experiment's other cells
	// (for ordering and, later, for balancing shards).
	Cost float64
	// Alone: see Cell.Alone.
	Alone bool
}

// Definition is how an experiment is written: its configuration type C, its
// cell parameter type P and its cell result type R, with the functions that
// connect them. Register turns it into an Experiment.
type Definition[C, P, R any] struct {
	Name    string
	Claims  []string
	Summary string
	Doc     string
	// Version of what the cells compute (0 means 1); see Experiment.Version.
	Version int
	// Defaults returns the configuration, or the quick one.
	Defaults func(quick bool) *C
	// Validate checks a configuration a user may have edited.
	Validate func(*C) error
	// Cells expands a configuration into its cells.
	Cells func(*C) []Cell[P]
	// Run computes one cell. rng is the cell's own random source.
	Run func(ctx context.Context, env *Env, p P, rng *rand.Rand) (R, error)
	// Summarize turns every cell's result into the experiment's result.
	Summarize func(*C, []Done[P, R]) (*result.Result, error)
	// Profiles are named sets of defaults besides Defaults, selected with
	// --profile NAME.
	Profiles []Profile[C]
	// Memory, when set, estimates the bytes one cell needs at most and the
	// bytes all cells share (the data sets), for CheckMemory.
	Memory func(*C) (perCell, shared int64)
}

// Cell is one unit of work: an ID that is unique within the experiment and
// derived from the parameters alone, the parameters, and an expected cost.
//
// Pair, when set, names the seed: cells with the same Pair get the same
// seed, so the arms of a paired comparison (relu and leaky on seed 3, with
// and without dropout) draw the same initial weights, data order and
// dropout masks wherever their shapes allow. Leave it empty for a cell
// that pairs with nothing; its seed then comes from its ID.
//
// Alone, when set, runs the cell by itself: before any other cell of the
// run starts, with no other cell in flight. A cell that times code (speed's
// and cnnspeed's timing cells) needs it, since a cell training beside it
// on the other core shares the memory bandwidth and caches it measures.
// It changes when the cell runs, never its result.
type Cell[P any] struct {
	ID     string
	Pair   string
	Params P
	Cost   float64
	Alone  bool
}

// Done is a finished cell.
type Done[P, R any] struct {
	ID     string
	Params P
	Result R
}

type registered[C, P, R any] struct{ d Definition[C, P, R] }

// Register wraps a definition as an Experiment.
func Register[C, P, R any](d Definition[C, P, R]) Experiment {
	return &registered[C, P, R]{d}
}

func (e *registered[C, P, R]) Name() string             { return e.d.Name }
func (e *registered[C, P, R]) Claims() []string         { return e.d.Claims }
func (e *registered[C, P, R]) Summary() string          { return e.d.Summary }
func (e *registered[C, P, R]) Doc() string              { return e.d.Doc }
func (e *registered[C, P, R]) NewConfig(quick bool) any { return e.d.Defaults(quick) }
func (e *registered[C, P, R]) Version() int             { return max(e.d.Version, 1) }

func (e *registered[C, P, R]) Profiles() []ProfileInfo {
	var out []ProfileInfo
	for _, p := range e.d.Profiles {
		out = append(out, ProfileInfo{Name: p.Name, Summary: p.Summary})
	}
	return out
}

func (e *registered[C, P, R]) profileConfig(name string, quick bool) (any, bool) {
	for _, p := range e.d.Profiles {
		if p.Name == name {
			return p.Defaults(quick), true
		}
	}
	return nil, false
}

func (e *registered[C, P, R]) decodeResult(raw []byte) (any, error) {
	var r R
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, err
	}
	return r, nil
}

func (e *registered[C, P, R]) config(cfg any) *C {
	c, ok := cfg.(*C)
	if !ok {
		panic(fmt.Sprintf("experiments: %s given a %T configuration", e.d.Name, cfg))
	}
	return c
}

func (e *registered[C, P, R]) memory(cfg any) (int64, int64) {
	if e.d.Memory == nil {
		return 0, 0
	}
	return e.d.Memory(e.config(cfg))
}

func (e *registered[C, P, R]) validate(cfg any) error {
	if e.d.Validate == nil {
		return nil
	}
	return e.d.Validate(e.config(cfg))
}

func (e *registered[C, P, R]) cells(cfg any) []cell {
	typed := e.d.Cells(e.config(cfg))
	out := make([]cell, len(typed))
	for i, c := range typed {
		out[i] = cell{ID: c.ID, Pair: c.Pair, Params: c.Params, Cost: c.Cost, Alone: c.Alone}
	}
	return out
}

func (e *registered[C, P, R]) runCell(ctx context.Context, env *Env, c cell, rng *rand.Rand) (any, error) {
	return e.d.Run(ctx, env, c.Params.(P), rng)
}

func (e *registered[C, P, R]) summarize(cfg any, cells []cell, results []any) (*result.Result, error) {
	done := make([]Done[P, R], len(cells))
	for i, c := range cells {
		done[i] = Done[P, R]{ID: c.ID, Params: c.Params.(P), Result: results[i].(R)}
	}
	res, err := e.d.Summarize(e.config(cfg), done)
	if err != nil {
		return nil, err
	}
	res.Experiment = e.d.Name
	res.Claims = e.d.Claims
	res.Config = cfg
	labelDataset(res, DatasetOf(cfg))
	return res, nil
}
