package vanishing

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

// Experiment "vanishing": claims C3 and C4.
//
// C3, the blog: sigmoid and tanh have small derivatives, so gradients shrink
// layer by layer on the way back; ReLU's derivative is 1 for positive inputs,
// so they keep their strength. C4: ReLU's derivative is 0 or 1, so each
// gradient entry is passed unchanged or blocked.
//
// Part 1 measures, at initialisation, per-layer gradient norms of MLPs of
// increasing depth for each activation and initialiser, fed a batch of
// N(0,1) inputs with random labels, and draws the mean-field prediction
// beside them. Two lenses: the back-propagated gradient ||dL/dz_l|| (what
// the blog's argument and mean-field theory are about) and the weight
// gradient ||dL/dW_l|| (what the optimiser sees), which multiplies the
// back-propagated gradient by the layer's input, so that forward growth and
// backward shrinkage can cancel in it.
//
// Part 2 trains nets of increasing depth on MNIST, the observation of He et
// al. 2015: a deep ReLU net stalls under Xavier init and trains under He init.

// Config configures the vanishing experiment.
type Config struct {
	Variants []string `json:"variants" flag:"variant" help:"activations to compare"`
	Inits    []string `json:"inits" flag:"inits" help:"weight initialisers (xavier-normal, he-normal, classic, ...)"`
	Depths   []int    `json:"depths" flag:"depths" help:"numbers of hidden layers measured at initialisation"`
	Width    int      `json:"width" flag:"width" help:"input and hidden width"`
	Batch    int      `json:"batch" flag:"batch" help:"examples in the N(0,1) batch"`
	Seeds    int      `json:"seeds" flag:"seeds" help:"seeds per configuration"`
	// VerdictDepth is the depth the C3 rule reads (the deepest measured if
	// absent from Depths).
	VerdictDepth int `json:"verdict_depth" flag:"verdict-depth" help:"depth at which the verdict compares first and last layer"`

	TrainNets     []string `json:"train_nets" flag:"train-nets" help:"activation/init pairs trained on MNIST"`
	TrainDepths   []int    `json:"train_depths" flag:"train-depths" help:"depths trained on MNIST (empty list: skip)"`
	TrainWidth    int      `json:"train_width" flag:"train-width" help:"hidden width of the MNIST nets"`
	TrainExamples int      `json:"train_examples" flag:"train-examples" help:"MNIST training examples used"`
	TestExamples  int      `json:"test_examples" flag:"test-examples" help:"MNIST test examples evaluated"`
	Epochs        int      `json:"epochs" flag:"epochs" help:"training epochs"`
	TrainBatch    int      `json:"train_batch" flag:"train-batch" help:"training minibatch size"`
	Optimizer     string   `json:"optimizer" flag:"optimizer" help:"sgd, momentum or adam"`
	LR            float64  `json:"lr" flag:"lr" help:"learning rate"`
	TrainSeeds    int      `json:"train_seeds" flag:"train-seeds" help:"seeds per trained net"`
}

func Defaults(quick bool) *Config {
	c := &Config{
		Variants:     []string{"sigmoid", "tanh", "relu", "leaky", "elu"},
		Inits:        []string{"xavier-normal", "he-normal", "classic"},
		Depths:       []int{2, 5, 10, 20, 30, 50},
		Width:        256,
		Batch:        256,
		Seeds:        10,
		VerdictDepth: 30,

		TrainNets:     []string{"relu/he-normal", "relu/xavier-normal", "tanh/xavier-normal", "sigmoid/xavier-normal"},
		TrainDepths:   []int{2, 10, 20, 30},
		TrainWidth:    64,
		TrainExamples: 10000,
		TestExamples:  10000,
		Epochs:        3,
		TrainBatch:    64,
		Optimizer:     "momentum",
		LR:            0.01,
		TrainSeeds:    5,
	}
	if quick {
		c.Depths = []int{2, 10, 30}
		c.Width, c.Batch, c.Seeds = 64, 64, 3
		c.TrainDepths = []int{2, 30}
		c.TrainWidth, c.TrainExamples, c.TestExamples = 32, 2000, 2000
		c.Epochs, c.TrainSeeds = 1, 2
	}
	return c
}

func validateVanishing(c *Config) error {
	if err := kit.CheckVariants(c.Variants); err != nil {
		return err
	}
	if err := kit.CheckInits(c.Inits); err != nil {
		return err
	}
	if err := kit.CheckPositive("depths", c.Depths...); err != nil {
		return err
	}
	if err := kit.CheckPositive("width, batch and seeds", c.Width, c.Batch, c.Seeds); err != nil {
		return err
	}
	if len(c.TrainDepths) == 0 {
		return nil
	}
	for _, pair := range c.TrainNets {
		if _, _, err := parseNetPair(pair); err != nil {
			return err
		}
	}
	if err := kit.CheckPositive("train-depths", c.TrainDepths...); err != nil {
		return err
	}
	if err := kit.CheckPositive("train-width, train-examples, test-examples, epochs, train-batch and train-seeds",
		c.TrainWidth, c.TrainExamples, c.TestExamples, c.Epochs, c.TrainBatch, c.TrainSeeds); err != nil {
		return err
	}
	_, err := model.NewOptimizer(c.Optimizer, c.LR)
	return err
}

// parseNetPair splits "relu/he-normal" into a variant and an init.
func parseNetPair(s string) (variant string, init model.InitScheme, err error) {
	v, i, ok := strings.Cut(s, "/")
	if !ok {
		return "", "", fmt.Errorf("train net %q: want activation/init, e.g. relu/he-normal", s)
	}
	if err := model.ValidateVariant(v); err != nil {
		return "", "", fmt.Errorf("train net %q: %w", s, err)
	}
	scheme, err := model.ParseInitScheme(i)
	if err != nil {
		return "", "", fmt.Errorf("train net %q: %w", s, err)
	}
	return v, scheme, nil
}

// vanishingCell is one measurement ("grad": one net at initialisation) or
// one training run ("train").
type vanishingCell struct {
	Kind    string `json:"kind"`
	Variant string `json:"variant"`
	Init    string `json:"init"`
	Depth   int    `json:"depth"`
	Seed    int    `json:"seed"`
	Width   int    `json:"width"`
	Batch   int    `json:"batch"`
	// Training settings (Kind "train").
	TrainExamples int     `json:"train_examples,omitempty"`
	TestExamples  int     `json:"test_examples,omitempty"`
	Epochs        int     `json:"epochs,omitempty"`
	Optimizer     string  `json:"optimizer,omitempty"`
	LR            float64 `json:"lr,omitempty"`
}

func vanishingCells(c *Config) []harness.Cell[vanishingCell] {
	var cells []harness.Cell[vanishingCell]
	for _, v := range c.Variants {
		for _, in := range c.Inits {
			for _, d := range c.Depths {
				for s := range c.Seeds {
					// Cost is in floating-point operations: forward and backward.
					p := vanishingCell{Kind: "grad", Variant: v, Init: in, Depth: d, Seed: s, Width: c.Width, Batch: c.Batch}
					id := fmt.Sprintf("grad/%s/%s/w%d/b%d/d%d/s%d", v, in, c.Width, c.Batch, d, s)
					cells = append(cells, harness.Cell[vanishingCell]{ID: id, Params: p, Cost: 6 * float64(d*c.Width*c.Width*c.Batch)})
				}
			}
		}
	}
	for _, pair := range c.TrainNets {
		v, in, _ := parseNetPair(pair)
		for _, d := range c.TrainDepths {
			for s := range c.TrainSeeds {
				p := vanishingCell{Kind: "train", Variant: v, Init: string(in), Depth: d, Seed: s, Width: c.TrainWidth, Batch: c.TrainBatch,
					TrainExamples: c.TrainExamples, TestExamples: c.TestExamples, Epochs: c.Epochs, Optimizer: c.Optimizer, LR: c.LR}
				id := fmt.Sprintf("train/%s/%s/w%d/d%d/n%d/e%d/%s-lr%g/s%d", v, in, c.TrainWidth, d, c.TrainExamples, c.Epochs, c.Optimizer, c.LR, s)
				// Forward and backward (3 products of 2 flops each) per example and epoch.
				cost := 6 * float64(c.Epochs*c.TrainExamples) * float64(784*c.TrainWidth+d*c.TrainWidth*c.TrainWidth)
				cells = append(cells, harness.Cell[vanishingCell]{ID: id, Params: p, Cost: cost})
			}
		}
	}
	return cells
}

// vanishingResult holds one cell's measurements. Gradient slices have one
// entry per hidden layer, input side first.
type vanishingResult struct {
	// Kind "grad".
	PreActGrad      []float64 `json:"preact_grad,omitempty"`       // ||dL/dz_l||, batch
	WeightGrad      []float64 `json:"weight_grad,omitempty"`       // ||dL/dW_l||, batch
	ExampleWGrad    []float64 `json:"example_wgrad,omitempty"`     // mean over examples of ||dl_i/dW_l||
	ActRMS          []float64 `json:"act_rms,omitempty"`           // ||h_l|| / sqrt(batch)
	PreActSq        []float64 `json:"preact_sq,omitempty"`         // mean z_l^2
	Blocked         []float64 `json:"blocked,omitempty"`           // fraction of dz entries exactly 0
	PassedOrBlocked []float64 `json:"passed_or_blocked,omitempty"` // fraction with dz == dh or dz == 0
	// Kind "train".
	Train *kit.TrainOutcome `json:"train,omitempty"`
}

func runVanishingCell(ctx context.Context, env *harness.Env, p vanishingCell, rng *rand.Rand) (vanishingResult, error) {
	if p.Kind == "train" {
		return runVanishingTraining(ctx, env, p, rng)
	}
	spec := model.MLPSpec{
		Inputs: p.Width, Hidden: kit.RepeatInt(p.Width, p.Depth), Outputs: 10,
		Activation: model.ActivationSpec{Name: p.Variant},
		Init:       model.Init{Scheme: model.InitScheme(p.Init)},
	}
	net, err := model.NewMLP(spec, rng)
	if err != nil {
		return vanishingResult{}, err
	}
	batch := data.GaussianRandomLabels(p.Batch, p.Width, 10, rng)
	x := kit.AsMatrix(batch)
	out := net.Forward(x, true)
	grad := model.NewMatrix(out.Rows, out.Cols)
	model.SoftmaxCrossEntropy(out, batch.Y, grad)
	net.Backward(grad)

	var r vanishingResult
	for l := 0; l < p.Depth; l++ {
		h := net.Hidden(l)
		input := x
		if l > 0 {
			input = net.Hidden(l - 1).Activation
		}
		r.PreActGrad = append(r.PreActGrad, metrics.Norm(h.PreActivationGrad.Data))
		r.WeightGrad = append(r.WeightGrad, metrics.Norm(h.Weights.Grad))
		r.ExampleWGrad = append(r.ExampleWGrad, metrics.MeanExampleOuterNorm(input, h.PreActivationGrad))
		r.ActRMS = append(r.ActRMS, metrics.Norm(h.Activation.Data)/math.Sqrt(float64(p.Batch)))
		r.PreActSq = append(r.PreActSq, meanSquare(h.PreActivation.Data))
		if h.Activation.Cols == h.Units {
			// C4 compares dz with dh entry by entry, which needs one
			// activation column per unit (not twosided).
			r.Blocked = append(r.Blocked, metrics.ZeroFraction(h.PreActivationGrad.Data))
			r.PassedOrBlocked = append(r.PassedOrBlocked, metrics.PassOrBlockFraction(h.PreActivationGrad.Data, h.ActivationGrad.Data))
		}
	}
	return r, nil
}

func runVanishingTraining(ctx context.Context, env *harness.Env, p vanishingCell, rng *rand.Rand) (vanishingResult, error) {
	trainAll, testAll, err := env.MNIST()
	if err != nil {
		return vanishingResult{}, err
	}
	train, test := kit.Head(trainAll, p.TrainExamples), kit.Head(testAll, p.TestExamples)
	net, err := model.NewMLP(model.MLPSpec{
		Inputs: train.Dim, Hidden: kit.RepeatInt(p.Width, p.Depth), Outputs: 10,
		Activation: model.ActivationSpec{Name: p.Variant},
		Init:       model.Init{Scheme: model.InitScheme(p.Init)},
	}, rng)
	if err != nil {
		return vanishingResult{}, err
	}
	out, err := kit.TrainClassifier(ctx, net, train, test, kit.TrainSpec{Epochs: p.Epochs, Batch: p.Batch, Optimizer: p.Optimizer, LR: p.LR}, rng, kit.TrainHooks{})
	if err != nil {
		return vanishingResult{}, err
	}
	return vanishingResult{Train: &out}, nil
}

// Vanishing is the experiment for claims C3 and C4.
func New() harness.Experiment {
	return harness.Register(harness.Definition[Config, vanishingCell, vanishingResult]{
		Name:    "vanishing",
		Claims:  []string{"C3", "C4"},
		Summary: "gradient norms by layer and depth at initialisation, with mean-field theory; deep nets on MNIST",
		Doc: `Measures, for MLPs of increasing depth at initialisation, the norm of the
back-propagated gradient ||dL/dz_l|| and of the weight gradient ||dL/dW_l|| at
every layer, for each activation and initialiser, over several seeds, with the
mean-field prediction drawn beside the measurement. Then trains nets of
increasing depth on MNIST to see which still learn (He et al. 2015).`,
		Defaults:  Defaults,
		Validate:  validateVanishing,
		Cells:     vanishingCells,
		Run:       runVanishingCell,
		Summarize: summarizeVanishing,
		Memory:    vanishingMemory,
	})
}

type vanishingKey struct {
	variant, init string
	depth         int
}

func summarizeVanishing(c *Config, done []harness.Done[vanishingCell, vanishingResult]) (*result.Result, error) {
	grads := map[vanishingKey][]vanishingResult{}
	trains := map[vanishingKey][]kit.TrainOutcome{}
	for _, d := range done {
		k := vanishingKey{d.Params.Variant, d.Params.Init, d.Params.Depth}
		if d.Params.Kind == "train" {
			trains[k] = append(trains[k], *d.Result.Train)
		} else {
			grads[k] = append(grads[k], d.Result)
		}
	}
	verdictDepth := c.VerdictDepth
	if !slices.Contains(c.Depths, verdictDepth) {
		verdictDepth = slices.Max(c.Depths)
	}
	deepest := slices.Max(c.Depths)

	res := &result.Result{}
	records := result.Table{Name: "gradients", Title: "Every per-layer measurement at initialisation",
		Columns: []string{"variant", "init", "depth", "seed", "layer", "preact_grad", "weight_grad", "example_weight_grad", "act_rms", "preact_sq", "blocked_fraction", "passed_or_blocked_fraction", "meanfield_preact_grad", "meanfield_preact_sq"}}
	ratioTable := result.Table{Name: "ratio", Title: "log10 of ||dL/dz_1|| / ||dL/dz_L|| (first over last hidden layer), mean [95% CI] over seeds",
		Columns: append([]string{"variant", "init"}, kit.DepthHeaders(c.Depths)...),
		Note:    "0 means no change from the last layer to the first; -3 means the first layer's back-propagated gradient is 1000x smaller. Mean-field prediction in parentheses."}
	wTable := result.Table{Name: "weight-ratio", Title: "log10 of ||dL/dW_1|| / ||dL/dW_L||, mean [95% CI] over seeds",
		Columns: append([]string{"variant", "init"}, kit.DepthHeaders(c.Depths)...),
		Note:    "The weight gradient multiplies the layer's input by the back-propagated gradient; where activations grow forwards as fast as gradients shrink backwards, the two cancel."}

	zRatio := map[vanishingKey]metrics.Estimate{}
	wRatio := map[vanishingKey]metrics.Estimate{}
	mfRatio := map[vanishingKey]float64{}
	var blockedRelu, passRelu, blockedOther []float64
	blockedOtherMax := 0.0
	blockedOtherName := ""

	for _, v := range c.Variants {
		for _, in := range c.Inits {
			zRow := []string{v, in}
			wRow := []string{v, in}
			for _, depth := range c.Depths {
				k := vanishingKey{v, in, depth}
				rs := grads[k]
				mf := kit.ComputeMeanField(model.ActivationSpec{Name: v}, model.Init{Scheme: model.InitScheme(in)}, c.Width, c.Width, 10, depth, 1)
				mfz := kit.AnchoredPrediction(mf, meanOf(rs, func(r vanishingResult) float64 { return r.PreActGrad[depth-1] }))
				var zr, wr []float64
				for seed, r := range rs {
					zr = append(zr, r.PreActGrad[0]/r.PreActGrad[depth-1])
					wr = append(wr, r.WeightGrad[0]/r.WeightGrad[depth-1])
					for l := 0; l < depth; l++ {
						blocked, passed := math.NaN(), math.NaN()
						if len(r.Blocked) > 0 {
							blocked, passed = r.Blocked[l], r.PassedOrBlocked[l]
						}
						records.Rows = append(records.Rows, []string{v, in, kit.Itoa(depth), kit.Itoa(seed), kit.Itoa(l + 1),
							kit.Ftoa(r.PreActGrad[l]), kit.Ftoa(r.WeightGrad[l]), kit.Ftoa(r.ExampleWGrad[l]), kit.Ftoa(r.ActRMS[l]), kit.Ftoa(r.PreActSq[l]),
							kit.Ftoa(blocked), kit.Ftoa(passed), kit.Ftoa(mfz[l]), kit.Ftoa(mf.Q[l])})
						if len(r.Blocked) == 0 {
							continue
						}
						if v == "relu" {
							blockedRelu = append(blockedRelu, r.Blocked[l])
							passRelu = append(passRelu, r.PassedOrBlocked[l])
						} else {
							blockedOther = append(blockedOther, r.Blocked[l])
							if r.Blocked[l] > blockedOtherMax {
								blockedOtherMax, blockedOtherName = r.Blocked[l], v
							}
						}
					}
				}
				zRatio[k], wRatio[k] = kit.LogStats(zr), kit.LogStats(wr)
				mfRatio[k] = metrics.Log10(mfz[0] / mfz[depth-1])
				zRow = append(zRow, fmt.Sprintf("%s (%s)", kit.FmtEstimate(zRatio[k], 2), kit.FmtFloat(mfRatio[k], 2)))
				wRow = append(wRow, kit.FmtEstimate(wRatio[k], 2))
			}
			ratioTable.Rows = append(ratioTable.Rows, zRow)
			wTable.Rows = append(wTable.Rows, wRow)
		}
	}

	// Figures: gradient by layer at the deepest depth, one panel per init.
	byLayer := result.Figure{Name: "gradient-by-layer", Title: fmt.Sprintf("Back-propagated gradient ||dL/dz_l|| by layer, depth %d, at initialisation", deepest),
		Caption: "Geometric mean over seeds with 95% CI band; dashed: mean-field prediction anchored at the last hidden layer. Layer 1 is next to the input."}
	wByLayer := result.Figure{Name: "weight-gradient-by-layer", Title: fmt.Sprintf("Weight gradient ||dL/dW_l|| by layer, depth %d, at initialisation", deepest),
		Caption: "Geometric mean over seeds with 95% CI band. The weight gradient is the product of the layer's input and its back-propagated gradient."}
	ratioFig := result.Figure{Name: "ratio-by-depth", Title: "First-to-last-layer ratio of the back-propagated gradient, by depth",
		Caption: "||dL/dz_1|| / ||dL/dz_L|| at initialisation: geometric mean over seeds with 95% CI band; dashed: mean-field prediction."}
	for _, in := range c.Inits {
		zPanel := result.Panel{Kind: result.LinePanel, Title: in, XLabel: "hidden layer", YLabel: "||dL/dz_l||", LogY: true}
		wPanel := result.Panel{Kind: result.LinePanel, Title: in, XLabel: "hidden layer", YLabel: "||dL/dW_l||", LogY: true}
		rPanel := result.Panel{Kind: result.LinePanel, Title: in, XLabel: "depth (hidden layers)", YLabel: "||dL/dz_1|| / ||dL/dz_L||", LogY: true}
		for vi, v := range c.Variants {
			rs := grads[vanishingKey{v, in, deepest}]
			mf := kit.ComputeMeanField(model.ActivationSpec{Name: v}, model.Init{Scheme: model.InitScheme(in)}, c.Width, c.Width, 10, deepest, 1)
			layers := make([]float64, deepest)
			for l := range layers {
				layers[l] = float64(l + 1)
			}
			zPanel.Lines = append(zPanel.Lines, logBandLine(v, layers, rs, vi, func(r vanishingResult, l int) float64 { return r.PreActGrad[l] }))
			zPanel.Lines = append(zPanel.Lines, result.Line{Label: v + " (theory)", X: layers, Y: kit.AnchoredPrediction(mf, meanOf(rs, func(r vanishingResult) float64 { return r.PreActGrad[deepest-1] })), Theory: true, Style: vi})
			wPanel.Lines = append(wPanel.Lines, logBandLine(v, layers, rs, vi, func(r vanishingResult, l int) float64 { return r.WeightGrad[l] }))

			var xs, ys, lo, hi, th []float64
			for _, depth := range c.Depths {
				e := zRatio[vanishingKey{v, in, depth}]
				xs = append(xs, float64(depth))
				ys, lo, hi = append(ys, kit.Pow10(e.Mean)), append(lo, kit.Pow10(e.Lo)), append(hi, kit.Pow10(e.Hi))
				th = append(th, kit.Pow10(mfRatio[vanishingKey{v, in, depth}]))
			}
			rPanel.Lines = append(rPanel.Lines, result.Line{Label: v, X: xs, Y: ys, Lo: lo, Hi: hi, Points: true, Style: vi},
				result.Line{Label: v + " (theory)", X: xs, Y: th, Theory: true, Style: vi})
		}
		byLayer.Panels = append(byLayer.Panels, zPanel)
		wByLayer.Panels = append(wByLayer.Panels, wPanel)
		ratioFig.Panels = append(ratioFig.Panels, rPanel)
	}
	res.Figures = append(res.Figures, byLayer, wByLayer, ratioFig)
	res.Tables = append(res.Tables, ratioTable, wTable)
	res.Records = append(res.Records, records)

	res.Verdicts = append(res.Verdicts, vanishingVerdict(c, verdictDepth, zRatio, wRatio))
	res.Verdicts = append(res.Verdicts, passOrBlockVerdict(blockedRelu, passRelu, blockedOther, blockedOtherMax, blockedOtherName))

	if len(c.TrainDepths) > 0 && len(c.TrainNets) > 0 {
		trainTable, trainRecords, fig, curves, verdicts := summarizeDepthTraining(c, trains)
		res.Tables = append(res.Tables, trainTable)
		res.Records = append(res.Records, trainRecords)
		res.Figures = append(res.Figures, fig, curves)
		res.Verdicts = append(res.Verdicts, verdicts...)
	}
	return res, nil
}

// The C3 rule, at the verdict depth, on the back-propagated gradient:
// sigmoid and tanh (each under Xavier, the init Glorot & Bengio designed for
// them) "vanish" if the upper end of the 95% CI of log10(first/last) is
// below -3 (more than 1000x); ReLU under He "keeps its strength" if its
// whole CI lies within one decade (|log10| <= 1).
func vanishingVerdict(c *Config, depth int, zRatio, wRatio map[vanishingKey]metrics.Estimate) result.Verdict {
	v := result.Verdict{Claim: "C3",
		Statement: "sigmoid/tanh gradients shrink layer by layer while ReLU's keep their strength (at initialisation)",
		Rule: fmt.Sprintf("at depth %d, on ||dL/dz_1||/||dL/dz_L||: a saturating activation vanishes if the upper 95%% CI bound of log10 is below -3 (xavier-normal); "+
			"ReLU keeps its strength if the whole CI of log10 lies in [-1, 1] (he-normal). CONFIRMED if sigmoid and tanh vanish and ReLU keeps; "+
			"REFUTED if ReLU does not keep or neither sigmoid nor tanh vanishes; MIXED otherwise", depth)}
	get := func(variant, init string) (metrics.Estimate, bool) {
		e, ok := zRatio[vanishingKey{variant, init, depth}]
		return e, ok && e.N > 0
	}
	sig, okS := get("sigmoid", "xavier-normal")
	tanh, okT := get("tanh", "xavier-normal")
	relu, okR := get("relu", "he-normal")
	reluX, okRX := get("relu", "xavier-normal")
	if !okR || (!okS && !okT) {
		v.Outcome = result.Mixed
		v.Why = "the configuration did not measure relu under he-normal and sigmoid or tanh under xavier-normal, so the rule cannot be applied"
		return v
	}
	vanishes := func(e metrics.Estimate, ok bool) bool { return ok && e.Hi < -3 }
	keeps := relu.Lo >= -1 && relu.Hi <= 1
	sigV, tanhV := vanishes(sig, okS), vanishes(tanh, okT)
	add := func(name string, e metrics.Estimate) {
		v.Evidence = append(v.Evidence, result.Evidence{Name: name, Estimate: e, Unit: "log10"})
	}
	if okS {
		add(fmt.Sprintf("sigmoid xavier-normal depth %d log10(first/last)", depth), sig)
	}
	if okT {
		add(fmt.Sprintf("tanh xavier-normal depth %d log10(first/last)", depth), tanh)
	}
	add(fmt.Sprintf("relu he-normal depth %d log10(first/last)", depth), relu)
	if okRX {
		add(fmt.Sprintf("relu xavier-normal depth %d log10(first/last)", depth), reluX)
	}
	if w, ok := wRatio[vanishingKey{"relu", "xavier-normal", depth}]; ok && w.N > 0 {
		add(fmt.Sprintf("relu xavier-normal depth %d log10 weight-gradient first/last", depth), w)
	}
	switch {
	case !keeps || (!sigV && !tanhV):
		v.Outcome = result.Refuted
	case sigV && tanhV:
		v.Outcome = result.Confirmed
	default:
		v.Outcome = result.Mixed
	}
	parts := []string{}
	if okS {
		parts = append(parts, fmt.Sprintf("sigmoid's first-layer gradient is 10^%.1f of its last layer's", sig.Mean))
	}
	if okT {
		parts = append(parts, fmt.Sprintf("tanh's 10^%.1f", tanh.Mean))
	}
	parts = append(parts, fmt.Sprintf("ReLU's under He init 10^%.2f", relu.Mean))
	why := fmt.Sprintf("At depth %d %s", depth, strings.Join(parts, ", "))
	if okRX {
		why += fmt.Sprintf("; but ReLU under Xavier init shrinks too (10^%.1f), so ReLU's advantage depends on the initialiser", reluX.Mean)
	}
	v.Why = why + "."
	return v
}

// The C4 rule: for ReLU every entry of dL/dz is either dL/dh exactly or 0
// (fraction 1, to rounding), and for every other activation measured fewer
// than 1% of entries are exactly zero.
func passOrBlockVerdict(blockedRelu, passRelu, blockedOther []float64, otherMax float64, otherName string) result.Verdict {
	v := result.Verdict{Claim: "C4",
		Statement: "ReLU's derivative is 0 or 1: each gradient entry passes unchanged or is blocked",
		Rule:      "CONFIRMED if, over all ReLU layers and seeds, the fraction of dL/dz entries equal to dL/dh or exactly 0 is 1 (to 1e-12), and no other activation blocks more than 1% of entries; REFUTED if ReLU's fraction is below 1; MIXED otherwise"}
	if len(passRelu) == 0 {
		v.Outcome = result.Mixed
		v.Why = "relu was not among the measured variants, so the rule cannot be applied"
		return v
	}
	pass := metrics.MeanCI(passRelu)
	minPass := slices.Min(passRelu)
	blocked := metrics.MeanCI(blockedRelu)
	v.Evidence = append(v.Evidence,
		result.Evidence{Name: "relu: fraction of dz entries passed unchanged or blocked", Estimate: pass},
		result.Evidence{Name: "relu: fraction of dz entries blocked (exactly 0)", Estimate: blocked})
	if len(blockedOther) > 0 {
		v.Evidence = append(v.Evidence, result.Evidence{Name: "other activations: fraction of dz entries exactly 0", Estimate: metrics.MeanCI(blockedOther)})
	}
	switch {
	case minPass < 1-1e-12:
		v.Outcome = result.Refuted
		v.Why = fmt.Sprintf("Some ReLU gradient entries were neither passed nor blocked (lowest fraction %.6f).", minPass)
	case otherMax > 0.01:
		v.Outcome = result.Mixed
		v.Why = fmt.Sprintf("ReLU passes or blocks every entry (%.1f%% blocked at init), but %s also blocks %.1f%% of entries.", 100*blocked.Mean, otherName, 100*otherMax)
	default:
		v.Outcome = result.Confirmed
		v.Why = fmt.Sprintf("Every ReLU gradient entry was passed unchanged or blocked, %.1f%% [%.1f, %.1f] of them blocked at initialisation; the other activations block at most %.2f%%.",
			100*blocked.Mean, 100*blocked.Lo, 100*blocked.Hi, 100*otherMax)
	}
	return v
}

// summarizeDepthTraining reads the MNIST runs: test accuracy by depth for
// each net, and the He et al. 2015 rule.
func summarizeDepthTraining(c *Config, trains map[vanishingKey][]kit.TrainOutcome) (result.Table, result.Table, result.Figure, result.Figure, []result.Verdict) {
	table := result.Table{Name: "mnist-by-depth", Title: fmt.Sprintf("MNIST test accuracy after %d epoch(s) on %d examples, mean [95%% CI] over seeds", c.Epochs, c.TrainExamples),
		Columns: append([]string{"net"}, kit.DepthHeaders(c.TrainDepths)...),
		Note:    "Chance is 0.10. A run that diverged (NaN/Inf) counts as chance and is flagged with its count."}
	records := result.Table{Name: "mnist-by-depth", Columns: []string{"variant", "init", "depth", "seed", "epoch", "train_loss", "train_acc", "test_loss", "test_acc", "diverged", "diverged_step"}}
	fig := result.Figure{Name: "mnist-by-depth", Title: "Which deep nets still learn MNIST",
		Caption: fmt.Sprintf("Test accuracy after %d epoch(s) (%s, lr %g, width %d), mean over seeds with 95%% CI band. Chance is 0.1.", c.Epochs, c.Optimizer, c.LR, c.TrainWidth)}
	panel := result.Panel{Kind: result.LinePanel, XLabel: "depth (hidden layers)", YLabel: "test accuracy", YMin: 0, YMax: 1}
	deepestTrain := slices.Max(c.TrainDepths)
	curves := result.Figure{Name: "mnist-curves", Title: fmt.Sprintf("Test accuracy by epoch, depth %d", deepestTrain),
		Caption: "Mean over seeds with 95% CI band; epoch 0 is before training."}
	curvePanel := result.Panel{Kind: result.LinePanel, XLabel: "epoch", YLabel: "test accuracy", YMin: 0, YMax: 1}
	finalAcc := map[string]metrics.Estimate{}
	for i, pair := range c.TrainNets {
		v, in, _ := parseNetPair(pair)
		row := []string{pair}
		var xs, ys, lo, hi []float64
		for _, depth := range c.TrainDepths {
			runs := trains[vanishingKey{v, string(in), depth}]
			var accs []float64
			diverged := 0
			for seed, o := range runs {
				acc := o.Final().TestAcc
				if o.Diverged {
					diverged++
					acc = 0.1
				}
				accs = append(accs, acc)
				for _, e := range o.Epochs {
					records.Rows = append(records.Rows, []string{v, string(in), kit.Itoa(depth), kit.Itoa(seed), kit.Itoa(e.Epoch),
						kit.Ftoa(e.TrainLoss), kit.Ftoa(e.TrainAcc), kit.Ftoa(e.TestLoss), kit.Ftoa(e.TestAcc), fmt.Sprint(o.Diverged), kit.Itoa(o.DivergedStep)})
				}
			}
			e := metrics.MeanCI(accs).Clamp(0, 1)
			cellText := kit.FmtEstimate(e, 3)
			if diverged > 0 {
				cellText += fmt.Sprintf(" (%d diverged)", diverged)
			}
			row = append(row, cellText)
			xs, ys, lo, hi = append(xs, float64(depth)), append(ys, e.Mean), append(lo, e.Lo), append(hi, e.Hi)
			if depth == deepestTrain {
				finalAcc[pair] = e
				curvePanel.Lines = append(curvePanel.Lines, kit.EpochCurve(pair, runs, i))
			}
		}
		table.Rows = append(table.Rows, row)
		panel.Lines = append(panel.Lines, result.Line{Label: pair, X: xs, Y: ys, Lo: lo, Hi: hi, Points: true, Style: i})
	}
	fig.Panels = []result.Panel{panel}
	curves.Panels = []result.Panel{curvePanel}
	return table, records, fig, curves, depthTrainingVerdicts(deepestTrain, finalAcc)
}

// apart reports whether a's interval lies entirely above b's.
func apart(a, b metrics.Estimate) bool { return a.Lo > b.Hi }

func depthTrainingVerdicts(depth int, acc map[string]metrics.Estimate) []result.Verdict {
	var out []result.Verdict
	he, okHe := acc["relu/he-normal"]
	xav, okX := acc["relu/xavier-normal"]
	if okHe && okX {
		v := result.Verdict{Claim: "C3",
			Statement: fmt.Sprintf("He et al. 2015: a %d-layer ReLU net trains with He init and stalls with Xavier init", depth),
			Rule: fmt.Sprintf("MNIST test accuracy at depth %d, 95%% CIs over seeds (chance 0.1): CONFIRMED if relu/he-normal learns (CI at or above %.1f), relu/xavier-normal stalls (CI below %.1f) "+
				"and the two CIs are apart; REFUTED if relu/he-normal's CI is not above relu/xavier-normal's, or relu/xavier-normal learns; MIXED otherwise",
				depth, kit.StallsAccuracy, kit.StallsAccuracy),
			Evidence: []result.Evidence{
				{Name: fmt.Sprintf("relu/he-normal depth %d test accuracy", depth), Estimate: he},
				{Name: fmt.Sprintf("relu/xavier-normal depth %d test accuracy", depth), Estimate: xav},
			}}
		switch {
		case !apart(he, xav) || kit.Learns(xav):
			v.Outcome = result.Refuted
		case kit.Learns(he) && kit.Stalls(xav):
			v.Outcome = result.Confirmed
		default:
			v.Outcome = result.Mixed
		}
		v.Why = fmt.Sprintf("At depth %d, ReLU with He init reached %.3f [%.3f, %.3f] test accuracy and with Xavier init %.3f [%.3f, %.3f] (chance 0.1).",
			depth, he.Mean, he.Lo, he.Hi, xav.Mean, xav.Lo, xav.Hi)
		out = append(out, v)
	}
	sig, okS := acc["sigmoid/xavier-normal"]
	if okHe && okS {
		v := result.Verdict{Claim: "C3",
			Statement: fmt.Sprintf("a deep (%d-layer) sigmoid net stalls where the same ReLU net trains", depth),
			Rule: fmt.Sprintf("MNIST test accuracy at depth %d, 95%% CIs over seeds (chance 0.1): CONFIRMED if relu/he-normal learns (CI at or above %.1f), sigmoid/xavier-normal stalls (CI below %.1f) "+
				"and the two CIs are apart; REFUTED if sigmoid's CI is not below ReLU's; MIXED otherwise",
				depth, kit.StallsAccuracy, kit.StallsAccuracy),
			Evidence: []result.Evidence{
				{Name: fmt.Sprintf("relu/he-normal depth %d test accuracy", depth), Estimate: he},
				{Name: fmt.Sprintf("sigmoid/xavier-normal depth %d test accuracy", depth), Estimate: sig},
			}}
		if t, ok := acc["tanh/xavier-normal"]; ok {
			v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("tanh/xavier-normal depth %d test accuracy", depth), Estimate: t})
		}
		switch {
		case !apart(he, sig):
			v.Outcome = result.Refuted
		case kit.Learns(he) && kit.Stalls(sig):
			v.Outcome = result.Confirmed
		default:
			v.Outcome = result.Mixed
		}
		v.Why = fmt.Sprintf("At depth %d, sigmoid reached %.3f [%.3f, %.3f] test accuracy against ReLU's %.3f [%.3f, %.3f].", depth, sig.Mean, sig.Lo, sig.Hi, he.Mean, he.Lo, he.Hi)
		if t, ok := acc["tanh/xavier-normal"]; ok {
			v.Why = strings.TrimSuffix(v.Why, ".") + fmt.Sprintf("; tanh, which barely loses gradient under Xavier init, reached %.3f.", t.Mean)
		}
		out = append(out, v)
	}
	return out
}

// logBandLine is the geometric mean over seeds of a per-layer quantity with
// its 95% CI band.
func logBandLine(label string, layers []float64, rs []vanishingResult, style int, get func(vanishingResult, int) float64) result.Line {
	ln := result.Line{Label: label, X: layers, Style: style}
	for l := range layers {
		vals := make([]float64, len(rs))
		for i, r := range rs {
			vals[i] = get(r, l)
		}
		e := kit.LogStats(vals)
		ln.Y, ln.Lo, ln.Hi = append(ln.Y, kit.Pow10(e.Mean)), append(ln.Lo, kit.Pow10(e.Lo)), append(ln.Hi, kit.Pow10(e.Hi))
	}
	return ln
}

func meanOf(rs []vanishingResult, get func(vanishingResult) float64) float64 {
	var s float64
	for _, r := range rs {
		s += get(r)
	}
	return s / float64(len(rs))
}

func meanSquare(xs []float64) float64 {
	var s float64
	for _, v := range xs {
		s += v * v
	}
	return s / float64(len(xs))
}

// vanishingMemory bounds a cell's memory: the deepest net at initialisation
// or the deepest MNIST net; MNIST is shared when any net is trained.
func vanishingMemory(c *Config) (perCell, shared int64) {
	perCell = kit.MLPBytes(c.Width, kit.RepeatInt(c.Width, kit.MaxOf(c.Depths)), 10, c.Batch)
	if len(c.TrainDepths) > 0 {
		perCell = max(perCell, kit.MLPBytes(784, kit.RepeatInt(c.TrainWidth, kit.MaxOf(c.TrainDepths)), 10, c.TrainBatch))
		shared = kit.MNISTBytes
	}
	return perCell, shared
}
