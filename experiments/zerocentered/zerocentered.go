package zerocentered

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// Experiment "zerocentered": claim C6.
//
// The blog: ReLU's outputs, like sigmoid's, are never negative, and "this
// property forces all weights connecting to a neuron to move the same
// direction" (the zig-zag argument of the CS231n notes; LeCun et al. 1998,
// "Efficient BackProp", centre the inputs and prefer tanh to the logistic
// function for this reason). The gradient of a unit's incoming weights is
// sum_i x_i dL/dz_i over the batch: from one example, with every x >= 0,
// all its components share the sign of dL/dz. Over a batch, examples whose
// dL/dz differ in sign mix.
//
// Part 1 counts, during the first steps of training a small MNIST MLP, the
// fraction of updates in which all incoming weight-gradient components of a
// unit share a sign: for the second hidden layer, fed by the first layer's
// activations (sigmoid or ReLU: non-negative; tanh, ELU, sigmoid minus 1/2:
// both signs), and for the first, fed by the pixels (raw in [0, 1], or
// standardised), for several batch sizes.
//
// Part 2 measures the consequence: steps of minibatch SGD until the running
// training loss reaches a target, for uncentred and centred pairs (sigmoid
// against sigmoid minus 1/2 and against tanh; ReLU against ELU; raw against
// standardised inputs), each arm at its best learning rate from a grid.
//
// Part 3 draws the zig-zag: one linear unit with two weights, trained by
// SGD one example at a time on a noise-free target whose optimum needs one
// weight to rise and the other to fall, with non-negative inputs against
// centred inputs of the same second moment.

// Config configures the zerocentered experiment.
type Config struct {
	Variants  []string `json:"variants" flag:"variant" help:"activations whose outputs feed the measured layer (any model variant, or sigmoid-centred: sigmoid minus 1/2)"`
	Inputs    []string `json:"inputs" flag:"inputs" help:"input preprocessing: raw (pixels in [0, 1]) and/or std (standardised per pixel)"`
	Batches   []int    `json:"batches" flag:"batches" help:"batch sizes at which the signs are counted"`
	SignSteps int      `json:"sign_steps" flag:"sign-steps" help:"training steps over which the signs are counted"`
	SignLR    float64  `json:"sign_lr" flag:"sign-lr" help:"learning rate of those steps"`
	Width     int      `json:"width" flag:"width" help:"width of the two hidden layers"`
	Init      string   `json:"init" flag:"init" help:"weight initialiser"`
	Seeds     int      `json:"seeds" flag:"seeds" help:"seeds per configuration"`

	Arms          []string  `json:"arms" flag:"arms" help:"activation/inputs pairs trained to the target loss, e.g. sigmoid/raw,tanh/std"`
	LRs           []float64 `json:"lrs" flag:"lrs" help:"learning rates tried for each arm (each arm is judged at its best)"`
	TargetLoss    float64   `json:"target_loss" flag:"target-loss" help:"training loss to reach"`
	Window        int       `json:"window" flag:"window" help:"steps in the running mean of the training loss compared with the target"`
	MaxSteps      int       `json:"max_steps" flag:"max-steps" help:"steps after which a run that has not reached the target stops"`
	TrainExamples int       `json:"train_examples" flag:"train-examples" help:"MNIST training examples used"`
	TrainBatch    int       `json:"train_batch" flag:"train-batch" help:"training minibatch size"`
	Optimizer     string    `json:"optimizer" flag:"optimizer" help:"sgd, momentum or adam"`
	TrainSeeds    int       `json:"train_seeds" flag:"train-seeds" help:"seeds per arm and learning rate (0 skips part 2)"`

	PathSteps int     `json:"path_steps" flag:"path-steps" help:"one-example SGD steps of the two-weight unit"`
	PathLR    float64 `json:"path_lr" flag:"path-lr" help:"learning rate of the two-weight unit"`
	PathSeeds int     `json:"path_seeds" flag:"path-seeds" help:"seeds of the two-weight unit (0 skips part 3)"`
}

func zerocenteredDefaults(quick bool) *Config {
	c := &Config{
		Variants:  []string{"sigmoid", "relu", "sigmoid-centred", "tanh", "elu"},
		Inputs:    []string{"raw", "std"},
		Batches:   []int{1, 8, 32, 128},
		SignSteps: 50,
		SignLR:    0.01,
		Width:     64,
		Init:      string(model.XavierNormal),
		Seeds:     5,

		Arms:          []string{"sigmoid/raw", "sigmoid-centred/raw", "tanh/raw", "relu/raw", "elu/raw", "tanh/std", "relu/std"},
		LRs:           []float64{0.1, 0.3, 1, 3},
		TargetLoss:    0.3,
		Window:        20,
		MaxSteps:      1000,
		TrainExamples: 5000,
		TrainBatch:    32,
		Optimizer:     "sgd",
		TrainSeeds:    5,

		PathSteps: 200,
		PathLR:    0.3,
		PathSeeds: 10,
	}
	if quick {
		c.Variants = []string{"sigmoid", "relu", "tanh"}
		c.Batches = []int{1, 32}
		c.SignSteps, c.Width, c.Seeds = 10, 32, 2
		c.Arms = []string{"sigmoid/raw", "tanh/raw", "tanh/std"}
		c.LRs = []float64{0.3, 1}
		c.TargetLoss, c.MaxSteps, c.TrainExamples, c.TrainSeeds = 1.5, 150, 2000, 2
		c.PathSteps, c.PathSeeds = 100, 3
	}
	return c
}

// The activation zerocentered offers besides the model's variants.
const centredSigmoidName = "sigmoid-centred"

// centredSigmoid is sigmoid(z) - 1/2, which is tanh(z/2)/2: the logistic
// function moved down to be zero-centred, with the same slope. Against
// sigmoid it isolates centring; against tanh, whose slope at 0 is four
// times larger, it separates centring from gain.
type centredSigmoid struct{}

func (centredSigmoid) Name() string            { return centredSigmoidName }
func (centredSigmoid) Value(z float64) float64 { return model.Sigmoid{}.Value(z) - 0.5 }
func (centredSigmoid) Deriv(z float64) float64 { return model.Sigmoid{}.Deriv(z) }
func (centredSigmoid) Forward(y, z []float64) {
	model.Sigmoid{}.Forward(y, z)
	for i := range z {
		y[i] -= 0.5
	}
}
func (centredSigmoid) Backward(dz, dy, _, y []float64) {
	for i, g := range dy {
		s := y[i] + 0.5
		dz[i] = g * s * (1 - s)
	}
}

func checkZCVariant(name string) error {
	if name == centredSigmoidName {
		return nil
	}
	if err := model.ValidateVariant(name); err != nil {
		return fmt.Errorf("%w, or %s", err, centredSigmoidName)
	}
	return nil
}

func checkInputKind(kind string) error {
	if kind != "raw" && kind != "std" {
		return fmt.Errorf("unknown inputs %q (valid: raw, std)", kind)
	}
	return nil
}

// parseArm splits "tanh/std" into an activation and an input kind.
func parseArm(s string) (act, inputs string, err error) {
	act, inputs, ok := strings.Cut(s, "/")
	if !ok {
		return "", "", fmt.Errorf("arm %q: want activation/inputs, e.g. tanh/std", s)
	}
	if err := checkZCVariant(act); err != nil {
		return "", "", fmt.Errorf("arm %q: %w", s, err)
	}
	if err := checkInputKind(inputs); err != nil {
		return "", "", fmt.Errorf("arm %q: %w", s, err)
	}
	return act, inputs, nil
}

func validateZerocentered(c *Config) error {
	if len(c.Variants) == 0 {
		return fmt.Errorf("no variant given")
	}
	for _, v := range c.Variants {
		if err := checkZCVariant(v); err != nil {
			return err
		}
	}
	if len(c.Inputs) == 0 {
		return fmt.Errorf("no inputs given (valid: raw, std)")
	}
	for _, in := range c.Inputs {
		if err := checkInputKind(in); err != nil {
			return err
		}
	}
	if err := kit.CheckPositive("batches", c.Batches...); err != nil {
		return err
	}
	if err := kit.CheckPositive("sign-steps, width and seeds", c.SignSteps, c.Width, c.Seeds); err != nil {
		return err
	}
	if err := kit.CheckInits([]string{c.Init}); err != nil {
		return err
	}
	if _, err := model.NewOptimizer(c.Optimizer, c.SignLR); err != nil {
		return fmt.Errorf("sign-lr: %w", err)
	}
	if c.TrainSeeds < 0 || c.PathSeeds < 0 {
		return fmt.Errorf("train-seeds and path-seeds must be 0 (skip) or positive, got %d and %d", c.TrainSeeds, c.PathSeeds)
	}
	if c.TrainSeeds > 0 {
		if len(c.Arms) == 0 {
			return fmt.Errorf("arms: empty list")
		}
		for _, a := range c.Arms {
			if _, _, err := parseArm(a); err != nil {
				return err
			}
		}
		if err := kit.CheckPositiveFloats("lrs", c.LRs...); err != nil {
			return err
		}
		if err := kit.CheckPositiveFloats("target-loss", c.TargetLoss); err != nil {
			return err
		}
		if err := kit.CheckPositive("window, max-steps, train-examples and train-batch", c.Window, c.MaxSteps, c.TrainExamples, c.TrainBatch); err != nil {
			return err
		}
		if c.Window > c.MaxSteps {
			return fmt.Errorf("window (%d steps) must not exceed max-steps (%d)", c.Window, c.MaxSteps)
		}
	}
	if c.PathSeeds > 0 {
		if err := kit.CheckPositive("path-steps", c.PathSteps); err != nil {
			return err
		}
		if err := kit.CheckPositiveFloats("path-lr", c.PathLR); err != nil {
			return err
		}
	}
	return nil
}

// zcCell is one sign count (Kind "sign"), one run to the target loss
// ("speed") or one path of the two-weight unit ("path").
type zcCell struct {
	Kind      string  `json:"kind"`
	Variant   string  `json:"variant,omitempty"`
	Inputs    string  `json:"inputs,omitempty"`
	Width     int     `json:"width,omitempty"`
	Init      string  `json:"init,omitempty"`
	Batch     int     `json:"batch,omitempty"`
	Steps     int     `json:"steps"` // sign: steps counted; speed: the most steps; path: steps
	LR        float64 `json:"lr"`
	Optimizer string  `json:"optimizer,omitempty"`
	Examples  int     `json:"examples,omitempty"`
	Target    float64 `json:"target,omitempty"`
	Window    int     `json:"window,omitempty"`
	Case      string  `json:"case,omitempty"` // path
	Seed      int     `json:"seed"`
}

// The cases of the two-weight unit: inputs non-negative or centred, and an
// optimum that needs the two weights to move in opposite directions, or
// (for contrast) in the same direction.
const (
	pathNonNegative = "non-negative inputs"
	pathCentred     = "centred inputs"
	pathAligned     = "non-negative inputs, optimum (1, 1)"
)

func pathCases() []string { return []string{pathNonNegative, pathCentred, pathAligned} }

func zerocenteredCells(c *Config) []harness.Cell[zcCell] {
	var cells []harness.Cell[zcCell]
	params := float64(784*c.Width + c.Width*c.Width + 10*c.Width)
	for _, v := range c.Variants {
		for _, in := range c.Inputs {
			for _, b := range c.Batches {
				for s := range c.Seeds {
					p := zcCell{Kind: "sign", Variant: v, Inputs: in, Width: c.Width, Init: c.Init, Batch: b, Steps: c.SignSteps, LR: c.SignLR, Optimizer: c.Optimizer, Seed: s}
					id := fmt.Sprintf("sign/%s/%s/w%d/%s/b%d/%s-lr%g/k%d/s%d", v, in, c.Width, c.Init, b, c.Optimizer, c.SignLR, c.SignSteps, s)
					cells = append(cells, harness.Cell[zcCell]{ID: id, Params: p, Cost: 6 * params * float64(b*c.SignSteps)})
				}
			}
		}
	}
	if c.TrainSeeds > 0 {
		for _, arm := range c.Arms {
			act, in, _ := parseArm(arm)
			for _, lr := range c.LRs {
				for s := range c.TrainSeeds {
					p := zcCell{Kind: "speed", Variant: act, Inputs: in, Width: c.Width, Init: c.Init, Batch: c.TrainBatch, Steps: c.MaxSteps, LR: lr,
						Optimizer: c.Optimizer, Examples: c.TrainExamples, Target: c.TargetLoss, Window: c.Window, Seed: s}
					id := fmt.Sprintf("speed/%s/%s/w%d/%s/n%d/b%d/%s-lr%g/t%g/win%d/max%d/s%d", act, in, c.Width, c.Init, c.TrainExamples, c.TrainBatch,
						c.Optimizer, lr, c.TargetLoss, c.Window, c.MaxSteps, s)
					cells = append(cells, harness.Cell[zcCell]{ID: id, Params: p, Cost: 6 * params * float64(c.TrainBatch*c.MaxSteps) / 2})
				}
			}
		}
	}
	for _, cs := range pathCases() {
		for s := range c.PathSeeds {
			p := zcCell{Kind: "path", Case: cs, Steps: c.PathSteps, LR: c.PathLR, Seed: s}
			id := fmt.Sprintf("path/%s/lr%g/k%d/s%d", strings.ReplaceAll(cs, " ", "-"), c.PathLR, c.PathSteps, s)
			cells = append(cells, harness.Cell[zcCell]{ID: id, Params: p, Cost: float64(10 * c.PathSteps)})
		}
	}
	return cells
}

// signCount is the tally of one layer over the counted steps.
type signCount struct {
	// Same and Moving add up SameSignColumns over the steps.
	Same   int `json:"same"`
	Moving int `json:"moving"`
	// MinInput is the smallest input the layer received over the steps:
	// whether its inputs were non-negative is measured, not assumed.
	MinInput float64 `json:"min_input"`
}

func (s signCount) fraction() float64 {
	if s.Moving == 0 {
		return math.NaN()
	}
	return float64(s.Same) / float64(s.Moving)
}

// zcResult holds one cell's measurements.
type zcResult struct {
	// Kind "sign": the first hidden layer (fed by the inputs) and the
	// second (fed by the first layer's activations).
	InputLayer  *signCount `json:"input_layer,omitempty"`
	HiddenLayer *signCount `json:"hidden_layer,omitempty"`

	// Kind "speed". Steps is the step at which the running loss first
	// reached the target, or the steps run if it never did.
	Reached bool `json:"reached,omitempty"`
	Steps   int  `json:"steps,omitempty"`

	// Kinds "sign" and "speed": a run whose loss or gradient became NaN or
	// infinite stops there (sign counts cover the steps before).
	Diverged     bool `json:"diverged,omitempty"`
	DivergedStep int  `json:"diverged_step,omitempty"`

	// Kind "path": the weights after each step (index 0 is the start), the
	// distance to the optimum, and how many updates moved both weights the
	// same way.
	W1            []float64 `json:"w1,omitempty"`
	W2            []float64 `json:"w2,omitempty"`
	Distance      []float64 `json:"distance,omitempty"`
	SameSignSteps int       `json:"same_sign_steps,omitempty"`
	MovingSteps   int       `json:"moving_steps,omitempty"`
}

// inputWatch is a pass-through layer that records the smallest value it
// sees: placed before a dense layer, it measures whether that layer's
// inputs were all non-negative.
type inputWatch struct{ min float64 }

func (w *inputWatch) Kind() string         { return "watch" }
func (w *inputWatch) OutputSize(n int) int { return n }
func (w *inputWatch) Params() []*model.Param {
	return nil
}
func (w *inputWatch) Forward(x *model.Matrix, _ bool) *model.Matrix {
	for _, v := range x.Data {
		// Non-finite values belong to a diverging run, which is recorded as
		// such; they say nothing about the inputs' sign.
		if v < w.min && !math.IsInf(v, -1) {
			w.min = v
		}
	}
	return x
}
func (w *inputWatch) Backward(dy *model.Matrix) *model.Matrix { return dy }

// zcNet is a two-hidden-layer MLP with its dense layers and input watches
// at hand.
type zcNet struct {
	net            *model.Network
	dense1, dense2 *model.Dense
	watch1, watch2 *inputWatch
}

func newZCNet(act string, width int, init model.Init, rng *rand.Rand) (*zcNet, error) {
	activation := func(name string) (model.Layer, error) {
		if act == centredSigmoidName {
			return model.NewActivationLayer(centredSigmoid{}), nil
		}
		return model.ActivationSpec{Name: act}.NewLayer(name, width)
	}
	z := &zcNet{watch1: &inputWatch{min: math.Inf(1)}, watch2: &inputWatch{min: math.Inf(1)}}
	z.dense1 = model.NewDense("h1", 784, width, init, 0, rng)
	a1, err := activation("h1." + act)
	if err != nil {
		return nil, err
	}
	z.dense2 = model.NewDense("h2", a1.OutputSize(width), width, init, 0, rng)
	a2, err := activation("h2." + act)
	if err != nil {
		return nil, err
	}
	out := model.NewDense("out", a2.OutputSize(width), 10, init, 0, rng)
	z.net = model.NewNetwork(z.watch1, z.dense1, a1, z.watch2, z.dense2, a2, out)
	return z, nil
}

// zcData returns the first n MNIST training examples, raw or standardised
// with statistics fitted on the first fitN, and a small test set treated
// the same way (the shared training loop evaluates one).
func zcData(env *harness.Env, inputs string, n, fitN int) (train, test *data.Set, err error) {
	trainAll, testAll, err := env.MNIST()
	if err != nil {
		return nil, nil, err
	}
	train, test = kit.Head(trainAll, n), kit.Head(testAll, 500)
	if inputs == "std" {
		z := data.FitStandardizer(kit.Head(trainAll, fitN))
		train, test = z.Apply(train), z.Apply(test)
	}
	return train, test, nil
}

func runZCCell(ctx context.Context, env *harness.Env, p zcCell, rng *rand.Rand) (zcResult, error) {
	switch p.Kind {
	case "sign":
		return runSignCell(ctx, env, p, rng)
	case "speed":
		return runZerocenteredSpeedCell(ctx, env, p, rng)
	}
	return runPathCell(p, rng), nil
}

// signFitExamples is how many training examples the standardiser of the
// sign counts is fitted on.
const signFitExamples = 5000

func runSignCell(ctx context.Context, env *harness.Env, p zcCell, rng *rand.Rand) (zcResult, error) {
	// Only the examples the counted steps use are needed.
	train, test, err := zcData(env, p.Inputs, p.Batch*p.Steps, signFitExamples)
	if err != nil {
		return zcResult{}, err
	}
	z, err := newZCNet(p.Variant, p.Width, model.Init{Scheme: model.InitScheme(p.Init)}, rng)
	if err != nil {
		return zcResult{}, err
	}
	in, hid := &signCount{}, &signCount{}
	// The probe sees each step's gradient before the update; its counts are
	// kept only once the step turns out finite, so a run that diverges is
	// counted up to the step before.
	var pending [4]int
	hooks := kit.TrainHooks{
		Probe: func(_ int, _ *model.Network) {
			for i, d := range []*model.Dense{z.dense1, z.dense2} {
				pending[2*i], pending[2*i+1] = metrics.SameSignColumns(model.MatrixFrom(d.W.Rows, d.W.Cols, d.W.Grad))
			}
		},
		AfterStep: func(step int, st model.StepStats) bool {
			if st.Finite {
				in.Same, in.Moving = in.Same+pending[0], in.Moving+pending[1]
				hid.Same, hid.Moving = hid.Same+pending[2], hid.Moving+pending[3]
			}
			return step >= p.Steps
		},
	}
	out, err := kit.TrainClassifier(ctx, z.net, train, test, kit.TrainSpec{Epochs: 1, Batch: p.Batch, Optimizer: p.Optimizer, LR: p.LR}, rng, hooks)
	if err != nil {
		return zcResult{}, err
	}
	in.MinInput, hid.MinInput = z.watch1.min, z.watch2.min
	r := zcResult{InputLayer: in, HiddenLayer: hid, Diverged: out.Diverged}
	if out.Diverged {
		r.DivergedStep = out.DivergedStep
	}
	return r, nil
}

func runZerocenteredSpeedCell(ctx context.Context, env *harness.Env, p zcCell, rng *rand.Rand) (zcResult, error) {
	train, test, err := zcData(env, p.Inputs, p.Examples, p.Examples)
	if err != nil {
		return zcResult{}, err
	}
	z, err := newZCNet(p.Variant, p.Width, model.Init{Scheme: model.InitScheme(p.Init)}, rng)
	if err != nil {
		return zcResult{}, err
	}
	var r zcResult
	// The last Window losses, kept as a ring. Their mean is summed afresh
	// each step: a running sum would keep the rounding error of a huge loss
	// long after the loss left the window.
	ring := make([]float64, p.Window)
	hooks := kit.TrainHooks{AfterStep: func(step int, st model.StepStats) bool {
		if !st.Finite {
			return false // the loop records the divergence and stops
		}
		ring[(step-1)%p.Window] = st.Loss
		var sum float64
		for _, l := range ring {
			sum += l
		}
		if step >= p.Window && sum/float64(p.Window) <= p.Target {
			r.Reached, r.Steps = true, step
			return true
		}
		return step >= p.Steps
	}}
	perEpoch := train.N / p.Batch
	epochs := (p.Steps + perEpoch - 1) / perEpoch
	out, err := kit.TrainClassifier(ctx, z.net, train, test, kit.TrainSpec{Epochs: epochs, Batch: p.Batch, Optimizer: p.Optimizer, LR: p.LR}, rng, hooks)
	if err != nil {
		return zcResult{}, err
	}
	if !r.Reached {
		r.Steps = p.Steps
	}
	r.Diverged = out.Diverged
	if out.Diverged {
		r.DivergedStep = out.DivergedStep
	}
	return r, nil
}

// runPathCell trains one linear unit y = w . x on targets t = w* . x, one
// example per step, from w = (0, 0). Non-negative inputs are uniform on
// [0, 1]^2, centred ones uniform on [-1, 1]^2: both have E|x|^2 = 2/3, so
// the steps have the same typical size and only the inputs' mean differs.
func runPathCell(p zcCell, rng *rand.Rand) zcResult {
	opt := [2]float64{1, -1}
	lo := 0.0
	switch p.Case {
	case pathCentred:
		lo = -1
	case pathAligned:
		opt = [2]float64{1, 1}
	}
	var w [2]float64
	dist := func() float64 { return math.Hypot(w[0]-opt[0], w[1]-opt[1]) }
	r := zcResult{W1: []float64{w[0]}, W2: []float64{w[1]}, Distance: []float64{dist()}}
	for range p.Steps {
		x := [2]float64{lo + (1-lo)*rng.Float64(), lo + (1-lo)*rng.Float64()}
		// Gradient of (w.x - t)^2 / 2 is (w.x - t) x.
		e := (w[0]-opt[0])*x[0] + (w[1]-opt[1])*x[1]
		g := [2]float64{e * x[0], e * x[1]}
		if g[0] != 0 || g[1] != 0 {
			r.MovingSteps++
			if (g[0] >= 0) == (g[1] >= 0) {
				r.SameSignSteps++
			}
		}
		w[0] -= p.LR * g[0]
		w[1] -= p.LR * g[1]
		r.W1, r.W2, r.Distance = append(r.W1, w[0]), append(r.W2, w[1]), append(r.Distance, dist())
	}
	return r
}

// Zerocentered is the experiment for claim C6.
func New() harness.Experiment {
	return harness.Register(harness.Definition[Config, zcCell, zcResult]{
		Name:    "zerocentered",
		Claims:  []string{"C6"},
		Summary: "same-sign weight updates behind non-negative inputs, by batch size; training speed of centred vs uncentred nets; the zig-zag in 2-D",
		Doc: `Counts the fraction of updates in which all incoming weight-gradient
components of a unit share a sign, for layers fed by non-negative inputs
(sigmoid or ReLU outputs, raw pixels) and by inputs of both signs (tanh, ELU,
sigmoid minus 1/2, standardised pixels), at several batch sizes. Then measures
the steps an MNIST MLP needs to reach a target training loss with centred and
uncentred activations and inputs (each at its best learning rate from a grid),
and draws the path of a two-weight unit trained one example at a time.`,
		Defaults:  zerocenteredDefaults,
		Validate:  validateZerocentered,
		Cells:     zerocenteredCells,
		Run:       runZCCell,
		Summarize: summarizeZerocentered,
		Memory:    zerocenteredMemory,
	})
}

func summarizeZerocentered(c *Config, done []harness.Done[zcCell, zcResult]) (*result.Result, error) {
	res := &result.Result{}
	var signs, speeds, paths []harness.Done[zcCell, zcResult]
	for _, d := range done {
		switch d.Params.Kind {
		case "sign":
			signs = append(signs, d)
		case "speed":
			speeds = append(speeds, d)
		case "path":
			paths = append(paths, d)
		}
	}
	res.Verdicts = append(res.Verdicts, summarizeSigns(c, signs, res))
	if c.TrainSeeds > 0 {
		res.Verdicts = append(res.Verdicts, summarizeZerocenteredSpeed(c, speeds, res))
	}
	if c.PathSeeds > 0 {
		summarizePaths(c, paths, res)
	}
	return res, nil
}

// signGroup is what feeds a measured layer: an activation's outputs or the
// network's inputs.
type signGroup struct {
	layer  string // "hidden" or "input"
	source string // the activation, or the input kind
	batch  int
}

func summarizeSigns(c *Config, signs []harness.Done[zcCell, zcResult], res *result.Result) result.Verdict {
	records := result.Table{Name: "signs", Title: "Same-sign counts per cell",
		Columns: []string{"layer", "fed_by", "variant", "inputs", "batch", "seed", "same_sign_units", "moving_units", "fraction", "min_input", "diverged", "diverged_step"}}
	var diverged []string
	fracs := map[signGroup][]float64{}
	nonNeg := map[signGroup]bool{}
	seen := map[signGroup]bool{}
	for _, d := range signs {
		p := d.Params
		if d.Result.Diverged {
			diverged = append(diverged, fmt.Sprintf("%s/%s batch %d seed %d at step %d", p.Variant, p.Inputs, p.Batch, p.Seed, d.Result.DivergedStep))
		}
		for _, l := range []struct {
			layer, source string
			sc            *signCount
		}{{"hidden", p.Variant, d.Result.HiddenLayer}, {"input", p.Inputs, d.Result.InputLayer}} {
			g := signGroup{l.layer, l.source, p.Batch}
			if !seen[g] {
				seen[g], nonNeg[g] = true, true
			}
			nonNeg[g] = nonNeg[g] && l.sc.MinInput >= 0
			fracs[g] = append(fracs[g], l.sc.fraction())
			fedBy := p.Variant + " outputs"
			if l.layer == "input" {
				fedBy = p.Inputs + " pixels"
			}
			records.Rows = append(records.Rows, []string{l.layer, fedBy, p.Variant, p.Inputs, kit.Itoa(p.Batch), kit.Itoa(p.Seed), kit.Itoa(l.sc.Same), kit.Itoa(l.sc.Moving), kit.Ftoa(l.sc.fraction()), kit.Ftoa(l.sc.MinInput),
				fmt.Sprint(d.Result.Diverged), kit.Itoa(d.Result.DivergedStep)})
		}
	}
	res.Records = append(res.Records, records)

	batchHeaders := make([]string, len(c.Batches))
	for i, b := range c.Batches {
		batchHeaders[i] = fmt.Sprintf("batch %d", b)
	}
	table := result.Table{Name: "same-sign", Title: "Fraction of updates in which all incoming weight-gradient components of a unit share a sign, mean [95% CI] over seeds",
		Columns: append([]string{"layer fed by", "inputs >= 0"}, batchHeaders...),
		Note: fmt.Sprintf("Counted over the first %d SGD steps (lr %g) of a 784-%d-%d-10 MLP on MNIST, over the units whose gradient is not all zero; zero components (an input that was 0) are ignored. "+
			"\"inputs >= 0\" is measured: every input the layer received was non-negative. The hidden-layer rows pool raw and standardised pixels; the input rows pool the activations.", c.SignSteps, c.SignLR, c.Width, c.Width)}
	fig := result.Figure{Name: "same-sign-by-batch", Columns: 2, Title: "Same-sign weight updates against the batch size",
		Caption: "Fraction of updates in which every non-zero incoming weight-gradient component of a unit has the same sign (mean over seeds, 95% CI band). " +
			"Left: second hidden layer, fed by the first layer's activations; right: first hidden layer, fed by the pixels. Solid: inputs >= 0; dashed: inputs of both signs."}
	type source struct{ layer, name, label string }
	var sources []source
	for _, v := range c.Variants {
		sources = append(sources, source{"hidden", v, v + " outputs"})
	}
	for _, in := range c.Inputs {
		name := map[string]string{"raw": "raw pixels in [0, 1]", "std": "standardised pixels"}[in]
		sources = append(sources, source{"input", in, name})
	}
	panels := map[string]*result.Panel{
		"hidden": {Kind: result.LinePanel, Title: "layer fed by activations", XLabel: "batch size", YLabel: "same-sign fraction", LogX: true, YMin: -0.02, YMax: 1.02},
		"input":  {Kind: result.LinePanel, Title: "layer fed by pixels", XLabel: "batch size", YLabel: "same-sign fraction", LogX: true, YMin: -0.02, YMax: 1.02},
	}
	est := map[signGroup]metrics.Estimate{}
	for i, s := range sources {
		allNonNeg := true
		row := []string{s.label, ""}
		var xs, ys, lo, hi []float64
		for _, b := range c.Batches {
			g := signGroup{s.layer, s.name, b}
			e := metrics.MeanCI(fracs[g]).Clamp(0, 1)
			est[g] = e
			allNonNeg = allNonNeg && nonNeg[g]
			row = append(row, kit.FmtEstimate(e, 3))
			xs, ys, lo, hi = append(xs, float64(b)), append(ys, e.Mean), append(lo, e.Lo), append(hi, e.Hi)
		}
		row[1] = map[bool]string{true: "yes", false: "no"}[allNonNeg]
		table.Rows = append(table.Rows, row)
		pn := panels[s.layer]
		pn.Lines = append(pn.Lines, result.Line{Label: s.label, X: xs, Y: ys, Lo: lo, Hi: hi, Points: true, Theory: !allNonNeg, Style: i})
	}
	fig.Panels = []result.Panel{*panels["hidden"], *panels["input"]}
	if len(diverged) > 0 {
		table.Note += fmt.Sprintf(" %d of %d runs diverged (NaN/Inf) and are counted up to the step before: %s.", len(diverged), len(signs), strings.Join(diverged, "; "))
	}
	res.Tables = append(res.Tables, table)
	res.Figures = append(res.Figures, fig)
	return signVerdict(c, fracs, nonNeg, est)
}

// The C6 rule on the mechanism: at batch size 1, every cell whose layer
// received only non-negative inputs must have same-sign fraction exactly 1,
// and layers fed by inputs of both signs a mean below 1/2 (no forced
// direction). REFUTED if either fails. Otherwise CONFIRMED if, at every
// batch size measured, the non-negative groups keep a mean fraction of at
// least 1/2 (the constraint survives minibatch averaging), and MIXED if it
// falls below 1/2 at some batch size (it holds per example only).
func signVerdict(c *Config, fracs map[signGroup][]float64, nonNeg map[signGroup]bool, est map[signGroup]metrics.Estimate) result.Verdict {
	v := result.Verdict{Claim: "C6",
		Statement: "non-negative inputs to a layer (ReLU or sigmoid outputs) force all weights into a unit to move in the same direction",
		Rule: "at batch size 1: every cell whose layer received only inputs >= 0 has same-sign fraction exactly 1, and every layer fed by inputs of both signs a mean below 0.5 — else REFUTED; " +
			"then CONFIRMED if at every batch size measured each non-negative group keeps a mean fraction >= 0.5, MIXED if it falls below 0.5 at some batch size (the constraint holds per example but minibatch averaging removes it)"}
	if !slices.Contains(c.Batches, 1) {
		v.Outcome = result.Mixed
		v.Why = "batch size 1 was not measured, so the rule cannot be applied."
		return v
	}
	var groups []signGroup
	for g := range est {
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b signGroup) int {
		return strings.Compare(fmt.Sprintf("%s/%s/%06d", a.layer, a.source, a.batch), fmt.Sprintf("%s/%s/%06d", b.layer, b.source, b.batch))
	})
	name := func(g signGroup) string {
		if g.layer == "input" {
			return g.source + " pixels"
		}
		return g.source + " outputs"
	}
	oneExact, mixedLow, broke := true, true, false
	// The fractions at the larger batches, per non-negative source in order.
	var sources []string
	atBatches := map[string][]string{}
	worstBatch1 := math.Inf(1)
	largest := slices.Max(c.Batches)
	for _, g := range groups {
		e := est[g]
		if g.batch == 1 {
			if nonNeg[g] {
				for _, f := range fracs[g] {
					worstBatch1 = math.Min(worstBatch1, f)
					if f != 1 {
						oneExact = false
					}
				}
				v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%s (all >= 0), batch 1: same-sign fraction", name(g)), Estimate: e})
			} else {
				if !(e.Mean < 0.5) {
					mixedLow = false
				}
				v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%s (both signs), batch 1: same-sign fraction", name(g)), Estimate: e})
			}
			continue
		}
		if nonNeg[g] {
			if g.batch == largest {
				v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%s (all >= 0), batch %d: same-sign fraction", name(g), g.batch), Estimate: e})
			}
			if _, ok := atBatches[name(g)]; !ok {
				sources = append(sources, name(g))
			}
			atBatches[name(g)] = append(atBatches[name(g)], fmt.Sprintf("%.2f", e.Mean))
			broke = broke || e.Mean < 0.5
		}
	}
	switch {
	case !oneExact || !mixedLow:
		v.Outcome = result.Refuted
		v.Why = fmt.Sprintf("At batch size 1 the lowest same-sign fraction behind non-negative inputs was %.4f (the rule needs exactly 1) and layers fed by both signs %s a mean below 0.5.",
			worstBatch1, map[bool]string{true: "all had", false: "did not all have"}[mixedLow])
	case !broke:
		v.Outcome = result.Confirmed
		v.Why = fmt.Sprintf("With one example per update every unit behind non-negative inputs moved all its weights the same way (fraction 1), and it still did in at least half the updates at every batch size up to %d.", largest)
	default:
		v.Outcome = result.Mixed
		var larger []string
		for _, b := range c.Batches {
			if b > 1 {
				larger = append(larger, kit.Itoa(b))
			}
		}
		var parts []string
		for _, src := range sources {
			parts = append(parts, fmt.Sprintf("%s for %s", strings.Join(atBatches[src], ", "), src))
		}
		v.Why = fmt.Sprintf("With one example per update every unit behind non-negative inputs moved all its weights the same way (fraction exactly 1, against near 0 behind inputs of both signs), "+
			"but averaging over a minibatch mixes the signs: at batch %s %s the fraction was %s.", map[bool]string{true: "size", false: "sizes"}[len(larger) == 1], strings.Join(larger, ", "), strings.Join(parts, "; "))
	}
	// Lead with ReLU at batch 1, the case the blog describes: reports quote
	// the first number of a verdict.
	slices.SortStableFunc(v.Evidence, func(a, b result.Evidence) int {
		rank := func(e result.Evidence) int {
			switch {
			case strings.HasPrefix(e.Name, "relu outputs (all >= 0), batch 1"):
				return 0
			case strings.Contains(e.Name, "(all >= 0)"):
				return 1
			}
			return 2
		}
		return rank(a) - rank(b)
	})
	return v
}

type armKey struct {
	arm string
	lr  float64
}

// armStats summarises the runs of one arm at one learning rate. Steps of a
// run that never reached the target count as the most steps allowed, so the
// mean of log10 steps is a lower bound for such arms.
type armStats struct {
	logSteps      metrics.Estimate
	reached, runs int
	diverged      int
}

func summarizeZerocenteredSpeed(c *Config, speeds []harness.Done[zcCell, zcResult], res *result.Result) result.Verdict {
	records := result.Table{Name: "speed", Title: "Steps to the target training loss, every run",
		Columns: []string{"variant", "inputs", "lr", "seed", "reached", "steps", "diverged", "diverged_step"}}
	byKey := map[armKey][]zcResult{}
	for _, d := range speeds {
		p := d.Params
		arm := p.Variant + "/" + p.Inputs
		byKey[armKey{arm, p.LR}] = append(byKey[armKey{arm, p.LR}], d.Result)
		records.Rows = append(records.Rows, []string{p.Variant, p.Inputs, kit.Ftoa(p.LR), kit.Itoa(p.Seed), fmt.Sprint(d.Result.Reached), kit.Itoa(d.Result.Steps),
			fmt.Sprint(d.Result.Diverged), kit.Itoa(d.Result.DivergedStep)})
	}
	res.Records = append(res.Records, records)
	stats := map[armKey]armStats{}
	for k, rs := range byKey {
		var logs []float64
		s := armStats{runs: len(rs)}
		for _, r := range rs {
			logs = append(logs, math.Log10(float64(r.Steps)))
			if r.Reached {
				s.reached++
			}
			if r.Diverged {
				s.diverged++
			}
		}
		s.logSteps = metrics.MeanCI(logs)
		stats[k] = s
	}
	// Each arm at its best learning rate: the lowest mean log10 steps (the
	// smaller rate on a tie).
	best := map[string]float64{}
	for _, arm := range c.Arms {
		for _, lr := range c.LRs {
			s := stats[armKey{arm, lr}]
			if b, ok := best[arm]; !ok || s.logSteps.Mean < stats[armKey{arm, b}].logSteps.Mean {
				best[arm] = lr
			}
		}
	}

	lrHeaders := make([]string, len(c.LRs))
	for i, lr := range c.LRs {
		lrHeaders[i] = fmt.Sprintf("lr %g", lr)
	}
	table := result.Table{Name: "steps-to-target", Title: fmt.Sprintf("Steps until the mean training loss over the last %d steps is <= %g (geometric mean [95%% CI] over seeds; reached/runs)", c.Window, c.TargetLoss),
		Columns: append([]string{"arm", "best lr"}, lrHeaders...),
		Note: fmt.Sprintf("784-%d-%d-10 MLP, %s init, %s with batch %d on %d MNIST examples; raw pixels are in [0, 1], std pixels standardised per pixel. "+
			"A run that did not reach the target within %d steps (or diverged) counts as %d steps, so such cells are lower bounds. The best learning rate has the fewest steps.",
			c.Width, c.Width, c.Init, c.Optimizer, c.TrainBatch, c.TrainExamples, c.MaxSteps, c.MaxSteps)}
	lrPanel := result.Panel{Kind: result.LinePanel, Title: "against the learning rate", XLabel: "learning rate", YLabel: "steps to target", LogX: true, LogY: true}
	barPanel := result.Panel{Kind: result.BarPanel, Title: "each arm at its best learning rate", XLabel: "arm", YLabel: "steps to target", LogY: true}
	bars := &result.Bars{}
	group := result.BarGroup{} // one group: no legend needed
	for i, arm := range c.Arms {
		row := []string{arm, fmt.Sprintf("%g", best[arm])}
		var xs, ys, lo, hi []float64
		for _, lr := range c.LRs {
			s := stats[armKey{arm, lr}]
			row = append(row, fmt.Sprintf("%s (%d/%d)", fmtGeoSteps(s.logSteps), s.reached, s.runs))
			xs, ys, lo, hi = append(xs, lr), append(ys, kit.Pow10(s.logSteps.Mean)), append(lo, kit.Pow10(s.logSteps.Lo)), append(hi, kit.Pow10(s.logSteps.Hi))
		}
		table.Rows = append(table.Rows, row)
		lrPanel.Lines = append(lrPanel.Lines, result.Line{Label: arm, X: xs, Y: ys, Lo: lo, Hi: hi, Points: true, Style: i})
		s := stats[armKey{arm, best[arm]}]
		bars.Categories = append(bars.Categories, fmt.Sprintf("%s (lr %g)", arm, best[arm]))
		group.Values = append(group.Values, kit.Pow10(s.logSteps.Mean))
		group.Lo, group.Hi = append(group.Lo, kit.Pow10(s.logSteps.Lo)), append(group.Hi, kit.Pow10(s.logSteps.Hi))
	}
	bars.Groups = []result.BarGroup{group}
	barPanel.Bars = bars
	fig := result.Figure{Name: "training-speed", Columns: 2, Title: fmt.Sprintf("Training speed: steps until the running training loss reaches %g", c.TargetLoss),
		Caption: fmt.Sprintf("Geometric mean over seeds with 95%% CI of the steps until the mean training loss over the last %d steps is <= %g; a run that never did within %d steps (or diverged) counts as %d. "+
			"Left: each arm at its best learning rate; right: every learning rate. Raw pixels are in [0, 1] (non-negative), std pixels are standardised. "+
			"sigmoid-centred is sigmoid minus 1/2: the same slope, centred.", c.Window, c.TargetLoss, c.MaxSteps, c.MaxSteps),
		Panels: []result.Panel{barPanel, lrPanel}}
	res.Tables = append(res.Tables, table)
	res.Figures = append(res.Figures, fig)
	return speedVerdict(c, stats, best)
}

// speedPair is an uncentred arm and its centred counterpart.
type speedPair struct{ from, to, what string }

// speedPairs derives the comparisons from the arms present: sigmoid against
// sigmoid-centred and against tanh, relu against elu (same inputs), and raw
// against standardised inputs (same activation).
func speedPairs(arms []string) []speedPair {
	var out []speedPair
	has := func(a string) bool { return slices.Contains(arms, a) }
	for _, in := range []string{"raw", "std"} {
		for _, p := range []speedPair{
			{"sigmoid/" + in, centredSigmoidName + "/" + in, "hidden outputs centred, same slope"},
			{"sigmoid/" + in, "tanh/" + in, "hidden outputs centred, 4x the slope"},
			{"relu/" + in, "elu/" + in, "ReLU against its nearly centred relative"},
		} {
			if has(p.from) && has(p.to) {
				out = append(out, p)
			}
		}
	}
	for _, arm := range arms {
		act, in, _ := parseArm(arm)
		if in == "raw" && has(act+"/std") {
			out = append(out, speedPair{arm, act + "/std", "inputs standardised"})
		}
	}
	return out
}

// minSpeedup is the smallest ratio of steps (geometric means) that counts as
// a difference in speed at all: a few steps either way is not one.
const minSpeedup = 1.1

// The C6 rule on the consequence: for each pair (uncentred, centred), both
// at their best learning rate, the centred arm is faster if the upper end
// of its 95% CI of mean log10 steps lies below the lower end of the
// uncentred arm's and it needs at least minSpeedup times fewer steps, and
// slower in the mirror case. CONFIRMED if the centred arm is faster in every
// pair; REFUTED if it is faster in none; MIXED otherwise.
func speedVerdict(c *Config, stats map[armKey]armStats, best map[string]float64) result.Verdict {
	v := result.Verdict{Claim: "C6",
		Statement: "zero-centred activations and inputs train faster than non-negative ones (the consequence of the zig-zag)",
		Rule: fmt.Sprintf("steps until the mean training loss over %d steps is <= %g, each arm at its best learning rate from %v; for each pair (uncentred, centred) the centred arm is faster if its 95%% CI of mean log10 steps lies wholly below the uncentred arm's "+
			"and its geometric mean is at least %g times smaller. CONFIRMED if the centred arm is faster in every pair; REFUTED if in none; MIXED otherwise", c.Window, c.TargetLoss, c.LRs, minSpeedup)}
	pairs := speedPairs(c.Arms)
	if len(pairs) == 0 {
		v.Outcome = result.Mixed
		v.Why = "the arms contain no uncentred/centred pair (e.g. sigmoid/raw with tanh/raw, or relu/raw with relu/std), so the rule cannot be applied."
		return v
	}
	faster := 0
	var parts []string
	listed := map[string]bool{}
	addArm := func(arm string) {
		if !listed[arm] {
			listed[arm] = true
			v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%s (lr %g): log10 steps to target", arm, best[arm]),
				Estimate: stats[armKey{arm, best[arm]}].logSteps, Unit: "log10 steps"})
		}
	}
	for _, p := range pairs {
		a, b := stats[armKey{p.from, best[p.from]}], stats[armKey{p.to, best[p.to]}]
		addArm(p.from)
		addArm(p.to)
		verdict := "no clear difference"
		margin := math.Log10(minSpeedup)
		switch {
		case b.logSteps.Hi < a.logSteps.Lo && a.logSteps.Mean-b.logSteps.Mean >= margin:
			verdict = "centred faster"
			faster++
		case a.logSteps.Hi < b.logSteps.Lo && b.logSteps.Mean-a.logSteps.Mean >= margin:
			verdict = "uncentred faster"
		}
		parts = append(parts, fmt.Sprintf("%s %.0f vs %s %.0f steps (%s)", p.from, kit.Pow10(a.logSteps.Mean), p.to, kit.Pow10(b.logSteps.Mean), verdict))
	}
	switch faster {
	case len(pairs):
		v.Outcome = result.Confirmed
	case 0:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("The centred arm was faster in %d of %d pairs: %s.", faster, len(pairs), strings.Join(parts, "; "))
	return v
}

// pathReach is the distance to the optimum (which starts at sqrt 2) below
// which the two-weight unit counts as arrived.
const pathReach = 0.05

func summarizePaths(c *Config, paths []harness.Done[zcCell, zcResult], res *result.Result) {
	byCase := map[string][]zcResult{}
	records := result.Table{Name: "paths", Title: "The two-weight unit: weights and distance to the optimum after every step",
		Columns: []string{"case", "seed", "step", "w1", "w2", "distance"}}
	for _, d := range paths {
		byCase[d.Params.Case] = append(byCase[d.Params.Case], d.Result)
		for i := range d.Result.W1 {
			records.Rows = append(records.Rows, []string{d.Params.Case, kit.Itoa(d.Params.Seed), kit.Itoa(i), kit.Ftoa(d.Result.W1[i]), kit.Ftoa(d.Result.W2[i]), kit.Ftoa(d.Result.Distance[i])})
		}
	}
	res.Records = append(res.Records, records)
	table := result.Table{Name: "paths", Title: fmt.Sprintf("The two-weight unit: %d one-example SGD steps at lr %g from (0, 0), mean [95%% CI] over seeds", c.PathSteps, c.PathLR),
		Columns: []string{"case", "optimum", "updates moving both weights the same way", fmt.Sprintf("steps to within %g of the optimum (arrived/runs)", pathReach), fmt.Sprintf("distance after %d steps", c.PathSteps)},
		Note:    "Non-negative inputs are uniform on [0, 1]^2, centred ones on [-1, 1]^2 (the same mean square). A run that never arrived counts as the full number of steps."}
	fig := result.Figure{Name: "zigzag", Columns: 2, Title: "The zig-zag: a unit with two weights trained one example at a time",
		Caption: fmt.Sprintf("Left: the weights (w1, w2) after each of %d SGD steps from (0, 0), seed 0 of each case. With inputs >= 0 every step moves both weights the same way (up-right or down-left), "+
			"so reaching an optimum at (1, -1) takes a zig-zag; centred inputs of the same size go more directly, and non-negative inputs are no obstacle when the optimum lies at (1, 1). "+
			"Right: distance to the optimum (geometric mean over seeds with 95%% CI band).", c.PathSteps)}
	pathPanel := result.Panel{Kind: result.LinePanel, Title: "weight path", XLabel: "w1", YLabel: "w2"}
	distPanel := result.Panel{Kind: result.LinePanel, Title: "distance to the optimum", XLabel: "step", YLabel: "|w - w*|", LogY: true}
	optimum := map[string][2]float64{pathNonNegative: {1, -1}, pathCentred: {1, -1}, pathAligned: {1, 1}}
	var notes []string
	for i, cs := range pathCases() {
		rs := byCase[cs]
		if len(rs) == 0 {
			continue
		}
		var same, steps, final []float64
		arrived := 0
		for _, r := range rs {
			same = append(same, float64(r.SameSignSteps)/float64(max(1, r.MovingSteps)))
			k := slices.IndexFunc(r.Distance, func(d float64) bool { return d < pathReach })
			if k >= 0 {
				arrived++
			} else {
				k = c.PathSteps
			}
			steps = append(steps, float64(k))
			final = append(final, r.Distance[len(r.Distance)-1])
		}
		sameE, stepsE, finalE := metrics.MeanCI(same).Clamp(0, 1), metrics.MeanCI(steps).Clamp(0, float64(c.PathSteps)), kit.LogStats(final)
		o := optimum[cs]
		table.Rows = append(table.Rows, []string{cs, fmt.Sprintf("(%g, %g)", o[0], o[1]), kit.FmtEstimate(sameE, 3),
			fmt.Sprintf("%s (%d/%d)", kit.FmtEstimate(stepsE, 1), arrived, len(rs)), fmtGeoSteps(finalE)})
		notes = append(notes, fmt.Sprintf("%s %.0f steps (same-direction updates %.2f)", cs, stepsE.Mean, sameE.Mean))
		pathPanel.Lines = append(pathPanel.Lines, result.Line{Label: cs, X: rs[0].W1, Y: rs[0].W2, Style: i})
		xs := make([]float64, c.PathSteps+1)
		for k := range xs {
			xs[k] = float64(k)
		}
		distPanel.Lines = append(distPanel.Lines, kit.GeoMeanLine(cs, xs, func(k int) []float64 {
			out := make([]float64, len(rs))
			for j, r := range rs {
				out[j] = r.Distance[k]
			}
			return out
		}, i))
	}
	pathPanel.Markers = append(pathPanel.Markers, result.Marker{Label: "start", X: 0, Y: 0, Style: 6},
		result.Marker{Label: "optimum", X: 1, Y: -1, Style: 6}, result.Marker{Label: "optimum", X: 1, Y: 1, Style: 6})
	fig.Panels = []result.Panel{pathPanel, distPanel}
	res.Tables = append(res.Tables, table)
	res.Figures = append(res.Figures, fig)
	res.Notes = append(res.Notes, fmt.Sprintf("The two-weight unit (figure zigzag) needed, on average, to come within %g of its optimum: %s. It illustrates the mechanism one example at a time; the verdicts rest on the MNIST measurements.",
		pathReach, strings.Join(notes, "; ")))
}

// fmtGeoSteps writes a log10 estimate as its geometric mean and interval.
func fmtGeoSteps(e metrics.Estimate) string {
	if e.N == 0 || math.IsNaN(e.Mean) {
		return "n/a"
	}
	if e.N < 2 {
		return fmt.Sprintf("%.3g", kit.Pow10(e.Mean))
	}
	return fmt.Sprintf("%.3g [%.3g, %.3g]", kit.Pow10(e.Mean), kit.Pow10(e.Lo), kit.Pow10(e.Hi))
}

// zerocenteredMemory bounds a cell's memory: one MNIST net and, for
// standardised inputs, a standardised copy of its training examples.
func zerocenteredMemory(c *Config) (perCell, shared int64) {
	return kit.MLPBytes(784, []int{c.Width, c.Width}, 10, max(c.TrainBatch, kit.MaxOf(c.Batches))) + int64(c.TrainExamples)*785*8, kit.MNISTBytes
}
