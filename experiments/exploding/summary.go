package exploding

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

func summarizeExploding(c *Config, done []harness.Done[explodingCell, explodingResult]) (*result.Result, error) {
	grads, trains := groupCells(done)
	depth := verdictDepth(c)
	res := &result.Result{}
	stats := summarizeInit(c, grads, depth, res)
	evidence := initEvidenceOf(c, depth, stats)
	res.Verdicts = append(res.Verdicts, initVerdict(evidence))
	if note := initNote(evidence, stats); note != "" {
		res.Notes = append(res.Notes, note)
	}
	if c.TrainSeeds > 0 {
		res.Verdicts = append(res.Verdicts, summarizeTraining(c, trains, res)...)
	}
	return res, nil
}

type explodingKey struct {
	variant string
	gain    float64
	depth   int
}

// groupCells sorts the cell results into the nets measured at
// initialisation and the training runs, each in the order they were done.
func groupCells(done []harness.Done[explodingCell, explodingResult]) (map[explodingKey][]explodingResult, map[remedyRun][]explodingResult) {
	grads := map[explodingKey][]explodingResult{}
	trains := map[remedyRun][]explodingResult{}
	for _, d := range done {
		p := d.Params
		if p.Kind == "train" {
			k := remedyRun{p.BatchNorm, p.Clip, p.LR}
			trains[k] = append(trains[k], d.Result)
		} else {
			k := explodingKey{p.Variant, p.Gain, p.Depth}
			grads[k] = append(grads[k], d.Result)
		}
	}
	return grads, trains
}

// verdictDepth is the configured verdict depth, or the deepest measured if
// it was not measured.
func verdictDepth(c *Config) int {
	if !slices.Contains(c.Depths, c.VerdictDepth) {
		return slices.Max(c.Depths)
	}
	return c.VerdictDepth
}

// Part 1: at initialisation.

// initStats are the ratios over seeds of one (variant, gain, depth), in log10.
type initStats struct {
	z, w, example, act metrics.Estimate // first/last for gradients, last/first for activations
	mfZ, mfAct         float64          // mean-field predictions of z and act
}

// summarizeInit adds part 1's tables, records and figures to res and
// returns the ratios the verdict reads.
func summarizeInit(c *Config, grads map[explodingKey][]explodingResult, verdictDepth int, res *result.Result) map[explodingKey]initStats {
	stats, tables, records := initTables(c, grads)
	res.Tables = append(res.Tables, tables...)
	res.Records = append(res.Records, records)
	for _, g := range c.Gains {
		res.Figures = append(res.Figures, gradientByLayerFigure(c, grads, g, verdictDepth))
	}
	res.Figures = append(res.Figures, growthByGainFigure(c, stats))
	return stats
}

// initTables computes the ratios of every (variant, gain, depth) and lays
// them out in the three growth tables and the per-layer records.
func initTables(c *Config, grads map[explodingKey][]explodingResult) (map[explodingKey]initStats, []result.Table, result.Table) {
	gainHeaders := make([]string, len(c.Gains))
	for i, g := range c.Gains {
		gainHeaders[i] = fmt.Sprintf("g = %g", g)
	}
	records := result.Table{Name: "gradients", Title: "Every per-layer measurement at initialisation",
		Columns: []string{"variant", "gain", "depth", "seed", "layer", "preact_grad", "weight_grad", "example_weight_grad", "act_rms", "meanfield_preact_grad", "meanfield_act_rms"}}
	zTable := result.Table{Name: "gradient-growth", Title: "log10 of ||dL/dz_1|| / ||dL/dz_L||: growth of the back-propagated gradient from the last hidden layer to the first, mean [95% CI] over seeds",
		Columns: append([]string{"variant", "depth"}, gainHeaders...),
		Note:    "Positive: the gradient grows on its way back (explodes); negative: it shrinks. Mean-field prediction in parentheses; for ReLU it is (L-1) * 0.5 * log10(g/2)."}
	wTable := result.Table{Name: "weight-gradient-growth", Title: "log10 of ||dL/dW_1|| / ||dL/dW_L||: the same ratio for the weight gradient, mean [95% CI] over seeds / mean of the per-example version",
		Columns: append([]string{"variant", "depth"}, gainHeaders...),
		Note:    "The weight gradient multiplies each layer's input by its back-propagated gradient. The second number uses the mean over examples of ||h_{l-1,i}|| ||dz_{l,i}||, the per-example gradient, which mean-field theory predicts to be flat for ReLU at every gain."}
	aTable := result.Table{Name: "activation-growth", Title: "log10 of ||h_L|| / ||h_1||: growth of the activations from the first hidden layer to the last, mean [95% CI] over seeds",
		Columns: append([]string{"variant", "depth"}, gainHeaders...),
		Note:    "Mean-field prediction in parentheses. Tanh and sigmoid outputs are bounded (|h| <= 1 per unit), ReLU's are not."}

	stats := map[explodingKey]initStats{}
	for _, v := range c.Variants {
		for _, depth := range c.Depths {
			zRow, wRow, aRow := []string{v, kit.Itoa(depth)}, []string{v, kit.Itoa(depth)}, []string{v, kit.Itoa(depth)}
			for _, g := range c.Gains {
				k := explodingKey{v, g, depth}
				s, rows := initStatsOf(c, k, grads[k])
				stats[k] = s
				records.Rows = append(records.Rows, rows...)
				zRow = append(zRow, fmt.Sprintf("%s (%s)", kit.FmtEstimate(s.z, 2), kit.FmtFloat(s.mfZ, 2)))
				wRow = append(wRow, fmt.Sprintf("%s / %s", kit.FmtEstimate(s.w, 2), kit.FmtFloat(s.example.Mean, 2)))
				aRow = append(aRow, fmt.Sprintf("%s (%s)", kit.FmtEstimate(s.act, 2), kit.FmtFloat(s.mfAct, 2)))
			}
			zTable.Rows = append(zTable.Rows, zRow)
			wTable.Rows = append(wTable.Rows, wRow)
			aTable.Rows = append(aTable.Rows, aRow)
		}
	}
	return stats, []result.Table{zTable, wTable, aTable}, records
}

// initStatsOf computes the first-to-last ratios of one (variant, gain,
// depth) over its seeds, and its per-layer record rows beside the
// mean-field prediction.
func initStatsOf(c *Config, k explodingKey, rs []explodingResult) (initStats, [][]string) {
	depth := k.depth
	mf, mfAct := meanFieldInit(c, k.variant, k.gain, depth)
	mfZ := kit.AnchoredPrediction(mf, meanOfExploding(rs, func(r explodingResult) float64 { return r.PreActGrad[depth-1] }))
	var zr, wr, er, ar []float64
	var rows [][]string
	for seed, r := range rs {
		zr = append(zr, r.PreActGrad[0]/r.PreActGrad[depth-1])
		wr = append(wr, r.WeightGrad[0]/r.WeightGrad[depth-1])
		er = append(er, r.ExampleWGrad[0]/r.ExampleWGrad[depth-1])
		ar = append(ar, r.ActRMS[depth-1]/r.ActRMS[0])
		for l := 0; l < depth; l++ {
			rows = append(rows, []string{k.variant, kit.Ftoa(k.gain), kit.Itoa(depth), kit.Itoa(seed), kit.Itoa(l + 1),
				kit.Ftoa(r.PreActGrad[l]), kit.Ftoa(r.WeightGrad[l]), kit.Ftoa(r.ExampleWGrad[l]), kit.Ftoa(r.ActRMS[l]), kit.Ftoa(mfZ[l]), kit.Ftoa(mfAct[l])})
		}
	}
	s := initStats{z: kit.LogStats(zr), w: kit.LogStats(wr), example: kit.LogStats(er), act: kit.LogStats(ar),
		mfZ: metrics.Log10(mfZ[0] / mfZ[depth-1]), mfAct: metrics.Log10(mfAct[depth-1] / mfAct[0])}
	return s, rows
}

// meanFieldInit predicts a gain-initialised net of the configured width.
func meanFieldInit(c *Config, variant string, gain float64, depth int) (mf kit.MeanField, actRMS []float64) {
	mf = kit.ComputeMeanField(model.ActivationSpec{Name: variant}, model.Init{Scheme: model.Gain, Gain: gain}, c.Width, c.Width, 10, depth, 1)
	actRMS = make([]float64, depth)
	for l, s := range mf.ActSq {
		actRMS[l] = math.Sqrt(s)
	}
	return mf, actRMS
}

func meanOfExploding(rs []explodingResult, get func(explodingResult) float64) float64 {
	var s float64
	for _, r := range rs {
		s += get(r)
	}
	return s / float64(len(rs))
}

// gradientByLayerFigure shows, at one gain, the three per-layer quantities
// side by side.
func gradientByLayerFigure(c *Config, grads map[explodingKey][]explodingResult, g float64, verdictDepth int) result.Figure {
	layers := make([]float64, verdictDepth)
	for l := range layers {
		layers[l] = float64(l + 1)
	}
	fig := result.Figure{Name: fmt.Sprintf("gradient-by-layer-g%g", g), Columns: 3,
		Title: fmt.Sprintf("Gain g = %g (Var(w) = %g/fan_in): gradients and activations by layer, depth %d, at initialisation", g, g, verdictDepth),
		Caption: fmt.Sprintf("Geometric mean over seeds with 95%% CI band; dashed: mean-field prediction (for ||dL/dz_l|| anchored at the last hidden layer). Layer 1 is next to the input. "+
			"ReLU's critical gain is 2: above it ||dL/dz_l|| grows by sqrt(g/2) per layer towards the input (here %.2f) and the activations by as much towards the output.", math.Sqrt(g/2))}
	zPanel := result.Panel{Kind: result.LinePanel, Title: "back-propagated gradient", XLabel: "hidden layer", YLabel: "||dL/dz_l||", LogY: true}
	aPanel := result.Panel{Kind: result.LinePanel, Title: "activations", XLabel: "hidden layer", YLabel: "||h_l|| per example (RMS)", LogY: true}
	wPanel := result.Panel{Kind: result.LinePanel, Title: "weight gradient", XLabel: "hidden layer", YLabel: "||dL/dW_l||", LogY: true}
	for vi, v := range c.Variants {
		rs := grads[explodingKey{v, g, verdictDepth}]
		mf, mfAct := meanFieldInit(c, v, g, verdictDepth)
		perLayer := func(get func(explodingResult) []float64) func(int) []float64 {
			return func(l int) []float64 {
				out := make([]float64, len(rs))
				for i, r := range rs {
					out[i] = get(r)[l]
				}
				return out
			}
		}
		zPanel.Lines = append(zPanel.Lines,
			kit.GeoMeanLine(v, layers, perLayer(func(r explodingResult) []float64 { return r.PreActGrad }), vi),
			result.Line{Label: v + " (theory)", X: layers, Y: kit.AnchoredPrediction(mf, meanOfExploding(rs, func(r explodingResult) float64 { return r.PreActGrad[verdictDepth-1] })), Theory: true, Style: vi})
		aPanel.Lines = append(aPanel.Lines,
			kit.GeoMeanLine(v, layers, perLayer(func(r explodingResult) []float64 { return r.ActRMS }), vi),
			result.Line{Label: v + " (theory)", X: layers, Y: mfAct, Theory: true, Style: vi})
		wPanel.Lines = append(wPanel.Lines, kit.GeoMeanLine(v, layers, perLayer(func(r explodingResult) []float64 { return r.WeightGrad }), vi))
	}
	fig.Panels = []result.Panel{zPanel, aPanel, wPanel}
	return fig
}

// growthByGainFigure shows the growth per layer against the gain, one row
// of panels per depth: the L-1'th root of the first-to-last ratio, so that
// depths compare and sigmoid's tiny ratios do not squeeze the others into a
// line.
func growthByGainFigure(c *Config, stats map[explodingKey]initStats) result.Figure {
	byGain := result.Figure{Name: "growth-by-gain", Columns: 3, Title: "Growth per layer against the weight gain, at initialisation",
		Caption: "Geometric mean over seeds with 95% CI band of the (L-1)th root of a first-to-last-layer ratio; dashed: mean-field prediction (sqrt(g/2) for ReLU). Above 1: growth. " +
			"Left: back-propagated gradient, per layer towards the input. Middle: activations, per layer towards the output. Right: weight gradient, per layer towards the input."}
	for _, depth := range c.Depths {
		per := 1 / float64(depth-1)
		zPanel := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("depth %d: ||dL/dz|| per layer back", depth), XLabel: "gain g", YLabel: "factor per layer", LogY: true}
		aPanel := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("depth %d: ||h|| per layer forward", depth), XLabel: "gain g", YLabel: "factor per layer", LogY: true}
		wPanel := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("depth %d: ||dL/dW|| per layer back", depth), XLabel: "gain g", YLabel: "factor per layer", LogY: true}
		root := func(x float64) float64 { return kit.Pow10(x * per) }
		for vi, v := range c.Variants {
			var z, zlo, zhi, zth, a, alo, ahi, ath, w, wlo, whi []float64
			for _, g := range c.Gains {
				s := stats[explodingKey{v, g, depth}]
				z, zlo, zhi, zth = append(z, root(s.z.Mean)), append(zlo, root(s.z.Lo)), append(zhi, root(s.z.Hi)), append(zth, root(s.mfZ))
				a, alo, ahi, ath = append(a, root(s.act.Mean)), append(alo, root(s.act.Lo)), append(ahi, root(s.act.Hi)), append(ath, root(s.mfAct))
				w, wlo, whi = append(w, root(s.w.Mean)), append(wlo, root(s.w.Lo)), append(whi, root(s.w.Hi))
			}
			zPanel.Lines = append(zPanel.Lines, result.Line{Label: v, X: c.Gains, Y: z, Lo: zlo, Hi: zhi, Points: true, Style: vi},
				result.Line{Label: v + " (theory)", X: c.Gains, Y: zth, Theory: true, Style: vi})
			aPanel.Lines = append(aPanel.Lines, result.Line{Label: v, X: c.Gains, Y: a, Lo: alo, Hi: ahi, Points: true, Style: vi},
				result.Line{Label: v + " (theory)", X: c.Gains, Y: ath, Theory: true, Style: vi})
			wPanel.Lines = append(wPanel.Lines, result.Line{Label: v, X: c.Gains, Y: w, Lo: wlo, Hi: whi, Points: true, Style: vi})
		}
		byGain.Panels = append(byGain.Panels, zPanel, aPanel, wPanel)
	}
	return byGain
}

// initEvidenceOf collects, at the verdict depth, what the C7 rule at
// initialisation reads.
func initEvidenceOf(c *Config, depth int, stats map[explodingKey]initStats) initEvidence {
	at := func(variant string, g float64) initStats { return stats[explodingKey{variant, g, depth}] }
	e := initEvidence{depth: depth, top: slices.Max(c.Gains)}
	if slices.Contains(c.Variants, "relu") {
		for _, g := range c.Gains {
			e.relu = append(e.relu, gainGrowth{g, at("relu", g).z})
		}
	}
	for _, name := range []string{"tanh", "sigmoid"} {
		if !slices.Contains(c.Variants, name) {
			continue
		}
		b := boundedGrowth{name: name, atTop: at(name, e.top).z}
		for _, g := range c.Gains {
			b.growth = append(b.growth, gainGrowth{g, at(name, g).z})
		}
		e.bounded = append(e.bounded, b)
	}
	e.reluTop = at("relu", e.top)
	if s := at("tanh", e.top); s.z.N > 0 {
		e.tanhTopAct = &s.act
	}
	return e
}

// initNote is the note on weight gradients, written only when the verdict
// at initialisation was applied.
func initNote(e initEvidence, stats map[explodingKey]initStats) string {
	if len(e.superCritical()) == 0 {
		return ""
	}
	crit, hasCrit := stats[explodingKey{"relu", criticalGain, e.depth}]
	return weightGradientNote(e.depth, e.top, e.reluTop, crit, hasCrit && crit.z.N > 0)
}

// sameTrendDecades is how close, in log10, the batch weight gradient's
// trend must come to its trend at the critical gain to be called "about as
// much": a choice of wording, half a decade like flatDecades.
const sameTrendDecades = 0.5

// weightGradientNote states, when the numbers show it, that ReLU's weight
// gradient stays nearly flat while its back-propagated gradient explodes
// (weightGradientHidesExplosion). The batch weight gradient is reported
// beside it, with its value at the critical gain (crit), where nothing
// explodes, to tell a depth trend of its own from the explosion. Without
// those facts the note is empty.
func weightGradientNote(depth int, gain float64, s, crit initStats, hasCrit bool) string {
	if !weightGradientHidesExplosion(s) {
		return ""
	}
	note := fmt.Sprintf("Weight gradients hide the explosion: in a ReLU net at gain %g and depth %d, ||dL/dz|| grows by 10^%.2f from the last hidden layer to the first, "+
		"but the per-example weight gradient ||h_{l-1}|| ||dz_l|| changes by only 10^%.2f [%.2f, %.2f], because the layer inputs shrink by as much going back (the activations grow 10^%.2f going forward). "+
		"The batch weight gradient ||dL/dW|| changes by 10^%.2f [%.2f, %.2f]",
		gain, depth, s.z.Mean, s.example.Mean, s.example.Lo, s.example.Hi, s.act.Mean, s.w.Mean, s.w.Lo, s.w.Hi)
	switch {
	case hasCrit && math.Abs(s.w.Mean-crit.w.Mean) < sameTrendDecades:
		note += fmt.Sprintf(", about as much as at the critical gain %g (10^%.2f), where nothing explodes: its trend comes from how the per-example gradients add up over a batch, not from the gain", criticalGain, crit.w.Mean)
	case hasCrit:
		note += fmt.Sprintf(", against 10^%.2f at the critical gain %g", crit.w.Mean, criticalGain)
	}
	return note + ". Reading weight-gradient norms alone, a common check, misses an exploding back-propagated gradient."
}

// Part 2: training on MNIST.

// chanceAccuracy is what a diverged run counts as in accuracy means: chance
// on ten classes.
const chanceAccuracy = 0.1

// remedyStats summarises the runs of one remedy at one learning rate.
type remedyStats struct {
	remedyOutcome
	trainAcc   metrics.Estimate
	maxNorm    metrics.Estimate // log10 of the largest raw gradient norm
	maxNorms   []float64        // the largest raw gradient norm of each run
	meanNorms  []float64        // the mean raw gradient norm of each run
	maxApplied float64          // largest applied norm over all runs
	dead       metrics.Estimate
}

func statsOfRemedy(rs []explodingResult) remedyStats {
	var s remedyStats
	s.runs = len(rs)
	var steps, test, train, maxN, meanN, dead []float64
	for _, r := range rs {
		o := r.Train
		if o.Diverged {
			s.diverged++
			steps = append(steps, float64(o.DivergedStep))
			test, train = append(test, chanceAccuracy), append(train, chanceAccuracy)
		} else {
			test, train = append(test, o.Final().TestAcc), append(train, o.Final().TrainAcc)
		}
		maxN = append(maxN, o.MaxGradNorm)
		meanN = append(meanN, r.MeanGradNorm)
		s.maxApplied = math.Max(s.maxApplied, r.MaxAppliedNorm)
		if r.Dead != nil {
			dead = append(dead, *r.Dead)
		}
	}
	s.divergedFrac = metrics.ProportionCI(s.diverged, s.runs)
	s.divStep = metrics.MeanCI(steps).Clamp(1, math.Inf(1))
	s.testAcc, s.trainAcc = metrics.MeanCI(test).Clamp(0, 1), metrics.MeanCI(train).Clamp(0, 1)
	s.maxNorm, s.maxNorms, s.meanNorms = kit.LogStats(maxN), maxN, meanN
	s.dead = metrics.MeanCI(dead).Clamp(0, 1)
	return s
}

// summarizeTraining adds part 2's tables, records and figures to res and
// returns its verdicts.
func summarizeTraining(c *Config, trains map[remedyRun][]explodingResult, res *result.Result) []result.Verdict {
	runs := c.trainRuns()
	stats := map[remedyRun]remedyStats{}
	for _, r := range runs {
		stats[r] = statsOfRemedy(trains[r])
	}
	records, curves := trainingRecords(runs, trains)
	res.Records = append(res.Records, records, curves)
	byLR, lrFig := remediesByLR(c, stats)
	res.Tables = append(res.Tables, remediesTable(c, runs, stats), byLR)
	res.Figures = append(res.Figures, lossCurvesFigure(c, trains, stats), lrFig)
	thresholds := clipThresholds(c, runs)
	if len(thresholds) > 1 {
		res.Figures = append(res.Figures, clipSweepFigure(c, stats, thresholds))
	}
	if note := clipNote(c, stats, thresholds); note != "" {
		res.Notes = append(res.Notes, note)
	}
	return []result.Verdict{
		remediesVerdict(remediesEvidenceOf(c, stats, thresholds)),
		batchNormRangeVerdict(batchNormRangeEvidenceOf(c, stats)),
	}
}

// trainingRecords lists every training run and every point of its loss
// curve.
func trainingRecords(runs []remedyRun, trains map[remedyRun][]explodingResult) (records, curves result.Table) {
	records = result.Table{Name: "training", Title: "Every MNIST training run",
		Columns: []string{"remedy", "batch_norm", "clip", "lr", "seed", "diverged", "diverged_step", "steps", "max_grad_norm", "mean_grad_norm", "max_applied_norm",
			"final_epoch", "train_loss", "train_acc", "test_loss", "test_acc", "dead_fraction"}}
	curves = result.Table{Name: "loss-curves", Title: "Training loss, mean over each window of steps",
		Columns: []string{"remedy", "lr", "seed", "step", "loss"}}
	for _, r := range runs {
		name := remedy(r.BN, r.Clip)
		for seed, x := range trains[r] {
			o := x.Train
			f := o.Final()
			dead := "NaN"
			if x.Dead != nil {
				dead = kit.Ftoa(*x.Dead)
			}
			records.Rows = append(records.Rows, []string{name, fmt.Sprint(r.BN), kit.Ftoa(r.Clip), kit.Ftoa(r.LR), kit.Itoa(seed), fmt.Sprint(o.Diverged), kit.Itoa(o.DivergedStep), kit.Itoa(o.Steps),
				kit.Ftoa(o.MaxGradNorm), kit.Ftoa(x.MeanGradNorm), kit.Ftoa(x.MaxAppliedNorm), kit.Itoa(f.Epoch), kit.Ftoa(f.TrainLoss), kit.Ftoa(f.TrainAcc), kit.Ftoa(f.TestLoss), kit.Ftoa(f.TestAcc), dead})
			for i, step := range x.LossSteps {
				curves.Rows = append(curves.Rows, []string{name, kit.Ftoa(r.LR), kit.Itoa(seed), kit.Itoa(step), kit.Ftoa(x.Loss[i])})
			}
		}
	}
	return records, curves
}

// remediesTable compares the remedies at the judged learning rate.
func remediesTable(c *Config, runs []remedyRun, stats map[remedyRun]remedyStats) result.Table {
	table := result.Table{Name: "remedies", Title: fmt.Sprintf("Remedies at learning rate %g (%s, %d hidden layers of %d, %d epoch(s) on %d MNIST examples), mean [95%% CI] over seeds",
		c.LR, c.Optimizer, c.TrainDepth, c.TrainWidth, c.Epochs, c.TrainExamples),
		Columns: []string{"remedy", "diverged", "step of divergence", "largest ||g||", "mean ||g||", "largest applied ||g||", "train accuracy", "test accuracy", "dead units"},
		Note: "||g|| is the global gradient norm before clipping, median over seeds (smallest to largest), the mean ||g|| over each run's finite steps; the applied norm is the largest after clipping over all runs. A diverged run (NaN/Inf loss or gradient) counts as chance (0.1) in the accuracies. " +
			"Train accuracy is the running accuracy over the last epoch's batches. Dead units: hidden units that output 0 on every test example after training (runs that did not diverge)."}
	var atLR []remedyRun
	for _, r := range runs {
		if r.LR == c.LR {
			atLR = append(atLR, r)
		}
	}
	sort.SliceStable(atLR, func(i, j int) bool { return remedyOrder(atLR[i], c.Clip) < remedyOrder(atLR[j], c.Clip) })
	for _, r := range atLR {
		s := stats[r]
		table.Rows = append(table.Rows, []string{remedy(r.BN, r.Clip), fmt.Sprintf("%d of %d", s.diverged, s.runs), kit.FmtEstimate(s.divStep, 1),
			fmtMedianRange(s.maxNorms), fmtMedianRange(s.meanNorms), fmt.Sprintf("%.3g", s.maxApplied), kit.FmtEstimate(s.trainAcc, 3), kit.FmtEstimate(s.testAcc, 3), kit.FmtEstimate(s.dead, 2)})
	}
	return table
}

// remedyOrder sorts the remedies at one learning rate: none, clip at the
// blog's threshold, bn, both, then the other thresholds in increasing order.
func remedyOrder(r remedyRun, clip float64) float64 {
	switch {
	case !r.BN && r.Clip == 0:
		return -4
	case !r.BN && r.Clip == clip:
		return -3
	case r.BN && r.Clip == 0:
		return -2
	case r.BN:
		return -1
	}
	return r.Clip
}

// headlineRemedies are the remedies the figures show: none, clipping at
// --clip and, with --bn, BatchNorm alone and with clipping. Their LR is
// left zero.
func headlineRemedies(c *Config) []remedyRun {
	headline := []remedyRun{{false, 0, 0}, {false, c.Clip, 0}}
	if c.BN {
		headline = append(headline, remedyRun{true, 0, 0}, remedyRun{true, c.Clip, 0})
	}
	return headline
}

// remediesByLR sets every headline remedy against the learning rate, as a
// table and as a figure.
func remediesByLR(c *Config, stats map[remedyRun]remedyStats) (result.Table, result.Figure) {
	lrs := c.trainLRs()
	lrHeaders := make([]string, len(lrs))
	for i, lr := range lrs {
		lrHeaders[i] = fmt.Sprintf("lr %g", lr)
	}
	byLR := result.Table{Name: "remedies-by-lr", Title: "Test accuracy by learning rate, mean [95% CI] over seeds (runs diverged)",
		Columns: append([]string{"remedy"}, lrHeaders...),
		Note:    "A diverged run counts as chance (0.1). A blank cell was not run."}
	lrFig := result.Figure{Name: "remedies-by-lr", Columns: 2, Title: "Divergence and accuracy against the learning rate",
		Caption: fmt.Sprintf("Left: fraction of runs whose loss or gradient became NaN or infinite (95%% Wilson interval). Right: final test accuracy, mean over seeds with 95%% CI band, a diverged run counting as chance (0.1). "+
			"Plain SGD, %d hidden layers of %d, %d epoch(s) on %d examples.", c.TrainDepth, c.TrainWidth, c.Epochs, c.TrainExamples)}
	divPanel := result.Panel{Kind: result.LinePanel, Title: "runs diverged", XLabel: "learning rate", YLabel: "fraction diverged", LogX: true, YMin: -0.05, YMax: 1.05}
	accPanel := result.Panel{Kind: result.LinePanel, Title: "final test accuracy", XLabel: "learning rate", YLabel: "test accuracy", LogX: true, YMin: 0, YMax: 1}
	for i, h := range headlineRemedies(c) {
		row := []string{remedy(h.BN, h.Clip)}
		var xs, dv, dlo, dhi, acc, alo, ahi []float64
		for _, lr := range lrs {
			s, ok := stats[remedyRun{h.BN, h.Clip, lr}]
			if !ok || s.runs == 0 {
				row = append(row, "")
				continue
			}
			row = append(row, fmt.Sprintf("%s (%d/%d)", kit.FmtEstimate(s.testAcc, 3), s.diverged, s.runs))
			xs = append(xs, lr)
			dv, dlo, dhi = append(dv, s.divergedFrac.Mean), append(dlo, s.divergedFrac.Lo), append(dhi, s.divergedFrac.Hi)
			acc, alo, ahi = append(acc, s.testAcc.Mean), append(alo, s.testAcc.Lo), append(ahi, s.testAcc.Hi)
		}
		byLR.Rows = append(byLR.Rows, row)
		label := remedy(h.BN, h.Clip)
		divPanel.Lines = append(divPanel.Lines, result.Line{Label: label, X: xs, Y: dv, Lo: dlo, Hi: dhi, Points: true, Style: i})
		accPanel.Lines = append(accPanel.Lines, result.Line{Label: label, X: xs, Y: acc, Lo: alo, Hi: ahi, Points: true, Style: i})
	}
	lrFig.Panels = []result.Panel{divPanel, accPanel}
	return byLR, lrFig
}

// lossCurvesFigure shows the loss curves at the judged learning rate, one
// panel per headline remedy.
func lossCurvesFigure(c *Config, trains map[remedyRun][]explodingResult, stats map[remedyRun]remedyStats) result.Figure {
	lossFig := result.Figure{Name: "loss-curves", Columns: 2, Title: fmt.Sprintf("Training loss at learning rate %g, one line per seed", c.LR),
		Caption: fmt.Sprintf("Mean training loss over each window of %d steps (log scale); a cross marks the step at which a run's loss or gradient became NaN or infinite, at the height of its last finite window. "+
			"Dashed: ln 10, the loss of a uniform guess.", c.LossEvery)}
	headline := headlineRemedies(c)
	// The reference line spans the longest run in any panel, so that every
	// panel shares the step axis and an early divergence looks early.
	maxStep := 1
	for _, h := range headline {
		for _, x := range trains[remedyRun{h.BN, h.Clip, c.LR}] {
			maxStep = max(maxStep, x.Train.Steps)
		}
	}
	for i, h := range headline {
		r := remedyRun{h.BN, h.Clip, c.LR}
		s := stats[r]
		pn := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("%s (%d of %d diverged)", remedy(r.BN, r.Clip), s.diverged, s.runs),
			XLabel: "training step", YLabel: "training loss", LogY: true}
		for _, x := range trains[r] {
			pn.Lines = append(pn.Lines, result.Line{X: intsToFloats(x.LossSteps), Y: x.Loss, Style: i})
			if x.Train.Diverged {
				y := math.Log(10)
				if n := len(x.Loss); n > 0 {
					y = x.Loss[n-1]
				}
				pn.Markers = append(pn.Markers, result.Marker{Label: "diverged (NaN/Inf)", X: float64(x.Train.DivergedStep), Y: y, Style: 6})
			}
		}
		pn.Lines = append(pn.Lines, result.Line{Label: "ln 10 (uniform guess)", X: []float64{0, float64(maxStep)}, Y: []float64{math.Log(10), math.Log(10)}, Theory: true, Style: 6})
		lossFig.Panels = append(lossFig.Panels, pn)
	}
	return lossFig
}

// clipThresholds are the clipping thresholds run without BatchNorm at the
// judged learning rate, increasing.
func clipThresholds(c *Config, runs []remedyRun) []float64 {
	var thresholds []float64
	for _, r := range runs {
		if !r.BN && r.Clip > 0 && r.LR == c.LR {
			thresholds = append(thresholds, r.Clip)
		}
	}
	slices.Sort(thresholds)
	return thresholds
}

// clipSweepFigure shows the clipping sweep at the judged learning rate.
func clipSweepFigure(c *Config, stats map[remedyRun]remedyStats, thresholds []float64) result.Figure {
	sweepFig := result.Figure{Name: "clip-sweep", Columns: 2, Title: fmt.Sprintf("Clipping by global norm: threshold sweep at learning rate %g", c.LR),
		Caption: "Left: final test accuracy (mean over seeds, 95% CI band; a diverged run counts as chance), with the runs without remedy and with BatchNorm alone as flat dashed references. " +
			"Right: the largest and the mean gradient norm before clipping in each run (geometric mean over seeds, 95% CI band) and, dashed, the threshold itself: above it every update is scaled down to the threshold."}
	accP := result.Panel{Kind: result.LinePanel, Title: "final test accuracy", XLabel: "clipping threshold", YLabel: "test accuracy", LogX: true, YMin: 0, YMax: 1}
	normP := result.Panel{Kind: result.LinePanel, Title: "gradient norm before clipping", XLabel: "clipping threshold", YLabel: "||g|| before clipping", LogX: true, LogY: true}
	var acc, alo, ahi, nm, nlo, nhi, mm, mlo, mhi []float64
	for _, t := range thresholds {
		s := stats[remedyRun{false, t, c.LR}]
		acc, alo, ahi = append(acc, s.testAcc.Mean), append(alo, s.testAcc.Lo), append(ahi, s.testAcc.Hi)
		nm, nlo, nhi = append(nm, kit.Pow10(s.maxNorm.Mean)), append(nlo, kit.Pow10(s.maxNorm.Lo)), append(nhi, kit.Pow10(s.maxNorm.Hi))
		e := kit.LogStats(s.meanNorms)
		mm, mlo, mhi = append(mm, kit.Pow10(e.Mean)), append(mlo, kit.Pow10(e.Lo)), append(mhi, kit.Pow10(e.Hi))
	}
	accP.Lines = append(accP.Lines, result.Line{Label: "clip only", X: thresholds, Y: acc, Lo: alo, Hi: ahi, Points: true, Style: 1})
	ends := []float64{thresholds[0], thresholds[len(thresholds)-1]}
	for _, ref := range []struct {
		bn    bool
		style int
	}{{false, 0}, {true, 2}} {
		if s, ok := stats[remedyRun{ref.bn, 0, c.LR}]; ok && s.runs > 0 {
			label := fmt.Sprintf("%s (%d of %d diverged)", remedy(ref.bn, 0), s.diverged, s.runs)
			accP.Lines = append(accP.Lines, result.Line{Label: label, X: ends, Y: []float64{s.testAcc.Mean, s.testAcc.Mean}, Theory: true, Style: ref.style})
		}
	}
	normP.Lines = append(normP.Lines, result.Line{Label: "largest in the run", X: thresholds, Y: nm, Lo: nlo, Hi: nhi, Points: true, Style: 1},
		result.Line{Label: "mean over the run", X: thresholds, Y: mm, Lo: mlo, Hi: mhi, Points: true, Style: 4},
		result.Line{Label: "threshold", X: thresholds, Y: thresholds, Theory: true, Style: 6})
	sweepFig.Panels = []result.Panel{accP, normP}
	return sweepFig
}

// clipNote relates the clipping thresholds to the gradient norms the net
// has when it trains well, as Pascanu et al. 2013 do (they found thresholds
// of 0.5 to 10 times the average norm to work): the reference is the mean
// gradient norm without remedy at the smallest learning rate run.
func clipNote(c *Config, stats map[remedyRun]remedyStats, thresholds []float64) string {
	lrs := c.trainLRs()
	ref, ok := stats[remedyRun{false, 0, lrs[0]}]
	if !ok || ref.runs == 0 || ref.diverged > 0 || len(thresholds) == 0 {
		return ""
	}
	norm := metrics.MeanCI(ref.meanNorms)
	var parts []string
	for _, t := range thresholds {
		s := stats[remedyRun{false, t, c.LR}]
		parts = append(parts, fmt.Sprintf("%g (%.2gx): %.2f", t, t/norm.Mean, s.testAcc.Mean))
	}
	return fmt.Sprintf("Clipping thresholds against the gradient norm: without remedy at learning rate %g the mean global gradient norm was %.2f [%.2f, %.2f]. "+
		"Pascanu et al. (2013) found thresholds of 0.5 to 10 times the average norm to work. At learning rate %g, test accuracy by threshold (multiple of that norm): %s. "+
		"With clipping, no update is longer than learning rate x threshold.",
		lrs[0], norm.Mean, norm.Lo, norm.Hi, c.LR, strings.Join(parts, "; "))
}

// remediesEvidenceOf collects, at the judged learning rate, what the C7
// rule in training reads.
func remediesEvidenceOf(c *Config, stats map[remedyRun]remedyStats, thresholds []float64) remediesEvidence {
	e := remediesEvidence{lr: c.LR, clip: c.Clip,
		plain:   stats[remedyRun{false, 0, c.LR}].remedyOutcome,
		clipped: stats[remedyRun{false, c.Clip, c.LR}].remedyOutcome}
	if bn, ok := stats[remedyRun{true, 0, c.LR}]; ok {
		e.bn = &bn.remedyOutcome
	}
	for _, t := range thresholds {
		e.sweep = append(e.sweep, clipOutcome{t, stats[remedyRun{false, t, c.LR}].remedyOutcome})
	}
	return e
}

// batchNormRangeEvidenceOf pairs the net without remedy and with BatchNorm
// at every learning rate where both ran.
func batchNormRangeEvidenceOf(c *Config, stats map[remedyRun]remedyStats) batchNormRangeEvidence {
	e := batchNormRangeEvidence{ran: c.BN}
	for _, lr := range c.trainLRs() {
		p, okP := stats[remedyRun{false, 0, lr}]
		b, okB := stats[remedyRun{true, 0, lr}]
		if !okP || !okB || p.runs == 0 || b.runs == 0 {
			continue
		}
		e.rates = append(e.rates, rateOutcome{lr, p.remedyOutcome, b.remedyOutcome})
	}
	return e
}

// fmtMedianRange writes "median (smallest to largest)", for quantities
// such as gradient norms whose spread over seeds covers decades.
func fmtMedianRange(xs []float64) string {
	if len(xs) == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.3g (%.3g to %.3g)", metrics.Median(xs), slices.Min(xs), slices.Max(xs))
}

func intsToFloats(xs []int) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}
