package dying

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// Experiment "dying": claims C1, C8 and C9.
//
// C8, the blog: a ReLU unit whose inputs all fall at or below 0 outputs 0,
// gets a zero gradient, and "remains inactive eternally"; Leaky ReLU, PReLU
// and ELU resolve this. C9: the dying ReLU is a type of vanishing gradient.
// C1: ReLU's derivative is 1 for x > 0 and 0 otherwise; libraries disagree
// on f'(0), so the experiment offers both.
//
// Part 1, born dead (Lu et al. 2019): Monte Carlo over random He
// initialisations of nets with one input, H hidden layers of width N, zero
// biases. Two events are counted:
//   - dead at x = 1: some hidden layer outputs exactly zero on every unit at
//     the input x = 1, so the net's output does not depend on x near 1. With
//     zero biases and weights symmetric about 0, each layer given a non-zero
//     input has all N units inactive with probability 2^-N independently of
//     the layers before it, and a zero layer stays zero, so the probability
//     is exactly 1-(1-2^-N)^H. This is the formula the Monte Carlo checks.
//   - born dead: the last hidden layer's output is the same at every point of
//     a grid on [-1, 1], so the net is a constant function there. With zero
//     biases the net is positively homogeneous, so this is "dead at x = 1 and
//     at x = -1"; no closed form is drawn for it.
// One draw of an H_max-layer net answers both questions for every depth
// H <= H_max at once: its first H layers are distributed exactly like an
// H-layer net (the output layer plays no part in either event).
// Lu et al.'s randomized asymmetric initialisation is measured beside He as
// the remedy they propose.
//
// Part 2, killed in training: MNIST MLPs trained with plain SGD at learning
// rates from 0.001 to 1 and with negative initial biases as a second
// stressor. After every epoch each hidden unit is checked on every training
// example: dead (output exactly 0 on all of them) and, for any activation,
// would-be dead (pre-activation <= 0 on all of them: dead had the unit been
// a ReLU). Following every unit across epochs counts those that die and
// those that come back. During each epoch the training steps record how many
// entries of the back-propagated gradient dL/dz are exactly zero and which
// units received no gradient at all (C9), and how often a pre-activation is
// exactly 0, the only input at which f'(0) is ever used (C1).

// Config configures the dying experiment.
type Config struct {
	Variants []string `json:"variants" flag:"variant" help:"activations compared with relu (always run, as the reference); relu-d1 is relu with f'(0)=1"`

	BornWidths []int `json:"born_widths" flag:"born-widths" help:"widths N of the born-dead nets (one input, zero biases)"`
	BornDepths []int `json:"born_depths" flag:"born-depths" help:"depths H shown in the born-dead tables and heatmap; every depth up to the largest is measured"`
	BornInits  int   `json:"born_inits" flag:"born-inits" help:"random initialisations per width and variant (Monte Carlo)"`
	BornGrid   int   `json:"born_grid" flag:"born-grid" help:"points of the grid on [-1, 1] on which a born-dead net is constant (odd, so that 0 and 1 are on it)"`
	Asymmetric bool  `json:"asymmetric" flag:"asymmetric" help:"also measure Lu et al. 2019's randomized asymmetric initialisation (relu)"`

	LRs           []float64 `json:"lrs" flag:"lrs" help:"SGD learning rates"`
	Biases        []float64 `json:"biases" flag:"biases" help:"initial value of every hidden bias (negative values push units towards death)"`
	Width         int       `json:"width" flag:"width" help:"hidden width of the MNIST nets"`
	Depth         int       `json:"depth" flag:"depth" help:"hidden layers of the MNIST nets"`
	TrainExamples int       `json:"train_examples" flag:"train-examples" help:"MNIST training examples (the first ones); a unit is dead if it outputs 0 on every one of them"`
	TestExamples  int       `json:"test_examples" flag:"test-examples" help:"MNIST test examples evaluated"`
	Epochs        int       `json:"epochs" flag:"epochs" help:"training epochs"`
	Batch         int       `json:"batch" flag:"batch" help:"minibatch size"`
	Optimizer     string    `json:"optimizer" flag:"optimizer" help:"sgd, momentum or adam"`
	Seeds         int       `json:"seeds" flag:"seeds" help:"seeds per variant, learning rate and bias"`
}

func dyingDefaults(quick bool) *Config {
	c := &Config{
		Variants:   []string{"relu", "relu-d1", "leaky", "prelu", "elu", "twosided"},
		BornWidths: []int{2, 3, 4, 5, 10},
		BornDepths: []int{1, 2, 3, 5, 10, 20, 30, 50},
		BornInits:  2000,
		BornGrid:   21,
		Asymmetric: true,

		LRs:           []float64{0.001, 0.01, 0.1, 0.3, 1},
		Biases:        []float64{0, -0.25, -0.5},
		Width:         64,
		Depth:         3,
		TrainExamples: 6000,
		TestExamples:  5000,
		Epochs:        4,
		Batch:         64,
		Optimizer:     "sgd",
		Seeds:         5,
	}
	if quick {
		c.BornDepths = []int{1, 2, 5, 10, 20}
		c.BornInits = 300
		c.LRs = []float64{0.1, 1}
		c.Biases = []float64{0, -0.5}
		c.Width, c.Depth = 32, 2
		c.TrainExamples, c.TestExamples = 1000, 1000
		c.Epochs, c.Seeds = 2, 2
	}
	return c
}

// withReference puts relu first and drops repeats: every verdict compares
// against plain ReLU, so it is always run.
func withReference(variants []string) []string {
	out := []string{"relu"}
	for _, v := range variants {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// bornVariants lists the (variant, init) pairs of the born-dead part. The
// relu-d<v> variants are left out: f'(0) does not enter a forward pass.
func bornVariants(variants []string, asymmetric bool) [][2]string {
	var out [][2]string
	for _, v := range variants {
		if strings.HasPrefix(v, "relu-d") {
			continue
		}
		out = append(out, [2]string{v, kit.HeInit})
		if v == "relu" && asymmetric {
			out = append(out, [2]string{v, kit.AsymmetricInit})
		}
	}
	return out
}

func validateDying(c *Config) error {
	if len(c.Variants) == 0 {
		return fmt.Errorf("no variant given (valid: %s, or relu-d1)", strings.Join(model.Variants(), ", "))
	}
	for _, v := range c.Variants {
		if _, err := kit.VariantSpec(v); err != nil {
			return err
		}
	}
	if err := kit.CheckPositive("born-widths", c.BornWidths...); err != nil {
		return err
	}
	if err := kit.CheckPositive("born-depths", c.BornDepths...); err != nil {
		return err
	}
	if err := kit.CheckPositive("born-inits", c.BornInits); err != nil {
		return err
	}
	if c.BornGrid < 3 || c.BornGrid%2 == 0 {
		return fmt.Errorf("born-grid must be odd and at least 3 (so that -1, 0 and 1 are on the grid), got %d", c.BornGrid)
	}
	if len(c.LRs) == 0 {
		return fmt.Errorf("lrs: empty list")
	}
	for _, lr := range c.LRs {
		if _, err := model.NewOptimizer(c.Optimizer, lr); err != nil {
			return err
		}
	}
	if len(c.Biases) == 0 {
		return fmt.Errorf("biases: empty list")
	}
	for _, b := range c.Biases {
		if math.IsNaN(b) || math.IsInf(b, 0) {
			return fmt.Errorf("biases must be finite numbers, got %v", b)
		}
	}
	return kit.CheckPositive("width, depth, train-examples, test-examples, epochs, batch and seeds",
		c.Width, c.Depth, c.TrainExamples, c.TestExamples, c.Epochs, c.Batch, c.Seeds)
}

// bornFormula is 1-(1-2^-N)^H, the probability that a ReLU net of width N
// and H hidden layers, zero biases, is dead at a fixed input.
func bornFormula(width, depth int) float64 {
	return 1 - math.Pow(1-math.Pow(2, -float64(width)), float64(depth))
}

// dyingCell is one Monte Carlo batch ("born") or one training run ("train").
type dyingCell struct {
	Kind string        `json:"kind"`
	Born *kit.BornCell `json:"born,omitempty"`

	Variant       string  `json:"variant,omitempty"`
	LR            float64 `json:"lr,omitempty"`
	Bias          float64 `json:"bias,omitempty"`
	Seed          int     `json:"seed,omitempty"`
	Width         int     `json:"width,omitempty"`
	Depth         int     `json:"depth,omitempty"`
	TrainExamples int     `json:"train_examples,omitempty"`
	TestExamples  int     `json:"test_examples,omitempty"`
	Epochs        int     `json:"epochs,omitempty"`
	Batch         int     `json:"batch,omitempty"`
	Optimizer     string  `json:"optimizer,omitempty"`
}

func dyingCells(c *Config) []harness.Cell[dyingCell] {
	var cells []harness.Cell[dyingCell]
	variants := withReference(c.Variants)
	for _, b := range kit.BornCells("born", bornVariants(variants, c.Asymmetric), c.BornWidths, slices.Max(c.BornDepths), c.BornGrid, c.BornInits) {
		p := b.Params
		cells = append(cells, harness.Cell[dyingCell]{ID: b.ID, Params: dyingCell{Kind: "born", Born: &p}, Cost: b.Cost})
	}
	for _, v := range variants {
		for _, bias := range c.Biases {
			for _, lr := range c.LRs {
				for s := range c.Seeds {
					p := dyingCell{Kind: "train", Variant: v, LR: lr, Bias: bias, Seed: s, Width: c.Width, Depth: c.Depth,
						TrainExamples: c.TrainExamples, TestExamples: c.TestExamples, Epochs: c.Epochs, Batch: c.Batch, Optimizer: c.Optimizer}
					id := fmt.Sprintf("train/%s/w%d/d%d/n%d/e%d/b%d/%s-lr%g/bias%g/s%d", v, c.Width, c.Depth, c.TrainExamples, c.Epochs, c.Batch, c.Optimizer, lr, bias, s)
					// Training (forward and backward) plus one forward pass
					// over the training set per epoch for the unit probe.
					weights := float64(784*c.Width + (c.Depth-1)*c.Width*c.Width)
					cost := weights * float64(c.TrainExamples*c.Epochs) * 8
					cells = append(cells, harness.Cell[dyingCell]{ID: id, Params: p, Cost: cost})
				}
			}
		}
	}
	return cells
}

// dyingEpoch describes the hidden layers after one epoch (epoch 0: at
// initialisation). Slices have one entry per hidden layer; the gradient
// fields describe the epoch's training steps and are empty at epoch 0.
type dyingEpoch struct {
	Epoch int `json:"epoch"`
	// Dead: fraction of units that output exactly 0 on every training
	// example. WouldBeDead: fraction whose pre-activation is <= 0 on every
	// training example (equal to Dead for ReLU).
	Dead        []float64 `json:"dead"`
	WouldBeDead []float64 `json:"would_be_dead"`
	// Stuck: fraction of units whose output is the same on every training
	// example. A dead ReLU unit is stuck at 0; an ELU unit whose
	// pre-activation stays below about -37 is stuck at -alpha (exp(z) is
	// lost against 1) with a gradient of alpha*exp(z), as good as dead.
	Stuck []float64 `json:"stuck"`
	// ZeroPreact: fraction of pre-activation entries exactly 0 in the
	// epoch's steps, where f'(0) is used.
	ZeroPreact []float64 `json:"zero_preact,omitempty"`
	// ZeroGrad: fraction of entries of dL/dz exactly 0 in the epoch's steps.
	// NoGradUnits: fraction of units whose dL/dz was 0 in every step.
	ZeroGrad    []float64 `json:"zero_grad,omitempty"`
	NoGradUnits []float64 `json:"no_grad_units,omitempty"`
	// DeadBefore counts the units dead at the start of the epoch;
	// DeadBeforeNoGrad those of them that got no gradient in any step.
	DeadBefore       []int `json:"dead_before,omitempty"`
	DeadBeforeNoGrad []int `json:"dead_before_no_grad,omitempty"`
}

type dyingResult struct {
	Born   *kit.BornResult   `json:"born,omitempty"`
	Train  *kit.TrainOutcome `json:"train,omitempty"`
	Epochs []dyingEpoch      `json:"epochs,omitempty"`
	// Per hidden layer, each unit followed across the epochs' probes.
	Dead        []metrics.DeathCounts `json:"dead_history,omitempty"`
	WouldBeDead []metrics.DeathCounts `json:"would_be_dead_history,omitempty"`
}

func runDyingCell(ctx context.Context, env *harness.Env, p dyingCell, rng *rand.Rand) (dyingResult, error) {
	if p.Kind == "born" {
		b, err := kit.RunBornDead(ctx, *p.Born, rng)
		return dyingResult{Born: &b}, err
	}
	trainAll, testAll, err := env.MNIST()
	if err != nil {
		return dyingResult{}, err
	}
	train, test := kit.Head(trainAll, p.TrainExamples), kit.Head(testAll, p.TestExamples)
	spec, err := kit.VariantSpec(p.Variant)
	if err != nil {
		return dyingResult{}, err
	}
	net, err := model.NewMLP(model.MLPSpec{Inputs: train.Dim, Hidden: kit.RepeatInt(p.Width, p.Depth), Outputs: 10,
		Activation: spec, Init: model.Init{Scheme: model.HeNormal}, BiasInit: p.Bias}, rng)
	if err != nil {
		return dyingResult{}, err
	}
	w := newDeathWatch(net)
	out, err := kit.TrainClassifier(ctx, net, train, test, kit.TrainSpec{Epochs: p.Epochs, Batch: p.Batch, Optimizer: p.Optimizer, LR: p.LR}, rng,
		kit.TrainHooks{Probe: w.step, AfterEpoch: func(epoch int, n *model.Network) { w.epoch(epoch, n, train) }})
	if err != nil {
		return dyingResult{}, err
	}
	r := dyingResult{Train: &out, Epochs: w.epochs}
	for l := range w.dead {
		r.Dead = append(r.Dead, w.dead[l].Counts())
		r.WouldBeDead = append(r.WouldBeDead, w.wouldBe[l].Counts())
	}
	return r, nil
}

// deathWatch gathers the per-step gradient counts of an epoch and probes the
// units after it.
type deathWatch struct {
	layers, units              int
	zeroGrad, zeroPre, entries []int
	noGrad                     [][]bool
	steps                      int
	lastDead                   [][]bool
	dead, wouldBe              []*metrics.DeathHistory
	epochs                     []dyingEpoch
	probe                      unitFlags
}

func newDeathWatch(net *model.Network) *deathWatch {
	w := &deathWatch{layers: net.NumHidden(), units: net.Hidden(0).Units}
	w.zeroGrad, w.zeroPre, w.entries = make([]int, w.layers), make([]int, w.layers), make([]int, w.layers)
	for range w.layers {
		w.noGrad = append(w.noGrad, trueSlice(w.units))
		w.dead = append(w.dead, metrics.NewDeathHistory(w.units))
		w.wouldBe = append(w.wouldBe, metrics.NewDeathHistory(w.units))
	}
	w.probe = newUnitFlags(w.layers, w.units)
	return w
}

func trueSlice(n int) []bool {
	s := make([]bool, n)
	for i := range s {
		s[i] = true
	}
	return s
}

// step reads one training step's pre-activations and their gradients.
func (w *deathWatch) step(_ int, net *model.Network) {
	for l := range w.layers {
		h := net.Hidden(l)
		for i, g := range h.PreActivationGrad.Data {
			if g == 0 {
				w.zeroGrad[l]++
			}
			if h.PreActivation.Data[i] == 0 {
				w.zeroPre[l]++
			}
		}
		w.entries[l] += len(h.PreActivationGrad.Data)
		metrics.AndZeroColumns(h.PreActivationGrad, w.noGrad[l])
	}
	w.steps++
}

// epoch probes every unit on the training set and closes the epoch's
// gradient counts.
func (w *deathWatch) epoch(epoch int, net *model.Network, train *data.Set) {
	pr := &w.probe
	pr.measure(net, train, 1000)
	st := dyingEpoch{Epoch: epoch}
	frac := func(flags []bool) float64 { return float64(metrics.CountTrue(flags)) / float64(w.units) }
	for l := range w.layers {
		st.Dead = append(st.Dead, frac(pr.dead[l]))
		st.WouldBeDead = append(st.WouldBeDead, frac(pr.wouldBe[l]))
		st.Stuck = append(st.Stuck, frac(pr.stuck[l]))
		if epoch > 0 && w.steps > 0 {
			st.ZeroPreact = append(st.ZeroPreact, float64(w.zeroPre[l])/float64(w.entries[l]))
			st.ZeroGrad = append(st.ZeroGrad, float64(w.zeroGrad[l])/float64(w.entries[l]))
			st.NoGradUnits = append(st.NoGradUnits, float64(metrics.CountTrue(w.noGrad[l]))/float64(w.units))
			before, beforeNoGrad := 0, 0
			for j, d := range w.lastDead[l] {
				if d {
					before++
					if w.noGrad[l][j] {
						beforeNoGrad++
					}
				}
			}
			st.DeadBefore = append(st.DeadBefore, before)
			st.DeadBeforeNoGrad = append(st.DeadBeforeNoGrad, beforeNoGrad)
		}
		w.dead[l].Observe(pr.dead[l])
		w.wouldBe[l].Observe(pr.wouldBe[l])
	}
	w.epochs = append(w.epochs, st)
	// Start the next epoch's counts.
	w.lastDead = w.lastDead[:0]
	for l := range w.layers {
		w.lastDead = append(w.lastDead, slices.Clone(pr.dead[l]))
		w.zeroGrad[l], w.zeroPre[l], w.entries[l] = 0, 0, 0
		for j := range w.noGrad[l] {
			w.noGrad[l][j] = true
		}
	}
	w.steps = 0
}

// unitFlags says, per hidden layer and unit, what a pass over a data set
// found: dead (output exactly 0 on every example), stuck (the same output
// on every example) and would-be dead (pre-activation <= 0 on every
// example: dead had the unit been a ReLU).
type unitFlags struct {
	dead, stuck, wouldBe [][]bool
	first                [][]float64 // each activation column's value on the first example
	view                 model.Matrix
}

func newUnitFlags(layers, units int) unitFlags {
	var f unitFlags
	for range layers {
		f.dead, f.stuck, f.wouldBe = append(f.dead, make([]bool, units)), append(f.stuck, make([]bool, units)), append(f.wouldBe, make([]bool, units))
		f.first = append(f.first, nil)
	}
	return f
}

// measure runs set through net in evaluation mode, batch rows at a time.
// A unit owns the activation columns c with c % units == j (two for a
// two-sided unit), as in metrics.DeadUnitTracker.
func (f *unitFlags) measure(net *model.Network, set *data.Set, batch int) {
	for l := range f.dead {
		for j := range f.dead[l] {
			f.dead[l][j], f.stuck[l][j], f.wouldBe[l][j] = true, true, true
		}
		f.first[l] = f.first[l][:0]
	}
	x := kit.AsMatrix(set)
	f.view.Cols = x.Cols
	for start := 0; start < x.Rows; start += batch {
		end := min(start+batch, x.Rows)
		f.view.Rows, f.view.Data = end-start, x.Data[start*x.Cols:end*x.Cols]
		net.Forward(&f.view, false)
		for l := range f.dead {
			h := net.Hidden(l)
			units := len(f.dead[l])
			metrics.AndZeroColumns(h.Activation, f.dead[l])
			if len(f.first[l]) == 0 {
				f.first[l] = append(f.first[l], h.Activation.Row(0)...)
			}
			for i := 0; i < h.Activation.Rows; i++ {
				for c, v := range h.Activation.Row(i) {
					if v != f.first[l][c] {
						f.stuck[l][c%units] = false
					}
				}
			}
			for c, z := range h.PreActivation.Data {
				if z > 0 {
					f.wouldBe[l][c%units] = false
				}
			}
		}
	}
}

// Dying is the experiment for claims C1, C8 and C9.
func New() harness.Experiment { return harness.Register(definition()) }

// definition is the experiment written out: its configuration, cells, run
// and summary.
func definition() harness.Definition[Config, dyingCell, dyingResult] {
	return harness.Definition[Config, dyingCell, dyingResult]{
		Name:    "dying",
		Claims:  []string{"C1", "C8", "C9"},
		Summary: "dead ReLU units: born dead (Monte Carlo vs formula) and killed in training, per variant",
		Doc: `Part 1 (born dead, Lu et al. 2019): Monte Carlo over random He
initialisations of nets with one input, N units per hidden layer, H layers and
zero biases: the fraction with a hidden layer entirely zero at x = 1, against
the formula 1-(1-2^-N)^H, and the fraction whose output is constant on [-1, 1]
("born dead"); also Lu et al.'s randomized asymmetric initialisation.

Part 2 (killed in training): MNIST MLPs trained with SGD at learning rates
from 0.001 to 1 and with negative initial biases: the fraction of dead hidden
units (output 0 on every training example) per layer after every epoch, the
units that die and those that recover, the fraction of exactly-zero
back-propagated gradients (C9) and accuracy. Runs that diverge are recorded.

--variant adds activations to compare with relu, which always runs: any model
variant, and relu-d1, ReLU with f'(0) = 1 (claim C1). A variant that cannot
output exactly 0 reports 0 dead units and, for comparison, the fraction of its
units that would be dead under ReLU (pre-activation <= 0 on every example).`,
		Defaults:  dyingDefaults,
		Validate:  validateDying,
		Cells:     dyingCells,
		Run:       runDyingCell,
		Summarize: summarizeDying,
		Memory:    dyingMemory,
	}
}

type trainKey struct {
	variant  string
	lr, bias float64
}

// runStats reads one training run.
type runStats struct {
	diverged  bool
	dead      float64 // final fraction of dead hidden units, all layers pooled
	stuck     float64
	wouldBe   float64
	zeroGrad  float64 // last completed epoch, all layers pooled
	acc       float64 // final test accuracy; chance (0.1) if the run diverged
	completed int     // epochs completed
}

func readRun(r dyingResult) runStats {
	if len(r.Epochs) == 0 {
		// Non-finite already at initialisation: nothing was measured.
		nan := math.NaN()
		return runStats{diverged: true, dead: nan, stuck: nan, wouldBe: nan, zeroGrad: nan, acc: 0.1}
	}
	last := r.Epochs[len(r.Epochs)-1]
	s := runStats{diverged: r.Train.Diverged, dead: kit.Mean(last.Dead), stuck: kit.Mean(last.Stuck), wouldBe: kit.Mean(last.WouldBeDead), zeroGrad: math.NaN(),
		acc: r.Train.Final().TestAcc, completed: len(r.Epochs) - 1}
	if len(last.ZeroGrad) > 0 {
		s.zeroGrad = kit.Mean(last.ZeroGrad)
	}
	if s.diverged {
		s.acc = 0.1
	}
	return s
}

// seedMean averages f over the runs of the given settings separately for
// each seed, and returns the mean over seeds with its 95% CI, so that a
// verdict reading several settings at once still has its interval over
// seeds. Runs for which f reports false are left out.
func seedMean(trains map[trainKey][]dyingResult, keys []trainKey, f func(dyingResult) (float64, bool)) metrics.Estimate {
	sums, counts := map[int]float64{}, map[int]int{}
	seeds := 0
	for _, k := range keys {
		for s, r := range trains[k] {
			seeds = max(seeds, s+1)
			if v, ok := f(r); ok {
				sums[s] += v
				counts[s]++
			}
		}
	}
	var xs []float64
	for s := range seeds {
		if counts[s] > 0 {
			xs = append(xs, sums[s]/float64(counts[s]))
		}
	}
	return metrics.MeanCI(xs)
}

func allSettings(c *Config, variant string) []trainKey {
	var keys []trainKey
	for _, b := range c.Biases {
		for _, lr := range c.LRs {
			keys = append(keys, trainKey{variant, lr, b})
		}
	}
	return keys
}

// settingStats summarises the seeds of one (variant, lr, bias).
type settingStats struct {
	dead, stuck, wouldBe, zeroGrad, acc metrics.Estimate // all but acc over finished runs
	diverged, runs                      int
}

func summarizeSetting(runs []dyingResult) settingStats {
	var dead, stuck, would, zg, acc []float64
	st := settingStats{runs: len(runs)}
	for _, r := range runs {
		s := readRun(r)
		acc = append(acc, s.acc)
		if s.diverged {
			st.diverged++
			continue
		}
		dead, stuck, would, zg = append(dead, s.dead), append(stuck, s.stuck), append(would, s.wouldBe), append(zg, s.zeroGrad)
	}
	st.dead = metrics.MeanCI(dead).Clamp(0, 1)
	st.stuck = metrics.MeanCI(stuck).Clamp(0, 1)
	st.wouldBe = metrics.MeanCI(would).Clamp(0, 1)
	st.zeroGrad = metrics.MeanCI(zg).Clamp(0, 1)
	st.acc = metrics.MeanCI(acc).Clamp(0, 1)
	return st
}

func summarizeDying(c *Config, done []harness.Done[dyingCell, dyingResult]) (*result.Result, error) {
	born := map[kit.BornKey]*kit.BornResult{}
	trains := map[trainKey][]dyingResult{}
	for _, d := range done {
		if d.Params.Kind == "born" {
			b := d.Params.Born
			k := kit.BornKey{Variant: b.Variant, Init: b.Init, Width: b.Width}
			if born[k] == nil {
				born[k] = &kit.BornResult{}
			}
			born[k].Add(*d.Result.Born)
			continue
		}
		k := trainKey{d.Params.Variant, d.Params.LR, d.Params.Bias}
		trains[k] = append(trains[k], d.Result)
	}
	variants := withReference(c.Variants)
	res := &result.Result{}

	bornTables, bornRecords, bornFigs, bornVerdict, bornNotes := summarizeBornDead(c, variants, born)
	res.Tables = append(res.Tables, bornTables...)
	res.Records = append(res.Records, bornRecords)
	res.Figures = append(res.Figures, bornFigs...)
	res.Notes = append(res.Notes, bornNotes...)

	stats := map[trainKey]settingStats{}
	for k, runs := range trains {
		stats[k] = summarizeSetting(runs)
	}
	res.Tables = append(res.Tables, killedTable(c, variants, stats), recoveryTable(c, variants, trains))
	res.Records = append(res.Records, trainingRecords(c, variants, trains), recoveryRecords(c, variants, trains))
	res.Figures = append(res.Figures, deadVsLRFigure(c, variants, stats, trains), deadOverEpochsFigure(c, trains))

	res.Verdicts = append(res.Verdicts,
		bornVerdict,
		appearVerdict(c, stats),
		recoverVerdict(c, variants, trains),
		fixesVerdict(c, variants, stats, trains),
		vanishingGradientVerdict(c, variants, trains),
		derivAtZeroVerdict(c, variants, stats, trains))
	res.Notes = append(res.Notes,
		fmt.Sprintf("Dead means an output of exactly 0 on every one of the %d training examples the net is trained on (the first %d of MNIST's training set), checked after every epoch in evaluation mode.", c.TrainExamples, c.TrainExamples))
	if c.Optimizer == "sgd" {
		res.Notes = append(res.Notes, "Plain SGD: a first-layer unit that is dead on every training example gets no gradient and its inputs never change, so it cannot come back; a deeper unit can, when the layers below it change.")
	}
	res.Notes = append(res.Notes, "CS231n: \"as much as 40% of your network can be dead\" with too high a learning rate.")
	return res, nil
}

// Born dead.

func summarizeBornDead(c *Config, variants []string, born map[kit.BornKey]*kit.BornResult) ([]result.Table, result.Table, []result.Figure, result.Verdict, []string) {
	maxDepth := slices.Max(c.BornDepths)
	pairs := bornVariants(variants, c.Asymmetric)
	records := result.Table{Name: "born-dead", Columns: []string{"variant", "init", "width", "depth", "inits", "dead_at_x1", "constant_on_grid", "formula_dead_at_x1"}}
	for _, vi := range pairs {
		for _, w := range c.BornWidths {
			b := born[kit.BornKey{Variant: vi[0], Init: vi[1], Width: w}]
			for h := 1; h <= maxDepth; h++ {
				records.Rows = append(records.Rows, []string{vi[0], vi[1], kit.Itoa(w), kit.Itoa(h), kit.Itoa(b.Inits),
					kit.Itoa(b.DeadAtOne[h-1]), kit.Itoa(b.Constant[h-1]), kit.Ftoa(bornFormula(w, h))})
			}
		}
	}

	relu := func(w int) *kit.BornResult { return born[kit.BornKey{Variant: "relu", Init: kit.HeInit, Width: w}] }
	x1 := result.Table{Name: "born-dead-x1",
		Title:   "ReLU nets, He init, zero biases: fraction with a hidden layer entirely zero at x = 1, Monte Carlo [95% CI] (formula 1-(1-2^-N)^H)",
		Columns: append([]string{"width N"}, kit.DepthHeaders(c.BornDepths)...),
		Note:    fmt.Sprintf("%d random initialisations per width; one input, H hidden layers of N units.", c.BornInits)}
	grid := result.Table{Name: "born-dead-grid",
		Title:   fmt.Sprintf("Born dead: fraction of nets whose output is the same at all %d points of a grid on [-1, 1], Monte Carlo [95%% CI]", c.BornGrid),
		Columns: append([]string{"variant", "init", "width N"}, kit.DepthHeaders(c.BornDepths)...),
		Note:    "Zero biases for he-normal. A variant that never outputs exactly 0 cannot be constant: its row measures that it is not."}
	for _, w := range c.BornWidths {
		b := relu(w)
		row := []string{kit.Itoa(w)}
		for _, h := range c.BornDepths {
			e := metrics.ProportionCI(b.DeadAtOne[h-1], b.Inits)
			row = append(row, fmt.Sprintf("%s (%s)", kit.FmtEstimate(e, 3), kit.FmtFloat(bornFormula(w, h), 3)))
		}
		x1.Rows = append(x1.Rows, row)
	}
	for _, vi := range pairs {
		for _, w := range c.BornWidths {
			b := born[kit.BornKey{Variant: vi[0], Init: vi[1], Width: w}]
			row := []string{vi[0], vi[1], kit.Itoa(w)}
			for _, h := range c.BornDepths {
				row = append(row, kit.FmtEstimate(metrics.ProportionCI(b.Constant[h-1], b.Inits), 3))
			}
			grid.Rows = append(grid.Rows, row)
		}
	}

	// Heatmap: measured, formula, born dead; widths top to bottom.
	heat := func(title string, value func(w, h int) float64) result.Panel {
		hm := &result.Heatmap{Min: 0, Max: 1, Annotate: "%.2f"}
		for _, h := range c.BornDepths {
			hm.Cols = append(hm.Cols, kit.Itoa(h))
		}
		for _, w := range c.BornWidths {
			hm.Rows = append(hm.Rows, kit.Itoa(w))
			var row []float64
			for _, h := range c.BornDepths {
				row = append(row, value(w, h))
			}
			hm.Values = append(hm.Values, row)
		}
		return result.Panel{Kind: result.HeatmapPanel, Title: title, XLabel: "depth H (hidden layers)", YLabel: "width N", Heatmap: hm}
	}
	frac := func(k, n int) float64 { return float64(k) / float64(n) }
	heatFig := result.Figure{Name: "born-dead-heatmap", Title: "Deep narrow ReLU nets at initialisation (He init, zero biases)",
		Caption: fmt.Sprintf("Left: Monte Carlo fraction of %d nets per width with a hidden layer entirely zero at x = 1. Middle: the formula 1-(1-2^-N)^H. Right: fraction whose output is constant on [-1, 1] (born dead).", c.BornInits),
		Panels: []result.Panel{
			heat("dead at x = 1 (Monte Carlo)", func(w, h int) float64 { return frac(relu(w).DeadAtOne[h-1], relu(w).Inits) }),
			heat("formula 1-(1-2^-N)^H", func(w, h int) float64 { return bornFormula(w, h) }),
			heat("born dead: constant on [-1, 1]", func(w, h int) float64 { return frac(relu(w).Constant[h-1], relu(w).Inits) }),
		}}

	depths := make([]float64, maxDepth)
	for i := range depths {
		depths[i] = float64(i + 1)
	}
	propLine := func(label string, counts []int, n, style int) result.Line {
		ln := result.Line{Label: label, X: depths, Style: style}
		for _, k := range counts {
			e := metrics.ProportionCI(k, n)
			ln.Y, ln.Lo, ln.Hi = append(ln.Y, e.Mean), append(ln.Lo, e.Lo), append(ln.Hi, e.Hi)
		}
		return ln
	}
	atOne := result.Panel{Kind: result.LinePanel, Title: "dead at x = 1, He init", XLabel: "depth H (hidden layers)", YLabel: "fraction of nets", YMin: 0, YMax: 1}
	constant := result.Panel{Kind: result.LinePanel, Title: "born dead (constant on [-1, 1]), He init", XLabel: "depth H (hidden layers)", YLabel: "fraction of nets", YMin: 0, YMax: 1}
	rai := result.Panel{Kind: result.LinePanel, Title: "born dead, asymmetric init (Lu et al. 2019)", XLabel: "depth H (hidden layers)", YLabel: "fraction of nets", YMin: 0, YMax: 1}
	for i, w := range c.BornWidths {
		b := relu(w)
		atOne.Lines = append(atOne.Lines, propLine(fmt.Sprintf("N = %d", w), b.DeadAtOne, b.Inits, i))
		// One legend entry for all the dashed lines: they share the colour of their width.
		th := result.Line{X: depths, Theory: true, Style: i}
		if i == 0 {
			th.Label = "formula"
		}
		for _, h := range depths {
			th.Y = append(th.Y, bornFormula(w, int(h)))
		}
		atOne.Lines = append(atOne.Lines, th)
		constant.Lines = append(constant.Lines, propLine(fmt.Sprintf("N = %d", w), b.Constant, b.Inits, i))
		if r := born[kit.BornKey{Variant: "relu", Init: kit.AsymmetricInit, Width: w}]; r != nil {
			rai.Lines = append(rai.Lines, propLine(fmt.Sprintf("N = %d", w), r.Constant, r.Inits, i))
		}
	}
	lineFig := result.Figure{Name: "born-dead-by-depth", Title: "Born-dead ReLU nets by depth",
		Caption: "Monte Carlo fraction of nets with 95% Wilson band; dashed: the formula 1-(1-2^-N)^H, exact for the event \"a hidden layer is entirely zero at x = 1\" with zero biases. Born dead (constant on [-1, 1]) needs the net dead at x = -1 as well.",
		Panels:  []result.Panel{atOne, constant}}
	if len(rai.Lines) > 0 {
		lineFig.Panels = append(lineFig.Panels, rai)
	}

	var notes []string
	if r := born[kit.BornKey{Variant: "relu", Init: kit.AsymmetricInit, Width: c.BornWidths[0]}]; r != nil && relu(c.BornWidths[0]) != nil {
		w := c.BornWidths[0]
		notes = append(notes, fmt.Sprintf("Asymmetric init (Lu et al. 2019, as read here: N(0, 0.6007^2/fan_in) weights and bias, one of them per unit redrawn from Beta(2,1)): born-dead rate at width %d, depth %d is %.3f against %.3f under He init.",
			w, maxDepth, frac(r.Constant[maxDepth-1], r.Inits), frac(relu(w).Constant[maxDepth-1], relu(w).Inits)))
	}
	return []result.Table{x1, grid}, records, []result.Figure{heatFig, lineFig}, bornDeadVerdict(c, relu), notes
}

// The born-dead rule. Every (width, depth) cell of the table is a binomial
// count; the formula passes a cell if the exact two-sided binomial p-value
// of the count is at least 0.05 divided by the number of cells (Bonferroni:
// a correct formula then fails somewhere only 5% of the time). An exact test
// because near depth 30 at width 2 the formula is 0.9998 and the misses are
// a handful of rare events, where a normal z-score is far too strict.
// CONFIRMED if every cell passes and the narrowest, deepest nets are born
// dead (constant on [-1, 1]) at least half the time; REFUTED if more than
// 10% of the cells fail; MIXED otherwise.
func bornDeadVerdict(c *Config, relu func(int) *kit.BornResult) result.Verdict {
	cells := len(c.BornWidths) * len(c.BornDepths)
	alpha := 0.05 / float64(cells)
	v := result.Verdict{Claim: "C8",
		Statement: "deep narrow ReLU nets are born dead, as 1-(1-2^-N)^H predicts (Lu et al. 2019)",
		Rule: fmt.Sprintf("each of the %d (width, depth) cells passes if the exact two-sided binomial p-value of its Monte Carlo count of nets dead at x = 1, against the formula, is >= %.2g (5%% Bonferroni); "+
			"CONFIRMED if all pass and the narrowest, deepest nets are constant on [-1, 1] in at least half the draws; REFUTED if more than 10%% of the cells fail; MIXED otherwise", cells, alpha)}
	failed := 0
	worstP, worstAt := 2.0, ""
	for _, w := range c.BornWidths {
		b := relu(w)
		for _, h := range c.BornDepths {
			pv := metrics.BinomialPValue(b.DeadAtOne[h-1], b.Inits, bornFormula(w, h))
			if pv < alpha {
				failed++
			}
			if pv < worstP {
				worstP, worstAt = pv, fmt.Sprintf("N=%d, H=%d: %d of %d against %.4f", w, h, b.DeadAtOne[h-1], b.Inits, bornFormula(w, h))
			}
		}
	}
	nMin, hMax := slices.Min(c.BornWidths), slices.Max(c.BornDepths)
	deepNarrow := relu(nMin)
	bornDead := metrics.ProportionCI(deepNarrow.Constant[hMax-1], deepNarrow.Inits)
	for _, anchor := range [][2]int{{2, 10}, {10, 10}} {
		w, h := anchor[0], anchor[1]
		if slices.Contains(c.BornWidths, w) && h <= hMax {
			b := relu(w)
			v.Evidence = append(v.Evidence,
				result.Evidence{Name: fmt.Sprintf("dead at x = 1, N=%d, H=%d (formula %.4f)", w, h, bornFormula(w, h)), Estimate: metrics.ProportionCI(b.DeadAtOne[h-1], b.Inits)},
				result.Evidence{Name: fmt.Sprintf("born dead (constant on [-1, 1]), N=%d, H=%d", w, h), Estimate: metrics.ProportionCI(b.Constant[h-1], b.Inits)})
		}
	}
	v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("born dead (constant on [-1, 1]), N=%d, H=%d", nMin, hMax), Estimate: bornDead})
	switch {
	case float64(failed) > 0.1*float64(cells):
		v.Outcome = result.Refuted
	case failed == 0 && bornDead.Mean >= 0.5:
		v.Outcome = result.Confirmed
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("%d of %d cells agree with the formula (smallest p-value %.2g, at %s), and %.1f%% of width-%d, depth-%d nets are constant on [-1, 1] (Lu et al. 2019: over 90%% of width-2, depth-10 nets collapse, under 1%% at width 10).",
		cells-failed, cells, worstP, worstAt, 100*bornDead.Mean, nMin, hMax)
	return v
}

// Killed in training: tables.

func fmtLR(lr float64) string { return strconv.FormatFloat(lr, 'g', -1, 64) }

func killedTable(c *Config, variants []string, stats map[trainKey]settingStats) result.Table {
	t := result.Table{Name: "killed-by-lr",
		Title:   fmt.Sprintf("MNIST, %d hidden layers of %d, %s, %d epochs: hidden units after training, mean [95%% CI] over the seeds that did not diverge", c.Depth, c.Width, c.Optimizer, c.Epochs),
		Columns: []string{"variant", "bias", "lr", "dead", "stuck", "would-be dead", "zero dL/dz entries", "test accuracy", "diverged"},
		Note:    "Dead: output exactly 0 on every training example. Stuck: the same output on every training example (a dead ReLU unit is stuck at 0; an ELU unit can be stuck at -1). Would-be dead: pre-activation <= 0 on every training example (dead had the unit been a ReLU). Zero dL/dz entries: in the last epoch's training steps. Test accuracy counts a diverged run as chance (0.1)."}
	for _, v := range variants {
		for _, b := range c.Biases {
			for _, lr := range c.LRs {
				s := stats[trainKey{v, lr, b}]
				t.Rows = append(t.Rows, []string{v, kit.Ftoa(b), fmtLR(lr), kit.FmtEstimate(s.dead, 3), kit.FmtEstimate(s.stuck, 3), kit.FmtEstimate(s.wouldBe, 3),
					kit.FmtEstimate(s.zeroGrad, 3), kit.FmtEstimate(s.acc, 3), fmt.Sprintf("%d/%d", s.diverged, s.runs)})
			}
		}
	}
	return t
}

// sumCounts adds up the unit histories of runs, over all layers or layer l only.
func sumCounts(runs []dyingResult, wouldBe bool, layer int) metrics.DeathCounts {
	var total metrics.DeathCounts
	for _, r := range runs {
		hist := r.Dead
		if wouldBe {
			hist = r.WouldBeDead
		}
		for l, h := range hist {
			if layer < 0 || l == layer {
				total = total.Add(h)
			}
		}
	}
	return total
}

func recoveryTable(c *Config, variants []string, trains map[trainKey][]dyingResult) result.Table {
	t := result.Table{Name: "recovery",
		Title:   "Hidden units followed across epochs, summed over learning rates and seeds: dead / would-be dead",
		Columns: []string{"variant", "bias", "units", "ever dead", "dead at init", "killed in training", "recovered", "dead at end"},
		Note:    "Each cell: dead units / would-be-dead units (pre-activation <= 0 on every training example). Killed: alive after one epoch and dead after a later one. Recovered: dead after one epoch (or at init) and alive after a later one."}
	for _, v := range variants {
		for _, b := range c.Biases {
			var runs []dyingResult
			for _, lr := range c.LRs {
				runs = append(runs, trains[trainKey{v, lr, b}]...)
			}
			d, w := sumCounts(runs, false, -1), sumCounts(runs, true, -1)
			pair := func(a, b int) string { return fmt.Sprintf("%d / %d", a, b) }
			t.Rows = append(t.Rows, []string{v, kit.Ftoa(b), kit.Itoa(d.Units), pair(d.EverDead, w.EverDead), pair(d.DeadAtStart, w.DeadAtStart),
				pair(d.Killed, w.Killed), pair(d.Recovered, w.Recovered), pair(d.DeadAtEnd, w.DeadAtEnd)})
		}
	}
	return t
}

func trainingRecords(c *Config, variants []string, trains map[trainKey][]dyingResult) result.Table {
	t := result.Table{Name: "training", Columns: []string{"variant", "lr", "bias", "seed", "epoch", "layer", "dead", "stuck", "would_be_dead",
		"zero_preact", "zero_grad", "no_grad_units", "dead_before", "dead_before_no_grad", "train_loss", "test_acc", "diverged", "diverged_step"}}
	at := func(xs []float64, l int) string {
		if l < len(xs) {
			return kit.Ftoa(xs[l])
		}
		return ""
	}
	atInt := func(xs []int, l int) string {
		if l < len(xs) {
			return kit.Itoa(xs[l])
		}
		return ""
	}
	for _, v := range variants {
		for _, b := range c.Biases {
			for _, lr := range c.LRs {
				for seed, r := range trains[trainKey{v, lr, b}] {
					for i, e := range r.Epochs {
						ep := r.Train.Epochs[i]
						for l := range e.Dead {
							t.Rows = append(t.Rows, []string{v, fmtLR(lr), kit.Ftoa(b), kit.Itoa(seed), kit.Itoa(e.Epoch), kit.Itoa(l + 1), kit.Ftoa(e.Dead[l]), kit.Ftoa(e.Stuck[l]), kit.Ftoa(e.WouldBeDead[l]),
								at(e.ZeroPreact, l), at(e.ZeroGrad, l), at(e.NoGradUnits, l), atInt(e.DeadBefore, l), atInt(e.DeadBeforeNoGrad, l),
								kit.Ftoa(ep.TrainLoss), kit.Ftoa(ep.TestAcc), fmt.Sprint(r.Train.Diverged), kit.Itoa(r.Train.DivergedStep)})
						}
					}
				}
			}
		}
	}
	return t
}

func recoveryRecords(c *Config, variants []string, trains map[trainKey][]dyingResult) result.Table {
	t := result.Table{Name: "recovery", Columns: []string{"variant", "lr", "bias", "seed", "layer", "units",
		"ever_dead", "dead_at_init", "killed", "recovered", "dead_at_end",
		"would_ever", "would_at_init", "would_killed", "would_recovered", "would_at_end"}}
	for _, v := range variants {
		for _, b := range c.Biases {
			for _, lr := range c.LRs {
				for seed, r := range trains[trainKey{v, lr, b}] {
					for l := range r.Dead {
						d, w := r.Dead[l], r.WouldBeDead[l]
						t.Rows = append(t.Rows, []string{v, fmtLR(lr), kit.Ftoa(b), kit.Itoa(seed), kit.Itoa(l + 1), kit.Itoa(d.Units),
							kit.Itoa(d.EverDead), kit.Itoa(d.DeadAtStart), kit.Itoa(d.Killed), kit.Itoa(d.Recovered), kit.Itoa(d.DeadAtEnd),
							kit.Itoa(w.EverDead), kit.Itoa(w.DeadAtStart), kit.Itoa(w.Killed), kit.Itoa(w.Recovered), kit.Itoa(w.DeadAtEnd)})
					}
				}
			}
		}
	}
	return t
}

// Killed in training: figures.

func deadVsLRFigure(c *Config, variants []string, stats map[trainKey]settingStats, trains map[trainKey][]dyingResult) result.Figure {
	fig := result.Figure{Name: "dead-vs-lr", Title: fmt.Sprintf("Hidden units after %d epochs of SGD on MNIST, by learning rate", c.Epochs),
		Caption: "Mean over the seeds that did not diverge, with 95% CI band. Top: units with the same output on every training example (for ReLU exactly the dead units, output 0; an ELU unit can be stuck at -1). Middle: units whose pre-activation is <= 0 on every training example. Crosses mark settings where at least one seed diverged (NaN/Inf), placed at the mean of the others (at 0 if none finished). Columns: initial bias of every hidden unit.",
		Columns: len(c.Biases)}
	rows := []struct {
		label string
		get   func(settingStats) metrics.Estimate
	}{
		{"dead or stuck fraction", func(s settingStats) metrics.Estimate { return s.stuck }},
		{"would-be-dead fraction", func(s settingStats) metrics.Estimate { return s.wouldBe }},
		{"test accuracy", func(s settingStats) metrics.Estimate { return s.acc }},
	}
	for _, row := range rows {
		for _, b := range c.Biases {
			pn := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("bias %g", b), XLabel: "learning rate", YLabel: row.label, LogX: true, YMin: 0, YMax: 1}
			for vi, v := range variants {
				ln := result.Line{Label: v, Points: true, Style: vi}
				for _, lr := range c.LRs {
					s := stats[trainKey{v, lr, b}]
					e := row.get(s)
					ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, lr), append(ln.Y, e.Mean), append(ln.Lo, e.Lo), append(ln.Hi, e.Hi)
					if s.diverged > 0 {
						y := e.Mean
						if math.IsNaN(y) {
							y = 0
						}
						pn.Markers = append(pn.Markers, result.Marker{Label: "some seeds diverged", X: lr, Y: y, Style: vi})
					}
				}
				pn.Lines = append(pn.Lines, ln)
			}
			fig.Panels = append(fig.Panels, pn)
		}
	}
	return fig
}

// deadOverEpochsFigure follows ReLU's dead fraction per layer, and the
// zero-gradient fraction, epoch by epoch.
func deadOverEpochsFigure(c *Config, trains map[trainKey][]dyingResult) result.Figure {
	fig := result.Figure{Name: "dead-over-epochs", Title: "ReLU: dead units per layer and zero gradients, epoch by epoch",
		Caption: "Mean over seeds with 95% CI band; a diverged run stops contributing after its last completed epoch. Epoch 0 is initialisation. Last row: fraction of entries of dL/dz exactly zero in the epoch's training steps, all hidden layers. Columns: initial bias.",
		Columns: len(c.Biases)}
	epochLine := func(label string, style int, runs []dyingResult, get func(dyingEpoch) (float64, bool)) result.Line {
		ln := result.Line{Label: label, Points: true, Style: style}
		for e := 0; e <= c.Epochs; e++ {
			var xs []float64
			for _, r := range runs {
				if e < len(r.Epochs) {
					if v, ok := get(r.Epochs[e]); ok {
						xs = append(xs, v)
					}
				}
			}
			if len(xs) == 0 {
				continue
			}
			est := metrics.MeanCI(xs).Clamp(0, 1)
			ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, float64(e)), append(ln.Y, est.Mean), append(ln.Lo, est.Lo), append(ln.Hi, est.Hi)
		}
		return ln
	}
	for l := 0; l <= c.Depth; l++ {
		for _, b := range c.Biases {
			label := fmt.Sprintf("dead, layer %d", l+1)
			if l == c.Depth {
				label = "zero dL/dz entries"
			}
			pn := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("bias %g", b), XLabel: "epoch", YLabel: label, YMin: 0, YMax: 1}
			for i, lr := range c.LRs {
				runs := trains[trainKey{"relu", lr, b}]
				get := func(e dyingEpoch) (float64, bool) { return e.Dead[l], true }
				if l == c.Depth {
					get = func(e dyingEpoch) (float64, bool) { return kit.Mean(e.ZeroGrad), len(e.ZeroGrad) > 0 }
				}
				pn.Lines = append(pn.Lines, epochLine("lr "+fmtLR(lr), i, runs, get))
			}
			fig.Panels = append(fig.Panels, pn)
		}
	}
	return fig
}

// Killed in training: verdicts.

// The bias the learning-rate rules read: 0 if measured, else the one
// closest to 0.
func referenceBias(c *Config) float64 {
	best := c.Biases[0]
	for _, b := range c.Biases {
		if math.Abs(b) < math.Abs(best) {
			best = b
		}
	}
	return best
}

// "Dead units appear at high learning rates": on ReLU at the reference
// bias, the dead fraction at the highest learning rate where at least two
// seeds finished, against the lowest learning rate.
func appearVerdict(c *Config, stats map[trainKey]settingStats) result.Verdict {
	bias := referenceBias(c)
	lrs := slices.Sorted(slices.Values(c.LRs))
	v := result.Verdict{Claim: "C8",
		Statement: "ReLU units die when the learning rate is too high",
		Rule: fmt.Sprintf("ReLU, bias %g: let lo be the lowest learning rate and hi the highest at which at least 2 seeds did not diverge; on the final dead fraction, "+
			"CONFIRMED if hi's mean is >= 0.05 and its 95%% CI lies above lo's; REFUTED if no learning rate leaves a mean of more than 1%% of units dead; MIXED otherwise", bias)}
	lo := stats[trainKey{"relu", lrs[0], bias}]
	hiLR := math.NaN()
	var hi settingStats
	maxDead, maxLR := 0.0, lrs[0]
	var divergedAbove []string
	for _, lr := range lrs {
		s := stats[trainKey{"relu", lr, bias}]
		if s.runs-s.diverged >= 2 {
			hiLR, hi = lr, s
		}
		if s.dead.N > 0 && s.dead.Mean > maxDead {
			maxDead, maxLR = s.dead.Mean, lr
		}
	}
	for _, lr := range lrs {
		if s := stats[trainKey{"relu", lr, bias}]; lr > hiLR && s.diverged > 0 {
			divergedAbove = append(divergedAbove, fmt.Sprintf("%d/%d diverged at lr %s", s.diverged, s.runs, fmtLR(lr)))
		}
	}
	if math.IsNaN(hiLR) || hiLR == lrs[0] {
		v.Outcome = result.Mixed
		v.Why = "Fewer than two learning rates had at least two ReLU seeds that did not diverge, so the rule cannot be applied."
		return v
	}
	v.Evidence = []result.Evidence{
		{Name: fmt.Sprintf("relu dead fraction, lr %s", fmtLR(lrs[0])), Estimate: lo.dead},
		{Name: fmt.Sprintf("relu dead fraction, lr %s", fmtLR(hiLR)), Estimate: hi.dead},
		{Name: fmt.Sprintf("relu test accuracy, lr %s", fmtLR(hiLR)), Estimate: hi.acc},
		{Name: fmt.Sprintf("relu runs diverged, lr %s", fmtLR(hiLR)), Estimate: metrics.ProportionCI(hi.diverged, hi.runs)},
	}
	switch {
	case hi.dead.Mean >= 0.05 && hi.dead.Lo > lo.dead.Hi:
		v.Outcome = result.Confirmed
	case maxDead <= 0.01:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("At lr %s %.1f%% of ReLU units ended dead against %.1f%% at lr %s (most: %.1f%% at lr %s)",
		fmtLR(hiLR), 100*hi.dead.Mean, 100*lo.dead.Mean, fmtLR(lrs[0]), 100*maxDead, fmtLR(maxLR))
	if len(divergedAbove) > 0 {
		v.Why += "; above it runs diverged instead (" + strings.Join(divergedAbove, ", ") + ")"
	}
	v.Why += "."
	return v
}

// "Dead units never recover": every ReLU unit (f'(0) = 0 or not) that was
// dead after some epoch, or at initialisation, and whether it was alive
// after a later one.
func recoverVerdict(c *Config, variants []string, trains map[trainKey][]dyingResult) result.Verdict {
	v := result.Verdict{Claim: "C8",
		Statement: "dead ReLU units never recover",
		Rule: "over every ReLU run (all learning rates, biases, seeds and layers), the share of units dead at some probe (init or after an epoch) that were alive at a later one, with its 95% Wilson interval: " +
			"CONFIRMED if the upper bound is below 0.01; REFUTED if the lower bound is above 0.05; MIXED otherwise, or if fewer than 10 units ever died"}
	var runs []dyingResult
	for _, name := range variants {
		spec, _ := kit.VariantSpec(name)
		if !spec.CanDie() {
			continue
		}
		for _, b := range c.Biases {
			for _, lr := range c.LRs {
				runs = append(runs, trains[trainKey{name, lr, b}]...)
			}
		}
	}
	all, first := sumCounts(runs, false, -1), sumCounts(runs, false, 0)
	deeper := metrics.DeathCounts{}
	for l := 1; l < c.Depth; l++ {
		deeper = deeper.Add(sumCounts(runs, false, l))
	}
	share := metrics.ProportionCI(all.Recovered, all.EverDead)
	v.Evidence = []result.Evidence{
		{Name: fmt.Sprintf("share of dead ReLU units that recovered (%d of %d)", all.Recovered, all.EverDead), Estimate: share},
		{Name: fmt.Sprintf("first hidden layer (%d of %d)", first.Recovered, first.EverDead), Estimate: metrics.ProportionCI(first.Recovered, first.EverDead)},
		{Name: fmt.Sprintf("deeper layers (%d of %d)", deeper.Recovered, deeper.EverDead), Estimate: metrics.ProportionCI(deeper.Recovered, deeper.EverDead)},
		{Name: fmt.Sprintf("units killed during training (%d of %d)", all.Killed, all.Units), Estimate: metrics.ProportionCI(all.Killed, all.Units)},
	}
	switch {
	case all.EverDead < 10:
		v.Outcome = result.Mixed
		v.Why = fmt.Sprintf("Only %d ReLU units were ever dead, too few to tell.", all.EverDead)
		return v
	case share.Hi < 0.01:
		v.Outcome = result.Confirmed
	case share.Lo > 0.05:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("%d of %d dead ReLU units (%.1f%%) were alive again after a later epoch: %d of %d in the first hidden layer, %d of %d in deeper layers, which can revive when the layers below them change.",
		all.Recovered, all.EverDead, 100*share.Mean, first.Recovered, first.EverDead, deeper.Recovered, deeper.EverDead)
	return v
}

// "Leaky ReLU, PReLU and ELU fix dying": at the settings where ReLU lost at
// least 5% of its units, each of them must have no dead units, train at
// least as well as ReLU on average, and diverge no more often.
func fixesVerdict(c *Config, variants []string, stats map[trainKey]settingStats, trains map[trainKey][]dyingResult) result.Verdict {
	v := result.Verdict{Claim: "C8",
		Statement: "Leaky ReLU, PReLU and ELU prevent dead units",
		Rule: "stress settings: (learning rate, bias) where ReLU's mean final dead fraction is >= 0.05. CONFIRMED if each of leaky, prelu, elu (those run) ends no finished run with a stuck unit " +
			"(the same output on every training example, as a dead ReLU unit is stuck at 0), and at the stress settings its mean test accuracy (diverged runs at chance) is >= ReLU's and it diverged in no more runs than ReLU; " +
			"REFUTED if one of them ends a run with stuck units; " +
			"MIXED otherwise, or if ReLU lost fewer than 5% of its units everywhere"}
	var fixes []string
	for _, name := range variants {
		if name == "leaky" || name == "prelu" || name == "elu" {
			fixes = append(fixes, name)
		}
	}
	if len(fixes) == 0 {
		v.Outcome = result.Mixed
		v.Why = "None of leaky, prelu and elu was run (add them with --variant)."
		return v
	}
	if len(fixes) < 3 {
		v.Statement += " (tested: " + strings.Join(fixes, ", ") + ")"
	}
	var stress []trainKey
	for _, k := range allSettings(c, "relu") {
		if s := stats[k]; s.dead.N > 0 && s.dead.Mean >= 0.05 {
			stress = append(stress, k)
		}
	}
	if len(stress) == 0 {
		v.Outcome = result.Mixed
		v.Why = "ReLU lost fewer than 5% of its units at every learning rate and bias, so there was no dying to prevent."
		return v
	}
	finalDead := func(r dyingResult) (float64, bool) { s := readRun(r); return s.dead, !s.diverged }
	finalStuck := func(r dyingResult) (float64, bool) { s := readRun(r); return s.stuck, !s.diverged }
	finalAcc := func(r dyingResult) (float64, bool) { return readRun(r).acc, true }
	pooled := func(name string) (dead, acc metrics.Estimate, diverged, runs int) {
		keys := make([]trainKey, len(stress))
		for i, k := range stress {
			keys[i] = trainKey{name, k.lr, k.bias}
			diverged += stats[keys[i]].diverged
			runs += stats[keys[i]].runs
		}
		get := finalDead
		if name != "relu" {
			get = finalStuck
		}
		return seedMean(trains, keys, get).Clamp(0, 1), seedMean(trains, keys, finalAcc).Clamp(0, 1), diverged, runs
	}
	reluDead, reluAcc, reluDiv, reluRuns := pooled("relu")
	v.Evidence = append(v.Evidence,
		result.Evidence{Name: fmt.Sprintf("relu dead fraction at the %d stress settings", len(stress)), Estimate: reluDead},
		result.Evidence{Name: "relu test accuracy at the stress settings", Estimate: reluAcc},
		result.Evidence{Name: "relu runs diverged at the stress settings", Estimate: metrics.ProportionCI(reluDiv, reluRuns)})
	anyDead, allBetter := false, true
	var parts, stuckAt []string
	for _, f := range fixes {
		dead, acc, div, runs := pooled(f)
		v.Evidence = append(v.Evidence,
			result.Evidence{Name: f + " stuck fraction at the stress settings", Estimate: dead},
			result.Evidence{Name: f + " test accuracy at the stress settings", Estimate: acc},
			result.Evidence{Name: f + " runs diverged at the stress settings", Estimate: metrics.ProportionCI(div, runs)})
		stuckRuns := 0
		var stuckLRs []float64
		for _, k := range allSettings(c, f) {
			for _, r := range trains[k] {
				if d, ok := finalStuck(r); ok && d > 0 {
					stuckRuns++
					if !slices.Contains(stuckLRs, k.lr) {
						stuckLRs = append(stuckLRs, k.lr)
					}
				}
			}
		}
		if stuckRuns > 0 {
			anyDead = true
			slices.Sort(stuckLRs)
			lrs := make([]string, len(stuckLRs))
			for i, lr := range stuckLRs {
				lrs[i] = fmtLR(lr)
			}
			stuckAt = append(stuckAt, fmt.Sprintf("%s in %d runs (lr %s)", f, stuckRuns, strings.Join(lrs, ", ")))
		}
		if !(acc.Mean >= reluAcc.Mean) || div > reluDiv {
			allBetter = false
		}
		parts = append(parts, fmt.Sprintf("%s %.3f (%d/%d diverged)", f, acc.Mean, div, runs))
	}
	switch {
	case anyDead:
		v.Outcome = result.Refuted
	case allBetter:
		v.Outcome = result.Confirmed
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("Where ReLU ended with %.0f%% dead units (%d settings; test accuracy %.3f, %d/%d runs diverged), %s reached test accuracy %s",
		100*reluDead.Mean, len(stress), reluAcc.Mean, reluDiv, reluRuns, strings.Join(fixes, ", "), strings.Join(parts, ", "))
	if len(stuckAt) > 0 {
		v.Why += "; but units ended stuck at a constant output, as dead as ReLU's, for " + strings.Join(stuckAt, " and ") + "."
	} else {
		v.Why += ", with no unit dead or stuck."
	}
	return v
}

// "A dead unit is a form of vanishing gradient" (C9): the ReLU units
// (f'(0) = 0) that were dead at the start of an epoch, and whether they
// then received exactly zero gradient at every step of it.
func vanishingGradientVerdict(c *Config, variants []string, trains map[trainKey][]dyingResult) result.Verdict {
	v := result.Verdict{Claim: "C9",
		Statement: "dying is a vanishing gradient: a dead ReLU unit receives exactly zero gradient over the following epoch",
		Rule: "ReLU with f'(0) = 0, every run, layer and epoch: of the units dead at the start of an epoch, the share whose dL/dz was exactly 0 at every training step of that epoch (95% Wilson interval). " +
			"CONFIRMED if its lower bound is >= 0.95; REFUTED if its mean is below 0.5; MIXED otherwise, or if fewer than 10 dead units were observed"}
	var dead, noGrad int
	for _, k := range allSettings(c, "relu") {
		for _, r := range trains[k] {
			for _, e := range r.Epochs {
				for l := range e.DeadBefore {
					dead += e.DeadBefore[l]
					noGrad += e.DeadBeforeNoGrad[l]
				}
			}
		}
	}
	// Per run, the mean over its trained epochs; then per seed over settings.
	overEpochs := func(get func(r dyingResult, e int) float64) func(dyingResult) (float64, bool) {
		return func(r dyingResult) (float64, bool) {
			var xs []float64
			for e := 1; e < len(r.Epochs); e++ {
				xs = append(xs, get(r, e))
			}
			return kit.Mean(xs), len(xs) > 0
		}
	}
	keys := allSettings(c, "relu")
	deadFrac := seedMean(trains, keys, overEpochs(func(r dyingResult, e int) float64 { return kit.Mean(r.Epochs[e-1].Dead) })).Clamp(0, 1)
	noGradFrac := seedMean(trains, keys, overEpochs(func(r dyingResult, e int) float64 { return kit.Mean(r.Epochs[e].NoGradUnits) })).Clamp(0, 1)
	zeroEntries := seedMean(trains, keys, overEpochs(func(r dyingResult, e int) float64 { return kit.Mean(r.Epochs[e].ZeroGrad) })).Clamp(0, 1)
	share := metrics.ProportionCI(noGrad, dead)
	v.Evidence = []result.Evidence{
		{Name: fmt.Sprintf("share of dead units with zero gradient throughout the next epoch (%d of %d)", noGrad, dead), Estimate: share},
		{Name: "fraction of units dead at the start of an epoch", Estimate: deadFrac},
		{Name: "fraction of units with zero gradient throughout an epoch", Estimate: noGradFrac},
		{Name: "fraction of dL/dz entries exactly zero", Estimate: zeroEntries},
	}
	switch {
	case dead < 10:
		v.Outcome = result.Mixed
		v.Why = fmt.Sprintf("Only %d dead ReLU units were observed at the start of an epoch, too few to tell.", dead)
		return v
	case share.Lo >= 0.95:
		v.Outcome = result.Confirmed
	case share.Mean < 0.5:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("%d of %d units dead at the start of an epoch (%.1f%%) received exactly zero gradient at every step of it; on average %.1f%% of units were dead and %.1f%% got no gradient all epoch, while %.1f%% of individual gradient entries were zero.",
		noGrad, dead, 100*share.Mean, 100*deadFrac.Mean, 100*noGradFrac.Mean, 100*zeroEntries.Mean)
	return v
}

// C1: ReLU with f'(0) = 0 against f'(0) = v != 0, setting by setting.
func derivAtZeroVerdict(c *Config, variants []string, stats map[trainKey]settingStats, trains map[trainKey][]dyingResult) result.Verdict {
	v := result.Verdict{Claim: "C1",
		Statement: "the value taken for ReLU's f'(0) does not change how many units die",
		Rule: "for every (learning rate, bias) with at least 2 finished seeds of both relu and relu-d<v>: CONFIRMED if no setting has disjoint 95% CIs of the final dead fraction; " +
			"REFUTED if some setting has disjoint CIs and means more than 0.05 apart; MIXED otherwise"}
	other := ""
	for _, name := range variants {
		if spec, _ := kit.VariantSpec(name); spec.Name == "relu" && spec.ReLUDerivAtZero != 0 {
			other = name
			break
		}
	}
	if other == "" {
		v.Outcome = result.Mixed
		v.Why = "No relu-d<v> variant with f'(0) != 0 was run (add relu-d1 with --variant)."
		return v
	}
	disjoint, farApart, compared := 0, 0, 0
	for _, b := range c.Biases {
		for _, lr := range c.LRs {
			a, o := stats[trainKey{"relu", lr, b}], stats[trainKey{other, lr, b}]
			if a.dead.N < 2 || o.dead.N < 2 {
				continue
			}
			compared++
			if a.dead.Hi < o.dead.Lo || o.dead.Hi < a.dead.Lo {
				disjoint++
				if math.Abs(a.dead.Mean-o.dead.Mean) > 0.05 {
					farApart++
				}
			}
		}
	}
	finalDead := func(r dyingResult) (float64, bool) { s := readRun(r); return s.dead, !s.diverged }
	zeroPre := func(r dyingResult) (float64, bool) {
		var xs []float64
		for _, e := range r.Epochs {
			if len(e.ZeroPreact) > 0 {
				xs = append(xs, kit.Mean(e.ZeroPreact))
			}
		}
		return kit.Mean(xs), len(xs) > 0
	}
	zp := seedMean(trains, allSettings(c, other), zeroPre)
	v.Evidence = []result.Evidence{
		{Name: "relu final dead fraction, all settings", Estimate: seedMean(trains, allSettings(c, "relu"), finalDead).Clamp(0, 1)},
		{Name: other + " final dead fraction, all settings", Estimate: seedMean(trains, allSettings(c, other), finalDead).Clamp(0, 1)},
		{Name: other + ": fraction of pre-activations exactly 0 in training steps (where f'(0) is used)", Estimate: zp},
	}
	switch {
	case compared == 0:
		v.Outcome = result.Mixed
		v.Why = "No setting had two finished seeds of both, so the rule cannot be applied."
		return v
	case disjoint == 0:
		v.Outcome = result.Confirmed
	case farApart > 0:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("In %d of %d settings the dead fractions of relu and %s have disjoint 95%% CIs; a pre-activation was exactly 0, the only place f'(0) enters, in a fraction %.2g of training-step entries.",
		disjoint, compared, other, zp.Mean)
	return v
}

// dyingMemory bounds a cell's memory: one MNIST net (the born-dead nets
// are tiny).
func dyingMemory(c *Config) (perCell, shared int64) {
	return kit.MLPBytes(784, kit.RepeatInt(c.Width, c.Depth), 10, c.Batch), kit.MNISTBytes
}
