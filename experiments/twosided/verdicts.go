package twosided

import (
	"fmt"
	"math"
	"strings"

	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// The margins of the C12 rules: the smallest effect that matters for each,
// and beside each the few words a verdict quotes for why.
const (
	// deadMargin is the dead fraction (of all hidden units) that counts as
	// units dying: five percent. Ordinary training leaves fewer dead ReLU
	// units than that here (0 to 3% in the dying experiment at SGD
	// learning rates up to 0.3), and CS231n's "as much as 40%" is far
	// above it.
	deadMargin       = 0.05
	deadMarginReason = "above the 0 to 3% of dead ReLU units that ordinary training leaves, far below CS231n's \"as much as 40%\""
	// bornDeadMargin is the born-dead rate that counts as nets being born
	// dead: one net in a hundred, the rate below which Lu et al. 2019 call
	// ReLU nets healthy (width 10, depth 10: under 1% collapse).
	bornDeadMargin       = 0.01
	bornDeadMarginReason = "one net in a hundred, below which Lu et al. 2019 call ReLU nets healthy"
	// accuracyMargin is the gain in MNIST test accuracy that would make the
	// two-sided net's extra weights worth having: half a percentage point.
	// Less than that is what a change of learning rate or one more epoch
	// moves a small MLP on MNIST, and about the seed-to-seed spread of one
	// run here (dropout's gain in Srivastava et al. 2014, at convergence,
	// was 0.35 points).
	accuracyMargin       = 0.005
	accuracyMarginReason = "half a point: less is what one more epoch or another learning rate moves a small MLP on MNIST, about one run's seed-to-seed spread there (set on MNIST, kept on Fashion-MNIST so that the settings compare)"
)

// pct writes a fraction as a percentage with three significant digits,
// so that a small nonzero fraction never reads as 0.
func pct(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.3g%%", 100*x)
}

// pctCI writes an estimate of a fraction as "m% [lo%, hi%]".
func pctCI(e metrics.Estimate) string {
	if e.N < 2 {
		return pct(e.Mean)
	}
	return fmt.Sprintf("%s [%s, %s]", pct(e.Mean), pct(e.Lo), pct(e.Hi))
}

// diffCI writes a paired difference as "d [lo, hi] over n pairs".
func diffCI(p metrics.Paired, digits int) string {
	if p.Diff.N < 2 {
		return fmt.Sprintf("%.*f over %d pairs", digits, p.Diff.Mean, p.Diff.N)
	}
	return fmt.Sprintf("%+.*f [%+.*f, %+.*f] over %d pairs", digits, p.Diff.Mean, digits, p.Diff.Lo, digits, p.Diff.Hi, p.Diff.N)
}

// ---------------------------------------------------------------------------
// Sanity check: the two-sided net's parameters, layer by layer.

// doublesEvidence is the dense layers of a ReLU net and a two-sided net of
// the same width and depth, as allocated by the nets that were trained.
type doublesEvidence struct {
	width                    int
	relu, twoSided           []LayerCount
	reluTotal, twoSidedTotal int
}

// doublesWeightsVerdict is the sanity check of "this doubles the weights".
// It holds by construction of model.TwoSided: a two-sided layer outputs
// [relu(z), min(z, 0)], so the dense layer it feeds has twice the rows.
func doublesWeightsVerdict(e doublesEvidence) result.Verdict {
	v := result.Verdict{Claim: "C12", Role: result.Sanity,
		Statement: "a two-sided ReLU doubles the weights its units feed: each unit gets a second set of outgoing weights (the first layer, fed by the inputs, keeps its size)",
		Rule: "count the weights and biases of every dense layer of twosided:w and relu:w as built: CONFIRMED if the first layer (which no two-sided layer feeds) is identical and every later layer has exactly twice the weights and the same biases; " +
			"REFUTED otherwise; INCONCLUSIVE if either net was not built",
		Caveat: "true by construction of the two-sided layer; the counts are those of this harness's MLPs (784 inputs), where the untouched first layer holds most of the weights"}
	if len(e.relu) == 0 || len(e.twoSided) == 0 {
		v.Outcome = result.Inconclusive
		v.Why = "relu:w and twosided:w were not both built, so there is nothing to count."
		return v
	}
	if len(e.relu) != len(e.twoSided) {
		v.Outcome = result.Refuted
		v.Why = fmt.Sprintf("The nets have different numbers of dense layers (relu %d, two-sided %d).", len(e.relu), len(e.twoSided))
		return v
	}
	ok := true
	var parts []string
	for i, r := range e.relu {
		t := e.twoSided[i]
		want := 2 * r.Weights
		if i == 0 {
			want = r.Weights
		}
		if t.Weights != want || t.Biases != r.Biases {
			ok = false
		}
		ratio := float64(t.Weights) / float64(r.Weights)
		parts = append(parts, fmt.Sprintf("%s %d/%d weights (%.2fx)", r.Name, t.Weights, r.Weights, ratio))
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("layer %s weights, twosided / relu at width %d", r.Name, e.width),
			Estimate: metrics.Estimate{Mean: ratio, Lo: ratio, Hi: ratio, N: 1}, Unit: "ratio"})
	}
	whole := float64(e.twoSidedTotal) / float64(e.reluTotal)
	v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("whole net parameters, twosided / relu at width %d", e.width),
		Estimate: metrics.Estimate{Mean: whole, Lo: whole, Hi: whole, N: 1}, Unit: "ratio"})
	if ok {
		v.Outcome = result.Confirmed
	} else {
		v.Outcome = result.Refuted
	}
	v.Why = fmt.Sprintf("Two-sided against ReLU, width %d: %s; the whole net has %d parameters against %d (%.3gx), because the first layer, fed by the inputs, is not doubled.",
		e.width, strings.Join(parts, ", "), e.twoSidedTotal, e.reluTotal, whole)
	if ok && whole < 1.9 {
		v.Context = fmt.Sprintf("the whole two-sided net has %.3gx ReLU's parameters at width %d, not 2x: the first layer, fed by the inputs, is not doubled", whole, e.width)
	}
	return v
}

// ---------------------------------------------------------------------------
// Main: two-sided units do not die where ReLU units do.

// armDeath is one net's dead units under the stress, over its seeds.
type armDeath struct {
	// dead and would are the fractions of hidden units dead (output 0 on
	// every training example) and would-be dead (pre-activation <= 0 on
	// every one), and acc the test accuracy, mean and 95% CI over the runs
	// that did not diverge, clamped to [0, 1].
	dead, would, acc metrics.Estimate
	// deadUnits of units hidden units, summed over those runs, were dead.
	deadUnits, units int
	// diverged of runs diverged.
	diverged, runs int
}

// cannotDieEvidence is what the cannot-die rule reads: relu:w and
// twosided:w trained at the stress setting on paired seeds.
type cannotDieEvidence struct {
	data           kit.Dataset
	setting        string // e.g. "adam, lr 0.01, 5 epochs"
	net            string // e.g. "an MLP with 3 hidden layers of 64"
	relu, twoSided armDeath
	// diff is relu's dead fraction minus twosided's, seed by seed; a pair
	// with a diverged run is left out.
	diff metrics.Paired
	// accDiff is twosided's test accuracy minus relu's under the same
	// stress, seed by seed: context (what keeping the units cost or
	// bought), never decisive.
	accDiff metrics.Paired
}

// cannotDieVerdict is C12's "cannot die" rule, a sanity check: a two-sided
// unit cannot die by construction (its output and derivative are nonzero
// on both sides of 0), so the rule can fail only through its ReLU control
// or a bug, never through the unit. It checks that the stress that kills
// ReLU units does not reach it: ReLU's dead fraction lies above deadMargin (the control), the
// two-sided net's below it, and the paired difference beyond it.
func cannotDieVerdict(e cannotDieEvidence) result.Verdict {
	v := result.Verdict{Claim: "C12", Role: result.Sanity,
		Statement: "a two-sided ReLU unit cannot die: at a learning rate that kills ReLU units, the two-sided net keeps its units",
		Rule: fmt.Sprintf("relu:w and twosided:w trained at %s on paired seeds; dead fraction of hidden units after training, runs that diverged left out; margin %g. "+
			"INCONCLUSIVE if more than half of either net's runs diverged; INCONCLUSIVE if ReLU's dead fraction (95%% CI) does not lie above the margin (the control: the stress killed too few ReLU units to test anything); "+
			"REFUTED if twosided's dead fraction (95%% CI) lies above the margin; "+
			"CONFIRMED if twosided's lies below the margin and the 95%% CI of the paired difference relu - twosided lies above it; INCONCLUSIVE otherwise. "+
			"The paired difference in test accuracy under the stress is reported, not decisive",
			e.setting, deadMargin),
		Caveat: fmt.Sprintf("a two-sided unit cannot die by construction (for z < 0 it outputs min(z, 0) and passes gradient through its second weights; only z == 0 on every example silences it), so this measures that the stress that kills ReLU units does not reach the two-sided net, not the unit's algebra; "+
			"%s on %s trained with %s stands in for CS231n's \"too high a learning rate\" (Adam at ten times its default); under plain SGD the two-sided net diverges at the learning rates at which ReLU units die, so this setup cannot say whether it would keep its units there", e.net, e.data.Title(), e.setting)}
	kit.Compared(&v, "dead fraction, relu:w minus twosided:w (paired seeds)", "fraction of hidden units", e.diff, deadMargin, deadMarginReason)
	v.Evidence = []result.Evidence{
		{Name: "relu:w dead fraction after training", Estimate: e.relu.dead, Unit: "fraction of hidden units"},
		{Name: "twosided:w dead fraction after training", Estimate: e.twoSided.dead, Unit: "fraction of hidden units"},
		{Name: "twosided:w would-be-dead fraction (pre-activation <= 0 on every example: dead had it been ReLU)", Estimate: e.twoSided.would, Unit: "fraction of hidden units"},
		{Name: "test accuracy under the stress, twosided:w minus relu:w (paired seeds; context, not decisive)", Estimate: e.accDiff.Diff, Unit: "accuracy"},
	}
	counts := fmt.Sprintf("At %s, ReLU lost %s of its hidden units (%d of %d over %d runs), two-sided %s (%d of %d; %s had pre-activation <= 0 on every example, dead had they been ReLU); paired difference %s, margin %g",
		e.setting, pctCI(e.relu.dead), e.relu.deadUnits, e.relu.units, e.relu.runs-e.relu.diverged,
		pctCI(e.twoSided.dead), e.twoSided.deadUnits, e.twoSided.units, pct(e.twoSided.would.Mean), diffCI(e.diff, 3), deadMargin)
	if v.MDE != nil {
		counts += fmt.Sprintf(", MDE %.3f", *v.MDE)
	}
	counts += fmt.Sprintf("; diverged: relu %d/%d, two-sided %d/%d", e.relu.diverged, e.relu.runs, e.twoSided.diverged, e.twoSided.runs)
	counts += ". Under the stress, " + stressAccuracy(e.accDiff, e.twoSided.acc, e.relu.acc) + " (context, not decisive)."
	v.Context = stressContext(e)
	if bad, why := kit.MostlyDiverged("relu:w", e.relu.diverged, e.relu.runs); bad {
		v.Outcome, v.Why = result.Inconclusive, "Mostly diverged: "+why+". "+counts
		return v
	}
	if bad, why := kit.MostlyDiverged("twosided:w", e.twoSided.diverged, e.twoSided.runs); bad {
		v.Outcome, v.Why = result.Inconclusive, "Mostly diverged: "+why+"; a net that blows up says nothing about whether its units die. "+counts
		return v
	}
	if !(e.relu.dead.Lo > deadMargin) {
		v.Outcome, v.Why = result.Inconclusive, "The stress control failed: ReLU's dead fraction does not lie above the margin, so the stress did not clearly kill ReLU units and there was nothing to prevent. "+counts
		return v
	}
	if e.twoSided.dead.Lo > deadMargin {
		v.Outcome, v.Why = result.Refuted, "The two-sided net lost more than the margin of its units. "+counts
		return v
	}
	switch {
	case !(e.twoSided.dead.Hi < deadMargin):
		v.Outcome, v.Why = result.Inconclusive, "ReLU units died, but the two-sided net's dead fraction is not clearly below the margin. "+counts
	case kit.Superiority(e.diff, deadMargin) == result.Confirmed:
		v.Outcome, v.Why = result.Confirmed, "ReLU units died and two-sided ones did not"+divergedAside(e.twoSided.diverged, e.twoSided.runs, e.relu.diverged)+". "+counts
	default:
		v.Outcome, v.Why = result.Inconclusive, "ReLU units died and the two-sided net stayed below the margin, but the paired difference is not clearly beyond the margin. "+counts
	}
	return v
}

// divergedAside qualifies a cannot-die finding when some two-sided runs
// diverged under the stress (fewer than half, or the rule would not have
// read them): the finding holds over the runs that did not, and the
// blow-ups are the other thing the stress did to the two-sided net.
func divergedAside(twoSided, runs, relu int) string {
	if twoSided == 0 {
		return ""
	}
	return fmt.Sprintf(" in the runs that did not diverge; the stress made the two-sided net diverge in %d of %d runs (ReLU in %d), which are left out: a net that blows up says nothing about its units, and this is not a stress the two-sided net weathers unharmed", twoSided, runs, relu)
}

// stressAccuracy is the clause on test accuracy under the stress, for the
// Why of both the cannot-die and the worth-it rules: the paired difference
// twosided:w - relu:w with its interval and n, and which way it points when
// the interval excludes 0. Context only: no rule reads it.
func stressAccuracy(diff metrics.Paired, twoSided, relu metrics.Estimate) string {
	if diff.Diff.N == 0 {
		return "no pair of runs to compare test accuracy"
	}
	way := "the interval includes 0"
	switch {
	case diff.Diff.N < 2:
		way = "one pair, no interval"
	case diff.Diff.Hi < 0:
		way = fmt.Sprintf("the two-sided net is %.2g points less accurate", -100*diff.Diff.Mean)
	case diff.Diff.Lo > 0:
		way = fmt.Sprintf("the two-sided net is %.2g points more accurate", 100*diff.Diff.Mean)
	}
	return fmt.Sprintf("test accuracy two-sided %.4f, ReLU %.4f, paired difference twosided - relu %s: %s",
		twoSided.Mean, relu.Mean, diffCI(diff, 4), way)
}

// stressContext is what keeping its units cost the two-sided net under
// the stress, for the verdict's Context: runs that diverged and test
// accuracy below ReLU's; empty when neither.
func stressContext(e cannotDieEvidence) string {
	var cs []string
	if e.twoSided.diverged > 0 {
		cs = append(cs, fmt.Sprintf("the two-sided net diverged in %d of %d runs (ReLU in %d), left out", e.twoSided.diverged, e.twoSided.runs, e.relu.diverged))
	}
	if d := e.accDiff.Diff; d.N >= 2 && d.Hi < 0 {
		cs = append(cs, fmt.Sprintf("the two-sided net's finished runs were %.2g points less accurate than ReLU's (95%% CI %.2g to %.2g, %d pairs)", -100*d.Mean, -100*d.Hi, -100*d.Lo, d.N))
	}
	if len(cs) == 0 {
		return ""
	}
	return "under the stress that kills ReLU units, " + strings.Join(cs, "; ")
}

// ---------------------------------------------------------------------------
// Sanity check: two-sided nets are not born dead where ReLU nets are.

// bornDeadRate is the born-dead count of one net at one width.
type bornDeadRate struct {
	width, dead, inits int
}

// bornDeadEvidence is the born-dead Monte Carlo at the deepest depth: the
// two-sided nets over all base widths, and ReLU at the smallest width, the
// control that shows the setting does make ReLU nets born dead.
type bornDeadEvidence struct {
	data        kit.Dataset // of the trained nets, named in the caveat
	depth       int
	dead, inits int           // two-sided nets constant on [-1, 1], of inits
	relu        *bornDeadRate // nil when not run
}

// bornDeadVerdict is the born-dead sanity check: the two-sided rate's
// Wilson interval against bornDeadMargin, with ReLU's as the control. It
// holds by construction (a two-sided unit's output is nonzero for any
// nonzero pre-activation, so a net with one input and zero biases is
// constant only on a set of weights of probability 0), so it checks the
// implementation and never decides the claim.
func bornDeadVerdict(e bornDeadEvidence) result.Verdict {
	v := result.Verdict{Claim: "C12", Role: result.Sanity,
		Statement: "a two-sided net is never born dead, where ReLU nets of the same width and depth are",
		Rule: fmt.Sprintf("Monte Carlo over He initialisations of nets with one input and zero biases, at the deepest depth; born dead: constant on [-1, 1]; margin %g, 95%% Wilson intervals. "+
			"INCONCLUSIVE if no two-sided net was drawn; REFUTED if the two-sided rate lies above the margin; INCONCLUSIVE if the ReLU rate at the smallest width does not lie above it (the setting kills no nets); "+
			"CONFIRMED if the two-sided rate lies below it; INCONCLUSIVE otherwise (too few nets). MDE: the smallest departure from the margin that this many nets detect with 80%% power", bornDeadMargin),
		Caveat: "true by construction, so a sanity check that never decides the claim: a two-sided unit outputs nonzero for any nonzero pre-activation, so with one input and zero biases a two-sided net is constant only on a set of weights that a continuous initialisation draws with probability 0; it checks the implementation. " +
			"The nets are narrow with a single input and zero biases (Lu et al. 2019's setting), not the " + e.data.Title() + " nets"}
	rate := metrics.ProportionCI(e.dead, e.inits)
	v.Effect = &result.Evidence{Name: fmt.Sprintf("two-sided nets born dead at depth %d (all base widths)", e.depth), Estimate: rate, Unit: "fraction of nets"}
	v.Margin, v.MarginReason, v.N = result.Float(bornDeadMargin), bornDeadMarginReason, e.inits
	if e.inits > 0 {
		v.MDE = result.Float(metrics.ProportionMDE(bornDeadMargin, e.inits))
	}
	v.Evidence = []result.Evidence{*v.Effect}
	if e.inits == 0 {
		v.Outcome, v.Why = result.Inconclusive, "No two-sided net was drawn."
		return v
	}
	why := fmt.Sprintf("%d of %d two-sided nets were born dead at depth %d (%s [%s, %s])", e.dead, e.inits, e.depth, pct(rate.Mean), pct(rate.Lo), pct(rate.Hi))
	var reluRate metrics.Estimate
	if e.relu != nil {
		reluRate = metrics.ProportionCI(e.relu.dead, e.relu.inits)
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("relu width %d born dead at depth %d", e.relu.width, e.depth), Estimate: reluRate, Unit: "fraction of nets"})
		why += fmt.Sprintf(", against %d of %d ReLU nets of width %d (%s [%s, %s])", e.relu.dead, e.relu.inits, e.relu.width, pct(reluRate.Mean), pct(reluRate.Lo), pct(reluRate.Hi))
	}
	why += fmt.Sprintf("; margin %g.", bornDeadMargin)
	switch {
	case rate.Lo > bornDeadMargin:
		v.Outcome = result.Refuted
	case e.relu == nil || e.relu.inits == 0 || !(reluRate.Lo > bornDeadMargin):
		v.Outcome = result.Inconclusive
		why = "The ReLU control is not clearly born dead, so the setting tests nothing. " + why
	case rate.Hi < bornDeadMargin:
		v.Outcome = result.Confirmed
	default:
		v.Outcome = result.Inconclusive
		why = "Too few nets to put the two-sided rate below the margin. " + why
	}
	v.Why = why
	return v
}

// ---------------------------------------------------------------------------
// Supporting, beyond the blog: is it worth its weights?

// netAccuracy is one net's MNIST test accuracy over the seeds that did not
// diverge, with the net's width, parameter count and divergence count.
type netAccuracy struct {
	acc            metrics.Estimate
	width, params  int
	diverged, runs int
}

// worthItEvidence is what the worth-it rule reads; a net that was not among
// the nets is nil, and so is the comparison with it (zero Paired).
type worthItEvidence struct {
	data     kit.Dataset
	setting  string       // e.g. "sgd, lr 0.1, 5 epochs"
	net      string       // e.g. "an MLP with 3 hidden layers on 12000 MNIST examples"
	twoSided *netAccuracy // twosided:w
	matched  *netAccuracy // relu:matched, about twosided:w's parameter count
	double   *netAccuracy // relu:2w
	single   *netAccuracy // relu:w
	// Paired differences twosided:w minus the other net, seed by seed.
	vsMatched, vsDouble, vsSingle metrics.Paired
	// The stress runs (twosided:w and relu:w at stressSetting, the main
	// rule's): their test accuracies and paired difference twosided -
	// relu. Context, never decisive; zero when not run.
	stressSetting              string
	stressTwoSided, stressReLU metrics.Estimate
	stressVsSingle             metrics.Paired
}

// worthItVerdict is the supporting "worth its weights" rule, which goes
// beyond the blog: two-sided width w against ReLU with the same parameter
// count, on paired seeds.
func worthItVerdict(e worthItEvidence) result.Verdict {
	v := result.Verdict{Claim: "C12", Role: result.Supporting,
		Statement: "(beyond the blog) the two-sided ReLU is worth its extra weights: it beats ReLU with the same parameter count",
		Rule: fmt.Sprintf("%s test accuracy at %s, paired seeds, runs that diverged left out; effect: twosided:w minus relu:matched (the ReLU width with the closest parameter count); margin %g. "+
			"INCONCLUSIVE if either net was not run, if more than half of either's runs diverged, or if relu:matched did not learn (95%% CI not above %g); "+
			"otherwise CONFIRMED if the 95%% CI of the difference lies above the margin, REFUTED if it lies below it, INCONCLUSIVE otherwise. relu:w and relu:2w, and twosided:w minus relu:w under the main rule's stress, are reported, not decisive",
			e.data.Title(), e.setting, accuracyMargin, kit.StallsAccuracy),
		Caveat: fmt.Sprintf("beyond the blog; %s trained briefly (%s) at one learning rate, the same for every net and not chosen on validation images, so a gap may reflect training speed at this learning rate rather than capacity, and another optimiser can reverse it (the stress runs' accuracy is quoted for that); Shang et al. 2016 tested CReLU in CNNs on CIFAR and ImageNet", e.net, e.setting)}
	ts, matched := e.twoSided, e.matched
	if ts == nil || matched == nil {
		v.Outcome = result.Inconclusive
		v.Why = "twosided:w and relu:matched must both be among the nets for the rule to apply."
		return v
	}
	kit.Compared(&v, "test accuracy, twosided:w minus relu:matched (paired seeds)", "accuracy", e.vsMatched, accuracyMargin, accuracyMarginReason)
	v.Evidence = []result.Evidence{
		{Name: fmt.Sprintf("twosided:w test accuracy (width %d, %d parameters)", ts.width, ts.params), Estimate: ts.acc},
		{Name: fmt.Sprintf("relu:matched test accuracy (width %d, %d parameters)", matched.width, matched.params), Estimate: matched.acc},
	}
	why := fmt.Sprintf("Two-sided width %d (%d parameters) reached %.4f, ReLU width %d (%d parameters) %.4f: difference %s, margin %g",
		ts.width, ts.params, ts.acc.Mean, matched.width, matched.params, matched.acc.Mean, diffCI(e.vsMatched, 4), accuracyMargin)
	if v.MDE != nil {
		why += fmt.Sprintf(", MDE %.4f", *v.MDE)
	}
	for _, o := range []struct {
		name string
		net  *netAccuracy
		diff metrics.Paired
	}{{"relu:w", e.single, e.vsSingle}, {"relu:2w", e.double, e.vsDouble}} {
		if o.net == nil {
			continue
		}
		v.Evidence = append(v.Evidence,
			result.Evidence{Name: fmt.Sprintf("%s test accuracy (width %d, %d parameters)", o.name, o.net.width, o.net.params), Estimate: o.net.acc},
			result.Evidence{Name: fmt.Sprintf("twosided:w minus %s (paired seeds)", o.name), Estimate: o.diff.Diff, Unit: "accuracy"})
		why += fmt.Sprintf("; against %s (width %d, %d parameters) %s", o.name, o.net.width, o.net.params, diffCI(o.diff, 4))
	}
	why += fmt.Sprintf("; diverged: two-sided %d/%d, matched %d/%d.", ts.diverged, ts.runs, matched.diverged, matched.runs)
	if e.stressSetting != "" {
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("test accuracy at %s, twosided:w minus relu:w (paired seeds; context, not decisive)", e.stressSetting), Estimate: e.stressVsSingle.Diff, Unit: "accuracy"})
		why += fmt.Sprintf(" Under the main rule's stress (%s), %s (context, not decisive).", e.stressSetting, stressAccuracy(e.stressVsSingle, e.stressTwoSided, e.stressReLU))
	}
	for _, a := range []struct {
		name string
		net  *netAccuracy
	}{{"twosided:w", ts}, {"relu:matched", matched}} {
		if bad, clause := kit.MostlyDiverged(a.name, a.net.diverged, a.net.runs); bad {
			v.Outcome, v.Why = result.Inconclusive, "Mostly diverged: "+clause+". "+why
			return v
		}
	}
	if !kit.Learns(matched.acc) {
		v.Outcome, v.Why = result.Inconclusive, "The baseline relu:matched did not learn, so there is nothing to beat. "+why
		return v
	}
	v.Outcome = kit.Superiority(e.vsMatched, accuracyMargin)
	switch {
	case v.Outcome == result.Confirmed:
		why = "The two-sided net beats ReLU of the same parameter count by more than the margin. " + why
	case v.Outcome == result.Refuted && e.vsMatched.Diff.Lo > 0:
		why = "The two-sided net is better than ReLU of the same parameter count (the interval lies above 0), but by less than the margin. " + why
	case v.Outcome == result.Refuted:
		why = "Any gain over ReLU of the same parameter count is smaller than the margin. " + why
	case e.vsMatched.Diff.N >= 2 && e.vsMatched.Diff.Lo > 0 && v.MDE != nil && *v.MDE <= accuracyMargin:
		why = "The two-sided net is better than ReLU of the same parameter count (the interval lies above 0), but the interval straddles the margin: the gain is about the size of the margin, and the interval, narrow enough to tell a gain of that size (MDE below the margin), lies on neither side of it. " + why
	case e.vsMatched.Diff.N >= 2 && e.vsMatched.Diff.Lo > 0:
		why = "The two-sided net is better than ReLU of the same parameter count (the interval lies above 0), but the interval straddles the margin: this many seeds cannot tell whether the gain matters. " + why
	default:
		why = "The difference straddles the margin. " + why
	}
	v.Why = why
	return v
}
