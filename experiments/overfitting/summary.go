package overfitting

import (
	"cmp"
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
	// s reads every run at MatchLevel: the tables, records and figures
	// of record. Each gap comparison is read at the highest level of the
	// ladder that nearly every finite run of both its arms reaches
	// (maxLevelMissShare), so that an
	// arm short of 0.99 moves only the comparisons it is in: drop for
	// dropout's (and C11's fit control), data for more data's, bare for
	// "ReLU overfits more".
	large := slices.Max(c.Sizes)
	s := newOverfitSummary(c, done, "", nil)
	drop := newOverfitSummary(c, done, fmt.Sprintf("relu and relu + dropout at n=%d", large), func(k armKey) bool { return k.variant == "relu" && k.size == large })
	data := newOverfitSummary(c, done, "relu without dropout at every size", func(k armKey) bool { return k.variant == "relu" && k.rate == 0 })
	bare := newOverfitSummary(c, done, "every arm without dropout", func(k armKey) bool { return k.rate == 0 })
	fallbacks := fallbackSummaries(c, drop, data, bare)
	res := &result.Result{}
	runTable, curves := s.records()
	res.Tables = append(res.Tables, s.finalTable(), s.fitTable(), s.matchedTable())
	for _, f := range fallbacks {
		res.Tables = append(res.Tables, f.matchedTable())
	}
	res.Tables = append(res.Tables, s.matchedLossTable(), s.srivastavaTable())
	res.Records = append(res.Records, runTable, curves)
	res.Figures = append(res.Figures, s.matchedFigure())
	for _, f := range fallbacks {
		res.Figures = append(res.Figures, f.matchedFigure())
	}
	res.Figures = append(res.Figures, s.testFigure(), s.learningCurves())
	res.Verdicts = append(res.Verdicts,
		shrinkVerdict(drop.shrinkEvidence(data)),
		reluGapVerdict(bare.reluGapEvidence(fallbacks...)),
		// C11's fit control asks the baseline alone to fit: the level
		// its own arm, without dropout, reaches.
		dropoutHelpsVerdict(data.dropoutHelpsEvidence()))
	res.Notes = append(res.Notes, s.notes()...)
	for _, r := range []*overfitSummary{drop, data, bare} {
		if note := r.levelNote(); note != "" && !slices.Contains(res.Notes, note) {
			res.Notes = append(res.Notes, note)
		}
	}
	return res, nil
}

// fitTable counts, per arm and size, the finite runs whose training
// accuracy reached each level of the ladder: what the choice of each
// comparison's level reads.
func (s *overfitSummary) fitTable() result.Table {
	c := s.c
	t := result.Table{Name: "fit-levels", Title: "Runs whose training accuracy reached each level, of the finite runs",
		Columns: []string{"arm", "size"},
		Note:    fmt.Sprintf("A comparison's gaps are read at the first level of the row, from the left, that %s of the finite runs of each of its arms reached (%s).", reachShare(), levelRule(c))}
	levels := ladder(c)
	for _, l := range levels {
		t.Columns = append(t.Columns, "reached "+kit.Ftoa(l))
	}
	for _, a := range s.arms() {
		for _, n := range c.Sizes {
			if !c.runsAt(a.variant, a.rate, n) {
				continue
			}
			row := []string{s.armLabel(a), kit.Itoa(n)}
			for _, l := range levels {
				reached, finite := 0, 0
				for _, o := range s.runs[armKey{a.variant, a.rate, n}] {
					if !o.present || o.diverged {
						continue
					}
					finite++
					// The crossing readOverfitRun reads a gap at.
					if _, ok := metrics.FirstCrossing(o.steps, o.train, l); ok {
						reached++
					}
				}
				row = append(row, fmt.Sprintf("%d/%d", reached, finite))
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// fallbackSummaries is one summary per level below MatchLevel that some
// rule's comparisons are read at, highest first: each gives its own
// matched table and figure.
func fallbackSummaries(c *Config, rs ...*overfitSummary) []*overfitSummary {
	var out []*overfitSummary
	for _, r := range rs {
		if r.level == c.MatchLevel || slices.ContainsFunc(out, func(o *overfitSummary) bool { return o.level == r.level }) {
			continue
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *overfitSummary) int { return cmp.Compare(b.level, a.level) })
	return out
}

// notes states the training budget, the pairing and how far these small
// nets are from Srivastava et al.'s, so that no one reads our error rates
// as theirs.
func (s *overfitSummary) notes() []string {
	c := s.c
	epochs := make([]string, len(c.Sizes))
	for i, n := range c.Sizes {
		epochs[i] = kit.FmtFloat(s.epochs(n, c.Steps[i]), 1)
	}
	notes := []string{
		fmt.Sprintf("Training budget: %s updates of %d examples for sizes %s, that is %s epochs, the same for every arm of a size without dropout; MLP %s, %s; He init for the ReLU family, Xavier for tanh and sigmoid.",
			joinInts(c.Steps), c.Batch, joinInts(c.Sizes), strings.Join(epochs, ", "), joinInts(c.Hidden), s.optimiserNote()),
		fmt.Sprintf("Paired seeds: the %d runs of seed s (every arm and size) share the initial weights and, at one size, the minibatch order; the dropout masks exist only in the dropout arm. Comparisons are means of per-seed differences.", len(s.runs)),
		fmt.Sprintf("Training accuracy is evaluated on the first %d examples of each training subset (all of it when smaller), validation accuracy on the last %d of %s's 60000 training images (never trained on), both in evaluation mode at every checkpoint; the %d test images are read only at the end, with the final weights and with those of the best validation checkpoint.", c.TrainEval, c.Validation, c.Dataset.Title(), c.TestExamples),
		fmt.Sprintf("The gap is training minus validation accuracy. Gaps are compared where training accuracy first reaches %.3g (interpolated between checkpoints); a run that never reaches it did not fit its training set and is counted, not averaged.%s", s.level, fallbackText(c)),
	}
	if len(c.DropoutSteps) > 0 && !slices.Equal(c.DropoutSteps, c.Steps) {
		notes = append(notes, fmt.Sprintf("The dropout arms have budgets of their own, %s updates for sizes %s: they fit their training set more slowly. Whether each arm levelled off within its budget is its late val gain (final table).",
			joinInts(c.DropoutSteps), joinInts(c.Sizes)))
	}
	if len(c.DropoutSizes) > 0 {
		notes = append(notes, fmt.Sprintf("The dropout arms run at sizes %s only: the verdicts read dropout at the largest size.", joinInts(c.DropoutSizes)))
	}
	if c.Optimizer == "adam" {
		notes = append(notes, "The optimiser was chosen by a pilot (described in the experiment's source): Adam at 0.001 fits ReLU, tanh and sigmoid nets at similar speeds, where SGD with momentum at one learning rate fits sigmoid several times more slowly.")
	}
	return append(notes, "Srivastava et al. 2014 trained much larger nets (1024 to 8192 units per layer, max-norm constraints, momentum SGD) on all 60000 images for far longer; `--profile paper` comes closer (docs/paper-profile.md). Nets smaller or trained for less reproduce directions, not their error rates.")
}

// optimiserNote describes the optimiser as the notes print it: "adam at
// learning rate 0.001", with momentum, decay and max-norm when used.
func (s *overfitSummary) optimiserNote() string {
	c := s.c
	out := fmt.Sprintf("%s at learning rate %g", c.Optimizer, c.LR)
	if c.Optimizer == "momentum" {
		out += fmt.Sprintf(" with momentum %g", c.Momentum)
	}
	if c.LRDecay != 1 {
		out += fmt.Sprintf(", multiplied by %g after every epoch", c.LRDecay)
	}
	if c.MaxNorm > 0 {
		out += fmt.Sprintf(", hidden units' incoming weights held within norm %g (max-norm)", c.MaxNorm)
	}
	return out
}

// armKey is one arm at one size.
type armKey struct {
	variant string
	rate    float64 // hidden dropout; 0 for none
	size    int
}

// arm is one arm: an activation with a hidden dropout rate (0: none).
type arm struct {
	variant string
	rate    float64
}

// arms lists the arms in the order of the configuration: each activation
// without dropout, followed by its dropout arms if it has any.
func (s *overfitSummary) arms() []arm {
	var out []arm
	for _, v := range s.c.Variants {
		for _, r := range s.c.armRates(v) {
			out = append(out, arm{v, r})
		}
	}
	return out
}

// rate is the hidden dropout rate the verdicts read: Srivastava et al.'s
// 0.5 if it was run, otherwise the largest; 0 if there is none.
func (s *overfitSummary) rate() float64 {
	rates := s.c.dropoutRates()
	switch {
	case len(rates) == 0:
		return 0
	case slices.Contains(rates, 0.5):
		return 0.5
	}
	return slices.Max(rates)
}

// overfitRun is one run, read: curves as slices and the numbers derived.
type overfitRun struct {
	present                        bool
	seed                           int
	steps, train, val              []float64
	finalTrain, finalVal, finalGap float64
	finalTest, bestTest            float64
	bestEpoch                      float64
	// gap at the matched level and the step where it was read; reached
	// is false for a run that never got there (censored).
	gapAt, stepAt float64
	reached       bool
	// lossGapAt is the gap where training loss first falls to the
	// configuration's MatchLoss (the second reading); lossReached is false
	// for a run whose loss never got there.
	lossGapAt   float64
	lossReached bool
	// lateGain is validation accuracy at the end minus at half the budget.
	lateGain float64
	diverged bool
	res      overfitResult
}

// readOverfitRun keeps a run's curves as slices, for reading them between
// checkpoints, beside the numbers the tables report.
func readOverfitRun(seed, budget int, level, lossLevel, perEpoch float64, r overfitResult) overfitRun {
	o := overfitRun{present: true, seed: seed, res: r, diverged: r.Diverged, gapAt: math.NaN(), stepAt: math.NaN(), lateGain: math.NaN(), lossGapAt: math.NaN(),
		finalTest: math.NaN(), bestTest: math.NaN(), finalTrain: math.NaN(), finalVal: math.NaN(), finalGap: math.NaN(), bestEpoch: math.NaN()}
	for _, c := range r.Checkpoints {
		o.steps = append(o.steps, float64(c.Step))
		o.train = append(o.train, c.TrainAcc)
		o.val = append(o.val, c.ValAcc)
	}
	if o.diverged || len(r.Checkpoints) == 0 {
		return o
	}
	last := r.Checkpoints[len(r.Checkpoints)-1]
	o.finalTrain, o.finalVal = last.TrainAcc, last.ValAcc
	o.finalGap = last.TrainAcc - last.ValAcc
	o.finalTest, o.bestTest = r.FinalTestAcc, r.BestTestAcc
	o.bestEpoch = float64(r.BestStep) / perEpoch
	if x, ok := metrics.FirstCrossing(o.steps, o.train, level); ok {
		o.reached, o.stepAt = true, x
		o.gapAt = level - metrics.InterpolateAt(o.steps, o.val, x)
	}
	o.lossGapAt, o.lossReached = gapAtLoss(o.steps, r.Checkpoints, lossLevel)
	return o.withLateGain(budget, last)
}

// gapAtLoss is the gap (training minus validation accuracy) where the
// training loss first falls to level, both accuracies interpolated between
// the checkpoints around the crossing; ok is false if it never does.
func gapAtLoss(steps []float64, cps []overfitCheckpoint, level float64) (gap float64, ok bool) {
	negLoss, gaps := make([]float64, len(cps)), make([]float64, len(cps))
	for i, c := range cps {
		negLoss[i], gaps[i] = -c.TrainLoss, c.TrainAcc-c.ValAcc
	}
	x, ok := metrics.FirstCrossing(steps, negLoss, -level)
	if !ok {
		return math.NaN(), false
	}
	return metrics.InterpolateAt(steps, gaps, x), true
}

// withLateGain sets the late gain: validation accuracy at the end minus at
// half the budget.
func (o overfitRun) withLateGain(budget int, last overfitCheckpoint) overfitRun {
	r := o.res
	for _, c := range r.Checkpoints {
		if c.Step == budget/2 {
			o.lateGain = last.ValAcc - c.ValAcc
		}
	}
	return o
}

// overfitSummary holds every run, read, by arm and size, indexed by seed.
type overfitSummary struct {
	c    *Config
	runs map[armKey][]overfitRun
	// level is the training accuracy the gaps are read at: MatchLevel,
	// or the fallback newOverfitSummary chose; short names the arms that
	// mostly never reached MatchLevel when a fallback was taken, or when
	// no level was reached by every arm.
	level float64
	short []string
	// judged names the arms whose fit chooses the level, and counts
	// says which they are.
	judged string
	counts func(armKey) bool
}

// newOverfitSummary reads every run at the highest level of the ladder
// that no arm counts accepts misses in more than maxLevelMissShare of its
// finite runs; with counts nil, or when no level qualifies, at MatchLevel.
func newOverfitSummary(c *Config, done []harness.Done[overfitCell, overfitResult], judged string, counts func(armKey) bool) *overfitSummary {
	s := &overfitSummary{c: c, judged: judged, counts: counts}
	if counts == nil {
		s.read(done, c.MatchLevel)
		return s
	}
	for i, level := range ladder(c) {
		s.read(done, level)
		short := s.unfitArms()
		if i == 0 {
			s.short = short
		}
		if len(short) == 0 {
			return s
		}
	}
	// No level was reached by every arm: the gaps are read at MatchLevel,
	// and the rules say which arms did not fit.
	s.read(done, c.MatchLevel)
	return s
}

// read reads every run with its gap at level.
func (s *overfitSummary) read(done []harness.Done[overfitCell, overfitResult], level float64) {
	c := s.c
	s.level, s.runs = level, map[armKey][]overfitRun{}
	for _, d := range done {
		p := d.Params
		k := armKey{p.Variant, p.HiddenDropout, p.Size}
		if s.runs[k] == nil {
			s.runs[k] = make([]overfitRun, c.Seeds)
		}
		if p.Seed < c.Seeds {
			s.runs[k][p.Seed] = readOverfitRun(p.Seed, p.Steps, level, c.MatchLoss, float64(kit.StepsPerEpoch(p.Size, p.Batch)), d.Result)
		}
	}
}

// unfitArms names, in a fixed order, the arms more than maxLevelMissShare
// of whose finite runs never reached the level the runs were read at.
func (s *overfitSummary) unfitArms() []string {
	var out []string
	for k := range s.runs {
		if !s.counts(k) {
			continue
		}
		h := s.health(k, true)
		if finite := h.runs - h.diverged; finite > 0 && float64(h.unfit) > maxLevelMissShare*float64(finite) {
			out = append(out, h.label)
		}
	}
	slices.Sort(out)
	return out
}

// levelName is a table's or figure's name, with the level after it when
// the level is a fallback.
func (s *overfitSummary) levelName(name string) string {
	if s.level == s.c.MatchLevel {
		return name
	}
	return name + "-at-" + kit.Ftoa(s.level)
}

// fallbackText says, after the matched level, how a comparison some of
// whose arms fall short of it is read; empty without fallbacks.
func fallbackText(c *Config) string {
	if len(c.MatchFallbacks) == 0 {
		return ""
	}
	return fmt.Sprintf(" A comparison with an arm more than %s of whose finite runs never reach it is read at the highest of %s that %s of the finite runs of each of its arms reach (the gaps are paired over the seeds where both arms reached the level, so nearly every pair is read, not the faster-fitting ones), and says so.", missShare(), levelList(ladder(c)[1:]), reachShare())
}

// prefixed is text after sep, or nothing when text is empty.
func prefixed(sep, text string) string {
	if text == "" {
		return ""
	}
	return sep + text
}

// missShare and reachShare put maxLevelMissShare in words: "20%" of the
// finite runs may miss a level, "at least 80%" must reach it.
func missShare() string  { return fmt.Sprintf("%g%%", 100*maxLevelMissShare) }
func reachShare() string { return fmt.Sprintf("at least %g%%", 100*(1-maxLevelMissShare)) }

// ladder is MatchLevel, then the fallbacks from the highest down.
func ladder(c *Config) []float64 {
	fb := slices.Clone(c.MatchFallbacks)
	slices.Sort(fb)
	slices.Reverse(fb)
	return append([]float64{c.MatchLevel}, fb...)
}

// levelRule is the matched level in a rule's words: MatchLevel, and with
// fallbacks how a comparison whose arms fall short of it is read.
func levelRule(c *Config) string {
	if len(c.MatchFallbacks) == 0 {
		return kit.Ftoa(c.MatchLevel)
	}
	return fmt.Sprintf("%g, or, for a comparison with an arm more than %s of whose finite runs never reach it, the highest of %s that %s of the finite runs of each of its arms reach", c.MatchLevel, missShare(), levelList(ladder(c)), reachShare())
}

// levelList is "0.99, 0.98, 0.95 and 0.9".
func levelList(levels []float64) string {
	parts := make([]string, len(levels))
	for i, l := range levels {
		parts[i] = kit.Ftoa(l)
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// levelNote says, when the gaps are not read at MatchLevel or no level was
// reached by every arm, which level they are read at and why; empty
// otherwise.
func (s *overfitSummary) levelNote() string {
	c := s.c
	if len(s.short) == 0 || len(c.MatchFallbacks) == 0 {
		return ""
	}
	list := levelList(ladder(c))
	if s.level == c.MatchLevel {
		return fmt.Sprintf("No level of %s was reached by %s of the finite runs of each of %s (more than %s of those of %s never reached %g), so the gaps are read at %g, over the seeds where both arms of a comparison reached it, and an arm most of whose runs never did counts as not fitted.", list, reachShare(), s.judged, missShare(), strings.Join(s.short, ", "), c.MatchLevel, c.MatchLevel)
	}
	return fmt.Sprintf("More than %s of the finite runs of %s never reached %g training accuracy, so the comparisons they are in are read at %g, the highest of %s that %s of the finite runs of each of %s reached; the level is chosen from training accuracy alone, before any gap is read. A gap at %g is read earlier in training than one at %g, before much of the overfitting, so it compares only with gaps read at the same level.",
		missShare(), strings.Join(s.short, ", "), c.MatchLevel, s.level, list, reachShare(), s.judged, s.level, c.MatchLevel)
}

// values reads one number per seed of k, NaN where the run is missing or
// diverged: the slices of two arms line up seed by seed for PairedDiff.
func (s *overfitSummary) values(k armKey, get func(overfitRun) float64) []float64 {
	out := make([]float64, s.c.Seeds)
	for i := range out {
		out[i] = math.NaN()
		if rs := s.runs[k]; i < len(rs) && rs[i].present && !rs[i].diverged {
			out[i] = get(rs[i])
		}
	}
	return out
}

// health counts k's runs, diverged runs and finite runs that never reached
// the matched level.
func (s *overfitSummary) health(k armKey, fitChecked bool) armHealth {
	h := armHealth{label: s.armSizeLabel(k), fitChecked: fitChecked}
	for _, o := range s.runs[k] {
		if !o.present {
			continue
		}
		h.runs++
		switch {
		case o.diverged:
			h.diverged++
		case !o.reached:
			h.unfit++
		}
	}
	return h
}

func gapPP(o overfitRun) float64      { return 100 * o.gapAt }
func lossGapPP(o overfitRun) float64  { return 100 * o.lossGapAt }
func finalGapPP(o overfitRun) float64 { return 100 * o.finalGap }
func bestTestPP(o overfitRun) float64 { return 100 * o.bestTest }
func lateGainPP(o overfitRun) float64 { return 100 * o.lateGain }

// dropoutLabel names a dropout setting as tables and verdicts print it: the
// input rate goes with every hidden rate above 0.
func (s *overfitSummary) dropoutLabel(rate float64) string {
	return fmt.Sprintf("dropout %g/%g", s.c.InputDropout, rate)
}

func (s *overfitSummary) armLabel(a arm) string {
	if a.rate > 0 {
		return a.variant + " + " + s.dropoutLabel(a.rate)
	}
	return a.variant
}

func (s *overfitSummary) armSizeLabel(k armKey) string {
	return fmt.Sprintf("%s n=%d", s.armLabel(arm{k.variant, k.rate}), k.size)
}

// setupLabel describes the run for the caveats: "MLPs 128-128 trained with
// adam at 0.001 on 500 and 2000 MNIST images".
func (s *overfitSummary) setupLabel() string {
	c := s.c
	sizes := joinInts(c.Sizes)
	if i := strings.LastIndex(sizes, ", "); i >= 0 {
		sizes = sizes[:i] + " and " + sizes[i+2:]
	}
	return fmt.Sprintf("MLPs %s trained with %s at %g on %s %s images", kit.WidthsLabel(c.Hidden), c.Optimizer, c.LR, sizes, c.Dataset.Title())
}

// epochs turns a budget of updates into passes over the training subset.
func (s *overfitSummary) epochs(size, steps int) float64 {
	return float64(steps) / float64(kit.StepsPerEpoch(size, s.c.Batch))
}

// stepsFor is the budget of a size.
func (s *overfitSummary) stepsFor(size int) int {
	return s.c.Steps[slices.Index(s.c.Sizes, size)]
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = kit.Itoa(x)
	}
	return strings.Join(parts, ", ")
}

// records: one row per run, and one per checkpoint.
func (s *overfitSummary) records() (result.Table, result.Table) {
	c := s.c
	runTable := result.Table{Name: "runs", Columns: []string{"variant", "size", "input_dropout", "hidden_dropout", "seed", "steps", "epochs",
		"final_train_acc", "final_val_acc", "final_gap", "final_test_acc", "best_val_step", "best_val_epoch", "test_acc_at_best_val",
		"matched_level", "reached_level", "gap_at_matched_level", "step_at_matched_level", "matched_loss", "reached_loss", "gap_at_matched_loss", "late_val_gain", "diverged", "diverged_step"}}
	curves := result.Table{Name: "curves", Columns: []string{"variant", "size", "input_dropout", "hidden_dropout", "seed", "step", "epoch",
		"train_loss", "train_acc", "val_loss", "val_acc", "gap"}}
	for _, a := range s.arms() {
		in, hd := 0.0, a.rate
		if a.rate > 0 {
			in = c.InputDropout
		}
		for _, n := range c.Sizes {
			for _, o := range s.runs[armKey{a.variant, a.rate, n}] {
				if !o.present {
					continue
				}
				common := []string{a.variant, kit.Itoa(n), kit.Ftoa(in), kit.Ftoa(hd), kit.Itoa(o.seed)}
				for _, cp := range o.res.Checkpoints {
					curves.Rows = append(curves.Rows, append(slices.Clone(common), kit.Itoa(cp.Step), kit.Ftoa(cp.Epoch),
						kit.Ftoa(cp.TrainLoss), kit.Ftoa(cp.TrainAcc), kit.Ftoa(cp.ValLoss), kit.Ftoa(cp.ValAcc), kit.Ftoa(cp.TrainAcc-cp.ValAcc)))
				}
				runTable.Rows = append(runTable.Rows, append(slices.Clone(common), kit.Itoa(o.res.Steps), kit.Ftoa(s.epochs(n, o.res.Steps)),
					kit.Ftoa(o.finalTrain), kit.Ftoa(o.finalVal), kit.Ftoa(o.finalGap), kit.Ftoa(o.finalTest), kit.Itoa(o.res.BestStep), kit.Ftoa(o.bestEpoch), kit.Ftoa(o.bestTest),
					kit.Ftoa(s.level), fmt.Sprint(o.reached), kit.Ftoa(o.gapAt), kit.Ftoa(o.stepAt),
					kit.Ftoa(c.MatchLoss), fmt.Sprint(o.lossReached), kit.Ftoa(o.lossGapAt), kit.Ftoa(o.lateGain), fmt.Sprint(o.diverged), kit.Itoa(o.res.DivergedStep)))
			}
		}
	}
	return runTable, curves
}

// fmtPP is a mean [95% CI] over the finite values of xs (already in pp).
func fmtPP(xs []float64) string { return kit.FmtEstimate(metrics.MeanCI(xs), 2) }

// fmtAcc is a mean [95% CI] of accuracies, the interval kept in [0, 1].
func fmtAcc(xs []float64) string { return kit.FmtEstimate(metrics.MeanCI(xs).Clamp(0, 1), 4) }

// runsNote counts k's runs and those left out.
func (h armHealth) runsNote() string {
	s := kit.Itoa(h.runs)
	if h.diverged > 0 {
		s += fmt.Sprintf(", %d diverged", h.diverged)
	}
	if h.unfit > 0 {
		s += fmt.Sprintf(", %d unfit", h.unfit)
	}
	return s
}

// finalTable: every arm and size at the end of training, with the test
// accuracy at the best validation checkpoint beside the final one.
func (s *overfitSummary) finalTable() result.Table {
	c := s.c
	t := result.Table{Name: "final", Title: "End of training: accuracy and generalisation gap, mean [95% CI] over seeds",
		Columns: []string{"arm", "size", "epochs", "runs", "train acc", "val acc", "gap (pp)", "test acc", "test acc at best val", "best val at epoch (median)", "late val gain (pp)"},
		Note: "Runs: how many were made, how many diverged (loss above 10 ln 10 or not finite: left out of every mean) and how many never reached " + kit.Ftoa(s.c.MatchLevel) + " training accuracy (unfit: counted here, left out of the gaps at that level; a comparison read at a lower level counts its own, in the fit-levels table). " +
			"The gap is training minus validation accuracy, in percentage points. Test accuracy at best val uses the weights of the checkpoint with the highest validation accuracy. " +
			"Late val gain: validation accuracy at the end minus at half the budget; above " + kit.FmtFloat(lateGainTolerance, 2) + " pp the arm was still learning when its budget ran out."}
	for _, a := range s.arms() {
		for i, n := range c.Sizes {
			if !c.runsAt(a.variant, a.rate, n) {
				continue
			}
			k := armKey{a.variant, a.rate, n}
			get := func(f func(overfitRun) float64) []float64 { return s.values(k, f) }
			t.Rows = append(t.Rows, []string{s.armLabel(a), kit.Itoa(n), kit.FmtFloat(s.epochs(n, c.stepsOf(i, a.rate > 0)), 1), s.health(k, true).runsNote(),
				fmtAcc(get(func(o overfitRun) float64 { return o.finalTrain })),
				fmtAcc(get(func(o overfitRun) float64 { return o.finalVal })),
				fmtPP(get(finalGapPP)),
				fmtAcc(get(func(o overfitRun) float64 { return o.finalTest })),
				fmtAcc(get(func(o overfitRun) float64 { return o.bestTest })),
				kit.FmtFloat(metrics.Median(finiteOnly(get(func(o overfitRun) float64 { return o.bestEpoch }))), 1),
				fmtPP(get(lateGainPP))})
		}
	}
	return t
}

// finiteOnly drops NaN and infinite values.
func finiteOnly(xs []float64) []float64 {
	var out []float64
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			out = append(out, x)
		}
	}
	return out
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

// reached counts k's finite runs that reached the matched level, of its
// finite runs.
func (s *overfitSummary) reachedNote(k armKey) string {
	h := s.health(k, true)
	return fmt.Sprintf(" (%d/%d)", h.runs-h.diverged-h.unfit, h.runs)
}

// matchedTable: the gaps the gap verdicts read and their paired
// differences, per size.
func (s *overfitSummary) matchedTable() result.Table {
	c := s.c
	t := result.Table{Name: s.levelName("matched"), Title: fmt.Sprintf("Generalisation gap at %.3g training accuracy (percentage points), mean [95%% CI] over seeds", s.level),
		Columns: []string{"size"},
		Note: "Each run's gap (training minus validation accuracy) is read where its training accuracy first reaches the level, validation accuracy interpolated between checkpoints; (k/n): runs that reached it, of those made. " +
			"The differences are paired: the mean of per-seed differences with its 95% CI, over the seeds where both arms reached the level."}
	if s.level != c.MatchLevel {
		t.Note += " " + s.levelNote() + " At this level only the comparisons over " + s.judged + " decide a verdict; the other columns are shown, not judged."
	}
	for _, a := range s.arms() {
		t.Columns = append(t.Columns, s.armLabel(a))
	}
	hasRelu := slices.Contains(c.Variants, "relu")
	if hasRelu {
		for _, v := range s.others() {
			t.Columns = append(t.Columns, "relu - "+v)
		}
	}
	for _, v := range c.dropoutVariants() {
		t.Columns = append(t.Columns, v+": none - dropout")
	}
	for _, n := range c.Sizes {
		row := []string{kit.Itoa(n)}
		for _, a := range s.arms() {
			k := armKey{a.variant, a.rate, n}
			if !c.runsAt(a.variant, a.rate, n) {
				row = append(row, notRun)
				continue
			}
			row = append(row, fmtPP(s.values(k, gapPP))+s.reachedNote(k))
		}
		if hasRelu {
			for _, v := range s.others() {
				p := metrics.PairedDiff(s.values(armKey{"relu", 0, n}, gapPP), s.values(armKey{v, 0, n}, gapPP))
				row = append(row, kit.FmtEstimate(p.Diff, 2))
			}
		}
		for _, v := range c.dropoutVariants() {
			if !c.runsAt(v, s.rate(), n) {
				row = append(row, notRun)
				continue
			}
			p := metrics.PairedDiff(s.values(armKey{v, 0, n}, gapPP), s.values(armKey{v, s.rate(), n}, gapPP))
			row = append(row, kit.FmtEstimate(p.Diff, 2))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// matchedLossTable: the second reading of "ReLU overfits more", the gaps
// of the arms without dropout where training loss first falls to MatchLoss.
func (s *overfitSummary) matchedLossTable() result.Table {
	c := s.c
	t := result.Table{Name: "matched-loss", Title: fmt.Sprintf("Generalisation gap at training loss %.3g (percentage points), mean [95%% CI] over seeds, without dropout", c.MatchLoss),
		Columns: []string{"size"},
		Note:    "The second reading of 'ReLU overfits more' (it decides nothing; see the verdict): each run's gap (training minus validation accuracy) where its training loss first falls to the level, interpolated between checkpoints; (k/n): runs whose loss got there, of those made. Differences are paired over the seeds where both arms got there."}
	for _, v := range c.Variants {
		t.Columns = append(t.Columns, v)
	}
	hasRelu := slices.Contains(c.Variants, "relu")
	if hasRelu {
		for _, v := range s.others() {
			t.Columns = append(t.Columns, "relu - "+v)
		}
	}
	for _, n := range c.Sizes {
		row := []string{kit.Itoa(n)}
		for _, v := range c.Variants {
			k := armKey{v, 0, n}
			h := s.lossHealth(k)
			row = append(row, fmtPP(s.values(k, lossGapPP))+fmt.Sprintf(" (%d/%d)", h.runs-h.diverged-h.unfit, h.runs))
		}
		if hasRelu {
			for _, v := range s.others() {
				p := metrics.PairedDiff(s.values(armKey{"relu", 0, n}, lossGapPP), s.values(armKey{v, 0, n}, lossGapPP))
				row = append(row, kit.FmtEstimate(p.Diff, 2))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// notRun fills a table cell of an arm the configuration does not run at
// that size.
const notRun = "not run"

// Srivastava et al. 2014, Table 2, MNIST test error (%).
const (
	srivastavaStandard       = 1.60
	srivastavaDropoutSigmoid = 1.35
	srivastavaDropoutReLU    = 1.25
)

func (s *overfitSummary) srivastavaTable() result.Table {
	c := s.c
	n := slices.Max(c.Sizes)
	title := fmt.Sprintf("MNIST test error (%%): Srivastava et al. 2014 beside ours at n=%d, best validation checkpoint", n)
	if !c.Dataset.IsZero() {
		title = fmt.Sprintf("Test error (%%): Srivastava et al. 2014 on MNIST beside ours on %s at n=%d, best validation checkpoint", c.Dataset.Title(), n)
	}
	t := result.Table{Name: "srivastava", Title: title,
		Columns: []string{"net", "Srivastava et al. 2014", "ours"},
		Note:    fmt.Sprintf("Theirs: all 60000 training images, nets of 1024 to 8192 units, max-norm, long training; ours: %d images, the configuration of this run. Error = 100 - accuracy; mean [95%% CI] over seeds.", n)}
	errOf := func(v string, rate float64) string {
		if !slices.Contains(c.Variants, v) || !c.runsAt(v, rate, n) {
			return notRun
		}
		e := metrics.MeanCI(s.values(armKey{v, rate, n}, func(o overfitRun) float64 { return 100 * (1 - o.bestTest) }))
		return fmt.Sprintf("%s: %s", v, kit.FmtEstimate(e, 2))
	}
	var std []string
	for _, v := range c.Variants {
		std = append(std, errOf(v, 0))
	}
	t.Rows = [][]string{
		{"standard net, no dropout", kit.FmtFloat(srivastavaStandard, 2), strings.Join(std, "; ")},
		{"dropout, logistic (ours: sigmoid, " + s.dropoutLabel(s.rate()) + ")", kit.FmtFloat(srivastavaDropoutSigmoid, 2), errOf("sigmoid", s.rate())},
		{"dropout, ReLU (ours: " + s.dropoutLabel(s.rate()) + ")", kit.FmtFloat(srivastavaDropoutReLU, 2), errOf("relu", s.rate())},
	}
	return t
}

// bandLine is the mean over seeds of one number per x, with its 95% CI
// clamped to [lo, hi] (the range the number can take).
func bandLine(label string, xs []float64, style int, values func(i int) []float64, lo, hi float64) result.Line {
	ln := result.Line{Label: label, X: xs, Points: true, Style: style}
	for i := range xs {
		e := metrics.MeanCI(values(i)).Clamp(lo, hi)
		ln.Y, ln.Lo, ln.Hi = append(ln.Y, e.Mean), append(ln.Lo, e.Lo), append(ln.Hi, e.Hi)
	}
	return ln
}

// apart puts a NaN between every two points of ln, so that each size is
// drawn as a point with its 95% CI as a bar and no line joins sizes that
// were not measured in between.
func apart(ln result.Line) result.Line {
	out := ln
	out.X, out.Y, out.Lo, out.Hi = nil, nil, nil, nil
	for i := range ln.X {
		if i > 0 {
			out.X, out.Y = append(out.X, math.NaN()), append(out.Y, math.NaN())
			out.Lo, out.Hi = append(out.Lo, math.NaN()), append(out.Hi, math.NaN())
		}
		out.X, out.Y = append(out.X, ln.X[i]), append(out.Y, ln.Y[i])
		out.Lo, out.Hi = append(out.Lo, ln.Lo[i]), append(out.Hi, ln.Hi[i])
	}
	return out
}

func (s *overfitSummary) sizeAxis() []float64 {
	xs := make([]float64, len(s.c.Sizes))
	for i, n := range s.c.Sizes {
		xs[i] = float64(n)
	}
	return xs
}

// leftOutLabel marks, in the by-size figures, a mean that left runs out;
// noneLabel a size at which an arm has no run to average (drawn on a band
// below every value, not as a value).
const (
	leftOutLabel = "runs left out (diverged or unfit; see the tables)"
	noneLabel    = "no run to average (all diverged or unfit)"
)

// bySizePanel draws one number per arm against the training-set size, with
// a marker on every mean that left runs out and one at the bottom for a
// size where no run is left. unfitMatters says whether runs that never
// reached the level are left out too.
func (s *overfitSummary) bySizePanel(ylabel string, get func(overfitRun) float64, unfitMatters bool, lo, hi float64) result.Panel {
	pn := result.Panel{Kind: result.LinePanel, XLabel: "training examples", YLabel: ylabel, LogX: true}
	bottom, top := math.Inf(1), math.Inf(-1)
	var empty []result.Marker
	for ai, a := range s.arms() {
		ln := bandLine(s.armLabel(a), s.sizeAxis(), ai, func(i int) []float64 {
			return s.values(armKey{a.variant, a.rate, s.c.Sizes[i]}, get)
		}, lo, hi)
		pn.Lines = append(pn.Lines, apart(ln))
		for i, n := range s.c.Sizes {
			if !s.c.runsAt(a.variant, a.rate, n) {
				continue
			}
			h := s.health(armKey{a.variant, a.rate, n}, true)
			switch {
			case math.IsNaN(ln.Y[i]):
				empty = append(empty, result.Marker{Label: noneLabel, X: float64(n), Style: ai})
			case h.diverged > 0 || (unfitMatters && h.unfit > 0):
				// Placed above the mean's interval (Y set below, once the
				// axis is known), so that it does not hide the arm's own
				// point.
				pn.Markers = append(pn.Markers, result.Marker{Label: leftOutLabel, X: float64(n), Y: top95(ln, i), Style: ai})
			}
			for _, y := range []float64{ln.Y[i], ln.Lo[i], ln.Hi[i]} {
				if !math.IsNaN(y) {
					bottom, top = math.Min(bottom, y), math.Max(top, y)
				}
			}
		}
	}
	if math.IsInf(bottom, 1) {
		bottom, top = 0, 1
	}
	// The axis leaves a margin so that no value sits on its edge.
	pad := 0.06 * (top - bottom)
	if pad == 0 {
		pad = 0.05 * math.Max(math.Abs(top), 1)
	}
	pn.YMin, pn.YMax = bottom-pad, top+pad/2
	// A left-out marker sits a little above its mean's interval; the axis
	// grows to hold it.
	for i := range pn.Markers {
		pn.Markers[i].Y += pad / 2
		pn.YMax = math.Max(pn.YMax, pn.Markers[i].Y+pad/2)
	}
	// "No run" markers move sideways with their arm, then go on a grey
	// band of their own below the data, apart from every value.
	pn.Markers = append(pn.Markers, empty...)
	dodge(&pn)
	if len(empty) > 0 {
		var none []result.Marker
		kept := pn.Markers[:0]
		for _, m := range pn.Markers {
			if m.Label == noneLabel {
				none = append(none, m)
			} else {
				kept = append(kept, m)
			}
		}
		pn.Markers = kept
		xs := s.sizeAxis()
		kit.NoValueBand(&pn, none, slices.Min(xs)/1.1, slices.Max(xs)*1.1, bottom, top, false)
	}
	return pn
}

// top95 is the upper end of a line's interval at i, or its value where it
// has no interval.
func top95(ln result.Line, i int) float64 {
	if i < len(ln.Hi) && !math.IsNaN(ln.Hi[i]) {
		return ln.Hi[i]
	}
	return ln.Y[i]
}

// dodge spreads the arms' points at one size a little sideways (by up to
// about 5% on the log axis), so that arms with the same value at the same
// size do not hide one another; markers move with their arm.
func dodge(pn *result.Panel) {
	n := len(pn.Lines)
	if n < 2 {
		return
	}
	factor := func(style int) float64 {
		return math.Pow(1.1, (float64(style)-float64(n-1)/2)/float64(n-1))
	}
	for i := range pn.Lines {
		ln := &pn.Lines[i]
		xs := make([]float64, len(ln.X))
		for k, x := range ln.X {
			xs[k] = x * factor(ln.Style)
		}
		ln.X = xs
	}
	for i := range pn.Markers {
		pn.Markers[i].X *= factor(pn.Markers[i].Style)
	}
}

// dropoutSizesWords says, for a figure's caption, at which sizes the
// dropout arms were not run (so a size without them is not read as runs
// lost), empty when they ran at every size.
func (c *Config) dropoutSizesWords() string {
	var missing []int
	for _, n := range c.Sizes {
		for _, v := range c.dropoutVariants() {
			for _, r := range c.armRates(v) {
				if !c.runsAt(v, r, n) && !slices.Contains(missing, n) {
					missing = append(missing, n)
				}
			}
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf(" The dropout arms were not run at n=%s (they run at n=%s only), so no dropout point or curve is drawn there: nothing was left out.", joinInts(missing), joinInts(c.DropoutSizes))
}

func (s *overfitSummary) matchedFigure() result.Figure {
	f := result.Figure{Name: s.levelName("gap-at-matched-accuracy"), Title: fmt.Sprintf("Gap at %.3g training accuracy, by training-set size", s.level),
		Caption: fmt.Sprintf("Each run's gap (training minus validation accuracy, percentage points) read where its training accuracy first reaches %.3g; mean over seeds, with its 95%% CI as a vertical bar; no line joins the sizes, which were not measured in between. "+
			"Runs that diverged or never reached the level are left out of the mean and counted in the tables; a marker just above a mean (and its interval) says it left runs out, one on the grey band below the data that no run was left to average. The arms at one size are spread slightly sideways so that none hides another. The vertical axis spans the data; it does not start at 0. Each size has its own budget of updates (see the notes).%s", s.level, prefixed(" ", s.levelNote())) + s.c.dropoutSizesWords()}
	f.Panels = append(f.Panels, s.bySizePanel("gap at matched training accuracy (pp)", gapPP, true, math.Inf(-1), math.Inf(1)))
	return f
}

func (s *overfitSummary) testFigure() result.Figure {
	f := result.Figure{Name: "test-accuracy", Title: "Test accuracy at the best validation checkpoint, by size",
		Caption: "Test accuracy with the weights of each run's best validation checkpoint; mean over seeds, with its 95% CI as a vertical bar (kept within [0, 1]); no line joins the sizes, which were not measured in between. " +
			"Diverged runs are left out and counted in the tables; a marker just above a mean (and its interval) says it left runs out, one on the grey band below the data that no run was left to average. The arms at one size are spread slightly sideways so that none hides another. The vertical axis spans the data; it does not start at 0." + s.c.dropoutSizesWords()}
	f.Panels = append(f.Panels, s.bySizePanel("test accuracy", func(o overfitRun) float64 { return o.bestTest }, false, 0, 1))
	return f
}

// stillRisingLabel marks the end of a held-out curve that had not levelled
// off.
const stillRisingLabel = "end of budget, validation accuracy still rising"

// learningCurves: one row for the activations without dropout, one per
// dropout variant (with and without dropout); one column per size.
func (s *overfitSummary) learningCurves() result.Figure {
	c := s.c
	var rising []string
	f := result.Figure{Name: "learning-curves", Title: "Learning curves: training (dashed) and validation (solid) accuracy",
		Columns: len(c.Sizes)}
	var plain []arm
	for _, v := range c.Variants {
		plain = append(plain, arm{v, 0})
	}
	rows := [][]arm{plain}
	for _, v := range c.dropoutVariants() {
		row := []arm{}
		for _, r := range c.armRates(v) {
			row = append(row, arm{v, r})
		}
		rows = append(rows, row)
	}
	for ri, arms := range rows {
		for _, n := range c.Sizes {
			title := fmt.Sprintf("n=%d, no dropout", n)
			if ri > 0 {
				title = fmt.Sprintf("n=%d, %s with and without dropout", n, arms[0].variant)
				if !c.runsAt(arms[0].variant, arms[len(arms)-1].rate, n) {
					title = fmt.Sprintf("n=%d, %s (dropout not run at this size)", n, arms[0].variant)
				}
			}
			pn, r := s.learningCurvePanel(title, n, arms)
			f.Panels = append(f.Panels, pn)
			rising = append(rising, r...)
		}
	}
	slices.Sort(rising)
	rising = slices.Compact(rising)
	still := "Every arm's mean validation accuracy had levelled off (it rose by at most " + kit.FmtFloat(lateGainTolerance, 2) + " pp over the second half of the budget)."
	if len(rising) > 0 {
		still = fmt.Sprintf("Not converged: %s still gained more than %s pp of validation accuracy over the second half of the budget; their last checkpoint is marked.", strings.Join(rising, ", "), kit.FmtFloat(lateGainTolerance, 2))
	}
	f.Caption = "Mean over seeds at each checkpoint (log scale of epochs, from the first checkpoint after step 0), validation accuracy with its 95% CI band (within [0, 1]); dashed lines are training accuracy, not predictions. " +
		"The vertical axis spans every plotted point. Diverged runs are left out of the means; each is marked where it diverged. " + still + c.dropoutSizesWords()
	return f
}

// learningCurvePanel is one size and a set of arms: a validation and a
// training line per arm with finite runs. It returns the labels of the arms
// still rising at the end of their budget.
func (s *overfitSummary) learningCurvePanel(title string, n int, arms []arm) (result.Panel, []string) {
	pn := result.Panel{Kind: result.LinePanel, Title: title, XLabel: "epoch", YLabel: "accuracy", LogX: true}
	lo := 1.0
	var rising []string
	for _, a := range arms {
		if !s.c.runsAt(a.variant, a.rate, n) {
			continue
		}
		style := slices.IndexFunc(s.arms(), func(b arm) bool { return b == a })
		k := armKey{a.variant, a.rate, n}
		var rs []overfitRun
		for _, o := range s.runs[k] {
			if o.present && !o.diverged {
				rs = append(rs, o)
			}
			if o.present && o.diverged {
				x, y := 0.0, math.NaN()
				if cps := o.res.Checkpoints; len(cps) > 0 {
					x, y = cps[len(cps)-1].Epoch, cps[len(cps)-1].ValAcc
				}
				x = math.Max(x, float64(o.res.DivergedStep)/float64(kit.StepsPerEpoch(n, s.c.Batch)))
				pn.Markers = append(pn.Markers, result.Marker{Label: "diverged", X: x, Y: y, Style: style})
			}
		}
		if len(rs) == 0 {
			continue
		}
		val, train := learningCurveLines(s.armLabel(a), style, rs)
		pn.Lines = append(pn.Lines, val, train)
		for i := 1; i < len(val.Y); i++ { // step 0 is not on the log axis
			lo = math.Min(lo, math.Min(math.Min(val.Y[i], val.Lo[i]), train.Y[i]))
		}
		if g := metrics.MeanCI(s.values(k, lateGainPP)); !(g.Mean <= lateGainTolerance) {
			rising = append(rising, s.armSizeLabel(k))
			last := len(val.Y) - 1
			pn.Markers = append(pn.Markers, result.Marker{Label: stillRisingLabel, X: val.X[last], Y: val.Y[last], Style: style})
		}
	}
	for i := range pn.Markers {
		if math.IsNaN(pn.Markers[i].Y) {
			pn.Markers[i].Y = lo
		}
	}
	pn.YMin, pn.YMax = math.Max(0, math.Floor(lo*20)/20), 1.005
	return pn, rising
}

// learningCurveLines averages the finite runs rs of one arm over seeds at
// each checkpoint: validation accuracy with its band, training accuracy
// dashed and without one.
func learningCurveLines(label string, style int, rs []overfitRun) (val, train result.Line) {
	// Every finite run of an arm has the same checkpoints.
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
	val = bandLine(label+" val", xs, style, at(func(cp overfitCheckpoint) float64 { return cp.ValAcc }), 0, 1)
	train = bandLine(label+" train", xs, style, at(func(cp overfitCheckpoint) float64 { return cp.TrainAcc }), 0, 1)
	train.Lo, train.Hi, train.Theory, train.Points, val.Points = nil, nil, true, false, false
	return val, train
}

// The statistics each verdict rule reads. The rules themselves, in
// verdicts.go, see only these structs.

// shrinkEvidence: dropout's and more data's effect on ReLU's gap at the
// matched level.
func (s *overfitSummary) shrinkEvidence(data *overfitSummary) shrinkEvidence {
	c := s.c
	e := shrinkEvidence{levelRule: levelRule(c), levelNote: strings.TrimSpace(s.levelNote() + " " + data.levelNote()), setup: s.setupLabel(), large: slices.Max(c.Sizes)}
	switch {
	case !slices.Contains(c.Variants, "relu"):
		e.inapplicable = "the configuration has no relu runs, so the rule cannot be applied."
		return e
	case !slices.Contains(c.dropoutVariants(), "relu"):
		e.inapplicable = "relu is not among the dropout variants, so dropout's effect cannot be compared."
		return e
	case len(c.Sizes) < 2:
		e.inapplicable = "only one training-set size was run, so the effect of more data cannot be compared."
		return e
	}
	small, large := slices.Min(c.Sizes), slices.Max(c.Sizes)
	e.dropout = s.dropoutGapComparison("relu", large)
	none := func(n int) armKey { return armKey{"relu", 0, n} }
	e.data = comparison{name: fmt.Sprintf("relu gap at %.3g training accuracy, n=%d minus n=%d", data.level, small, large), level: data.level,
		p:    metrics.PairedDiff(data.values(none(small), gapPP), data.values(none(large), gapPP)),
		arms: []armHealth{data.health(none(small), true), data.health(none(large), true)}}
	for _, n := range c.Sizes {
		if n != large && c.runsAt("relu", s.rate(), n) {
			e.extra = append(e.extra, effectEvidence(s.dropoutGapComparison("relu", n)))
		}
	}
	// Dropout's effect on the other activations' gaps, so that "dropout
	// shrinks overfitting" can be told apart from "dropout shrinks ReLU's".
	for _, v := range c.dropoutVariants() {
		if v != "relu" && c.runsAt(v, s.rate(), large) {
			e.extra = append(e.extra, effectEvidence(s.dropoutGapComparison(v, large)))
		}
	}
	for _, n := range c.Sizes {
		if !c.runsAt("relu", s.rate(), n) {
			continue
		}
		p := metrics.PairedDiff(s.values(armKey{"relu", s.rate(), n}, bestTestPP), s.values(none(n), bestTestPP))
		e.extra = append(e.extra, result.Evidence{Name: fmt.Sprintf("relu n=%d: test accuracy at best validation checkpoint, with %s minus without", n, s.dropoutLabel(s.rate())), Estimate: p.Diff, Unit: "pp"})
	}
	return e
}

// dropoutGapComparison is v's gap without dropout minus with it at size n,
// both arms required to fit.
func (s *overfitSummary) dropoutGapComparison(v string, n int) comparison {
	off, on := armKey{v, 0, n}, armKey{v, s.rate(), n}
	return comparison{name: fmt.Sprintf("%s n=%d: gap at %.3g training accuracy, no dropout minus %s", v, n, s.level, s.dropoutLabel(s.rate())), level: s.level,
		p:    metrics.PairedDiff(s.values(off, gapPP), s.values(on, gapPP)),
		arms: []armHealth{s.health(off, true), s.health(on, true)}}
}

// reluGapEvidence: ReLU's gap minus each other activation's, without
// dropout, per seed averaged over the sizes; also read at the level of
// each of others (the run's fallback summaries) that is not s's own.
func (s *overfitSummary) reluGapEvidence(others ...*overfitSummary) reluGapEvidence {
	c := s.c
	e := reluGapEvidence{level: s.level, levelRule: levelRule(c), levelNote: s.levelNote(), setup: s.setupLabel()}
	if !slices.Contains(c.Variants, "relu") || len(s.others()) == 0 {
		e.inapplicable = "the configuration needs relu and at least one other activation, so the rule cannot be applied."
		return e
	}
	e.lossLevel = c.MatchLoss
	for _, v := range s.others() {
		e.versus = append(e.versus, s.gapVersus(v, &e.extra))
		e.versusLoss = append(e.versusLoss, s.reluVersus(v, lossGapPP, fmt.Sprintf("training loss %.3g", c.MatchLoss), s.lossHealth, &e.extra))
	}
	for _, o := range others {
		if o.level == s.level {
			continue
		}
		r := levelReading{level: o.level}
		for _, v := range o.others() {
			r.versus = append(r.versus, o.gapVersus(v, nil))
		}
		e.alsoAt = append(e.alsoAt, r)
	}
	return e
}

// gapVersus is ReLU's gap minus v's at the level s reads, per seed
// averaged over the sizes (reluVersus).
func (s *overfitSummary) gapVersus(v string, extra *[]result.Evidence) comparison {
	return s.reluVersus(v, gapPP, fmt.Sprintf("%.3g training accuracy", s.level), func(k armKey) armHealth { return s.health(k, true) }, extra)
}

// reluVersus is ReLU's gap minus v's, read by get, per seed averaged over
// the sizes; the per-size differences go to extra, when it is not nil.
func (s *overfitSummary) reluVersus(v string, get func(overfitRun) float64, at string, health func(armKey) armHealth, extra *[]result.Evidence) comparison {
	c := s.c
	sum := make([]float64, c.Seeds)
	var arms []armHealth
	for _, n := range c.Sizes {
		r, o := s.values(armKey{"relu", 0, n}, get), s.values(armKey{v, 0, n}, get)
		for i := range sum {
			sum[i] += r[i] - o[i] // NaN for a seed missing at any size
		}
		arms = append(arms, health(armKey{"relu", 0, n}), health(armKey{v, 0, n}))
		if extra != nil {
			p := metrics.PairedDiff(r, o)
			*extra = append(*extra, result.Evidence{Name: fmt.Sprintf("n=%d: relu gap minus %s gap at %s", n, v, at), Estimate: p.Diff, Unit: "pp"})
		}
	}
	for i := range sum {
		sum[i] /= float64(len(c.Sizes))
	}
	return comparison{name: fmt.Sprintf("relu gap minus %s gap at %s, mean over sizes %s", v, at, joinInts(c.Sizes)),
		p: metrics.OneSample(sum), arms: arms}
}

// lossHealth is health with "unfit" meaning that the training loss never
// fell to MatchLoss.
func (s *overfitSummary) lossHealth(k armKey) armHealth {
	h := armHealth{label: s.armSizeLabel(k), fitChecked: true}
	for _, o := range s.runs[k] {
		if !o.present {
			continue
		}
		h.runs++
		switch {
		case o.diverged:
			h.diverged++
		case !o.lossReached:
			h.unfit++
		}
	}
	return h
}

// dropoutHelpsEvidence: ReLU's test accuracy at the best validation
// checkpoint with dropout minus without, at the largest size.
func (s *overfitSummary) dropoutHelpsEvidence() dropoutHelpsEvidence {
	c := s.c
	e := dropoutHelpsEvidence{level: s.level, setup: s.setupLabel(), size: slices.Max(c.Sizes)}
	if !slices.Contains(c.dropoutVariants(), "relu") {
		e.inapplicable = "relu is not among the dropout variants, so the rule cannot be applied."
		return e
	}
	off, on := armKey{"relu", 0, e.size}, armKey{"relu", s.rate(), e.size}
	e.gain = comparison{name: fmt.Sprintf("relu test accuracy at the best validation checkpoint, %s minus none", s.dropoutLabel(s.rate())),
		p:    metrics.PairedDiff(s.values(on, bestTestPP), s.values(off, bestTestPP)),
		arms: []armHealth{s.health(off, true), s.health(on, false)}}
	e.lateGain = metrics.MeanCI(s.values(on, lateGainPP))
	errOf := func(k armKey) float64 {
		return 100 - metrics.MeanCI(s.values(k, bestTestPP)).Mean
	}
	e.errWithout, e.errWith = errOf(off), errOf(on)
	for _, v := range c.dropoutVariants() {
		if v != "relu" && c.runsAt(v, s.rate(), e.size) {
			p := metrics.PairedDiff(s.values(armKey{v, s.rate(), e.size}, bestTestPP), s.values(armKey{v, 0, e.size}, bestTestPP))
			e.extra = append(e.extra, result.Evidence{Name: fmt.Sprintf("n=%d: %s test accuracy at the best validation checkpoint, %s minus none", e.size, v, s.dropoutLabel(s.rate())), Estimate: p.Diff, Unit: "pp"})
		}
	}
	for _, n := range c.Sizes {
		if n != e.size && c.runsAt("relu", s.rate(), n) {
			p := metrics.PairedDiff(s.values(armKey{"relu", s.rate(), n}, bestTestPP), s.values(armKey{"relu", 0, n}, bestTestPP))
			e.extra = append(e.extra, result.Evidence{Name: fmt.Sprintf("n=%d: relu test accuracy at the best validation checkpoint, %s minus none", n, s.dropoutLabel(s.rate())), Estimate: p.Diff, Unit: "pp"})
		}
	}
	return e
}
