package exploding

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
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
	// explosionMarginReason is why explosionRate is the margin of the
	// growth rule, for the report.
	explosionMarginReason = "tenfold growth over 30 layers, the depth of the deepest plain nets He et al. (2015) trained"
	// criticalGain is ReLU's critical weight variance gain (Var(w) =
	// 2/fan_in): mean-field theory multiplies its back-propagated gradient
	// by sqrt(g/2) per layer, so it explodes above 2.
	criticalGain = 2.0
	// tanhCriticalGain is tanh's: tanh'(0) = 1, so near zero its gradient
	// is multiplied by sqrt(g) per layer, and zero-bias tanh nets pass
	// from order to chaos at g = 1 (Poole et al. 2016). Above it tanh's
	// gradient grows too; the growth rule compares at ReLU's gains, so
	// Why also shows tanh at the same multiple of its own critical gain.
	tanhCriticalGain = 1.0
	// sigmoidNeverGrows: sigmoid's slope is at most 1/4, so its gradient's
	// second moment is multiplied by at most g/16 per layer: below this
	// gain it cannot grow, whatever the pre-activations.
	sigmoidNeverGrows = 16.0
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
	// tanhTop is tanh at top (nil if not measured): its weight gradient,
	// for the same clause.
	tanhTop *initStats
	// tanhAlike pairs ReLU at a judged gain g with tanh at the same
	// multiple of its own critical gain, g x tanhCriticalGain/criticalGain,
	// where tanh was measured there; shown, not decided.
	tanhAlike []alikeGrowth
}

// alikeGrowth is ReLU and tanh each at the same multiple of its own
// critical gain.
type alikeGrowth struct{ relu, tanh growth }

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

// fmtGrowth writes one growth as a factor per layer with its 95% CI and
// the mean-field prediction: "x1.224 [1.221, 1.228] at g=3 (mean field
// x1.225)".
func fmtGrowth(g growth) string {
	return fmt.Sprintf("x%.3f [%.3f, %.3f] at g=%g (mean field x%.3f)", kit.Pow10(g.rate.Mean), kit.Pow10(g.rate.Lo), kit.Pow10(g.rate.Hi), g.gain, kit.Pow10(g.mf))
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
		s := fmtGrowth(g)
		switch {
		case explodes(g.rate):
			up = append(up, s)
		case staysBelow(g.rate):
			below = append(below, s)
		default:
			open = append(open, s)
		}
	}
	why := fmt.Sprintf("at depth %d ReLU's back-propagated gradient grows toward the input per layer by ", e.depth)
	thr := fmt.Sprintf("the threshold x%.3f", kit.Pow10(explosionRate()))
	switch {
	case len(up) == len(judged):
		return growthSide{result.Confirmed, why + strings.Join(up, " and ") + ", above " + thr + ": it explodes"}
	case len(below) == len(judged):
		return growthSide{result.Refuted, why + strings.Join(below, " and ") + ", below " + thr + ", though mean field predicts more"}
	case len(up) > 0 && len(below) > 0:
		return growthSide{result.Mixed, why + strings.Join(up, ", ") + " (above " + thr + ") but " + strings.Join(below, ", ") + " (below it)"}
	}
	return growthSide{result.Inconclusive, why + strings.Join(append(append(up, below...), open...), ", ") + "; at least one interval straddles " + thr}
}

// boundedSide: every saturating activation stays below the threshold at
// every judged gain (CONFIRMED: "does not explode" shown), one explodes
// somewhere (REFUTED), or neither shown (INCONCLUSIVE). Its why names each
// activation with its growth at every judged gain.
func boundedSide(e initEvidence, judged []growth) growthSide {
	var explode, stay, open []string
	predicted := true // mean field predicts every explosion seen
	for _, b := range e.bounded {
		var gs []string
		up, down, n := false, 0, 0
		shrinking := true // a factor whose whole CI is below 1 at every judged gain
		for _, g := range b.growth {
			if !slicesContainGain(judged, g.gain) {
				continue
			}
			n++
			gs = append(gs, fmtGrowth(g))
			shrinking = shrinking && g.rate.Hi < 0
			switch {
			case explodes(g.rate):
				up = true
				predicted = predicted && g.mf > explosionRate()
			case staysBelow(g.rate):
				down++
			}
		}
		if n == 0 {
			continue
		}
		// "Grows by x0.37" would read as growth: a factor below 1
		// at every gain is a shrink.
		verb := "grows"
		if shrinking {
			verb = "shrinks, changing"
		}
		s := fmt.Sprintf("%s's %s by %s", b.name, verb, strings.Join(gs, " and "))
		switch {
		case up:
			explode = append(explode, s)
		case down == n:
			stay = append(stay, s)
		default:
			open = append(open, s)
		}
	}
	thr := fmt.Sprintf("the threshold x%.3f", kit.Pow10(explosionRate()))
	switch {
	case len(explode)+len(stay)+len(open) == 0:
		return growthSide{result.Inconclusive, "no saturating activation (tanh, sigmoid) was measured at those gains, so \"they do not explode\" is not tested"}
	case len(explode) > 0:
		why := strings.Join(explode, "; ") + ", above " + thr + " as well"
		if predicted {
			why += ", as mean field predicts"
		}
		why += ": a bounded output bounds the activations, not the back-propagated gradient"
		if len(stay) > 0 {
			why += " (" + strings.Join(stay, "; ") + ", below it)"
		}
		return growthSide{result.Refuted, why}
	case len(open) == 0:
		return growthSide{result.Confirmed, strings.Join(stay, "; ") + ", below " + thr + ": they do not explode"}
	}
	return growthSide{result.Inconclusive, strings.Join(open, "; ") + ": an interval straddles " + thr + ", so \"does not explode\" is not shown"}
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
			"CONFIRMED if ReLU explodes at every judged gain and tanh and sigmoid are shown not to; REFUTED if ReLU is shown not to explode at any; MIXED if ReLU explodes and a bounded activation does too, or ReLU explodes at some judged gains and is shown not to at others; INCONCLUSIVE otherwise",
			e.depth, explosionDepth, explosionRate(), kit.Pow10(explosionRate()), criticalGain, explodesDecades),
		Caveat: fmt.Sprintf("one forward and backward pass at initialisation on N(0,1) inputs with random labels, width %d: how gradients scale before training, not whether a trained net's gradients explode (the remedies rule's question); decided on the back-propagated gradient dL/dz, the blog's quantity: the weight gradient, which SGD and global-norm clipping act on, can rank the activations the other way (the Why says when); compared at ReLU's gains, which lie twice as far above tanh's critical gain (%g) as above ReLU's (%g): the Why shows tanh at the same multiple of its own where it was measured", e.width, tanhCriticalGain, criticalGain)}
	if e.top < sigmoidNeverGrows {
		v.Caveat += fmt.Sprintf("; sigmoid's slope is at most 1/4, so its gradient shrinks per layer at every gain below %g and its half of the statement holds by construction at these gains", sigmoidNeverGrows)
	}
	var judged []growth
	for _, g := range e.relu {
		if reachable(g, e.depth) {
			judged = append(judged, g)
		}
	}
	relu := reluSide(e, judged)
	v.Evidence = initVerdictEvidence(e, judged)
	if len(judged) == 0 {
		v.Outcome = result.Inconclusive
		v.Why = capitalise(relu.why) + "."
		return v
	}
	bounded := boundedSide(e, judged)
	// The effect is ReLU's growth at the smallest judged gain, unless the
	// verdict is MIXED because a bounded activation explodes too: then it
	// is that activation's growth, the number that decided it.
	effectName, w := "ReLU", judged[0]
	switch {
	case relu.outcome == result.Refuted:
		v.Outcome = result.Refuted
	case relu.outcome == result.Mixed:
		v.Outcome = result.Mixed
	case relu.outcome == result.Confirmed && bounded.outcome == result.Confirmed:
		v.Outcome = result.Confirmed
	case relu.outcome == result.Confirmed && bounded.outcome == result.Refuted:
		v.Outcome = result.Mixed
		effectName, w = firstExploding(e.bounded, judged)
	default:
		v.Outcome = result.Inconclusive
	}
	v.Effect = &result.Evidence{Name: fmt.Sprintf("%s per-layer growth of ||dL/dz|| at g=%g, depth %d", effectName, w.gain, e.depth), Estimate: w.rate, Unit: "decades per layer",
		Of: fmt.Sprintf("%s at g=%g", effectName, w.gain)}
	if effectName == "ReLU" {
		v.Effect.Name += " (the smallest judged gain)"
	} else {
		v.Effect.Name += " (a bounded activation that explodes too)"
	}
	v.Margin = result.Float(explosionRate())
	v.MarginReason = explosionMarginReason
	v.N = w.rate.N
	if mde := metrics.MDE(w.rate.SD, w.rate.N); !math.IsInf(mde, 0) && !math.IsNaN(mde) {
		v.MDE = result.Float(mde)
	}
	// Each half of the statement is named with what became of it, so
	// that a MIXED says which half failed.
	var names []string
	for _, b := range e.bounded {
		names = append(names, b.name)
	}
	boundedHalf := "the half on the bounded activations"
	if len(names) > 0 {
		boundedHalf = "the half on " + strings.Join(names, " and ")
	}
	why := fmt.Sprintf("ReLU's half %s: %s; %s %s: %s", halfFate(relu.outcome), relu.why, boundedHalf, halfFate(bounded.outcome), bounded.why)
	if e.reluMinusTanh != nil && e.reluMinusTanh.Diff.N >= 2 {
		d := e.reluMinusTanh.Diff
		why += fmt.Sprintf("; on the same weights and inputs ReLU's growth exceeds tanh's at g=%g by %.3f [%.3f, %.3f] decades per layer", e.top, d.Mean, d.Lo, d.Hi)
	}
	if c := alikeClause(e.tanhAlike); c != "" {
		why += "; " + c
	}
	if weightGradientHidesExplosion(e.reluTop) {
		why += fmt.Sprintf("; ReLU's per-example weight gradient stays flat (10^%.2f across the net at g=%g), so weight-gradient norms hide the explosion", e.reluTop.example.Mean, e.top)
		if t := e.tanhTop; t != nil && t.w.N >= 2 && t.w.Lo > 0 {
			// What the optimiser sees grows through the bounded net
			// instead: tanh's weight gradient from the last hidden layer
			// to the first.
			why += fmt.Sprintf(", while tanh's weight gradient grows by 10^%.2f [%.2f, %.2f] from the last hidden layer to the first (ReLU's: 10^%.2f)", t.w.Mean, t.w.Lo, t.w.Hi, e.reluTop.w.Mean)
		}
	}
	v.Why = why + "."
	return v
}

// firstExploding is the first bounded activation's growth, at the
// smallest judged gain, that explodes (boundedSide's REFUTED half).
func firstExploding(bs []boundedGrowth, judged []growth) (string, growth) {
	for _, b := range bs {
		for _, g := range b.growth {
			if slicesContainGain(judged, g.gain) && explodes(g.rate) {
				return b.name, g
			}
		}
	}
	panic("exploding: no bounded activation explodes")
}

// alikeClause words, for Why, tanh beside ReLU each at the same multiple
// of its own critical gain; empty without such a pair. It decides
// nothing: the rule compares at ReLU's gains, the weight scale a user
// would pick for ReLU.
func alikeClause(as []alikeGrowth) string {
	if len(as) == 0 {
		return ""
	}
	var parts []string
	for _, a := range as {
		side := "straddling"
		switch {
		case explodes(a.tanh.rate):
			side = "above"
		case staysBelow(a.tanh.rate):
			side = "below"
		}
		t := a.tanh.rate
		parts = append(parts, fmt.Sprintf("tanh at g=%g grows by x%.3f [%.3f, %.3f] (mean field x%.3f), %s the threshold, where ReLU at g=%g grows by x%.3f",
			a.tanh.gain, kit.Pow10(t.Mean), kit.Pow10(t.Lo), kit.Pow10(t.Hi), kit.Pow10(a.tanh.mf), side, a.relu.gain, kit.Pow10(a.relu.rate.Mean)))
	}
	return fmt.Sprintf("each at the same multiple of its own critical gain (tanh's is %g, ReLU's %g; shown, not decided): %s", tanhCriticalGain, criticalGain, strings.Join(parts, "; "))
}

// halfFate words what became of one half of the growth statement.
func halfFate(o result.Outcome) string {
	switch o {
	case result.Confirmed:
		return "holds"
	case result.Refuted:
		return "fails"
	case result.Mixed:
		return "holds at some gains only"
	}
	return "is undecided"
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
	// trainsMarginReason and bnGainMarginReason are why those margins are
	// the smallest differences that matter, for the report.
	trainsMarginReason = "5 points of accuracy: a small part of the way from the plain net's best (about 0.85 on MNIST, 0.73 on Fashion-MNIST after 2 epochs) back to chance (0.1), a fifteenth on MNIST and a thirteenth on Fashion-MNIST: the claim is that the net trains at all"
	bnGainMarginReason = "2 points of accuracy: less is within what one more epoch or a retuned learning rate gives a run this short"
	// divergesShare is the share of runs that decides whether an arm
	// diverges: it is shown to diverge if the 95% Wilson interval of its
	// share of diverged runs lies above divergesShare, and shown to train
	// without diverging if the interval lies at or below it. Half, as
	// kit.MaxDivergedShare: past it most runs blow up.
	divergesShare = kit.MaxDivergedShare
)

// arm is one remedy at one learning rate: its runs, how many diverged, and
// what the others ended with.
type arm struct {
	runs, diverged int
	// stalled is how many of the diverged are runs counted as failed for
	// ending below a test accuracy floor (failedBelow): the higher cap's
	// reading; 0 otherwise.
	stalled  int
	acc      metrics.Estimate // test accuracy over the runs that did not diverge
	val      metrics.Estimate // validation accuracy, same runs (N = 0: not measured)
	dead     metrics.Estimate // fraction of dead hidden units after training, same runs
	meanNorm metrics.Estimate // log10 of each run's mean gradient norm before clipping, same runs
}

func (a arm) divergedShare() metrics.Estimate { return metrics.ProportionCI(a.diverged, a.runs) }

// divergesShown: most runs diverge, and the Wilson interval shows it.
func (a arm) divergesShown() bool { return a.runs > 0 && a.divergedShare().Lo > divergesShare }

// mostlyDiverged: more than half the runs diverged (kit.MostlyDiverged), so
// the arm's accuracy is not drawn or tabulated as a value.
func (a arm) mostlyDiverged() bool { m, _ := kit.MostlyDiverged("", a.diverged, a.runs); return m }

// stableShown: the Wilson interval shows that most runs do not diverge.
func (a arm) stableShown() bool { return a.runs > 0 && a.divergedShare().Hi <= divergesShare }

func (a arm) String() string {
	return fmt.Sprintf("%d of %d diverged, test accuracy %s", a.diverged, a.runs, kit.FmtEstimate(a.acc, 3))
}

// reference is an arm at its best stable learning rate: the rate, among
// those where none of its runs diverged, with the highest mean validation
// accuracy, or test accuracy where there is no validation split
// (bestStable).
type reference struct {
	lr   float64
	arm  arm
	grid []float64 // every rate the arm ran at, increasing
}

// onVal reports whether the rate was chosen on validation accuracy
// (arm.val) rather than on the test accuracy it is read at: bestStable
// chooses on validation wherever the arm was read on it.
func (r *reference) onVal() bool { return r != nil && r.arm.val.N > 0 }

// chosenOn names the accuracy a best stable rate was chosen on, for the
// rules: the validation images' when the arm was read on them, else the
// test accuracy it is then read at.
func (r *reference) chosenOn() string {
	if r.onVal() {
		return "validation"
	}
	return "test"
}

// choiceNote is a parenthesis on how the rate was chosen, for a Why: the
// mean validation accuracy that chose it, or nothing when it was chosen on
// test accuracy (the rule says so).
func (r *reference) choiceNote() string {
	if !r.onVal() {
		return ""
	}
	return fmt.Sprintf(" (chosen on validation accuracy, %.3f there)", r.arm.val.Mean)
}

// selectionCaveat says what choosing a best stable rate (what, e.g. "the
// plain net's best stable rate is") on ref's accuracy does to the test
// accuracy read there: nothing systematic when chosen on validation
// images, an upward bias (the luckiest rate) when chosen on test.
func selectionCaveat(what string, ref *reference) string {
	if ref.onVal() {
		return what + " chosen on validation images held out of the training set and read on the test set, so the choice does not lean on the test accuracy read; the held-out images are one draw, so a rate whose validation accuracy is within noise of another's could have been picked instead (the validation accuracy by rate is in the records)"
	}
	return what + " chosen on the same test accuracy it is then read at (no validation split), which biases it upward by picking the luckiest rate, the more so the more rates were tried"
}

// atEdge: no rate of the grid lies on one side of the best, so the grid
// does not show that a rate there would not do better, and the best
// accuracy may be underestimated. A single rate is at both edges.
func (r *reference) atEdge() bool {
	return r != nil && (len(r.grid) < 2 || r.lr == r.grid[0] || r.lr == r.grid[len(r.grid)-1])
}

// gridsOf names the learning rates each arm of the BatchNorm rule ran at.
func gridsOf(e batchNormEvidence) string {
	var bn []float64
	for _, r := range e.rates {
		bn = append(bn, r.lr)
	}
	s := fmt.Sprintf("learning rates %s", fmtRates(bn))
	if p := e.plainBest; p != nil && len(p.grid) > len(bn) {
		s += fmt.Sprintf(" (the plain net at %s)", fmtRates(p.grid))
	}
	return s
}

func fmtRates(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%g", x)
	}
	return strings.Join(parts, ", ")
}

// edgeClause says, for Why, which edge of its grid the best rate is at.
func (r *reference) edgeClause(arm string) string {
	side := "lowest"
	if len(r.grid) >= 2 && r.lr == r.grid[len(r.grid)-1] {
		side = "highest"
	}
	return fmt.Sprintf("%s's best stable rate %g is the %s of its grid (%s): a rate beyond it might do better", arm, r.lr, side, fmtRates(r.grid))
}

// remedyTest is one remedy at one learning rate against the reference.
type remedyTest struct {
	name string // "bn", "clip 5"
	lr   float64
	clip float64 // the clipping threshold, 0 for none
	arm  arm
	// vsRef is the test accuracy minus the reference's, per seed; a pair
	// whose remedy run diverged is left out (and counted in arm).
	vsRef metrics.Paired
	ref   *reference // nil: no stable rate without remedy
	// unclipped is how many of a clipped arm's diverged runs blew up
	// before clipping ever acted (no update above the threshold): one
	// oversized step rather than a growing gradient, which clipping
	// cannot stop. trains judges the arm with and without them.
	unclipped int
}

// acting is the arm as trains judges its divergence: without the runs in
// which clipping never acted.
func (t remedyTest) acting() arm {
	a := t.arm
	a.runs -= t.unclipped
	a.diverged -= t.unclipped
	return a
}

// trains decides whether a remedy lets the net train at its learning rate:
// its test accuracy is within trainsMargin of the reference.
//
//	not run                                                        INCONCLUSIVE
//	every run diverged before clipping acted                       INCONCLUSIVE
//	most runs shown to diverge (Wilson CI above divergesShare)     REFUTED
//	more than half the runs diverged, not shown, and the 95% CI
//	of vsRef over those that did not below -trainsMargin           REFUTED
//	more than half the runs diverged, not shown, otherwise         INCONCLUSIVE
//	95% CI of vsRef below -trainsMargin                            REFUTED
//	95% CI of vsRef above -trainsMargin, Wilson CI at or below
//	divergesShare, reference not at the edge of its grid           CONFIRMED
//	the same with the reference at the edge                        INCONCLUSIVE
//	otherwise                                                      INCONCLUSIVE
//
// A reference at the edge of its grid (reference.atEdge) may be
// underestimated: a better reference can only lower vsRef, so "does not
// train" stands, while "trains" is not shown. Where most runs diverged,
// the runs left are a selection, the ones the remedy suited best: they
// cannot show that it trains, but if even they fall short by more than
// the margin, it does not.
//
// A clipped run that diverged before any update was clipped
// (remedyTest.unclipped) is one clipping never acted on. The remedy is
// judged over all runs and again without those: the same outcome stands;
// REFUTED without them (clipping failed where it did act) stands; any
// other disagreement is INCONCLUSIVE, as the outcome would rest on runs
// clipping never touched.
func trains(t remedyTest) (result.Outcome, string) {
	if t.unclipped == 0 {
		return judgeRemedy(t)
	}
	act := t
	act.arm = t.acting()
	oAll, whyAll := judgeRemedy(t)
	if act.arm.runs == 0 {
		return result.Inconclusive, strings.TrimSuffix(whyAll, " ("+string(oAll)+")") + fmt.Sprintf(" (every one of its %d runs diverged before clipping ever acted), so clipping acted in no run and the runs cannot tell (INCONCLUSIVE)", t.arm.runs)
	}
	oAct, whyAct := judgeRemedy(act)
	// The note sits in brackets after the outcome, so that the outcome
	// still ends the clause that names the remedy.
	note := fmt.Sprintf(" (in %d of the %d runs that diverged clipping never acted: every update before the blow-up was below the threshold, one oversized step rather than a growing gradient; judged without them, %d of %d runs diverged and the outcome is %s)",
		t.unclipped, t.arm.diverged, act.arm.diverged, act.arm.runs, oAct)
	switch {
	case oAct == oAll:
		return oAll, whyAll + note
	case oAct == result.Refuted:
		return oAct, whyAct + note
	}
	return result.Inconclusive, strings.TrimSuffix(whyAll, " ("+string(oAll)+")") + fmt.Sprintf(", reading all %d runs (%s)", t.arm.runs, strings.ToLower(string(oAll))) + note + ", so the outcome rests on the runs clipping never acted on (INCONCLUSIVE)"
}

// judgeRemedy is trains' rule on one reading of the runs: all of them, or
// those in which clipping acted.
func judgeRemedy(t remedyTest) (result.Outcome, string) {
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
		return result.Refuted, desc + ": it does not stop the divergence (REFUTED)"
	}
	if mostly, _ := kit.MostlyDiverged(t.name, t.arm.diverged, t.arm.runs); mostly {
		if kit.Superiority(t.vsRef, -trainsMargin) == result.Refuted {
			return result.Refuted, desc + ": most runs diverged, and even those that did not fall short of the reference by more than the margin (REFUTED)"
		}
		return result.Inconclusive, desc + ": most runs diverged, too few to tell"
	}
	switch kit.Superiority(t.vsRef, -trainsMargin) {
	case result.Refuted:
		if a := t.arm.acc; a.N >= 2 && a.Hi < kit.StallsAccuracy {
			// Review 26c: "not as well" understated runs that ended near
			// chance.
			return result.Refuted, desc + fmt.Sprintf(": it does not train (its runs that did not diverge end at test accuracy %.3f, below %.1f) (REFUTED)", a.Mean, kit.StallsAccuracy)
		}
		return result.Refuted, desc + ": it does not train as well (REFUTED)"
	case result.Confirmed:
		if !t.arm.stableShown() {
			return result.Inconclusive, desc + ": the runs that did not diverge train, but too many diverged to show the remedy stops divergence"
		}
		if t.ref.atEdge() {
			return result.Inconclusive, desc + ": within the margin of the reference, but " + t.ref.edgeClause("the plain net") + ", so \"trains\" is not shown until the grid extends past it"
		}
		return result.Confirmed, desc + ": it trains (CONFIRMED)"
	}
	return result.Inconclusive, desc + ": the interval straddles the margin"
}

// atEdgeNote marks, in a list of undecided remedies, one that is
// undecided only because the reference is at the edge of its grid.
const atEdgeNote = " (within the margin; reference at its grid's edge)"

// withinMarginAtEdge: the remedy would train (trains' CONFIRMED) but for
// a reference at the edge of its grid, which leaves it undecided.
func withinMarginAtEdge(t remedyTest) bool {
	return t.ref.atEdge() && t.arm.runs > 0 && !t.arm.divergesShown() && !t.arm.mostlyDiverged() &&
		kit.Superiority(t.vsRef, -trainsMargin) == result.Confirmed && t.arm.stableShown()
}

// failureClause says, for Why, how the runs of a remedy that did not
// diverge failed: their test accuracy, their share of dead hidden units
// against the reference's and, for clipping, their mean gradient norm
// before clipping against the threshold. With more dead units than the
// reference (95% CIs apart) and a mean norm whose whole CI lies below the
// threshold, the runs stalled with dead units rather than blew up. It
// decides nothing; empty without two such runs.
func failureClause(t remedyTest) string {
	if t.arm.dead.N < 2 {
		return ""
	}
	s := fmt.Sprintf("; its %d runs that did not diverge ended at test accuracy %s with a share %s of hidden units dead", t.arm.dead.N, kit.FmtEstimate(t.arm.acc, 3), kit.FmtEstimate(t.arm.dead, 2))
	moreDead := false
	if r := t.ref; r != nil && r.arm.dead.N >= 2 {
		s += fmt.Sprintf(" (output 0 on every test example; the plain net at lr %g: %s)", r.lr, kit.FmtEstimate(r.arm.dead, 2))
		moreDead = t.arm.dead.Lo > r.arm.dead.Hi
	} else {
		s += " (output 0 on every test example)"
	}
	calm := false
	if m := t.arm.meanNorm; t.clip > 0 && m.N >= 2 {
		calm = kit.Pow10(m.Hi) < t.clip
		s += fmt.Sprintf(" and a mean gradient norm before clipping of %.2g [%.2g, %.2g] (geometric mean over runs), %s the threshold %g", kit.Pow10(m.Mean), kit.Pow10(m.Lo), kit.Pow10(m.Hi), map[bool]string{true: "below", false: "against"}[calm], t.clip)
	}
	if moreDead && calm {
		s += ": they stalled with dead units rather than blew up"
	}
	return s
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
	// plainByLR is the net without remedy at the rates of clipByLR.
	plainByLR []arm
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
		Rule: fmt.Sprintf("at learning rate %g the plain net must be shown to diverge (95%% Wilson interval of its share of diverged runs above %.2g; a run diverges at a loss above 10 ln 10 or not finite) and must learn at its best stable rate (no run diverged, highest mean %s accuracy; 95%% CI of its test accuracy above %.1f); else INCONCLUSIVE. "+
			"A remedy trains if its paired test accuracy minus the plain net's at that rate has its 95%% CI above -%.2f and its Wilson interval of diverged runs at or below %.2g; it does not if most runs are shown to diverge or the CI lies below -%.2f. "+
			"If the plain net's best stable rate is at the edge of its grid (a lower or higher rate untried), a remedy that would train is undecided, since a better reference can only lower the difference; one that does not train stands. "+
			"CONFIRMED if clipping at %g and BatchNorm both train, REFUTED if neither, MIXED if one does and the other does not, INCONCLUSIVE otherwise",
			e.lr, divergesShare, e.ref.chosenOn(), kit.StallsAccuracy, trainsMargin, divergesShare, trainsMargin, e.clip),
		Caveat: fmt.Sprintf("%s stands in for Pascanu et al.'s recurrent nets and Ioffe and Szegedy's Inception on ImageNet; \"trains\" is accuracy after a short run within %.0f points of the plain net's best, not convergence; "+
			"the plain net diverges at lr %g within a few steps (mean step %.1f), so what the remedies face here is an overshoot from a rate that is too high more than a gradient that grows over training (the growth with depth is the verdict at initialisation's), and a run that overshoots before any gradient reaches the threshold is one clipping cannot act on; %s; %s",
			e.setting, 100*trainsMargin, e.lr, e.divStep.Mean, selectionCaveat("the plain net's best stable rate is", e.ref), sweepCaveat(e.clip, e.sweep))}
	v.Evidence = remediesVerdictEvidence(e)
	compare := func(w remedyTest) {
		kit.Compared(&v, fmt.Sprintf("test accuracy, %s at lr %g minus no remedy at its best stable lr%s (must exceed the margin)", w.name, w.lr, stableRate(e.ref)), "accuracy", w.vsRef, -trainsMargin, trainsMarginReason)
		// The effect is one remedy's: say which, so that a table of
		// effects from several runs does not set clipping's against
		// BatchNorm's unnamed.
		v.Effect.Of = fmt.Sprintf("%s at lr %g", w.name, w.lr)
		// Its n counts the pairs left after divergence: say how many
		// runs were lost, so that a short table of effects shows it.
		if w.arm.diverged > 0 {
			v.Effect.Of += fmt.Sprintf(" (%d of %d runs diverged)", w.arm.diverged, w.arm.runs)
		}
	}
	if len(e.remedies) > 0 {
		compare(leastFavourable(e.remedies))
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
		if o == result.Refuted {
			s += failureClause(t)
		}
		outs = append(outs, o)
		// One sentence per remedy, so that the report names each as a
		// part with its own outcome.
		if t.arm.runs > 0 {
			s = "With " + s
		}
		parts = append(parts, s)
	}
	v.Outcome = combineRemedies(outs)
	if v.Outcome == result.Inconclusive {
		// The effect shown is a remedy that left the verdict undecided,
		// not one that was decided either way.
		for i, o := range outs {
			if o == result.Inconclusive && e.remedies[i].vsRef.Diff.N >= 2 {
				compare(e.remedies[i])
				break
			}
		}
	}
	why := fmt.Sprintf("At learning rate %g the plain net diverged in %d of %d runs (mean step %.1f); at its best stable rate %g%s it reached test accuracy %s. %s",
		e.lr, e.plain.diverged, e.plain.runs, e.divStep.Mean, e.ref.lr, e.ref.choiceNote(), kit.FmtEstimate(e.ref.arm.acc, 3), strings.Join(parts, ". "))
	v.Why = why + clipSweepClause(e.sweep) + clipByLRClause(e.clip, e.clipByLR, e.plainByLR) + "."
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
// judged rate, and for those that do not, the share of dead units and the
// mean gradient norm before clipping (geometric mean) of their runs that
// did not diverge; empty without a sweep. It decides nothing.
func clipSweepClause(sweep []remedyTest) string {
	if len(sweep) <= 1 {
		return ""
	}
	byOutcome := map[result.Outcome][]string{}
	for _, t := range sweep {
		o, _ := trains(t)
		name := fmt.Sprintf("%g", t.clip)
		switch {
		case o == result.Refuted && t.arm.diverged*2 > t.arm.runs:
			name += fmt.Sprintf(" (%d of %d runs diverged)", t.arm.diverged, t.arm.runs)
		case o == result.Refuted && t.arm.dead.N >= 2 && t.arm.meanNorm.N >= 2:
			name += fmt.Sprintf(" (dead units %.2f, mean gradient norm %.2g, over the runs that did not diverge)", t.arm.dead.Mean, kit.Pow10(t.arm.meanNorm.Mean))
		case withinMarginAtEdge(t):
			name += atEdgeNote
		}
		byOutcome[o] = append(byOutcome[o], name)
	}
	return fmt.Sprintf(". Clipping thresholds at lr %g: %s", sweep[0].lr, outcomeList(byOutcome, "trains", "does not"))
}

// sweepCaveat says, for the caveat, that clipping is judged at the blog's
// threshold only, and which thresholds of the sweep do let the net train
// (or are undecided). It decides nothing.
func sweepCaveat(clip float64, sweep []remedyTest) string {
	s := fmt.Sprintf("clipping is judged at the blog's threshold %g only", clip)
	var yes, edge, open, all []string
	for _, t := range sweep {
		if t.clip == clip {
			continue
		}
		th := fmt.Sprintf("%g", t.clip)
		all = append(all, th)
		switch o, _ := trains(t); {
		case o == result.Confirmed:
			yes = append(yes, th)
		case withinMarginAtEdge(t):
			edge = append(edge, th)
		case o == result.Inconclusive || o == result.Mixed:
			open = append(open, th)
		}
	}
	if len(all) == 0 {
		return s + " (no other threshold was swept)"
	}
	lr := sweep[0].lr
	switch {
	case len(yes) > 0:
		s += fmt.Sprintf(": at lr %g clipping at %s does let the net train", lr, strings.Join(yes, ", "))
		if len(edge) > 0 {
			s += fmt.Sprintf(", and at %s it ends within the margin of the plain net's best", strings.Join(edge, ", "))
		}
	case len(edge) > 0:
		s += fmt.Sprintf(": at lr %g clipping at %s ends within the margin of the plain net's best, \"trains\" unshown only because that best is at the edge of its grid", lr, strings.Join(edge, ", "))
	case len(open) == 0:
		return s + fmt.Sprintf(", and none of the other thresholds swept at lr %g (%s) lets the net train either", lr, strings.Join(all, ", "))
	default:
		s += fmt.Sprintf(": no other threshold swept at lr %g is shown to let the net train", lr)
	}
	if len(open) > 0 {
		s += fmt.Sprintf("; undecided at %s", strings.Join(open, ", "))
	}
	return s + fmt.Sprintf("; the verdict on clipping is about %g, not about clipping at any threshold", clip)
}

// clipByLRClause says at which learning rates clipping at the blog's
// threshold lets the net train; empty with one rate. A rate where the
// plain net (plain[i], at byLR[i]'s rate; nil plain: unknown) had no
// diverged run is said to pose nothing to remedy, so that "enough" there is
// not read as a rescue. It decides nothing.
func clipByLRClause(clip float64, byLR []remedyTest, plain []arm) string {
	if len(byLR) <= 1 {
		return ""
	}
	byOutcome := map[result.Outcome][]string{}
	var stable, sameRate []string
	for i, t := range byLR {
		o, _ := trains(t)
		lr := fmt.Sprintf("%g", t.lr)
		if withinMarginAtEdge(t) {
			lr += atEdgeNote
		}
		byOutcome[o] = append(byOutcome[o], lr)
		if i >= len(plain) || plain[i].runs == 0 {
			continue
		}
		p := plain[i]
		if p.diverged == 0 {
			stable = append(stable, fmt.Sprintf("%g", t.lr))
		} else if o != result.Confirmed && p.acc.N > 0 && t.arm.acc.N > 0 && p.diverged*2 <= p.runs && t.arm.diverged*2 <= t.arm.runs {
			// Not enough by the reference, yet against the plain net at
			// the same rate it may still have helped: say by how much.
			sameRate = append(sameRate, fmt.Sprintf("at %g test accuracy %.3f with clipping (%d of %d runs diverged) against %.3f without (%d of %d)",
				t.lr, t.arm.acc.Mean, t.arm.diverged, t.arm.runs, p.acc.Mean, p.diverged, p.runs))
		}
	}
	s := fmt.Sprintf(". Clipping at %g by learning rate: %s", clip, outcomeList(byOutcome, "enough at", "not enough at"))
	if len(stable) > 0 {
		s += fmt.Sprintf(" (at %s the plain net did not diverge in any run, so there clipping had nothing to remedy)", strings.Join(stable, ", "))
	}
	if len(sameRate) > 0 {
		s += fmt.Sprintf("; against the plain net at the same rate rather than at its best (means over the runs that did not diverge): %s", strings.Join(sameRate, "; "))
	}
	return s
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
	toTarget          stepsToTarget // the same pair of arms, in steps to the plain net's final loss
}

// batchNormVerdict is the BatchNorm part of C11 (read together in the
// report with the overfitting experiment's dropout part): a ReLU net
// trains best with BatchNorm, each arm at its own best stable learning
// rate. The plain net must learn there (the control), else INCONCLUSIVE.
// An arm whose best rate is at the edge of its grid (reference.atEdge) may
// be underestimated, so an outcome it could overturn is INCONCLUSIVE: a
// CONFIRMED or MIXED with the plain net at the edge (a better plain net
// shrinks the gain), a REFUTED with BatchNorm at the edge (a better
// BatchNorm raises it); an outcome it can only strengthen stands.
// kit.Superiority with bnGainMargin decides; a CONFIRMED becomes MIXED if at
// some rate where both mostly trained BatchNorm is shown worse than the
// plain net by more than the margin.
func batchNormVerdict(e batchNormEvidence) result.Verdict {
	v := result.Verdict{Claim: "C11", Role: result.Part,
		Statement: "a deep ReLU net trains best with BatchNorm (the BatchNorm part of C11, read together in the report with the dropout part from the overfitting experiment)",
		Rule: fmt.Sprintf("each arm at its own best stable learning rate of the grid (no run diverged, highest mean %s accuracy); the plain net must learn there (95%% CI of its test accuracy above %.1f), else INCONCLUSIVE. "+
			"On the paired test accuracy, BatchNorm minus plain: CONFIRMED if the 95%% CI lies above %.2f, REFUTED if below, INCONCLUSIVE otherwise; MIXED instead of CONFIRMED if at a rate where neither arm mostly diverged and the plain net trains (its mean accuracy within %.2f of its best, on the accuracy its best rate was chosen on, C7's \"trains\" margin: a rate a user of the plain net might keep) BatchNorm is shown worse by more than %.2f. "+
			"INCONCLUSIVE instead of CONFIRMED or MIXED if the plain net's best rate is at the edge of its grid, and instead of REFUTED if BatchNorm's is",
			e.plainBest.chosenOn(), kit.StallsAccuracy, bnGainMargin, trainsMargin, bnGainMargin),
		Caveat: fmt.Sprintf("%s over %s stands in for Ioffe and Szegedy's Inception on ImageNet, whose gain was in steps to a target accuracy (the Why shows steps to the plain net's final training loss, a loss read in training mode, beside the rule's final test accuracy at a fixed budget, and does not decide on it); %s; dropout, C11's other part, is the overfitting experiment's", e.setting, gridsOf(e), selectionCaveat("each arm's best stable rate is", e.plainBest))}
	if !e.ran {
		v.Outcome = result.Inconclusive
		v.Why = "BatchNorm was not run (--bn=false), so the rule cannot be applied."
		v.NotTested = true
		return v
	}
	kit.Compared(&v, fmt.Sprintf("test accuracy, BatchNorm at its best stable lr%s minus no remedy at its best stable lr%s", stableRate(e.bnBest), stableRate(e.plainBest)), "accuracy", e.best, bnGainMargin, bnGainMarginReason)
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
	var worse, worseAside, perRate []string
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
			at := fmt.Sprintf("%g (BatchNorm %.3f, plain %.3f)", r.lr, r.bn.acc.Mean, r.plain.acc.Mean)
			if plainTrainsAt(r.plain, e.plainBest) {
				worse = append(worse, at)
			} else {
				worseAside = append(worseAside, at)
			}
		}
	}
	v.Outcome = kit.Superiority(e.best, bnGainMargin)
	if v.Outcome == result.Confirmed && len(worse) > 0 {
		v.Outcome = result.Mixed
	}
	b := e.best.Diff
	why := fmt.Sprintf("At its best stable learning rate %g%s BatchNorm reached test accuracy %s against %s without it at %g%s: a paired gain of %+.3f [%+.3f, %+.3f] over %d seeds",
		e.bnBest.lr, e.bnBest.choiceNote(), kit.FmtEstimate(e.bnBest.arm.acc, 3), kit.FmtEstimate(e.plainBest.arm.acc, 3), e.plainBest.lr, e.plainBest.choiceNote(), b.Mean, b.Lo, b.Hi, b.N)
	if len(perRate) > 0 {
		why += "; BatchNorm minus plain by rate: " + strings.Join(perRate, ", ")
	}
	if len(worse) > 0 {
		why += fmt.Sprintf("; BatchNorm is worse by more than %.2f at lr %s, where the plain net trains within %.2f of its best", bnGainMargin, strings.Join(worse, ", "), trainsMargin)
	}
	if len(worseAside) > 0 {
		why += fmt.Sprintf("; BatchNorm is worse by more than %.2f at lr %s as well, a rate where the plain net itself is more than %.2f below its best on %s accuracy, so it does not count against the claim", bnGainMargin, strings.Join(worseAside, ", "), trainsMargin, e.plainBest.chosenOn())
		v.Caveat += fmt.Sprintf("; BatchNorm is worse than the plain net by more than %.2f at lr %s, a rate well below both arms' best: the gain holds at the rates each arm is tuned to, not at every rate", bnGainMargin, strings.Join(worseAside, ", "))
	}
	switch {
	case (v.Outcome == result.Confirmed || v.Outcome == result.Mixed) && e.plainBest.atEdge():
		why += fmt.Sprintf("; the gain clears the margin, but %s and shrink the gain, so BatchNorm's advantage over the plain net's best is not shown until the grid extends past it", e.plainBest.edgeClause("the plain net"))
		v.Outcome = result.Inconclusive
	case v.Outcome == result.Refuted && e.bnBest.atEdge():
		why += fmt.Sprintf("; the gain falls short of the margin, but %s and raise the gain, so its absence is not shown until the grid extends past it", e.bnBest.edgeClause("BatchNorm"))
		v.Outcome = result.Inconclusive
	case v.Outcome == result.Inconclusive:
		why += fmt.Sprintf("; the interval of the gain straddles the %.2f margin", bnGainMargin)
		if e.best.MDE > bnGainMargin {
			why += fmt.Sprintf(" (minimal detectable effect %.3f, above it: too few seeds)", e.best.MDE)
		}
	}
	v.Why = why + "." + toTargetWhy(e.toTarget, e.bnBest.lr, e.plainBest.lr)
	if v.Outcome == result.Inconclusive && 2*e.toTarget.reached > e.toTarget.pairs {
		v.Caveat += "; the rule's final accuracy at this budget leaves the gain undecided, while in steps to a training loss, close to the source's steps to a validation accuracy, BatchNorm reached the plain net's final loss before the plain net's run ended in most seeds (the Why): a gain in speed is not excluded, and this rule does not decide it"
	}
	return v
}

// Ioffe and Szegedy (2015) counted training steps to Inception's final
// accuracy: BatchNorm alone at Inception's learning rate (BN-Baseline)
// took 13.3 million steps against Inception's 31.0 million, about 2.3
// times fewer; with the rate raised fivefold and other changes (BN-x5)
// 2.1 million, their headline 14 times fewer. The step counts are the
// table in their Figure 3 (steps to 72.2% top-1 validation accuracy);
// checked on 2026-12-03 against two write-ups that reproduce that table,
// the paper itself not being reachable from here.
const (
	ioffeBaselineSpeedup = 31.0 / 13.3
	ioffeSpeedup         = 14
)

// toTargetWhy is the steps-to-target reading, shown beside the verdict and
// not decided on: the claim's source measured BatchNorm's gain in steps,
// and the rule reads final accuracy at a fixed budget. bnLR and plainLR
// are the two arms' rates.
func toTargetWhy(t stepsToTarget, bnLR, plainLR float64) string {
	if t.pairs == 0 {
		return ""
	}
	s := fmt.Sprintf(" In steps, the kind of gain Ioffe and Szegedy reported (shown, not decided on; they counted steps to the baseline's final accuracy, %.1fx fewer for BatchNorm alone at the baseline's rate and %dx with a fivefold rate and other changes, and this counts steps to the plain net's final training loss): BatchNorm at lr %g reached the training loss the plain net at lr %g ends at (each seed's own, a running mean over %d loss windows) in %d of %d paired seeds",
		ioffeBaselineSpeedup, ioffeSpeedup, bnLR, plainLR, targetWindows, t.reached, t.pairs)
	var reached []float64
	for _, x := range t.share {
		if !math.IsNaN(x) {
			reached = append(reached, x)
		}
	}
	if len(reached) > 0 {
		// The seeds that never reached it count as beyond the run (any
		// share above 1 will do; Inf would make the interpolated median
		// NaN).
		const beyond = 2
		all := make([]float64, len(t.share))
		for i, x := range t.share {
			all[i] = x
			if math.IsNaN(x) {
				all[i] = beyond
			}
		}
		med := "the median seed did not reach it within the run"
		if m := metrics.Median(all); m <= 1 {
			med = fmt.Sprintf("after a median of %.0f%% of the plain net's steps (%.1fx fewer)", 100*m, 1/m)
		}
		s += fmt.Sprintf(", %s; the seeds that reached it ranged from %.0f%% to %.0f%%", med, 100*slices.Min(reached), 100*slices.Max(reached))
	}
	if bnLR != plainLR {
		which := "lower"
		if bnLR > plainLR {
			which = "higher"
		}
		s += fmt.Sprintf("; each arm is at its own chosen rate, BatchNorm's %s, so the steps saved mix BatchNorm with the rate it allows, as in their BN-x5", which)
	}
	return s + "."
}

// plainTrainsAt says whether the plain net at a rate trains within
// trainsMargin of its best stable rate, on the accuracy that rate was
// chosen on (validation, else test): a rate a user of the plain net might
// keep, where BatchNorm being worse counts against C11.
func plainTrainsAt(a arm, best *reference) bool {
	if best.onVal() && a.val.N > 0 {
		return a.val.Mean >= best.arm.val.Mean-trainsMargin
	}
	return a.acc.Mean >= best.arm.acc.Mean-trainsMargin
}

// Part 2, the control (C7, supporting): is the divergence ReLU's?

const (
	// controlMargin is the smallest gap in the share of diverged runs,
	// ReLU minus the bounded control at the judged rate, that puts the
	// divergence on ReLU's unbounded output: a quarter of the runs.
	controlMargin       = 0.25
	controlMarginReason = "a quarter of the runs: the claim is that ReLU blows up where a bounded net does not, which would show as a gap of most runs; a gap under a quarter is what a neighbouring learning rate can open or close"
	// controlLearns is the mean test accuracy the control net must reach
	// at its own best stable rate for its stability to mean anything: a
	// net that does not diverge because it barely moves is no control.
	// Half, five times chance on ten classes.
	controlLearns = 0.5
)

// controlRate is both nets without remedy at one learning rate.
type controlRate struct {
	lr            float64
	relu, control arm
	// table sets the runs against each other by seed: A is ReLU, B the
	// control, "yes" a diverged run.
	table metrics.PairedProportions
	// The largest gradient norm before clipping of each run (a diverged
	// run's up to its blow-up).
	reluMaxNorms, controlMaxNorms []float64
	// The loss that stopped each diverged run, 0 where it or the gradient
	// norm was not finite.
	reluDivLosses, controlDivLosses []float64
}

// ran: both nets ran at this rate.
func (r controlRate) ran() bool { return r.relu.runs > 0 && r.control.runs > 0 }

// controlEvidence is what the control rule reads.
type controlEvidence struct {
	variant, init string        // the control's activation and initialiser; "" variant: not run
	reluName      string        // "relu/he-normal"
	setting       string        // the net and its training, for the caveat
	best          *reference    // the control at its most accurate stable rate (its gate); nil if none
	rates         []controlRate // every rate of the plain grid, increasing
	// highCap is the same at a loss cap capFactor times the usual one,
	// a run counting as failed if it crossed that cap or stalled below
	// kit.StallsAccuracy (failedBelow); exploded the same runs counting
	// only those that crossed it (a rate neither net ran there has empty
	// arms); both nil if not rerun.
	capFactor         float64
	highCap, exploded []controlRate
}

// onset is the lowest rate of the grid at which both nets ran and either
// is shown to diverge (its Wilson interval above divergesShare): where
// divergence sets in, the one rate that tells a net that blows up first
// from one that does not. Above it both may sit at the ceiling (every run
// diverged), where no gap can open. ok is false if neither net is shown
// to diverge at any rate.
func onset(rates []controlRate) (r controlRate, ok bool) {
	for _, r := range rates {
		if r.ran() && (r.relu.divergesShown() || r.control.divergesShown()) {
			return r, true
		}
	}
	return controlRate{}, false
}

// controlVerdict decides whether ReLU diverges where a bounded activation
// of the same shape does not, at the onset of divergence (the lowest rate
// of the grid where either net is shown to diverge), on the share of
// diverged runs, ReLU minus the control, paired by seed, with Newcombe's
// hybrid score interval for paired proportions:
//
//	no control net                                           INCONCLUSIVE (not tested)
//	the control has no stable rate, or its mean test
//	accuracy there is below controlLearns                    INCONCLUSIVE (control failed)
//	neither net shown to diverge at any rate of the grid     INCONCLUSIVE (the grid poses no question)
//	95% CI lower end above controlMargin                     CONFIRMED (ReLU blows up first)
//	95% CI upper end below controlMargin                     REFUTED (the control blows up as early, or earlier)
//	otherwise                                                INCONCLUSIVE
func controlVerdict(e controlEvidence) result.Verdict {
	name, with := e.variant, e.variant+", a bounded activation,"
	if name == "" {
		name, with = "the control", "a bounded activation"
	}
	v := result.Verdict{Claim: "C7", Role: result.Supporting,
		Statement: fmt.Sprintf("the divergence is ReLU's unbounded output's, not the learning rate's: as the learning rate rises, the ReLU net diverges at a rate where the same net with %s does not", with),
		Rule: fmt.Sprintf("both nets without remedy, each under its own initialiser, on the same seeds (same data order and normal weight draws), at every rate of one learning-rate grid. "+
			"Judged at the onset of divergence: the lowest rate where either net is shown to diverge (Wilson interval of its share of diverged runs above %.2g; a run diverges at a loss above 10 ln 10 or not finite); there, the share of runs diverged, ReLU minus the control, paired by seed, "+
			"with Newcombe's (1998) hybrid score 95%% interval for paired proportions. The control must train at some stable rate (no run diverged, mean test accuracy at least %.1f: a gate read on test accuracy, a check that the bounded net learns at all, compared with nothing), and some rate must show a divergence, else INCONCLUSIVE. "+
			"CONFIRMED if the interval lies above %.2f (ReLU's loss crosses the cap first, in more runs by the margin); REFUTED if it lies below (ReLU's does not cross it first by a margin that matters: the control's crosses it as early, or earlier, or not much later); INCONCLUSIVE otherwise. "+
			"The same rule is applied again to both nets rerun on the same seeds with the cap %s times higher (onset found afresh), where a run fails if its loss crosses that cap or is not finite, or if it ends below %.1f test accuracy (a bounded net's loss can hardly reach the higher cap, so there a stall must count too: the question is whether the runs the usual cap stopped would have trained); if the two readings give different outcomes, INCONCLUSIVE: the outcome would rest on where the cap is. "+
			"A third reading, counting only the runs whose loss ran away (crossed the higher cap or was not finite), is shown and decides nothing: the bounded net's hidden outputs cannot grow, only its output layer can, so its loss can hardly get there and the reading leans toward the claim by design; divergence is what the usual cap defines",
			divergesShare, controlLearns, controlMargin, capFactorText(e.capFactor), kit.StallsAccuracy),
		Caveat: fmt.Sprintf("%s, the control with a bounded activation in its place; each net under the initialiser meant for it (He for ReLU, Xavier for the control), so the two nets are compared as each would be used, not the activations alone on the same weights; "+
			"the onset is known to one step of the learning-rate grid, so a net that blows up a little earlier within the step looks the same; divergence is a loss above the cap, so a bounded net that stalls without blowing up counts as stable (hence the control's accuracy check), and a run stopped at the cap might have come back (hence the rerun at a higher cap, which cannot tell either whether a run stopped there would have); the verdict is on which net fails first as the rate rises, not on how it fails: ReLU's failures are mostly losses that run away (all of them at the top rate), the bounded net's are stalls at chance, which the runaway reading in the Why shows and this verdict does not weigh", e.setting)}
	if e.variant == "" {
		v.Outcome = result.Inconclusive
		v.NotTested = true
		v.Why = "No control net was trained (--control-variant empty), so the rule cannot be applied."
		return v
	}
	at, ok := onset(e.rates)
	if !ok {
		// No onset: the effect is read at the highest rate both ran.
		for _, r := range e.rates {
			if r.ran() {
				at = r
			}
		}
	}
	if !at.ran() {
		v.Outcome = result.Inconclusive
		v.Why = fmt.Sprintf("The ReLU net and the %s net were not both run at any learning rate, so the rule cannot be applied.", name)
		return v
	}
	d := at.table.Diff()
	p := sharePaired(d)
	kit.Compared(&v, fmt.Sprintf("share of runs diverged at lr %g, %s minus %s (paired seeds)", at.lr, e.reluName, controlNameOf(e)), "fraction of runs", p, controlMargin, controlMarginReason)
	v.Effect.Of = fmt.Sprintf("usual cap, at lr %g", at.lr)
	if ok {
		v.Effect.Of += ", the onset of divergence"
	}
	v.Evidence = controlVerdictEvidence(e, at, d)

	where := fmt.Sprintf("At learning rate %g, the onset of divergence (the lowest rate where either net is shown to diverge),", at.lr)
	if !ok {
		where = fmt.Sprintf("At learning rate %g, the highest rate both ran,", at.lr)
	}
	atLR := fmt.Sprintf("%s the ReLU net diverged in %d of %d runs and the %s net in %d of %d (by seed: both %d, ReLU only %d, %s only %d, neither %d): ReLU minus %s %+.2f [%+.2f, %+.2f]",
		where, at.relu.diverged, at.relu.runs, controlNameOf(e), at.control.diverged, at.control.runs, at.table.Both, at.table.OnlyA, name, at.table.OnlyB, at.table.Neither, name, d.Mean, d.Lo, d.Hi)
	why := []string{atLR, controlRatesClause(e), controlNormsClause(e.variant, at), divergedHowClause(e.variant, at, divergenceCap)}
	switch {
	case e.best == nil:
		v.Outcome = result.Inconclusive
		why = append(why, fmt.Sprintf("the control failed: some %s run diverged at every rate, so it has no stable rate to train at", name))
	case e.best.arm.acc.N == 0 || e.best.arm.acc.Mean < controlLearns:
		v.Outcome = result.Inconclusive
		why = append(why, fmt.Sprintf("the control failed: at its best stable rate %g the %s net reached mean test accuracy %s, below %.1f, so its stability says nothing about training", e.best.lr, name, kit.FmtEstimate(e.best.arm.acc, 3), controlLearns))
	case !ok:
		v.Outcome = result.Inconclusive
		why = append(why, "neither net is shown to diverge at any rate of the grid, so the grid does not pose the question; extend it upward (--train-lrs)")
	default:
		v.Outcome = kit.Superiority(p, controlMargin)
		switch v.Outcome {
		case result.Confirmed:
			why = append(why, fmt.Sprintf("the gap lies above the %.2f margin: ReLU's loss crosses the cap at a rate where that of %s, which trains, does not", controlMargin, name))
		case result.Refuted:
			why = append(why, fmt.Sprintf("the gap lies below the %.2f margin: the loss of %s crosses the cap as early as ReLU's, or earlier, so the divergence here is not specific to ReLU's unbounded output", controlMargin, name))
		default:
			why = append(why, fmt.Sprintf("the interval straddles the %.2f margin", controlMargin))
		}
		if e.highCap != nil {
			hi, clause := judgeAtHighCap(e)
			why = append(why, clause)
			why = append(why, explosionsClause(e))
			v.Context = failureKindContext(e)
			if v.Outcome != result.Inconclusive && hi != v.Outcome {
				why = append(why, fmt.Sprintf("the two readings of failure disagree (%s at the usual cap, %s at the higher), so the outcome rests on where the cap is: INCONCLUSIVE", v.Outcome, hi))
				v.Outcome = result.Inconclusive
			}
		}
	}
	v.Why = strings.Join(why, "; ") + "."
	return v
}

// capFactorText is the higher cap's multiple for the rule, "(not run
// here)" when there was none.
func capFactorText(f float64) string {
	if f == 0 {
		return "(not run here)"
	}
	return fmt.Sprintf("%g", f)
}

// judgeAtHighCap applies the interval rule to the reruns at the higher
// cap: the onset found among their rates, the paired share diverged there
// against the same margin. The clause says what it found, for Why.
func judgeAtHighCap(e controlEvidence) (result.Outcome, string) {
	capLoss := e.capFactor * divergenceCap
	head := fmt.Sprintf("rerun on the same seeds with the cap %g times higher (a loss of %.4g), a run counting as failed if its loss crossed it or was not finite, or if it ended below %.1f test accuracy (stalled: a bounded net's loss can hardly reach that cap, so stopping short of it says nothing)", e.capFactor, capLoss, kit.StallsAccuracy)
	at, ok := onset(e.highCap)
	if !ok {
		return result.Inconclusive, head + ", neither net is shown to fail at any rate, so there the question is not posed (INCONCLUSIVE)"
	}
	d := at.table.Diff()
	o := kit.Superiority(sharePaired(d), controlMargin)
	failed := func(a arm) string {
		return fmt.Sprintf("%d of %d runs (%d stalled)", a.diverged, a.runs, a.stalled)
	}
	return o, fmt.Sprintf("%s: the onset is lr %g, where ReLU failed in %s and %s in %s, ReLU minus %s %+.2f [%+.2f, %+.2f] (%s); %s; %s",
		head, at.lr, failed(at.relu), e.variant, failed(at.control), e.variant, d.Mean, d.Lo, d.Hi, o, divergedHowClause(e.variant, at, capLoss), survivorsClause(e.variant, at))
}

// explosionsClause reads, for Why, the reruns at the higher cap counting
// only the runs whose loss crossed it or was not finite, the runaway
// blow-up the claim names. It decides nothing: a bounded net's loss can
// run away only through its linear output layer, and hardly reaches the
// higher cap, so "only ReLU's loss runs away" is close to true by
// construction (a third review's finding; an earlier version let it turn
// the verdict MIXED). It says which net's loss ran away first only where
// the interval clears the margin.
func explosionsClause(e controlEvidence) string {
	head := "shown, not judged (a bounded net's hidden outputs cannot grow, only its output layer can, so its loss can hardly reach the higher cap: this reading leans toward the claim by design and decides nothing): counting only the runs whose loss ran away (crossed the higher cap or was not finite)"
	at, ok := onset(e.exploded)
	if !ok {
		return head + ", neither net is shown to explode at any rate"
	}
	d := at.table.Diff()
	s := fmt.Sprintf("%s, the onset is lr %g, where ReLU exploded in %d of %d runs and %s in %d of %d, ReLU minus %s %+.2f [%+.2f, %+.2f]",
		head, at.lr, at.relu.diverged, at.relu.runs, e.variant, at.control.diverged, at.control.runs, e.variant, d.Mean, d.Lo, d.Hi)
	switch kit.Superiority(sharePaired(d), controlMargin) {
	case result.Confirmed:
		s += ": only the ReLU net's loss runs away"
	case result.Refuted:
		s += fmt.Sprintf(": the loss of %s runs away as early, or earlier", e.variant)
	}
	return s
}

// failureKindContext says, for the first screen, that the two nets fail
// differently where a REFUTED or CONFIRMED rests on failures of both
// kinds: counting only runaways (explosionsClause, which decides
// nothing), only ReLU's loss runs away (review 26d: the glance showed
// "-96 points of runs" without saying that the control's runs stall
// rather than blow up). Empty unless that reading shows ReLU's loss alone
// running away.
func failureKindContext(e controlEvidence) string {
	at, ok := onset(e.exploded)
	if !ok || kit.Superiority(sharePaired(at.table.Diff()), controlMargin) != result.Confirmed {
		return ""
	}
	return fmt.Sprintf("the nets fail differently: counting only runs whose loss runs away (shown, not judged: a bounded net's loss can hardly run away, so this leans toward the claim by design), ReLU's did in %d of %d at lr %g and %s's in %d of %d, so the %s failures that decide are losses over the cap or stalls, not runaways",
		at.relu.diverged, at.relu.runs, at.lr, e.variant, at.control.diverged, at.control.runs, e.variant)
}

// survivorsClause gives, for Why, the test accuracy of the runs that did
// not diverge at a rate: a run under the cap that ends near chance (0.1
// on ten classes) stalled rather than trained, which the cap alone does
// not tell.
func survivorsClause(variant string, at controlRate) string {
	acc := func(a arm) string {
		if a.acc.N == 0 {
			return "none"
		}
		return fmt.Sprintf("%s over %d", kit.FmtEstimate(a.acc, 3), a.acc.N)
	}
	return fmt.Sprintf("the runs whose loss stayed under the cap there ended at test accuracy ReLU %s, %s %s (chance is 0.1)", acc(at.relu), variant, acc(at.control))
}

// sharePaired is a paired difference of shares as the interval rules read
// it: Newcombe's 95% interval, no 90% one, and shareMDE.
func sharePaired(d metrics.Estimate) metrics.Paired {
	return metrics.Paired{Diff: d, Lo90: math.NaN(), Hi90: math.NaN(), MDE: shareMDE(d)}
}

// shareMDE approximates the minimal detectable difference of two shares
// from their interval: its half-width scaled from 95% confidence to 80%
// power, (z_0.975 + z_0.80)/z_0.975. A paired t on the 0/1 differences
// would give 0 whenever every pair agrees (no spread), which an interval
// of ±0.43 over five pairs belies.
func shareMDE(d metrics.Estimate) float64 {
	const z, zPower = 1.959963984540054, 0.8416212335729143
	if d.N < 2 || math.IsNaN(d.Lo) {
		return math.Inf(1)
	}
	return (d.Hi - d.Lo) / 2 * (z + zPower) / z
}

func controlNameOf(e controlEvidence) string { return e.variant + "/" + e.init }

// controlRatesClause gives, for Why, the control's diverged runs at every
// rate beside ReLU's and each net's best stable rate and accuracy.
func controlRatesClause(e controlEvidence) string {
	var parts []string
	for _, r := range e.rates {
		parts = append(parts, fmt.Sprintf("lr %g %d of %d (ReLU %d of %d)", r.lr, r.control.diverged, r.control.runs, r.relu.diverged, r.relu.runs))
	}
	s := fmt.Sprintf("%s runs diverged by rate: %s", e.variant, strings.Join(parts, ", "))
	if e.best != nil {
		s += fmt.Sprintf("; its most accurate stable rate, %g, reached test accuracy %s (the control's gate, %.1f, read on test: no rate is chosen for a comparison)", e.best.lr, kit.FmtEstimate(e.best.arm.acc, 3), controlLearns)
	}
	return s
}

// divergenceCap is the loss above which a run counts as diverged, for the
// ten classes of MNIST and Fashion-MNIST.
var divergenceCap = model.DivergenceCap(10)

// divergedHowClause says, for Why, how the diverged runs at the judged
// rate stopped: at a finite loss above the cap (with the range of those
// losses) or at a non-finite loss or gradient. A verdict that rests on
// losses just above the cap rests on where the cap is; the reader sees
// how far above it they were. It decides nothing.
func divergedHowClause(variant string, at controlRate, capLoss float64) string {
	how := func(losses []float64) string {
		var fin []float64
		for _, l := range losses {
			if l > 0 {
				fin = append(fin, l)
			}
		}
		if len(losses) == 0 {
			return "none diverged"
		}
		s := fmt.Sprintf("%d of %d at a finite loss above the cap", len(fin), len(losses))
		if len(fin) > 0 {
			lo, hi := fmt.Sprintf("%.3g", slices.Min(fin)), fmt.Sprintf("%.3g", slices.Max(fin))
			if lo == hi {
				s += " (" + lo + ")"
			} else {
				s += " (" + lo + " to " + hi + ")"
			}
		}
		return s + fmt.Sprintf(", %d at a non-finite loss or gradient", len(losses)-len(fin))
	}
	return fmt.Sprintf("how the diverged runs at lr %g stopped (the cap is %.4g, %.3g times the loss of a uniform guess, ln 10 = %.3g): ReLU %s; %s %s",
		at.lr, capLoss, capLoss/(divergenceCap/10), divergenceCap/10, how(at.reluDivLosses), variant, how(at.controlDivLosses))
}

// controlNormsClause gives, for Why, the largest gradient norm of the runs
// at the judged rate; it decides nothing.
func controlNormsClause(variant string, at controlRate) string {
	return fmt.Sprintf("the largest gradient norm in a run at lr %g (median, smallest to largest; a diverged run's up to its blow-up): ReLU %s, %s %s",
		at.lr, fmtMedianRange(at.reluMaxNorms), variant, fmtMedianRange(at.controlMaxNorms))
}

func controlVerdictEvidence(e controlEvidence, at controlRate, d metrics.Estimate) []result.Evidence {
	ev := []result.Evidence{
		{Name: fmt.Sprintf("%s, no remedy, lr %g: share of runs diverged", e.reluName, at.lr), Estimate: at.relu.divergedShare()},
		{Name: fmt.Sprintf("%s, no remedy, lr %g: share of runs diverged", controlNameOf(e), at.lr), Estimate: at.control.divergedShare()},
		{Name: fmt.Sprintf("share diverged at lr %g, %s minus %s (paired, Newcombe)", at.lr, e.reluName, controlNameOf(e)), Estimate: d, Unit: "fraction of runs"},
	}
	for _, r := range e.rates {
		if r.lr != at.lr && r.ran() {
			ev = append(ev, result.Evidence{Name: fmt.Sprintf("share of runs diverged at lr %g, %s minus %s (paired; shown, not judged)", r.lr, e.reluName, controlNameOf(e)), Estimate: r.table.Diff(), Unit: "fraction of runs"})
		}
	}
	if e.best != nil {
		ev = append(ev, result.Evidence{Name: fmt.Sprintf("%s at its best stable lr %g: test accuracy (control)", controlNameOf(e), e.best.lr), Estimate: e.best.arm.acc, Unit: "accuracy"})
	}
	if hi, ok := onset(e.highCap); ok {
		ev = append(ev, result.Evidence{Name: fmt.Sprintf("share failed (loss above the cap %g times higher, or ended below %.1f test accuracy) at lr %g, %s minus %s (paired, Newcombe; the onset there)", e.capFactor, kit.StallsAccuracy, hi.lr, e.reluName, controlNameOf(e)), Estimate: hi.table.Diff(), Unit: "fraction of runs"})
	}
	if x, ok := onset(e.exploded); ok {
		ev = append(ev, result.Evidence{Name: fmt.Sprintf("share whose loss ran away (above the cap %g times higher, or not finite) at lr %g, %s minus %s (paired, Newcombe; shown, not judged)", e.capFactor, x.lr, e.reluName, controlNameOf(e)), Estimate: x.table.Diff(), Unit: "fraction of runs"})
	}
	return ev
}

// stableRate is " <lr>", the best stable rate a comparison reads, named
// so that two settings whose rates differ are not read as one
// comparison; empty when there is none.
func stableRate(r *reference) string {
	if r == nil {
		return ""
	}
	return fmt.Sprintf(" %g", r.lr)
}
