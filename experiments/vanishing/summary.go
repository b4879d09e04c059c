package vanishing

import (
	"fmt"
	"math"
	"slices"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// chanceAccuracy is MNIST's accuracy by guessing (ten balanced classes); a
// diverged run counts as chance.
const chanceAccuracy = 0.1

// vanishingKey names one net: the cells of its seeds share it.
type vanishingKey struct {
	variant, init string
	depth         int
}

func summarizeVanishing(c *Config, done []harness.Done[vanishingCell, vanishingResult]) (*result.Result, error) {
	grads, trains := groupByNet(done)
	g := summarizeGradients(c, grads)

	res := &result.Result{}
	res.Figures = append(res.Figures, gradientFigures(c, grads, g)...)
	res.Tables = append(res.Tables, g.ratioTable, g.weightTable)
	res.Records = append(res.Records, g.records)
	res.Verdicts = append(res.Verdicts,
		initGradientVerdict(g.initGradientEvidence(verdictDepth(c))),
		passOrBlockVerdict(g.passOrBlock.evidence()))

	if len(c.TrainDepths) > 0 && len(c.TrainNets) > 0 {
		t := summarizeDepthTraining(c, trains)
		res.Tables = append(res.Tables, t.table)
		res.Records = append(res.Records, t.records)
		res.Figures = append(res.Figures, t.byDepth, t.curves)
		res.Verdicts = append(res.Verdicts, depthTrainingVerdicts(t.deepest, t.deepestAcc)...)
	}
	return res, nil
}

// groupByNet gathers the seeds of each net, in the order of done.
func groupByNet(done []harness.Done[vanishingCell, vanishingResult]) (map[vanishingKey][]vanishingResult, map[vanishingKey][]kit.TrainOutcome) {
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
	return grads, trains
}

// verdictDepth is the configured verdict depth, or the deepest measured
// when that depth was not measured.
func verdictDepth(c *Config) int {
	if !slices.Contains(c.Depths, c.VerdictDepth) {
		return slices.Max(c.Depths)
	}
	return c.VerdictDepth
}

// gradientSummary is what the measurements at initialisation come to.
type gradientSummary struct {
	records, ratioTable, weightTable result.Table
	// log10(first/last hidden layer) over seeds: back-propagated and
	// weight gradient, and the mean-field prediction of the former.
	backRatio, weightRatio map[vanishingKey]metrics.Estimate
	theoryRatio            map[vanishingKey]float64
	// theory is the mean-field ||dL/dz_l|| by layer, anchored at the
	// measured last layer.
	theory      map[vanishingKey][]float64
	passOrBlock passOrBlockSamples
}

func summarizeGradients(c *Config, grads map[vanishingKey][]vanishingResult) *gradientSummary {
	g := &gradientSummary{
		records: result.Table{Name: "gradients", Title: "Every per-layer measurement at initialisation",
			Columns: []string{"variant", "init", "depth", "seed", "layer", "preact_grad", "weight_grad", "example_weight_grad", "act_rms", "preact_sq", "blocked_fraction", "passed_or_blocked_fraction", "meanfield_preact_grad", "meanfield_preact_sq"}},
		ratioTable: result.Table{Name: "ratio", Title: "log10 of ||dL/dz_1|| / ||dL/dz_L|| (first over last hidden layer), mean [95% CI] over seeds",
			Columns: append([]string{"variant", "init"}, kit.DepthHeaders(c.Depths)...),
			Note:    "0 means no change from the last layer to the first; -3 means the first layer's back-propagated gradient is 1000x smaller. Mean-field prediction in parentheses."},
		weightTable: result.Table{Name: "weight-ratio", Title: "log10 of ||dL/dW_1|| / ||dL/dW_L||, mean [95% CI] over seeds",
			Columns: append([]string{"variant", "init"}, kit.DepthHeaders(c.Depths)...),
			Note:    "The weight gradient multiplies the layer's input by the back-propagated gradient; where activations grow forwards as fast as gradients shrink backwards, the two cancel."},
		backRatio:   map[vanishingKey]metrics.Estimate{},
		weightRatio: map[vanishingKey]metrics.Estimate{},
		theoryRatio: map[vanishingKey]float64{},
		theory:      map[vanishingKey][]float64{},
	}
	for _, v := range c.Variants {
		for _, in := range c.Inits {
			zRow := []string{v, in}
			wRow := []string{v, in}
			for _, depth := range c.Depths {
				k := vanishingKey{v, in, depth}
				g.addNet(c, k, grads[k])
				zRow = append(zRow, fmt.Sprintf("%s (%s)", kit.FmtEstimate(g.backRatio[k], 2), kit.FmtFloat(g.theoryRatio[k], 2)))
				wRow = append(wRow, kit.FmtEstimate(g.weightRatio[k], 2))
			}
			g.ratioTable.Rows = append(g.ratioTable.Rows, zRow)
			g.weightTable.Rows = append(g.weightTable.Rows, wRow)
		}
	}
	return g
}

// addNet reads the seeds of one net: its per-layer records, its
// first-to-last ratios beside the mean-field prediction, and its C4
// fractions.
func (g *gradientSummary) addNet(c *Config, k vanishingKey, rs []vanishingResult) {
	depth := k.depth
	mf := kit.ComputeMeanField(model.ActivationSpec{Name: k.variant}, model.Init{Scheme: model.InitScheme(k.init)}, c.Width, c.Width, 10, depth, 1)
	mfz := kit.AnchoredPrediction(mf, kit.Mean(perSeed(rs, func(r vanishingResult) float64 { return r.PreActGrad[depth-1] })))
	var zr, wr []float64
	for seed, r := range rs {
		zr = append(zr, r.PreActGrad[0]/r.PreActGrad[depth-1])
		wr = append(wr, r.WeightGrad[0]/r.WeightGrad[depth-1])
		g.records.Rows = append(g.records.Rows, layerRecords(k, seed, r, mf, mfz)...)
		g.passOrBlock.add(k.variant, r)
	}
	g.backRatio[k], g.weightRatio[k] = kit.LogStats(zr), kit.LogStats(wr)
	g.theoryRatio[k] = metrics.Log10(mfz[0] / mfz[depth-1])
	g.theory[k] = mfz
}

// layerRecords is one seed's row per hidden layer. Activations without one
// column per unit have no C4 fractions: NaN.
func layerRecords(k vanishingKey, seed int, r vanishingResult, mf kit.MeanField, mfz []float64) [][]string {
	var rows [][]string
	for l := 0; l < k.depth; l++ {
		blocked, passed := math.NaN(), math.NaN()
		if len(r.Blocked) > 0 {
			blocked, passed = r.Blocked[l], r.PassedOrBlocked[l]
		}
		rows = append(rows, []string{k.variant, k.init, kit.Itoa(k.depth), kit.Itoa(seed), kit.Itoa(l + 1),
			kit.Ftoa(r.PreActGrad[l]), kit.Ftoa(r.WeightGrad[l]), kit.Ftoa(r.ExampleWGrad[l]), kit.Ftoa(r.ActRMS[l]), kit.Ftoa(r.PreActSq[l]),
			kit.Ftoa(blocked), kit.Ftoa(passed), kit.Ftoa(mfz[l]), kit.Ftoa(mf.Q[l])})
	}
	return rows
}

// initGradientEvidence picks the nets the C3 rule reads at depth.
func (g *gradientSummary) initGradientEvidence(depth int) initGradientEvidence {
	return initGradientEvidence{
		Depth:            depth,
		SigmoidXavier:    g.backRatio[vanishingKey{"sigmoid", "xavier-normal", depth}],
		TanhXavier:       g.backRatio[vanishingKey{"tanh", "xavier-normal", depth}],
		ReluHe:           g.backRatio[vanishingKey{"relu", "he-normal", depth}],
		ReluXavier:       g.backRatio[vanishingKey{"relu", "xavier-normal", depth}],
		ReluXavierWeight: g.weightRatio[vanishingKey{"relu", "xavier-normal", depth}],
	}
}

// passOrBlockSamples collects the C4 fractions layer by layer, over every
// net, seed and layer measured.
type passOrBlockSamples struct {
	reluBlocked, reluPassed, otherBlocked []float64
	otherMax                              float64
	otherMaxName                          string
}

func (s *passOrBlockSamples) add(variant string, r vanishingResult) {
	for l := range r.Blocked {
		if variant == "relu" {
			s.reluBlocked = append(s.reluBlocked, r.Blocked[l])
			s.reluPassed = append(s.reluPassed, r.PassedOrBlocked[l])
			continue
		}
		s.otherBlocked = append(s.otherBlocked, r.Blocked[l])
		if r.Blocked[l] > s.otherMax {
			s.otherMax, s.otherMaxName = r.Blocked[l], variant
		}
	}
}

func (s passOrBlockSamples) evidence() passOrBlockEvidence {
	e := passOrBlockEvidence{
		ReluLayers:           len(s.reluPassed),
		OtherLayers:          len(s.otherBlocked),
		OtherMostBlocked:     s.otherMax,
		OtherMostBlockedName: s.otherMaxName,
	}
	if e.ReluLayers > 0 {
		e.ReluPassedOrBlocked = metrics.MeanCI(s.reluPassed)
		e.ReluLowestPassedOrBlocked = slices.Min(s.reluPassed)
		e.ReluBlocked = metrics.MeanCI(s.reluBlocked)
	}
	if e.OtherLayers > 0 {
		e.OtherBlocked = metrics.MeanCI(s.otherBlocked)
	}
	return e
}

// gradientFigures draws, one panel per init, the gradients by layer at the
// deepest depth and the first-to-last ratio by depth.
func gradientFigures(c *Config, grads map[vanishingKey][]vanishingResult, g *gradientSummary) []result.Figure {
	deepest := slices.Max(c.Depths)
	byLayer := result.Figure{Name: "gradient-by-layer", Title: fmt.Sprintf("Back-propagated gradient ||dL/dz_l|| by layer, depth %d, at initialisation", deepest),
		Caption: "Geometric mean over seeds with 95% CI band; dashed: mean-field prediction anchored at the last hidden layer. Layer 1 is next to the input."}
	wByLayer := result.Figure{Name: "weight-gradient-by-layer", Title: fmt.Sprintf("Weight gradient ||dL/dW_l|| by layer, depth %d, at initialisation", deepest),
		Caption: "Geometric mean over seeds with 95% CI band. The weight gradient is the product of the layer's input and its back-propagated gradient."}
	ratioFig := result.Figure{Name: "ratio-by-depth", Title: "First-to-last-layer ratio of the back-propagated gradient, by depth",
		Caption: "||dL/dz_1|| / ||dL/dz_L|| at initialisation: geometric mean over seeds with 95% CI band; dashed: mean-field prediction."}
	layers := make([]float64, deepest)
	for l := range layers {
		layers[l] = float64(l + 1)
	}
	for _, in := range c.Inits {
		zPanel := result.Panel{Kind: result.LinePanel, Title: in, XLabel: "hidden layer", YLabel: "||dL/dz_l||", LogY: true}
		wPanel := result.Panel{Kind: result.LinePanel, Title: in, XLabel: "hidden layer", YLabel: "||dL/dW_l||", LogY: true}
		rPanel := result.Panel{Kind: result.LinePanel, Title: in, XLabel: "depth (hidden layers)", YLabel: "||dL/dz_1|| / ||dL/dz_L||", LogY: true}
		for vi, v := range c.Variants {
			k := vanishingKey{v, in, deepest}
			rs := grads[k]
			zPanel.Lines = append(zPanel.Lines,
				byLayerLine(v, layers, rs, vi, func(r vanishingResult) []float64 { return r.PreActGrad }),
				result.Line{Label: v + " (theory)", X: layers, Y: g.theory[k], Theory: true, Style: vi})
			wPanel.Lines = append(wPanel.Lines, byLayerLine(v, layers, rs, vi, func(r vanishingResult) []float64 { return r.WeightGrad }))
			rPanel.Lines = append(rPanel.Lines, g.ratioLines(c.Depths, v, in, vi)...)
		}
		byLayer.Panels = append(byLayer.Panels, zPanel)
		wByLayer.Panels = append(wByLayer.Panels, wPanel)
		ratioFig.Panels = append(ratioFig.Panels, rPanel)
	}
	return []result.Figure{byLayer, wByLayer, ratioFig}
}

// byLayerLine is the geometric mean over seeds of a per-layer gradient norm
// with its 95% CI band.
func byLayerLine(label string, layers []float64, rs []vanishingResult, style int, norms func(vanishingResult) []float64) result.Line {
	return kit.GeoMeanLine(label, layers, func(l int) []float64 {
		return perSeed(rs, func(r vanishingResult) float64 { return norms(r)[l] })
	}, style)
}

// ratioLines is one variant's measured first-to-last ratio by depth and
// its mean-field prediction.
func (g *gradientSummary) ratioLines(depths []int, v, in string, style int) []result.Line {
	var xs, ys, lo, hi, th []float64
	for _, depth := range depths {
		e := g.backRatio[vanishingKey{v, in, depth}]
		xs = append(xs, float64(depth))
		ys, lo, hi = append(ys, kit.Pow10(e.Mean)), append(lo, kit.Pow10(e.Lo)), append(hi, kit.Pow10(e.Hi))
		th = append(th, kit.Pow10(g.theoryRatio[vanishingKey{v, in, depth}]))
	}
	return []result.Line{
		{Label: v, X: xs, Y: ys, Lo: lo, Hi: hi, Points: true, Style: style},
		{Label: v + " (theory)", X: xs, Y: th, Theory: true, Style: style},
	}
}

func perSeed(rs []vanishingResult, get func(vanishingResult) float64) []float64 {
	out := make([]float64, len(rs))
	for i, r := range rs {
		out[i] = get(r)
	}
	return out
}

// depthTraining is what the MNIST runs come to.
type depthTraining struct {
	table, records  result.Table
	byDepth, curves result.Figure
	// deepestAcc is each net's final test accuracy at the deepest trained
	// depth, the one the rules read.
	deepest    int
	deepestAcc map[string]metrics.Estimate
}

// summarizeDepthTraining reads the MNIST runs: test accuracy by depth for
// each net, and the learning curves at the deepest depth.
func summarizeDepthTraining(c *Config, trains map[vanishingKey][]kit.TrainOutcome) depthTraining {
	t := depthTraining{
		table: result.Table{Name: "mnist-by-depth", Title: fmt.Sprintf("MNIST test accuracy after %d epoch(s) on %d examples, mean [95%% CI] over seeds", c.Epochs, c.TrainExamples),
			Columns: append([]string{"net"}, kit.DepthHeaders(c.TrainDepths)...),
			Note:    "Chance is 0.10. A run that diverged (NaN/Inf) counts as chance and is flagged with its count."},
		records: result.Table{Name: "mnist-by-depth", Columns: []string{"variant", "init", "depth", "seed", "epoch", "train_loss", "train_acc", "test_loss", "test_acc", "diverged", "diverged_step"}},
		byDepth: result.Figure{Name: "mnist-by-depth", Title: "Which deep nets still learn MNIST",
			Caption: fmt.Sprintf("Test accuracy after %d epoch(s) (%s, lr %g, width %d), mean over seeds with 95%% CI band. Chance is 0.1.", c.Epochs, c.Optimizer, c.LR, c.TrainWidth)},
		deepest:    slices.Max(c.TrainDepths),
		deepestAcc: map[string]metrics.Estimate{},
	}
	t.curves = result.Figure{Name: "mnist-curves", Title: fmt.Sprintf("Test accuracy by epoch, depth %d", t.deepest),
		Caption: "Mean over seeds with 95% CI band; epoch 0 is before training."}
	panel := result.Panel{Kind: result.LinePanel, XLabel: "depth (hidden layers)", YLabel: "test accuracy", YMin: 0, YMax: 1}
	curvePanel := result.Panel{Kind: result.LinePanel, XLabel: "epoch", YLabel: "test accuracy", YMin: 0, YMax: 1}
	for i, pair := range c.TrainNets {
		v, in, _ := parseNetPair(pair)
		row := []string{pair}
		var xs, ys, lo, hi []float64
		for _, depth := range c.TrainDepths {
			runs := trains[vanishingKey{v, string(in), depth}]
			t.records.Rows = append(t.records.Rows, epochRecords(v, string(in), depth, runs)...)
			e, diverged := finalAccuracy(runs)
			row = append(row, accuracyCell(e, diverged))
			xs, ys, lo, hi = append(xs, float64(depth)), append(ys, e.Mean), append(lo, e.Lo), append(hi, e.Hi)
			if depth == t.deepest {
				t.deepestAcc[pair] = e
				curvePanel.Lines = append(curvePanel.Lines, kit.EpochCurve(pair, runs, i))
			}
		}
		t.table.Rows = append(t.table.Rows, row)
		panel.Lines = append(panel.Lines, result.Line{Label: pair, X: xs, Y: ys, Lo: lo, Hi: hi, Points: true, Style: i})
	}
	t.byDepth.Panels = []result.Panel{panel}
	t.curves.Panels = []result.Panel{curvePanel}
	return t
}

// finalAccuracy is the test accuracy after the last epoch over seeds, a
// diverged run counted as chance, and how many runs diverged.
func finalAccuracy(runs []kit.TrainOutcome) (metrics.Estimate, int) {
	var accs []float64
	diverged := 0
	for _, o := range runs {
		acc := o.Final().TestAcc
		if o.Diverged {
			diverged++
			acc = chanceAccuracy
		}
		accs = append(accs, acc)
	}
	return metrics.MeanCI(accs).Clamp(0, 1), diverged
}

func accuracyCell(e metrics.Estimate, diverged int) string {
	text := kit.FmtEstimate(e, 3)
	if diverged > 0 {
		text += fmt.Sprintf(" (%d diverged)", diverged)
	}
	return text
}

// epochRecords is one row per seed and epoch.
func epochRecords(variant, init string, depth int, runs []kit.TrainOutcome) [][]string {
	var rows [][]string
	for seed, o := range runs {
		for _, e := range o.Epochs {
			rows = append(rows, []string{variant, init, kit.Itoa(depth), kit.Itoa(seed), kit.Itoa(e.Epoch),
				kit.Ftoa(e.TrainLoss), kit.Ftoa(e.TrainAcc), kit.Ftoa(e.TestLoss), kit.Ftoa(e.TestAcc), fmt.Sprint(o.Diverged), kit.Itoa(o.DivergedStep)})
		}
	}
	return rows
}

// depthTrainingVerdicts applies each MNIST rule whose nets were trained.
func depthTrainingVerdicts(depth int, acc map[string]metrics.Estimate) []result.Verdict {
	var out []result.Verdict
	he, okHe := acc["relu/he-normal"]
	if xav, ok := acc["relu/xavier-normal"]; okHe && ok {
		out = append(out, heInitVerdict(heInitEvidence{Depth: depth, He: he, Xavier: xav}))
	}
	if sig, ok := acc["sigmoid/xavier-normal"]; okHe && ok {
		tanh, hasTanh := acc["tanh/xavier-normal"]
		out = append(out, sigmoidStallsVerdict(sigmoidStallsEvidence{Depth: depth, ReluHe: he, Sigmoid: sig, Tanh: tanh, HasTanh: hasTanh}))
	}
	return out
}
