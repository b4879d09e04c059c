package overfitting

import (
	"fmt"
	"math"
	"strings"

	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// Every rule here reads paired comparisons: per-seed differences between
// two arms that share their initial weights and minibatch order, in
// percentage points (pp), signed so that the claim predicts a difference
// above the margin. kit.Superiority decides each: CONFIRMED when the 95%
// interval lies above the margin, REFUTED when it lies below it (any effect
// is smaller than matters), INCONCLUSIVE otherwise. Before that, controls
// can make a comparison INCONCLUSIVE: an arm whose runs mostly diverged or
// mostly never fitted their training set, too few complete pairs, or a
// zero-width interval.

// The margins: the smallest differences that matter for these claims.
const (
	// gapMargin (pp) is the smallest change in the generalisation gap that
	// counts as shrinking or widening overfitting: gaps here are 5 to 15
	// points, and an accuracy measured on the 5000 validation images has a
	// sampling error of about 0.4 points near 91%, so a smaller change could
	// come from which images happen to be held out.
	gapMargin = 0.5
	// gapMarginReason is gapMargin's reason, as the verdicts state it.
	gapMarginReason = "a smaller difference in the gap is within the sampling error of an accuracy measured on 5000 validation images (about 0.4 points near MNIST's 91%, 0.5 near Fashion-MNIST's 87%)"
	// testMargin (pp) is the smallest gain in test accuracy that counts as
	// dropout helping: Srivastava et al. 2014's dropout gain on MNIST was
	// 0.35 points (1.60% to 1.25% error); a gain below a quarter point
	// would not reproduce it.
	testMargin = 0.25
	// testMarginReason is testMargin's reason, as the verdict states it.
	testMarginReason = "a gain below a quarter point would not reproduce Srivastava et al.'s 0.35-point dropout gain on MNIST"
	// lateGainTolerance (pp): an arm whose mean validation accuracy still
	// rose by more than this over the second half of its budget had not
	// levelled off, so "dropout does not help" could change with more
	// training. It equals testMargin: a later gain smaller than the
	// smallest gain that matters cannot turn the verdict.
	lateGainTolerance = testMargin
	// maxUnfitShare: an arm in which more than this share of the finite
	// runs never reached the matched training accuracy did not fit its
	// training set; its gap would measure under-fitting, not overfitting.
	// Half, like kit.MaxDivergedShare: past it the runs that did fit are a
	// minority selected by luck.
	maxUnfitShare = 0.5
	// maxLevelMissShare: a comparison's gaps are read at the highest
	// level of the ladder that at most this share of the finite runs of
	// each of its arms never reach. The gaps are paired over the seeds at
	// which both arms reached the level, so a level that half the runs
	// miss would compare the faster-fitting half of the seeds, a subset
	// the training chose; at a fifth (the share of seeds without a value
	// zerocentered's rules tolerate) nearly every pair is read.
	maxLevelMissShare = 0.2
	// zeroWidth: a standard deviation of the per-seed differences below
	// this (relative to their mean) is rounding, not spread: every seed
	// gave the same difference.
	zeroWidth = 1e-12
)

// Caveats: what each setup cannot show. setup describes the nets, the
// optimiser and the training-set sizes of the run (see setupLabel).

// oneRate says how the learning rate was set: one rate for every arm, from
// a pilot (see the optimiser note in overfitting.go), not chosen per arm
// on validation images as the other experiments' rates are.
const oneRate = "one learning rate for every arm, set by a pilot (Adam's default, which fitted the three activations within a few points of each other) and not chosen per arm on validation images"

func caveatShrink(setup string, large int) string {
	return fmt.Sprintf("%s stand in for Srivastava et al. 2014's 1024+-unit ReLU nets with max-norm and momentum SGD trained long on all 60000; dropout's effect is read at %d images, so only its direction carries over; %s", setup, large, oneRate)
}

func caveatRelu(setup string, level float64) string {
	return fmt.Sprintf("%s, each activation with its natural initialiser; %s; 'overfits more' is read as a larger gap at %.3g training accuracy, one reading among several: gaps read at a lower training accuracy, earlier in training, can order the activations otherwise (the matched-at tables, when present, show them)", setup, oneRate, level)
}

func caveatC11(setup string, size int) string {
	return fmt.Sprintf("%s, read at %d images with early stopping on a validation split, stand in for Srivastava et al.'s wide nets on all 60000; this is C11's dropout part only (its BatchNorm part is the exploding experiment's, and the report reads the two together); dropout also raises tanh's and sigmoid's accuracy (their gains are listed beside this verdict), so it shows that dropout helps a ReLU net, not that ReLU's success depends on dropout more than other activations' does; %s", setup, size, oneRate)
}

// armHealth is what a rule checks about one arm's runs before reading
// their numbers.
type armHealth struct {
	label    string
	runs     int // runs made
	diverged int // of runs: loss above the cap or not finite
	// unfit counts the finite runs that never reached the matched
	// training accuracy within the budget; fitChecked says whether the
	// rule requires the arm to fit.
	unfit      int
	fitChecked bool
}

// comparison is one paired comparison: per-seed differences in pp.
type comparison struct {
	name string
	p    metrics.Paired
	arms []armHealth
	// level is the training accuracy its gaps are read at (0: not a gap
	// at matched accuracy), which the fit control names.
	level float64
}

// judged is a comparison with its outcome and the clause saying why.
type judged struct {
	c       comparison
	outcome result.Outcome
	reason  string
}

// judge applies the controls, then kit.Superiority against margin. level is
// the matched training accuracy (for the fit control's wording).
func judge(c comparison, margin, level float64) judged {
	if c.level > 0 {
		level = c.level
	}
	j := judged{c: c, outcome: result.Inconclusive}
	runs := 0
	for _, a := range c.arms {
		runs = max(runs, a.runs)
		if bad, why := kit.MostlyDiverged(a.label, a.diverged, a.runs); bad {
			j.reason = why
			return j
		}
		if finite := a.runs - a.diverged; a.fitChecked && float64(a.unfit) > maxUnfitShare*float64(finite) {
			j.reason = fmt.Sprintf("%d of %d finite %s runs never reached %.3g training accuracy within the budget: they did not fit their training set", a.unfit, finite, a.label, level)
			return j
		}
	}
	d := c.p.Diff
	switch {
	case d.N < 2:
		j.reason = fmt.Sprintf("%d seed(s) with both arms finite (and fitted): no interval", d.N)
		return j
	case 2*d.N < runs:
		j.reason = fmt.Sprintf("only %d of %d seeds have both arms finite (and fitted)", d.N, runs)
		return j
	case d.SD <= zeroWidth*math.Max(1, math.Abs(d.Mean)):
		j.reason = fmt.Sprintf("all %d seeds gave the same difference %.3g: a zero-width interval says the seeds did not vary, not that the effect is certain", d.N, d.Mean)
		return j
	}
	j.outcome = kit.Superiority(c.p, margin)
	ci := fmt.Sprintf("%+.2f pp [%+.2f, %+.2f]", d.Mean, d.Lo, d.Hi)
	switch j.outcome {
	case result.Confirmed:
		j.reason = fmt.Sprintf("%s, above the %.2g pp margin", ci, margin)
	case result.Refuted:
		j.reason = fmt.Sprintf("%s, below the %.2g pp margin", ci, margin)
	default:
		j.reason = fmt.Sprintf("%s, which contains the %.2g pp margin", ci, margin)
		if c.p.MDE > margin {
			j.reason += fmt.Sprintf(" (minimal detectable effect %.2f pp, above the margin: too few seeds)", c.p.MDE)
		}
	}
	return j
}

// combine reads several comparisons that must all hold for the claim
// (an intersection-union test: each at 5%, no correction needed). MIXED
// when at least one is CONFIRMED and one REFUTED; otherwise INCONCLUSIVE if
// any is; otherwise the common outcome. deciding is the comparison to show
// as the verdict's effect: a refuted one for MIXED, the first inconclusive
// one, or the one nearest the margin.
func combine(parts []judged) (out result.Outcome, deciding int) {
	count := map[result.Outcome]int{}
	for _, p := range parts {
		count[p.outcome]++
	}
	first := func(o result.Outcome) int {
		for i, p := range parts {
			if p.outcome == o {
				return i
			}
		}
		return -1
	}
	switch {
	case len(parts) == 0:
		return result.Inconclusive, -1
	case count[result.Confirmed] > 0 && count[result.Refuted] > 0:
		return result.Mixed, first(result.Refuted)
	case count[result.Inconclusive] > 0:
		return result.Inconclusive, first(result.Inconclusive)
	case count[result.Confirmed] == len(parts):
		// The weakest confirmation: the lowest lower end.
		deciding = 0
		for i, p := range parts {
			if p.c.p.Diff.Lo < parts[deciding].c.p.Diff.Lo {
				deciding = i
			}
		}
		return result.Confirmed, deciding
	}
	// All refuted: the weakest refutation, the highest upper end.
	deciding = 0
	for i, p := range parts {
		if p.c.p.Diff.Hi > parts[deciding].c.p.Diff.Hi {
			deciding = i
		}
	}
	return result.Refuted, deciding
}

// reasons joins each comparison's name and reason.
func reasons(parts []judged) string {
	var out []string
	for _, p := range parts {
		out = append(out, fmt.Sprintf("%s: %s (%s, n=%d)", p.c.name, p.reason, p.outcome, p.c.p.Diff.N))
	}
	return strings.Join(out, "; ")
}

// effectEvidence is a comparison as a verdict's evidence line.
func effectEvidence(c comparison) result.Evidence {
	return result.Evidence{Name: c.name, Estimate: c.p.Diff, Unit: "pp"}
}

// shrinkEvidence is what the C10 main rule reads.
type shrinkEvidence struct {
	// inapplicable, when set, says why the configuration cannot test the
	// claim.
	inapplicable string
	setup        string  // nets, optimiser and sizes, for the caveat
	level        float64 // matched training accuracy
	// levelRule is the level in the rule's words (how it was chosen);
	// levelNote, when set, says why it is not the configured one.
	levelRule, levelNote string
	large                int // the size at which dropout is read
	// dropout is ReLU's gap without dropout minus with it, at the largest
	// size; data is ReLU's gap (without dropout) at the smallest size
	// minus at the largest. Both in pp, positive when the gap shrinks.
	dropout, data comparison
	// extra is shown for the reader and decides nothing (the same
	// comparisons at other sizes, the change in test accuracy).
	extra []result.Evidence
}

// shrinkVerdict: C10's main statement, dropout and more data shrink
// overfitting, read at equal training accuracy so that an under-fitted net
// (dropout, or a large set seen for few epochs) is not credited with a
// small gap.
func shrinkVerdict(e shrinkEvidence) result.Verdict {
	v := result.Verdict{Claim: "C10", Role: result.Main, Caveat: caveatShrink(e.setup, e.large),
		Statement: "dropout and more data shrink overfitting: at equal training accuracy a ReLU net's generalisation gap is smaller with dropout and with more training data",
		Rule: fmt.Sprintf("each run's gap (training minus validation accuracy) is read where its training accuracy first reaches %s; on paired seeds, (a) ReLU's gap without dropout minus with dropout at the largest size and (b) ReLU's gap (no dropout) at the smallest size minus at the largest, each decided by its 95%% CI against a margin of %.2g pp "+
			"(above: CONFIRMED, below: REFUTED, else INCONCLUSIVE; INCONCLUSIVE too if an arm's runs mostly diverged or mostly never reached the level, i.e. did not fit their training set); "+
			"CONFIRMED if both are, REFUTED if both are, MIXED if one is CONFIRMED and the other REFUTED, otherwise INCONCLUSIVE", orLevel(e.levelRule, e.level), gapMargin)}
	if e.inapplicable != "" {
		v.Outcome, v.Why = result.Inconclusive, e.inapplicable
		return v
	}
	parts := []judged{judge(e.dropout, gapMargin, e.level), judge(e.data, gapMargin, e.level)}
	var deciding int
	v.Outcome, deciding = combine(parts)
	kit.Compared(&v, parts[deciding].c.name, "pp", parts[deciding].c.p, gapMargin, gapMarginReason)
	if v.Effect != nil && parts[deciding].c.level > 0 {
		// The level is named where the effect is shown alone (the first
		// screen, the robustness cells): a gap at 0.9 is not one at 0.99.
		what := "dropout"
		if deciding == 1 {
			what = "more data"
		}
		v.Effect.Of = fmt.Sprintf("%s, at %g training accuracy", what, parts[deciding].c.level)
	}
	v.Evidence = append(v.Evidence, effectEvidence(e.dropout), effectEvidence(e.data))
	v.Evidence = append(v.Evidence, e.extra...)
	v.Why = withNote(reasons(parts)+".", e.levelNote)
	return v
}

// orLevel is rule, or the level alone when there is no rule text.
func orLevel(rule string, level float64) string {
	if rule == "" {
		return kit.Ftoa(level)
	}
	return rule
}

// withNote appends a sentence, when there is one.
func withNote(why, note string) string {
	if note == "" {
		return why
	}
	return why + " " + note
}

// reluGapEvidence is what the "ReLU overfits more" rule reads.
type reluGapEvidence struct {
	inapplicable string
	setup        string
	level        float64
	// levelRule and levelNote as in shrinkEvidence.
	levelRule, levelNote string
	// versus holds, for each other activation, ReLU's gap minus the
	// other's on paired seeds, each seed's difference averaged over the
	// sizes (pp; positive when ReLU overfits more).
	versus []comparison
	// versusLoss is the second reading: the same gaps read where each
	// run's training loss first falls to lossLevel. It is judged and
	// reported, and decides nothing (see reluGapVerdict).
	lossLevel  float64
	versusLoss []comparison
	// alsoAt are the same comparisons read at the other levels this run
	// reads some comparison at (its fallback levels): judged, reported
	// and named in the caveat when they would give another outcome, and
	// deciding nothing.
	alsoAt []levelReading
	extra  []result.Evidence // the same at each size, for the reader
}

// levelReading is the versus comparisons read at another level.
type levelReading struct {
	level  float64
	versus []comparison
}

// readingsAgree says how another reading (at matched training loss, or at
// another level) stands beside the deciding one: the same outcome, one that
// contradicts it (CONFIRMED against REFUTED), a MIXED one beside a decided
// one (partly contradicts), or one that neither confirms nor contradicts
// it.
func readingsAgree(deciding, second result.Outcome) string {
	switch {
	case deciding == second:
		return "agrees with"
	case (deciding == result.Confirmed && second == result.Refuted) || (deciding == result.Refuted && second == result.Confirmed):
		return "contradicts"
	case (second == result.Mixed && (deciding == result.Confirmed || deciding == result.Refuted)) ||
		(deciding == result.Mixed && (second == result.Confirmed || second == result.Refuted)):
		// A MIXED reading beside a decided one: some of its comparisons
		// go the other way.
		return "partly contradicts"
	}
	return "neither confirms nor contradicts"
}

// judgeAll judges each comparison against the gap margin at level.
func judgeAll(cs []comparison, level float64) []judged {
	out := make([]judged, len(cs))
	for i, c := range cs {
		out[i] = judge(c, gapMargin, level)
	}
	return out
}

// reluGapVerdict: C10, supporting: ReLU overfits more than tanh and
// sigmoid, at equal training accuracy so that a net that fits faster is not
// blamed for opening its gap sooner.
func reluGapVerdict(e reluGapEvidence) result.Verdict {
	v := result.Verdict{Claim: "C10", Role: result.Supporting, Caveat: caveatRelu(e.setup, e.level),
		Statement: "ReLU overfits more: at equal training accuracy, ReLU nets have a larger generalisation gap than tanh and sigmoid nets",
		Rule: fmt.Sprintf("without dropout, each run's gap (training minus validation accuracy) is read where its training accuracy first reaches %s; for each other activation, ReLU's gap minus the other's on paired seeds, averaged over the sizes, decided by its 95%% CI against a margin of %.2g pp "+
			"(above: CONFIRMED, below: REFUTED, else INCONCLUSIVE; INCONCLUSIVE too if an arm's runs mostly diverged or never reached the level); "+
			"CONFIRMED if CONFIRMED against every other activation, REFUTED if REFUTED against every other, MIXED if CONFIRMED against one and REFUTED against another, otherwise INCONCLUSIVE. "+
			"A second reading takes the same gaps where training loss first falls to %.3g, judged the same way; it is reported beside the first and decides nothing: "+
			"the gap is a difference of accuracies, so matching on accuracy compares nets at the same fit of the same quantity, while a training loss is reached at different accuracies by nets of different confidence (a saturating unit's softmax is less sharp), "+
			"and the accuracy reading was the one fixed before the loss reading existed", orLevel(e.levelRule, e.level), gapMargin, e.lossLevel)}
	if e.inapplicable != "" {
		v.Outcome, v.Why = result.Inconclusive, e.inapplicable
		return v
	}
	parts := judgeAll(e.versus, e.level)
	for _, c := range e.versus {
		v.Evidence = append(v.Evidence, effectEvidence(c))
	}
	var deciding int
	v.Outcome, deciding = combine(parts)
	if deciding >= 0 {
		kit.Compared(&v, parts[deciding].c.name, "pp", parts[deciding].c.p, gapMargin, gapMarginReason)
	}
	v.Why = withNote("Deciding reading, at matched training accuracy: "+reasons(parts)+".", e.levelNote)
	if len(e.versusLoss) > 0 {
		second := judgeAll(e.versusLoss, e.level)
		for _, c := range e.versusLoss {
			v.Evidence = append(v.Evidence, effectEvidence(c))
		}
		lossOutcome, _ := combine(second)
		v.Why += fmt.Sprintf(" Second reading, at training loss %.3g (decides nothing): %s; on its own it would be %s, which %s the deciding reading.",
			e.lossLevel, reasons(second), lossOutcome, readingsAgree(v.Outcome, lossOutcome))
	}
	for _, r := range e.alsoAt {
		at := judgeAll(r.versus, r.level)
		o, _ := combine(at)
		when := "earlier"
		if r.level > e.level {
			when = "later"
		}
		v.Why += fmt.Sprintf(" At %.3g training accuracy, where this run reads another comparison (%s in training; decides nothing): %s; on its own it would be %s, which %s the deciding reading.",
			r.level, when, reasons(at), o, readingsAgree(v.Outcome, o))
		if o != v.Outcome {
			v.Caveat += fmt.Sprintf("; here, read at %.3g training accuracy, the same comparisons would be %s", r.level, o)
		}
	}
	v.Evidence = append(v.Evidence, e.extra...)
	return v
}

// dropoutHelpsEvidence is what the C11 rule reads.
type dropoutHelpsEvidence struct {
	inapplicable string
	setup        string
	level        float64
	size         int
	// gain is ReLU's test accuracy with dropout minus without, each at its
	// best validation checkpoint, on paired seeds at size (pp). Its arms:
	// the baseline must fit its training set (a control that does not
	// train cannot show a regulariser's effect); the dropout arm need not.
	gain comparison
	// lateGain is the dropout arm's validation accuracy at the end minus at
	// half its budget (pp, over seeds): above lateGainTolerance it was
	// still learning, and a REFUTED would rest on its short budget.
	lateGain metrics.Estimate
	// For the reader: ReLU's mean test error (%) at size without and with
	// dropout, beside Srivastava et al.'s at 60000.
	errWithout, errWith float64
	extra               []result.Evidence
}

// dropoutHelpsVerdict: C11's dropout part, which the report reads together
// with the exploding experiment's BatchNorm part into C11's headline.
func dropoutHelpsVerdict(e dropoutHelpsEvidence) result.Verdict {
	v := result.Verdict{Claim: "C11", Role: result.Part, Caveat: caveatC11(e.setup, e.size),
		Statement: "ReLU nets train best with dropout as a companion: dropout raises a ReLU net's test accuracy (the dropout part of C11, read together in the report with the BatchNorm part from the exploding experiment)",
		Rule: fmt.Sprintf("at the largest size, ReLU's test accuracy with dropout minus without, each at its best validation checkpoint, on paired seeds, decided by its 95%% CI against a margin of %.2g pp: "+
			"CONFIRMED above it, REFUTED below it, otherwise INCONCLUSIVE; INCONCLUSIVE too if an arm's runs mostly diverged, if the runs without dropout mostly never reached %.3g training accuracy (the baseline did not train), "+
			"or, for a REFUTED, if the dropout arm's validation accuracy still rose by more than %.2g pp over the second half of its budget (not levelled off)", testMargin, e.level, lateGainTolerance)}
	if e.inapplicable != "" {
		v.Outcome, v.Why = result.Inconclusive, e.inapplicable
		return v
	}
	j := judge(e.gain, testMargin, e.level)
	v.Outcome = j.outcome
	switch stillRising := !(e.lateGain.Mean <= lateGainTolerance); {
	case j.outcome == result.Refuted && stillRising:
		v.Outcome = result.Inconclusive
		j.reason += fmt.Sprintf(", but the dropout nets' validation accuracy still rose %.2f pp over the second half of their budget (more than %.2g): they had not levelled off", e.lateGain.Mean, lateGainTolerance)
	case j.outcome == result.Inconclusive && stillRising:
		// Not only too few seeds: a longer budget may settle it.
		j.reason += fmt.Sprintf("; the dropout nets had not levelled off either (validation accuracy still rose %.2f pp over the second half of their budget, more than %.2g)", e.lateGain.Mean, lateGainTolerance)
	}
	kit.Compared(&v, e.gain.name, "pp", e.gain.p, testMargin, testMarginReason)
	v.Evidence = append(v.Evidence, effectEvidence(e.gain),
		result.Evidence{Name: "dropout arm: validation accuracy at the end minus at half the budget", Estimate: e.lateGain, Unit: "pp"})
	v.Evidence = append(v.Evidence, e.extra...)
	v.Why = fmt.Sprintf("At n=%d, %s: %s (n=%d). ReLU's test error was %.2f%% without and %.2f%% with dropout (Srivastava et al. 2014 on all 60000: %.2f%% standard net, %.2f%% dropout ReLU).",
		e.size, e.gain.name, j.reason, e.gain.p.Diff.N, e.errWithout, e.errWith, srivastavaStandard, srivastavaDropoutReLU)
	return v
}
