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
	grads, trains, controls, capRuns := groupCells(c, done)
	res := &result.Result{}
	stats := summarizeInit(c, grads, res)
	depth := slices.Max(c.Depths)
	evidence := initEvidenceOf(c, depth, stats)
	res.Verdicts = append(res.Verdicts, initVerdict(evidence))
	if note := initNote(evidence, stats); note != "" {
		res.Notes = append(res.Notes, note)
	}
	if c.TrainSeeds > 0 {
		tv := summarizeTraining(c, trains, controls, capRuns, res)
		tv[0].Context = kit.JoinContext(premiseContext(res.Verdicts[0], tv[1]), tv[0].Context)
		res.Verdicts = append(res.Verdicts, tv...)
	}
	return res, nil
}

// premiseContext says, for the main verdict's first screen, that its rule
// tests the remedies and not the explosion its statement opens with, and
// what the verdicts that do test that premise read: the gradient's growth
// at initialisation (growth) and whether the divergence is ReLU's own
// (bounded, the tanh control). Review 26b: the first screen read "deep
// ReLU nets' gradients can explode" as shown, beside a plain net that
// diverges by overshoot within a few steps.
func premiseContext(growth, bounded result.Verdict) string {
	return fmt.Sprintf("this verdict tests the remedies only, against a plain net that diverges at the high rate (how it diverges: the caveat); the explosion itself is read at initialisation (%s: %s) and against a tanh net (%s: %s)",
		strings.ToLower(string(growth.Outcome)), growth.Statement, strings.ToLower(string(bounded.Outcome)), bounded.Statement)
}

type explodingKey struct {
	variant string
	gain    float64
	depth   int
}

// capKey is a rerun at the higher loss cap: the control net or the plain
// ReLU net, at one learning rate.
type capKey struct {
	control bool
	lr      float64
}

// groupCells sorts the cell results into the nets measured at
// initialisation, the training runs of the MNIST net, those of the
// control net (by learning rate) and the reruns of both at the higher
// loss cap, each indexed by seed, so that index s of two arms is a pair.
func groupCells(c *Config, done []harness.Done[explodingCell, explodingResult]) (map[explodingKey][]explodingResult, map[remedyRun][]explodingResult, map[float64][]explodingResult, map[capKey][]explodingResult) {
	grads := map[explodingKey][]explodingResult{}
	trains := map[remedyRun][]explodingResult{}
	controls := map[float64][]explodingResult{}
	capRuns := map[capKey][]explodingResult{}
	for _, d := range done {
		p := d.Params
		if p.Kind == "train" && p.Cap > 0 {
			k := capKey{p.Variant != c.TrainVariant, p.LR}
			if capRuns[k] == nil {
				capRuns[k] = make([]explodingResult, c.TrainSeeds)
			}
			capRuns[k][p.Seed] = d.Result
		} else if p.Kind == "train" && p.Variant != c.TrainVariant {
			if controls[p.LR] == nil {
				controls[p.LR] = make([]explodingResult, c.TrainSeeds)
			}
			controls[p.LR][p.Seed] = d.Result
		} else if p.Kind == "train" {
			k := remedyRun{p.BatchNorm, p.Clip, p.LR}
			if trains[k] == nil {
				trains[k] = make([]explodingResult, c.seeds(k))
			}
			trains[k][p.Seed] = d.Result
		} else {
			k := explodingKey{p.Variant, p.Gain, p.Depth}
			if grads[k] == nil {
				grads[k] = make([]explodingResult, c.Seeds)
			}
			grads[k][p.Seed] = d.Result
		}
	}
	return grads, trains, controls, capRuns
}

// figureDepth is the configured depth of the per-layer figures, or the
// shallowest measured if it was not measured.
func figureDepth(c *Config) int {
	if !slices.Contains(c.Depths, c.FigureDepth) {
		return slices.Min(c.Depths)
	}
	return c.FigureDepth
}

// perLayer is 1/(L-1): first-to-last ratios over a net of L hidden layers
// span L-1 layers (NaN for a single layer, which spans none).
func perLayer(depth int) float64 {
	if depth < 2 {
		return math.NaN()
	}
	return 1 / float64(depth-1)
}

// scaled multiplies an estimate (mean, interval and SD) by k > 0.
func scaled(e metrics.Estimate, k float64) metrics.Estimate {
	e.Mean, e.Lo, e.Hi, e.SD = e.Mean*k, e.Lo*k, e.Hi*k, e.SD*k
	return e
}

// Part 1: at initialisation.

// initStats are the ratios over seeds of one (variant, gain, depth), in log10.
type initStats struct {
	z, w, example, act metrics.Estimate // first/last for gradients, last/first for activations
	zBySeed            []float64        // log10 first/last of ||dL/dz|| per seed, for pairing
	mfZ, mfAct         float64          // mean-field predictions of z and act
}

// summarizeInit adds part 1's tables, records and figures to res and
// returns the ratios the verdict reads.
func summarizeInit(c *Config, grads map[explodingKey][]explodingResult, res *result.Result) map[explodingKey]initStats {
	stats, tables, records := initTables(c, grads)
	res.Tables = append(res.Tables, tables...)
	res.Records = append(res.Records, records)
	for _, g := range c.Gains {
		res.Figures = append(res.Figures, gradientByLayerFigure(c, grads, g, figureDepth(c)))
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
		Note: fmt.Sprintf("Positive: the gradient grows on its way back; it explodes (the verdict's threshold) above (L-1)/%d decades, tenfold per %d layers. Mean-field prediction in parentheses; for ReLU it is (L-1) * 0.5 * log10(g/2). "+
			"All variants and gains of a depth and seed share their weights (scaled by the gain) and inputs.", explosionDepth, explosionDepth)}
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
	zLogs := make([]float64, len(zr))
	for i, x := range zr {
		zLogs[i] = metrics.Log10(x)
	}
	s := initStats{z: kit.LogStats(zr), w: kit.LogStats(wr), example: kit.LogStats(er), act: kit.LogStats(ar), zBySeed: zLogs,
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
func gradientByLayerFigure(c *Config, grads map[explodingKey][]explodingResult, g float64, depth int) result.Figure {
	layers := make([]float64, depth)
	for l := range layers {
		layers[l] = float64(l + 1)
	}
	fig := result.Figure{Name: fmt.Sprintf("gradient-by-layer-g%g", g), Columns: 3,
		Title: fmt.Sprintf("Gain g = %g (Var(w) = %g/fan_in): gradients and activations by layer, depth %d, at initialisation", g, g, depth),
		Caption: fmt.Sprintf("Geometric mean over seeds with 95%% CI band; dashed: mean-field prediction (for ||dL/dz_l|| anchored at the last hidden layer), which lies on the solid measurement (and is hidden by it) where the two agree. Layer 1 is next to the input. "+
			"ReLU's critical gain is 2: above it ||dL/dz_l|| grows by sqrt(g/2) per layer towards the input (here %.2f) and the activations by as much towards the output.", math.Sqrt(g/2))}
	zPanel := result.Panel{Kind: result.LinePanel, Title: "back-propagated gradient", XLabel: "hidden layer", YLabel: "||dL/dz_l||", LogY: true}
	aPanel := result.Panel{Kind: result.LinePanel, Title: "activations", XLabel: "hidden layer", YLabel: "||h_l|| per example (RMS)", LogY: true}
	wPanel := result.Panel{Kind: result.LinePanel, Title: "weight gradient", XLabel: "hidden layer", YLabel: "||dL/dW_l||", LogY: true}
	for vi, v := range c.Variants {
		rs := grads[explodingKey{v, g, depth}]
		mf, mfAct := meanFieldInit(c, v, g, depth)
		at := func(get func(explodingResult) []float64) func(int) []float64 {
			return func(l int) []float64 {
				out := make([]float64, len(rs))
				for i, r := range rs {
					out[i] = get(r)[l]
				}
				return out
			}
		}
		zPanel.Lines = append(zPanel.Lines,
			kit.GeoMeanLine(v, layers, at(func(r explodingResult) []float64 { return r.PreActGrad }), vi),
			result.Line{Label: v + " (theory)", X: layers, Y: kit.AnchoredPrediction(mf, meanOfExploding(rs, func(r explodingResult) float64 { return r.PreActGrad[depth-1] })), Theory: true, Style: vi})
		aPanel.Lines = append(aPanel.Lines,
			kit.GeoMeanLine(v, layers, at(func(r explodingResult) []float64 { return r.ActRMS }), vi),
			result.Line{Label: v + " (theory)", X: layers, Y: mfAct, Theory: true, Style: vi})
		wPanel.Lines = append(wPanel.Lines, kit.GeoMeanLine(v, layers, at(func(r explodingResult) []float64 { return r.WeightGrad }), vi))
	}
	fig.Panels = []result.Panel{zPanel, aPanel, wPanel}
	return fig
}

// growthByGainFigure shows the growth per layer against the gain, one row
// of panels per depth, on linear axes: the (L-1)th root of the
// first-to-last ratio, so that depths compare. The mean-field prediction
// is drawn as black crosses, visible on top of the measurement it matches,
// and the explosion threshold as a dashed line.
func growthByGainFigure(c *Config, stats map[explodingKey]initStats) result.Figure {
	byGain := result.Figure{Name: "growth-by-gain", Columns: 3, Title: "Growth per layer against the weight gain, at initialisation",
		Caption: fmt.Sprintf("Geometric mean over seeds with 95%% CI band of the (L-1)th root of a first-to-last-layer ratio; crosses: mean-field prediction (sqrt(g/2) for ReLU), drawn over the measurement's marker, which it hides where the two agree. Above 1: growth. "+
			"Left: back-propagated gradient, per layer towards the input, with the explosion threshold of the verdict (dashed: tenfold per %d layers, x%.3f per layer). Middle: activations, per layer towards the output. "+
			"Right: weight gradient, per layer towards the input. The per-layer growth is the same at every depth, as mean field predicts: the threshold is a rate, so it scales with depth.", explosionDepth, kit.Pow10(explosionRate()))}
	for _, depth := range c.Depths {
		per := perLayer(depth)
		zPanel := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("depth %d: ||dL/dz|| per layer back", depth), XLabel: "gain g", YLabel: "factor per layer"}
		aPanel := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("depth %d: ||h|| per layer forward", depth), XLabel: "gain g", YLabel: "factor per layer"}
		wPanel := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("depth %d: ||dL/dW|| per layer back", depth), XLabel: "gain g", YLabel: "factor per layer"}
		root := func(x float64) float64 { return kit.Pow10(x * per) }
		for vi, v := range c.Variants {
			var z, zlo, zhi, a, alo, ahi, w, wlo, whi []float64
			for _, g := range c.Gains {
				s := stats[explodingKey{v, g, depth}]
				z, zlo, zhi = append(z, root(s.z.Mean)), append(zlo, root(s.z.Lo)), append(zhi, root(s.z.Hi))
				a, alo, ahi = append(a, root(s.act.Mean)), append(alo, root(s.act.Lo)), append(ahi, root(s.act.Hi))
				w, wlo, whi = append(w, root(s.w.Mean)), append(wlo, root(s.w.Lo)), append(whi, root(s.w.Hi))
				zPanel.Markers = append(zPanel.Markers, result.Marker{Label: "mean field", X: g, Y: root(s.mfZ), Style: 6})
				aPanel.Markers = append(aPanel.Markers, result.Marker{Label: "mean field", X: g, Y: root(s.mfAct), Style: 6})
			}
			zPanel.Lines = append(zPanel.Lines, result.Line{Label: v, X: c.Gains, Y: z, Lo: zlo, Hi: zhi, Points: true, Style: vi})
			aPanel.Lines = append(aPanel.Lines, result.Line{Label: v, X: c.Gains, Y: a, Lo: alo, Hi: ahi, Points: true, Style: vi})
			wPanel.Lines = append(wPanel.Lines, result.Line{Label: v, X: c.Gains, Y: w, Lo: wlo, Hi: whi, Points: true, Style: vi})
		}
		ends := []float64{slices.Min(c.Gains), slices.Max(c.Gains)}
		thr := kit.Pow10(explosionRate())
		zPanel.Lines = append(zPanel.Lines, result.Line{Label: fmt.Sprintf("explodes above (x%.3f)", thr), X: ends, Y: []float64{thr, thr}, Theory: true, Style: 6})
		byGain.Panels = append(byGain.Panels, zPanel, aPanel, wPanel)
	}
	return byGain
}

// initEvidenceOf collects, at the given depth, what the growth rule reads.
func initEvidenceOf(c *Config, depth int, stats map[explodingKey]initStats) initEvidence {
	per := perLayer(depth)
	at := func(variant string, g float64) (initStats, bool) {
		s, ok := stats[explodingKey{variant, g, depth}]
		return s, ok && s.z.N > 0
	}
	grow := func(s initStats, g float64) growth { return growth{gain: g, rate: scaled(s.z, per), mf: s.mfZ * per} }
	e := initEvidence{depth: depth, width: c.Width, top: slices.Max(c.Gains)}
	var gains []float64
	if slices.Contains(c.Variants, "relu") {
		for _, g := range c.Gains {
			if s, ok := at("relu", g); ok && g > criticalGain {
				e.relu = append(e.relu, grow(s, g))
				gains = append(gains, g)
			}
		}
		sort.Slice(e.relu, func(i, j int) bool { return e.relu[i].gain < e.relu[j].gain })
	}
	for _, name := range []string{"tanh", "sigmoid"} {
		if !slices.Contains(c.Variants, name) {
			continue
		}
		b := boundedGrowth{name: name}
		for _, g := range gains {
			if s, ok := at(name, g); ok {
				b.growth = append(b.growth, grow(s, g))
			}
		}
		e.bounded = append(e.bounded, b)
	}
	for _, r := range e.relu {
		if t, ok := at("tanh", r.gain*tanhCriticalGain/criticalGain); ok && slices.Contains(c.Variants, "tanh") {
			e.tanhAlike = append(e.tanhAlike, alikeGrowth{relu: r, tanh: grow(t, r.gain*tanhCriticalGain/criticalGain)})
		}
	}
	if s, ok := at("relu", e.top); ok {
		e.reluTop = s
		if t, ok := at("tanh", e.top); ok {
			e.tanhTop = &t
			p := metrics.PairedDiff(s.zBySeed, t.zBySeed)
			p.Diff, p.Lo90, p.Hi90, p.MDE = scaled(p.Diff, per), p.Lo90*per, p.Hi90*per, p.MDE*per
			e.reluMinusTanh = &p
		}
	}
	return e
}

// initNote is the note on weight gradients, written only when ReLU was
// measured at a gain above the critical one.
func initNote(e initEvidence, stats map[explodingKey]initStats) string {
	if len(e.relu) == 0 {
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

// armStats summarises the runs of one remedy at one learning rate. A
// diverged run is counted in arm.diverged and kept out of every accuracy,
// dead-unit fraction and norm estimate; only the raw lists of the largest
// and mean gradient norm keep it, to show the blow-up.
type armStats struct {
	arm
	testBySeed []float64        // test accuracy per seed, NaN for a diverged run
	divBySeed  []bool           // whether the run of each seed diverged
	trainAcc   metrics.Estimate // over the runs that did not diverge
	divStep    metrics.Estimate // over the diverged runs
	divLosses  []float64        // the loss that stopped each diverged run, 0 where not finite (kit.TrainOutcome.DivergedLoss)
	maxNorms   []float64        // the largest raw gradient norm of each run
	meanNorms  []float64        // the mean raw gradient norm of each run
	maxNorm    metrics.Estimate // log10 of the largest raw norm, runs that did not diverge
	maxApplied float64          // largest applied norm over all runs
	// appliedBySeed is each run's largest applied gradient norm (after
	// clipping), over the steps before any divergence.
	appliedBySeed []float64
	// curveBySeed is each run's training-loss curve (nil for a diverged
	// run), for the steps-to-target reading of C11.
	curveBySeed []lossCurve
}

// lossCurve is a run's windowed training loss: loss[i] is the mean over
// the window ending at step steps[i].
type lossCurve struct {
	steps []int
	loss  []float64
}

func statsOfArm(rs []explodingResult) armStats {
	var s armStats
	s.runs = len(rs)
	var steps, train, val, stableMax, stableMean, dead []float64
	for _, r := range rs {
		o := r.Train
		s.maxNorms = append(s.maxNorms, o.MaxGradNorm)
		s.meanNorms = append(s.meanNorms, r.MeanGradNorm)
		s.maxApplied = math.Max(s.maxApplied, r.MaxAppliedNorm)
		s.appliedBySeed = append(s.appliedBySeed, r.MaxAppliedNorm)
		s.divBySeed = append(s.divBySeed, o.Diverged)
		if o.Diverged {
			s.curveBySeed = append(s.curveBySeed, lossCurve{})
			s.diverged++
			steps = append(steps, float64(o.DivergedStep))
			s.divLosses = append(s.divLosses, o.DivergedLoss)
			s.testBySeed = append(s.testBySeed, math.NaN())
			continue
		}
		s.testBySeed = append(s.testBySeed, o.Final().TestAcc)
		s.curveBySeed = append(s.curveBySeed, lossCurve{steps: r.LossSteps, loss: r.Loss})
		train = append(train, o.Final().TrainAcc)
		stableMax, stableMean = append(stableMax, o.MaxGradNorm), append(stableMean, r.MeanGradNorm)
		if r.Dead != nil {
			dead = append(dead, *r.Dead)
		}
		if r.ValAcc != nil {
			val = append(val, *r.ValAcc)
		}
	}
	s.acc = metrics.MeanCI(s.testBySeed).Clamp(0, 1)
	s.trainAcc = metrics.MeanCI(train).Clamp(0, 1)
	s.val = metrics.MeanCI(val).Clamp(0, 1)
	s.divStep = metrics.MeanCI(steps).Clamp(1, math.Inf(1))
	s.maxNorm, s.meanNorm = kit.LogStats(stableMax), kit.LogStats(stableMean)
	s.dead = metrics.MeanCI(dead).Clamp(0, 1)
	return s
}

// bestStable is the learning rate, among lrs, where none of an arm's runs
// diverged and its mean validation accuracy is highest, or its mean test
// accuracy where the arm was not read on validation images (the smaller
// rate on a tie); nil if no rate was stable. The reference keeps lrs as
// its grid, to tell whether the best rate is at its edge.
func bestStable(lrs []float64, at func(lr float64) (armStats, bool)) *reference {
	var best *reference
	var bestScore float64
	for _, lr := range lrs {
		s, ok := at(lr)
		if !ok || s.runs == 0 || s.diverged > 0 || s.acc.N == 0 {
			continue
		}
		score := s.acc.Mean
		if s.val.N > 0 {
			score = s.val.Mean
		}
		if best == nil || score > bestScore {
			best, bestScore = &reference{lr: lr, arm: s.arm, grid: lrs}, score
		}
	}
	return best
}

// trainingSummary holds part 2's statistics.
type trainingSummary struct {
	stats map[remedyRun]armStats
	ref   *reference // the plain net at its best stable rate
	bnRef *reference // BatchNorm at its best stable rate; nil without BatchNorm
	// control is the control net (no remedy) by learning rate, and
	// controlRef its best stable rate; empty and nil without a control.
	control    map[float64]armStats
	controlRef *reference
	// capStats are the reruns at the higher loss cap whose every seed ran;
	// empty if none.
	capStats map[capKey]armStats
}

// controlAt is the control net at one learning rate, if it ran there.
func (t trainingSummary) controlAt(lr float64) (armStats, bool) {
	s, ok := t.control[lr]
	return s, ok && s.runs > 0
}

func (t trainingSummary) at(r remedyRun) (armStats, bool) {
	s, ok := t.stats[r]
	return s, ok && s.runs > 0
}

// test is a remedy at one rate against the plain net's reference, paired
// by seed over the seeds both ran (an arm of the sweep runs fewer: its
// seed s pairs with the reference's seed s); its comparison is empty (NaN)
// without a reference.
func (t trainingSummary) test(r remedyRun) remedyTest {
	s, _ := t.at(r)
	rt := remedyTest{name: remedy(r.BN, r.Clip), lr: r.LR, clip: r.Clip, arm: s.arm, vsRef: metrics.OneSample(nil), ref: t.ref,
		unclipped: unclippedDiverged(s, r.Clip)}
	if t.ref != nil {
		ref, _ := t.at(remedyRun{false, 0, t.ref.lr})
		n := min(len(ref.testBySeed), len(s.testBySeed))
		rt.vsRef = metrics.PairedDiff(s.testBySeed[:n], ref.testBySeed[:n])
	}
	return rt
}

// unclippedDiverged counts the runs of a clipped arm that diverged before
// any update was clipped: every update they applied was below the
// threshold (the step a run diverges at applies none), so clipping never
// acted on them. 0 without clipping.
func unclippedDiverged(s armStats, clip float64) int {
	if clip <= 0 {
		return 0
	}
	n := 0
	for i, div := range s.divBySeed {
		// A clipped update's norm is the threshold up to rounding.
		if div && s.appliedBySeed[i] < clip*(1-1e-9) {
			n++
		}
	}
	return n
}

// summarizeTraining adds part 2's tables, records and figures to res and
// returns its verdicts.
func summarizeTraining(c *Config, trains map[remedyRun][]explodingResult, controls map[float64][]explodingResult, capRuns map[capKey][]explodingResult, res *result.Result) []result.Verdict {
	runs := c.trainRuns()
	ts := trainingSummary{stats: map[remedyRun]armStats{}}
	for _, r := range runs {
		ts.stats[r] = statsOfArm(trains[r])
	}
	ts.ref = bestStable(c.plainLRs(), func(lr float64) (armStats, bool) { return ts.at(remedyRun{false, 0, lr}) })
	if c.BN {
		ts.bnRef = bestStable(c.plainLRs(), func(lr float64) (armStats, bool) { return ts.at(remedyRun{true, 0, lr}) })
	}
	ts.control = map[float64]armStats{}
	if c.ControlVariant != "" {
		for _, lr := range c.plainLRs() {
			ts.control[lr] = statsOfArm(controls[lr])
		}
		ts.controlRef = bestStable(c.plainLRs(), ts.controlAt)
	}
	ts.capStats = capStatsOf(capRuns)
	records, curves := trainingRecords(c.Dataset, runs, trains)
	res.Records = append(res.Records, records, curves)
	if c.ControlVariant != "" {
		res.Records = append(res.Records, controlRecords(c, controls))
	}
	if len(capRuns) > 0 {
		res.Records = append(res.Records, capCheckRecords(c, capRuns))
	}
	res.Tables = append(res.Tables, remediesTable(c, runs, ts), remediesByLRTable(c, ts), trainsTable(c, ts))
	if c.Validation > 0 {
		res.Tables = append(res.Tables, rateChoiceTable(c, ts))
	}
	res.Figures = append(res.Figures, lossCurvesFigure(c, trains, ts), remediesByLRFigure(c, ts))
	if len(c.sweep()) > 1 {
		res.Figures = append(res.Figures, clipSweepFigure(c, ts))
	}
	if note := clipNote(c, ts); note != "" {
		res.Notes = append(res.Notes, note)
	}
	return []result.Verdict{
		remediesVerdict(remediesEvidenceOf(c, ts)),
		controlVerdict(controlEvidenceOf(c, ts)),
		batchNormVerdict(batchNormEvidenceOf(c, ts)),
	}
}

// controlRecords lists every run of the control net.
func controlRecords(c *Config, controls map[float64][]explodingResult) result.Table {
	t := result.Table{Name: "control-training", Title: fmt.Sprintf("Every run of the control net (%s, no remedy), paired by seed with the %s net's runs without remedy", controlName(c), c.TrainVariant),
		Columns: []string{"variant", "init", "lr", "seed", "diverged", "diverged_step", "diverged_cause", "steps", "max_grad_norm", "mean_grad_norm", "final_epoch", "train_loss", "train_acc", "test_loss", "test_acc"}}
	nan := kit.Ftoa(math.NaN())
	for _, lr := range c.plainLRs() {
		for seed, x := range controls[lr] {
			o := x.Train
			if o == nil {
				continue
			}
			f := o.Final()
			trLoss, trAcc, teLoss, teAcc := kit.Ftoa(f.TrainLoss), kit.Ftoa(f.TrainAcc), kit.Ftoa(f.TestLoss), kit.Ftoa(f.TestAcc)
			if o.Diverged {
				trLoss, trAcc, teLoss, teAcc = nan, nan, nan, nan
			}
			t.Rows = append(t.Rows, []string{c.ControlVariant, c.ControlInit, kit.Ftoa(lr), kit.Itoa(seed), fmt.Sprint(o.Diverged), kit.Itoa(o.DivergedStep), o.DivergedCause, kit.Itoa(o.Steps),
				kit.Ftoa(o.MaxGradNorm), kit.Ftoa(x.MeanGradNorm), kit.Itoa(f.Epoch), trLoss, trAcc, teLoss, teAcc})
		}
	}
	return t
}

// controlName names the control net: "tanh/xavier-normal".
func controlName(c *Config) string { return c.ControlVariant + "/" + c.ControlInit }

// controlLabel names the control's series in the by-rate table and figure.
func controlLabel(c *Config) string { return fmt.Sprintf("none, %s (control)", controlName(c)) }

// controlEvidenceOf collects what the control rule reads: both nets at
// every rate of the plain grid, paired by seed, at the usual loss cap and,
// where they were rerun, at the higher one (ts.capStats).
func controlEvidenceOf(c *Config, ts trainingSummary) controlEvidence {
	e := controlEvidence{variant: c.ControlVariant, init: c.ControlInit, reluName: c.TrainVariant + "/" + c.TrainInit, setting: trainSetting(c),
		best: ts.controlRef}
	if c.ControlVariant == "" {
		return e
	}
	if len(ts.capStats) > 0 {
		e.capFactor = c.CapCheck
	}
	for _, lr := range c.plainLRs() {
		r, _ := ts.at(remedyRun{false, 0, lr})
		k, _ := ts.controlAt(lr)
		usual := rateOf(lr, r, k)
		e.rates = append(e.rates, usual)
		if len(ts.capStats) == 0 {
			continue
		}
		hr, rerun := ts.capStats[capKey{false, lr}]
		hk, rerunK := ts.capStats[capKey{true, lr}]
		switch {
		case rerun && rerunK:
		case usual.ran() && usual.relu.diverged == 0 && usual.control.diverged == 0:
			// Not rerun, and no run stopped at the usual cap: each run
			// is the same run under the higher one.
			hr, hk = r, k
		default:
			e.highCap = append(e.highCap, controlRate{lr: lr})
			e.exploded = append(e.exploded, controlRate{lr: lr})
			continue
		}
		e.highCap = append(e.highCap, rateOf(lr, failedBelow(hr, kit.StallsAccuracy), failedBelow(hk, kit.StallsAccuracy)))
		e.exploded = append(e.exploded, rateOf(lr, hr, hk))
	}
	return e
}

// failedBelow counts as failed, besides the runs that diverged, those that
// ended below the test accuracy floor (stalled). The higher cap reads
// runs this way: a bounded net's loss can hardly reach it whatever becomes
// of the net, so "did not diverge" alone would say nothing there; what
// it asks is whether the runs the usual cap stopped would have trained.
// The arm's accuracy stays that of the runs that did not diverge.
func failedBelow(s armStats, floor float64) armStats {
	s.divBySeed = slices.Clone(s.divBySeed)
	for i, acc := range s.testBySeed {
		if i < len(s.divBySeed) && !s.divBySeed[i] && acc < floor {
			s.divBySeed[i] = true
			s.arm.stalled++
		}
	}
	s.arm.diverged += s.arm.stalled
	return s
}

// rateOf sets the ReLU net and the control against each other at one rate.
func rateOf(lr float64, relu, control armStats) controlRate {
	return controlRate{lr: lr, relu: relu.arm, control: control.arm, table: pairDivergence(relu.divBySeed, control.divBySeed),
		reluMaxNorms: relu.maxNorms, controlMaxNorms: control.maxNorms, reluDivLosses: relu.divLosses, controlDivLosses: control.divLosses}
}

// capStatsOf summarises the reruns at the higher cap whose every seed ran.
func capStatsOf(capRuns map[capKey][]explodingResult) map[capKey]armStats {
	out := map[capKey]armStats{}
	for k, rs := range capRuns {
		if complete(rs) {
			out[k] = statsOfArm(rs)
		}
	}
	return out
}

// complete: every seed of an arm has its run.
func complete(rs []explodingResult) bool {
	for _, r := range rs {
		if r.Train == nil {
			return false
		}
	}
	return len(rs) > 0
}

// capCheckRecords lists every rerun at the higher loss cap.
func capCheckRecords(c *Config, capRuns map[capKey][]explodingResult) result.Table {
	t := result.Table{Name: "cap-check-training", Title: fmt.Sprintf("The plain %s net and its control (%s), no remedy, rerun with the loss cap %g times the usual one, paired by seed with the runs at the usual cap", c.TrainVariant, controlName(c), c.CapCheck),
		Columns: []string{"variant", "init", "lr", "seed", "cap", "diverged", "diverged_step", "diverged_loss", "steps", "max_grad_norm", "test_acc"}}
	lossCap := c.CapCheck * divergenceCap
	for _, n := range []struct {
		control       bool
		variant, init string
	}{{false, c.TrainVariant, c.TrainInit}, {true, c.ControlVariant, c.ControlInit}} {
		for _, lr := range c.trainLRs() {
			for seed, x := range capRuns[capKey{n.control, lr}] {
				o := x.Train
				if o == nil {
					continue
				}
				acc := kit.Ftoa(o.Final().TestAcc)
				if o.Diverged {
					acc = kit.Ftoa(math.NaN())
				}
				t.Rows = append(t.Rows, []string{n.variant, n.init, kit.Ftoa(lr), kit.Itoa(seed), kit.Ftoa(lossCap), fmt.Sprint(o.Diverged), kit.Itoa(o.DivergedStep), kit.Ftoa(o.DivergedLoss), kit.Itoa(o.Steps), kit.Ftoa(o.MaxGradNorm), acc})
			}
		}
	}
	return t
}

// pairDivergence sets the divergence of two arms against each other seed
// by seed: the paired 2x2 table, A being the first arm. Seeds only one
// arm ran are left out.
func pairDivergence(a, b []bool) metrics.PairedProportions {
	var t metrics.PairedProportions
	for s := range min(len(a), len(b)) {
		da, db := a[s], b[s]
		switch {
		case da && db:
			t.Both++
		case da:
			t.OnlyA++
		case db:
			t.OnlyB++
		default:
			t.Neither++
		}
	}
	return t
}

// trainingRecords lists every training run and every point of its loss
// curve. A diverged run's accuracies and losses are NaN: its last epoch
// was before the blow-up and is not its result.
func trainingRecords(ds kit.Dataset, runs []remedyRun, trains map[remedyRun][]explodingResult) (records, curves result.Table) {
	records = result.Table{Name: "training", Title: "Every " + ds.Title() + " training run",
		Columns: []string{"remedy", "batch_norm", "clip", "lr", "seed", "diverged", "diverged_step", "diverged_cause", "steps", "max_grad_norm", "mean_grad_norm", "max_applied_norm",
			"final_epoch", "train_loss", "train_acc", "test_loss", "test_acc", "dead_fraction", "val_acc"}}
	curves = result.Table{Name: "loss-curves", Title: "Training loss, mean over each window of steps (a diverged run's curve ends before its divergence)",
		Columns: []string{"remedy", "lr", "seed", "step", "loss"}}
	nan := kit.Ftoa(math.NaN())
	for _, r := range runs {
		name := remedy(r.BN, r.Clip)
		for seed, x := range trains[r] {
			o := x.Train
			f := o.Final()
			dead, val := nan, nan
			if x.Dead != nil {
				dead = kit.Ftoa(*x.Dead)
			}
			if x.ValAcc != nil {
				val = kit.Ftoa(*x.ValAcc)
			}
			epoch, trLoss, trAcc, teLoss, teAcc := kit.Itoa(f.Epoch), kit.Ftoa(f.TrainLoss), kit.Ftoa(f.TrainAcc), kit.Ftoa(f.TestLoss), kit.Ftoa(f.TestAcc)
			if o.Diverged {
				trLoss, trAcc, teLoss, teAcc = nan, nan, nan, nan
			}
			records.Rows = append(records.Rows, []string{name, fmt.Sprint(r.BN), kit.Ftoa(r.Clip), kit.Ftoa(r.LR), kit.Itoa(seed), fmt.Sprint(o.Diverged), kit.Itoa(o.DivergedStep), o.DivergedCause, kit.Itoa(o.Steps),
				kit.Ftoa(o.MaxGradNorm), kit.Ftoa(x.MeanGradNorm), kit.Ftoa(x.MaxAppliedNorm), epoch, trLoss, trAcc, teLoss, teAcc, dead, val})
			for i, step := range x.LossSteps {
				curves.Rows = append(curves.Rows, []string{name, kit.Ftoa(r.LR), kit.Itoa(seed), kit.Itoa(step), kit.Ftoa(x.Loss[i])})
			}
		}
	}
	return records, curves
}

// fmtShare writes "k of n [lo, hi]" with the Wilson interval.
func fmtShare(a arm) string {
	if a.runs == 0 {
		return "n/a"
	}
	w := a.divergedShare()
	return fmt.Sprintf("%d of %d [%.2f, %.2f]", a.diverged, a.runs, w.Lo, w.Hi)
}

// fmtVsRef writes a remedy's paired difference from the reference and
// what the remedies rule makes of it.
func fmtVsRef(t remedyTest) (diff, outcome string) {
	d := t.vsRef.Diff
	if d.N == 0 || math.IsNaN(d.Mean) {
		diff = "n/a"
	} else {
		diff = fmt.Sprintf("%+.3f [%+.3f, %+.3f]", d.Mean, d.Lo, d.Hi)
		if d.N < 2 {
			diff = fmt.Sprintf("%+.3f", d.Mean)
		}
	}
	if withinMarginAtEdge(t) {
		return diff, "undecided (within the margin; reference at its grid's edge)"
	}
	o, _ := trains(t)
	return diff, map[result.Outcome]string{result.Confirmed: "trains", result.Refuted: "does not", result.Inconclusive: "undecided", result.Mixed: "undecided"}[o]
}

// remediesTable compares the remedies at the judged learning rate.
func remediesTable(c *Config, runs []remedyRun, ts trainingSummary) result.Table {
	refName := "no remedy's best stable rate (none)"
	if ts.ref != nil {
		refName = fmt.Sprintf("no remedy at lr %g", ts.ref.lr)
	}
	table := result.Table{Name: "remedies", Title: fmt.Sprintf("Remedies at learning rate %g (%s, %d hidden layers of %d, %d epoch(s) on %d %s examples)",
		c.LR, c.Optimizer, c.TrainDepth, c.TrainWidth, c.Epochs, c.TrainExamples, c.Dataset.Title()),
		Columns: []string{"remedy", "diverged [95% Wilson]", "step of divergence", "largest ||g||", "mean ||g||", "largest applied ||g||", "train accuracy", "test accuracy", "minus " + refName, "trains?", "dead units"},
		Note: fmt.Sprintf("A run diverges at the first step whose loss is above 10 ln 10 = %.1f or not finite, and stops there. Diverged runs are counted and kept out of the accuracies and dead units (mean [95%% CI] over the other runs; none where more than half diverged). "+
			"||g|| is the global gradient norm before clipping, median over all runs (smallest to largest), diverged ones included to show the blow-up; the applied norm is the largest after clipping. "+
			"\"minus\": paired test accuracy (same seed: same initial weights and data order) minus the plain net at its best stable rate, mean [95%% CI]; a remedy trains if the interval lies above -%.2f (see the verdict). "+
			"Train accuracy is the running accuracy over the last epoch's batches. Dead units: hidden units that output 0 on every test example after training.", model.DivergenceCap(10), trainsMargin)}
	var atLR []remedyRun
	for _, r := range runs {
		if r.LR == c.LR {
			atLR = append(atLR, r)
		}
	}
	sort.SliceStable(atLR, func(i, j int) bool { return remedyOrder(atLR[i], c.Clip) < remedyOrder(atLR[j], c.Clip) })
	for _, r := range atLR {
		s := ts.stats[r]
		diff, outcome := fmtVsRef(ts.test(r))
		if !r.BN && r.Clip == 0 {
			diff, outcome = "-", "-"
		}
		trainAcc, testAcc, dead := kit.FmtEstimate(s.trainAcc, 3), kit.FmtEstimate(s.acc, 3), kit.FmtEstimate(s.dead, 2)
		if s.mostlyDiverged() {
			trainAcc, testAcc, dead = "most diverged", "most diverged", "most diverged"
		}
		table.Rows = append(table.Rows, []string{remedy(r.BN, r.Clip), fmtShare(s.arm), kit.FmtEstimate(s.divStep, 1),
			fmtMedianRange(s.maxNorms), fmtMedianRange(s.meanNorms), fmt.Sprintf("%.3g", s.maxApplied), trainAcc, testAcc, diff, outcome, dead})
	}
	return table
}

// rateChoiceTable shows how the best stable rates of the plain net and of
// BatchNorm were chosen: mean validation accuracy by rate, the test
// accuracy read there beside it.
func rateChoiceTable(c *Config, ts trainingSummary) result.Table {
	t := result.Table{Name: "rate-choice", Title: fmt.Sprintf("How each arm's best stable learning rate was chosen: mean accuracy on %d validation images held out of the %s training set, [95%% CI] over the runs that did not diverge; * the rate chosen", c.Validation, c.Dataset.Title()),
		Columns: []string{"lr", "no remedy: validation", "no remedy: test", "bn: validation", "bn: test"},
		Note:    "A rate where any run diverged is not stable and cannot be chosen (its accuracies are over the other runs). The test accuracy is what the verdicts read at the chosen rate; it played no part in the choice."}
	var gaps []float64 // validation minus test accuracy of each row's arm
	cell := func(r remedyRun, ref *reference) (val, test string) {
		s, ok := ts.at(r)
		switch {
		case !ok:
			return "-", "-"
		case s.mostlyDiverged():
			return fmt.Sprintf("%d of %d diverged", s.diverged, s.runs), "-"
		}
		val, test = kit.FmtEstimate(s.val, 3), kit.FmtEstimate(s.acc, 3)
		if s.val.N > 0 && s.acc.N > 0 {
			gaps = append(gaps, s.val.Mean-s.acc.Mean)
		}
		if s.diverged > 0 {
			val += fmt.Sprintf(" (%d of %d diverged)", s.diverged, s.runs)
		}
		if ref != nil && ref.lr == r.LR {
			val += " *"
		}
		return val, test
	}
	for _, lr := range c.plainLRs() {
		pv, pt := cell(remedyRun{false, 0, lr}, ts.ref)
		bv, bt := "-", "-"
		if c.BN {
			bv, bt = cell(remedyRun{true, 0, lr}, ts.bnRef)
		}
		t.Rows = append(t.Rows, []string{kit.Ftoa(lr), pv, pt, bv, bt})
	}
	if len(gaps) > 0 {
		t.Note += fmt.Sprintf(" The validation images are the last of the training set and the test images the first of the test set: the mean validation accuracy is %+.3f to %+.3f off the test accuracy across the cells above, so the choice reads the validation images' ranking of the rates, not their level.",
			slices.Min(gaps), slices.Max(gaps))
	}
	return t
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

// headlineRemedies are the remedies run at every learning rate: none,
// clipping at --clip and, with --bn, BatchNorm. Their LR is left zero.
func headlineRemedies(c *Config) []remedyRun {
	headline := []remedyRun{{false, 0, 0}, {false, c.Clip, 0}}
	if c.BN {
		headline = append(headline, remedyRun{true, 0, 0})
	}
	return headline
}

// fmtArmAccuracy writes an arm's test accuracy over the runs that did not
// diverge, with its count of diverged runs; an arm that mostly diverged
// has no accuracy.
func fmtArmAccuracy(a arm) string {
	if a.mostlyDiverged() {
		return fmt.Sprintf("diverged (%d/%d)", a.diverged, a.runs)
	}
	return fmt.Sprintf("%s (%d/%d)", kit.FmtEstimate(a.acc, 3), a.diverged, a.runs)
}

// remediesByLRTable sets every headline remedy against the learning rate.
func remediesByLRTable(c *Config, ts trainingSummary) result.Table {
	lrs := c.plainLRs()
	lrHeaders := make([]string, len(lrs))
	for i, lr := range lrs {
		lrHeaders[i] = fmt.Sprintf("lr %g", lr)
	}
	byLR := result.Table{Name: "remedies-by-lr", Title: "Test accuracy by learning rate, mean [95% CI] over the runs that did not diverge (runs diverged)",
		Columns: append([]string{"remedy"}, lrHeaders...),
		Note:    "Diverged runs are kept out of the accuracy; where more than half diverged no accuracy is given. A blank cell was not run."}
	for _, h := range headlineRemedies(c) {
		row := []string{remedy(h.BN, h.Clip)}
		for _, lr := range lrs {
			s, ok := ts.at(remedyRun{h.BN, h.Clip, lr})
			if !ok {
				row = append(row, "")
				continue
			}
			row = append(row, fmtArmAccuracy(s.arm))
		}
		byLR.Rows = append(byLR.Rows, row)
	}
	if c.ControlVariant != "" {
		row := []string{controlLabel(c)}
		for _, lr := range lrs {
			s, ok := ts.controlAt(lr)
			if !ok {
				row = append(row, "")
				continue
			}
			row = append(row, fmtArmAccuracy(s.arm))
		}
		byLR.Rows = append(byLR.Rows, row)
		byLR.Note += fmt.Sprintf(" The control is the same net with %s in place of %s and its own initialiser, on the same seeds.", c.ControlVariant, c.TrainVariant)
	}
	return byLR
}

// trainsTable says, for every remedy at every rate it ran, whether it lets
// the net train by the remedies rule: BatchNorm and clipping at --clip at
// every rate, the other thresholds at the judged rate.
func trainsTable(c *Config, ts trainingSummary) result.Table {
	title := "Does a remedy let the net train? Paired test accuracy minus the plain net at its best stable rate"
	if ts.ref != nil {
		title += fmt.Sprintf(" (lr %g: %s)", ts.ref.lr, kit.FmtEstimate(ts.ref.arm.acc, 3))
	}
	table := result.Table{Name: "remedy-vs-best", Title: title,
		Columns: []string{"remedy", "lr", "diverged [95% Wilson]", "test accuracy", "minus the plain net's best [95% CI]", "pairs", "minimal detectable effect", "trains?"},
		Note: fmt.Sprintf("A remedy trains if the 95%% CI of the paired difference lies above -%.2f and its Wilson interval of diverged runs at or below %.2g; it does not if most runs are shown to diverge or the CI lies below -%.2f; undecided otherwise. "+
			"Pairs whose remedy run diverged are left out. At rates where the plain net itself is stable, \"trains\" says the remedy costs less than the margin.", trainsMargin, divergesShare, trainsMargin)}
	var rows []remedyRun
	for _, h := range headlineRemedies(c)[1:] {
		for _, lr := range c.trainLRs() {
			rows = append(rows, remedyRun{h.BN, h.Clip, lr})
		}
	}
	for _, t := range c.sweep() {
		if t != c.Clip {
			rows = append(rows, remedyRun{false, t, c.LR})
		}
	}
	for _, r := range rows {
		s, ok := ts.at(r)
		if !ok {
			continue
		}
		t := ts.test(r)
		diff, outcome := fmtVsRef(t)
		mde := "n/a"
		if !math.IsInf(t.vsRef.MDE, 0) && !math.IsNaN(t.vsRef.MDE) {
			mde = fmt.Sprintf("%.3f", t.vsRef.MDE)
		}
		table.Rows = append(table.Rows, []string{remedy(r.BN, r.Clip), kit.Ftoa(r.LR), fmtShare(s.arm), kit.FmtEstimate(s.acc, 3), diff, kit.Itoa(t.vsRef.Diff.N), mde, outcome})
	}
	return table
}

// remediesByLRFigure sets every headline remedy against the learning rate:
// the share of runs diverged, and the accuracy of the others.
func remediesByLRFigure(c *Config, ts trainingSummary) result.Figure {
	lrs := c.plainLRs()
	fig := result.Figure{Name: "remedies-by-lr", Columns: 2, Title: "Divergence and accuracy against the learning rate",
		Caption: fmt.Sprintf("Left: share of runs whose loss went above 10 ln 10 or was not finite (95%% Wilson interval). Right: final test accuracy over the runs that did not diverge, mean with 95%% CI band; "+
			"where more than half the runs diverged there is no accuracy, and a marker in the arm's colour on the grey band below the axis's zero says so (one above another when several arms mostly diverged at one rate). Dashed: the plain net's best stable accuracy minus the %.2f margin, above which a remedy trains. "+
			"Plain SGD, %d hidden layers of %d, %d epoch(s) on %d examples, every arm of a seed from the same weights and data order.", trainsMargin, c.TrainDepth, c.TrainWidth, c.Epochs, c.TrainExamples)}
	var plainOnly []float64
	for _, lr := range lrs {
		if !slices.Contains(c.trainLRs(), lr) {
			plainOnly = append(plainOnly, lr)
		}
	}
	if len(plainOnly) > 0 {
		who := "The plain net"
		if c.BN {
			who += ", BatchNorm"
		}
		if c.ControlVariant != "" {
			who += " and the " + c.ControlVariant + " control"
		}
		fig.Caption += fmt.Sprintf(" %s (not clipping) also ran at %s, so that their best stable rates are not at the edge of the grid.", who, fmtRates(plainOnly))
	}
	divPanel := result.Panel{Kind: result.LinePanel, Title: "runs diverged", XLabel: "learning rate", YLabel: "share of runs diverged", LogX: true, YMin: -0.05, YMax: 1.05}
	accPanel := result.Panel{Kind: result.LinePanel, Title: "final test accuracy (runs that did not diverge)", XLabel: "learning rate", YLabel: "test accuracy", LogX: true, YMin: kit.FootAxisMin, YMax: 1}
	// series adds one arm's two lines: its share of diverged runs at
	// every rate it ran, and the accuracy of its runs that did not.
	// Arms that mostly diverged at one rate are marked on a grey band
	// below the accuracy panel's zero, in their own colours
	// (kit.NoValueBand), apart from every value.
	var none []result.Marker
	var partly []string
	// Markers on points that lost some runs go after those at the foot,
	// so that each group keeps its glyph whatever else is drawn.
	var partlyAt []result.Marker
	series := func(label string, style int, dashed bool, at func(lr float64) (armStats, bool)) {
		var xs, dv, dlo, dhi, acc, alo, ahi []float64
		for _, lr := range lrs {
			s, ok := at(lr)
			if !ok {
				continue
			}
			w := s.divergedShare()
			xs = append(xs, lr)
			dv, dlo, dhi = append(dv, w.Mean), append(dlo, w.Lo), append(dhi, w.Hi)
			if s.mostlyDiverged() {
				acc, alo, ahi = append(acc, math.NaN()), append(alo, math.NaN()), append(ahi, math.NaN())
				none = append(none, result.Marker{Label: "most runs diverged: no accuracy (arm's colour, on the grey band)", X: lr, Style: style, Shape: result.ShapeCross})
				continue
			}
			acc, alo, ahi = append(acc, s.acc.Mean), append(alo, s.acc.Lo), append(ahi, s.acc.Hi)
			if s.diverged > 0 {
				// Some runs diverged, not most: the point is the mean of
				// the survivors, a selection; mark it so it is not read as
				// every run's.
				partlyAt = append(partlyAt, result.Marker{Label: partlyDivergedLabel, X: lr, Y: s.acc.Mean, Style: style, Shape: result.ShapeStar})
				partly = append(partly, fmt.Sprintf("%s at lr %g, %d of %d", label, lr, s.diverged, s.runs))
			}
		}
		if !dashed {
			// The higher cap's reruns are drawn on the right only: on the
			// left the control's would lie on the other arms' zero line.
			divPanel.Lines = append(divPanel.Lines, result.Line{Label: label, X: xs, Y: dv, Lo: dlo, Hi: dhi, Points: true, Style: style})
		}
		accPanel.Lines = append(accPanel.Lines, result.Line{Label: label, X: xs, Y: acc, Lo: alo, Hi: ahi, Points: true, Style: style, Theory: dashed})
	}
	headline := headlineRemedies(c)
	for i, h := range headline {
		series(remedy(h.BN, h.Clip), i, false, func(lr float64) (armStats, bool) { return ts.at(remedyRun{h.BN, h.Clip, lr}) })
	}
	if c.ControlVariant != "" {
		series(controlLabel(c), len(headline), false, ts.controlAt)
		fig.Caption += fmt.Sprintf(" The control: the same net with %s in place of %s, no remedy, its own initialiser, the same seeds.", controlName(c), c.TrainVariant)
	}
	if len(ts.capStats) > 0 {
		capAt := func(control bool) func(lr float64) (armStats, bool) {
			return func(lr float64) (armStats, bool) {
				s, ok := ts.capStats[capKey{control, lr}]
				return s, ok && s.runs > 0
			}
		}
		series(fmt.Sprintf("%s, cap %gx", controlLabel(c), c.CapCheck), len(headline), true, capAt(true))
		var relu []string
		for _, lr := range c.trainLRs() {
			if s, ok := capAt(false)(lr); ok {
				relu = append(relu, fmt.Sprintf("%d of %d at lr %g", s.diverged, s.runs, lr))
			}
		}
		var control, stalled []string
		for _, lr := range c.trainLRs() {
			if s, ok := capAt(true)(lr); ok {
				control = append(control, fmt.Sprintf("%d of %d at lr %g", s.diverged, s.runs, lr))
				stalled = append(stalled, fmt.Sprintf("%d at lr %g", failedBelow(s, kit.StallsAccuracy).stalled, lr))
			}
		}
		fig.Caption += fmt.Sprintf(" Dashed, on the right only: the control rerun on the same seeds with the loss cap %g times higher (%.4g), at the rates %s, where a run that crossed the usual cap goes on until it crosses this one; the accuracy of its runs that stayed under it. Its loss crossed the higher cap (exploded) in %s, and of the rest %s ended below %.1f test accuracy (stalled); the ReLU net's loss, rerun the same way, exploded in %s.",
			c.CapCheck, c.CapCheck*divergenceCap, fmtRates(c.trainLRs()), strings.Join(control, ", "), strings.Join(stalled, ", "), kit.StallsAccuracy, strings.Join(relu, ", "))
	}
	if c.TrainSeeds > 0 {
		fig.Caption += fmt.Sprintf(" Each point on the left counts the diverged runs of %d seeds (%d for the further clipping thresholds, not drawn here); none of them enters an accuracy.", c.TrainSeeds, c.SweepSeeds)
	}
	if ts.ref != nil {
		y := ts.ref.arm.acc.Mean - trainsMargin
		accPanel.Lines = append(accPanel.Lines, result.Line{Label: fmt.Sprintf("plain best (lr %g) - %.2f", ts.ref.lr, trainsMargin), X: []float64{lrs[0], lrs[len(lrs)-1]}, Y: []float64{y, y}, Theory: true, Style: 6})
	}
	if len(none) > 0 {
		kit.NoValueBand(&accPanel, none, lrs[0], lrs[len(lrs)-1], 0, 1, false)
	}
	accPanel.Markers = append(accPanel.Markers, partlyAt...)
	if len(partly) > 0 {
		fig.Caption += fmt.Sprintf(" A marker on an accuracy point (%q) says that some of its runs diverged, at most half, and that the point is the mean of the others: %s.", partlyDivergedLabel, strings.Join(partly, "; "))
	}
	fig.Panels = []result.Panel{divPanel, accPanel}
	return fig
}

// partlyDivergedLabel marks an accuracy point some of whose runs, at most
// half, diverged.
const partlyDivergedLabel = "some runs diverged: mean of the rest"

// lossCurvesFigure shows the loss curves at the judged learning rate, one
// panel per headline remedy, on one shared axis that ends a little above
// the divergence cap: a diverged run's curve stops before its divergence,
// and a cross at the cap marks the step.
func lossCurvesFigure(c *Config, trains map[remedyRun][]explodingResult, ts trainingSummary) result.Figure {
	capLoss := model.DivergenceCap(10)
	fig := result.Figure{Name: "loss-curves", Columns: 3, Title: fmt.Sprintf("Training loss at learning rate %g, one line per seed", c.LR),
		Caption: fmt.Sprintf("Mean training loss over each window of %d steps (log scale). A run diverges at the first step whose loss is above 10 ln 10 = %.1f (dashed, upper) or not finite; its curve ends before that step and a cross on the cap line marks it. "+
			"Dashed, lower: ln 10, the loss of a uniform guess.", c.LossEvery, capLoss)}
	headline := headlineRemedies(c)
	// Every panel shares the step axis and the loss axis, so that an
	// early divergence looks early and losses compare across panels.
	maxStep, minLoss := 1, math.Log(10)
	for _, h := range headline {
		for _, x := range trains[remedyRun{h.BN, h.Clip, c.LR}] {
			maxStep = max(maxStep, x.Train.Steps)
			for _, l := range x.Loss {
				if l > 0 && l < minLoss {
					minLoss = l
				}
			}
		}
	}
	for i, h := range headline {
		r := remedyRun{h.BN, h.Clip, c.LR}
		s := ts.stats[r]
		pn := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("%s (%d of %d diverged)", remedy(r.BN, r.Clip), s.diverged, s.runs),
			XLabel: "training step", YLabel: "training loss", LogY: true, YMin: minLoss / 1.5, YMax: capLoss * 1.6}
		for _, x := range trains[r] {
			pn.Lines = append(pn.Lines, result.Line{X: intsToFloats(x.LossSteps), Y: x.Loss, Style: i})
			if x.Train.Diverged {
				pn.Markers = append(pn.Markers, result.Marker{Label: "diverged", X: float64(x.Train.DivergedStep), Y: capLoss, Style: 6})
			}
		}
		ends := []float64{0, float64(maxStep)}
		pn.Lines = append(pn.Lines,
			result.Line{Label: fmt.Sprintf("divergence cap %.1f", capLoss), X: ends, Y: []float64{capLoss, capLoss}, Theory: true, Style: 5},
			result.Line{Label: "ln 10 (uniform guess)", X: ends, Y: []float64{math.Log(10), math.Log(10)}, Theory: true, Style: 6})
		fig.Panels = append(fig.Panels, pn)
	}
	return fig
}

// clipSweepFigure shows the clipping sweep at the judged learning rate.
func clipSweepFigure(c *Config, ts trainingSummary) result.Figure {
	thresholds := c.sweep()
	fig := result.Figure{Name: "clip-sweep", Columns: 3, Title: fmt.Sprintf("Clipping by global norm: threshold sweep at learning rate %g", c.LR),
		Caption: fmt.Sprintf("Left: share of runs whose loss went above 10 ln 10 or was not finite (95%% Wilson interval); those runs are left out of the other two panels. "+
			"Middle: final test accuracy over the runs that did not diverge (mean, 95%% CI band; a marker on the grey band below the axis's zero: a threshold at which most runs diverged; a marker on a point: one at which some did, at most half, so that the point is the mean of the others; the blog's threshold %g runs the verdict's %d seeds, the others %d), with BatchNorm at the same rate and the plain net's best stable accuracy minus the %.2f margin as dashed references. "+
			"Right: over the runs that did not diverge, the largest and the mean gradient norm before clipping (geometric mean, 95%% CI band) and, dashed, the threshold itself: above it every update is scaled down to the threshold.", c.Clip, c.TrainSeeds, c.SweepSeeds, trainsMargin)}
	divP := result.Panel{Kind: result.LinePanel, Title: "runs diverged", XLabel: "clipping threshold", YLabel: "share of runs diverged", LogX: true, YMin: -0.05, YMax: 1.05}
	accP := result.Panel{Kind: result.LinePanel, Title: "final test accuracy (runs that did not diverge)", XLabel: "clipping threshold", YLabel: "test accuracy", LogX: true, YMin: kit.FootAxisMin, YMax: 1}
	normP := result.Panel{Kind: result.LinePanel, Title: "gradient norm before clipping", XLabel: "clipping threshold", YLabel: "||g|| before clipping", LogX: true, LogY: true}
	var div, dlo, dhi, acc, alo, ahi, nm, nlo, nhi, mm, mlo, mhi []float64
	var none, partlyAt []result.Marker // the band's markers first, as in remediesByLRFigure
	for _, t := range thresholds {
		s := ts.stats[remedyRun{false, t, c.LR}]
		w := s.divergedShare()
		div, dlo, dhi = append(div, w.Mean), append(dlo, w.Lo), append(dhi, w.Hi)
		nm, nlo, nhi = append(nm, kit.Pow10(s.maxNorm.Mean)), append(nlo, kit.Pow10(s.maxNorm.Lo)), append(nhi, kit.Pow10(s.maxNorm.Hi))
		mm, mlo, mhi = append(mm, kit.Pow10(s.meanNorm.Mean)), append(mlo, kit.Pow10(s.meanNorm.Lo)), append(mhi, kit.Pow10(s.meanNorm.Hi))
		if s.mostlyDiverged() {
			acc, alo, ahi = append(acc, math.NaN()), append(alo, math.NaN()), append(ahi, math.NaN())
			none = append(none, result.Marker{Label: "most runs diverged: no accuracy (on the grey band)", X: t, Style: 6, Shape: result.ShapeCross})
			continue
		}
		acc, alo, ahi = append(acc, s.acc.Mean), append(alo, s.acc.Lo), append(ahi, s.acc.Hi)
		if s.diverged > 0 {
			partlyAt = append(partlyAt, result.Marker{Label: partlyDivergedLabel, X: t, Y: s.acc.Mean, Style: 1, Shape: result.ShapeStar})
		}
	}
	if len(none) > 0 {
		kit.NoValueBand(&accP, none, thresholds[0], thresholds[len(thresholds)-1], 0, 1, false)
	}
	accP.Markers = append(accP.Markers, partlyAt...)
	accP.Lines = append(accP.Lines, result.Line{Label: "clip only", X: thresholds, Y: acc, Lo: alo, Hi: ahi, Points: true, Style: 1})
	ends := []float64{thresholds[0], thresholds[len(thresholds)-1]}
	if s, ok := ts.at(remedyRun{true, 0, c.LR}); ok && !s.mostlyDiverged() {
		accP.Lines = append(accP.Lines, result.Line{Label: fmt.Sprintf("bn, no clipping (%d of %d diverged)", s.diverged, s.runs), X: ends, Y: []float64{s.acc.Mean, s.acc.Mean}, Theory: true, Style: 2})
	}
	if ts.ref != nil {
		y := ts.ref.arm.acc.Mean - trainsMargin
		accP.Lines = append(accP.Lines, result.Line{Label: fmt.Sprintf("plain best (lr %g) - %.2f", ts.ref.lr, trainsMargin), X: ends, Y: []float64{y, y}, Theory: true, Style: 6})
	}
	normP.Lines = append(normP.Lines, result.Line{Label: "largest in the run", X: thresholds, Y: nm, Lo: nlo, Hi: nhi, Points: true, Style: 1},
		result.Line{Label: "mean over the run", X: thresholds, Y: mm, Lo: mlo, Hi: mhi, Points: true, Style: 4},
		result.Line{Label: "threshold", X: thresholds, Y: thresholds, Theory: true, Style: 6})
	divP.Lines = append(divP.Lines, result.Line{Label: "clip only", X: thresholds, Y: div, Lo: dlo, Hi: dhi, Points: true, Style: 1})
	if s, ok := ts.at(remedyRun{false, 0, c.LR}); ok {
		// The reference every threshold is to improve on: the same net,
		// same rate, no clipping.
		w := s.divergedShare()
		divP.Lines = append(divP.Lines, result.Line{Label: fmt.Sprintf("no clipping (%d of %d diverged)", s.diverged, s.runs), X: ends, Y: []float64{w.Mean, w.Mean}, Theory: true, Style: 0})
		fig.Caption += fmt.Sprintf(" Dashed on the left: the same net at the same rate without clipping, %d of %d runs diverged.", s.diverged, s.runs)
	}
	fig.Panels = []result.Panel{divP, accP, normP}
	return fig
}

// clipNote relates the clipping thresholds to the gradient norms the net
// has when it trains well, as Pascanu et al. 2013 do (they found thresholds
// of 0.5 to 10 times the average norm to work): the reference is the mean
// gradient norm of the plain net at its best stable learning rate.
func clipNote(c *Config, ts trainingSummary) string {
	if ts.ref == nil {
		return ""
	}
	ref := ts.stats[remedyRun{false, 0, ts.ref.lr}]
	norm := metrics.MeanCI(ref.meanNorms)
	var parts []string
	for _, t := range c.sweep() {
		_, outcome := fmtVsRef(ts.test(remedyRun{false, t, c.LR}))
		parts = append(parts, fmt.Sprintf("%g (%.2gx): %s", t, t/norm.Mean, outcome))
	}
	return fmt.Sprintf("Clipping thresholds against the gradient norm: without remedy at its best stable learning rate %g the mean global gradient norm was %.2f [%.2f, %.2f]. "+
		"Pascanu et al. (2013) found thresholds of 0.5 to 10 times the average norm to work. At learning rate %g, by threshold (multiple of that norm), whether the net trains: %s. "+
		"With clipping, no update is longer than learning rate x threshold.",
		ts.ref.lr, norm.Mean, norm.Lo, norm.Hi, c.LR, strings.Join(parts, "; "))
}

// remediesEvidenceOf collects what the remedies rule reads.
func remediesEvidenceOf(c *Config, ts trainingSummary) remediesEvidence {
	plain := ts.stats[remedyRun{false, 0, c.LR}]
	e := remediesEvidence{lr: c.LR, clip: c.Clip, setting: trainSetting(c), plain: plain.arm, divStep: plain.divStep, ref: ts.ref}
	// BatchNorm is always one of the remedies: not run (--bn=false), it
	// has no runs and leaves the verdict undecided.
	e.remedies = append(e.remedies, ts.test(remedyRun{false, c.Clip, c.LR}), ts.test(remedyRun{true, 0, c.LR}))
	for _, t := range c.sweep() {
		e.sweep = append(e.sweep, ts.test(remedyRun{false, t, c.LR}))
	}
	for _, lr := range c.trainLRs() {
		e.clipByLR = append(e.clipByLR, ts.test(remedyRun{false, c.Clip, lr}))
		e.plainByLR = append(e.plainByLR, ts.stats[remedyRun{false, 0, lr}].arm)
	}
	return e
}

// batchNormEvidenceOf compares BatchNorm with the plain net, each at its
// best stable rate and at every rate where both ran.
func batchNormEvidenceOf(c *Config, ts trainingSummary) batchNormEvidence {
	e := batchNormEvidence{ran: c.BN, setting: trainSetting(c), plainBest: ts.ref, best: metrics.OneSample(nil)}
	if !c.BN {
		return e
	}
	e.bnBest = ts.bnRef
	if e.plainBest != nil && e.bnBest != nil {
		bn, plain := ts.stats[remedyRun{true, 0, e.bnBest.lr}], ts.stats[remedyRun{false, 0, e.plainBest.lr}]
		e.best = metrics.PairedDiff(bn.testBySeed, plain.testBySeed)
		e.toTarget = stepsToTargetOf(bn.curveBySeed, plain.curveBySeed)
	}
	for _, lr := range c.plainLRs() {
		p, okP := ts.at(remedyRun{false, 0, lr})
		b, okB := ts.at(remedyRun{true, 0, lr})
		if !okP || !okB {
			continue
		}
		e.rates = append(e.rates, rateComparison{lr: lr, plain: p.arm, bn: b.arm, diff: metrics.PairedDiff(b.testBySeed, p.testBySeed)})
	}
	return e
}

// targetWindows is how many loss windows, at the end of the plain net's
// run, make its target: one window (LossEvery steps, 2 by default) is a
// noisy mean over a few batches, so the target and the curve it is looked
// for in are both running means over this many windows (a tenth of the
// report's 62).
const targetWindows = 6

// stepsToTarget is Ioffe and Szegedy's reading of BatchNorm's gain: the
// steps BatchNorm needs to reach the training loss the plain net ends at.
// Per seed where both runs finished: target, the plain net's mean loss
// over its last targetWindows windows; the first step at which
// BatchNorm's running mean over as many windows is at or below it, as a
// share of the plain net's steps (NaN if BatchNorm never reached it).
type stepsToTarget struct {
	share   []float64 // per paired seed, NaN where not reached
	reached int
	pairs   int
}

func stepsToTargetOf(bn, plain []lossCurve) stepsToTarget {
	var out stepsToTarget
	for s := range min(len(bn), len(plain)) {
		b, p := bn[s], plain[s]
		if len(p.loss) < targetWindows || len(b.loss) < targetWindows {
			continue
		}
		out.pairs++
		target := kit.Mean(p.loss[len(p.loss)-targetWindows:])
		total := p.steps[len(p.steps)-1]
		share := math.NaN()
		for i := targetWindows - 1; i < len(b.loss); i++ {
			if kit.Mean(b.loss[i+1-targetWindows:i+1]) <= target {
				share = float64(b.steps[i]) / float64(total)
				out.reached++
				break
			}
		}
		out.share = append(out.share, share)
	}
	return out
}

// trainSetting names the trained net and its training, for the caveats.
func trainSetting(c *Config) string {
	return fmt.Sprintf("an MLP of %d hidden %s layers of width %d trained with %s for %d epoch(s) on %d %s examples", c.TrainDepth, c.TrainVariant, c.TrainWidth, c.Optimizer, c.Epochs, c.TrainExamples, c.Dataset.Title())
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
