package sparsity

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// Experiment "sparsity": claim C5.
//
// The blog: ReLU thresholds at 0, so many signals are eliminated and the
// model becomes sparse, which has its good points. Glorot, Bordes & Bengio
// 2011 measured it: rectifier nets on MNIST end with 83.4% of hidden
// activations exactly zero, against about 50% at initialisation.
//
// Each variant trains the same MNIST MLP with the same optimiser and
// learning rate. Before training and after every epoch the hidden
// activations on a fixed probe set (the first examples of the training set)
// are counted: exactly zero (only ReLU-like units can output an exact zero)
// and nearly zero (|h| < NearZeroEps), per layer, with test accuracy beside.
// A histogram of all hidden activations, at initialisation and after
// training, shows where the rest of the mass lies.

// Config configures the sparsity experiment.
type Config struct {
	Variants      []string `json:"variants" flag:"variant" help:"activations to compare"`
	Width         int      `json:"width" flag:"width" help:"hidden width"`
	Depth         int      `json:"depth" flag:"depth" help:"hidden layers"`
	TrainExamples int      `json:"train_examples" flag:"train-examples" help:"MNIST training examples used"`
	TestExamples  int      `json:"test_examples" flag:"test-examples" help:"MNIST test examples evaluated"`
	ProbeExamples int      `json:"probe_examples" flag:"probe-examples" help:"training examples (the first ones) on which activations are counted"`
	Epochs        int      `json:"epochs" flag:"epochs" help:"training epochs"`
	Batch         int      `json:"batch" flag:"batch" help:"minibatch size"`
	Optimizer     string   `json:"optimizer" flag:"optimizer" help:"sgd, momentum or adam"`
	LR            float64  `json:"lr" flag:"lr" help:"learning rate (the same for every variant)"`
	Seeds         int      `json:"seeds" flag:"seeds" help:"seeds per variant"`
}

func sparsityDefaults(quick bool) *Config {
	c := &Config{
		Variants:      []string{"relu", "leaky", "prelu", "elu", "softplus", "tanh"},
		Width:         64,
		Depth:         3,
		TrainExamples: 10000,
		TestExamples:  10000,
		ProbeExamples: 2000,
		Epochs:        5,
		Batch:         64,
		Optimizer:     "sgd",
		LR:            0.1,
		Seeds:         5,
	}
	if quick {
		c.Variants = []string{"relu", "leaky", "elu", "tanh"}
		c.Width, c.Depth = 32, 2
		c.TrainExamples, c.TestExamples, c.ProbeExamples = 2000, 1000, 500
		c.Epochs, c.Seeds = 2, 3
	}
	return c
}

func validateSparsity(c *Config) error {
	if err := kit.CheckVariants(c.Variants); err != nil {
		return err
	}
	if err := kit.CheckPositive("width, depth, train-examples, test-examples, probe-examples, epochs, batch and seeds",
		c.Width, c.Depth, c.TrainExamples, c.TestExamples, c.ProbeExamples, c.Epochs, c.Batch, c.Seeds); err != nil {
		return err
	}
	if c.ProbeExamples > c.TrainExamples {
		return fmt.Errorf("probe-examples (%d) must not exceed train-examples (%d): the probe set is part of the training set", c.ProbeExamples, c.TrainExamples)
	}
	_, err := model.NewOptimizer(c.Optimizer, c.LR)
	return err
}

type sparsityCell struct {
	Variant       string  `json:"variant"`
	Seed          int     `json:"seed"`
	Width         int     `json:"width"`
	Depth         int     `json:"depth"`
	TrainExamples int     `json:"train_examples"`
	TestExamples  int     `json:"test_examples"`
	ProbeExamples int     `json:"probe_examples"`
	Epochs        int     `json:"epochs"`
	Batch         int     `json:"batch"`
	Optimizer     string  `json:"optimizer"`
	LR            float64 `json:"lr"`
}

func sparsityCells(c *Config) []harness.Cell[sparsityCell] {
	var cells []harness.Cell[sparsityCell]
	for _, v := range c.Variants {
		for s := range c.Seeds {
			p := sparsityCell{Variant: v, Seed: s, Width: c.Width, Depth: c.Depth, TrainExamples: c.TrainExamples, TestExamples: c.TestExamples,
				ProbeExamples: c.ProbeExamples, Epochs: c.Epochs, Batch: c.Batch, Optimizer: c.Optimizer, LR: c.LR}
			id := fmt.Sprintf("%s/w%d/d%d/n%d/p%d/e%d/b%d/%s-lr%g/s%d", v, c.Width, c.Depth, c.TrainExamples, c.ProbeExamples, c.Epochs, c.Batch, c.Optimizer, c.LR, s)
			weights := float64(784*c.Width + (c.Depth-1)*c.Width*c.Width)
			cells = append(cells, harness.Cell[sparsityCell]{ID: id, Params: p, Cost: 6 * weights * float64(c.TrainExamples*c.Epochs)})
		}
	}
	return cells
}

// sparsityEpoch describes the hidden layers on the probe set after an
// epoch (epoch 0: at initialisation), one entry per layer.
type sparsityEpoch struct {
	Epoch    int       `json:"epoch"`
	Zero     []float64 `json:"zero"`
	NearZero []float64 `json:"near_zero"`
	Dead     []float64 `json:"dead"`
}

type sparsityResult struct {
	Train  kit.TrainOutcome `json:"train"`
	Epochs []sparsityEpoch  `json:"epochs"`
	// Histograms of every hidden activation on the probe set, at
	// initialisation and after the last epoch (nil if the run diverged).
	Init    *metrics.Histogram `json:"init_hist"`
	Trained *metrics.Histogram `json:"trained_hist,omitempty"`
}

// Histogram bins: 0.1 wide from -1.5 (below ELU's and tanh's floor of -1)
// to 6, where the last ReLU activations thin out; beyond goes to Over.
const (
	histLo   = -1.5
	histHi   = 6.0
	histBins = 75
)

func runSparsityCell(ctx context.Context, env *harness.Env, p sparsityCell, rng *rand.Rand) (sparsityResult, error) {
	trainAll, testAll, err := env.MNIST()
	if err != nil {
		return sparsityResult{}, err
	}
	train, test := kit.Head(trainAll, p.TrainExamples), kit.Head(testAll, p.TestExamples)
	probe := kit.Head(trainAll, p.ProbeExamples)
	net, err := model.NewMLP(model.MLPSpec{Inputs: train.Dim, Hidden: kit.RepeatInt(p.Width, p.Depth), Outputs: 10,
		Activation: model.ActivationSpec{Name: p.Variant}, Init: model.Init{Scheme: model.HeNormal}}, rng)
	if err != nil {
		return sparsityResult{}, err
	}
	var r sparsityResult
	after := func(epoch int, n *model.Network) {
		st := sparsityEpoch{Epoch: epoch}
		for _, a := range kit.MeasureActivity(n, probe, 1000) {
			st.Zero, st.NearZero, st.Dead = append(st.Zero, a.Zero), append(st.NearZero, a.NearZero), append(st.Dead, a.Dead)
		}
		r.Epochs = append(r.Epochs, st)
		switch epoch {
		case 0:
			r.Init = activationHistogram(n, probe)
		case p.Epochs:
			r.Trained = activationHistogram(n, probe)
		}
	}
	r.Train, err = kit.TrainClassifier(ctx, net, train, test, kit.TrainSpec{Epochs: p.Epochs, Batch: p.Batch, Optimizer: p.Optimizer, LR: p.LR}, rng, kit.TrainHooks{AfterEpoch: after})
	return r, err
}

// activationHistogram counts every hidden activation of net on set.
func activationHistogram(net *model.Network, set *data.Set) *metrics.Histogram {
	h := metrics.NewHistogram(histLo, histHi, histBins)
	x := kit.AsMatrix(set)
	view := &model.Matrix{Cols: x.Cols}
	for start := 0; start < x.Rows; start += 1000 {
		end := min(start+1000, x.Rows)
		view.Rows, view.Data = end-start, x.Data[start*x.Cols:end*x.Cols]
		net.Forward(view, false)
		for l := range net.NumHidden() {
			h.Add(net.Hidden(l).Activation.Data)
		}
	}
	return h
}

// Sparsity is the experiment for claim C5.
func New() harness.Experiment {
	return harness.Register(harness.Definition[Config, sparsityCell, sparsityResult]{
		Name:    "sparsity",
		Claims:  []string{"C5"},
		Summary: "exact and near zeros in hidden layers at init and over training on MNIST, per activation, with accuracy",
		Doc: `Trains the same MNIST MLP with each activation (same optimiser and learning
rate) and counts, on a fixed probe set of training examples, the hidden
activations that are exactly zero and those below 1e-3 in magnitude, per layer,
at initialisation and after every epoch, with test accuracy beside them, and a
histogram of the activations before and after training. Anchor: Glorot, Bordes
& Bengio 2011 report 83.4% exact zeros after training on MNIST, about 50% at
initialisation.`,
		Defaults:  sparsityDefaults,
		Validate:  validateSparsity,
		Cells:     sparsityCells,
		Run:       runSparsityCell,
		Summarize: summarizeSparsity,
		Memory:    sparsityMemory,
	})
}

// Glorot, Bordes & Bengio 2011, rectifier nets on MNIST.
const (
	glorotTrainedZeros = 0.834
	glorotInitZeros    = 0.5
)

// sparsityStats reads one variant's runs.
type sparsityStats struct {
	zeroInit, zeroTrained, nearInit, nearTrained, acc metrics.Estimate
	layerZeroInit, layerZeroTrained                   []metrics.Estimate
	layerNearInit, layerNearTrained                   []metrics.Estimate
	diverged, runs                                    int
}

func readSparsity(c *Config, runs []sparsityResult) sparsityStats {
	st := sparsityStats{runs: len(runs)}
	var zi, zt, ni, nt, acc []float64
	lzi, lzt, lni, lnt := make([][]float64, c.Depth), make([][]float64, c.Depth), make([][]float64, c.Depth), make([][]float64, c.Depth)
	for _, r := range runs {
		if len(r.Epochs) == 0 {
			// Non-finite already at initialisation: nothing was measured.
			st.diverged++
			acc = append(acc, 0.1)
			continue
		}
		init := r.Epochs[0]
		zi, ni = append(zi, kit.Mean(init.Zero)), append(ni, kit.Mean(init.NearZero))
		for l := range c.Depth {
			lzi[l], lni[l] = append(lzi[l], init.Zero[l]), append(lni[l], init.NearZero[l])
		}
		if r.Train.Diverged {
			st.diverged++
			acc = append(acc, 0.1)
			continue
		}
		last := r.Epochs[len(r.Epochs)-1]
		zt, nt = append(zt, kit.Mean(last.Zero)), append(nt, kit.Mean(last.NearZero))
		for l := range c.Depth {
			lzt[l], lnt[l] = append(lzt[l], last.Zero[l]), append(lnt[l], last.NearZero[l])
		}
		acc = append(acc, r.Train.Final().TestAcc)
	}
	ci := func(xs []float64) metrics.Estimate { return metrics.MeanCI(xs).Clamp(0, 1) }
	st.zeroInit, st.zeroTrained, st.nearInit, st.nearTrained, st.acc = ci(zi), ci(zt), ci(ni), ci(nt), ci(acc)
	for l := range c.Depth {
		st.layerZeroInit = append(st.layerZeroInit, ci(lzi[l]))
		st.layerZeroTrained = append(st.layerZeroTrained, ci(lzt[l]))
		st.layerNearInit = append(st.layerNearInit, ci(lni[l]))
		st.layerNearTrained = append(st.layerNearTrained, ci(lnt[l]))
	}
	return st
}

func summarizeSparsity(c *Config, done []harness.Done[sparsityCell, sparsityResult]) (*result.Result, error) {
	runs := map[string][]sparsityResult{}
	for _, d := range done {
		runs[d.Params.Variant] = append(runs[d.Params.Variant], d.Result)
	}
	stats := map[string]sparsityStats{}
	for _, v := range c.Variants {
		stats[v] = readSparsity(c, runs[v])
	}
	res := &result.Result{}

	summary := result.Table{Name: "sparsity",
		Title:   fmt.Sprintf("Hidden activations on %d training examples, all %d hidden layers of %d, before and after %d epochs (%s, lr %g), mean [95%% CI] over seeds", c.ProbeExamples, c.Depth, c.Width, c.Epochs, c.Optimizer, c.LR),
		Columns: []string{"variant", "exact zeros, init", "exact zeros, trained", fmt.Sprintf("|h| < %g, init", kit.NearZeroEps), fmt.Sprintf("|h| < %g, trained", kit.NearZeroEps), "test accuracy", "diverged"},
		Note:    "Glorot, Bordes & Bengio 2011 (rectifier nets, MNIST): 83.4% exact zeros after training, about 50% at initialisation. Trained columns leave out diverged runs; test accuracy counts them as chance (0.1)."}
	byLayer := result.Table{Name: "sparsity-by-layer", Title: "Exact zeros and near zeros per hidden layer, mean [95% CI] over seeds",
		Columns: []string{"variant", "layer", "exact zeros, init", "exact zeros, trained", fmt.Sprintf("|h| < %g, init", kit.NearZeroEps), fmt.Sprintf("|h| < %g, trained", kit.NearZeroEps)}}
	for _, v := range c.Variants {
		s := stats[v]
		summary.Rows = append(summary.Rows, []string{v, kit.FmtEstimate(s.zeroInit, 3), kit.FmtEstimate(s.zeroTrained, 3), kit.FmtEstimate(s.nearInit, 3),
			kit.FmtEstimate(s.nearTrained, 3), kit.FmtEstimate(s.acc, 4), fmt.Sprintf("%d/%d", s.diverged, s.runs)})
		for l := range c.Depth {
			byLayer.Rows = append(byLayer.Rows, []string{v, kit.Itoa(l + 1), kit.FmtEstimate(s.layerZeroInit[l], 3), kit.FmtEstimate(s.layerZeroTrained[l], 3),
				kit.FmtEstimate(s.layerNearInit[l], 3), kit.FmtEstimate(s.layerNearTrained[l], 3)})
		}
	}
	res.Tables = append(res.Tables, summary, byLayer)

	records := result.Table{Name: "sparsity", Columns: []string{"variant", "seed", "epoch", "layer", "exact_zero", "near_zero", "dead", "train_loss", "test_acc", "diverged"}}
	hist := result.Table{Name: "histograms", Columns: []string{"variant", "stage", "bin_lo", "bin_hi", "count"}}
	for _, v := range c.Variants {
		for seed, r := range runs[v] {
			for i, e := range r.Epochs {
				ep := r.Train.Epochs[i]
				for l := range e.Zero {
					records.Rows = append(records.Rows, []string{v, kit.Itoa(seed), kit.Itoa(e.Epoch), kit.Itoa(l + 1), kit.Ftoa(e.Zero[l]), kit.Ftoa(e.NearZero[l]), kit.Ftoa(e.Dead[l]),
						kit.Ftoa(ep.TrainLoss), kit.Ftoa(ep.TestAcc), fmt.Sprint(r.Train.Diverged)})
				}
			}
		}
		for _, stage := range []string{"init", "trained"} {
			h := pooledHistogram(runs[v], stage == "trained")
			if h == nil {
				continue
			}
			width := (h.Hi - h.Lo) / float64(len(h.Counts))
			hist.Rows = append(hist.Rows,
				[]string{v, stage, "0", "0", kit.Itoa(h.Zeros)},
				[]string{v, stage, "-Inf", kit.Ftoa(h.Lo), kit.Itoa(h.Under)})
			for b, n := range h.Counts {
				hist.Rows = append(hist.Rows, []string{v, stage, kit.Ftoa(h.Lo + float64(b)*width), kit.Ftoa(h.Lo + float64(b+1)*width), kit.Itoa(n)})
			}
			hist.Rows = append(hist.Rows, []string{v, stage, kit.Ftoa(h.Hi), "+Inf", kit.Itoa(h.Over)})
		}
	}
	res.Records = append(res.Records, records, hist)
	res.Figures = append(res.Figures, sparsityOverEpochs(c, runs), histogramFigure(c, runs))
	res.Verdicts = append(res.Verdicts, sparserVerdict(stats), sparseAccuracyVerdict(c, stats))
	res.Notes = append(res.Notes,
		fmt.Sprintf("Activations are counted on the first %d training examples, in evaluation mode; the histogram row with bin 0 to 0 counts exact zeros, which are not binned.", c.ProbeExamples),
		"Every variant trains with the same optimiser and learning rate; none is tuned, so accuracy differences of a few tenths of a percent may reflect that choice.",
		"Glorot et al.'s nets and training differ from this small MLP; their 83.4% is context for the reader, not a target.")
	if slices.Contains(c.Variants, "twosided") {
		res.Notes = append(res.Notes, "A two-sided unit writes two columns, relu(z) and min(z, 0), one of which is always 0: its share of exact zeros is at least one half by construction, not a sign of sparsity.")
	}
	return res, nil
}

// pooledHistogram adds up the runs' histograms (trained ones leave out
// diverged runs); nil if there is none.
func pooledHistogram(runs []sparsityResult, trained bool) *metrics.Histogram {
	var out *metrics.Histogram
	for _, r := range runs {
		h := r.Init
		if trained {
			h = r.Trained
		}
		if h == nil {
			continue
		}
		if out == nil {
			out = metrics.NewHistogram(h.Lo, h.Hi, len(h.Counts))
		}
		out.Merge(h)
	}
	return out
}

func sparsityOverEpochs(c *Config, runs map[string][]sparsityResult) result.Figure {
	fig := result.Figure{Name: "sparsity-over-epochs", Title: "Exact zeros in hidden layers over training on MNIST",
		Caption: "Mean over seeds with 95% CI band; epoch 0 is initialisation. Dashed black: Glorot et al. 2011's 50% at initialisation and 83.4% after training (rectifier nets on MNIST).",
		Columns: 3}
	line := func(label string, style int, rs []sparsityResult, get func(sparsityResult, int) (float64, bool)) result.Line {
		ln := result.Line{Label: label, Points: true, Style: style}
		for e := 0; e <= c.Epochs; e++ {
			var xs []float64
			for _, r := range rs {
				if v, ok := get(r, e); ok {
					xs = append(xs, v)
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
	anchors := func() []result.Line {
		x := []float64{0, float64(c.Epochs)}
		// Style 6 (black in the palette) for the published values.
		return []result.Line{
			{Label: "Glorot 2011", X: x, Y: []float64{glorotTrainedZeros, glorotTrainedZeros}, Theory: true, Style: 6},
			{X: x, Y: []float64{glorotInitZeros, glorotInitZeros}, Theory: true, Style: 6},
		}
	}
	for l := 0; l < c.Depth; l++ {
		pn := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("layer %d", l+1), XLabel: "epoch", YLabel: "exact zeros", YMin: 0, YMax: 1}
		for vi, v := range c.Variants {
			pn.Lines = append(pn.Lines, line(v, vi, runs[v], func(r sparsityResult, e int) (float64, bool) {
				if e >= len(r.Epochs) {
					return 0, false
				}
				return r.Epochs[e].Zero[l], true
			}))
		}
		pn.Lines = append(pn.Lines, anchors()...)
		fig.Panels = append(fig.Panels, pn)
	}
	near := result.Panel{Kind: result.LinePanel, Title: "near zeros, all hidden layers", XLabel: "epoch", YLabel: fmt.Sprintf("share with |h| < %g", kit.NearZeroEps), YMin: 0, YMax: 1}
	acc := result.Panel{Kind: result.LinePanel, Title: "accuracy", XLabel: "epoch", YLabel: "test accuracy", YMin: 0, YMax: 1}
	for vi, v := range c.Variants {
		near.Lines = append(near.Lines, line(v, vi, runs[v], func(r sparsityResult, e int) (float64, bool) {
			if e >= len(r.Epochs) {
				return 0, false
			}
			return kit.Mean(r.Epochs[e].NearZero), true
		}))
		acc.Lines = append(acc.Lines, line(v, vi, runs[v], func(r sparsityResult, e int) (float64, bool) {
			if e >= len(r.Train.Epochs) {
				return 0, false
			}
			return r.Train.Epochs[e].TestAcc, true
		}))
	}
	fig.Panels = append(fig.Panels, near, acc)
	return fig
}

// histogramFigure draws, per variant, the share of activations in each bin
// before and after training on a log scale, and the share of exact zeros as
// a marker at 0.
func histogramFigure(c *Config, runs map[string][]sparsityResult) result.Figure {
	fig := result.Figure{Name: "activation-histograms", Title: "Hidden activations before and after training (all layers, probe set)",
		Caption: fmt.Sprintf("Share of all hidden activations per bin of width %g (log scale), pooled over seeds; exact zeros are not binned but marked at 0 (the share is the marker's height). Values beyond [%g, %g) are left out.", (histHi-histLo)/histBins, histLo, histHi),
		Columns: 3}
	for _, v := range c.Variants {
		pn := result.Panel{Kind: result.LinePanel, Title: v, XLabel: "activation h", YLabel: "share of activations", LogY: true}
		smallest := 1.0
		for si, stage := range []string{"init", "trained"} {
			h := pooledHistogram(runs[v], stage == "trained")
			if h == nil {
				continue
			}
			total := float64(h.Total())
			ln := result.Line{Label: stage, Style: si}
			for b, n := range h.Counts {
				ln.X = append(ln.X, h.Centre(b))
				ln.Y = append(ln.Y, float64(n)/total)
				if n > 0 {
					smallest = math.Min(smallest, float64(n)/total)
				}
			}
			pn.Lines = append(pn.Lines, ln)
			if h.Zeros > 0 {
				pn.Markers = append(pn.Markers, result.Marker{Label: "exact 0, " + stage, X: 0, Y: float64(h.Zeros) / total, Style: si})
			}
		}
		// Up to 1, so that a marker for the exact zeros is never clipped.
		pn.YMin, pn.YMax = math.Pow(10, math.Floor(math.Log10(smallest))), 1
		fig.Panels = append(fig.Panels, pn)
	}
	return fig
}

// The first C5 rule, on ReLU (all hidden layers pooled): CONFIRMED if the
// exact-zero fraction after training is at least 0.5 and its 95% CI lies
// above the one at initialisation (Glorot et al. 2011: 50% -> 83.4%);
// REFUTED if it is below 0.5 or its CI lies below the initial one; MIXED
// otherwise.
func sparserVerdict(stats map[string]sparsityStats) result.Verdict {
	v := result.Verdict{Claim: "C5",
		Statement: "ReLU makes hidden representations sparse, and training makes them sparser (Glorot et al. 2011: about 50% exact zeros at init, 83.4% after training)",
		Rule:      "ReLU, all hidden layers pooled, fraction of exactly-zero activations: CONFIRMED if after training it is >= 0.5 and its 95% CI lies above the CI at initialisation; REFUTED if after training it is < 0.5 or its CI lies below the initial one; MIXED otherwise"}
	s, ok := stats["relu"]
	if !ok || s.zeroTrained.N == 0 {
		v.Outcome = result.Mixed
		v.Why = "relu was not run, or every relu run diverged, so the rule cannot be applied."
		return v
	}
	v.Evidence = []result.Evidence{
		{Name: "relu exact zeros at initialisation", Estimate: s.zeroInit},
		{Name: "relu exact zeros after training", Estimate: s.zeroTrained},
	}
	switch {
	case s.zeroTrained.Mean >= 0.5 && s.zeroTrained.Lo > s.zeroInit.Hi:
		v.Outcome = result.Confirmed
	case s.zeroTrained.Mean < 0.5 || s.zeroTrained.Hi < s.zeroInit.Lo:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("ReLU's hidden activations were %.1f%% exactly zero at initialisation and %.1f%% after training (Glorot et al.: about 50%% and 83.4%%).",
		100*s.zeroInit.Mean, 100*s.zeroTrained.Mean)
	return v
}

// The second C5 rule: ReLU against every variant that is not sparse (fewer
// than 1% exact zeros after training). "Clearly worse" means ReLU's 95% CI
// of test accuracy lies entirely below the other's; "clearly better" the
// reverse. CONFIRMED if ReLU is clearly worse than none; REFUTED if it is
// clearly worse than at least one and clearly better than none; MIXED
// otherwise.
func sparseAccuracyVerdict(c *Config, stats map[string]sparsityStats) result.Verdict {
	v := result.Verdict{Claim: "C5",
		Statement: "ReLU's sparsity comes with equal or better accuracy than dense activations",
		Rule:      "MNIST test accuracy (diverged runs at chance), against every variant with < 1% exact zeros after training: CONFIRMED if ReLU's 95% CI lies entirely below none of theirs; REFUTED if it lies entirely below at least one and entirely above none; MIXED otherwise"}
	relu, ok := stats["relu"]
	if !ok {
		v.Outcome = result.Mixed
		v.Why = "relu was not run, so the rule cannot be applied."
		return v
	}
	v.Evidence = append(v.Evidence, result.Evidence{Name: "relu test accuracy", Estimate: relu.acc})
	var worse, better, dense []string
	for _, name := range c.Variants {
		s := stats[name]
		if name == "relu" || !(s.zeroTrained.N > 0 && s.zeroTrained.Mean < 0.01) {
			continue
		}
		dense = append(dense, fmt.Sprintf("%s %.4f", name, s.acc.Mean))
		v.Evidence = append(v.Evidence, result.Evidence{Name: name + " test accuracy", Estimate: s.acc})
		switch {
		case relu.acc.Hi < s.acc.Lo:
			worse = append(worse, name)
		case relu.acc.Lo > s.acc.Hi:
			better = append(better, name)
		}
	}
	if len(dense) == 0 {
		v.Outcome = result.Mixed
		v.Why = "No dense variant (fewer than 1% exact zeros after training) finished, so there is nothing to compare with."
		return v
	}
	switch {
	case len(worse) == 0:
		v.Outcome = result.Confirmed
	case len(better) == 0:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("ReLU reached %.4f test accuracy against %s; its CI lies below %d of them (%v) and above %d (%v).",
		relu.acc.Mean, joinOr(dense, "none"), len(worse), worse, len(better), better)
	return v
}

func joinOr(xs []string, empty string) string {
	if len(xs) == 0 {
		return empty
	}
	out := xs[0]
	for _, x := range xs[1:] {
		out += ", " + x
	}
	return out
}

// sparsityMemory bounds a cell's memory: one MNIST net.
func sparsityMemory(c *Config) (perCell, shared int64) {
	return kit.MLPBytes(784, kit.RepeatInt(c.Width, c.Depth), 10, c.Batch), kit.MNISTBytes
}
