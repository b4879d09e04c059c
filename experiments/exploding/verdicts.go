package exploding

import (
	"fmt"
	"math"
	"strings"

	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// Part 1: gradient growth at initialisation (C7, supporting).

const (
	// explodesDecades and explosionDepth define an exploding gradient: one
	// that grows more than tenfold (one decade) over explosionDepth layers,
	// that is by more than explosionRate decades per layer. The threshold
	// is a rate, so it scales with depth: a net of L hidden layers must
	// show (L-1) x explosionRate decades from its last hidden layer to its
	// first. 30 layers is the depth of the deepest plain (non-residual)
	// nets He et al. (2015) trained, the deep nets the claim is about;
	// growth slower than tenfold over them only matters in deeper nets.
	explodesDecades = 1.0
	explosionDepth  = 30
	// criticalGain is ReLU's critical weight variance gain (Var(w) =
	// 2/fan_in): mean-field theory multiplies its back-propagated gradient
	// by sqrt(g/2) per layer, so it explodes above 2.
	criticalGain = 2.0
	// flatDecades bounds the whole 95% CI of a "flat" per-example weight
	// gradient's log10(first/last): a choice, half a decade (a change of
	// at most about threefold). It only words a clause of Why and the
	// note, and decides nothing.
	flatDecades = 0.5
)

// explosionRate is the per-layer growth, in decades, above which a gradient
// explodes: explodesDecades over explosionDepth layers.
func explosionRate() float64 { return explodesDecades / explosionDepth }

// growth is one activation's per-layer growth of ||dL/dz|| toward the
// input at one gain: log10(||dL/dz_1|| / ||dL/dz_L||) / (L-1) over seeds.
type growth struct {
	gain float64
	rate metrics.Estimate // decades per layer
	mf   float64          // mean-field prediction of rate
}

// boundedGrowth is a saturating activation's growth at the gains ReLU is
// judged at.
type boundedGrowth struct {
	name   string
	growth []growth
}

// initEvidence is what the growth rule reads, at one depth (the deepest
// measured).
type initEvidence struct {
	depth   int             // hidden layers
	width   int             // hidden width
	relu    []growth        // ReLU at every measured gain above criticalGain, increasing
	bounded []boundedGrowth // tanh and sigmoid, those measured, at the same gains
	// reluMinusTanh is the per-layer growth of ReLU minus tanh at the
	// largest gain, paired by seed (same weights, same inputs); nil if
	// either was not measured there.
	reluMinusTanh *metrics.Paired
	top           float64   // the largest gain ReLU was measured at
	reluTop       initStats // ReLU at top, for the weight-gradient clause
}

// reachable: at this depth the gain can show an explosion. Mean field
// predicts growth above explosionRate per layer, and the net is deep
// enough for the predicted growth to reach explodesDecades. A gain that
// fails either says nothing against the claim (a net too shallow to reach
// the threshold, or a gain barely above critical), so it is left out.
func reachable(g growth, depth int) bool {
	return g.mf > explosionRate() && float64(depth-1)*g.mf >= explodesDecades
}

// explodes: the 95% CI of the per-layer growth lies above explosionRate.
func explodes(r metrics.Estimate) bool { return r.N >= 2 && r.Lo > explosionRate() }

// staysBelow: the 95% CI lies below explosionRate, which shows that the
// gradient does not explode (a one-sided test at 2.5%); an interval
// straddling the threshold shows neither.
func staysBelow(r metrics.Estimate) bool { return r.N >= 2 && r.Hi < explosionRate() }

// growthSide is the outcome of one half of the growth rule with its
// clauses for Why.
type growthSide struct {
	outcome result.Outcome
	why     string
}

// reluSide: ReLU explodes at every reachable gain (CONFIRMED), stays
// below the threshold at every one (REFUTED), both (MIXED), or neither
// shown (INCONCLUSIVE).
func reluSide(e initEvidence, judged []growth) growthSide {
	if len(judged) == 0 {
		return growthSide{result.Inconclusive, fmt.Sprintf("at depth %d no measured ReLU gain above %g is predicted by mean field to grow by more than %.3g decades per layer and %g decades across the net, so the measurements cannot show an explosion (and their absence refutes nothing)",
			e.depth, criticalGain, explosionRate(), explodesDecades)}
	}
	var up, below, open []string
	for _, g := range judged {
		s := fmt.Sprintf("x%.3f [%.3f, %.3f] per layer at g=%g (mean field x%.3f)", kit.Pow10(g.rate.Mean), kit.Pow10(g.rate.Lo), kit.Pow10(g.rate.Hi), g.gain, kit.Pow10(g.mf))
		switch {
		case explodes(g.rate):
			up = append(up, s)
		case staysBelow(g.rate):
			below = append(below, s)
		default:
			open = append(open, s)
		}
	}
	why := fmt.Sprintf("at depth %d ReLU's back-propagated gradient grows toward the input by ", e.depth)
	switch {
	case len(up) == len(judged):
		return growthSide{result.Confirmed, why + strings.Join(up, ", ") + ": it explodes"}
	case len(below) == len(judged):
		return growthSide{result.Refuted, why + strings.Join(below, ", ") + ": below the threshold, though mean field predicts more"}
	case len(up) > 0 && len(below) > 0:
		return growthSide{result.Mixed, why + strings.Join(up, ", ") + " (explodes) but " + strings.Join(below, ", ") + " (does not)"}
	}
	return growthSide{result.Inconclusive, why + strings.Join(append(append(up, below...), open...), ", ") + "; at least one interval straddles the threshold"}
}

// boundedSide: every saturating activation stays below the threshold at
// every judged gain (CONFIRMED: "does not explode" shown), one explodes
// somewhere (REFUTED), or neither shown (INCONCLUSIVE).
func boundedSide(e initEvidence, judged []growth) growthSide {
	var explode, stay, open []string
	for _, b := range e.bounded {
		for _, g := range b.growth {
			if !slicesContainGain(judged, g.gain) {
				continue
			}
			s := fmt.Sprintf("%s x%.3f [%.3f, %.3f] per layer at g=%g (mean field x%.3f)", b.name, kit.Pow10(g.rate.Mean), kit.Pow10(g.rate.Lo), kit.Pow10(g.rate.Hi), g.gain, kit.Pow10(g.mf))
			switch {
			case explodes(g.rate):
				explode = append(explode, s)
			case staysBelow(g.rate):
				stay = append(stay, s)
			default:
				open = append(open, s)
			}
		}
	}
	n := len(explode) + len(stay) + len(open)
	switch {
	case n == 0:
		return growthSide{result.Inconclusive, "no saturating activation (tanh, sigmoid) was measured at those gains, so \"they do not explode\" is not tested"}
	case len(explode) > 0:
		why := "but " + strings.Join(explode, " and ") + " explodes too"
		if len(stay) > 0 {
			why += " (" + strings.Join(stay, ", ") + " does not)"
		}
		return growthSide{result.Refuted, why + ": a bounded output bounds the activations, not the back-propagated gradient"}
	case len(stay) == n:
		return growthSide{result.Confirmed, "while " + strings.Join(stay, ", ") + " stays below the threshold: it does not explode"}
	}
	return growthSide{result.Inconclusive, "while for " + strings.Join(open, ", ") + " the interval straddles the threshold, so \"does not explode\" is not shown"}
}

func slicesContainGain(gs []growth, gain float64) bool {
	for _, g := range gs {
		if g.gain == gain {
			return true
		}
	}
	return false
}

// initVerdict is the growth rule (C7, supporting), at the deepest measured
// depth, on the per-layer growth of ||dL/dz|| over seeds. At every gain
// above criticalGain where mean field predicts ReLU to reach the
// explosion threshold at this depth, ReLU must explode (95% CI above
// explosionRate) and tanh and sigmoid must be shown not to (95% CI below
// it). CONFIRMED if both halves hold; REFUTED if ReLU stays below the
// threshold everywhere; MIXED if ReLU explodes and a bounded activation
// does too (or ReLU explodes at one gain and not another); INCONCLUSIVE
// otherwise, and when no gain can show an explosion at this depth.
func initVerdict(e initEvidence) result.Verdict {
	v := result.Verdict{Claim: "C7", Role: result.Supporting,
		Statement: "ReLU gradients explode with depth above the critical gain, while tanh and sigmoid gradients do not (at initialisation)",
		Rule: fmt.Sprintf("at depth %d (the deepest measured), on the per-layer growth log10(||dL/dz_1||/||dL/dz_L||)/(L-1) over seeds, with Var(w) = g/fan_in: a gradient explodes if it grows more than tenfold per %d layers, i.e. the 95%% CI lies above %.4g decades per layer (x%.3f), "+
			"and is shown not to if the 95%% CI lies below it. Judged at every gain above %g where mean field predicts ReLU to exceed the threshold and the net is deep enough for %g decade of growth. "+
			"CONFIRMED if ReLU explodes at every judged gain and tanh and sigmoid are shown not to; REFUTED if ReLU is shown not to explode at any; MIXED if ReLU explodes and a bounded activation does too; INCONCLUSIVE otherwise",
			e.depth, explosionDepth, explosionRate(), kit.Pow10(explosionRate()), criticalGain, explodesDecades),
		Caveat: fmt.Sprintf("one forward and backward pass at initialisation on N(0,1) inputs with random labels, width %d: how gradients scale before training, not whether a trained net's gradients explode (the remedies rule's question)", e.width)}
	var judged []growth
	for _, g := range e.relu {
		if reachable(g, e.depth) {
			judged = append(judged, g)
		}
	}
	relu := reluSide(e, judged)
	v.Evidence = initVerdictEvidence(e, judged)
	if len(judged) > 0 {
		w := judged[0]
		v.Effect = &result.Evidence{Name: fmt.Sprintf("ReLU per-layer growth of ||dL/dz|| at g=%g, depth %d (the smallest judged gain)", w.gain, e.depth), Estimate: w.rate, Unit: "decades per layer"}
		v.Margin = result.Float(explosionRate())
		v.N = w.rate.N
		if mde := metrics.MDE(w.rate.SD, w.rate.N); !math.IsInf(mde, 0) && !math.IsNaN(mde) {
			v.MDE = result.Float(mde)
		}
	}
	if len(judged) == 0 {
		v.Outcome = result.Inconclusive
		v.Why = capitalise(relu.why) + "."
		return v
	}
	bounded := boundedSide(e, judged)
	switch {
	case relu.outcome == result.Refuted:
		v.Outcome = result.Refuted
	case relu.outcome == result.Mixed:
		v.Outcome = result.Mixed
	case relu.outcome == result.Confirmed && bounded.outcome == result.Confirmed:
		v.Outcome = result.Confirmed
	case relu.outcome == result.Confirmed && bounded.outcome == result.Refuted:
		v.Outcome = result.Mixed
	default:
		v.Outcome = result.Inconclusive
	}
	why := capitalise(relu.why) + "; " + bounded.why
	if e.reluMinusTanh != nil && e.reluMinusTanh.Diff.N >= 2 {
		d := e.reluMinusTanh.Diff
		why += fmt.Sprintf("; on the same weights and inputs ReLU's growth exceeds tanh's at g=%g by %.3f [%.3f, %.3f] decades per layer", e.top, d.Mean, d.Lo, d.Hi)
	}
	if weightGradientHidesExplosion(e.reluTop) {
		why += fmt.Sprintf("; ReLU's per-example weight gradient stays flat (10^%.2f across the net at g=%g), so weight-gradient norms hide the explosion", e.reluTop.example.Mean, e.top)
	}
	v.Why = why + "." + mdeClause(v)
	return v
}

func initVerdictEvidence(e initEvidence, judged []growth) []result.Evidence {
	var ev []result.Evidence
	for _, g := range judged {
		ev = append(ev, result.Evidence{Name: fmt.Sprintf("relu g=%g depth %d per-layer growth of ||dL/dz||", g.gain, e.depth), Estimate: g.rate, Unit: "decades per layer"})
	}
	for _, b := range e.bounded {
		for _, g := range b.growth {
			if slicesContainGain(judged, g.gain) {
				ev = append(ev, result.Evidence{Name: fmt.Sprintf("%s g=%g depth %d per-layer growth of ||dL/dz||", b.name, g.gain, e.depth), Estimate: g.rate, Unit: "decades per layer"})
			}
		}
	}
	if e.reluMinusTanh != nil {
		ev = append(ev, result.Evidence{Name: fmt.Sprintf("relu minus tanh g=%g depth %d per-layer growth of ||dL/dz|| (paired seeds)", e.top, e.depth), Estimate: e.reluMinusTanh.Diff, Unit: "decades per layer"})
	}
	if e.reluTop.z.N > 0 {
		ev = append(ev,
			result.Evidence{Name: fmt.Sprintf("relu g=%g depth %d log10(last/first) of activation norms", e.top, e.depth), Estimate: e.reluTop.act, Unit: "log10"},
			result.Evidence{Name: fmt.Sprintf("relu g=%g depth %d log10(first/last) of the per-example ||dL/dW||", e.top, e.depth), Estimate: e.reluTop.example, Unit: "log10"})
	}
	return ev
}

// weightGradientHidesExplosion: the back-propagated gradient grows by more
// than explodesDecades across the net while the per-example weight
// gradient, the quantity mean-field theory predicts to be flat, stays flat
// (its whole 95% CI within flatDecades of zero).
func weightGradientHidesExplosion(s initStats) bool {
	return s.z.N >= 2 && s.z.Lo > explodesDecades && s.example.Lo >= -flatDecades && s.example.Hi <= flatDecades
}

// mdeClause says, for Why, when the verdict's comparison has too few
// units to see an effect the size of its margin with 80% power: an
// undecided verdict then says little, while a decided one stands, its
// interval having cleared the margin all the same. Empty otherwise. Call
// it after the outcome is set.
func mdeClause(v result.Verdict) string {
	if v.MDE == nil || v.Margin == nil || *v.MDE <= math.Abs(*v.Margin) {
		return ""
	}
	s := fmt.Sprintf(" With n = %d the minimal detectable effect (%.3g) is above the margin (%.3g)", v.N, *v.MDE, math.Abs(*v.Margin))
	if v.Outcome == result.Inconclusive {
		return s + ": an effect the size of the margin could go unseen, and more seeds could decide."
	}
	return s + "; the interval cleared the margin all the same."
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Part 2: training on MNIST.

const (
	// trainsMargin is how far below the plain net's test accuracy at its
	// own best stable learning rate a remedied net may end and still count
	// as trained: 5 points of MNIST accuracy. The claim is that a remedy
	// lets the net train at all (chance is 0.1, the plain net's best about
	// 0.85 in this short run), not a last point of accuracy; 5 points is a
	// fifteenth of the way from the plain net's best back to chance.
	trainsMargin = 0.05
	// bnGainMargin is the smallest gain in test accuracy, BatchNorm's best
	// over the plain net's best, that makes BatchNorm the companion ReLU
	// "trains best" with: 2 points of MNIST accuracy. Less is within what
	// one more epoch or a retuned learning rate gives a run this short.
	bnGainMargin = 0.02
	// divergesShare is the share of runs that decides whether an arm
	// diverges: it is shown to diverge if the 95% Wilson interval of its
	// share of diverged runs lies above divergesShare, and shown to train
	// without diverging if the interval lies at or below it. Half, as
	// kit.MaxDivergedShare: past it most runs blow up.
	divergesShare = kit.MaxDivergedShare
)

// arm is one remedy at one learning rate: its runs, how many diverged, and
// the test accuracy of the others.
type arm struct {
	runs, diverged int
	acc            metrics.Estimate // test accuracy over the runs that did not diverge
}

func (a arm) divergedShare() metrics.Estimate { return metrics.ProportionCI(a.diverged, a.runs) }

// divergesShown: most runs diverge, and the Wilson interval shows it.
func (a arm) divergesShown() bool { return a.runs > 0 && a.divergedShare().Lo > divergesShare }

// stableShown: the Wilson interval shows that most runs do not diverge.
func (a arm) stableShown() bool { return a.runs > 0 && a.divergedShare().Hi <= divergesShare }

func (a arm) String() string {
	return fmt.Sprintf("%d of %d diverged, test accuracy %s", a.diverged, a.runs, kit.FmtEstimate(a.acc, 3))
}

// reference is the plain net at its best stable learning rate: the rate,
// among those where none of its runs diverged, with the highest mean test
// accuracy.
type reference struct {
	lr  float64
	arm arm
}

// remedyTest is one remedy at one learning rate against the reference.
type remedyTest struct {
	name string // "bn", "clip 5"
	lr   float64
	arm  arm
	// vsRef is the test accuracy minus the reference's, per seed; a pair
	// whose remedy run diverged is left out (and counted in arm).
	vsRef metrics.Paired
}

// trains decides whether a remedy lets the net train at its learning rate:
// its test accuracy is within trainsMargin of the reference.
//
//	not run                                                        INCONCLUSIVE
//	most runs shown to diverge (Wilson CI above divergesShare)     REFUTED
//	more than half the runs diverged, not shown                    INCONCLUSIVE
//	95% CI of vsRef below -trainsMargin                            REFUTED
//	95% CI of vsRef above -trainsMargin, Wilson CI at or below
//	divergesShare                                                  CONFIRMED
//	otherwise                                                      INCONCLUSIVE
func trains(t remedyTest) (result.Outcome, string) {
	d := t.vsRef.Diff
	diff := "no pairs"
	if d.N >= 1 {
		diff = fmt.Sprintf("%+.3f [%+.3f, %+.3f] (%d pairs)", d.Mean, d.Lo, d.Hi, d.N)
	}
	if t.arm.runs == 0 {
		return result.Inconclusive, fmt.Sprintf("%s at lr %g was not run", t.name, t.lr)
	}
	desc := fmt.Sprintf("%s at lr %g: %d of %d diverged, test accuracy minus the reference %s", t.name, t.lr, t.arm.diverged, t.arm.runs, diff)
	if t.arm.divergesShown() {
		return result.Refuted, desc + ": it does not stop the divergence"
	}
	if mostly, _ := kit.MostlyDiverged(t.name, t.arm.diverged, t.arm.runs); mostly {
		return result.Inconclusive, desc + ": most runs diverged, too few to tell"
	}
	switch kit.Superiority(t.vsRef, -trainsMargin) {
	case result.Refuted:
		return result.Refuted, desc + ": it does not train as well"
	case result.Confirmed:
		if t.arm.stableShown() {
			return result.Confirmed, desc + ": it trains"
		}
		return result.Inconclusive, desc + ": the runs that did not diverge train, but too many diverged to show the remedy stops divergence"
	}
	return result.Inconclusive, desc + ": the interval straddles the margin"
}

// remediesEvidence is what the remedies rule reads, at the judged
// learning rate.
type remediesEvidence struct {
	lr, clip float64
	setting  string           // the net and its training, for the caveat
	plain    arm              // no remedy at lr
	divStep  metrics.Estimate // step of divergence of the plain net's diverged runs at lr
	ref      *reference       // nil: no learning rate was stable without remedy
	remedies []remedyTest     // clipping at clip and BatchNorm (no runs if not run), at lr
	sweep    []remedyTest     // every clipping threshold at lr, increasing
	clipByLR []remedyTest     // clipping at clip at every learning rate, increasing
}

// remediesVerdict is C7's main rule. At the judged learning rate the plain
// net must be shown to diverge, and at its best stable rate it must learn
// (kit.Learns); otherwise the setup tests nothing (INCONCLUSIVE). Each
// remedy then trains or not (trains). CONFIRMED if clipping at the blog's
// threshold and BatchNorm both train; REFUTED if neither does; MIXED if one
// does and the other does not; INCONCLUSIVE otherwise.
func remediesVerdict(e remediesEvidence) result.Verdict {
	v := result.Verdict{Claim: "C7", Role: result.Main,
		Statement: fmt.Sprintf("deep ReLU nets' gradients can explode, and BatchNorm or global-norm clipping (at %g) lets them train at a learning rate where they otherwise diverge", e.clip),
		Rule: fmt.Sprintf("at learning rate %g the plain net must be shown to diverge (95%% Wilson interval of its share of diverged runs above %.2g; a run diverges at a loss above 10 ln 10 or not finite) and must learn at its best stable rate (no run diverged, highest mean test accuracy; 95%% CI above %.1f); else INCONCLUSIVE. "+
			"A remedy trains if its paired test accuracy minus the plain net's at that rate has its 95%% CI above -%.2f and its Wilson interval of diverged runs at or below %.2g; it does not if most runs are shown to diverge or the CI lies below -%.2f. "+
			"CONFIRMED if clipping at %g and BatchNorm both train, REFUTED if neither, MIXED if one does and the other does not, INCONCLUSIVE otherwise",
			e.lr, divergesShare, kit.StallsAccuracy, trainsMargin, divergesShare, trainsMargin, e.clip),
		Caveat: fmt.Sprintf("%s stands in for Pascanu et al.'s recurrent nets and Ioffe and Szegedy's Inception on ImageNet; \"trains\" is accuracy after a short run within %.0f points of the plain net's best, not convergence", e.setting, 100*trainsMargin)}
	v.Evidence = remediesVerdictEvidence(e)
	if len(e.remedies) > 0 {
		w := leastFavourable(e.remedies)
		kit.Compared(&v, fmt.Sprintf("test accuracy, %s at lr %g minus no remedy at its best stable lr (must exceed the margin)", w.name, w.lr), "accuracy", w.vsRef, -trainsMargin)
	}
	if e.ref == nil || !kit.Learns(e.ref.arm.acc) {
		v.Outcome = result.Inconclusive
		if e.ref == nil {
			v.Why = "Without remedy some run diverged at every learning rate of the grid, so there is no stable reference to train back to; lower the grid."
		} else {
			v.Why = fmt.Sprintf("The control failed: without remedy the net did not learn even at its best stable learning rate %g (test accuracy %s, learning needs the 95%% CI above %.1f), so no remedy can be judged; train longer or on more examples.", e.ref.lr, kit.FmtEstimate(e.ref.arm.acc, 3), kit.StallsAccuracy)
		}
		return v
	}
	if !e.plain.divergesShown() {
		v.Outcome = result.Inconclusive
		v.Why = fmt.Sprintf("Without remedy %d of %d runs diverged at learning rate %g (Wilson interval %.2f to %.2f), so the net is not shown to diverge there and the remedies were not tested against a divergence; choose a larger --lr.",
			e.plain.diverged, e.plain.runs, e.lr, e.plain.divergedShare().Lo, e.plain.divergedShare().Hi)
		return v
	}
	var outs []result.Outcome
	var parts []string
	for _, t := range e.remedies {
		o, s := trains(t)
		outs = append(outs, o)
		parts = append(parts, s)
	}
	v.Outcome = combineRemedies(outs)
	why := fmt.Sprintf("At learning rate %g the plain net diverged in %d of %d runs (mean step %.1f); at its best stable rate %g it reached test accuracy %s. Remedies: %s",
		e.lr, e.plain.diverged, e.plain.runs, e.divStep.Mean, e.ref.lr, kit.FmtEstimate(e.ref.arm.acc, 3), strings.Join(parts, "; "))
	v.Why = why + clipSweepClause(e.sweep) + clipByLRClause(e.clip, e.clipByLR) + "." + mdeClause(v)
	return v
}

// combineRemedies: all train, CONFIRMED; none does, REFUTED; some do and
// some are shown not to, MIXED; anything undecided, INCONCLUSIVE.
func combineRemedies(outs []result.Outcome) result.Outcome {
	n := map[result.Outcome]int{}
	for _, o := range outs {
		n[o]++
	}
	switch {
	case len(outs) == 0:
		return result.Inconclusive
	case n[result.Confirmed] == len(outs):
		return result.Confirmed
	case n[result.Refuted] == len(outs):
		return result.Refuted
	case n[result.Confirmed] > 0 && n[result.Refuted] > 0:
		return result.Mixed
	}
	return result.Inconclusive
}

// leastFavourable is the remedy whose comparison speaks least for the
// claim: the smallest lower end of the 95% CI, a remedy without pairs
// first. It is the verdict's effect.
func leastFavourable(ts []remedyTest) remedyTest {
	w := ts[0]
	for _, t := range ts[1:] {
		if t.vsRef.Diff.N < 2 || (w.vsRef.Diff.N >= 2 && t.vsRef.Diff.Lo < w.vsRef.Diff.Lo) {
			w = t
		}
	}
	return w
}

func remediesVerdictEvidence(e remediesEvidence) []result.Evidence {
	var ev []result.Evidence
	add := func(name, unit string, est metrics.Estimate) {
		ev = append(ev, result.Evidence{Name: name, Estimate: est, Unit: unit})
	}
	add(fmt.Sprintf("no remedy, lr %g: share of runs diverged", e.lr), "", e.plain.divergedShare())
	if e.plain.diverged > 0 {
		add(fmt.Sprintf("no remedy, lr %g: step of divergence", e.lr), "step", e.divStep)
	}
	if e.ref != nil {
		add(fmt.Sprintf("no remedy at its best stable lr %g: test accuracy", e.ref.lr), "accuracy", e.ref.arm.acc)
	}
	for _, t := range e.remedies {
		add(fmt.Sprintf("%s, lr %g: share of runs diverged", t.name, t.lr), "", t.arm.divergedShare())
		add(fmt.Sprintf("%s, lr %g: test accuracy minus no remedy's best (paired)", t.name, t.lr), "accuracy", t.vsRef.Diff)
	}
	return ev
}

// clipSweepClause says which clipping thresholds let the net train at the
// judged rate; empty without a sweep. It decides nothing.
func clipSweepClause(sweep []remedyTest) string {
	if len(sweep) <= 1 {
		return ""
	}
	byOutcome := map[result.Outcome][]string{}
	for _, t := range sweep {
		o, _ := trains(t)
		byOutcome[o] = append(byOutcome[o], strings.TrimPrefix(t.name, "clip "))
	}
	return fmt.Sprintf(". Clipping thresholds at lr %g: %s", sweep[0].lr, outcomeList(byOutcome, "trains", "does not"))
}

// clipByLRClause says at which learning rates clipping at the blog's
// threshold lets the net train; empty with one rate. It decides nothing.
func clipByLRClause(clip float64, byLR []remedyTest) string {
	if len(byLR) <= 1 {
		return ""
	}
	byOutcome := map[result.Outcome][]string{}
	for _, t := range byLR {
		o, _ := trains(t)
		byOutcome[o] = append(byOutcome[o], fmt.Sprintf("%g", t.lr))
	}
	return fmt.Sprintf(". Clipping at %g by learning rate: %s", clip, outcomeList(byOutcome, "enough at", "not enough at"))
}

func outcomeList(by map[result.Outcome][]string, yes, no string) string {
	var parts []string
	if xs := by[result.Confirmed]; len(xs) > 0 {
		parts = append(parts, yes+" "+strings.Join(xs, ", "))
	}
	if xs := by[result.Refuted]; len(xs) > 0 {
		parts = append(parts, no+" "+strings.Join(xs, ", "))
	}
	if xs := append(by[result.Inconclusive], by[result.Mixed]...); len(xs) > 0 {
		parts = append(parts, "undecided at "+strings.Join(xs, ", "))
	}
	return strings.Join(parts, "; ")
}

// rateComparison is BatchNorm against the plain net at one learning rate.
type rateComparison struct {
	lr        float64
	plain, bn arm
	diff      metrics.Paired // BatchNorm minus plain test accuracy, per seed; pairs with a diverged run left out
}

// batchNormEvidence is what the BatchNorm rule reads.
type batchNormEvidence struct {
	ran               bool
	setting           string         // the net and its training, for the caveat
	plainBest, bnBest *reference     // best stable rates; nil if none
	best              metrics.Paired // BatchNorm at its best minus plain at its best, per seed
	rates             []rateComparison
}

// batchNormVerdict is the BatchNorm half of C11 (supporting): a ReLU net
// trains best with BatchNorm, each arm at its own best stable learning
// rate. The plain net must learn there (the control), else INCONCLUSIVE.
// kit.Superiority with bnGainMargin decides; a CONFIRMED becomes MIXED if at
// some rate where both mostly trained BatchNorm is shown worse than the
// plain net by more than the margin.
func batchNormVerdict(e batchNormEvidence) result.Verdict {
	v := result.Verdict{Claim: "C11", Role: result.Supporting,
		Statement: "a deep ReLU net trains best with BatchNorm (the BatchNorm half of C11; dropout is tested by the overfitting experiment)",
		Rule: fmt.Sprintf("each arm at its own best stable learning rate of the grid (no run diverged, highest mean test accuracy); the plain net must learn there (95%% CI above %.1f), else INCONCLUSIVE. "+
			"On the paired test accuracy, BatchNorm minus plain: CONFIRMED if the 95%% CI lies above %.2f, REFUTED if below, INCONCLUSIVE otherwise; MIXED instead of CONFIRMED if at a rate where neither arm mostly diverged BatchNorm is shown worse by more than %.2f",
			kit.StallsAccuracy, bnGainMargin, bnGainMargin),
		Caveat: fmt.Sprintf("%s over a grid of %d learning rates stands in for Ioffe and Szegedy's Inception on ImageNet, whose gain was in steps to a target accuracy; dropout, C11's other half, is not here", e.setting, len(e.rates))}
	if !e.ran {
		v.Outcome = result.Inconclusive
		v.Why = "BatchNorm was not run (--bn=false), so the rule cannot be applied."
		return v
	}
	kit.Compared(&v, "test accuracy, BatchNorm at its best stable lr minus no remedy at its best stable lr", "accuracy", e.best, bnGainMargin)
	switch {
	case e.plainBest == nil:
		v.Outcome = result.Inconclusive
		v.Why = "Without remedy some run diverged at every learning rate of the grid, so the plain net has no stable rate to compare with."
		return v
	case !kit.Learns(e.plainBest.arm.acc):
		v.Outcome = result.Inconclusive
		v.Why = fmt.Sprintf("The control failed: without remedy the net did not learn even at its best stable learning rate %g (test accuracy %s), so a gain from BatchNorm says nothing about training well.", e.plainBest.lr, kit.FmtEstimate(e.plainBest.arm.acc, 3))
		return v
	case e.bnBest == nil:
		v.Outcome = result.Inconclusive
		v.Why = "With BatchNorm some run diverged at every learning rate of the grid, so it has no stable rate to compare."
		return v
	}
	v.Evidence = []result.Evidence{
		{Name: fmt.Sprintf("no remedy at its best stable lr %g: test accuracy", e.plainBest.lr), Estimate: e.plainBest.arm.acc, Unit: "accuracy"},
		{Name: fmt.Sprintf("bn at its best stable lr %g: test accuracy", e.bnBest.lr), Estimate: e.bnBest.arm.acc, Unit: "accuracy"},
	}
	var worse, perRate []string
	for _, r := range e.rates {
		pm, _ := kit.MostlyDiverged("plain", r.plain.diverged, r.plain.runs)
		bm, _ := kit.MostlyDiverged("bn", r.bn.diverged, r.bn.runs)
		d := r.diff.Diff
		switch {
		case pm && bm:
			perRate = append(perRate, fmt.Sprintf("lr %g both mostly diverged", r.lr))
			continue
		case pm:
			perRate = append(perRate, fmt.Sprintf("lr %g plain diverged in %d of %d, BatchNorm in %d of %d", r.lr, r.plain.diverged, r.plain.runs, r.bn.diverged, r.bn.runs))
			continue
		case bm:
			perRate = append(perRate, fmt.Sprintf("lr %g BatchNorm diverged in %d of %d", r.lr, r.bn.diverged, r.bn.runs))
			continue
		}
		perRate = append(perRate, fmt.Sprintf("lr %g %+.3f [%+.3f, %+.3f]", r.lr, d.Mean, d.Lo, d.Hi))
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("bn minus no remedy at lr %g: test accuracy (paired)", r.lr), Estimate: d, Unit: "accuracy"})
		if d.N >= 2 && d.Hi < -bnGainMargin {
			worse = append(worse, fmt.Sprintf("%g", r.lr))
		}
	}
	v.Outcome = kit.Superiority(e.best, bnGainMargin)
	if v.Outcome == result.Confirmed && len(worse) > 0 {
		v.Outcome = result.Mixed
	}
	b := e.best.Diff
	why := fmt.Sprintf("At its best stable learning rate %g BatchNorm reached test accuracy %s against %s without it at %g: a paired gain of %+.3f [%+.3f, %+.3f] over %d seeds",
		e.bnBest.lr, kit.FmtEstimate(e.bnBest.arm.acc, 3), kit.FmtEstimate(e.plainBest.arm.acc, 3), e.plainBest.lr, b.Mean, b.Lo, b.Hi, b.N)
	if len(perRate) > 0 {
		why += "; BatchNorm minus plain by rate: " + strings.Join(perRate, ", ")
	}
	if len(worse) > 0 {
		why += fmt.Sprintf("; BatchNorm is worse by more than %.2f at lr %s", bnGainMargin, strings.Join(worse, ", "))
	}
	v.Why = why + "." + mdeClause(v)
	return v
}
