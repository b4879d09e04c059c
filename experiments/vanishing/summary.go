package vanishing

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// gradKey names one net measured at initialisation: the cells of its seeds
// share it.
type gradKey struct {
	variant, init string
	depth         int
}

// trainKey names one MNIST net (a TrainNets entry) at one depth.
type trainKey struct {
	net   string
	depth int
}

// rateKey names one MNIST net at one learning rate and depth: the cells of
// its seeds share it.
type rateKey struct {
	net   string
	lr    float64
	depth int
}

func summarizeVanishing(c *Config, done []harness.Done[vanishingCell, vanishingResult]) (*result.Result, error) {
	grads, trains := groupBySeed(c, done)
	g := summarizeGradients(c, grads)

	res := &result.Result{}
	res.Figures = append(res.Figures, gradientFigures(c, grads, g)...)
	res.Tables = append(res.Tables, g.ratioTable, g.weightTable)
	res.Records = append(res.Records, g.records)
	gradEv := g.initGradientEvidence(c)
	var t *depthTraining
	if len(c.TrainDepths) > 0 && len(c.TrainNets) > 0 {
		t = summarizeDepthTraining(c, trains)
		// The main verdict shows what the gradients come to in training:
		// the deep tanh net against the deep ReLU net on MNIST.
		gradEv.TanhTraining, _ = t.tanhComparison(c)
	}
	res.Verdicts = append(res.Verdicts,
		initGradientVerdict(gradEv),
		classicInitVerdict(gradEv),
		passOrBlockVerdict(g.passOrBlock.evidence()))

	if t != nil {
		res.Tables = append(res.Tables, t.table)
		if len(t.rates.Rows) > 0 {
			res.Tables = append(res.Tables, t.rates)
		}
		res.Records = append(res.Records, t.records)
		if len(t.validation.Rows) > 0 {
			res.Records = append(res.Records, t.validation)
		}
		res.Figures = append(res.Figures, t.byDepth, t.curves)
		res.Verdicts = append(res.Verdicts, t.verdicts(c)...)
	}
	return res, nil
}

// groupBySeed gathers the seeds of each net, indexed by seed, so that the
// arms of a paired comparison line up seed by seed.
func groupBySeed(c *Config, done []harness.Done[vanishingCell, vanishingResult]) (map[gradKey][]vanishingResult, map[rateKey][]vanishingResult) {
	grads := map[gradKey][]vanishingResult{}
	trains := map[rateKey][]vanishingResult{}
	for _, d := range done {
		p := d.Params
		if p.Kind == "train" {
			k := rateKey{p.Net, p.LR, p.Depth}
			if trains[k] == nil {
				trains[k] = make([]vanishingResult, c.TrainSeeds)
			}
			trains[k][p.Seed] = d.Result
			continue
		}
		k := gradKey{p.Variant, p.Init, p.Depth}
		if grads[k] == nil {
			grads[k] = make([]vanishingResult, c.Seeds)
		}
		grads[k][p.Seed] = d.Result
	}
	return grads, trains
}

// gradientSummary is what the measurements at initialisation come to.
type gradientSummary struct {
	records, ratioTable, weightTable result.Table
	// Per seed, log10(first/last hidden layer) of the back-propagated and
	// the weight gradient; their estimates; the mean-field prediction of
	// the former.
	backLog, weightLog     map[gradKey][]float64
	backRatio, weightRatio map[gradKey]metrics.Estimate
	theoryRatio            map[gradKey]float64
	// theory is the mean-field ||dL/dz_l|| / ||dL/dz_L|| by layer.
	theory      map[gradKey][]float64
	passOrBlock passOrBlockSamples
}

func summarizeGradients(c *Config, grads map[gradKey][]vanishingResult) *gradientSummary {
	g := &gradientSummary{
		records: result.Table{Name: "gradients", Title: "Every per-layer measurement at initialisation",
			Columns: []string{"variant", "init", "depth", "seed", "layer", "preact_grad", "weight_grad", "example_weight_grad", "act_rms", "preact_sq", "blocked_fraction", "passed_or_blocked_fraction", "meanfield_preact_grad", "meanfield_preact_sq"}},
		ratioTable: result.Table{Name: "ratio", Title: "log10 of ||dL/dz_1|| / ||dL/dz_L|| (first over last hidden layer), mean [95% CI] over seeds",
			Columns: append([]string{"variant", "init"}, kit.DepthHeaders(c.Depths)...),
			Note: fmt.Sprintf("0 means no change from the last layer to the first; -3 means the first layer's back-propagated gradient is 1000x smaller. Mean-field prediction in parentheses. "+
				"The C3 rule reads depth %d: sigmoid and tanh under xavier-normal, ReLU under he-normal, against a margin of %g decade.", c.VerdictDepth, shrinkMargin)},
		weightTable: result.Table{Name: "weight-ratio", Title: "log10 of ||dL/dW_1|| / ||dL/dW_L||, mean [95% CI] over seeds",
			Columns: append([]string{"variant", "init"}, kit.DepthHeaders(c.Depths)...),
			Note:    "The weight gradient multiplies the layer's input by the back-propagated gradient; where activations grow forwards as fast as gradients shrink backwards, the two cancel."},
		backLog:     map[gradKey][]float64{},
		weightLog:   map[gradKey][]float64{},
		backRatio:   map[gradKey]metrics.Estimate{},
		weightRatio: map[gradKey]metrics.Estimate{},
		theoryRatio: map[gradKey]float64{},
		theory:      map[gradKey][]float64{},
	}
	for _, v := range c.Variants {
		for _, in := range c.Inits {
			zRow := []string{v, in}
			wRow := []string{v, in}
			for _, depth := range c.Depths {
				k := gradKey{v, in, depth}
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
func (g *gradientSummary) addNet(c *Config, k gradKey, rs []vanishingResult) {
	depth := k.depth
	mf := kit.ComputeMeanField(model.ActivationSpec{Name: k.variant}, model.Init{Scheme: model.InitScheme(k.init)}, c.Width, c.Width, 10, depth, 1)
	// The prediction by layer, relative to the last hidden layer; the
	// records anchor it at the measured last layer (mean over seeds).
	rel := kit.AnchoredPrediction(mf, 1)
	last := kit.Mean(perSeed(rs, func(r vanishingResult) float64 { return r.PreActGrad[depth-1] }))
	mfz := make([]float64, depth)
	for l := range rel {
		mfz[l] = rel[l] * last
	}
	zr := make([]float64, len(rs))
	wr := make([]float64, len(rs))
	for seed, r := range rs {
		zr[seed] = metrics.Log10(r.PreActGrad[0] / r.PreActGrad[depth-1])
		wr[seed] = metrics.Log10(r.WeightGrad[0] / r.WeightGrad[depth-1])
		g.records.Rows = append(g.records.Rows, layerRecords(k, seed, r, mf, mfz)...)
		g.passOrBlock.add(k.variant, r)
	}
	g.backLog[k], g.weightLog[k] = zr, wr
	g.backRatio[k], g.weightRatio[k] = metrics.MeanCI(zr), metrics.MeanCI(wr)
	g.theoryRatio[k] = metrics.Log10(rel[0])
	g.theory[k] = rel
}

// layerRecords is one seed's row per hidden layer. Activations without one
// column per unit have no C4 fractions: NaN.
func layerRecords(k gradKey, seed int, r vanishingResult, mf kit.MeanField, mfz []float64) [][]string {
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

// lossOf is the decades lost from the last hidden layer to the first, per
// seed, as a one-sample comparison with zero (N == 0 if not measured).
func lossOf(logRatios []float64) metrics.Paired {
	loss := make([]float64, len(logRatios))
	for i, x := range logRatios {
		loss[i] = -x
	}
	return metrics.OneSample(loss)
}

// negated is an estimate of log10(first/last) turned into decades lost.
func negated(e metrics.Estimate) metrics.Estimate {
	e.Mean, e.Lo, e.Hi = -e.Mean, -e.Hi, -e.Lo
	return e
}

// initGradientEvidence picks the nets the C3 rule reads at the verdict
// depth.
func (g *gradientSummary) initGradientEvidence(c *Config) initGradientEvidence {
	d, deepest := c.VerdictDepth, slices.Max(c.Depths)
	at := func(v, in string) gradKey { return gradKey{v, in, d} }
	return initGradientEvidence{
		Depth:             d,
		Measured:          slices.Contains(c.Depths, d),
		SigmoidXavier:     lossOf(g.backLog[at("sigmoid", "xavier-normal")]),
		TanhXavier:        lossOf(g.backLog[at("tanh", "xavier-normal")]),
		ReluHe:            lossOf(g.backLog[at("relu", "he-normal")]),
		SigmoidClassic:    lossOf(g.backLog[at("sigmoid", "classic")]),
		TanhClassic:       lossOf(g.backLog[at("tanh", "classic")]),
		ReluClassic:       lossOf(g.backLog[at("relu", "classic")]),
		ReluXavier:        negated(g.backRatio[at("relu", "xavier-normal")]),
		ReluXavierWeight:  negated(g.weightRatio[at("relu", "xavier-normal")]),
		Deepest:           deepest,
		TanhXavierDeepest: lossOf(g.backLog[gradKey{"tanh", "xavier-normal", deepest}]),
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

// evidence is the C4 fractions over layers, intervals kept within [0, 1].
func (s passOrBlockSamples) evidence() passOrBlockEvidence {
	e := passOrBlockEvidence{
		ReluLayers:           len(s.reluPassed),
		OtherLayers:          len(s.otherBlocked),
		OtherMostBlocked:     s.otherMax,
		OtherMostBlockedName: s.otherMaxName,
	}
	if e.ReluLayers > 0 {
		e.ReluPassedOrBlocked = metrics.MeanCI(s.reluPassed).Clamp(0, 1)
		e.ReluLowestPassedOrBlocked = slices.Min(s.reluPassed)
		e.ReluBlocked = metrics.MeanCI(s.reluBlocked).Clamp(0, 1)
	}
	if e.OtherLayers > 0 {
		e.OtherBlocked = metrics.MeanCI(s.otherBlocked).Clamp(0, 1)
	}
	return e
}

// Figures at initialisation: one panel per activation, one line per init
// (so that no series hides another: ReLU and leaky ReLU are nearly the
// same at initialisation), each panel's axis fitted to its own data, and a
// last panel with the three nets the C3 rule reads and its margin.

// figureDepth is the depth the by-layer figures draw: the verdict depth
// if measured, else the deepest.
func figureDepth(c *Config) int {
	if slices.Contains(c.Depths, c.VerdictDepth) {
		return c.VerdictDepth
	}
	return slices.Max(c.Depths)
}

// initStyle gives each init its colour and glyph in every panel.
func initStyle(c *Config, in string) int { return slices.Index(c.Inits, in) }

// gradientFigures draws the gradients by layer at the figure depth and the
// first-to-last ratio by depth.
func gradientFigures(c *Config, grads map[gradKey][]vanishingResult, g *gradientSummary) []result.Figure {
	depth := figureDepth(c)
	byLayer := result.Figure{Name: "gradient-by-layer", Columns: 3,
		Title: fmt.Sprintf("Back-propagated gradient by layer relative to the last hidden layer, depth %d, at initialisation", depth),
		Caption: "||dL/dz_l|| / ||dL/dz_L||: geometric mean over seeds with 95% CI band; dashed: mean-field prediction, which lies on the solid measurement (and is hidden by it) where the two agree. Layer 1 is next to the input. " +
			"One panel per activation, each with its own vertical range; the last panel zooms on the nets the C3 rule reads, with the rule's 1-decade margin (black dashed lines at 0.1 and 10); sigmoid's line leaves it at the bottom."}
	wByLayer := result.Figure{Name: "weight-gradient-by-layer", Columns: 3,
		Title:   fmt.Sprintf("Weight gradient by layer relative to the last hidden layer, depth %d, at initialisation", depth),
		Caption: "||dL/dW_l|| / ||dL/dW_L||: geometric mean over seeds with 95% CI band. The weight gradient is the product of the layer's input and its back-propagated gradient. One panel per activation, each with its own vertical range."}
	ratioFig := result.Figure{Name: "ratio-by-depth", Columns: 3,
		Title:   "First-to-last-layer ratio of the back-propagated gradient, by depth",
		Caption: fmt.Sprintf("||dL/dz_1|| / ||dL/dz_L|| at initialisation: geometric mean over seeds with 95%% CI band; dashed: mean-field prediction, which lies on the solid measurement (and is hidden by it) where the two agree. One panel per activation, each with its own vertical range. Black dashed lines at 0.1 and 10: the C3 rule's ±%g-decade margin, which it reads at depth %d.", shrinkMargin, c.VerdictDepth)}
	layers := make([]float64, depth)
	for l := range layers {
		layers[l] = float64(l + 1)
	}
	for _, v := range c.Variants {
		zPanel := result.Panel{Kind: result.LinePanel, Title: v, XLabel: "hidden layer", YLabel: "||dL/dz_l|| / ||dL/dz_L||", LogY: true}
		wPanel := result.Panel{Kind: result.LinePanel, Title: v, XLabel: "hidden layer", YLabel: "||dL/dW_l|| / ||dL/dW_L||", LogY: true}
		rPanel := result.Panel{Kind: result.LinePanel, Title: v, XLabel: "depth (hidden layers)", YLabel: "||dL/dz_1|| / ||dL/dz_L||", LogY: true}
		for _, in := range c.Inits {
			k := gradKey{v, in, depth}
			rs, st := grads[k], initStyle(c, in)
			zPanel.Lines = append(zPanel.Lines,
				relativeByLayer(in, layers, rs, st, func(r vanishingResult) []float64 { return r.PreActGrad }),
				result.Line{Label: in + " (theory)", X: layers, Y: g.theory[k], Theory: true, Style: st})
			wPanel.Lines = append(wPanel.Lines, relativeByLayer(in, layers, rs, st, func(r vanishingResult) []float64 { return r.WeightGrad }))
			rPanel.Lines = append(rPanel.Lines, g.ratioLines(c.Depths, v, in, st)...)
		}
		rPanel.Lines = append(rPanel.Lines, marginLines(depthsX(c.Depths))...)
		byLayer.Panels = append(byLayer.Panels, zPanel)
		wByLayer.Panels = append(wByLayer.Panels, wPanel)
		ratioFig.Panels = append(ratioFig.Panels, rPanel)
	}
	if p, ok := rulePanel(c, grads, layers, depth); ok {
		byLayer.Panels = append(byLayer.Panels, p)
	}
	return []result.Figure{byLayer, wByLayer, ratioFig}
}

// rulePanel draws the three nets the C3 rule reads, each activation under
// its own init, with the margin's band edges.
func rulePanel(c *Config, grads map[gradKey][]vanishingResult, layers []float64, depth int) (result.Panel, bool) {
	// The range is fixed around the margin so that tanh's and ReLU's
	// lines can be read against it; sigmoid's leaves it at the bottom (its
	// full descent is in its own panel).
	p := result.Panel{Kind: result.LinePanel, Title: "the C3 rule's nets (zoom)", XLabel: "hidden layer", YLabel: "||dL/dz_l|| / ||dL/dz_L||", LogY: true,
		YMin: kit.Pow10(-3 * shrinkMargin), YMax: kit.Pow10(2 * shrinkMargin)}
	for i, net := range [][2]string{{"sigmoid", "xavier-normal"}, {"tanh", "xavier-normal"}, {"relu", "he-normal"}} {
		rs, ok := grads[gradKey{net[0], net[1], depth}]
		if !ok {
			return p, false
		}
		p.Lines = append(p.Lines, relativeByLayer(net[0]+"/"+net[1], layers, rs, 3+i, func(r vanishingResult) []float64 { return r.PreActGrad }))
	}
	p.Lines = append(p.Lines, marginLines(layers)...)
	return p, true
}

// marginLines are the C3 rule's margin band edges (10^±shrinkMargin)
// across xs, drawn as black dashed lines.
func marginLines(xs []float64) []result.Line {
	flat := func(y float64) []float64 {
		out := make([]float64, len(xs))
		for i := range out {
			out[i] = y
		}
		return out
	}
	return []result.Line{
		{Label: fmt.Sprintf("±%g decade margin", shrinkMargin), X: xs, Y: flat(kit.Pow10(-shrinkMargin)), Theory: true, Style: 6},
		{X: xs, Y: flat(kit.Pow10(shrinkMargin)), Theory: true, Style: 6},
	}
}

// depthsX is the depths as a sorted x axis.
func depthsX(depths []int) []float64 {
	xs := make([]float64, len(depths))
	for i, d := range depths {
		xs[i] = float64(d)
	}
	slices.Sort(xs)
	return xs
}

// relativeByLayer is the geometric mean over seeds of a per-layer gradient
// norm divided by its last layer's, with its 95% CI band; a glyph at each
// layer only for shallow nets, where it does not crowd the line.
func relativeByLayer(label string, layers []float64, rs []vanishingResult, style int, norms func(vanishingResult) []float64) result.Line {
	last := len(layers) - 1
	ln := kit.GeoMeanLine(label, layers, func(l int) []float64 {
		return perSeed(rs, func(r vanishingResult) float64 { return norms(r)[l] / norms(r)[last] })
	}, style)
	ln.Points = len(layers) <= 12
	return ln
}

// ratioLines is one variant's measured first-to-last ratio by depth and
// its mean-field prediction.
func (g *gradientSummary) ratioLines(depths []int, v, in string, style int) []result.Line {
	var xs, ys, lo, hi, th []float64
	for _, depth := range depths {
		e := g.backRatio[gradKey{v, in, depth}]
		xs = append(xs, float64(depth))
		ys, lo, hi = append(ys, kit.Pow10(e.Mean)), append(lo, kit.Pow10(e.Lo)), append(hi, kit.Pow10(e.Hi))
		th = append(th, kit.Pow10(g.theoryRatio[gradKey{v, in, depth}]))
	}
	return []result.Line{
		{Label: in, X: xs, Y: ys, Lo: lo, Hi: hi, Points: true, Style: style},
		{Label: in + " (theory)", X: xs, Y: th, Theory: true, Style: style},
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
	nets            []trainNet
	// final is each net's final test accuracy per seed (NaN for a run
	// that diverged), by depth.
	final map[trainKey][]float64
	stats map[trainKey]armStats
	// control is the threshold every net must reach at the control
	// depth: fixed, or set by the linear reference.
	control controlBar
	// rates is the learning-rate table, shown when some net had more
	// than one rate; validation the per-epoch validation records, kept
	// when there was a validation split.
	rates, validation result.Table
}

// finalAccuracies is the test accuracy after the last epoch of each seed,
// NaN for a diverged run: a diverged run is never averaged in.
func finalAccuracies(runs []kit.TrainOutcome) ([]float64, int) {
	accs := make([]float64, len(runs))
	diverged := 0
	for i, o := range runs {
		if o.Diverged || len(o.Epochs) == 0 {
			// A run can diverge before its first epoch is recorded.
			diverged++
			accs[i] = math.NaN()
			continue
		}
		accs[i] = o.Final().TestAcc
	}
	return accs, diverged
}

// summarizeDepthTraining reads the MNIST runs: test accuracy by depth for
// each net, and the learning curves at the verdict depth.
func summarizeDepthTraining(c *Config, trains map[rateKey][]vanishingResult) *depthTraining {
	grid := false
	for _, name := range c.TrainNets {
		n, _ := parseNet(name, c.LR)
		grid = grid || len(n.rates(c.TrainLRs)) > 1
	}
	t := &depthTraining{
		table: result.Table{Name: "mnist-by-depth", Title: fmt.Sprintf("%s test accuracy (%d test examples) after %d epoch(s) on %d training examples, mean [95%% CI] over seeds", c.Dataset.Title(), c.TestExamples, c.Epochs, c.TrainExamples),
			Columns: append([]string{"net"}, kit.DepthHeaders(c.TrainDepths)...),
			Note: fmt.Sprintf("Chance is 0.10. A run diverges when its loss goes above %.2f (10 ln 10) or is not finite; diverged runs are left out of the mean and counted. "+
				"A net written net@lr trains with that learning rate, the others with %g.", model.DivergenceCap(10), c.LR)},
		records: result.Table{Name: "mnist-by-depth", Columns: []string{"net", "variant", "init", "lr", "depth", "seed", "epoch", "train_loss", "train_acc", "test_loss", "test_acc", "diverged", "diverged_step"}},
		final:   map[trainKey][]float64{},
		stats:   map[trainKey]armStats{},
		rates: result.Table{Name: "learning-rates", Title: fmt.Sprintf("Mean %s validation accuracy (%d held-out training images) after the last epoch, by learning rate; * the rate chosen", c.Dataset.Title(), c.Validation),
			Columns: append([]string{"net", "depth"}, rateHeaders(c)...),
			Note: fmt.Sprintf("Per net and depth the rules read the rate with the highest mean validation accuracy (a tie goes to the smaller rate); a rate at which more than %g of the runs diverged is not eligible. "+
				"A rate chosen at the edge of the grid is flagged: one beyond it might do better; so is a net not shown to learn at any rate (best below %.1f), whose chosen rate says little unless it still climbs at the grid's edge (then the note says so). The rules then read the test accuracy of the chosen rate's runs. "+
				"The validation images are the tail of the training set, written by the same people as the training images, so validation accuracy runs above test accuracy; it serves only to rank the rates. A net written net@lr trains at that rate alone, not tuned; one written net@lr+lr+... is chosen on a grid of its own.", ineligibleDivergedShare, kit.StallsAccuracy)},
		validation: result.Table{Name: "mnist-validation", Columns: []string{"net", "variant", "init", "lr", "depth", "seed", "epoch", "val_acc", "chosen"}},
	}
	if grid {
		t.table.Note = fmt.Sprintf("Chance is 0.10. A run diverges when its loss goes above %.2f (10 ln 10) or is not finite; diverged runs are left out of the mean and counted. "+
			"A net written net@lr trains with that learning rate; each other net at every rate of %s, and the cell shows the rate chosen on the validation split (table learning-rates).", model.DivergenceCap(10), fmtRates(c.TrainLRs))
	}
	t.curves = result.Figure{Name: "mnist-curves", Title: fmt.Sprintf("Test accuracy by epoch, depth %d", c.VerdictDepth),
		Caption: "Mean over the runs that never diverged, with 95% CI band; epoch 0 is before training. A cross below the axis's zero marks the epoch in which a run diverged. Dashed: chance (0.1)."}
	curvePanel := result.Panel{Kind: result.LinePanel, XLabel: "epoch", YLabel: "test accuracy", YMin: 0, YMax: 1}
	for i, name := range c.TrainNets {
		n, _ := parseNet(name, c.LR)
		t.nets = append(t.nets, n)
		row := []string{name}
		for _, depth := range c.TrainDepths {
			k := trainKey{name, depth}
			ch, runs := t.chooseAndRecord(c, n, depth, trains)
			accs, diverged := finalAccuracies(runs)
			e := metrics.MeanCI(accs).Clamp(0, 1)
			t.final[k] = accs
			t.stats[k] = armStats{Name: name, Acc: e, Diverged: diverged, Runs: len(runs), Rate: ch}
			cell := accuracyCell(e, diverged, len(runs))
			if ch.Grid > 1 {
				cell += fmt.Sprintf(" lr %g", ch.LR)
				if ch.Edge || ch.NoneEligible {
					cell += " (edge)"
				}
			}
			row = append(row, cell)
			if depth == c.VerdictDepth {
				line, marks := epochCurve(netLabel(name), runs, i)
				curvePanel.Lines = append(curvePanel.Lines, line)
				curvePanel.Markers = append(curvePanel.Markers, marks...)
			}
		}
		t.table.Rows = append(t.table.Rows, row)
	}
	if len(curvePanel.Lines) > 0 {
		// Chance first, under the curves: a net at chance lies on it, and
		// drawn over them it hid the sigmoid line (figure audit 25).
		curvePanel.Lines = append([]result.Line{chanceLine(0, float64(c.Epochs))}, curvePanel.Lines...)
	}
	t.control = fixedBar(c.ControlAccuracy)
	if c.ControlAccuracy == 0 {
		t.control = t.reference(c, trains)
	}
	kit.FootPanel(&curvePanel)
	t.byDepth = t.byDepthFigure(c)
	t.curves.Panels = []result.Panel{curvePanel}
	return t
}

// reference trains nothing: it reads the linear reference's runs at the
// rate chosen on validation, records them, adds a line under the
// accuracy table, and returns the threshold they set.
func (t *depthTraining) reference(c *Config, trains map[rateKey][]vanishingResult) controlBar {
	ref, err := parseReference(c.ControlReference, c.LR)
	if err != nil {
		return referenceBar(armStats{Name: c.ControlReference})
	}
	ch, runs := t.chooseAndRecord(c, ref, 0, trains)
	accs, diverged := finalAccuracies(runs)
	b := referenceBar(armStats{Name: ref.name, Acc: metrics.MeanCI(accs).Clamp(0, 1), Diverged: diverged, Runs: len(runs), Rate: ch})
	line := fmt.Sprintf("Control threshold: %s.", b.rule())
	if b.set() {
		line = fmt.Sprintf("Control threshold at depth %d: %.3f, the test accuracy of a linear classifier (no hidden layer) trained in the same budget and data order, %s, less %.2f; a net passes when its 95%% CI lower end reaches it. The classifier's rate is chosen on validation from %s: a grid of its own, which may reach past the nets' (a linear model is stable at larger steps), so that a better-tuned reference only raises the bar.",
			c.ControlDepth, b.Accuracy, b.Reference.numbers(), referenceSlack, fmtRates(ref.rates(c.TrainLRs)))
	}
	t.table.Note += " " + line
	return b
}

// chooseAndRecord records every rate's runs of net n at one depth, picks
// the rate the rules read (chooseRate) and returns it with its runs.
func (t *depthTraining) chooseAndRecord(c *Config, n trainNet, depth int, trains map[rateKey][]vanishingResult) (rateChoice, []kit.TrainOutcome) {
	lrs := n.rates(c.TrainLRs)
	byRate := make([][]kit.TrainOutcome, len(lrs))
	cand := make([]rateRuns, len(lrs))
	for i, lr := range lrs {
		rs := trains[rateKey{n.name, lr, depth}]
		runs := make([]kit.TrainOutcome, len(rs))
		val := make([]float64, len(rs))
		for s, r := range rs {
			if r.Train != nil {
				runs[s] = *r.Train
			}
			val[s] = math.NaN()
			if !runs[s].Diverged && len(r.ValAcc) > 0 {
				val[s] = r.ValAcc[len(r.ValAcc)-1]
			}
		}
		_, diverged := finalAccuracies(runs)
		byRate[i], cand[i] = runs, rateRuns{LR: lr, ValAcc: val, Diverged: diverged}
		t.records.Rows = append(t.records.Rows, epochRecords(n, lr, depth, runs)...)
	}
	ch := chooseRate(cand)
	if c.Validation > 0 {
		for i, lr := range lrs {
			for s, r := range trains[rateKey{n.name, lr, depth}] {
				for e, acc := range r.ValAcc {
					t.validation.Rows = append(t.validation.Rows, []string{n.name, n.variant, string(n.init), kit.Ftoa(lr), kit.Itoa(depth), kit.Itoa(s), kit.Itoa(e),
						kit.Ftoa(acc), fmt.Sprint(i == ch.Index)})
				}
			}
		}
	}
	if len(lrs) > 1 || len(c.TrainLRs) > 1 {
		t.rates.Rows = append(t.rates.Rows, rateRow(c, n, depth, cand, ch))
	}
	return ch, byRate[ch.Index]
}

// rateHeaders is one column per learning rate any net trains at.
func rateHeaders(c *Config) []string {
	var out []string
	for _, lr := range allRates(c) {
		out = append(out, fmt.Sprintf("lr %g", lr))
	}
	return out
}

// allRates is every learning rate any net trains at, the control's
// reference included, in increasing order.
func allRates(c *Config) []float64 {
	var out []float64
	nets := []trainNet{}
	for _, name := range c.TrainNets {
		n, _ := parseNet(name, c.LR)
		nets = append(nets, n)
	}
	if ref, err := parseReference(c.ControlReference, c.LR); err == nil && c.ControlAccuracy == 0 {
		nets = append(nets, ref)
	}
	for _, n := range nets {
		for _, lr := range n.rates(c.TrainLRs) {
			if !slices.Contains(out, lr) {
				out = append(out, lr)
			}
		}
	}
	slices.Sort(out)
	return out
}

// rateRow is one net and depth of the learning-rate table: each rate's
// mean validation accuracy with its diverged runs, the chosen one starred.
func rateRow(c *Config, n trainNet, depth int, cand []rateRuns, ch rateChoice) []string {
	row := []string{n.name, kit.Itoa(depth)}
	for _, lr := range allRates(c) {
		i := slices.IndexFunc(cand, func(r rateRuns) bool { return r.LR == lr })
		if i < 0 {
			row = append(row, "")
			continue
		}
		r := cand[i]
		text := kit.FmtFloat(r.meanVal(), 3)
		if r.Diverged > 0 {
			text += fmt.Sprintf(" (%d of %d diverged)", r.Diverged, len(r.ValAcc))
		}
		if !r.eligible() {
			text += " ineligible"
		}
		if i == ch.Index {
			text += " *"
			if ch.Edge {
				text += " (edge)"
			}
			if ch.NoneLearns {
				text += fmt.Sprintf(" (below %.1f at every rate)", kit.StallsAccuracy)
			}
		}
		row = append(row, text)
	}
	return row
}

// rateText says which learning rates the nets trained at, for captions.
func rateText(c *Config) string {
	if len(c.TrainLRs) > 1 {
		return fmt.Sprintf("each net at the rate of %s chosen on the validation split (table learning-rates) unless it names its own", fmtRates(c.TrainLRs))
	}
	return fmt.Sprintf("lr %g unless the net names its own", c.LR)
}

// fmtRates is "0.01, 0.03, 0.1 and 0.3".
func fmtRates(lrs []float64) string {
	sorted := slices.Clone(lrs)
	slices.Sort(sorted)
	parts := make([]string, len(sorted))
	for i, lr := range sorted {
		parts[i] = fmt.Sprintf("%g", lr)
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// depthOffset is how far apart, as a fraction of the range of trained
// depths, the nets' points at one depth are drawn, so that their error
// bars do not overlap.
const depthOffset = 0.025

// byDepthFigure draws each net's test accuracy at each trained depth as a
// point with its 95% CI as a vertical bar. Only a few depths are trained,
// so nothing joins them: a line would read as a curve measured in
// between.
func (t *depthTraining) byDepthFigure(c *Config) result.Figure {
	depths := slices.Clone(c.TrainDepths)
	slices.Sort(depths)
	step := depthOffset * math.Max(float64(depths[len(depths)-1]-depths[0]), 1)
	panel := result.Panel{Kind: result.LinePanel, XLabel: fmt.Sprintf("depth (hidden layers; trained at %s only)", joinInts(depths)), YLabel: "test accuracy", YMin: 0, YMax: 1}
	diverged := 0
	left, right := math.Inf(1), math.Inf(-1)
	for i, name := range c.TrainNets {
		x := func(depth int) float64 {
			return float64(depth) + step*(float64(i)-float64(len(c.TrainNets)-1)/2)
		}
		// A NaN between points breaks a line: each point stands alone,
		// and each error bar is a segment of its own.
		point := result.Line{Label: netLabel(name), Points: true, Style: i}
		bars := result.Line{Style: i}
		for j, depth := range depths {
			s := t.stats[trainKey{name, depth}]
			xd := x(depth)
			left, right = math.Min(left, xd), math.Max(right, xd)
			if j > 0 {
				point.X, point.Y = append(point.X, math.NaN()), append(point.Y, math.NaN())
				bars.X, bars.Y = append(bars.X, math.NaN()), append(bars.Y, math.NaN())
			}
			point.X, point.Y = append(point.X, xd), append(point.Y, s.Acc.Mean)
			bars.X, bars.Y = append(bars.X, xd, xd), append(bars.Y, s.Acc.Lo, s.Acc.Hi)
			if s.Diverged > 0 {
				diverged += s.Diverged
				panel.Markers = append(panel.Markers, result.Marker{Label: "some runs diverged", X: xd, Y: kit.FootY, Style: i})
			}
		}
		panel.Lines = append(panel.Lines, bars, point)
	}
	if ref := t.control.Reference; t.control.FromReference && ref.Runs > 0 {
		// The reference sits at depth 0: it has no hidden layer.
		panel.XLabel = fmt.Sprintf("depth (hidden layers; trained at %s only; 0: the linear classifier)", joinInts(depths))
		panel.Lines = append(panel.Lines,
			result.Line{X: []float64{0, 0}, Y: []float64{ref.Acc.Lo, ref.Acc.Hi}, Style: 5},
			result.Line{Label: "linear classifier (no hidden layer)", X: []float64{0}, Y: []float64{ref.Acc.Mean}, Points: true, Style: 5})
		left = math.Min(left, 0)
	}
	// The chance line reaches a little past the outermost points, so that
	// their markers are not cut in half by the frame.
	panel.Lines = append(panel.Lines, chanceLine(left-step, right+step),
		result.Line{Label: fmt.Sprintf("%.1f: learns above, stalls below", kit.StallsAccuracy), X: []float64{left - step, right + step}, Y: []float64{kit.StallsAccuracy, kit.StallsAccuracy}, Theory: true, Style: 4})
	thresholdText := fmt.Sprintf(" The sky-blue dashed line at %.1f is the rules' line: a net learns if its 95%% CI lies above it, stalls if below.", kit.StallsAccuracy)
	if t.control.set() && slices.Contains(depths, c.ControlDepth) {
		// The control threshold spans the nets' points at the control
		// depth only: it is what they must reach, not a level elsewhere.
		d := float64(c.ControlDepth)
		half := step * (float64(len(c.TrainNets))/2 + 1)
		panel.Lines = append(panel.Lines, result.Line{Label: "control threshold", X: []float64{d - half, d + half}, Y: []float64{t.control.Accuracy, t.control.Accuracy}, Theory: true, Style: 5})
		thresholdText += fmt.Sprintf(" The short dashed segment at depth %d is the control threshold every net must reach there (%s)", c.ControlDepth, t.control.rule())
		if t.control.FromReference {
			thresholdText += "; the point at depth 0 is that linear classifier"
		}
		thresholdText += "."
	}
	kit.FootPanel(&panel)
	divergedText := "no run diverged"
	if diverged > 0 {
		divergedText = fmt.Sprintf("%d runs diverged in all: they are left out of the means and counted in the table, and a cross below the axis's zero marks the net and depth", diverged)
	}
	if len(c.TrainLRs) > 1 {
		divergedText += " (at the rates read: table learning-rates counts the runs that diverged at the others)"
	}
	return result.Figure{Name: "mnist-by-depth", Title: "Which deep nets still learn " + c.Dataset.Title(),
		Caption: fmt.Sprintf("Only depths %s were trained. Each point is a net's mean test accuracy after %d epoch(s) (%s, %s, width %d) over the runs that did not diverge (%d seeds per net and depth), "+
			"with its 95%% CI as a vertical bar; the nets are drawn slightly apart at each depth so that their bars do not overlap, and no line joins the depths, which were not measured in between. "+
			"Diverged runs are left out and counted: %s. Dashed: chance (0.1).%s",
			joinInts(depths), c.Epochs, c.Optimizer, rateText(c), c.TrainWidth, c.TrainSeeds, divergedText, thresholdText),
		Panels: []result.Panel{panel}}
}

// joinInts is "2, 10 and 30".
func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = kit.Itoa(x)
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func chanceLine(from, to float64) result.Line {
	return result.Line{Label: "chance", X: []float64{from, to}, Y: []float64{chance, chance}, Theory: true, Style: 6}
}

// netLabel is a net's name as a figure's legend gives it: a net trained
// at its own rates ("sigmoid/xavier-normal@0.03+0.1+0.3+1", as written on
// the command line and in the tables) says so in words (figure audit 25:
// the "@...+..." form read as cryptic).
func netLabel(name string) string {
	base, rates, ok := strings.Cut(name, "@")
	if !ok {
		return name
	}
	if !strings.Contains(rates, "+") {
		return fmt.Sprintf("%s (at its own rate %s)", base, rates)
	}
	return fmt.Sprintf("%s (best of its own rates %s)", base, strings.ReplaceAll(rates, "+", ", "))
}

// epochCurve is the mean test accuracy by epoch over the runs that never
// diverged, and a marker at the epoch each diverged run stopped in.
func epochCurve(label string, runs []kit.TrainOutcome, style int) (result.Line, []result.Marker) {
	ln := result.Line{Label: label, Points: true, Style: style}
	var marks []result.Marker
	maxEpochs := 0
	for _, o := range runs {
		if o.Diverged {
			marks = append(marks, result.Marker{Label: "a run diverged", X: float64(len(o.Epochs)), Y: kit.FootY, Style: style})
			continue
		}
		maxEpochs = max(maxEpochs, len(o.Epochs))
	}
	for e := 0; e < maxEpochs; e++ {
		var accs []float64
		for _, o := range runs {
			if !o.Diverged && e < len(o.Epochs) {
				accs = append(accs, o.Epochs[e].TestAcc)
			}
		}
		est := metrics.MeanCI(accs).Clamp(0, 1)
		ln.X, ln.Y = append(ln.X, float64(e)), append(ln.Y, est.Mean)
		ln.Lo, ln.Hi = append(ln.Lo, est.Lo), append(ln.Hi, est.Hi)
	}
	return ln, marks
}

func accuracyCell(e metrics.Estimate, diverged, runs int) string {
	text := kit.FmtEstimate(e, 3)
	if diverged > 0 {
		text += fmt.Sprintf(" (%d of %d diverged)", diverged, runs)
	}
	return text
}

// epochRecords is one row per seed and epoch.
func epochRecords(n trainNet, lr float64, depth int, runs []kit.TrainOutcome) [][]string {
	var rows [][]string
	for seed, o := range runs {
		for _, e := range o.Epochs {
			rows = append(rows, []string{n.name, n.variant, string(n.init), kit.Ftoa(lr), kit.Itoa(depth), kit.Itoa(seed), kit.Itoa(e.Epoch),
				kit.Ftoa(e.TrainLoss), kit.Ftoa(e.TrainAcc), kit.Ftoa(e.TestLoss), kit.Ftoa(e.TestAcc), fmt.Sprint(o.Diverged), kit.Itoa(o.DivergedStep)})
		}
	}
	return rows
}

// netNamed is the first trained net with this activation and init.
func (t *depthTraining) netNamed(variant, init string) (string, bool) {
	for _, n := range t.nets {
		if n.variant == variant && string(n.init) == init {
			return n.name, true
		}
	}
	return "", false
}

// comparison is the evidence of an MNIST rule: arm against base, paired
// on seeds at the verdict depth, with both nets' controls.
func (t *depthTraining) comparison(c *Config, arm, base string) trainEvidence {
	at := func(name string, depth int) armStats {
		s, ok := t.stats[trainKey{name, depth}]
		if !ok {
			return armStats{Name: name}
		}
		return s
	}
	e := trainEvidence{Data: c.Dataset, Depth: c.VerdictDepth, ControlDepth: c.ControlDepth, Control: t.control, Budget: budgetText(c), RatesChosen: len(c.TrainLRs) > 1,
		Arm: at(arm, c.VerdictDepth), Base: at(base, c.VerdictDepth),
		ArmControl: at(arm, c.ControlDepth), BaseControl: at(base, c.ControlDepth)}
	a, b := t.final[trainKey{arm, c.VerdictDepth}], t.final[trainKey{base, c.VerdictDepth}]
	if len(a) > 0 && len(a) == len(b) {
		e.Diff = metrics.PairedDiff(a, b)
	} else {
		e.Diff = metrics.OneSample(nil)
	}
	return e
}

// saturatingComparison is the evidence of a stalls rule: relu/he-normal
// against the given activation under xavier-normal; false if either net
// was not trained.
func (t *depthTraining) saturatingComparison(c *Config, activation string) (trainEvidence, bool) {
	he, okHe := t.netNamed("relu", "he-normal")
	sat, ok := t.netNamed(activation, "xavier-normal")
	if !okHe || !ok {
		return trainEvidence{}, false
	}
	return t.comparison(c, he, sat), true
}

// tanhComparison is the evidence of tanhStallsVerdict, which the main
// verdict also shows.
func (t *depthTraining) tanhComparison(c *Config) (trainEvidence, bool) {
	return t.saturatingComparison(c, "tanh")
}

// verdicts applies each MNIST rule whose nets were trained, and the
// sanity check on the control.
func (t *depthTraining) verdicts(c *Config) []result.Verdict {
	var out []result.Verdict
	ctl := controlEvidence{Data: c.Dataset, ControlDepth: c.ControlDepth, Control: t.control, Budget: budgetText(c)}
	for _, n := range t.nets {
		s, ok := t.stats[trainKey{n.name, c.ControlDepth}]
		if !ok {
			s = armStats{Name: n.name}
		}
		ctl.Nets = append(ctl.Nets, s)
	}
	out = append(out, controlVerdict(ctl))
	he, okHe := t.netNamed("relu", "he-normal")
	if xav, ok := t.netNamed("relu", "xavier-normal"); okHe && ok {
		out = append(out, heInitVerdict(t.comparison(c, he, xav)))
	}
	if e, ok := t.saturatingComparison(c, "sigmoid"); ok {
		out = append(out, sigmoidStallsVerdict(e))
	}
	if e, ok := t.tanhComparison(c); ok {
		out = append(out, tanhStallsVerdict(e))
	}
	return out
}
