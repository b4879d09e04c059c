package overfitting

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

// summarizeOverfitting reads the runs once, then builds the tables, the
// records, the figures, the statistics each verdict rule reads and the notes.
func summarizeOverfitting(c *Config, done []harness.Done[overfitCell, overfitResult]) (*result.Result, error) {
	s := newOverfitSummary(c, done)
	res := &result.Result{}
	runTable, curves := s.records()
	res.Tables = append(res.Tables, s.finalTable(), s.gapTable(), s.matchedTable(), s.srivastavaTable())
	res.Records = append(res.Records, runTable, curves)
	res.Figures = append(res.Figures, s.gapBySizeFigure(), s.matchedFigure(), s.learningCurves())
	res.Verdicts = append(res.Verdicts,
		reluGapVerdict(s.reluGapEvidence()),
		dropoutGapVerdict(s.dropoutGapEvidence()),
		dataGapVerdict(s.dataGapEvidence()),
		dropoutHelpsReluVerdict(s.dropoutHelpsReluEvidence()))
	res.Notes = append(res.Notes, s.notes()...)
	return res, nil
}

// notes states the training budget and how far these small nets are from
// Srivastava et al.'s, so that no one reads our error rates as theirs.
func (s *overfitSummary) notes() []string {
	c := s.c
	epochs := make([]string, len(c.Sizes))
	for i, n := range c.Sizes {
		epochs[i] = kit.FmtFloat(s.epochs(n, c.Steps[i]), 1)
	}
	return []string{
		fmt.Sprintf("Training budget: %s updates of %d examples for sizes %s, that is %s epochs; MLP %s, %s at learning rate %g; He init for the ReLU family, Xavier for tanh and sigmoid.",
			joinInts(c.Steps), c.Batch, joinInts(c.Sizes), strings.Join(epochs, ", "), joinInts(c.Hidden), c.Optimizer, c.LR),
		fmt.Sprintf("Training accuracy is evaluated on the first %d examples of each training subset (all of it when smaller), in evaluation mode; test accuracy on %d test images.", c.TrainEval, c.TestExamples),
		"The optimiser was chosen by a pilot (described in the experiment's source): Adam at 0.001 fits ReLU, tanh and sigmoid nets at similar speeds, where SGD with momentum at one learning rate fits sigmoid several times more slowly.",
		"Srivastava et al. 2014 trained much larger nets (1024 to 8192 units per layer, max-norm constraints) for far longer; these small nets on 2 CPU cores reproduce directions, not their error rates.",
	}
}

// overfitKey groups the seeds of one configuration.
type overfitKey struct {
	variant string
	size    int
	rate    float64 // hidden dropout
}

// overfitRun is one run, read: curves as slices and the numbers derived.
type overfitRun struct {
	seed                          int
	steps, train, test            []float64
	finalTrain, finalTest, gap    float64
	bestTest, bestEpoch, maxTrain float64
	bestStep                      int
	diverged                      bool
	res                           overfitResult
}

// readOverfitRun keeps a run's curves as slices, for reading them between
// checkpoints, beside the numbers the tables report. The best test accuracy
// is picked on the test set itself, so the verdicts read the final values.
func readOverfitRun(seed int, r overfitResult) overfitRun {
	o := overfitRun{seed: seed, res: r, diverged: r.Diverged}
	for _, c := range r.Checkpoints {
		o.steps = append(o.steps, float64(c.Step))
		o.train = append(o.train, c.TrainAcc)
		o.test = append(o.test, c.TestAcc)
		if c.TestAcc > o.bestTest {
			o.bestTest, o.bestStep, o.bestEpoch = c.TestAcc, c.Step, c.Epoch
		}
		o.maxTrain = max(o.maxTrain, c.TrainAcc)
	}
	if n := len(r.Checkpoints); n > 0 {
		last := r.Checkpoints[n-1]
		o.finalTrain, o.finalTest = last.TrainAcc, last.TestAcc
		o.gap = last.TrainAcc - last.TestAcc
	}
	return o
}

// gapAt is the run's gap where its training accuracy first reaches level:
// level minus the test accuracy interpolated at that step.
func (o overfitRun) gapAt(level float64) (gap, step float64, ok bool) {
	x, ok := metrics.FirstCrossing(o.steps, o.train, level)
	if !ok {
		return math.NaN(), math.NaN(), false
	}
	return level - metrics.InterpolateAt(o.steps, o.test, x), x, true
}

// overfitLevelKey selects a matched training-accuracy level.
type overfitLevelKey struct {
	size int
	rate float64
}

// overfitSummary holds every run, read, and the matched levels.
type overfitSummary struct {
	c      *Config
	runs   map[overfitKey][]overfitRun
	levels map[overfitLevelKey]float64
}

func newOverfitSummary(c *Config, done []harness.Done[overfitCell, overfitResult]) *overfitSummary {
	s := &overfitSummary{c: c, runs: map[overfitKey][]overfitRun{}, levels: map[overfitLevelKey]float64{}}
	s.readRuns(done)
	s.matchLevels()
	return s
}

// readRuns groups the runs by configuration, seeds in the order done lists
// them.
func (s *overfitSummary) readRuns(done []harness.Done[overfitCell, overfitResult]) {
	for _, d := range done {
		k := overfitKey{d.Params.Variant, d.Params.Size, d.Params.HiddenDropout}
		s.runs[k] = append(s.runs[k], readOverfitRun(d.Params.Seed, d.Result))
	}
}

// matchLevels sets the matched level of each size and dropout rate: the
// highest training accuracy that every finite run of every activation
// reached, capped by match-level, so that every run has a crossing to read.
func (s *overfitSummary) matchLevels() {
	c := s.c
	for _, n := range c.Sizes {
		for _, hd := range c.HiddenDropout {
			level := c.MatchLevel
			for _, v := range c.Variants {
				for _, o := range s.finite(overfitKey{v, n, hd}) {
					level = math.Min(level, o.maxTrain)
				}
			}
			s.levels[overfitLevelKey{n, hd}] = level
		}
	}
}

// finite returns the runs of k that did not diverge.
func (s *overfitSummary) finite(k overfitKey) []overfitRun {
	var out []overfitRun
	for _, o := range s.runs[k] {
		if !o.diverged {
			out = append(out, o)
		}
	}
	return out
}

// diverged counts the runs of k left out of every mean.
func (s *overfitSummary) diverged(k overfitKey) int { return len(s.runs[k]) - len(s.finite(k)) }

// collect reads one number from each finite run of k.
func (s *overfitSummary) collect(k overfitKey, get func(overfitRun) float64) []float64 {
	var out []float64
	for _, o := range s.finite(k) {
		out = append(out, get(o))
	}
	return out
}

// level is the matched training accuracy of k's size and dropout rate.
func (s *overfitSummary) level(k overfitKey) float64 {
	return s.levels[overfitLevelKey{k.size, k.rate}]
}

// gapsAtLevel is every finite run's gap at the matched level of k.
func (s *overfitSummary) gapsAtLevel(k overfitKey) []float64 {
	level := s.level(k)
	return s.collect(k, func(o overfitRun) float64 { g, _, _ := o.gapAt(level); return g })
}

func finalGap(o overfitRun) float64   { return o.gap }
func finalTest(o overfitRun) float64  { return o.finalTest }
func finalTrain(o overfitRun) float64 { return o.finalTrain }

// dropoutLabel names a hidden rate as every table, figure and verdict
// prints it: the input rate goes with it (see overfittingCells).
func (s *overfitSummary) dropoutLabel(rate float64) string {
	if rate == 0 {
		return "no dropout"
	}
	return fmt.Sprintf("dropout %g/%g", s.c.InputDropout, rate)
}

// epochs turns a budget of updates into passes over the training subset:
// training is budgeted in updates, but readers think in epochs.
func (s *overfitSummary) epochs(size, steps int) float64 {
	return float64(steps) / float64(kit.StepsPerEpoch(size, s.c.Batch))
}

// pp turns an accuracy (difference) into percentage points.
func pp(e metrics.Estimate) metrics.Estimate {
	return metrics.Estimate{Mean: 100 * e.Mean, Lo: 100 * e.Lo, Hi: 100 * e.Hi, SD: 100 * e.SD, N: e.N}
}

// divergedNote flags a mean that left diverged runs out.
func divergedNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d diverged)", n)
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = kit.Itoa(x)
	}
	return strings.Join(parts, ", ")
}

func sizeHeaders(sizes []int) []string {
	out := make([]string, len(sizes))
	for i, n := range sizes {
		out[i] = fmt.Sprintf("n=%d", n)
	}
	return out
}

// records: one row per run, and one per checkpoint.
func (s *overfitSummary) records() (result.Table, result.Table) {
	c := s.c
	runTable := result.Table{Name: "runs", Columns: []string{"variant", "size", "input_dropout", "hidden_dropout", "seed", "steps", "epochs",
		"final_train_acc", "final_test_acc", "final_gap", "best_test_acc", "best_step", "best_epoch",
		"matched_level", "gap_at_matched_level", "step_at_matched_level", "diverged", "diverged_step"}}
	curves := result.Table{Name: "curves", Columns: []string{"variant", "size", "input_dropout", "hidden_dropout", "seed", "step", "epoch",
		"train_loss", "train_acc", "test_loss", "test_acc", "gap"}}
	for _, v := range c.Variants {
		for _, n := range c.Sizes {
			for _, hd := range c.HiddenDropout {
				k := overfitKey{v, n, hd}
				for _, o := range s.runs[k] {
					common := []string{v, kit.Itoa(n), kit.Ftoa(c.inputDropoutWith(hd)), kit.Ftoa(hd), kit.Itoa(o.seed)}
					for _, cp := range o.res.Checkpoints {
						curves.Rows = append(curves.Rows, append(slices.Clone(common), kit.Itoa(cp.Step), kit.Ftoa(cp.Epoch),
							kit.Ftoa(cp.TrainLoss), kit.Ftoa(cp.TrainAcc), kit.Ftoa(cp.TestLoss), kit.Ftoa(cp.TestAcc), kit.Ftoa(cp.TrainAcc-cp.TestAcc)))
					}
					g, at := math.NaN(), math.NaN()
					if !o.diverged {
						g, at, _ = o.gapAt(s.level(k))
					}
					runTable.Rows = append(runTable.Rows, append(slices.Clone(common), kit.Itoa(o.res.Steps), kit.Ftoa(s.epochs(n, o.res.Steps)),
						kit.Ftoa(o.finalTrain), kit.Ftoa(o.finalTest), kit.Ftoa(o.gap), kit.Ftoa(o.bestTest), kit.Itoa(o.bestStep), kit.Ftoa(o.bestEpoch),
						kit.Ftoa(s.level(k)), kit.Ftoa(g), kit.Ftoa(at), fmt.Sprint(o.diverged), kit.Itoa(o.res.DivergedStep)))
				}
			}
		}
	}
	return runTable, curves
}

// finalTable: every configuration at the end of training, with the best
// test accuracy beside the final one.
func (s *overfitSummary) finalTable() result.Table {
	c := s.c
	t := result.Table{Name: "final", Title: "End of training: accuracy and generalisation gap, mean [95% CI] over seeds",
		Columns: []string{"variant", "dropout", "size", "epochs", "train acc", "test acc", "gap (pp)", "best test acc", "best at epoch (median)"},
		Note: "The gap is training minus test accuracy, in percentage points. The best test accuracy is the highest over the checkpoints, " +
			"chosen on the test set itself and therefore optimistic; the verdicts use the final values. A diverged run is left out and counted."}
	for _, v := range c.Variants {
		for _, hd := range c.HiddenDropout {
			for i, n := range c.Sizes {
				k := overfitKey{v, n, hd}
				t.Rows = append(t.Rows, []string{v, s.dropoutLabel(hd), kit.Itoa(n), kit.FmtFloat(s.epochs(n, c.Steps[i]), 1),
					kit.FmtEstimate(metrics.MeanCI(s.collect(k, finalTrain)).Clamp(0, 1), 4),
					kit.FmtEstimate(metrics.MeanCI(s.collect(k, finalTest)).Clamp(0, 1), 4),
					kit.FmtEstimate(pp(metrics.MeanCI(s.collect(k, finalGap))), 2) + divergedNote(s.diverged(k)),
					kit.FmtEstimate(metrics.MeanCI(s.collect(k, func(o overfitRun) float64 { return o.bestTest })).Clamp(0, 1), 4),
					kit.FmtFloat(metrics.Median(s.collect(k, func(o overfitRun) float64 { return o.bestEpoch })), 1)})
			}
		}
	}
	return t
}

// gapTable: the final gap alone, sizes side by side, to read the effect of
// more data along a row.
func (s *overfitSummary) gapTable() result.Table {
	c := s.c
	t := result.Table{Name: "gap", Title: "Generalisation gap at the end of training (percentage points), mean [95% CI] over seeds",
		Columns: append([]string{"variant", "dropout"}, sizeHeaders(c.Sizes)...)}
	for _, v := range c.Variants {
		for _, hd := range c.HiddenDropout {
			row := []string{v, s.dropoutLabel(hd)}
			for _, n := range c.Sizes {
				k := overfitKey{v, n, hd}
				row = append(row, kit.FmtEstimate(pp(metrics.MeanCI(s.collect(k, finalGap))), 2)+divergedNote(s.diverged(k)))
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// others lists the variants other than relu.
func (s *overfitSummary) others() []string {
	var out []string
	for _, v := range s.c.Variants {
		if v != "relu" {
			out = append(out, v)
		}
	}
	return out
}

// matchedTable: the gaps the "ReLU overfits more" verdict reads, for every
// dropout setting (the verdict reads only the runs without dropout).
func (s *overfitSummary) matchedTable() result.Table {
	c := s.c
	t := result.Table{Name: "matched", Title: "Generalisation gap at equal training accuracy (percentage points), mean [95% CI] over seeds",
		Columns: append([]string{"dropout", "size", "level"}, c.Variants...),
		Note: "For each size and dropout setting the level is the highest training accuracy every run reached (at most match-level); each run's gap is read where its training accuracy first crosses the level, " +
			"with test accuracy interpolated between checkpoints. relu - x is a Welch 95% interval; positive means ReLU's gap is larger."}
	hasRelu := slices.Contains(c.Variants, "relu")
	if hasRelu {
		for _, v := range s.others() {
			t.Columns = append(t.Columns, "relu - "+v)
		}
	}
	for _, hd := range c.HiddenDropout {
		for _, n := range c.Sizes {
			row := []string{s.dropoutLabel(hd), kit.Itoa(n), kit.FmtFloat(s.levels[overfitLevelKey{n, hd}], 4)}
			for _, v := range c.Variants {
				row = append(row, kit.FmtEstimate(pp(metrics.MeanCI(s.gapsAtLevel(overfitKey{v, n, hd}))), 2))
			}
			if hasRelu {
				for _, v := range s.others() {
					d := metrics.WelchDiffCI(s.gapsAtLevel(overfitKey{"relu", n, hd}), s.gapsAtLevel(overfitKey{v, n, hd}))
					row = append(row, kit.FmtEstimate(pp(d), 2))
				}
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// Srivastava et al. 2014, Table 2, MNIST test error (%).
const (
	srivastavaStandard       = 1.60
	srivastavaDropoutSigmoid = 1.35
	srivastavaDropoutReLU    = 1.25
)

// srivastavaRate is the hidden dropout rate compared with Srivastava et al.:
// theirs (0.5) if configured, otherwise the largest.
func (s *overfitSummary) srivastavaRate() (float64, bool) {
	if slices.Contains(s.c.HiddenDropout, 0.5) {
		return 0.5, true
	}
	r := slices.Max(s.c.HiddenDropout)
	return r, r > 0
}

func (s *overfitSummary) srivastavaTable() result.Table {
	c := s.c
	n := slices.Max(c.Sizes)
	t := result.Table{Name: "srivastava", Title: fmt.Sprintf("MNIST test error (%%): Srivastava et al. 2014 beside ours at n=%d, end of training", n),
		Columns: []string{"net", "Srivastava et al. 2014", "ours"},
		Note:    "Theirs: 60000 training images, nets of 1024 to 8192 units, long training; ours: the configuration of this run. Error = 100 - accuracy; mean [95% CI] over seeds."}
	errOf := func(v string, rate float64) string {
		if !slices.Contains(c.Variants, v) || !slices.Contains(c.HiddenDropout, rate) {
			return "not run"
		}
		e := metrics.MeanCI(s.collect(overfitKey{v, n, rate}, func(o overfitRun) float64 { return 100 * (1 - o.finalTest) }))
		return fmt.Sprintf("%s: %s", v, kit.FmtEstimate(e, 2))
	}
	var std []string
	for _, v := range c.Variants {
		std = append(std, errOf(v, 0))
	}
	rate, ok := s.srivastavaRate()
	sig, relu := "not run", "not run"
	if ok {
		sig, relu = errOf("sigmoid", rate), errOf("relu", rate)
	}
	t.Rows = [][]string{
		{"standard net, no dropout", kit.FmtFloat(srivastavaStandard, 2), strings.Join(std, "; ")},
		{fmt.Sprintf("dropout, logistic (ours: sigmoid, %s)", s.dropoutLabel(rate)), kit.FmtFloat(srivastavaDropoutSigmoid, 2), sig},
		{fmt.Sprintf("dropout, ReLU (ours: %s)", s.dropoutLabel(rate)), kit.FmtFloat(srivastavaDropoutReLU, 2), relu},
	}
	return t
}

// bandLine is the mean over seeds of one number per x, with its 95% CI.
func bandLine(label string, xs []float64, style int, values func(i int) []float64, scale float64) result.Line {
	ln := result.Line{Label: label, X: xs, Points: true, Style: style}
	for i := range xs {
		e := metrics.MeanCI(values(i))
		ln.Y, ln.Lo, ln.Hi = append(ln.Y, scale*e.Mean), append(ln.Lo, scale*e.Lo), append(ln.Hi, scale*e.Hi)
	}
	return ln
}

func (s *overfitSummary) sizeAxis() []float64 {
	xs := make([]float64, len(s.c.Sizes))
	for i, n := range s.c.Sizes {
		xs[i] = float64(n)
	}
	return xs
}

func (s *overfitSummary) gapBySizeFigure() result.Figure {
	c := s.c
	f := result.Figure{Name: "gap-by-size", Title: "Generalisation gap at the end of training, by training-set size",
		Caption: "Training minus test accuracy in percentage points, mean over seeds with 95% CI band, one panel per dropout setting. " +
			"Each size has its own budget of updates (see the notes)."}
	for _, hd := range c.HiddenDropout {
		pn := result.Panel{Kind: result.LinePanel, Title: s.dropoutLabel(hd), XLabel: "training examples", YLabel: "gap (percentage points)", LogX: true}
		for vi, v := range c.Variants {
			pn.Lines = append(pn.Lines, bandLine(v, s.sizeAxis(), vi, func(i int) []float64 {
				return s.collect(overfitKey{v, c.Sizes[i], hd}, finalGap)
			}, 100))
		}
		f.Panels = append(f.Panels, pn)
	}
	return f
}

func (s *overfitSummary) matchedFigure() result.Figure {
	c := s.c
	var levels []string
	for _, n := range c.Sizes {
		levels = append(levels, fmt.Sprintf("%d: %.3f", n, s.levels[overfitLevelKey{n, 0}]))
	}
	f := result.Figure{Name: "gap-at-matched-accuracy", Title: "Generalisation gap at equal training accuracy, by training-set size",
		Caption: "Each run's gap read where its training accuracy first reaches the level every run of that size and dropout setting reached; mean over seeds with 95% CI band. " +
			"Levels without dropout (size: level): " + strings.Join(levels, ", ") + "."}
	for _, hd := range c.HiddenDropout {
		pn := result.Panel{Kind: result.LinePanel, Title: s.dropoutLabel(hd), XLabel: "training examples", YLabel: "gap at matched accuracy (pp)", LogX: true}
		for vi, v := range c.Variants {
			pn.Lines = append(pn.Lines, bandLine(v, s.sizeAxis(), vi, func(i int) []float64 {
				return s.gapsAtLevel(overfitKey{v, c.Sizes[i], hd})
			}, 100))
		}
		f.Panels = append(f.Panels, pn)
	}
	return f
}

// learningCurves: one panel per size and dropout setting; test accuracy
// solid with its band, training accuracy dashed.
func (s *overfitSummary) learningCurves() result.Figure {
	c := s.c
	f := result.Figure{Name: "learning-curves", Title: "Learning curves: training (dashed) and test (solid) accuracy",
		Caption: "Mean over seeds at each checkpoint (log scale of epochs), test accuracy with its 95% CI band. Dashed lines are training accuracy, not predictions. " +
			"One row per dropout setting, one column per training-set size. The vertical axis starts near the lowest accuracy of the second half of training, where the gap is read; earlier points fall below it.",
		Columns: len(c.Sizes)}
	for _, hd := range c.HiddenDropout {
		for _, n := range c.Sizes {
			f.Panels = append(f.Panels, s.learningCurvePanel(n, hd))
		}
	}
	return f
}

// learningCurvePanel is one size and dropout setting: a test and a training
// line per activation with finite runs.
func (s *overfitSummary) learningCurvePanel(n int, hd float64) result.Panel {
	pn := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("n=%d, %s", n, s.dropoutLabel(hd)), XLabel: "epoch", YLabel: "accuracy", LogX: true}
	var lo float64 = 1
	for vi, v := range s.c.Variants {
		rs := s.finite(overfitKey{v, n, hd})
		if len(rs) == 0 {
			continue
		}
		test, train := learningCurveLines(v, vi, rs)
		pn.Lines = append(pn.Lines, test, train)
		// The y range starts at the lowest accuracy of the second
		// half of the curves, so that the end, where gaps are read,
		// is not squeezed by the start of training.
		for i := len(test.Y) / 2; i < len(test.Y); i++ {
			lo = math.Min(lo, math.Min(test.Y[i], train.Y[i]))
		}
	}
	pn.YMin, pn.YMax = math.Max(0, math.Floor(lo*20)/20-0.05), 1.005
	return pn
}

// learningCurveLines averages the finite runs rs of one activation over
// seeds at each checkpoint: test accuracy with its band, training accuracy
// dashed and without one.
func learningCurveLines(v string, style int, rs []overfitRun) (test, train result.Line) {
	// Every finite run of a configuration has the same checkpoints.
	cps := rs[0].res.Checkpoints
	var xs []float64
	for _, cp := range cps {
		xs = append(xs, cp.Epoch)
	}
	at := func(get func(overfitCheckpoint) float64) func(i int) []float64 {
		return func(i int) []float64 {
			var vals []float64
			for _, o := range rs {
				if i < len(o.res.Checkpoints) {
					vals = append(vals, get(o.res.Checkpoints[i]))
				}
			}
			return vals
		}
	}
	test = bandLine(v+" test", xs, style, at(func(cp overfitCheckpoint) float64 { return cp.TestAcc }), 1)
	train = bandLine(v+" train", xs, style, at(func(cp overfitCheckpoint) float64 { return cp.TrainAcc }), 1)
	train.Lo, train.Hi, train.Theory, train.Points, test.Points = nil, nil, true, false, false
	return test, train
}

// The statistics each verdict rule reads. The rules themselves, in
// verdicts.go, see only these structs.

// reluGapEvidence compares, without dropout and at each size's matched
// training accuracy, ReLU's gap with tanh's and sigmoid's.
func (s *overfitSummary) reluGapEvidence() reluGapEvidence {
	c := s.c
	var others []string
	for _, o := range []string{"tanh", "sigmoid"} {
		if slices.Contains(c.Variants, o) {
			others = append(others, o)
		}
	}
	if !slices.Contains(c.Variants, "relu") || len(others) == 0 || !slices.Contains(c.HiddenDropout, 0) {
		return reluGapEvidence{inapplicable: true}
	}
	var e reluGapEvidence
	for _, n := range c.Sizes {
		k := overfitKey{"relu", n, 0}
		at := reluGapAtSize{size: n, level: s.level(k)}
		for _, o := range others {
			d := pp(metrics.WelchDiffCI(s.gapsAtLevel(k), s.gapsAtLevel(overfitKey{o, n, 0})))
			at.versus = append(at.versus, gapDifference{other: o, diff: d})
		}
		e.sizes = append(e.sizes, at)
	}
	return e
}

// dropoutGapEvidence compares, for every activation, size and nonzero
// hidden rate, the final gap and test accuracy with dropout and without.
func (s *overfitSummary) dropoutGapEvidence() dropoutGapEvidence {
	c := s.c
	if !slices.Contains(c.HiddenDropout, 0) || slices.Max(c.HiddenDropout) == 0 {
		return dropoutGapEvidence{inapplicable: true}
	}
	var e dropoutGapEvidence
	for _, hd := range c.HiddenDropout {
		if hd == 0 {
			continue
		}
		for _, vr := range c.Variants {
			for _, n := range c.Sizes {
				on, off := overfitKey{vr, n, hd}, overfitKey{vr, n, 0}
				e.effects = append(e.effects, dropoutEffect{variant: vr, size: n, dropout: s.dropoutLabel(hd),
					gap:  pp(metrics.WelchDiffCI(s.collect(on, finalGap), s.collect(off, finalGap))),
					test: metrics.WelchDiffCI(s.collect(on, finalTest), s.collect(off, finalTest))})
			}
		}
	}
	return e
}

// dataGapEvidence compares, for every activation and dropout setting, the
// final gap at the largest size with that at the smallest.
func (s *overfitSummary) dataGapEvidence() dataGapEvidence {
	c := s.c
	e := dataGapEvidence{small: slices.Min(c.Sizes), large: slices.Max(c.Sizes)}
	if e.small == e.large {
		return e
	}
	for _, hd := range c.HiddenDropout {
		for _, vr := range c.Variants {
			a, b := s.collect(overfitKey{vr, e.large, hd}, finalGap), s.collect(overfitKey{vr, e.small, hd}, finalGap)
			e.settings = append(e.settings, dataGapSetting{variant: vr, dropout: s.dropoutLabel(hd),
				change:   pp(metrics.WelchDiffCI(a, b)),
				gapSmall: 100 * metrics.MeanCI(b).Mean, gapLarge: 100 * metrics.MeanCI(a).Mean})
		}
	}
	return e
}

// dropoutHelpsReluEvidence compares ReLU's final test accuracy with and
// without dropout at every size and nonzero rate, and gives its test error
// at the largest size beside Srivastava et al.'s.
func (s *overfitSummary) dropoutHelpsReluEvidence() dropoutHelpsReluEvidence {
	c := s.c
	if !slices.Contains(c.Variants, "relu") || !slices.Contains(c.HiddenDropout, 0) || slices.Max(c.HiddenDropout) == 0 {
		return dropoutHelpsReluEvidence{inapplicable: true}
	}
	var e dropoutHelpsReluEvidence
	for _, hd := range c.HiddenDropout {
		if hd == 0 {
			continue
		}
		for _, n := range c.Sizes {
			d := pp(metrics.WelchDiffCI(s.collect(overfitKey{"relu", n, hd}, finalTest), s.collect(overfitKey{"relu", n, 0}, finalTest)))
			e.effects = append(e.effects, reluDropoutEffect{size: n, dropout: s.dropoutLabel(hd), test: d})
		}
	}
	e.largest = slices.Max(c.Sizes)
	rate, _ := s.srivastavaRate()
	e.dropout = s.dropoutLabel(rate)
	e.errWithout = 100 * (1 - metrics.MeanCI(s.collect(overfitKey{"relu", e.largest, 0}, finalTest)).Mean)
	e.errWith = 100 * (1 - metrics.MeanCI(s.collect(overfitKey{"relu", e.largest, rate}, finalTest)).Mean)
	return e
}
