// Package cnnspeed is the experiment "cnnspeed", claim C2 where it was
// made: a small convolutional net trained to a ladder of training errors
// with ReLU, tanh and sigmoid, each at its fastest learning rate.
//
// The anchor is Krizhevsky et al. 2012 (AlexNet, figure 1): a four-layer
// CNN with ReLU reached 25% training error on CIFAR-10 six times faster
// than the same net with tanh, each at the learning rate that trained it
// fastest, without regularisation. Experiment speed tests the same reading
// on an MLP on MNIST, where every activation reaches its target within a few
// hundred updates; this experiment moves to a CNN (two conv+pool stages and
// a dense layer) on Fashion-MNIST, where training error falls over several
// epochs, so that a difference in speed has room to show.
//
// Design, reused from speed:
//   - paired seeds: the runs of seed s, every activation and rate, draw
//     their initial weights and their data order from the same streams
//     (kit.Streams), so they start from the same normal draws (scaled by
//     each activation's initialiser) and see the same batches;
//   - rates chosen by 2-fold cross-fitting: for each threshold, each
//     activation's rate for the even seeds is the one fastest to that
//     threshold on the odd seeds (Kaplan-Meier median, runs that never
//     reached it censored at the budget), and the reverse;
//   - training error is checked on a fixed subset of the training set every
//     few updates, and the crossing of each threshold interpolated between
//     two checks;
//   - wall time is updates times the step time of each activation, timed
//     interleaved in one timing cell that runs alone within the process
//     and records the CPU share it had (the control of the timing
//     verdicts).
//
// Everything but the timing cell is a deterministic function of the seed.
package cnnspeed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/model"
)

// Config configures the cnnspeed experiment.
type Config struct {
	Variants      []string    `json:"variants" flag:"variant" help:"activations trained (relu is the reference; tanh and sigmoid are judged against it, the others are reported)"`
	Arch          string      `json:"arch" flag:"arch" help:"the CNN, as a line of layers (see model.CNNSpec); 'act' is the activation trained"`
	TrainExamples int         `json:"train_examples" flag:"train-examples" help:"training images trained on (the first n)"`
	EvalExamples  int         `json:"eval_examples" flag:"eval-examples" help:"training images on which the training error is checked (the first n of the training subset)"`
	EvalEvery     int         `json:"eval_every" flag:"eval-every" help:"updates between two checks of the training error"`
	EarlyEvery    int         `json:"early_every,omitempty" flag:"early-every" help:"updates between two checks during the first early-until updates, where the fast runs cross the first thresholds (0: eval-every throughout)"`
	EarlyUntil    int         `json:"early_until,omitempty" flag:"early-until" help:"updates checked every early-every (0: none)"`
	Thresholds    []float64   `json:"thresholds" flag:"thresholds" help:"ladder of training errors to reach, from the highest to the lowest (fractions, e.g. 0.25)"`
	MaxSteps      int         `json:"max_steps" flag:"max-steps" help:"updates after which a run that has not reached the lowest threshold stops (the budget; later crossings are censored)"`
	Batch         int         `json:"batch" flag:"batch" help:"minibatch size"`
	Optimizer     string      `json:"optimizer" flag:"optimizer" help:"sgd or momentum (no regularisation, as in the anchor)"`
	LRs           []float64   `json:"lrs" flag:"lrs" help:"learning-rate grid; each activation is read at its fastest rate per threshold, chosen on the other half of the seeds"`
	Seeds         int         `json:"seeds" flag:"seeds" help:"seeds per activation and rate (paired across activations; at least 2, one per half)"`
	StepReps      int         `json:"step_reps" flag:"step-reps" help:"timed repetitions of each activation's training step (interleaved), for the wall-time ratio"`
	StepsPerRep   int         `json:"steps_per_rep" flag:"steps-per-rep" help:"training steps in one timed repetition"`
	Dataset       kit.Dataset `json:"dataset" flag:"dataset" help:"data set: fashion-mnist (the default) or mnist (accepted, with a note: every activation reaches the thresholds within an epoch or two there)"`
}

// New returns the experiment.
func New() harness.Experiment {
	return harness.Register(harness.Definition[Config, cell, cellResult]{
		Name:    "cnnspeed",
		Claims:  []string{"C2"},
		Version: 1,
		Summary: "C2 where it was made: a small CNN on Fashion-MNIST, ReLU vs tanh/sigmoid, updates and seconds to a ladder of training errors",
		Doc: `Trains a small CNN (two conv+pool stages and a dense layer) on
Fashion-MNIST with each activation at each rate of a grid and several paired
seeds, without regularisation, and records the updates each run needs to
reach each training error of a ladder (checked on a fixed subset of the
training set). Each activation is read, per threshold, at the rate fastest
on the other half of the seeds (2-fold cross-fitting). The ratio of tanh's
(and sigmoid's) updates to ReLU's is judged against a margin and set beside
Krizhevsky et al.'s 6x; a timing cell times each activation's step and
its activation layers inside it (interleaved, alone in the process, beside
a second ReLU net) to turn updates into seconds. Timings
are written only to files whose names contain "timing" and to verdicts
whose rule says so; every other output is a deterministic function of the
seed.`,
		Defaults: defaults,
		Profiles: []harness.Profile[Config]{harness.Longer(defaults, "update budget",
			func(c *Config) { c.MaxSteps *= 2 })},
		Validate:  validate,
		Cells:     cells,
		Run:       runCell,
		Summarize: summarize,
		Memory:    memory,
	})
}

// The full configuration.
//
// Pilot (reluexp run cnnspeed --seeds 2 --lrs 0.03,0.1,0.3 --thresholds 0.05
// --max-steps 1000, so that no run stopped at a threshold), training error
// on the checked subset:
//   - relu at 0.03: 18-25% after 100 updates, 13-17% after 500, 11-15%
//     after 1000; at 0.1 one seed of two, at 0.3 both, stuck at 90%;
//   - tanh at 0.03: 20% after 100, 13% after 500, 10-11% after 1000; at
//     0.1 and 0.3 it diverged;
//   - sigmoid at 0.03: 78-80% after 100 (a slow start), 22-25% after 500,
//     19% after 1000; at 0.1 and 0.3 stuck at 90%.
//
// So 25%, the anchor's threshold, falls within the first epoch (312
// updates of 32 out of 10000) for relu and tanh and takes sigmoid about
// 1.5 epochs; 18% and 13% take the slowest of relu and tanh one to three
// epochs and sigmoid more than three, beyond which it is censored at the
// budget of 2000 updates (6.4 epochs). The grid adds 0.003 and 0.01 below
// the pilot's best rate (0.03 for all three) and keeps 0.1 above it, so
// that every rate chosen so far has a tried neighbour on both sides.
//
// Step time: on a loaded machine (load average 9 on 2 cores) one step of
// kit.SmallCNN at batch 32 cost about 18 ms of CPU on one thread (35 ms at
// batch 64, timing 20 steps by getrusage); on an idle core perhaps half
// that. Budget: 3 activations x 4 rates x 6 seeds = 72 runs of at most
// 2000 updates plus a check of 1000 images every 50 updates (about a fifth
// of the updates' cost); runs stop at the lowest threshold, or at a fifth
// of the budget when stuck, so about 1500 updates a run on average: 72 x
// 1800 update-equivalents x 9 ms = 19 min of CPU, about 10 min over 2
// workers on an idle machine. Measured on an idle machine (2 workers,
// OpenBLAS): 8.3 min for those 73 cells.
//
// Seeds: with 6 the tanh/ReLU ratio's minimal detectable effect was about
// 2x against the 1.25x margin, so the seeds went to 20 (measured: 1.32x
// at the 13% rung; about 27 min on an idle machine by the 6-seed rate,
// not measured idle), and the first 300 updates are checked every 10
// updates, since ReLU and tanh cross the first rung within the first one
// or two checks of 50.
//
// Step repetitions: 40, as speed's (15 before). The seconds ratio adds the
// step-time spread over repetitions to the paired updates spread; at 15
// the step part was a third of the seconds interval at the 25% rung. The
// timing cell runs alone (Cell.Alone), so repetitions cost seconds.
func defaults(quick bool) *Config {
	c := &Config{
		Dataset:       kit.Dataset(data.FashionMNIST),
		Variants:      []string{"relu", "tanh", "sigmoid"},
		Arch:          kit.SmallCNN,
		TrainExamples: 10000,
		EvalExamples:  1000,
		EvalEvery:     50,
		EarlyEvery:    10,
		EarlyUntil:    300,
		Thresholds:    []float64{0.25, 0.18, 0.13},
		MaxSteps:      2000,
		Batch:         32,
		Optimizer:     "momentum",
		LRs:           []float64{0.003, 0.01, 0.03, 0.1},
		Seeds:         20,
		StepReps:      40,
		StepsPerRep:   5,
	}
	if quick {
		c.Arch = kit.TinyCNN
		c.TrainExamples, c.EvalExamples, c.EvalEvery = 1000, 300, 10
		c.EarlyEvery, c.EarlyUntil = 5, 30
		c.Thresholds = []float64{0.5, 0.35}
		c.MaxSteps = 120
		c.LRs = []float64{0.03, 0.1}
		c.Seeds = 4
		c.StepReps, c.StepsPerRep = 3, 2
	}
	return c
}

func validate(c *Config) error {
	if err := c.Dataset.Check(); err != nil {
		return err
	}
	if err := kit.CheckVariants(c.Variants); err != nil {
		return err
	}
	if !slices.Contains(c.Variants, "relu") {
		return fmt.Errorf("variant: relu must be among the activations trained (it is the reference), got %s", strings.Join(c.Variants, ","))
	}
	if _, err := model.NewCNN(c.spec("relu"), rand.New(rand.NewPCG(1, 1))); err != nil {
		return fmt.Errorf("arch: %w", err)
	}
	if err := kit.CheckPositive("train-examples, eval-examples, eval-every, max-steps, batch, seeds, step-reps and steps-per-rep",
		c.TrainExamples, c.EvalExamples, c.EvalEvery, c.MaxSteps, c.Batch, c.Seeds, c.StepReps, c.StepsPerRep); err != nil {
		return err
	}
	if c.EarlyEvery < 0 || c.EarlyUntil < 0 {
		return fmt.Errorf("early-every, early-until: %d, %d; give 0 (no finer early checks) or a positive number of updates", c.EarlyEvery, c.EarlyUntil)
	}
	if (c.EarlyEvery > 0) != (c.EarlyUntil > 0) {
		return fmt.Errorf("early-every, early-until: %d, %d; give both (checks every early-every updates up to early-until) or neither", c.EarlyEvery, c.EarlyUntil)
	}
	if c.EarlyEvery >= c.EvalEvery && c.EarlyEvery > 0 {
		return fmt.Errorf("early-every: %d is not finer than eval-every (%d)", c.EarlyEvery, c.EvalEvery)
	}
	if c.Seeds < 2 {
		return fmt.Errorf("seeds: %d; at least 2, since each half of the seeds chooses the learning rate the other half is read at", c.Seeds)
	}
	if c.StepReps < 2 {
		return fmt.Errorf("step-reps: %d; at least 2, for an interval over repetitions", c.StepReps)
	}
	if c.TrainExamples > 60000 {
		return fmt.Errorf("train-examples: %d is more than the 60000 training images", c.TrainExamples)
	}
	if c.EvalExamples > c.TrainExamples {
		return fmt.Errorf("eval-examples: %d is more than the %d training images trained on (the check runs on a subset of them)", c.EvalExamples, c.TrainExamples)
	}
	if len(c.Thresholds) == 0 {
		return fmt.Errorf("thresholds: give at least one training error to reach")
	}
	for i, e := range c.Thresholds {
		if !(e > 0 && e < 0.9) {
			return fmt.Errorf("thresholds: %v is not a training error in (0, 0.9) (chance is 0.9)", e)
		}
		if i > 0 && !(e < c.Thresholds[i-1]) {
			return fmt.Errorf("thresholds: give them from the highest error to the lowest, got %v after %v", e, c.Thresholds[i-1])
		}
	}
	if c.Optimizer != "sgd" && c.Optimizer != "momentum" {
		return fmt.Errorf("optimizer: %q; valid: sgd, momentum (the anchor used momentum SGD; adam would change what 'the rate that trains fastest' means)", c.Optimizer)
	}
	if len(c.LRs) == 0 {
		return fmt.Errorf("lrs: give at least one learning rate")
	}
	for _, lr := range c.LRs {
		if _, err := model.NewOptimizer(c.Optimizer, lr); err != nil {
			return fmt.Errorf("lrs: %w", err)
		}
	}
	return nil
}

// spec is the CNN of activation v on 28x28 grey images.
func (c *Config) spec(v string) model.CNNSpec {
	return model.CNNSpec{Input: model.ImageShape{H: 28, W: 28, C: 1}, Arch: c.Arch,
		Activation: model.ActivationSpec{Name: v}, Init: kit.InitOf(v)}
}

// cell is the timing cell (Kind "timing") or one training run (Kind
// "train").
type cell struct {
	Kind    string      `json:"kind"`
	Dataset kit.Dataset `json:"dataset"`
	Arch    string      `json:"arch"`
	Batch   int         `json:"batch"`
	// Timing.
	Variants []string `json:"variants,omitempty"`
	// NullArm: a second ReLU net is timed beside the first (kit.NullArm),
	// and the activation layers are timed inside the step.
	NullArm     bool `json:"null_arm,omitempty"`
	StepReps    int  `json:"step_reps,omitempty"`
	StepsPerRep int  `json:"steps_per_rep,omitempty"`
	// Training.
	Variant       string    `json:"variant,omitempty"`
	TrainExamples int       `json:"train_examples,omitempty"`
	EvalExamples  int       `json:"eval_examples,omitempty"`
	EvalEvery     int       `json:"eval_every,omitempty"`
	EarlyEvery    int       `json:"early_every,omitempty"`
	EarlyUntil    int       `json:"early_until,omitempty"`
	Thresholds    []float64 `json:"thresholds,omitempty"`
	MaxSteps      int       `json:"max_steps,omitempty"`
	Optimizer     string    `json:"optimizer,omitempty"`
	LR            float64   `json:"lr,omitempty"`
	Seed          int       `json:"seed"`
}

// flopsPerSecond converts the timing cell's expected seconds into the
// unit of the training cells' cost.
const flopsPerSecond = 5e9

// cells is the timing cell, then one run per activation, rate and seed.
// The runs of seed s share their Pair, hence their random source. Unlike
// the MNIST-first experiments (kit.Dataset.CellID), every ID names the data
// set after its kind ("train/fashion-mnist/..."), since neither is a
// default to leave out here.
func cells(c *Config) []harness.Cell[cell] {
	macs, _ := netSize(c.spec("relu"))
	perStep := 6 * float64(macs) * float64(c.Batch)
	trainCost := perStep * float64(c.MaxSteps) / 2
	timing := cell{Kind: "timing", Dataset: c.Dataset, Arch: c.Arch, Batch: c.Batch, Variants: c.Variants, NullArm: true, StepReps: c.StepReps, StepsPerRep: c.StepsPerRep}
	timingSeconds := perStep * float64(len(c.Variants)*(c.StepReps+1)*c.StepsPerRep) / flopsPerSecond
	out := []harness.Cell[cell]{{
		ID:     fmt.Sprintf("timing/%s/%s/b%d/%s-%s", c.Dataset.Name(), c.Arch, c.Batch, strings.Join(c.Variants, "-"), kit.NullArm),
		Params: timing,
		// The timing cell runs alone, before any training cell starts, so
		// that no cell on another worker shares the memory bandwidth it
		// measures (see speed's timing cell).
		Alone: true,
		Cost:  math.Max(timingSeconds*flopsPerSecond, 2*trainCost),
	}}
	ladder := make([]string, len(c.Thresholds))
	for i, e := range c.Thresholds {
		ladder[i] = kit.Ftoa(e)
	}
	for _, v := range c.Variants {
		for _, lr := range c.LRs {
			for s := range c.Seeds {
				p := cell{Kind: "train", Dataset: c.Dataset, Arch: c.Arch, Batch: c.Batch, Variant: v, TrainExamples: c.TrainExamples, EvalExamples: c.EvalExamples,
					EvalEvery: c.EvalEvery, EarlyEvery: c.EarlyEvery, EarlyUntil: c.EarlyUntil, Thresholds: c.Thresholds, MaxSteps: c.MaxSteps, Optimizer: c.Optimizer, LR: lr, Seed: s}
				id := fmt.Sprintf("train/%s/%s/%s/n%d/err%s/b%d-%s-lr%g/s%d", c.Dataset.Name(), v, c.Arch, c.TrainExamples, strings.Join(ladder, "-"), c.Batch, c.Optimizer, lr, s)
				pair := fmt.Sprintf("train/%s/n%d/s%d", c.Arch, c.TrainExamples, s)
				out = append(out, harness.Cell[cell]{ID: id, Pair: pair, Params: p, Cost: trainCost})
			}
		}
	}
	return out
}

// memory bounds a cell: the net with its buffers for a batch, and for the
// check of the training error (one batch of up to 1000 images).
func memory(c *Config) (perCell, shared int64) {
	_, width := netSize(c.spec("relu"))
	return 8 * int64(width) * int64(max(c.Batch, 1000)) * 4, kit.MNISTBytes
}

// netSize is the multiply-adds of one example's forward pass through the
// convolutions and dense layers of spec, and the sum of every layer's
// output width (values kept per example); zero for an invalid spec, which
// validate refuses first.
func netSize(spec model.CNNSpec) (macs, width int) {
	net, err := model.NewCNN(spec, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		return 0, 0
	}
	in := spec.Input.Size()
	for _, l := range net.Layers {
		switch l := l.(type) {
		case *model.Conv2D:
			macs += l.OutImage.Size() * l.KH * l.KW * l.In.C
		case *model.Dense:
			macs += l.In * l.Out
		}
		in = l.OutputSize(in)
		width += in
	}
	return macs, width
}

// cellResult is the timing cell's samples or one training run.
type cellResult struct {
	Timing *timing `json:"timing,omitempty"`
	Train  *run    `json:"train,omitempty"`
}

// timing holds every clock reading of the experiment.
type timing struct {
	Steps   []stepSample `json:"steps"`
	Backend string       `json:"backend"`
	NumCPU  int          `json:"num_cpu"`
	// LoadBefore and LoadAfter are 1-minute load averages (-1 if unknown).
	LoadBefore float64 `json:"load_before"`
	LoadAfter  float64 `json:"load_after"`
	// TimedWallSeconds is how long the measurements took; ThreadRunSeconds
	// and ThreadWaitSeconds how long the one thread that took them ran on a
	// core and waited, ready, for one (-1 where unknown: see
	// kit.TimingThread).
	TimedWallSeconds  float64 `json:"timed_wall_seconds"`
	ThreadRunSeconds  float64 `json:"thread_run_seconds"`
	ThreadWaitSeconds float64 `json:"thread_wait_seconds"`
}

// stepSample is one timed repetition of Steps training steps.
type stepSample struct {
	// Variant is the activation, or kit.NullArm.
	Variant string  `json:"variant"`
	Rep     int     `json:"rep"`
	Steps   int     `json:"steps"`
	StepNs  float64 `json:"step_ns"`
	// ActivationNs is the part of a step spent in the activation layers
	// (timed inside the step by kit.TimedLayer).
	ActivationNs float64 `json:"activation_ns"`
}

// run is one training run. It ends having reached the lowest threshold,
// at the budget, stalled (no better than twice chance after a fifth of
// the budget) or diverged.
type run struct {
	Checks []check `json:"checks"`
	// StepsTo[i] is the update at which the training error first reached
	// threshold i, interpolated between the two checks around it; 0 if
	// never (Reached[i] false).
	StepsTo  []float64 `json:"steps_to"`
	Reached  []bool    `json:"reached"`
	Stalled  bool      `json:"stalled"`
	Diverged bool      `json:"diverged"`
	// DivergedStep is the update at which the loss passed the cap, or -1.
	DivergedStep int `json:"diverged_step"`
	Steps        int `json:"steps"`
}

// check is the training error on the fixed subset after Step updates.
type check struct {
	Step int     `json:"step"`
	Err  float64 `json:"err"`
}

// stallError: a run still above it after a fifth of its budget (chance is
// 0.9) has barely started to learn and is stopped as one that will not
// reach any threshold within the budget; it is censored, not averaged.
const stallError = 0.8

// timingGate lets the timing cell run alone: training cells hold it
// shared, the timing cell exclusively (as in speed).
var timingGate sync.RWMutex

func runCell(ctx context.Context, env *harness.Env, p cell, rng *rand.Rand) (cellResult, error) {
	if p.Kind == "timing" {
		timingGate.Lock()
		defer timingGate.Unlock()
		t, err := runTiming(ctx, env, p, rng)
		return cellResult{Timing: t}, err
	}
	timingGate.RLock()
	defer timingGate.RUnlock()
	r, err := runTraining(ctx, env, p, rng)
	return cellResult{Train: r}, err
}

// runTraining trains one activation at one rate on one seed. The weights
// and the data order come from separate streams of the seed's source.
func runTraining(ctx context.Context, env *harness.Env, p cell, rng *rand.Rand) (*run, error) {
	trainAll, _, err := p.Dataset.Load(env)
	if err != nil {
		return nil, err
	}
	train := kit.Head(trainAll, p.TrainExamples)
	eval := kit.Head(train, p.EvalExamples)
	initRNG, orderRNG, _ := kit.Streams(rng)
	c := Config{Arch: p.Arch}
	net, err := model.NewCNN(c.spec(p.Variant), initRNG)
	if err != nil {
		return nil, err
	}
	at := checkSteps(p.EarlyEvery, p.EarlyUntil, p.EvalEvery, p.MaxSteps)
	lowest := p.Thresholds[len(p.Thresholds)-1]
	lossCap := model.DivergenceCap(train.Classes)
	r := &run{DivergedStep: -1}
	out, err := kit.TrainSteps(ctx, net, train, kit.StepSpec{Steps: p.MaxSteps, Batch: p.Batch, Optimizer: p.Optimizer, LR: p.LR}, at, orderRNG, func(step int) bool {
		e := kit.EvaluateSet(net, eval)
		if !e.Finite || !(e.Loss <= lossCap) {
			r.Diverged, r.DivergedStep = true, step
			return false
		}
		r.Checks = append(r.Checks, check{Step: step, Err: 1 - e.Accuracy})
		switch {
		case 1-e.Accuracy <= lowest:
			return false
		case step >= p.MaxSteps/5 && 1-e.Accuracy > stallError:
			r.Stalled = true
			return false
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	r.Steps = out.Steps
	if out.Diverged {
		r.Diverged, r.DivergedStep = true, out.DivergedStep
	}
	r.StepsTo, r.Reached = crossings(r.Checks, p.Thresholds, r.Diverged)
	return r, nil
}

// checkSteps is the updates after which the training error is checked:
// every early updates up to until, then every every up to max. The
// thresholds that the fast runs cross within the first epoch need the
// finer grid: at one check every 50 updates, a run crossing at 49 updates
// and one crossing at 71 differ by one check.
func checkSteps(early, until, every, max int) []int {
	var at []int
	s := 0
	if early > 0 {
		for s+early <= min(until, max) {
			s += early
			at = append(at, s)
		}
	}
	for s+every <= max {
		s += every
		at = append(at, s)
	}
	return at
}

// crossings is, for each threshold, the first update at which the error
// reached it, interpolated linearly between the checks around it. A run
// that diverged reaches nothing: its earlier crossings are not counted
// either, since the rate that produced them does not train.
func crossings(checks []check, thresholds []float64, diverged bool) ([]float64, []bool) {
	steps, reached := make([]float64, len(thresholds)), make([]bool, len(thresholds))
	if diverged {
		return steps, reached
	}
	for i, e := range thresholds {
		for j, c := range checks {
			if c.Err > e {
				continue
			}
			reached[i], steps[i] = true, float64(c.Step)
			if j > 0 {
				prev := checks[j-1]
				steps[i] = float64(prev.Step) + (prev.Err-e)/(prev.Err-c.Err)*float64(c.Step-prev.Step)
			}
			break
		}
	}
	return steps, reached
}

// runTiming times each activation's training step on the same real
// batches, the activations interleaved within each repetition so that a
// change in the machine's load hits them alike, in a random order drawn
// afresh each repetition (kit.TimingOrder), so that no activation always
// comes first or always follows the same one.
func runTiming(ctx context.Context, env *harness.Env, p cell, rng *rand.Rand) (*timing, error) {
	trainAll, _, err := p.Dataset.Load(env)
	if err != nil {
		return nil, err
	}
	t := &timing{Backend: model.BLASBackend(), NumCPU: runtime.NumCPU(), LoadBefore: kit.LoadAverage()}
	x := model.NewMatrix(p.Batch, trainAll.Dim)
	y := make([]int, p.Batch)
	idx := make([]int, p.Batch)
	for i := range idx {
		idx[i] = i
	}
	trainAll.Gather(idx, x.Data, y)
	arms := p.Variants
	if p.NullArm {
		arms = append(slices.Clone(arms), kit.NullArm)
	}
	var trainers []*model.Trainer
	var acts [][]*kit.TimedLayer
	c := Config{Arch: p.Arch}
	for _, a := range arms {
		net, err := model.NewCNN(c.spec(kit.ActivationOf(a)), rng)
		if err != nil {
			return nil, err
		}
		acts = append(acts, kit.TimeActivations(net))
		// The rate does not change a step's time; a small one keeps every
		// net finite.
		tr := &model.Trainer{Net: net, Opt: &model.Momentum{LR: 0.001, Beta: 0.9}, LossCap: model.DivergenceCap(10)}
		tr.Step(x, y) // warm-up: buffers
		trainers = append(trainers, tr)
	}
	thread := kit.StartTimingThread()
	defer thread.Stop() // unpins the thread on an early return; a second Stop only reads
	for rep := range p.StepReps {
		for _, i := range kit.TimingOrder(len(trainers), rng) {
			tr := trainers[i]
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			kit.ActivationTime(acts[i]) // reset
			start := time.Now()
			for range p.StepsPerRep {
				tr.Step(x, y)
			}
			total := time.Since(start)
			act := kit.ActivationTime(acts[i])
			t.Steps = append(t.Steps, stepSample{Variant: arms[i], Rep: rep, Steps: p.StepsPerRep,
				StepNs: float64(total.Nanoseconds()) / float64(p.StepsPerRep), ActivationNs: float64(act.Nanoseconds()) / float64(p.StepsPerRep)})
		}
	}
	t.LoadAfter = kit.LoadAverage()
	t.ThreadRunSeconds, t.ThreadWaitSeconds, t.TimedWallSeconds = thread.Stop()
	return t, nil
}
