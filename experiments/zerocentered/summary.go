package zerocentered

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

type doneCell = harness.Done[cellParams, cellResult]

// summarize reads the three parts in turn; each appends its records,
// tables and figures to res, and the first two return their verdict.
func summarize(c *Config, done []doneCell) (*result.Result, error) {
	res := &result.Result{}
	signs, speeds, paths := splitByKind(done)
	res.Verdicts = append(res.Verdicts, summarizeSigns(c, signs, res))
	if c.TrainSeeds > 0 {
		res.Verdicts = append(res.Verdicts, summarizeSpeed(c, speeds, res))
	}
	if c.PathSeeds > 0 {
		summarizePaths(c, paths, res)
	}
	return res, nil
}

func splitByKind(done []doneCell) (signs, speeds, paths []doneCell) {
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
	return signs, speeds, paths
}

// Part 1: same-sign counts.

// signGroup is what feeds a measured layer: an activation's outputs or the
// network's inputs.
type signGroup struct {
	layer  string // "hidden" or "input"
	source string // the activation, or the input kind
	batch  int
}

// fedBy names what feeds the layer, as the records and verdicts call it.
func (g signGroup) fedBy() string {
	if g.layer == "input" {
		return g.source + " pixels"
	}
	return g.source + " outputs"
}

// sortKey orders the groups by layer, source, then batch size.
func (g signGroup) sortKey() string {
	return fmt.Sprintf("%s/%s/%06d", g.layer, g.source, g.batch)
}

func summarizeSigns(c *Config, signs []doneCell, res *result.Result) result.Verdict {
	tally := tallySigns(signs)
	res.Records = append(res.Records, tally.records)
	est := estimateSigns(c, tally.fractions)
	table, fig := sameSignTableAndFigure(c, tally.nonNegative, est)
	if len(tally.diverged) > 0 {
		table.Note += fmt.Sprintf(" %d of %d runs diverged (NaN/Inf) and are counted up to the step before: %s.", len(tally.diverged), len(signs), strings.Join(tally.diverged, "; "))
	}
	res.Tables = append(res.Tables, table)
	res.Figures = append(res.Figures, fig)
	return sameSignVerdict(sameSignEvidenceOf(c, tally, est))
}

// signTally gathers the sign cells per group.
type signTally struct {
	records     result.Table
	fractions   map[signGroup][]float64 // one per cell, in cell order
	nonNegative map[signGroup]bool      // every cell's layer saw only inputs >= 0
	diverged    []string                // the runs that diverged, described
}

func tallySigns(signs []doneCell) signTally {
	t := signTally{
		records: result.Table{Name: "signs", Title: "Same-sign counts per cell",
			Columns: []string{"layer", "fed_by", "variant", "inputs", "batch", "seed", "same_sign_units", "moving_units", "fraction", "min_input", "diverged", "diverged_step"}},
		fractions:   map[signGroup][]float64{},
		nonNegative: map[signGroup]bool{},
	}
	seen := map[signGroup]bool{}
	for _, d := range signs {
		p := d.Params
		if d.Result.Diverged {
			t.diverged = append(t.diverged, fmt.Sprintf("%s/%s batch %d seed %d at step %d", p.Variant, p.Inputs, p.Batch, p.Seed, d.Result.DivergedStep))
		}
		for _, l := range []struct {
			g  signGroup
			sc *signCount
		}{{signGroup{"hidden", p.Variant, p.Batch}, d.Result.HiddenLayer}, {signGroup{"input", p.Inputs, p.Batch}, d.Result.InputLayer}} {
			if !seen[l.g] {
				seen[l.g], t.nonNegative[l.g] = true, true
			}
			t.nonNegative[l.g] = t.nonNegative[l.g] && l.sc.MinInput >= 0
			t.fractions[l.g] = append(t.fractions[l.g], l.sc.fraction())
			t.records.Rows = append(t.records.Rows, []string{l.g.layer, l.g.fedBy(), p.Variant, p.Inputs, kit.Itoa(p.Batch), kit.Itoa(p.Seed), kit.Itoa(l.sc.Same), kit.Itoa(l.sc.Moving), kit.Ftoa(l.sc.fraction()), kit.Ftoa(l.sc.MinInput),
				fmt.Sprint(d.Result.Diverged), kit.Itoa(d.Result.DivergedStep)})
		}
	}
	return t
}

// signSource is one row of the same-sign table: a layer and what feeds it.
type signSource struct{ layer, name, label string }

// signSources lists the table's rows: the activations, then the inputs.
func signSources(c *Config) []signSource {
	var sources []signSource
	for _, v := range c.Variants {
		sources = append(sources, signSource{"hidden", v, v + " outputs"})
	}
	for _, in := range c.Inputs {
		name := map[string]string{"raw": "raw pixels in [0, 1]", "std": "standardised pixels"}[in]
		sources = append(sources, signSource{"input", in, name})
	}
	return sources
}

// estimateSigns is the mean [95% CI] of each configured group's fractions;
// a fraction cannot leave [0, 1], so neither can its interval.
func estimateSigns(c *Config, fractions map[signGroup][]float64) map[signGroup]metrics.Estimate {
	est := map[signGroup]metrics.Estimate{}
	for _, s := range signSources(c) {
		for _, b := range c.Batches {
			g := signGroup{s.layer, s.name, b}
			est[g] = metrics.MeanCI(fractions[g]).Clamp(0, 1)
		}
	}
	return est
}

func sameSignTableAndFigure(c *Config, nonNegative map[signGroup]bool, est map[signGroup]metrics.Estimate) (result.Table, result.Figure) {
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
	panels := map[string]*result.Panel{
		"hidden": {Kind: result.LinePanel, Title: "layer fed by activations", XLabel: "batch size", YLabel: "same-sign fraction", LogX: true, YMin: -0.02, YMax: 1.02},
		"input":  {Kind: result.LinePanel, Title: "layer fed by pixels", XLabel: "batch size", YLabel: "same-sign fraction", LogX: true, YMin: -0.02, YMax: 1.02},
	}
	for i, s := range signSources(c) {
		allNonNeg := true
		row := []string{s.label, ""}
		var xs, ys, lo, hi []float64
		for _, b := range c.Batches {
			g := signGroup{s.layer, s.name, b}
			e := est[g]
			allNonNeg = allNonNeg && nonNegative[g]
			row = append(row, kit.FmtEstimate(e, 3))
			xs, ys, lo, hi = append(xs, float64(b)), append(ys, e.Mean), append(lo, e.Lo), append(hi, e.Hi)
		}
		row[1] = map[bool]string{true: "yes", false: "no"}[allNonNeg]
		table.Rows = append(table.Rows, row)
		pn := panels[s.layer]
		pn.Lines = append(pn.Lines, result.Line{Label: s.label, X: xs, Y: ys, Lo: lo, Hi: hi, Points: true, Theory: !allNonNeg, Style: i})
	}
	fig.Panels = []result.Panel{*panels["hidden"], *panels["input"]}
	return table, fig
}

// sameSignEvidenceOf hands the mechanism rule every estimated group, in the
// order of signGroup.sortKey, which fixes the order of its evidence.
func sameSignEvidenceOf(c *Config, tally signTally, est map[signGroup]metrics.Estimate) sameSignEvidence {
	var groups []signGroupEvidence
	for g, e := range est {
		groups = append(groups, signGroupEvidence{group: g, nonNegative: tally.nonNegative[g], fractions: tally.fractions[g], fraction: e})
	}
	slices.SortFunc(groups, func(a, b signGroupEvidence) int { return strings.Compare(a.group.sortKey(), b.group.sortKey()) })
	return sameSignEvidence{batches: c.Batches, groups: groups}
}

// Part 2: steps to the target loss.

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

func summarizeSpeed(c *Config, speeds []doneCell, res *result.Result) result.Verdict {
	res.Records = append(res.Records, speedRecords(speeds))
	stats := armStatistics(speeds)
	best := bestLRs(c, stats)
	table, fig := speedTableAndFigure(c, stats, best)
	res.Tables = append(res.Tables, table)
	res.Figures = append(res.Figures, fig)
	return speedVerdict(speedEvidenceOf(c, stats, best))
}

func speedRecords(speeds []doneCell) result.Table {
	records := result.Table{Name: "speed", Title: "Steps to the target training loss, every run",
		Columns: []string{"variant", "inputs", "lr", "seed", "reached", "steps", "diverged", "diverged_step"}}
	for _, d := range speeds {
		p := d.Params
		records.Rows = append(records.Rows, []string{p.Variant, p.Inputs, kit.Ftoa(p.LR), kit.Itoa(p.Seed), fmt.Sprint(d.Result.Reached), kit.Itoa(d.Result.Steps),
			fmt.Sprint(d.Result.Diverged), kit.Itoa(d.Result.DivergedStep)})
	}
	return records
}

// armStatistics pools the seeds of each arm and learning rate; the steps
// are averaged on a log scale, as they span orders of magnitude.
func armStatistics(speeds []doneCell) map[armKey]armStats {
	byKey := map[armKey][]cellResult{}
	for _, d := range speeds {
		k := armKey{d.Params.Variant + "/" + d.Params.Inputs, d.Params.LR}
		byKey[k] = append(byKey[k], d.Result)
	}
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
	return stats
}

// bestLRs picks each arm's best learning rate: the lowest mean log10 steps
// (the earlier rate in the list on a tie).
func bestLRs(c *Config, stats map[armKey]armStats) map[string]float64 {
	best := map[string]float64{}
	for _, arm := range c.Arms {
		for _, lr := range c.LRs {
			s := stats[armKey{arm, lr}]
			if b, ok := best[arm]; !ok || s.logSteps.Mean < stats[armKey{arm, b}].logSteps.Mean {
				best[arm] = lr
			}
		}
	}
	return best
}

func speedTableAndFigure(c *Config, stats map[armKey]armStats, best map[string]float64) (result.Table, result.Figure) {
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
	return table, fig
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

// speedEvidenceOf hands the speed rule each pair, both arms at their best
// learning rate.
func speedEvidenceOf(c *Config, stats map[armKey]armStats, best map[string]float64) speedEvidence {
	atBest := func(arm string) armSpeed {
		return armSpeed{arm: arm, lr: best[arm], logSteps: stats[armKey{arm, best[arm]}].logSteps}
	}
	e := speedEvidence{window: c.Window, target: c.TargetLoss, lrs: c.LRs}
	for _, p := range speedPairs(c.Arms) {
		e.pairs = append(e.pairs, speedComparison{uncentred: atBest(p.from), centred: atBest(p.to)})
	}
	return e
}

// Part 3: the two-weight unit.

// pathReach is the distance to the optimum (which starts at sqrt 2) below
// which the two-weight unit counts as arrived.
const pathReach = 0.05

func summarizePaths(c *Config, paths []doneCell, res *result.Result) {
	records, byCase := pathRecords(paths)
	res.Records = append(res.Records, records)
	table, fig, notes := pathTableAndFigure(c, byCase)
	res.Tables = append(res.Tables, table)
	res.Figures = append(res.Figures, fig)
	res.Notes = append(res.Notes, fmt.Sprintf("The two-weight unit (figure zigzag) needed, on average, to come within %g of its optimum: %s. It illustrates the mechanism one example at a time; the verdicts rest on the MNIST measurements.",
		pathReach, strings.Join(notes, "; ")))
}

func pathRecords(paths []doneCell) (result.Table, map[string][]cellResult) {
	byCase := map[string][]cellResult{}
	records := result.Table{Name: "paths", Title: "The two-weight unit: weights and distance to the optimum after every step",
		Columns: []string{"case", "seed", "step", "w1", "w2", "distance"}}
	for _, d := range paths {
		byCase[d.Params.Case] = append(byCase[d.Params.Case], d.Result)
		for i := range d.Result.W1 {
			records.Rows = append(records.Rows, []string{d.Params.Case, kit.Itoa(d.Params.Seed), kit.Itoa(i), kit.Ftoa(d.Result.W1[i]), kit.Ftoa(d.Result.W2[i]), kit.Ftoa(d.Result.Distance[i])})
		}
	}
	return records, byCase
}

// pathCaseStats summarises the seeds of one case of the two-weight unit.
type pathCaseStats struct {
	sameSign metrics.Estimate // share of updates moving both weights the same way
	steps    metrics.Estimate // steps to within pathReach; the full run if never
	final    metrics.Estimate // log10 distance after the last step
	arrived  int
}

func summarizePathCase(c *Config, rs []cellResult) pathCaseStats {
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
	return pathCaseStats{sameSign: metrics.MeanCI(same).Clamp(0, 1), steps: metrics.MeanCI(steps).Clamp(0, float64(c.PathSteps)), final: kit.LogStats(final), arrived: arrived}
}

func pathTableAndFigure(c *Config, byCase map[string][]cellResult) (result.Table, result.Figure, []string) {
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
		s := summarizePathCase(c, rs)
		o := optimum[cs]
		table.Rows = append(table.Rows, []string{cs, fmt.Sprintf("(%g, %g)", o[0], o[1]), kit.FmtEstimate(s.sameSign, 3),
			fmt.Sprintf("%s (%d/%d)", kit.FmtEstimate(s.steps, 1), s.arrived, len(rs)), fmtGeoSteps(s.final)})
		notes = append(notes, fmt.Sprintf("%s %.0f steps (same-direction updates %.2f)", cs, s.steps.Mean, s.sameSign.Mean))
		pathPanel.Lines = append(pathPanel.Lines, result.Line{Label: cs, X: rs[0].W1, Y: rs[0].W2, Style: i})
		distPanel.Lines = append(distPanel.Lines, kit.GeoMeanLine(cs, stepAxis(c.PathSteps), func(k int) []float64 {
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
	return table, fig, notes
}

// stepAxis is 0, 1, ..., steps: the x values of a distance line, fresh
// for each line so that no two lines share a slice.
func stepAxis(steps int) []float64 {
	xs := make([]float64, steps+1)
	for k := range xs {
		xs[k] = float64(k)
	}
	return xs
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
