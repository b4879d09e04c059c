package exploding

import (
	"fmt"
	"math"
	"strings"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// The C7 rule at initialisation.
const (
	// explodesDecades is how much a gradient must grow across the net, in
	// decades, to count as exploding: more than tenfold, the mirror image of
	// the vanishing experiment's "keeps its strength within one decade".
	explodesDecades = 1.0
	// criticalGain is ReLU's critical weight variance gain (Var(w) =
	// 2/fan_in): mean-field theory multiplies its back-propagated gradient
	// by sqrt(g/2) per layer, so it explodes above 2.
	criticalGain = 2.0
	// flatDecades bounds the whole 95% CI of a "flat" per-example weight
	// gradient's log10(first/last): a choice, half a decade (a change of
	// at most about threefold); the code gives no source for it.
	flatDecades = 0.5
)

// gainGrowth is log10(||dL/dz_1|| / ||dL/dz_L||) over seeds at one gain.
type gainGrowth struct {
	gain float64
	z    metrics.Estimate
}

// boundedGrowth is a saturating activation's gradient growth at every
// measured gain.
type boundedGrowth struct {
	name   string
	growth []gainGrowth     // in the configured order of gains
	atTop  metrics.Estimate // at the largest measured gain
}

// initEvidence is what the C7 rule at initialisation reads, at one depth.
type initEvidence struct {
	depth      int
	top        float64           // the largest measured gain
	relu       []gainGrowth      // every measured gain; nil if ReLU was not measured
	bounded    []boundedGrowth   // tanh and sigmoid, those measured, in that order
	reluTop    initStats         // ReLU at the top gain
	tanhTopAct *metrics.Estimate // tanh's log10(last/first) of activation norms at the top gain, if measured
}

// superCritical is ReLU's growth at the gains above the critical one.
func (e initEvidence) superCritical() []gainGrowth {
	var out []gainGrowth
	for _, g := range e.relu {
		if g.gain > criticalGain {
			out = append(out, g)
		}
	}
	return out
}

// explodes: the lower end of the 95% CI of log10(first/last) exceeds
// explodesDecades.
func explodes(z metrics.Estimate) bool { return z.Lo > explodesDecades }

// firstExploding is the smallest gain, in the configured order, at which
// the activation explodes.
func (b boundedGrowth) firstExploding() (gainGrowth, bool) {
	for _, g := range b.growth {
		if g.z.N > 0 && explodes(g.z) {
			return g, true
		}
	}
	return gainGrowth{}, false
}

// weightGradientHidesExplosion: the back-propagated gradient explodes while
// the per-example weight gradient, the quantity mean-field theory predicts
// to be flat, stays flat (its whole 95% CI within flatDecades of zero).
func weightGradientHidesExplosion(s initStats) bool {
	return s.z.N > 0 && explodes(s.z) && s.example.Lo >= -flatDecades && s.example.Hi <= flatDecades
}

// initVerdict is the C7 rule at initialisation, at the verdict depth, on
// log10(||dL/dz_1|| / ||dL/dz_L||): an activation explodes at a gain if the
// lower end of the 95% CI exceeds explodesDecades. CONFIRMED if ReLU
// explodes at every measured gain above criticalGain and neither tanh nor
// sigmoid explodes at any measured gain; REFUTED if ReLU explodes at no
// gain above criticalGain; MIXED otherwise, and when no ReLU net above
// criticalGain was measured.
func initVerdict(e initEvidence) result.Verdict {
	v := result.Verdict{Claim: "C7",
		Statement: "ReLU gradients explode with depth above the critical gain, while tanh and sigmoid gradients do not (at initialisation)",
		Rule: fmt.Sprintf("at depth %d, on log10(||dL/dz_1||/||dL/dz_L||) with Var(w) = g/fan_in: an activation explodes at gain g if the lower 95%% CI bound exceeds %g (more than tenfold growth). "+
			"CONFIRMED if ReLU explodes at every measured gain above %g and neither tanh nor sigmoid explodes at any measured gain; REFUTED if ReLU explodes at no gain above %g; MIXED otherwise", e.depth, explodesDecades, criticalGain, criticalGain)}
	super := e.superCritical()
	if len(super) == 0 {
		v.Outcome = result.Mixed
		v.Why = fmt.Sprintf("the configuration measured no ReLU net above the critical gain %g, so the rule cannot be applied.", criticalGain)
		return v
	}
	v.Evidence = initVerdictEvidence(e, super)
	reluAll, reluAny := true, false
	for _, g := range super {
		if explodes(g.z) {
			reluAny = true
		} else {
			reluAll = false
		}
	}
	var boundedExplode []string // saturating activations that explode somewhere
	for _, b := range e.bounded {
		if g, ok := b.firstExploding(); ok {
			boundedExplode = append(boundedExplode, fmt.Sprintf("%s from g=%g (10^%.1f)", b.name, g.gain, g.z.Mean))
		}
	}
	switch {
	case !reluAny:
		v.Outcome = result.Refuted
	case reluAll && len(boundedExplode) == 0:
		v.Outcome = result.Confirmed
	default:
		v.Outcome = result.Mixed
	}
	v.Why = initWhy(e, super, boundedExplode)
	return v
}

func initVerdictEvidence(e initEvidence, super []gainGrowth) []result.Evidence {
	var ev []result.Evidence
	for _, g := range super {
		ev = append(ev, result.Evidence{Name: fmt.Sprintf("relu g=%g depth %d log10(first/last) of ||dL/dz||", g.gain, e.depth), Estimate: g.z, Unit: "log10"})
	}
	for _, b := range e.bounded {
		ev = append(ev, result.Evidence{Name: fmt.Sprintf("%s g=%g depth %d log10(first/last) of ||dL/dz||", b.name, e.top, e.depth), Estimate: b.atTop, Unit: "log10"})
	}
	ev = append(ev,
		result.Evidence{Name: fmt.Sprintf("relu g=%g depth %d log10(last/first) of activation norms", e.top, e.depth), Estimate: e.reluTop.act, Unit: "log10"},
		result.Evidence{Name: fmt.Sprintf("relu g=%g depth %d log10(first/last) of ||dL/dW||", e.top, e.depth), Estimate: e.reluTop.w, Unit: "log10"})
	if e.tanhTopAct != nil {
		ev = append(ev, result.Evidence{Name: fmt.Sprintf("tanh g=%g depth %d log10(last/first) of activation norms", e.top, e.depth), Estimate: *e.tanhTopAct, Unit: "log10"})
	}
	return ev
}

func initWhy(e initEvidence, super []gainGrowth, boundedExplode []string) string {
	var reluParts, boundedParts []string
	for _, g := range super {
		reluParts = append(reluParts, fmt.Sprintf("10^%.1f at g=%g", g.z.Mean, g.gain))
	}
	for _, b := range e.bounded {
		boundedParts = append(boundedParts, fmt.Sprintf("%s 10^%.1f", b.name, b.atTop.Mean))
	}
	why := fmt.Sprintf("At depth %d ReLU's back-propagated gradient grows from the last hidden layer to the first by %s", e.depth, strings.Join(reluParts, ", "))
	if len(boundedParts) > 0 {
		why += fmt.Sprintf(", against %s at g=%g", strings.Join(boundedParts, " and "), e.top)
	}
	if len(boundedExplode) > 0 {
		why += fmt.Sprintf("; %s also explodes, though its activations stay bounded", strings.Join(boundedExplode, " and "))
	}
	if weightGradientHidesExplosion(e.reluTop) {
		why += fmt.Sprintf("; ReLU's per-example weight gradient stays flat (10^%.2f at g=%g), so weight-gradient norms hide the explosion", e.reluTop.example.Mean, e.top)
	}
	return why + "."
}

// learnsAccuracy is the mean test accuracy from which a remedy counts as
// letting the net learn: a choice, five times chance on MNIST's ten
// classes.
const learnsAccuracy = 0.5

// remedyOutcome is what the training rules read of the runs of one remedy
// at one learning rate.
type remedyOutcome struct {
	runs, diverged int
	divergedFrac   metrics.Estimate // proportion diverged
	divStep        metrics.Estimate // step of divergence, over the diverged runs
	testAcc        metrics.Estimate // diverged runs count as chance
}

// learns: no run diverged and the mean test accuracy reaches learnsAccuracy.
func (s remedyOutcome) learns() bool {
	return s.runs > 0 && s.diverged == 0 && s.testAcc.Mean >= learnsAccuracy
}

// clipOutcome is clipping alone at one threshold.
type clipOutcome struct {
	threshold float64
	remedyOutcome
}

// remediesEvidence is what the C7 rule in training reads, at the judged
// learning rate.
type remediesEvidence struct {
	lr, clip float64
	plain    remedyOutcome
	clipped  remedyOutcome  // clipping at clip
	bn       *remedyOutcome // BatchNorm alone; nil if not run
	sweep    []clipOutcome  // every threshold run without BatchNorm, increasing (clip among them)
}

// remediesVerdict is the C7 rule in training, at the judged learning rate:
// it only applies if every run without remedy diverged there. A remedy
// copes if none of its runs diverged and its mean test accuracy reaches
// learnsAccuracy. CONFIRMED if clipping at the blog's threshold and
// BatchNorm both cope; REFUTED if neither stops the divergence; MIXED
// otherwise.
func remediesVerdict(e remediesEvidence) result.Verdict {
	v := result.Verdict{Claim: "C7",
		Statement: fmt.Sprintf("clipping by global norm at %g and BatchNorm each let a deep ReLU net train at a learning rate where it otherwise diverges", e.clip),
		Rule: fmt.Sprintf("at learning rate %g, if every run without remedy diverged (NaN/Inf): a remedy copes if none of its runs diverged and its mean MNIST test accuracy is >= %.1f. "+
			"CONFIRMED if clipping at %g and BatchNorm both cope; REFUTED if neither prevents divergence; MIXED otherwise (also when the plain net did not diverge in every run)", e.lr, learnsAccuracy, e.clip)}
	v.Evidence = remediesVerdictEvidence(e)
	if e.plain.runs == 0 || e.plain.diverged < e.plain.runs {
		v.Outcome = result.Mixed
		v.Why = fmt.Sprintf("Without remedy only %d of %d runs diverged at learning rate %g, so the remedies were not tested against a reliable divergence; choose a larger --lr.", e.plain.diverged, e.plain.runs, e.lr)
		return v
	}
	clipPrevents, bnPrevents := e.clipped.diverged == 0, e.bn != nil && e.bn.diverged == 0
	switch {
	case e.clipped.learns() && e.bn != nil && e.bn.learns():
		v.Outcome = result.Confirmed
	case !clipPrevents && !bnPrevents:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	describe := func(name string, s remedyOutcome) string {
		return fmt.Sprintf("%s: %d of %d diverged, test accuracy %.3f", name, s.diverged, s.runs, s.testAcc.Mean)
	}
	why := fmt.Sprintf("At learning rate %g every run without remedy diverged (mean step %.1f); %s", e.lr, e.plain.divStep.Mean, describe(fmt.Sprintf("clipping at %g", e.clip), e.clipped))
	if clipPrevents && !e.clipped.learns() {
		why += " (no NaN, but the net did not learn)"
	}
	if e.bn != nil {
		why += "; " + describe("BatchNorm", *e.bn)
	}
	v.Why = why + clipSweepClause(e.sweep) + "."
	return v
}

func remediesVerdictEvidence(e remediesEvidence) []result.Evidence {
	var ev []result.Evidence
	add := func(name string, est metrics.Estimate) {
		ev = append(ev, result.Evidence{Name: name, Estimate: est})
	}
	add(fmt.Sprintf("no remedy, lr %g: fraction of runs diverged", e.lr), e.plain.divergedFrac)
	if e.plain.diverged > 0 {
		add(fmt.Sprintf("no remedy, lr %g: step of divergence", e.lr), e.plain.divStep)
	}
	add(fmt.Sprintf("clip %g, lr %g: fraction of runs diverged", e.clip, e.lr), e.clipped.divergedFrac)
	add(fmt.Sprintf("clip %g, lr %g: test accuracy", e.clip, e.lr), e.clipped.testAcc)
	if e.bn != nil {
		add(fmt.Sprintf("bn, lr %g: fraction of runs diverged", e.lr), e.bn.divergedFrac)
		add(fmt.Sprintf("bn, lr %g: test accuracy", e.lr), e.bn.testAcc)
	}
	return ev
}

// clipSweepClause says which thresholds of the sweep let the net learn;
// empty without a sweep.
func clipSweepClause(sweep []clipOutcome) string {
	if len(sweep) <= 1 {
		return ""
	}
	var thresholds []float64
	var coped []string
	for _, t := range sweep {
		thresholds = append(thresholds, t.threshold)
		if t.learns() {
			coped = append(coped, fmt.Sprintf("%g", t.threshold))
		}
	}
	if len(coped) == 0 {
		return fmt.Sprintf("; no clipping threshold in %v let the net learn", thresholds)
	}
	return fmt.Sprintf("; of the thresholds %v, clipping at %s let the net learn", thresholds, strings.Join(coped, ", "))
}

// rateOutcome is the net without remedy and with BatchNorm at one learning
// rate.
type rateOutcome struct {
	lr        float64
	plain, bn remedyOutcome
}

// batchNormRangeEvidence is what the C11 rule reads.
type batchNormRangeEvidence struct {
	ran   bool          // BatchNorm was run (--bn)
	rates []rateOutcome // every learning rate where both ran, increasing
}

// batchNormRangeVerdict is the C11 rule (its BatchNorm half; dropout is the
// overfitting experiment's): over the learning rates where both ran, the
// set at which a ReLU net learns (no run diverged, mean test accuracy >=
// learnsAccuracy) with BatchNorm against without. CONFIRMED if BatchNorm
// learns at every rate the plain net learns at and at least one more;
// REFUTED if it learns at no rate the plain net fails at; MIXED otherwise,
// and when BatchNorm was not run.
func batchNormRangeVerdict(e batchNormRangeEvidence) result.Verdict {
	v := result.Verdict{Claim: "C11",
		Statement: "BatchNorm is what lets a deep ReLU net train across learning rates (the BatchNorm half of C11; dropout is tested by the overfitting experiment)",
		Rule: fmt.Sprintf("over the learning rates run both with and without BatchNorm: a net learns at a rate if none of its runs diverged and its mean test accuracy is >= %.1f. "+
			"CONFIRMED if BatchNorm learns at every rate the plain net learns at and at least one more; REFUTED if BatchNorm learns at no rate where the plain net fails; MIXED otherwise", learnsAccuracy)}
	if !e.ran {
		v.Outcome = result.Mixed
		v.Why = "BatchNorm was not run (--bn=false), so the rule cannot be applied."
		return v
	}
	var plainOK, bnOK []string
	superset, extra := true, false
	bestPlain, bestBN := metrics.Estimate{Mean: math.Inf(-1)}, metrics.Estimate{Mean: math.Inf(-1)}
	var bestPlainLR, bestBNLR float64
	for _, r := range e.rates {
		if r.plain.learns() {
			plainOK = append(plainOK, fmt.Sprintf("%g", r.lr))
			if !r.bn.learns() {
				superset = false
			}
		} else if r.bn.learns() {
			extra = true
		}
		if r.bn.learns() {
			bnOK = append(bnOK, fmt.Sprintf("%g", r.lr))
		}
		if r.plain.testAcc.Mean > bestPlain.Mean {
			bestPlain, bestPlainLR = r.plain.testAcc, r.lr
		}
		if r.bn.testAcc.Mean > bestBN.Mean {
			bestBN, bestBNLR = r.bn.testAcc, r.lr
		}
	}
	v.Evidence = append(v.Evidence,
		result.Evidence{Name: fmt.Sprintf("no remedy, best test accuracy (lr %g)", bestPlainLR), Estimate: bestPlain},
		result.Evidence{Name: fmt.Sprintf("bn, best test accuracy (lr %g)", bestBNLR), Estimate: bestBN})
	switch {
	case superset && extra:
		v.Outcome = result.Confirmed
	case !extra:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	list := func(xs []string) string {
		if len(xs) == 0 {
			return "none"
		}
		return strings.Join(xs, ", ")
	}
	v.Why = fmt.Sprintf("Without remedy the net learned at learning rates %s, with BatchNorm at %s; the best test accuracy was %.3f without and %.3f with BatchNorm.",
		list(plainOK), list(bnOK), bestPlain.Mean, bestBN.Mean)
	return v
}
