package speed

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

// summarizeSpeed builds the deterministic outputs (updates to target) before
// the timing ones, so that the order of tables and figures keeps every
// clock reading after the results that need none.
func summarizeSpeed(c *Config, done []harness.Done[speedCell, speedResult]) (*result.Result, error) {
	s := readCells(c, done)
	res := &result.Result{}
	s.addUpdatesToTarget(res)
	if s.timing == nil {
		return nil, fmt.Errorf("speed: the timing cell's result is missing")
	}
	s.addTimings(res)
	res.Verdicts = append(res.Verdicts, mainVerdict(s.mainEvidence()))
	for _, o := range saturating(c.Variants) {
		res.Verdicts = append(res.Verdicts, updatesVerdict(s.updatesEvidence(o)))
	}
	for _, o := range saturating(c.Variants) {
		res.Verdicts = append(res.Verdicts, secondsVerdict(s.secondsEvidence(o)))
	}
	res.Notes = append(res.Notes, s.notes()...)
	return res, nil
}

type speedLRKey struct {
	variant string
	lr      float64
}

// speedSummary reads the cells.
type speedSummary struct {
	c      *Config
	timing *speedTiming
	// runs holds every training run by activation and rate, then seed.
	runs map[speedLRKey]map[int]speedTrain
	// chosen[v][h] is the rate of v chosen on the seeds of parity h; seed s
	// is read at chosen[v][1-s%2].
	chosen map[string][2]float64
}

// readCells sorts the cells into the timing cell and the training runs,
// and chooses each activation's rate on each half of the seeds.
func readCells(c *Config, done []harness.Done[speedCell, speedResult]) *speedSummary {
	s := &speedSummary{c: c, runs: map[speedLRKey]map[int]speedTrain{}, chosen: map[string][2]float64{}}
	for _, d := range done {
		switch {
		case d.Result.Timing != nil:
			s.timing = d.Result.Timing
		case d.Result.Train != nil:
			k := speedLRKey{d.Params.Variant, d.Params.LR}
			if s.runs[k] == nil {
				s.runs[k] = map[int]speedTrain{}
			}
			s.runs[k][d.Params.Seed] = *d.Result.Train
		}
	}
	for _, v := range c.Variants {
		s.chosen[v] = [2]float64{s.pickLR(v, 0), s.pickLR(v, 1)}
	}
	return s
}

// addUpdatesToTarget adds the outputs that involve no clock.
func (s *speedSummary) addUpdatesToTarget(res *result.Result) {
	res.Records = append(res.Records, s.trainRecords()...)
	res.Tables = append(res.Tables, s.stepsTable(), s.gridTable())
	res.Figures = append(res.Figures, s.stepsFigure(), s.gridFigure())
}

// addTimings adds the outputs read from the timing cell, all named "timing".
func (s *speedSummary) addTimings(res *result.Result) {
	res.Records = append(res.Records, s.kernelRecords(), s.stepRecords())
	res.Tables = append(res.Tables, s.kernelTable(), s.stepTable(), s.secondsTable())
	res.Figures = append(res.Figures, s.kernelFigure(), s.shareFigure(), s.secondsFigure())
}

func (s *speedSummary) notes() []string {
	c := s.c
	notes := []string{
		"Timing numbers appear only in the files whose names contain \"timing\" and in the verdicts whose rule begins \"Timing verdict\"; they change from run to run. " +
			"Every other file, steps-to-accuracy.csv included, is a deterministic function of the command and seed.",
		fmt.Sprintf("Updates to target: training accuracy checked every %d updates on the first %d of the %d training images, the crossing interpolated between checks. "+
			"A run that did not reach the target within %d updates is censored (\"> budget\"): counted, never averaged, and drawn only as a marker. "+
			"Seconds to target: updates to target times the step time of that activation in the timing cell (the accuracy checks are not counted).",
			c.EvalEvery, c.EvalExamples, c.TrainExamples, c.MaxSteps),
		"Paired seeds: the runs of one seed, every activation and rate, start from the same normal draws (scaled by each activation's init: He for relu, Xavier for tanh and sigmoid) and see the same batches. " +
			"Learning rate: each activation's rate for the even seeds is the one with the smallest Kaplan-Meier median updates to target on the odd seeds, and the reverse (2-fold cross-fitting), so no seed is read at a rate chosen on its own result.",
		fmt.Sprintf("Anchor: Krizhevsky et al. 2012 (AlexNet): a 4-layer CNN with ReLU reached 25%% training error on CIFAR-10 six times faster than with tanh. Here: an MLP %s on %s, target %.0f%% training accuracy.",
			kit.WidthsLabel(c.Hidden), c.Dataset.Title(), 100*c.Target),
	}
	for _, v := range c.Variants {
		var edge []string
		for h, lr := range s.chosen[v] {
			if lr == slices.Min(c.LRs) || lr == slices.Max(c.LRs) {
				edge = append(edge, fmt.Sprintf("%g on the %s seeds", lr, parityName(h)))
			}
		}
		if len(edge) > 0 {
			notes = append(notes, fmt.Sprintf("The rate chosen for %s (%s) is at the edge of the grid: a wider grid might serve it better, so a verdict it would turn is left INCONCLUSIVE (ReLU at an edge blocks REFUTED, the other activation CONFIRMED).", v, strings.Join(edge, ", ")))
		}
	}
	if n := s.divergedStepSamples(); n > 0 {
		notes = append(notes, fmt.Sprintf("%d timed step repetitions contained a step whose loss was above the cap; they are left out of the step timings.", n))
	}
	return notes
}

func parityName(h int) string {
	if h == 0 {
		return "even"
	}
	return "odd"
}

// saturating lists tanh and sigmoid among vs: the activations the claim
// sets ReLU against.
func saturating(vs []string) []string {
	var out []string
	for _, v := range []string{"tanh", "sigmoid"} {
		if slices.Contains(vs, v) {
			out = append(out, v)
		}
	}
	return out
}

// Updates to target.

// runEnd is how a training run ended.
type runEnd string

const (
	endReached  runEnd = "reached"
	endBudget   runEnd = "budget"
	endStalled  runEnd = "stalled"
	endDiverged runEnd = "diverged"
)

func endOf(r speedTrain) runEnd {
	switch {
	case r.Diverged:
		return endDiverged
	case r.Reached:
		return endReached
	case r.Stalled:
		return endStalled
	}
	return endBudget
}

// seedsOf lists the seeds of one half (parity h), or all of them (h < 0).
func (s *speedSummary) seedsOf(h int) []int {
	var out []int
	for seed := range s.c.Seeds {
		if h < 0 || seed%2 == h {
			out = append(out, seed)
		}
	}
	return out
}

// survival is the Kaplan-Meier estimate of updates to target over the given
// runs, each run that did not reach it censored at the budget.
func (s *speedSummary) survival(runs []speedTrain) metrics.Survival {
	times, censored := make([]float64, len(runs)), make([]bool, len(runs))
	for i, r := range runs {
		times[i], censored[i] = float64(s.c.MaxSteps), true
		if endOf(r) == endReached {
			times[i], censored[i] = r.StepsToTarget, false
		}
	}
	return metrics.KaplanMeier(times, censored)
}

// runsAt lists the runs of v at rate lr on the given seeds (those that
// exist).
func (s *speedSummary) runsAt(v string, lr float64, seeds []int) []speedTrain {
	var out []speedTrain
	for _, seed := range seeds {
		if r, ok := s.runs[speedLRKey{v, lr}][seed]; ok {
			out = append(out, r)
		}
	}
	return out
}

// pickLR is v's rate chosen on the seeds of parity h: the smallest
// Kaplan-Meier median updates to target, then the most runs reaching it,
// then the smaller rate.
func (s *speedSummary) pickLR(v string, h int) float64 {
	seeds := s.seedsOf(h)
	best, bestMed, bestN := s.c.LRs[0], math.Inf(1), -1
	for _, lr := range s.c.LRs {
		sv := s.survival(s.runsAt(v, lr, seeds))
		if sv.Median < bestMed || (sv.Median == bestMed && sv.Reached > bestN) {
			best, bestMed, bestN = lr, sv.Median, sv.Reached
		}
	}
	return best
}

// gridEdge names the edge of the grid at which a rate chosen for v lies
// ("the lowest rate, 0.03"), or "" when every chosen rate has a tried
// neighbour on both sides. A grid of one or two rates has no inside: every
// rate is at an edge.
func (s *speedSummary) gridEdge(v string) string {
	lo, hi := slices.Min(s.c.LRs), slices.Max(s.c.LRs)
	for _, lr := range s.chosen[v] {
		switch lr {
		case lo:
			return fmt.Sprintf("the lowest rate, %g,", lr)
		case hi:
			return fmt.Sprintf("the highest rate, %g,", lr)
		}
	}
	return ""
}

// lrFor is the rate seed is read at: the one chosen on the other half.
func (s *speedSummary) lrFor(v string, seed int) float64 {
	return s.chosen[v][1-seed%2]
}

// lrsLabel names the rates v is read at: "0.1" or "0.1 / 0.3" (even seeds
// / odd seeds).
func (s *speedSummary) lrsLabel(v string) string {
	even, odd := s.chosen[v][1], s.chosen[v][0]
	if even == odd || s.c.Seeds < 2 {
		return kit.Ftoa(even)
	}
	return kit.Ftoa(even) + " / " + kit.Ftoa(odd)
}

// armRuns are v's runs as read: each seed at its cross-fitted rate, in seed
// order (a missing run is left out).
func (s *speedSummary) armRuns(v string) (seeds []int, runs []speedTrain) {
	for seed := range s.c.Seeds {
		if r, ok := s.runs[speedLRKey{v, s.lrFor(v, seed)}][seed]; ok {
			seeds, runs = append(seeds, seed), append(runs, r)
		}
	}
	return seeds, runs
}

// armOf summarises v's runs as read.
func (s *speedSummary) armOf(v string) arm {
	_, runs := s.armRuns(v)
	a := arm{name: v, n: len(runs), median: s.survival(runs).Median, lrs: s.lrsLabel(v), edge: s.gridEdge(v)}
	for _, r := range runs {
		switch endOf(r) {
		case endReached:
			a.reached++
		case endBudget:
			a.budget++
		case endStalled:
			a.stalled++
		case endDiverged:
			a.diverged++
		}
	}
	return a
}

// logUpdates is, by seed, the log of v's updates to target at its
// cross-fitted rate, NaN where it did not reach the target.
func (s *speedSummary) logUpdates(v string) []float64 {
	out := make([]float64, s.c.Seeds)
	for seed := range out {
		out[seed] = math.NaN()
		if r, ok := s.runs[speedLRKey{v, s.lrFor(v, seed)}][seed]; ok && endOf(r) == endReached && r.StepsToTarget > 0 {
			out[seed] = math.Log(r.StepsToTarget)
		}
	}
	return out
}

// reachedUpdates are v's updates to target on the seeds that reached it.
func (s *speedSummary) reachedUpdates(v string) []float64 {
	var out []float64
	for _, l := range s.logUpdates(v) {
		if !math.IsNaN(l) {
			out = append(out, math.Exp(l))
		}
	}
	return out
}

// updatesRatio is v's updates over ReLU's, paired by seed, on the log
// scale, over the seeds on which both reached the target.
func (s *speedSummary) updatesRatio(v string) metrics.Paired {
	return metrics.PairedDiff(s.logUpdates(v), s.logUpdates("relu"))
}

func (s *speedSummary) epochsPerStep() float64 {
	return float64(s.c.Batch) / float64(s.c.TrainExamples)
}

func (s *speedSummary) trainRecords() []result.Table {
	runs := result.Table{Name: "steps-to-accuracy", Columns: []string{"variant", "lr", "seed", "read", "end", "reached", "steps_to_target",
		"epochs_to_target", "steps_run", "last_accuracy", "stalled", "diverged", "diverged_step"}}
	checks := result.Table{Name: "accuracy-checks", Columns: []string{"variant", "lr", "seed", "step", "train_accuracy"}}
	for _, v := range s.c.Variants {
		for _, lr := range s.c.LRs {
			for seed := range s.c.Seeds {
				r, ok := s.runs[speedLRKey{v, lr}][seed]
				if !ok {
					continue
				}
				steps, epochs, last := math.NaN(), math.NaN(), math.NaN()
				if endOf(r) == endReached {
					steps, epochs = r.StepsToTarget, r.StepsToTarget*s.epochsPerStep()
				}
				if len(r.Evals) > 0 {
					last = r.Evals[len(r.Evals)-1].Acc
				}
				runs.Rows = append(runs.Rows, []string{v, kit.Ftoa(lr), kit.Itoa(seed), fmt.Sprint(lr == s.lrFor(v, seed)), string(endOf(r)), fmt.Sprint(r.Reached),
					kit.Ftoa(steps), kit.Ftoa(epochs), kit.Itoa(r.Steps), kit.Ftoa(last), fmt.Sprint(r.Stalled), fmt.Sprint(r.Diverged), kit.Itoa(r.DivergedStep)})
				for _, e := range r.Evals {
					checks.Rows = append(checks.Rows, []string{v, kit.Ftoa(lr), kit.Itoa(seed), kit.Itoa(e.Step), kit.Ftoa(e.Acc)})
				}
			}
		}
	}
	return []result.Table{runs, checks}
}

// fmtMedian writes a Kaplan-Meier median, or "> budget".
func (s *speedSummary) fmtMedian(m float64) string {
	if math.IsInf(m, 1) {
		return fmt.Sprintf("> %d", s.c.MaxSteps)
	}
	return fmt.Sprintf("%.0f", m)
}

func (s *speedSummary) stepsTable() result.Table {
	c := s.c
	t := result.Table{Name: "steps-to-accuracy",
		Title: fmt.Sprintf("Updates to %.0f%% training accuracy, each seed at the rate chosen on the other half of the seeds", 100*c.Target),
		Columns: []string{"variant", "lr (even / odd seeds)", "reached", "> budget", "stalled", "diverged",
			"median updates (Kaplan-Meier)", "median epochs", "updates, seeds that reached it", "ratio to relu, paired seeds"},
		Note: fmt.Sprintf("Deterministic: no clock involved. Runs stop at %d updates; one that has not reached the target by then is censored (> budget), one below %.0f%% accuracy after a fifth of the budget is stalled, "+
			"one whose loss passed the cap diverged. The median counts every run (Kaplan-Meier, censored at the budget); the geometric mean [95%% CI] is over the seeds that reached the target only. "+
			"The ratio to relu is the geometric mean of per-seed ratios [95%% CI] over the seeds on which both reached it (n pairs); above 1 means more updates than ReLU.", c.MaxSteps, 100*stallAccuracy)}
	for _, v := range c.Variants {
		a := s.armOf(v)
		ratio := "1 (reference)"
		if v != "relu" {
			p := s.updatesRatio(v)
			ratio = fmt.Sprintf("%s (n=%d)", kit.FmtEstimate(metrics.RatioFromLog(p.Diff), 2), p.Diff.N)
		}
		epochs := "> budget"
		if !math.IsInf(a.median, 1) {
			epochs = kit.FmtFloat(a.median*s.epochsPerStep(), 2)
		}
		t.Rows = append(t.Rows, []string{v, a.lrs, fmt.Sprintf("%d/%d", a.reached, a.n), kit.Itoa(a.budget), kit.Itoa(a.stalled), kit.Itoa(a.diverged),
			s.fmtMedian(a.median), epochs, kit.FmtEstimate(metrics.GeoMeanCI(s.reachedUpdates(v)), 0), ratio})
	}
	return t
}

func (s *speedSummary) gridTable() result.Table {
	c := s.c
	t := result.Table{Name: "lr-grid", Title: "Learning-rate grid: seeds reaching the target, and their median updates to target (Kaplan-Meier, all seeds)",
		Columns: []string{"variant"},
		Note: fmt.Sprintf("E: the rate chosen on the even seeds (and read on the odd ones); O: chosen on the odd seeds (read on the even ones). "+
			"> budget: not reached within %d updates (censored); stalled: below %.0f%% accuracy after a fifth of the budget; diverged: loss above the cap or not finite.", c.MaxSteps, 100*stallAccuracy)}
	for _, lr := range c.LRs {
		t.Columns = append(t.Columns, fmt.Sprintf("lr %g", lr))
	}
	all := s.seedsOf(-1)
	for _, v := range c.Variants {
		row := []string{v}
		for _, lr := range c.LRs {
			runs := s.runsAt(v, lr, all)
			sv := s.survival(runs)
			a := arm{}
			for _, r := range runs {
				switch endOf(r) {
				case endBudget:
					a.budget++
				case endStalled:
					a.stalled++
				case endDiverged:
					a.diverged++
				}
			}
			text := fmt.Sprintf("%d/%d: %s%s", sv.Reached, sv.N, s.fmtMedian(sv.Median), a.failures())
			if s.chosen[v][0] == lr {
				text += " E"
			}
			if s.chosen[v][1] == lr {
				text += " O"
			}
			row = append(row, text)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// endLabels are the marker labels of runs that did not reach the target,
// drawn at the budget: positions, not values.
var endLabels = map[runEnd]string{
	endBudget:   "> budget (censored)",
	endStalled:  "stalled (censored)",
	endDiverged: "diverged",
}

// budgetLine is a dashed horizontal line at y across [x0, x1].
func budgetLine(label string, x0, x1, y float64, style int) result.Line {
	return result.Line{Label: label, X: []float64{x0, x1}, Y: []float64{y, y}, Theory: true, Style: style}
}

// styleOf is an activation's colour in this experiment's figures.
func (s *speedSummary) styleOf(v string) int {
	return slices.Index(s.c.Variants, v)
}

// dodge shifts the points of the i-th of n activations sideways, so that
// activations at the same x stay visible.
func dodge(i, n int) float64 {
	return 0.25 * (float64(i) - float64(n-1)/2)
}

func (s *speedSummary) stepsFigure() result.Figure {
	c := s.c
	n := len(c.Variants)
	budget := float64(c.MaxSteps)
	left := result.Panel{Kind: result.LinePanel, Title: "updates to target, by seed", XLabel: "seed", YLabel: "updates to target", LogY: true}
	for i, v := range c.Variants {
		// NaN between the points breaks the line, so that seeds are not
		// joined: each point is drawn alone.
		ln := result.Line{Label: v, Points: true, Style: s.styleOf(v)}
		seeds, runs := s.armRuns(v)
		for j, r := range runs {
			x := float64(seeds[j]) + dodge(i, n)
			if endOf(r) == endReached {
				ln.X, ln.Y = append(ln.X, x, x), append(ln.Y, r.StepsToTarget, math.NaN())
				continue
			}
			left.Markers = append(left.Markers, result.Marker{Label: endLabels[endOf(r)], X: x, Y: budget, Style: s.styleOf(v)})
		}
		left.Lines = append(left.Lines, ln)
	}
	x0, x1 := -0.5, float64(c.Seeds)-0.5
	left.Lines = append(left.Lines, budgetLine(fmt.Sprintf("budget (%d)", c.MaxSteps), x0, x1, budget, 6))
	left.YMin, left.YMax = s.updatesRange()

	right := result.Panel{Kind: result.LinePanel, Title: "ratio to ReLU on the same seed", XLabel: "seed", YLabel: "updates / ReLU's updates", LogY: true}
	others := saturating(c.Variants)
	lo, hi := 1/toTargetMargin, float64(alexNetRatio)
	for i, o := range others {
		lu, lr := s.logUpdates(o), s.logUpdates("relu")
		ln := result.Line{Label: o + " / relu", Points: true, Style: s.styleOf(o)}
		for seed := range c.Seeds {
			if math.IsNaN(lu[seed]) || math.IsNaN(lr[seed]) {
				continue
			}
			x, y := float64(seed)+dodge(i, len(others)), math.Exp(lu[seed]-lr[seed])
			ln.X, ln.Y = append(ln.X, x, x), append(ln.Y, y, math.NaN())
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
		right.Lines = append(right.Lines, ln)
		if e := metrics.RatioFromLog(s.updatesRatio(o).Diff); e.N >= 2 {
			right.Lines = append(right.Lines, result.Line{Label: fmt.Sprintf("%s: mean ratio, 95%% CI", o), X: []float64{x0, x1}, Y: []float64{e.Mean, e.Mean},
				Lo: []float64{e.Lo, e.Lo}, Hi: []float64{e.Hi, e.Hi}, Style: s.styleOf(o)})
			lo, hi = math.Min(lo, e.Lo), math.Max(hi, e.Hi)
		}
	}
	right.Lines = append(right.Lines,
		budgetLine("1 (as many as ReLU)", x0, x1, 1, 6),
		budgetLine(fmt.Sprintf("margin %gx", toTargetMargin), x0, x1, toTargetMargin, 5),
		budgetLine(fmt.Sprintf("AlexNet: %dx", alexNetRatio), x0, x1, alexNetRatio, 3))
	right.YMin, right.YMax = lo/1.3, hi*2.5
	return result.Figure{Name: "steps-to-accuracy", Title: fmt.Sprintf("Updates to %.0f%% training accuracy, paired seeds", 100*c.Target),
		Caption: fmt.Sprintf("Left: each activation's updates to target on each seed, at the rate chosen on the other half of the seeds (points of one seed are set slightly apart). "+
			"A run that did not reach the target within %d updates is not a value: it is marked at the budget line by how it ended (> budget, stalled or diverged). "+
			"Right: the per-seed ratio of tanh's and sigmoid's updates to ReLU's, over seeds on which both reached the target, with the geometric-mean ratio and its 95%% CI as a band; "+
			"dashed: no difference (1), the verdict's margin and AlexNet's 6x. Deterministic (no clock).", c.MaxSteps),
		Panels: []result.Panel{left, right}}
}

// updatesRange is a vertical range for updates that shows every reached
// run and the budget line with its markers.
func (s *speedSummary) updatesRange() (float64, float64) {
	lo := float64(s.c.MaxSteps)
	for _, v := range s.c.Variants {
		for _, lr := range s.c.LRs {
			for _, r := range s.runs[speedLRKey{v, lr}] {
				if endOf(r) == endReached && r.StepsToTarget > 0 {
					lo = math.Min(lo, r.StepsToTarget)
				}
			}
		}
	}
	return lo / 1.3, float64(s.c.MaxSteps) * 1.6
}

func (s *speedSummary) gridFigure() result.Figure {
	c := s.c
	budget := float64(c.MaxSteps)
	all := s.seedsOf(-1)
	med := result.Panel{Kind: result.LinePanel, Title: "median updates to target", XLabel: "learning rate", YLabel: "updates to target (Kaplan-Meier median)", LogX: true, LogY: true}
	frac := result.Panel{Kind: result.LinePanel, Title: "seeds reaching the target", XLabel: "learning rate", YLabel: "fraction of seeds (Wilson 95% CI)", LogX: true, YMin: 0, YMax: 1.05}
	n := len(c.Variants)
	for i, v := range c.Variants {
		m := result.Line{Label: v, Points: true, Style: s.styleOf(v)}
		f := result.Line{Label: v, Points: true, Style: s.styleOf(v)}
		for _, lr := range c.LRs {
			x := lr * math.Pow(1.13, dodge(i, n)/0.25)
			runs := s.runsAt(v, lr, all)
			sv := s.survival(runs)
			y := sv.Median
			if math.IsInf(y, 1) {
				y = math.NaN()
				med.Markers = append(med.Markers, result.Marker{Label: "median > budget (censored)", X: x, Y: budget, Style: s.styleOf(v)})
			}
			m.X, m.Y = append(m.X, x), append(m.Y, y)
			p := metrics.ProportionCI(sv.Reached, sv.N)
			f.X, f.Y, f.Lo, f.Hi = append(f.X, x), append(f.Y, p.Mean), append(f.Lo, math.Max(0, p.Lo)), append(f.Hi, math.Min(1, p.Hi))
		}
		med.Lines, frac.Lines = append(med.Lines, m), append(frac.Lines, f)
	}
	xs := []float64{slices.Min(c.LRs) / 1.3, slices.Max(c.LRs) * 1.3}
	med.Lines = append(med.Lines, budgetLine(fmt.Sprintf("budget (%d)", c.MaxSteps), xs[0], xs[1], budget, 6))
	med.YMin, med.YMax = s.updatesRange()
	return result.Figure{Name: "lr-grid", Title: "Updates to target by learning rate",
		Caption: fmt.Sprintf("Left: median updates to target over all %d seeds at each rate (Kaplan-Meier, runs that did not reach it censored at the budget); "+
			"where more than half never reached it the median is beyond the budget and is marked at the budget line, not drawn as a value. "+
			"Right: the fraction of seeds that reached the target, with its Wilson 95%% interval. Activations at the same rate are set slightly apart. Deterministic (no clock).", c.Seeds),
		Panels: []result.Panel{med, frac}}
}

// updatesEvidence is what the rule on updates to target reads for o.
func (s *speedSummary) updatesEvidence(o string) toTargetEvidence {
	return toTargetEvidence{data: s.c.Dataset, grid: s.c.LRs, target: s.c.Target, maxSteps: s.c.MaxSteps, relu: s.armOf("relu"), reluCost: metrics.GeoMeanCI(s.reachedUpdates("relu")),
		other: toTargetCmp{arm: s.armOf(o), p: s.updatesRatio(o)}}
}

// Kernel timings.

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

// logRatios is log(a/b) of the samples of the same repetition.
func logRatios(a, b map[int]float64) []float64 {
	var out []float64
	for rep := range len(a) + len(b) {
		x, okA := a[rep]
		y, okB := b[rep]
		if okA && okB && x > 0 && y > 0 {
			out = append(out, math.Log(x/y))
		}
	}
	return out
}

// ratioCI is the geometric mean of per-repetition ratios a/b with its 95%
// CI.
func ratioCI(a, b map[int]float64) metrics.Estimate {
	return metrics.RatioFromLog(metrics.MeanCI(logRatios(a, b)))
}

func (s *speedSummary) timingNote() string {
	t := s.timing
	return fmt.Sprintf("Timing: measured in this run, so these numbers change from run to run; one cell, one kernel at a time, interleaved within each repetition in a random order drawn afresh each repetition (every item in every position and after every other item about equally often); geometric mean [95%% CI] over repetitions, whose width shows how noisy the machine was. "+
		"Machine: %s, %d CPUs, matrix products by %s; 1-minute load average %.2f before and %.2f after the timing cell (above %d means other processes shared the cores); %s",
		t.GoArch, t.NumCPU, t.Backend, t.LoadBefore, t.LoadAfter, t.NumCPU, s.timingControl().Describe())
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
		Columns: []string{"size", "reps", "kernel", "forward ns/elem", "forward / copy", "backward ns/elem", "backward / copy", "backward / mul"},
		Note: s.timingNote() + " Ratios are geometric means of the per-repetition ratios. copy (one read, one write per element) is a forward pass's memory floor, " +
			"mul (two reads, one write) a backward pass's; the two-sided ReLU writes twice as much. " +
			"copy is Go's built-in copy, a vectorised memmove; relu, leaky, sigmoid and tanh run the library's vector kernels (AVX, relu and leaky by compare and mask, without a branch; AVX2 and FMA for sigmoid and tanh), while mul and the other activations are scalar Go loops, which the compiler does not vectorise, so inside the caches a scalar loop's floor is nearer mul's time than copy's. " +
			"relu-scalar is a reference, not the library's ReLU: the same function as a scalar loop with a sign mask. " +
			"At the smallest size the same inputs repeat on every call, so the branch predictor can learn their signs and the scalar kernels that branch on the sign (prelu, elu, selu, twosided) may look faster there than they are on fresh data; the vector kernels do not branch."}
	for i, n := range c.KernelSizes {
		reps := kit.Itoa(c.KernelReps[i])
		cp, mul := ns[kernelKey{"copy", "forward", n}], ns[kernelKey{"mul", "backward", n}]
		t.Rows = append(t.Rows, []string{kit.Itoa(n), reps, "copy / mul (floor)", kit.FmtEstimate(metrics.GeoMeanCI(kit.Values(cp)), 3), "1",
			kit.FmtEstimate(metrics.GeoMeanCI(kit.Values(mul)), 3), kit.FmtEstimate(ratioCI(mul, cp), 2), "1"})
		for _, v := range append([]string{branchlessReLU}, c.kernelVariantsAt(i)...) {
			f, b := ns[kernelKey{v, "forward", n}], ns[kernelKey{v, "backward", n}]
			t.Rows = append(t.Rows, []string{kit.Itoa(n), reps, v, kit.FmtEstimate(metrics.GeoMeanCI(kit.Values(f)), 3), kit.FmtEstimate(ratioCI(f, cp), 2),
				kit.FmtEstimate(metrics.GeoMeanCI(kit.Values(b)), 3), kit.FmtEstimate(ratioCI(b, cp), 2), kit.FmtEstimate(ratioCI(b, mul), 2)})
		}
	}
	return t
}

func (s *speedSummary) kernelFigure() result.Figure {
	c := s.c
	ns := s.kernelNs()
	f := result.Figure{Name: "timing-kernels", Title: "Activation kernels: ns per element (timing)",
		Caption: "Timing: measured in this run, differs between runs. Geometric mean over repetitions with its 95% CI (the number of repetitions is in each panel's title). " +
			"Each dot is a kernel's time on a log axis, its bar the interval. The first pair is a reference: a copy (forward), Go's vectorised memmove, the memory floor of a forward pass; and an elementwise product (backward), a scalar loop, which the vectorised backward kernels of relu and identity can beat inside the caches, so it is no floor there. relu-scalar is ReLU as a scalar loop; scalar kernels that branch on the sign may look faster at the small size than on fresh data (see the table's note). One panel per size; outside the caches only the activations the verdict compares and a few cheap ones are timed.",
		Columns: 1}
	for i, n := range c.KernelSizes {
		bars := &result.Bars{Categories: append([]string{"copy/mul", branchlessReLU}, c.kernelVariantsAt(i)...), Dots: true}
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
				e := metrics.GeoMeanCI(kit.Values(ns[key]))
				g.Values = append(g.Values, e.Mean)
				g.Lo, g.Hi = append(g.Lo, e.Lo), append(g.Hi, e.Hi)
			}
			bars.Groups = append(bars.Groups, g)
		}
		// A decade of headroom above the highest interval keeps the legend
		// clear of the dots.
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, g := range bars.Groups {
			for i := range g.Values {
				if g.Lo[i] > 0 {
					lo = math.Min(lo, g.Lo[i])
				}
				if !math.IsNaN(g.Hi[i]) {
					hi = math.Max(hi, g.Hi[i])
				}
			}
		}
		pn := result.Panel{Kind: result.BarPanel, Title: fmt.Sprintf("%d elements (%s), %d repetitions", n, byteSize(8*n), c.KernelReps[i]),
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

// forwardPlusBackward is a kernel's forward plus backward time per element
// on n elements, by repetition.
func forwardPlusBackward(ns map[kernelKey]map[int]float64, name string, n int) map[int]float64 {
	out := map[int]float64{}
	f, b := ns[kernelKey{name, "forward", n}], ns[kernelKey{name, "backward", n}]
	for rep, x := range f {
		if y, ok := b[rep]; ok {
			out[rep] = x + y
		}
	}
	return out
}

// Step timings.

type stepKey struct {
	net, variant string
}

// stepSamples are the step and activation times by net, activation and
// repetition, leaving out repetitions with a diverged step.
func (s *speedSummary) stepSamples() (step, act map[stepKey]map[int]float64) {
	step, act = map[stepKey]map[int]float64{}, map[stepKey]map[int]float64{}
	for _, x := range s.timing.Steps {
		if x.DivergedSteps > 0 {
			continue
		}
		k := stepKey{netLabel(x), x.Variant}
		if step[k] == nil {
			step[k], act[k] = map[int]float64{}, map[int]float64{}
		}
		step[k][x.Rep], act[k][x.Rep] = x.StepNs, x.ActivationNs
	}
	return step, act
}

// netLabel names the net a sample timed: its widths ("64x64"), or
// cnnLabel.
func netLabel(x stepSample) string {
	if x.CNN {
		return cnnLabel
	}
	return kit.WidthsLabel(x.Hidden)
}

// settingOf is a timed net in words: "hidden 64x64", or "the CNN".
func settingOf(net string) string {
	if net == cnnLabel {
		return "the CNN"
	}
	return "hidden " + net
}

func (s *speedSummary) divergedStepSamples() int {
	n := 0
	for _, x := range s.timing.Steps {
		if x.DivergedSteps > 0 {
			n++
		}
	}
	return n
}

func (s *speedSummary) stepRecords() result.Table {
	t := result.Table{Name: "timing-steps", Columns: []string{"net", "variant", "rep", "steps", "step_ns", "activation_ns", "activation_share", "diverged_steps"}}
	for _, x := range s.timing.Steps {
		t.Rows = append(t.Rows, []string{netLabel(x), x.Variant, kit.Itoa(x.Rep), kit.Itoa(x.Steps), kit.Ftoa(x.StepNs), kit.Ftoa(x.ActivationNs),
			kit.Ftoa(x.ActivationNs / x.StepNs), kit.Itoa(x.DivergedSteps)})
	}
	return t
}

func (s *speedSummary) stepNets() []string {
	var out []string
	for _, h := range s.c.stepNets() {
		out = append(out, kit.WidthsLabel(h))
	}
	if s.c.StepCNN != "" {
		out = append(out, cnnLabel)
	}
	return out
}

// shares is, per repetition, the percentage of v's step spent in its
// activation layers.
func shares(act, step map[stepKey]map[int]float64, k stepKey) []float64 {
	var out []float64
	for rep := range len(step[k]) + 1 {
		a, ok1 := act[k][rep]
		t, ok2 := step[k][rep]
		if ok1 && ok2 && t > 0 {
			out = append(out, 100*a/t)
		}
	}
	return out
}

func (s *speedSummary) stepTable() result.Table {
	c := s.c
	step, act := s.stepSamples()
	t := result.Table{Name: "timing-step", Volatile: true, Title: fmt.Sprintf("A whole training step (forward, backward, %s update) of a batch of %d, and the part spent in the activation layers", c.Optimizer, c.Batch),
		Columns: []string{"net", "activation", "reps", "step ms", "activation ms", "activation share %", "beyond relu's layers, % of relu step", "step / relu step"},
		Note: s.timingNote() + " The activation layers are timed inside the step by a wrapper around each. Share and \"beyond relu's layers\" are means [95% CI] over repetitions; " +
			"\"beyond relu's layers\" is the time these layers take beyond ReLU's, as a share of ReLU's whole step: the part of a step the choice of activation decides. " +
			"step / relu step is the geometric mean of per-repetition ratios of whole steps, which also carry the noise of every matrix product. " +
			fmt.Sprintf("%s is a second ReLU net timed beside the first: what these columns read when nothing differs but the net's own buffers. The CNN is %s. The intervals here are plain 95%% CIs; the main verdict reads \"beyond relu's layers\" with its interval widened by the null arm's reach in that net (scaled by the activation's layer time over ReLU's), as its Numbers list shows.", kit.NullArm, c.StepCNN)}
	for _, net := range s.stepNets() {
		for _, v := range append(slices.Clone(c.StepVariants), kit.NullArm) {
			k := stepKey{net, v}
			t.Rows = append(t.Rows, []string{net, v, kit.Itoa(len(step[k])),
				kit.FmtEstimate(metrics.GeoMeanCI(kit.Scaled(kit.Values(step[k]), 1e-6)), 3), kit.FmtEstimate(metrics.GeoMeanCI(kit.Scaled(kit.Values(act[k]), 1e-6)), 4),
				kit.FmtEstimate(metrics.MeanCI(shares(act, step, k)).Clamp(0, 100), 2), kit.FmtEstimate(metrics.MeanCI(activationSavings(act, step, net, v)), 2),
				kit.FmtEstimate(ratioCI(step[k], step[stepKey{net, "relu"}]), 3)})
		}
	}
	return t
}

func scaleEstimate(e metrics.Estimate, f float64) metrics.Estimate {
	e.Mean, e.Lo, e.Hi = f*e.Mean, f*e.Lo, f*e.Hi
	return e
}

// shareFigure draws what the main verdict's step half reads: how much
// longer tanh's and sigmoid's layers take than ReLU's, as a share of
// ReLU's whole step, against the margin, with the null arm beside them
// (ReLU itself, 0 by construction, is left out).
func (s *speedSummary) shareFigure() result.Figure {
	c := s.c
	step, act := s.stepSamples()
	// The activations the rule judges, and the null arm beside them; the
	// others (GELU's layers alone can take as long as ReLU's whole CNN
	// step, which would squeeze these bars flat) are in the table.
	others := append(saturating(c.StepVariants), kit.NullArm)
	bars := &result.Bars{Categories: others, Refs: []result.RefLine{{Label: fmt.Sprintf("margin %g%%", stepMargin), Y: stepMargin}}}
	for _, net := range s.stepNets() {
		g := result.BarGroup{Label: settingOf(net)}
		for _, v := range others {
			e := metrics.MeanCI(activationSavings(act, step, net, v))
			g.Values = append(g.Values, e.Mean)
			g.Lo, g.Hi = append(g.Lo, e.Lo), append(g.Hi, e.Hi)
		}
		bars.Groups = append(bars.Groups, g)
	}
	return result.Figure{Name: "timing-step-share", Title: "Activation layers: time beyond ReLU's in a step (timing)",
		Caption: fmt.Sprintf("Timing: measured in this run, differs between runs. Mean over %d repetitions with its 95%% CI; batch %d, %s update; MLPs of two hidden layers of each width, and the CNN %s; the layers timed inside the step. "+
			"The dashed line is the main verdict's margin: tanh's or sigmoid's layers must take %g%% of ReLU's step beyond ReLU's own for the choice to matter in a step; a bar below 0 is an activation whose layers were faster than ReLU's. "+
			"%s, a second ReLU net timed beside the first, shows what the reading is when nothing differs. The other activations timed are in the table timing-step.", c.StepReps, c.Batch, c.Optimizer, c.StepCNN, stepMargin, kit.NullArm),
		Panels: []result.Panel{{Kind: result.BarPanel, XLabel: "activation", YLabel: "% of ReLU's step, beyond ReLU's layers", Bars: bars}}}
}

// activationSavings is, per repetition, how much more time the activation
// layers of o take than ReLU's, as a percentage of ReLU's whole step. Both
// are timed inside their steps, interleaved, so a busy machine slows both
// sides alike; the whole-step ratio, which includes every matrix product,
// is far noisier.
func activationSavings(act map[stepKey]map[int]float64, step map[stepKey]map[int]float64, net, o string) []float64 {
	ao, ar, sr := act[stepKey{net, o}], act[stepKey{net, "relu"}], step[stepKey{net, "relu"}]
	var out []float64
	for rep := range len(sr) + len(ao) + 1 {
		x, ok1 := ao[rep]
		y, ok2 := ar[rep]
		z, ok3 := sr[rep]
		if ok1 && ok2 && ok3 && z > 0 {
			out = append(out, 100*(x-y)/z)
		}
	}
	return out
}

// mainEvidence reads, at each kernel size, tanh's and sigmoid's kernel time
// over ReLU's, and in each timed net what their activation layers cost
// beyond ReLU's.
func (s *speedSummary) mainEvidence() mainEvidence {
	c := s.c
	kOthers, sOthers := saturating(c.KernelVariants), saturating(c.StepVariants)
	e := mainEvidence{control: s.timingControl()}
	e.comparable = slices.Contains(c.KernelVariants, "relu") && slices.Contains(c.StepVariants, "relu") && len(kOthers) > 0 && len(sOthers) > 0
	if !e.comparable {
		return e
	}
	ns := s.kernelNs()
	for i, n := range c.KernelSizes {
		setting := fmt.Sprintf("%d elements", n)
		if i > 0 {
			// A size at which relu or tanh and sigmoid were not timed
			// compares nothing.
			kOthers = saturating(c.KernelVariantsLarge)
			if !slices.Contains(c.KernelVariantsLarge, "relu") {
				continue
			}
		}
		relu := forwardPlusBackward(ns, "relu", n)
		for _, o := range kOthers {
			e.kernels = append(e.kernels, versus{name: o, setting: setting, p: metrics.OneSample(logRatios(forwardPlusBackward(ns, o, n), relu))})
		}
		cp := ns[kernelKey{"copy", "forward", n}]
		e.context = append(e.context,
			result.Evidence{Name: setting + ": relu forward / copy", Estimate: ratioCI(ns[kernelKey{"relu", "forward", n}], cp), Unit: "x"},
			result.Evidence{Name: setting + ": scalar reference ReLU forward / copy", Estimate: ratioCI(ns[kernelKey{branchlessReLU, "forward", n}], cp), Unit: "x"})
	}
	step, act := s.stepSamples()
	for _, net := range s.stepNets() {
		setting := settingOf(net)
		relu := stepKey{net, "relu"}
		null := ratioCI(step[stepKey{net, kit.NullArm}], step[relu])
		nullLayers := metrics.MeanCI(activationSavings(act, step, net, kit.NullArm))
		reach := kit.NullReach(nullLayers)
		e.nulls = append(e.nulls, nullReading{setting: setting, layers: nullLayers, reach: reach, whole: null})
		reluLayers := metrics.MeanCI(shares(act, step, relu)).Mean
		for _, o := range sOthers {
			beyond := metrics.OneSample(activationSavings(act, step, net, o))
			e.steps = append(e.steps, versus{name: o, setting: setting, p: kit.Widened(beyond, kit.ReachFor(reach, reluLayers, beyond.Diff.Mean))})
			whole := ratioCI(step[stepKey{net, o}], step[relu])
			e.context = append(e.context, result.Evidence{Name: fmt.Sprintf("%s: whole %s step / relu step", setting, o), Estimate: whole, Unit: "x"})
			e.wholeSteps = append(e.wholeSteps, wholeStep{setting: setting, name: o, ratio: whole, null: null})
		}
		e.context = append(e.context,
			result.Evidence{Name: fmt.Sprintf("%s: whole %s step / relu step (a second ReLU net: the null arm)", setting, kit.NullArm), Estimate: null, Unit: "x"},
			result.Evidence{Name: fmt.Sprintf("%s: %s layers beyond relu's, %% of relu's step (the null arm)", setting, kit.NullArm), Estimate: nullLayers, Unit: "%"})
		e.context = append(e.context, result.Evidence{Name: setting + ": share of relu's step in its activation layers", Estimate: metrics.MeanCI(shares(act, step, relu)).Clamp(0, 100), Unit: "%"})
	}
	return e
}

// timingControl is how much of the time it was ready to run the timing
// thread had a core.
func (s *speedSummary) timingControl() kit.TimingControl {
	t := s.timing
	return kit.NewTimingControl(t.ThreadRunSeconds, t.ThreadWaitSeconds, t.LoadBefore, t.LoadAfter, t.NumCPU)
}

// Seconds to target.

// trainedNet is the label of the net trained to the target, whose step
// time converts updates into seconds.
func (s *speedSummary) trainedNet() string { return kit.WidthsLabel(s.c.Hidden) }

// logStepRatio is the log ratio of v's step to ReLU's in the trained net,
// v's step taken as ReLU's plus the time v's activation layers take beyond
// ReLU's (both timed inside their steps, per repetition): mean with its
// 95% CI and SD. The rest of a step, the matrix products and the update,
// is the same work whatever the activation; read from whole steps it would
// carry differences between two nets' buffers that a second ReLU net (the
// null arm) shows are not small next to the activation's share.
func (s *speedSummary) logStepRatio(v string) metrics.Estimate {
	step, act := s.stepSamples()
	var logs []float64
	for _, pct := range activationSavings(act, step, s.trainedNet(), v) {
		if pct > -100 {
			logs = append(logs, math.Log1p(pct/100))
		}
	}
	return metrics.MeanCI(logs)
}

// logStepTime is the mean log of v's step time in seconds, with its CI:
// ReLU's whole step, and for another activation ReLU's step times the
// step ratio the seconds rule reads (logStepRatio), so that the tables'
// and figures' seconds are the verdicts' seconds.
func (s *speedSummary) logStepTime(v string) metrics.Estimate {
	step, _ := s.stepSamples()
	var logs []float64
	for _, x := range kit.Values(step[stepKey{s.trainedNet(), "relu"}]) {
		if x > 0 {
			logs = append(logs, math.Log(x*1e-9))
		}
	}
	relu := metrics.MeanCI(logs)
	if v == "relu" {
		return relu
	}
	return metrics.SumOfMeans(relu, s.logStepRatio(v)).Diff
}

// secondsRatio is v's seconds to target over ReLU's on the log scale: the
// paired updates ratio plus the step-time ratio, each with its own spread,
// the interval widened by the null arm's reach in the trained net for v
// (what two identical ReLU nets' layers differ by, scaled to v's layer
// time, as a log ratio of steps).
func (s *speedSummary) secondsRatio(v string) metrics.Paired {
	return kit.Widened(metrics.SumOfMeans(s.updatesRatio(v).Diff, s.logStepRatio(v)), s.nullLogReach(v))
}

// nullLogReach is the null arm's reach in the trained net for v
// (kit.ReachFor) as a log ratio of steps: how far a second ReLU net's
// layers, read like an activation's, put its step from ReLU's, scaled by
// v's layer time over ReLU's.
func (s *speedSummary) nullLogReach(v string) float64 {
	step, act := s.stepSamples()
	net := s.trainedNet()
	reach := kit.NullReach(metrics.MeanCI(activationSavings(act, step, net, kit.NullArm)))
	reluLayers := metrics.MeanCI(shares(act, step, stepKey{net, "relu"})).Mean
	beyond := metrics.MeanCI(activationSavings(act, step, net, v)).Mean
	return math.Abs(math.Log1p(kit.ReachFor(reach, reluLayers, beyond) / 100))
}

// secondsOf is v's seconds to target over the seeds that reached it:
// geometric mean of updates times geometric mean of step time, the two
// intervals combined on the log scale.
func (s *speedSummary) secondsOf(v string) metrics.Estimate {
	var logs []float64
	for _, x := range s.reachedUpdates(v) {
		logs = append(logs, math.Log(x))
	}
	return metrics.RatioFromLog(metrics.SumOfMeans(metrics.MeanCI(logs), s.logStepTime(v)).Diff)
}

func (s *speedSummary) secondsTable() result.Table {
	c := s.c
	t := result.Table{Name: "timing-to-accuracy", Volatile: true, Title: fmt.Sprintf("Seconds of training to %.0f%% training accuracy, each seed at the rate chosen on the other half", 100*c.Target),
		Columns: []string{"variant", "step ms", "reached", "seconds to target, seeds that reached it", "ratio to relu, paired seeds"},
		Note: s.timingNote() + " Seconds = updates to target x the step time (geometric means), ReLU's whole step and, for another activation, ReLU's step plus the time its layers take beyond ReLU's (as the rule reads it); the ratio adds the per-seed log ratio of updates and the per-repetition log ratio of steps, each with its own spread, its interval widened by the null arm's reach. " +
			"Training time only; the accuracy checks are not counted. Runs that did not reach the target are counted in the reached column, not averaged."}
	for _, v := range c.Variants {
		a := s.armOf(v)
		ratio := "1 (reference)"
		if v != "relu" {
			p := s.secondsRatio(v)
			ratio = fmt.Sprintf("%s (n=%d)", kit.FmtEstimate(metrics.RatioFromLog(p.Diff), 2), p.Diff.N)
		}
		t.Rows = append(t.Rows, []string{v, kit.FmtEstimate(scaleEstimate(metrics.RatioFromLog(s.logStepTime(v)), 1000), 3), fmt.Sprintf("%d/%d", a.reached, a.n),
			kit.FmtEstimate(s.secondsOf(v), 2), ratio})
	}
	return t
}

func (s *speedSummary) secondsFigure() result.Figure {
	c := s.c
	g := result.BarGroup{Label: "seconds to target"}
	var cats []string
	for _, v := range c.Variants {
		a := s.armOf(v)
		cats = append(cats, fmt.Sprintf("%s (%d/%d reached)", v, a.reached, a.n))
		e := s.secondsOf(v)
		g.Values, g.Lo, g.Hi = append(g.Values, e.Mean), append(g.Lo, e.Lo), append(g.Hi, e.Hi)
	}
	return result.Figure{Name: "timing-to-accuracy", Title: fmt.Sprintf("Seconds to %.0f%% training accuracy (timing)", 100*c.Target),
		Caption: "Timing: measured in this run, differs between runs. Updates to target times the step time (ReLU's whole step, plus for another activation the time its layers take beyond ReLU's), geometric means with 95% CI (both spreads combined), over the seeds that reached the target; " +
			"the label counts them, and runs that did not reach it are not averaged in. A missing bar: no seed reached it.",
		Panels: []result.Panel{{Kind: result.BarPanel, XLabel: "activation", YLabel: "seconds", Bars: &result.Bars{Categories: cats, Groups: []result.BarGroup{g}}}}}
}

// secondsEvidence is what the rule on seconds to target reads for o.
func (s *speedSummary) secondsEvidence(o string) toTargetEvidence {
	control := s.timingControl()
	updates, step := s.updatesRatio(o).Diff, s.logStepRatio(o)
	return toTargetEvidence{data: s.c.Dataset, grid: s.c.LRs, target: s.c.Target, maxSteps: s.c.MaxSteps, relu: s.armOf("relu"), reluCost: s.secondsOf("relu"), control: &control,
		other: toTargetCmp{arm: s.armOf(o), p: s.secondsRatio(o), seconds: true, updatesSE: standardError(updates), stepSE: standardError(step), stepReps: step.N}}
}

// standardError is the standard error of a mean, NaN below two units.
func standardError(e metrics.Estimate) float64 {
	if e.N < 2 {
		return math.NaN()
	}
	return e.SD / math.Sqrt(float64(e.N))
}
