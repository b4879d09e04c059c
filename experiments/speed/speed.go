package speed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// Experiment "speed": claim C2.
//
// The blog: "Fast. The ReLU activation consists of just a thresholding
// operation, which is more speedy than the expensive exponential
// calculation in Sigmoid and Tanh." Three readings, from the narrowest to
// the one that matters to a practitioner:
//
//  1. Kernels: nanoseconds per element of each activation's forward and
//     backward pass, at a size that fits in the caches and one far outside
//     them, against the memory-bandwidth floor: a plain copy (one read and
//     one write per element, what a forward pass must at least do) and an
//     elementwise product (two reads and a write, a backward pass's floor).
//  2. A training step: the share of a whole MLP step (forward, backward,
//     update) spent in the activation layers, timed inside the step by
//     wrapping each activation layer, and the step time relative to ReLU's:
//     does the kernel difference survive next to the matrix products?
//  3. Time to accuracy, the AlexNet reading (Krizhevsky et al. 2012: a CNN
//     with ReLU reached 25% training error on CIFAR-10 six times faster than
//     with tanh): updates until the training accuracy reaches a target, each
//     activation at its best learning rate from a grid, over seeds, and the
//     seconds that takes (updates times the step time measured in 2).
//
// Timing is not reproducible. Everything measured with a clock lives in one
// cell, the timing cell, and reaches only files whose names contain
// "timing" and the verdicts that say so in their rule; the updates-to-target
// counts do not depend on any clock and are as deterministic as every other
// result. The timing cell measures everything one thing at a time, and it
// runs alone: a lock keeps the other cells of this experiment (training
// runs) from running beside it in the same process, so that the cores it
// measures on are not shared with its own sweep. Other processes on the
// machine (other shards, other users) are beyond its reach; the timing
// table records the load average to show how busy the machine was.

// Config configures the speed experiment.
type Config struct {
	KernelVariants []string `json:"kernel_variants" flag:"kernel-variants" help:"activations whose forward and backward kernels are timed"`
	KernelSizes    []int    `json:"kernel_sizes" flag:"kernel-sizes" help:"elements per kernel call (one size inside the caches, one far outside)"`
	KernelReps     []int    `json:"kernel_reps" flag:"kernel-reps" help:"timed repetitions of every kernel, one count per size"`
	MinSampleMS    float64  `json:"min_sample_ms" flag:"min-sample-ms" help:"each timed sample repeats the call until it lasts at least this long (ms)"`

	StepWidths  []int `json:"step_widths" flag:"step-widths" help:"widths of 2-hidden-layer MLPs whose training step is timed, besides the time-to-accuracy net"`
	StepReps    int   `json:"step_reps" flag:"step-reps" help:"timed repetitions of the training step per net and activation"`
	StepsPerRep int   `json:"steps_per_rep" flag:"steps-per-rep" help:"training steps in one timed repetition"`

	Variants      []string  `json:"variants" flag:"variant" help:"activations trained to the target accuracy (relu is the reference)"`
	Hidden        []int     `json:"hidden" flag:"hidden" help:"hidden widths of the net trained to the target"`
	TrainExamples int       `json:"train_examples" flag:"train-examples" help:"MNIST training images trained on (the first n)"`
	EvalExamples  int       `json:"eval_examples" flag:"eval-examples" help:"training images on which the accuracy is checked against the target (the first n of the training subset)"`
	EvalEvery     int       `json:"eval_every" flag:"eval-every" help:"updates between two accuracy checks"`
	Target        float64   `json:"target" flag:"target" help:"training accuracy to reach"`
	MaxSteps      int       `json:"max_steps" flag:"max-steps" help:"updates after which a run that has not reached the target stops"`
	Batch         int       `json:"batch" flag:"batch" help:"minibatch size"`
	Optimizer     string    `json:"optimizer" flag:"optimizer" help:"sgd, momentum or adam"`
	LRs           []float64 `json:"lrs" flag:"lrs" help:"learning-rate grid; each activation is read at its best"`
	Seeds         int       `json:"seeds" flag:"seeds" help:"seeds per activation and learning rate"`
}

// kernelVariantsAll is every activation the model offers, without "silu",
// which is the same function as "swish".
func kernelVariantsAll() []string {
	var out []string
	for _, v := range model.Variants() {
		if v != "silu" {
			out = append(out, v)
		}
	}
	return out
}

func speedDefaults(quick bool) *Config {
	c := &Config{
		KernelVariants: kernelVariantsAll(),
		KernelSizes:    []int{4096, 16 << 20},
		KernelReps:     []int{21, 5},
		MinSampleMS:    2,
		StepWidths:     []int{512},
		StepReps:       7,
		StepsPerRep:    10,
		Variants:       []string{"relu", "leaky", "elu", "gelu", "swish", "tanh", "sigmoid"},
		Hidden:         []int{64, 64},
		TrainExamples:  10000,
		EvalExamples:   2000,
		EvalEvery:      50,
		Target:         0.97,
		MaxSteps:       2500,
		Batch:          64,
		Optimizer:      "momentum",
		LRs:            []float64{0.01, 0.03, 0.1, 0.3, 1},
		Seeds:          3,
	}
	if quick {
		c.KernelSizes, c.KernelReps, c.MinSampleMS = []int{4096, 1 << 16}, []int{3, 3}, 0.2
		c.StepWidths, c.StepReps, c.StepsPerRep = []int{64}, 3, 5
		c.Variants = []string{"relu", "tanh", "sigmoid"}
		c.Hidden = []int{32, 32}
		c.TrainExamples, c.EvalExamples, c.EvalEvery = 1000, 500, 10
		c.Target, c.MaxSteps = 0.9, 300
		c.LRs = []float64{0.03, 0.3}
		c.Seeds = 2
	}
	return c
}

func validateSpeed(c *Config) error {
	if err := kit.CheckVariants(c.KernelVariants); err != nil {
		return fmt.Errorf("kernel-variants: %w", err)
	}
	if err := kit.CheckVariants(c.Variants); err != nil {
		return err
	}
	if !slices.Contains(c.Variants, "relu") {
		return fmt.Errorf("variant: relu must be among the activations trained (it is the reference), got %s", strings.Join(c.Variants, ","))
	}
	if err := kit.CheckPositive("kernel-sizes", c.KernelSizes...); err != nil {
		return err
	}
	if len(c.KernelReps) != len(c.KernelSizes) {
		return fmt.Errorf("kernel-reps: give one repetition count per kernel size (%d sizes, %d counts)", len(c.KernelSizes), len(c.KernelReps))
	}
	if err := kit.CheckPositive("kernel-reps", c.KernelReps...); err != nil {
		return err
	}
	if !(c.MinSampleMS > 0) {
		return fmt.Errorf("min-sample-ms %v must be positive", c.MinSampleMS)
	}
	for _, w := range c.StepWidths {
		if w <= 0 {
			return fmt.Errorf("step-widths must be positive, got %d", w)
		}
	}
	if err := kit.CheckPositive("hidden", c.Hidden...); err != nil {
		return err
	}
	if err := kit.CheckPositive("step-reps, steps-per-rep, train-examples, eval-examples, eval-every, max-steps, batch and seeds",
		c.StepReps, c.StepsPerRep, c.TrainExamples, c.EvalExamples, c.EvalEvery, c.MaxSteps, c.Batch, c.Seeds); err != nil {
		return err
	}
	if c.TrainExamples > 60000 {
		return fmt.Errorf("train-examples: %d is more than the 60000 MNIST training images", c.TrainExamples)
	}
	if !(c.Target > 0.1 && c.Target < 1) {
		return fmt.Errorf("target %v must be a training accuracy in (0.1, 1)", c.Target)
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

// speedCell is the timing cell (Kind "timing") or one training run to the
// target (Kind "train").
type speedCell struct {
	Kind string `json:"kind"`
	// Timing.
	KernelVariants []string `json:"kernel_variants,omitempty"`
	KernelSizes    []int    `json:"kernel_sizes,omitempty"`
	KernelReps     []int    `json:"kernel_reps,omitempty"`
	MinSampleMS    float64  `json:"min_sample_ms,omitempty"`
	StepNets       [][]int  `json:"step_nets,omitempty"`
	StepVariants   []string `json:"step_variants,omitempty"`
	StepReps       int      `json:"step_reps,omitempty"`
	StepsPerRep    int      `json:"steps_per_rep,omitempty"`
	// Training.
	Variant       string  `json:"variant,omitempty"`
	Hidden        []int   `json:"hidden,omitempty"`
	TrainExamples int     `json:"train_examples,omitempty"`
	EvalExamples  int     `json:"eval_examples,omitempty"`
	EvalEvery     int     `json:"eval_every,omitempty"`
	Target        float64 `json:"target,omitempty"`
	MaxSteps      int     `json:"max_steps,omitempty"`
	Optimizer     string  `json:"optimizer,omitempty"`
	LR            float64 `json:"lr,omitempty"`
	Seed          int     `json:"seed"`
	// Both.
	Batch int `json:"batch"`
}

// stepNets lists the nets whose step is timed: the time-to-accuracy net
// first, then two hidden layers of each step width.
func (c *Config) stepNets() [][]int {
	nets := [][]int{c.Hidden}
	for _, w := range c.StepWidths {
		n := []int{w, w}
		if !slices.ContainsFunc(nets, func(m []int) bool { return slices.Equal(m, n) }) {
			nets = append(nets, n)
		}
	}
	return nets
}

// speedFlopsPerSecond converts the timing cell's expected duration into the
// unit of the training cells' cost (floating-point operations).
const speedFlopsPerSecond = 1e10

func speedCells(c *Config) []harness.Cell[speedCell] {
	nets := c.stepNets()
	timing := speedCell{Kind: "timing", KernelVariants: c.KernelVariants, KernelSizes: c.KernelSizes, KernelReps: c.KernelReps,
		MinSampleMS: c.MinSampleMS, StepNets: nets, StepVariants: c.Variants, StepReps: c.StepReps, StepsPerRep: c.StepsPerRep, Batch: c.Batch}
	// Expected duration: about 10 ns per element per kernel call (or the
	// minimum sample), and 6 flops per parameter per example for the steps.
	var seconds float64
	for i, n := range c.KernelSizes {
		calls := float64(c.KernelReps[i] * (2*len(c.KernelVariants) + 2))
		seconds += calls * math.Max(c.MinSampleMS/1000, 10e-9*float64(n))
	}
	for _, h := range nets {
		seconds += float64(len(c.Variants)*c.StepReps*c.StepsPerRep*c.Batch) * 6 * float64(kit.MLPParams(784, h, 10)) / speedFlopsPerSecond
	}
	var kernelSizes []string
	for _, n := range c.KernelSizes {
		kernelSizes = append(kernelSizes, kit.Itoa(n))
	}
	var netNames []string
	for _, h := range nets {
		netNames = append(netNames, kit.WidthsLabel(h))
	}
	perStep := 6 * float64(kit.MLPParams(784, c.Hidden, 10)*c.Batch)
	// Most training runs stop at the target, well before max-steps.
	trainCost := perStep * float64(c.MaxSteps) / 2
	cells := []harness.Cell[speedCell]{{
		ID:     fmt.Sprintf("timing/kernels-%s/steps-%s-b%d", strings.Join(kernelSizes, "-"), strings.Join(netNames, "-"), c.Batch),
		Params: timing,
		// The timing cell must be the most expensive, so that it is handed
		// out first: it then waits only for the cells already running, and
		// the rest of the sweep queues behind it.
		Cost: math.Max(seconds*speedFlopsPerSecond, 2*trainCost),
	}}
	for _, v := range c.Variants {
		for _, lr := range c.LRs {
			for s := range c.Seeds {
				p := speedCell{Kind: "train", Variant: v, Hidden: c.Hidden, TrainExamples: c.TrainExamples, EvalExamples: c.EvalExamples,
					EvalEvery: c.EvalEvery, Target: c.Target, MaxSteps: c.MaxSteps, Optimizer: c.Optimizer, LR: lr, Seed: s, Batch: c.Batch}
				id := fmt.Sprintf("train/%s/h%s/n%d/target%g/%s-lr%g/s%d", v, kit.WidthsLabel(c.Hidden), c.TrainExamples, c.Target, c.Optimizer, lr, s)
				cells = append(cells, harness.Cell[speedCell]{ID: id, Params: p, Cost: trainCost})
			}
		}
	}
	return cells
}

// speedResult is the timing cell's measurements or one training run.
type speedResult struct {
	Timing *speedTiming `json:"timing,omitempty"`
	Train  *speedTrain  `json:"train,omitempty"`
}

// speedTiming holds every timed sample. These are the only clock readings
// of the experiment.
type speedTiming struct {
	Kernels []kernelSample `json:"kernels"`
	Steps   []stepSample   `json:"steps"`
	Backend string         `json:"backend"`
	NumCPU  int            `json:"num_cpu"`
	GoArch  string         `json:"goarch"`
	// LoadBefore and LoadAfter are the 1-minute load averages (Linux; -1
	// where unknown) when the cell started and ended.
	LoadBefore float64 `json:"load_before"`
	LoadAfter  float64 `json:"load_after"`
}

// kernelSample is one timed sample: Iters calls of one kernel on Size
// elements. Kernel is an activation, or the baselines "copy" (pass
// "forward": one read and one write per element) and "mul" (pass
// "backward": two reads and one write).
type kernelSample struct {
	Kernel    string  `json:"kernel"`
	Pass      string  `json:"pass"`
	Size      int     `json:"size"`
	Rep       int     `json:"rep"`
	Iters     int     `json:"iters"`
	NsPerElem float64 `json:"ns_per_elem"`
}

// stepSample is one timed repetition of Steps training steps.
type stepSample struct {
	Hidden  []int  `json:"hidden"`
	Variant string `json:"variant"`
	Rep     int    `json:"rep"`
	Steps   int    `json:"steps"`
	// StepNs is the mean time of a whole step, ActivationNs the part of it
	// spent in the activation layers' Forward and Backward.
	StepNs       float64 `json:"step_ns"`
	ActivationNs float64 `json:"activation_ns"`
}

// speedTrain is one run towards the target accuracy.
type speedTrain struct {
	Evals []speedEval `json:"evals"`
	// StepsToTarget is the update at which the accuracy first reached the
	// target, interpolated between the two checks around it; 0 if never.
	Reached       bool    `json:"reached"`
	StepsToTarget float64 `json:"steps_to_target"`
	// Stalled: below stallAccuracy at a check after the first fifth of
	// max-steps (from the start, or after collapsing), the run was
	// abandoned as one that will not reach the target.
	Stalled      bool `json:"stalled"`
	Diverged     bool `json:"diverged"`
	DivergedStep int  `json:"diverged_step"`
	Steps        int  `json:"steps"`
}

type speedEval struct {
	Step int     `json:"step"`
	Acc  float64 `json:"acc"`
}

// stallAccuracy: a run below it at a check after the first fifth of its
// budget is no better than twice chance and is stopped, to spend the budget
// on runs that can reach the target.
const stallAccuracy = 0.2

// speedTimingGate lets the timing cell run alone: training cells hold it
// shared, the timing cell exclusively. A sync.RWMutex stops new readers
// once a writer waits, so the timing cell waits only for the cells already
// running.
var speedTimingGate sync.RWMutex

func runSpeedCell(ctx context.Context, env *harness.Env, p speedCell, rng *rand.Rand) (speedResult, error) {
	if p.Kind == "timing" {
		speedTimingGate.Lock()
		defer speedTimingGate.Unlock()
		t, err := runTiming(ctx, env, p, rng)
		return speedResult{Timing: t}, err
	}
	speedTimingGate.RLock()
	defer speedTimingGate.RUnlock()
	t, err := runSpeedTraining(ctx, env, p, rng)
	return speedResult{Train: t}, err
}

func runSpeedTraining(ctx context.Context, env *harness.Env, p speedCell, rng *rand.Rand) (*speedTrain, error) {
	trainAll, _, err := env.MNIST()
	if err != nil {
		return nil, err
	}
	train := kit.Head(trainAll, p.TrainExamples)
	eval := kit.Head(train, p.EvalExamples)
	net, err := model.NewMLP(model.MLPSpec{Inputs: train.Dim, Hidden: p.Hidden, Outputs: 10,
		Activation: model.ActivationSpec{Name: p.Variant}, Init: model.Init{Scheme: kit.NaturalInit(p.Variant)}}, rng)
	if err != nil {
		return nil, err
	}
	var at []int
	for s := p.EvalEvery; s <= p.MaxSteps; s += p.EvalEvery {
		at = append(at, s)
	}
	r := &speedTrain{DivergedStep: -1}
	out, err := kit.TrainSteps(ctx, net, train, kit.StepSpec{Steps: p.MaxSteps, Batch: p.Batch, Optimizer: p.Optimizer, LR: p.LR}, at, rng, func(step int) bool {
		e := kit.EvaluateSet(net, eval)
		if !e.Finite {
			r.Diverged, r.DivergedStep = true, step
			return false
		}
		r.Evals = append(r.Evals, speedEval{Step: step, Acc: e.Accuracy})
		switch {
		case e.Accuracy >= p.Target:
			return false
		case step >= p.MaxSteps/5 && e.Accuracy < stallAccuracy:
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
	xs, ys := make([]float64, len(r.Evals)), make([]float64, len(r.Evals))
	for i, e := range r.Evals {
		xs[i], ys[i] = float64(e.Step), e.Acc
	}
	if x, ok := metrics.FirstCrossing(xs, ys, p.Target); ok {
		r.Reached, r.StepsToTarget = true, x
	}
	return r, nil
}

// runTiming measures the kernels, then the training steps, one at a time.
func runTiming(ctx context.Context, env *harness.Env, p speedCell, rng *rand.Rand) (*speedTiming, error) {
	t := &speedTiming{Backend: model.BLASBackend(), NumCPU: runtime.NumCPU(), GoArch: runtime.GOARCH, LoadBefore: loadAverage()}
	minSample := time.Duration(p.MinSampleMS * float64(time.Millisecond))
	for i, n := range p.KernelSizes {
		samples, err := timeKernels(ctx, p.KernelVariants, n, p.KernelReps[i], minSample, rng)
		if err != nil {
			return nil, err
		}
		t.Kernels = append(t.Kernels, samples...)
	}
	trainAll, _, err := env.MNIST()
	if err != nil {
		return nil, err
	}
	for _, h := range p.StepNets {
		samples, err := timeSteps(ctx, trainAll.X, trainAll.Y, trainAll.Dim, h, p.StepVariants, p.StepReps, p.StepsPerRep, p.Batch, rng)
		if err != nil {
			return nil, err
		}
		t.Steps = append(t.Steps, samples...)
	}
	t.LoadAfter = loadAverage()
	return t, nil
}

// loadAverage reads the 1-minute load average from /proc/loadavg, or -1.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	var l float64
	if _, err := fmt.Sscan(string(b), &l); err != nil {
		return -1
	}
	return l
}

// kernelCols is the number of columns (units) a kernel of n elements is laid
// out in: 512 when it divides n, like a hidden layer of 512 units over a
// batch, otherwise one row. Only PReLU (one slope per column) cares.
func kernelCols(n int) int {
	if n%512 == 0 {
		return 512
	}
	return n
}

// kernel is one timed operation.
type kernel struct {
	name, pass string
	run        func()
}

// timeKernels times every activation's forward and backward pass on n
// elements, and the two bandwidth baselines, reps times, interleaved within
// each repetition so that a change in the machine's load hits all kernels
// alike. Elementwise activations run their Forward and Backward on shared
// buffers (exactly what ActivationLayer calls); PReLU and the two-sided
// ReLU, which are layers, run as layers.
func timeKernels(ctx context.Context, variants []string, n, reps int, minSample time.Duration, rng *rand.Rand) ([]kernelSample, error) {
	cols := kernelCols(n)
	rows := n / cols
	z := model.NewMatrix(rows, cols)
	for i := range z.Data {
		z.Data[i] = rng.NormFloat64()
	}
	// dy is twice as wide for the two-sided ReLU, whose output is.
	dyWide := model.NewMatrix(rows, 2*cols)
	for i := range dyWide.Data {
		dyWide.Data[i] = rng.NormFloat64()
	}
	dy := model.MatrixFrom(rows, cols, dyWide.Data[:n])
	y, dz, dst := make([]float64, n), make([]float64, n), make([]float64, n)

	kernels := []kernel{
		{"copy", "forward", func() { copy(dst, z.Data) }},
		{"mul", "backward", func() { mulInto(dst, dy.Data, z.Data) }},
		{branchlessReLU, "forward", func() { reluBranchless(y, z.Data) }},
		{branchlessReLU, "backward", func() { reluGradBranchless(dz, dy.Data, z.Data) }},
	}
	for _, v := range variants {
		spec := model.ActivationSpec{Name: v}
		if f, ok := spec.Elementwise(); ok && v != "prelu" {
			kernels = append(kernels,
				kernel{v, "forward", func() { f.Forward(y, z.Data) }},
				kernel{v, "backward", func() { f.Backward(dz, dy.Data, z.Data, y) }})
			continue
		}
		layer, err := spec.NewLayer(v, cols)
		if err != nil {
			return nil, err
		}
		g := dy
		if layer.OutputSize(cols) == 2*cols {
			g = dyWide
		}
		// Backward reads the state of the layer's last Forward, which the
		// interleaved order (forward just before backward) provides.
		kernels = append(kernels,
			kernel{v, "forward", func() { layer.Forward(z, true) }},
			kernel{v, "backward", func() { layer.Backward(g) }})
	}
	// Warm up (first touch of every buffer) and choose each kernel's number
	// of calls per sample.
	iters := make([]int, len(kernels))
	for i, k := range kernels {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		iters[i] = calibrate(k.run, minSample)
	}
	var out []kernelSample
	for rep := range reps {
		for i, k := range kernels {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			start := time.Now()
			for range iters[i] {
				k.run()
			}
			d := time.Since(start)
			out = append(out, kernelSample{Kernel: k.name, Pass: k.pass, Size: n, Rep: rep, Iters: iters[i],
				NsPerElem: float64(d.Nanoseconds()) / float64(iters[i]) / float64(n)})
		}
	}
	return out, nil
}

// mulInto sets dst[i] = a[i]*b[i]: two reads and a write per element, the
// memory traffic of an activation's backward pass.
func mulInto(dst, a, b []float64) {
	dst, a = dst[:len(b)], a[:len(b)]
	for i, v := range b {
		dst[i] = a[i] * v
	}
}

// branchlessReLU names a reference kernel: ReLU as a plain scalar Go loop
// with a sign mask (no branch to mispredict), beside the library's vector
// (AVX) kernel: the difference is what the vector instructions and the
// bitmask kept for the backward pass buy.
const branchlessReLU = "relu-scalar"

// nonPositiveMask is all ones where v <= 0 (either zero included) and all
// zeros where v > 0, computed from the bits without a branch: the sign bit
// of v, or of v's bits minus one (which is negative only for +0).
func nonPositiveMask(v float64) uint64 {
	b := math.Float64bits(v)
	return uint64(int64(b)>>63 | int64(b-1)>>63)
}

func reluBranchless(y, z []float64) {
	y = y[:len(z)]
	for i, v := range z {
		y[i] = math.Float64frombits(math.Float64bits(v) &^ nonPositiveMask(v))
	}
}

func reluGradBranchless(dz, dy, z []float64) {
	dz, z = dz[:len(dy)], z[:len(dy)]
	for i, g := range dy {
		dz[i] = math.Float64frombits(math.Float64bits(g) &^ nonPositiveMask(z[i]))
	}
}

// calibrate runs f once to warm it up, then doubles the number of calls
// until they take a quarter of minSample, and returns the number of calls
// that should take about minSample.
func calibrate(f func(), minSample time.Duration) int {
	f()
	n := 1
	for {
		start := time.Now()
		for range n {
			f()
		}
		d := time.Since(start)
		if d >= minSample/4 || n >= 1<<30 {
			return max(1, int(math.Ceil(float64(n)*float64(minSample)/float64(max(d, 1)))))
		}
		n *= 2
	}
}

// timedLayer wraps a layer and adds up the time spent in its Forward and
// Backward: how the activation's share of a training step is measured, from
// inside the step. The two clock readings per call cost tens of
// nanoseconds against the tens of microseconds of an activation layer.
type timedLayer struct {
	model.Layer
	spent time.Duration
}

func (t *timedLayer) Forward(x *model.Matrix, train bool) *model.Matrix {
	start := time.Now()
	y := t.Layer.Forward(x, train)
	t.spent += time.Since(start)
	return y
}

func (t *timedLayer) Backward(dy *model.Matrix) *model.Matrix {
	start := time.Now()
	dx := t.Layer.Backward(dy)
	t.spent += time.Since(start)
	return dx
}

// timeSteps times training steps of an MLP with the given hidden widths for
// each variant on real MNIST batches, interleaving the variants within each
// repetition.
func timeSteps(ctx context.Context, x []float64, labels []int, dim int, hidden []int, variants []string, reps, steps, batch int, rng *rand.Rand) ([]stepSample, error) {
	type timedNet struct {
		variant string
		tr      *model.Trainer
		acts    []*timedLayer
	}
	var nets []timedNet
	for _, v := range variants {
		net, err := model.NewMLP(model.MLPSpec{Inputs: dim, Hidden: hidden, Outputs: 10,
			Activation: model.ActivationSpec{Name: v}, Init: model.Init{Scheme: kit.NaturalInit(v)}}, rng)
		if err != nil {
			return nil, err
		}
		tn := timedNet{variant: v}
		for i, l := range net.Layers {
			switch l.(type) {
			case *model.ActivationLayer, *model.PReLU, *model.TwoSided:
				w := &timedLayer{Layer: l}
				net.Layers[i] = w
				tn.acts = append(tn.acts, w)
			}
		}
		// The learning rate is irrelevant to the time of a step; a small one
		// keeps every net finite.
		opt, err := model.NewOptimizer("momentum", 0.01)
		if err != nil {
			return nil, err
		}
		tn.tr = &model.Trainer{Net: net, Opt: opt}
		nets = append(nets, tn)
	}
	// The same batches for every net: the first steps*batch images.
	batches := make([]*model.Matrix, steps)
	ys := make([][]int, steps)
	for s := range steps {
		lo := (s * batch) % (len(labels) - batch)
		batches[s] = model.MatrixFrom(batch, dim, x[lo*dim:(lo+batch)*dim])
		ys[s] = labels[lo : lo+batch]
	}
	for _, tn := range nets { // warm-up: buffers, caches
		for s := range min(steps, 3) {
			tn.tr.Step(batches[s], ys[s])
		}
	}
	var out []stepSample
	for rep := range reps {
		for _, tn := range nets {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			for _, a := range tn.acts {
				a.spent = 0
			}
			start := time.Now()
			for s := range steps {
				tn.tr.Step(batches[s], ys[s])
			}
			total := time.Since(start)
			var act time.Duration
			for _, a := range tn.acts {
				act += a.spent
			}
			out = append(out, stepSample{Hidden: hidden, Variant: tn.variant, Rep: rep, Steps: steps,
				StepNs: float64(total.Nanoseconds()) / float64(steps), ActivationNs: float64(act.Nanoseconds()) / float64(steps)})
		}
	}
	return out, nil
}

// Speed is the experiment for claim C2.
func New() harness.Experiment {
	return harness.Register(harness.Definition[Config, speedCell, speedResult]{
		Name:    "speed",
		Claims:  []string{"C2"},
		Summary: "ReLU vs sigmoid/tanh: kernel ns/element against a copy, share of a training step, time to a training accuracy",
		Doc: `Times the forward and backward kernels of every activation at a size inside
and one outside the caches against a memory copy (the bandwidth floor); the
share of a whole MLP training step spent in the activation layers; and the
updates and seconds each activation needs to reach a training accuracy on
MNIST at its best learning rate from a grid (the AlexNet-style claim).
Timings differ from run to run: they are written only to files whose names
contain "timing" and to verdicts whose rule says so; every other output is a
deterministic function of the seed. The timing cell runs alone within the
process; run it on an otherwise idle machine for trustworthy timings.`,
		Defaults:  speedDefaults,
		Validate:  validateSpeed,
		Cells:     speedCells,
		Run:       runSpeedCell,
		Summarize: summarizeSpeed,
		Memory:    speedMemory,
	})
}

// speedRun is one training run towards the target.
type speedRun struct {
	seed int
	r    speedTrain
}

type speedLRKey struct {
	variant string
	lr      float64
}

// speedSummary reads the cells.
type speedSummary struct {
	c      *Config
	timing *speedTiming
	runs   map[speedLRKey][]speedRun
	bestLR map[string]float64
}

func summarizeSpeed(c *Config, done []harness.Done[speedCell, speedResult]) (*result.Result, error) {
	s := &speedSummary{c: c, runs: map[speedLRKey][]speedRun{}, bestLR: map[string]float64{}}
	for _, d := range done {
		switch {
		case d.Result.Timing != nil:
			s.timing = d.Result.Timing
		case d.Result.Train != nil:
			k := speedLRKey{d.Params.Variant, d.Params.LR}
			s.runs[k] = append(s.runs[k], speedRun{seed: d.Params.Seed, r: *d.Result.Train})
		}
	}
	for _, v := range c.Variants {
		s.bestLR[v] = s.pickLR(v)
	}
	res := &result.Result{}
	res.Records = append(res.Records, s.trainRecords()...)
	res.Tables = append(res.Tables, s.stepsTable(), s.gridTable())
	res.Figures = append(res.Figures, s.stepsFigure(), s.gridFigure())
	if s.timing == nil {
		return nil, fmt.Errorf("speed: the timing cell's result is missing")
	}
	res.Records = append(res.Records, s.kernelRecords(), s.stepRecords())
	res.Tables = append(res.Tables, s.kernelTable(), s.stepTable(), s.secondsTable())
	res.Figures = append(res.Figures, s.kernelFigure(), s.shareFigure(), s.secondsFigure())
	res.Verdicts = append(res.Verdicts, s.kernelVerdict(), s.stepVerdict(), s.stepsVerdict(), s.secondsVerdict())
	res.Notes = append(res.Notes,
		"Timing numbers appear only in the files whose names contain \"timing\" and in the verdicts whose rule begins \"Timing verdict\"; they change from run to run. "+
			"Every other file, steps-to-accuracy.csv included, is a deterministic function of the command and seed.",
		fmt.Sprintf("Updates to target: training accuracy checked every %d updates on the first %d of the %d training images, the crossing interpolated between checks. "+
			"Seconds to target: updates to target times the median duration of one training step of that activation in the timing cell (the accuracy checks are not counted).",
			c.EvalEvery, c.EvalExamples, c.TrainExamples),
		"Best learning rate: the one with the most seeds reaching the target, then the fewest updates (geometric mean). Choosing it on the same seeds flatters every activation alike.",
		fmt.Sprintf("Anchor: Krizhevsky et al. 2012 (AlexNet): a 4-layer CNN with ReLU reached 25%% training error on CIFAR-10 six times faster than with tanh. Here: an MLP %s on MNIST, target %.0f%% training accuracy.",
			kit.WidthsLabel(c.Hidden), 100*c.Target))
	for _, v := range c.Variants {
		lr, ok := s.bestLR[v]
		if ok && len(c.LRs) > 2 && (lr == slices.Min(c.LRs) || lr == slices.Max(c.LRs)) {
			res.Notes = append(res.Notes, fmt.Sprintf("The best learning rate of %s (%g) is at the edge of the grid: a wider grid might serve it better.", v, lr))
		}
	}
	return res, nil
}

// reachedSteps are the updates to target of the runs of k that reached it.
func (s *speedSummary) reachedSteps(k speedLRKey) []float64 {
	var out []float64
	for _, r := range s.runs[k] {
		if r.r.Reached {
			out = append(out, r.r.StepsToTarget)
		}
	}
	return out
}

// pickLR is a variant's best learning rate: the most runs reaching the
// target, then the fewest updates (geometric mean), then the smaller rate.
// It is NaN when no run at any rate reached the target.
func (s *speedSummary) pickLR(v string) float64 {
	best, bestN, bestSteps := math.NaN(), 0, math.Inf(1)
	for _, lr := range s.c.LRs {
		steps := s.reachedSteps(speedLRKey{v, lr})
		if len(steps) == 0 {
			continue
		}
		g := metrics.GeoMeanCI(steps).Mean
		if len(steps) > bestN || (len(steps) == bestN && g < bestSteps) {
			best, bestN, bestSteps = lr, len(steps), g
		}
	}
	return best
}

// stepsOf are the updates to target of a variant at its best rate (nil if
// it never reached the target).
func (s *speedSummary) stepsOf(v string) []float64 {
	lr := s.bestLR[v]
	if math.IsNaN(lr) {
		return nil
	}
	return s.reachedSteps(speedLRKey{v, lr})
}

func (s *speedSummary) epochsPerStep() float64 {
	return float64(s.c.Batch) / float64(s.c.TrainExamples)
}

func (s *speedSummary) trainRecords() []result.Table {
	runs := result.Table{Name: "steps-to-accuracy", Columns: []string{"variant", "lr", "seed", "best_lr", "reached", "steps_to_target",
		"epochs_to_target", "steps_run", "last_accuracy", "stalled", "diverged", "diverged_step"}}
	checks := result.Table{Name: "accuracy-checks", Columns: []string{"variant", "lr", "seed", "step", "train_accuracy"}}
	for _, v := range s.c.Variants {
		for _, lr := range s.c.LRs {
			for _, run := range s.runs[speedLRKey{v, lr}] {
				r := run.r
				steps, epochs, last := math.NaN(), math.NaN(), math.NaN()
				if r.Reached {
					steps, epochs = r.StepsToTarget, r.StepsToTarget*s.epochsPerStep()
				}
				if len(r.Evals) > 0 {
					last = r.Evals[len(r.Evals)-1].Acc
				}
				runs.Rows = append(runs.Rows, []string{v, kit.Ftoa(lr), kit.Itoa(run.seed), fmt.Sprint(lr == s.bestLR[v]), fmt.Sprint(r.Reached),
					kit.Ftoa(steps), kit.Ftoa(epochs), kit.Itoa(r.Steps), kit.Ftoa(last), fmt.Sprint(r.Stalled), fmt.Sprint(r.Diverged), kit.Itoa(r.DivergedStep)})
				for _, e := range r.Evals {
					checks.Rows = append(checks.Rows, []string{v, kit.Ftoa(lr), kit.Itoa(run.seed), kit.Itoa(e.Step), kit.Ftoa(e.Acc)})
				}
			}
		}
	}
	return []result.Table{runs, checks}
}

// ratioToRelu is the ratio of a variant's updates to target over ReLU's,
// each at its best rate, with its Welch CI on the log scale.
func (s *speedSummary) ratioToRelu(v string) metrics.Estimate {
	return metrics.RatioCI(s.stepsOf(v), s.stepsOf("relu"))
}

func (s *speedSummary) stepsTable() result.Table {
	c := s.c
	t := result.Table{Name: "steps-to-accuracy",
		Title:   fmt.Sprintf("Updates to %.0f%% training accuracy, each activation at its best learning rate: geometric mean [95%% CI] over the seeds that reached it", 100*c.Target),
		Columns: []string{"variant", "best lr", "reached", "updates to target", "epochs to target", "ratio to relu"},
		Note:    fmt.Sprintf("Deterministic: no clock involved. A ratio above 1 means more updates than ReLU (Welch interval on log updates). Runs stop at %d updates.", c.MaxSteps)}
	for _, v := range c.Variants {
		lr := s.bestLR[v]
		if math.IsNaN(lr) {
			t.Rows = append(t.Rows, []string{v, "none", fmt.Sprintf("0/%d at every rate", c.Seeds), "not reached", "", ""})
			continue
		}
		steps := s.stepsOf(v)
		g := metrics.GeoMeanCI(steps)
		ep := metrics.Estimate{Mean: g.Mean * s.epochsPerStep(), Lo: g.Lo * s.epochsPerStep(), Hi: g.Hi * s.epochsPerStep(), N: g.N}
		ratio := "1 (reference)"
		if v != "relu" {
			ratio = kit.FmtEstimate(s.ratioToRelu(v), 2)
		}
		t.Rows = append(t.Rows, []string{v, kit.Ftoa(lr), fmt.Sprintf("%d/%d", len(steps), len(s.runs[speedLRKey{v, lr}])),
			kit.FmtEstimate(g, 0), kit.FmtEstimate(ep, 2), ratio})
	}
	return t
}

func (s *speedSummary) gridTable() result.Table {
	c := s.c
	t := result.Table{Name: "lr-grid", Title: "Learning-rate grid: seeds reaching the target, and their updates to target (geometric mean)",
		Columns: []string{"variant"}, Note: "* marks the rate used. Stalled: below 20% accuracy at a check after the first fifth of the budget, stopped."}
	for _, lr := range c.LRs {
		t.Columns = append(t.Columns, fmt.Sprintf("lr %g", lr))
	}
	for _, v := range c.Variants {
		row := []string{v}
		for _, lr := range c.LRs {
			k := speedLRKey{v, lr}
			steps := s.reachedSteps(k)
			cellText := fmt.Sprintf("%d/%d", len(steps), len(s.runs[k]))
			if len(steps) > 0 {
				cellText += fmt.Sprintf(": %.0f", metrics.GeoMeanCI(steps).Mean)
			}
			stalled, diverged := 0, 0
			for _, r := range s.runs[k] {
				if r.r.Stalled {
					stalled++
				}
				if r.r.Diverged {
					diverged++
				}
			}
			if stalled > 0 {
				cellText += fmt.Sprintf(" (%d stalled)", stalled)
			}
			if diverged > 0 {
				cellText += fmt.Sprintf(" (%d diverged)", diverged)
			}
			if lr == s.bestLR[v] {
				cellText += " *"
			}
			row = append(row, cellText)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (s *speedSummary) stepsFigure() result.Figure {
	c := s.c
	bars := &result.Bars{}
	g := result.BarGroup{Label: "updates to target"}
	for _, v := range c.Variants {
		bars.Categories = append(bars.Categories, v)
		e := metrics.GeoMeanCI(s.stepsOf(v))
		g.Values, g.Lo, g.Hi = append(g.Values, e.Mean), append(g.Lo, e.Lo), append(g.Hi, e.Hi)
	}
	bars.Groups = []result.BarGroup{g}
	return result.Figure{Name: "steps-to-accuracy", Title: fmt.Sprintf("Updates to %.0f%% training accuracy (best lr)", 100*c.Target),
		Caption: "Each activation at its best learning rate from the grid: geometric mean over the seeds that reached the target, with 95% CI. A missing bar: never reached within the budget. Deterministic (no clock).",
		Panels:  []result.Panel{{Kind: result.BarPanel, XLabel: "activation", YLabel: "updates", Bars: bars}}}
}

func (s *speedSummary) gridFigure() result.Figure {
	c := s.c
	pn := result.Panel{Kind: result.LinePanel, XLabel: "learning rate", YLabel: "updates to target", LogX: true, LogY: true}
	for vi, v := range c.Variants {
		ln := result.Line{Label: v, Points: true, Style: vi}
		for _, lr := range c.LRs {
			ln.X = append(ln.X, lr)
			steps := s.reachedSteps(speedLRKey{v, lr})
			y := math.NaN()
			if len(steps) > 0 {
				y = metrics.GeoMeanCI(steps).Mean
			}
			ln.Y = append(ln.Y, y)
		}
		pn.Lines = append(pn.Lines, ln)
	}
	return result.Figure{Name: "lr-grid", Title: "Updates to target by learning rate",
		Caption: "Geometric mean over the seeds that reached the target; a rate where no seed reached it has no point. Deterministic (no clock).",
		Panels:  []result.Panel{pn}}
}

// Kernels.

type kernelKey struct {
	kernel, pass string
	size         int
}

// kernelNs maps each kernel to its samples by repetition.
func (s *speedSummary) kernelNs() map[kernelKey]map[int]float64 {
	out := map[kernelKey]map[int]float64{}
	for _, k := range s.timing.Kernels {
		key := kernelKey{k.Kernel, k.Pass, k.Size}
		if out[key] == nil {
			out[key] = map[int]float64{}
		}
		out[key][k.Rep] = k.NsPerElem
	}
	return out
}

// pairedRatios divides a's samples by b's of the same repetition.
func pairedRatios(a, b map[int]float64) []float64 {
	var out []float64
	for rep := range len(a) + len(b) {
		x, okA := a[rep]
		y, okB := b[rep]
		if okA && okB && y > 0 {
			out = append(out, x/y)
		}
	}
	return out
}

// fmtMedianIQR writes "median [q1, q3]".
func fmtMedianIQR(xs []float64, digits int) string {
	if len(xs) == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%s [%s, %s]", kit.FmtFloat(metrics.Median(xs), digits), kit.FmtFloat(metrics.Quantile(xs, 0.25), digits), kit.FmtFloat(metrics.Quantile(xs, 0.75), digits))
}

func (s *speedSummary) timingNote() string {
	t := s.timing
	return fmt.Sprintf("Timing: measured in this run, so these numbers change from run to run; one cell, one kernel at a time, interleaved across repetitions; median [interquartile range] over repetitions. "+
		"Machine: %s, %d CPUs, matrix products by %s; 1-minute load average %.2f before and %.2f after the timing cell (above 1 means other processes shared the cores).",
		t.GoArch, t.NumCPU, t.Backend, t.LoadBefore, t.LoadAfter)
}

func (s *speedSummary) kernelRecords() result.Table {
	t := result.Table{Name: "timing-kernels", Columns: []string{"kernel", "pass", "size", "rep", "iters", "ns_per_element"}}
	for _, k := range s.timing.Kernels {
		t.Rows = append(t.Rows, []string{k.Kernel, k.Pass, kit.Itoa(k.Size), kit.Itoa(k.Rep), kit.Itoa(k.Iters), kit.Ftoa(k.NsPerElem)})
	}
	return t
}

func (s *speedSummary) kernelTable() result.Table {
	c := s.c
	ns := s.kernelNs()
	t := result.Table{Name: "timing-kernels", Volatile: true, Title: "Activation kernels: nanoseconds per element, and ratio to the bandwidth floor",
		Columns: []string{"size", "kernel", "forward ns/elem", "forward / copy", "backward ns/elem", "backward / copy", "backward / mul"},
		Note: s.timingNote() + " Ratios are medians of the per-repetition ratios. copy (one read, one write per element) is a forward pass's memory floor, " +
			"mul (two reads, one write) a backward pass's; the two-sided ReLU writes twice as much. " +
			"copy is Go's built-in copy, a vectorised memmove; relu, sigmoid and tanh run the library's vector kernels (AVX; AVX2 and FMA for sigmoid and tanh), while mul and the other activations are scalar Go loops, which the compiler does not vectorise, so inside the caches a scalar loop's floor is nearer mul's time than copy's. " +
			"relu-scalar is a reference, not the library's ReLU: the same function as a scalar loop with a sign mask. " +
			"At the smallest size the same inputs repeat on every call, so the branch predictor can learn their signs and the branching kernels (relu, leaky, prelu, elu, selu, twosided) may look faster there than they are on fresh data."}
	for _, n := range c.KernelSizes {
		cp, mul := ns[kernelKey{"copy", "forward", n}], ns[kernelKey{"mul", "backward", n}]
		t.Rows = append(t.Rows, []string{kit.Itoa(n), "copy / mul (floor)", fmtMedianIQR(kit.Values(cp), 3), "1", fmtMedianIQR(kit.Values(mul), 3),
			kit.FmtFloat(metrics.Median(pairedRatios(mul, cp)), 2), "1"})
		for _, v := range append([]string{branchlessReLU}, c.KernelVariants...) {
			f, b := ns[kernelKey{v, "forward", n}], ns[kernelKey{v, "backward", n}]
			t.Rows = append(t.Rows, []string{kit.Itoa(n), v, fmtMedianIQR(kit.Values(f), 3), kit.FmtFloat(metrics.Median(pairedRatios(f, cp)), 2),
				fmtMedianIQR(kit.Values(b), 3), kit.FmtFloat(metrics.Median(pairedRatios(b, cp)), 2), kit.FmtFloat(metrics.Median(pairedRatios(b, mul)), 2)})
		}
	}
	return t
}

func (s *speedSummary) kernelFigure() result.Figure {
	c := s.c
	ns := s.kernelNs()
	f := result.Figure{Name: "timing-kernels", Title: "Activation kernels: ns per element (timing)",
		Caption: "Timing: measured in this run, differs between runs. Median over repetitions with interquartile range. The first pair of bars is the memory floor: a copy (forward) and an elementwise product (backward). One panel per size.",
		Columns: 1}
	for _, n := range c.KernelSizes {
		bars := &result.Bars{Categories: append([]string{"copy/mul", branchlessReLU}, c.KernelVariants...)}
		for _, pass := range []string{"forward", "backward"} {
			g := result.BarGroup{Label: pass}
			base := kernelKey{"copy", "forward", n}
			if pass == "backward" {
				base = kernelKey{"mul", "backward", n}
			}
			for _, cat := range bars.Categories {
				key := base
				if cat != "copy/mul" {
					key = kernelKey{cat, pass, n}
				}
				xs := kit.Values(ns[key])
				g.Values = append(g.Values, metrics.Median(xs))
				g.Lo, g.Hi = append(g.Lo, metrics.Quantile(xs, 0.25)), append(g.Hi, metrics.Quantile(xs, 0.75))
			}
			bars.Groups = append(bars.Groups, g)
		}
		// A decade of headroom above the tallest bar keeps the legend clear
		// of the bars.
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, g := range bars.Groups {
			for i := range g.Values {
				if g.Lo[i] > 0 {
					lo = math.Min(lo, g.Lo[i])
				}
				hi = math.Max(hi, g.Hi[i])
			}
		}
		pn := result.Panel{Kind: result.BarPanel, Title: fmt.Sprintf("%d elements (%s)", n, byteSize(8*n)),
			XLabel: "kernel", YLabel: "ns per element", LogY: true, Bars: bars}
		if lo < hi && !math.IsInf(lo, 0) && !math.IsInf(hi, 0) {
			pn.YMin, pn.YMax = lo/2, hi*10
		}
		f.Panels = append(f.Panels, pn)
	}
	return f
}

func byteSize(b int) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%d MiB per array", b>>20)
	case b >= 1<<10:
		return fmt.Sprintf("%d KiB per array", b>>10)
	}
	return fmt.Sprintf("%d B per array", b)
}

// timingRule prefixes the rule of every verdict that reads a clock.
const timingRule = "Timing verdict: it reads wall-clock measurements of this run, so its numbers, and near a threshold its outcome, change from run to run and machine to machine. "

// saturating lists tanh and sigmoid among vs.
func saturating(vs []string) []string {
	var out []string
	for _, v := range []string{"tanh", "sigmoid"} {
		if slices.Contains(vs, v) {
			out = append(out, v)
		}
	}
	return out
}

func (s *speedSummary) kernelVerdict() result.Verdict {
	c := s.c
	v := result.Verdict{Claim: "C2", Statement: "ReLU's kernel is faster than sigmoid's and tanh's (a threshold instead of an exponential)",
		Rule: timingRule + "At each kernel size, the per-repetition ratio of (forward + backward) time of tanh and of sigmoid to ReLU's, geometric mean with 95% CI over repetitions: " +
			"CONFIRMED if every such CI lies above 1; REFUTED if none does; MIXED otherwise"}
	others := saturating(c.KernelVariants)
	if !slices.Contains(c.KernelVariants, "relu") || len(others) == 0 {
		v.Outcome = result.Mixed
		v.Why = "kernel-variants lacks relu or both tanh and sigmoid, so the rule cannot be applied."
		return v
	}
	ns := s.kernelNs()
	fb := func(name string, n int) map[int]float64 {
		out := map[int]float64{}
		f, b := ns[kernelKey{name, "forward", n}], ns[kernelKey{name, "backward", n}]
		for rep, x := range f {
			if y, ok := b[rep]; ok {
				out[rep] = x + y
			}
		}
		return out
	}
	above, total := 0, 0
	var parts []string
	for _, n := range c.KernelSizes {
		relu := fb("relu", n)
		var ps []string
		for _, o := range others {
			ratios := pairedRatios(fb(o, n), relu)
			e := metrics.GeoMeanCI(ratios)
			total++
			if e.Lo > 1 {
				above++
			}
			v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%d elements: %s / relu, forward+backward time", n, o), Estimate: e, Unit: "x"})
			ps = append(ps, fmt.Sprintf("%s %.1fx", o, metrics.Median(ratios)))
		}
		cp := pairedRatios(ns[kernelKey{"relu", "forward", n}], ns[kernelKey{"copy", "forward", n}])
		cpRatio := metrics.GeoMeanCI(cp)
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%d elements: relu forward / copy", n), Estimate: cpRatio, Unit: "x"})
		blRatios := pairedRatios(ns[kernelKey{branchlessReLU, "forward", n}], ns[kernelKey{"copy", "forward", n}])
		bl := metrics.GeoMeanCI(blRatios)
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%d elements: scalar reference ReLU forward / copy", n), Estimate: bl, Unit: "x"})
		parts = append(parts, fmt.Sprintf("at %d elements %s ReLU's time; ReLU's forward pass runs at %.1fx a copy (a scalar-loop ReLU at %.1fx)", n, strings.Join(ps, " and "), metrics.Median(cp), metrics.Median(blRatios)))
	}
	switch {
	case above == total:
		v.Outcome = result.Confirmed
	case above == 0:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("Medians over repetitions, forward plus backward: %s.", strings.Join(parts, "; "))
	return v
}

// Training steps.

type stepKey struct {
	net, variant string
}

func (s *speedSummary) stepSamples() (step, act map[stepKey]map[int]float64) {
	step, act = map[stepKey]map[int]float64{}, map[stepKey]map[int]float64{}
	for _, x := range s.timing.Steps {
		k := stepKey{kit.WidthsLabel(x.Hidden), x.Variant}
		if step[k] == nil {
			step[k], act[k] = map[int]float64{}, map[int]float64{}
		}
		step[k][x.Rep], act[k][x.Rep] = x.StepNs, x.ActivationNs
	}
	return step, act
}

func (s *speedSummary) stepRecords() result.Table {
	t := result.Table{Name: "timing-steps", Columns: []string{"hidden", "variant", "rep", "steps", "step_ns", "activation_ns", "activation_share"}}
	for _, x := range s.timing.Steps {
		t.Rows = append(t.Rows, []string{kit.WidthsLabel(x.Hidden), x.Variant, kit.Itoa(x.Rep), kit.Itoa(x.Steps), kit.Ftoa(x.StepNs), kit.Ftoa(x.ActivationNs), kit.Ftoa(x.ActivationNs / x.StepNs)})
	}
	return t
}

func (s *speedSummary) stepNets() []string {
	var out []string
	for _, h := range s.c.stepNets() {
		out = append(out, kit.WidthsLabel(h))
	}
	return out
}

func (s *speedSummary) stepTable() result.Table {
	c := s.c
	step, act := s.stepSamples()
	t := result.Table{Name: "timing-step", Volatile: true, Title: fmt.Sprintf("A whole training step (forward, backward, %s update) of a batch of %d, and the part spent in the activation layers", c.Optimizer, c.Batch),
		Columns: []string{"hidden", "activation", "step ms", "activation ms", "activation share %", "beyond relu's layers, % of relu step", "step / relu step"},
		Note: s.timingNote() + " The activation layers are timed inside the step by a wrapper around each. \"Beyond relu's layers\" is the time these layers take beyond ReLU's, as a share of ReLU's whole step, mean [95% CI] over repetitions: " +
			"the part of a step the choice of activation decides. step / relu step is the median of per-repetition ratios of whole steps, which also carry the noise of every matrix product."}
	for _, net := range s.stepNets() {
		for _, v := range c.Variants {
			k := stepKey{net, v}
			stepMs, actMs := scaled(kit.Values(step[k]), 1e-6), scaled(kit.Values(act[k]), 1e-6)
			t.Rows = append(t.Rows, []string{net, v, fmtMedianIQR(stepMs, 3), fmtMedianIQR(actMs, 3),
				fmtMedianIQR(scaled(pairedRatios(act[k], step[k]), 100), 1), kit.FmtEstimate(metrics.MeanCI(activationSavings(act, step, net, v)), 2),
				kit.FmtFloat(metrics.Median(pairedRatios(step[k], step[stepKey{net, "relu"}])), 3)})
		}
	}
	return t
}

func scaled(xs []float64, f float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = f * x
	}
	return out
}

func (s *speedSummary) shareFigure() result.Figure {
	c := s.c
	step, act := s.stepSamples()
	bars := &result.Bars{Categories: c.Variants}
	for _, net := range s.stepNets() {
		g := result.BarGroup{Label: "hidden " + net}
		for _, v := range c.Variants {
			sh := scaled(pairedRatios(act[stepKey{net, v}], step[stepKey{net, v}]), 100)
			g.Values = append(g.Values, metrics.Median(sh))
			g.Lo, g.Hi = append(g.Lo, metrics.Quantile(sh, 0.25)), append(g.Hi, metrics.Quantile(sh, 0.75))
		}
		bars.Groups = append(bars.Groups, g)
	}
	return result.Figure{Name: "timing-step-share", Title: "Share of a training step in the activation (timing)",
		Caption: fmt.Sprintf("Timing: measured in this run, differs between runs. Median over repetitions with interquartile range; batch %d, %s update, two hidden layers of each width.", c.Batch, c.Optimizer),
		Panels:  []result.Panel{{Kind: result.BarPanel, XLabel: "activation", YLabel: "% of step time", Bars: bars}}}
}

// stepSavingThreshold: a saving below 5% of a step's time is measurable but
// does not change what a practitioner would choose.
const stepSavingThreshold = 5.0

// activationSavings is, per repetition, how much more time the activation
// layers of o take than ReLU's, as a percentage of ReLU's whole step. Both
// are timed inside their steps, interleaved, so a busy machine slows both
// sides alike; the whole-step ratio, which includes every matrix product,
// is far noisier.
func activationSavings(act map[stepKey]map[int]float64, step map[stepKey]map[int]float64, net, o string) []float64 {
	ao, ar, sr := act[stepKey{net, o}], act[stepKey{net, "relu"}], step[stepKey{net, "relu"}]
	var out []float64
	for rep := range len(sr) + 1 {
		x, ok1 := ao[rep]
		y, ok2 := ar[rep]
		z, ok3 := sr[rep]
		if ok1 && ok2 && ok3 && z > 0 {
			out = append(out, 100*(x-y)/z)
		}
	}
	return out
}

func (s *speedSummary) stepVerdict() result.Verdict {
	c := s.c
	v := result.Verdict{Claim: "C2", Statement: "the kernel speed matters end to end: ReLU's activation layers save a meaningful part of a training step over tanh's and sigmoid's",
		Rule: timingRule + fmt.Sprintf("For every timed net, the time the tanh and the sigmoid layers take beyond ReLU's layers, as a percentage of ReLU's whole step "+
			"(activation layers timed inside the step, paired by repetition; mean with 95%% CI): CONFIRMED if every such CI lies above %.0f%% of a step; "+
			"REFUTED if no CI lies above 0; MIXED otherwise (a saving that is detectable but small, or not everywhere). The whole-step ratios are reported beside it", stepSavingThreshold)}
	others := saturating(c.Variants)
	if len(others) == 0 {
		v.Outcome = result.Mixed
		v.Why = "variant lacks both tanh and sigmoid, so the rule cannot be applied."
		return v
	}
	step, act := s.stepSamples()
	big, detectable, total := 0, 0, 0
	var parts []string
	for _, net := range s.stepNets() {
		var ps []string
		for _, o := range others {
			sav := metrics.MeanCI(activationSavings(act, step, net, o))
			total++
			if sav.Lo > 0 {
				detectable++
			}
			if sav.Lo > stepSavingThreshold {
				big++
			}
			ratio := pairedRatios(step[stepKey{net, o}], step[stepKey{net, "relu"}])
			v.Evidence = append(v.Evidence,
				result.Evidence{Name: fmt.Sprintf("hidden %s: %s layers minus relu layers, %% of relu's step", net, o), Estimate: sav, Unit: "%"},
				result.Evidence{Name: fmt.Sprintf("hidden %s: whole %s step / relu step", net, o), Estimate: metrics.GeoMeanCI(ratio), Unit: "x"})
			ps = append(ps, fmt.Sprintf("%s %+.1f%% of the step (whole step %.2fx)", o, sav.Mean, metrics.Median(ratio)))
		}
		shs := scaled(pairedRatios(act[stepKey{net, "relu"}], step[stepKey{net, "relu"}]), 100)
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("hidden %s: share of the step in the relu layers", net), Estimate: metrics.MeanCI(shs).Clamp(0, 100), Unit: "%"})
		parts = append(parts, fmt.Sprintf("hidden %s: ReLU's layers take %.1f%% of its step, and the others' layers cost %s", net, metrics.MeanCI(shs).Mean, strings.Join(ps, ", ")))
	}
	switch {
	case big == total:
		v.Outcome = result.Confirmed
	case detectable == 0:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = strings.Join(parts, "; ") + "."
	return v
}

// Time to accuracy.

func (s *speedSummary) stepsVerdict() result.Verdict {
	c := s.c
	v := result.Verdict{Claim: "C2",
		Statement: fmt.Sprintf("ReLU reaches %.0f%% training accuracy in fewer updates than tanh and sigmoid, each at its best learning rate (AlexNet: 6x fewer than tanh)", 100*c.Target),
		Rule: "Deterministic (updates, no clock). For tanh and sigmoid, the ratio of their updates to target to ReLU's (geometric means at each one's best learning rate, Welch 95% CI on the log scale); " +
			"an activation that never reached the target counts as slower. CONFIRMED if ReLU is faster than each (CI above 1); REFUTED if it is faster than neither, or never reached the target while another did; MIXED otherwise"}
	others := saturating(c.Variants)
	if len(others) == 0 {
		v.Outcome = result.Mixed
		v.Why = "variant lacks both tanh and sigmoid, so the rule cannot be applied."
		return v
	}
	relu := s.stepsOf("relu")
	if len(relu) == 0 {
		reachedAny := false
		for _, o := range others {
			reachedAny = reachedAny || len(s.stepsOf(o)) > 0
		}
		v.Outcome = result.Mixed
		v.Why = fmt.Sprintf("No activation reached %.0f%% training accuracy within %d updates, so the rule cannot be applied.", 100*c.Target, c.MaxSteps)
		if reachedAny {
			v.Outcome = result.Refuted
			v.Why = fmt.Sprintf("ReLU never reached %.0f%% training accuracy within %d updates while another activation did.", 100*c.Target, c.MaxSteps)
		}
		return v
	}
	g := metrics.GeoMeanCI(relu)
	v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("relu updates to target (lr %g)", s.bestLR["relu"]), Estimate: g, Unit: "updates"})
	faster := 0
	var parts []string
	for _, o := range others {
		if len(s.stepsOf(o)) == 0 {
			faster++
			parts = append(parts, fmt.Sprintf("%s never reached it", o))
			continue
		}
		e := s.ratioToRelu(o)
		if e.Lo > 1 {
			faster++
		}
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%s updates / relu updates (lr %g vs %g)", o, s.bestLR[o], s.bestLR["relu"]), Estimate: e, Unit: "x"})
		parts = append(parts, fmt.Sprintf("%s needed %.2fx as many [%.2f, %.2f]", o, e.Mean, e.Lo, e.Hi))
	}
	switch {
	case faster == len(others):
		v.Outcome = result.Confirmed
	case faster == 0:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("At its best learning rate ReLU reached %.0f%% training accuracy in %.0f updates (%.2f epochs); %s (AlexNet: tanh 6x slower; %s).",
		100*c.Target, g.Mean, g.Mean*s.epochsPerStep(), strings.Join(parts, ", "), alexNetReading(v.Evidence))
	return v
}

// alexNetRatio is the speed-up of ReLU over tanh Krizhevsky et al. 2012
// report, to read our ratios against.
const alexNetRatio = 6

// alexNetReading says whether the measured ratios to ReLU (the evidence in
// "x") could be as large as AlexNet's.
func alexNetReading(ev []result.Evidence) string {
	below, n := 0, 0
	for _, e := range ev {
		if e.Unit != "x" {
			continue
		}
		n++
		if e.Estimate.Hi < alexNetRatio {
			below++
		}
	}
	switch {
	case n == 0:
		return "no ratio to compare"
	case below == n:
		return fmt.Sprintf("every upper 95%% bound here is below %d", alexNetRatio)
	}
	return fmt.Sprintf("%d of %d upper 95%% bounds here are below %d", below, n, alexNetRatio)
}

// stepSeconds is the median duration of one step of the time-to-accuracy
// net with activation v, in seconds.
func (s *speedSummary) stepSeconds(v string) float64 {
	step, _ := s.stepSamples()
	return metrics.Median(kit.Values(step[stepKey{kit.WidthsLabel(s.c.Hidden), v}])) * 1e-9
}

// secondsRatio scales the updates ratio by the step-time ratio (median of
// per-repetition ratios), which is treated as exact: its spread over
// repetitions is far below the spread of updates over seeds.
func (s *speedSummary) secondsRatio(v string) metrics.Estimate {
	step, _ := s.stepSamples()
	net := kit.WidthsLabel(s.c.Hidden)
	r := metrics.Median(pairedRatios(step[stepKey{net, v}], step[stepKey{net, "relu"}]))
	e := s.ratioToRelu(v)
	return metrics.Estimate{Mean: e.Mean * r, Lo: e.Lo * r, Hi: e.Hi * r, SD: e.SD, N: e.N}
}

func (s *speedSummary) secondsOf(v string) metrics.Estimate {
	g, t := metrics.GeoMeanCI(s.stepsOf(v)), s.stepSeconds(v)
	return metrics.Estimate{Mean: g.Mean * t, Lo: g.Lo * t, Hi: g.Hi * t, SD: g.SD, N: g.N}
}

func (s *speedSummary) secondsTable() result.Table {
	c := s.c
	t := result.Table{Name: "timing-to-accuracy", Volatile: true, Title: fmt.Sprintf("Seconds of training to %.0f%% training accuracy, each activation at its best learning rate", 100*c.Target),
		Columns: []string{"variant", "step ms (median)", "seconds to target", "ratio to relu"},
		Note: s.timingNote() + " Seconds = updates to target (geometric mean [95% CI] over seeds) x the median step time; the ratio multiplies the updates ratio's interval by the step-time ratio. " +
			"Training time only; the accuracy checks are not counted."}
	for _, v := range c.Variants {
		if len(s.stepsOf(v)) == 0 {
			t.Rows = append(t.Rows, []string{v, kit.FmtFloat(1000*s.stepSeconds(v), 3), "not reached", ""})
			continue
		}
		ratio := "1 (reference)"
		if v != "relu" {
			ratio = kit.FmtEstimate(s.secondsRatio(v), 2)
		}
		t.Rows = append(t.Rows, []string{v, kit.FmtFloat(1000*s.stepSeconds(v), 3), kit.FmtEstimate(s.secondsOf(v), 2), ratio})
	}
	return t
}

func (s *speedSummary) secondsFigure() result.Figure {
	c := s.c
	g := result.BarGroup{Label: "seconds to target"}
	for _, v := range c.Variants {
		e := s.secondsOf(v)
		g.Values, g.Lo, g.Hi = append(g.Values, e.Mean), append(g.Lo, e.Lo), append(g.Hi, e.Hi)
	}
	return result.Figure{Name: "timing-to-accuracy", Title: fmt.Sprintf("Seconds to %.0f%% training accuracy (timing)", 100*c.Target),
		Caption: "Timing: measured in this run, differs between runs. Updates to target (geometric mean with 95% CI over seeds, best learning rate) times the median step time. A missing bar: never reached.",
		Panels:  []result.Panel{{Kind: result.BarPanel, XLabel: "activation", YLabel: "seconds", Bars: &result.Bars{Categories: c.Variants, Groups: []result.BarGroup{g}}}}}
}

func (s *speedSummary) secondsVerdict() result.Verdict {
	c := s.c
	v := result.Verdict{Claim: "C2",
		Statement: fmt.Sprintf("ReLU reaches %.0f%% training accuracy in less training time than tanh and sigmoid, each at its best learning rate (AlexNet: 6x faster than tanh)", 100*c.Target),
		Rule: timingRule + "Seconds = updates to target x median step time. For tanh and sigmoid, the ratio of their seconds to ReLU's (the updates ratio's Welch 95% CI scaled by the step-time ratio); " +
			"an activation that never reached the target counts as slower. CONFIRMED if ReLU is faster than each (CI above 1); REFUTED if it is faster than neither, or never reached the target while another did; MIXED otherwise"}
	others := saturating(c.Variants)
	if len(others) == 0 {
		v.Outcome = result.Mixed
		v.Why = "variant lacks both tanh and sigmoid, so the rule cannot be applied."
		return v
	}
	if len(s.stepsOf("relu")) == 0 {
		v.Outcome = result.Mixed
		v.Why = "ReLU never reached the target; see the verdict on updates."
		for _, o := range others {
			if len(s.stepsOf(o)) > 0 {
				v.Outcome = result.Refuted
			}
		}
		return v
	}
	relu := s.secondsOf("relu")
	v.Evidence = append(v.Evidence, result.Evidence{Name: "relu seconds to target", Estimate: relu, Unit: "s"})
	faster := 0
	var parts []string
	for _, o := range others {
		if len(s.stepsOf(o)) == 0 {
			faster++
			parts = append(parts, fmt.Sprintf("%s never reached it", o))
			continue
		}
		e := s.secondsRatio(o)
		if e.Lo > 1 {
			faster++
		}
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%s seconds / relu seconds", o), Estimate: e, Unit: "x"})
		parts = append(parts, fmt.Sprintf("%s took %.2fx as long [%.2f, %.2f]", o, e.Mean, e.Lo, e.Hi))
	}
	switch {
	case faster == len(others):
		v.Outcome = result.Confirmed
	case faster == 0:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("ReLU trained to the target in %.2f s; %s (AlexNet: tanh 6x slower; %s).", relu.Mean, strings.Join(parts, ", "), alexNetReading(v.Evidence))
	return v
}

// speedMemory bounds a cell's memory: four arrays of the largest kernel
// size, or the widest net whose step is timed, or the net trained.
func speedMemory(c *Config) (perCell, shared int64) {
	perCell = 4 * 8 * int64(kit.MaxOf(c.KernelSizes))
	if len(c.StepWidths) > 0 {
		w := kit.MaxOf(c.StepWidths)
		perCell = max(perCell, kit.MLPBytes(784, []int{w, w}, 10, c.Batch))
	}
	return max(perCell, kit.MLPBytes(784, c.Hidden, 10, c.Batch)), kit.MNISTBytes
}
