package dying

import (
	"fmt"
	"math"
	"strings"

	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// The verdict rules. Each reads statistics the summary has already
// computed and decides; none of them sees a run or a cell. Comparisons are
// over seeds (the independent units; a seed's runs share their initial
// weights and data order), decided by kit.Superiority (a 95% interval
// beyond the margin) or kit.Equivalence (a 90% interval inside it).

// caveatBorn is what the born-dead Monte Carlo cannot show. The training
// verdicts' caveats start from caveatMNIST, which names the setup.
const caveatBorn = "one input, zero biases and Monte Carlo over random He initialisations, as in Lu et al. 2019's analysis; nets are not trained"

// caveatMNIST is the training verdicts' common caveat; setup describes the
// nets and training (see setupOf).
func caveatMNIST(setup string) string {
	return setup + " stand in for the CNNs of CS231n's remark; 'dead' is judged on the training subset after each epoch"
}

// flip turns the outcome of "the effect exceeds the margin" into that of
// a claim that it does not ("dead units never recover").
func flip(o result.Outcome) result.Outcome {
	switch o {
	case result.Confirmed:
		return result.Refuted
	case result.Refuted:
		return result.Confirmed
	}
	return o
}

// combine decides a claim made of parts that must all hold: CONFIRMED if
// every part is, REFUTED if every part is, MIXED if some are confirmed and
// others refuted, INCONCLUSIVE if any part could not be told and none
// contradicts another.
func combine(parts []result.Outcome) result.Outcome {
	conf, ref := 0, 0
	for _, o := range parts {
		switch o {
		case result.Confirmed:
			conf++
		case result.Refuted:
			ref++
		}
	}
	switch {
	case len(parts) == 0:
		return result.Inconclusive
	case conf == len(parts):
		return result.Confirmed
	case ref == len(parts):
		return result.Refuted
	case conf > 0 && ref > 0:
		return result.Mixed
	}
	return result.Inconclusive
}

// fmtPaired is "+0.123 [0.100, 0.146], n=12, MDE 0.05".
func fmtPaired(p metrics.Paired) string {
	if p.Diff.N == 0 {
		return "no pairs"
	}
	return fmt.Sprintf("%+.3f [%.3f, %.3f], n=%d, MDE %s", p.Diff.Mean, p.Diff.Lo, p.Diff.Hi, p.Diff.N, kit.FmtFloat(p.MDE, 2))
}

// mdeNote says, for a Why, whether the seeds suffice for the margin.
func mdeNote(p metrics.Paired, margin float64) string {
	if p.Diff.N >= 2 && p.MDE > margin {
		return fmt.Sprintf(" The minimal detectable effect (%.3f) is above the margin (%.3f): %d seeds cannot resolve an effect near the margin.", p.MDE, margin, p.Diff.N)
	}
	return ""
}

// arm is one arm's runs: how many there were and how many diverged.
type arm struct {
	diverged, runs int
}

func (a arm) String() string { return fmt.Sprintf("%d/%d diverged", a.diverged, a.runs) }

func armEvidence(name string, a arm) result.Evidence {
	return result.Evidence{Name: name + ": share of runs diverged", Estimate: metrics.ProportionCI(a.diverged, a.runs)}
}

// C8, main: at a high learning rate many ReLU units die and stay dead,
// where leaky ReLU, PReLU and ELU do not lose their units that way.

const (
	// dieMargin: the smallest share of a layer's units whose death
	// matters, for ReLU's loss and for a fix's advantage over it. A tenth
	// of the units is "many" (CS231n warns of up to 40%), and far above
	// what a well-tuned rate kills (under 1% here).
	dieMargin = 0.10
	// controlMinAcc: ReLU at the well-tuned rate must reach this test
	// accuracy, or the comparison has no working baseline. Well above
	// chance (0.1), well below what 4 epochs give (about 0.88).
	controlMinAcc = 0.5
)

// fixAtHigh is one of leaky, prelu, elu at the high learning rate: the
// paired difference, per seed, between ReLU's final dead fraction and the
// fix's final stuck fraction (units with the same output on every training
// example, as a dead ReLU unit is stuck at 0), over the seeds where neither
// diverged; and the fix's runs there.
type fixAtHigh struct {
	name string
	runs arm
	diff metrics.Paired
	acc  metrics.Estimate // the fix's test accuracy, finished runs
}

type dieEvidence struct {
	setup  string  // the nets and training, for the caveat
	bias   float64 // the reference bias (see referenceBias)
	lo, hi float64 // the well-tuned and the high learning rate; NaN if none
	// loAcc is ReLU's test accuracy at lo (the control); reluHigh its runs
	// at hi; killed the per-seed difference of ReLU's final dead fraction
	// at hi minus at lo (same seed: same initial weights and data order).
	loAcc    metrics.Estimate
	reluHigh arm
	killed   metrics.Paired
	highDead metrics.Estimate // ReLU's final dead fraction at hi
	fixes    []fixAtHigh
}

// dieVerdict: part A, ReLU at the high rate ends with at least dieMargin
// more of its units dead than at the well-tuned rate (95% CI of the paired
// difference above the margin; below it: REFUTED). Part B, for each fix:
// ReLU's dead fraction minus the fix's stuck fraction at the high rate is
// above the margin (the fix keeps its units) or below it (the fix loses
// about as many); a fix that diverged in most runs there cannot tell. The
// claim's outcome is part A's unless A is CONFIRMED; then it is the fixes'
// parts' combination (see combine).
func dieVerdict(e dieEvidence) result.Verdict {
	v := result.Verdict{Claim: "C8", Role: result.Main,
		Statement: "at a high learning rate many ReLU units die and stay dead, where Leaky ReLU, PReLU and ELU do not lose their units that way",
		Rule: fmt.Sprintf("bias %g; lo = ReLU's best-accuracy learning rate below hi, hi = the highest rate at which at most half the ReLU runs diverged. "+
			"A: per seed, ReLU's final dead fraction at hi minus at lo (paired: same weights and data order); B: per seed, at hi, ReLU's dead fraction minus each fix's stuck fraction (same output on every example). "+
			"Each part CONFIRMED if its 95%% CI is above %.2f, REFUTED if below, else INCONCLUSIVE (also for a fix that diverged in most runs at hi); "+
			"the claim is A's outcome unless A is CONFIRMED, then that of the fixes' parts: CONFIRMED if all are, REFUTED if all are, MIXED if some of each, else INCONCLUSIVE (also without a fix); "+
			"INCONCLUSIVE if ReLU at lo reaches test accuracy below %.1f", e.bias, dieMargin, controlMinAcc),
		Caveat: caveatMNIST(e.setup) + "; the fixes are compared at the rate where ReLU dies, where they may diverge instead"}
	if math.IsNaN(e.lo) || math.IsNaN(e.hi) {
		v.Outcome = result.Inconclusive
		v.Why = "The rule needs a learning rate at which most ReLU runs finished and a lower one to compare with; the grid has no such pair."
		return v
	}
	kit.Compared(&v, fmt.Sprintf("ReLU final dead fraction, lr %s minus lr %s (per seed)", fmtLR(e.hi), fmtLR(e.lo)), "fraction of units", e.killed, dieMargin)
	v.Evidence = []result.Evidence{
		{Name: fmt.Sprintf("ReLU final dead fraction at lr %s", fmtLR(e.hi)), Estimate: e.highDead},
		{Name: fmt.Sprintf("ReLU test accuracy at lr %s (control)", fmtLR(e.lo)), Estimate: e.loAcc},
		armEvidence(fmt.Sprintf("ReLU at lr %s", fmtLR(e.hi)), e.reluHigh),
	}
	if !(e.loAcc.Mean >= controlMinAcc) {
		v.Outcome = result.Inconclusive
		v.Why = fmt.Sprintf("ReLU at the well-tuned rate lr %s reached test accuracy %.3f, below %.1f: no working baseline to compare the high rate with.", fmtLR(e.lo), e.loAcc.Mean, controlMinAcc)
		return v
	}
	partA := kit.Superiority(e.killed, dieMargin)
	var parts []result.Outcome // the fixes' parts
	var fixWhy []string
	for _, f := range e.fixes {
		if f.diff.Diff.N > 0 {
			v.Evidence = append(v.Evidence,
				result.Evidence{Name: fmt.Sprintf("ReLU dead minus %s stuck fraction at lr %s (per seed)", f.name, fmtLR(e.hi)), Estimate: f.diff.Diff, Unit: "fraction of units"},
				result.Evidence{Name: fmt.Sprintf("%s test accuracy at lr %s (finished runs)", f.name, fmtLR(e.hi)), Estimate: f.acc})
		}
		v.Evidence = append(v.Evidence, armEvidence(fmt.Sprintf("%s at lr %s", f.name, fmtLR(e.hi)), f.runs))
		if mostly, why := kit.MostlyDiverged(f.name, f.runs.diverged, f.runs.runs); mostly {
			parts = append(parts, result.Inconclusive)
			fixWhy = append(fixWhy, why+" instead")
			continue
		}
		o := kit.Superiority(f.diff, dieMargin)
		parts = append(parts, o)
		fixWhy = append(fixWhy, fmt.Sprintf("ReLU's dead fraction minus %s's stuck fraction is %s (%s; %s %s): %s", f.name, fmtSigned(f.diff.Diff.Mean), fmtPaired(f.diff), f.name, f.runs, o))
	}
	v.Outcome = partA
	if partA == result.Confirmed {
		v.Outcome = combine(parts) // INCONCLUSIVE without a fix
	}
	v.Why = fmt.Sprintf("At lr %s ReLU ended with %.1f%% of its units dead (%s), %s more than at lr %s (%s): %s.",
		fmtLR(e.hi), 100*e.highDead.Mean, e.reluHigh, fmtSigned(e.killed.Diff.Mean), fmtLR(e.lo), fmtPaired(e.killed), partA)
	if len(e.fixes) == 0 {
		v.Why += " None of leaky, prelu and elu was run (add them with --variant), so the second half cannot be told."
	} else {
		v.Why += " At the same rate " + strings.Join(fixWhy, "; ") + "."
	}
	if partA == result.Confirmed && v.Outcome == result.Inconclusive {
		v.Why += " ReLU's half holds; whether the fixes keep their units where ReLU dies cannot be told here."
	}
	v.Why += mdeNote(e.killed, dieMargin)
	return v
}

// fmtSigned is a fraction in percentage points with its sign.
func fmtSigned(x float64) string { return fmt.Sprintf("%+.1f points", 100*x) }

// C8, supporting: dead ReLU units do not recover.

// recoverMargin: "never" tolerates one dead unit in twenty coming back; a
// larger share would make dead units a passing state, not a loss.
const recoverMargin = 0.05

type recoverEvidence struct {
	setup string
	// share is, per seed, the share of the deeper layers' dead ReLU units
	// (dead at init or after an epoch) alive after a later epoch, over the
	// seed's finished ReLU runs (every learning rate and bias).
	share         metrics.Paired
	first, deeper metrics.DeathCounts // pooled counts, for the reader
	runs          arm
	depth         int
	sgd           bool
}

// recoverVerdict: the deeper layers are where recovery can happen (under
// plain SGD a first-layer unit dead on every training example gets no
// gradient and its inputs never change, so it cannot come back: that part
// holds by construction and is only reported).
func recoverVerdict(e recoverEvidence) result.Verdict {
	v := result.Verdict{Claim: "C8", Role: result.Supporting,
		Statement: "dead ReLU units do not recover",
		Rule: fmt.Sprintf("per seed, over its finished ReLU runs (all learning rates and biases), the share of hidden layers 2 and up's units dead at init or after an epoch that were alive after a later one; "+
			"CONFIRMED if the 95%% CI over seeds is below %.2f, REFUTED if above, else INCONCLUSIVE", recoverMargin),
		Caveat: caveatMNIST(e.setup) + "; a unit is checked only at epoch ends, so a unit that revives and dies again within an epoch is missed"}
	kit.Compared(&v, "share of deeper-layer dead units that recovered (per seed)", "fraction of dead units", e.share, recoverMargin)
	v.Evidence = []result.Evidence{
		{Name: fmt.Sprintf("first hidden layer, pooled: %d of %d dead units recovered", e.first.Recovered, e.first.EverDead), Estimate: metrics.ProportionCI(e.first.Recovered, e.first.EverDead)},
		{Name: fmt.Sprintf("deeper layers, pooled: %d of %d dead units recovered", e.deeper.Recovered, e.deeper.EverDead), Estimate: metrics.ProportionCI(e.deeper.Recovered, e.deeper.EverDead)},
		armEvidence("ReLU", e.runs),
	}
	if e.depth < 2 {
		v.Outcome = result.Inconclusive
		v.Why = "The nets have a single hidden layer: there is no deeper layer whose dead units could come back."
		return v
	}
	v.Outcome = flip(kit.Superiority(e.share, recoverMargin))
	v.Why = fmt.Sprintf("Per seed, %.1f%% of the dead units of layers 2 and up were alive again after a later epoch (%s; pooled %d of %d), against a margin of %.0f%%: %s. ",
		100*e.share.Diff.Mean, fmtPaired(e.share), e.deeper.Recovered, e.deeper.EverDead, 100*recoverMargin, v.Outcome)
	if e.sgd {
		v.Why += fmt.Sprintf("In the first layer %d of %d recovered, as plain SGD forces (no gradient, fixed inputs).", e.first.Recovered, e.first.EverDead)
	} else {
		v.Why += fmt.Sprintf("In the first layer %d of %d recovered.", e.first.Recovered, e.first.EverDead)
	}
	if e.share.Diff.N < 2 {
		v.Why = fmt.Sprintf("Fewer than two seeds had a dead unit in layers 2 and up (%d), so there is no interval.", e.share.Diff.N)
	}
	v.Why += mdeNote(e.share, recoverMargin)
	return v
}

// C8, supporting: the fixes' units come back from below zero.

// reviveMargin: the smallest advantage in the share of units that come
// back that would make a fix matter: one such unit in ten more than ReLU.
const reviveMargin = 0.10

// reviveFix is one fix against ReLU at the (learning rate, bias) settings
// where neither arm diverged in most runs, per seed: the share of the fix's
// units whose pre-activation fell to <= 0 on every training example (after
// an epoch, or at init) that were above 0 on some example later, minus the
// same share of ReLU's dead units.
type reviveFix struct {
	name     string
	diff     metrics.Paired
	settings int // settings compared
	skipped  []string
	runs     arm // the fix's runs at the settings compared
}

type reviveEvidence struct {
	setup string
	fixes []reviveFix
}

// reviveVerdict: each fix is a superiority comparison; the verdict
// combines them (see combine), and its effect is the least favourable
// fix's (smallest lower bound).
func reviveVerdict(e reviveEvidence) result.Verdict {
	v := result.Verdict{Claim: "C8", Role: result.Supporting,
		Statement: "units of Leaky ReLU, PReLU and ELU that fall below zero on every example come back, where dead ReLU units stay dead",
		Rule: fmt.Sprintf("at the (learning rate, bias) settings where neither arm diverged in most runs, per seed: the share of the fix's units with pre-activation <= 0 on every training example at some epoch end that were above 0 on some example at a later one, "+
			"minus the same share of ReLU's (dead) units; per fix CONFIRMED if the 95%% CI is above %.2f, REFUTED if below, else INCONCLUSIVE (also if most of its runs diverged); combined: all CONFIRMED, all REFUTED, some of each MIXED, else INCONCLUSIVE", reviveMargin),
		Caveat: caveatMNIST(e.setup) + "; the rates where ReLU dies are mostly left out, as the fixes diverge there"}
	if len(e.fixes) == 0 {
		v.Outcome = result.Inconclusive
		v.Why = "None of leaky, prelu and elu was run (add them with --variant)."
		return v
	}
	var parts []result.Outcome
	var why []string
	deciding := -1
	for i, f := range e.fixes {
		o := result.Inconclusive
		line := ""
		if mostly, w := kit.MostlyDiverged(f.name, f.runs.diverged, f.runs.runs); mostly || f.settings == 0 {
			if f.settings == 0 {
				w = fmt.Sprintf("%s diverged in most runs at every setting", f.name)
			}
			line = w
		} else {
			o = kit.Superiority(f.diff, reviveMargin)
			line = fmt.Sprintf("%s %s (%s, %d settings)", f.name, fmtPaired(f.diff), o, f.settings)
		}
		if len(f.skipped) > 0 {
			line += "; left out where most runs diverged: " + strings.Join(f.skipped, ", ")
		}
		parts = append(parts, o)
		why = append(why, line)
		if f.diff.Diff.N > 0 {
			v.Evidence = append(v.Evidence, result.Evidence{Name: f.name + " minus ReLU: share of negative-regime units that came back (per seed)", Estimate: f.diff.Diff, Unit: "fraction of units"})
		}
		v.Evidence = append(v.Evidence, armEvidence(f.name+" at the settings compared", f.runs))
		if f.diff.Diff.N >= 2 && (deciding < 0 || f.diff.Diff.Lo < e.fixes[deciding].diff.Diff.Lo) {
			deciding = i
		}
	}
	v.Outcome = combine(parts)
	v.Why = "Share of units that came back, fix minus ReLU: " + strings.Join(why, "; ") + "."
	if deciding >= 0 {
		f := e.fixes[deciding]
		kit.Compared(&v, f.name+" minus ReLU: share of negative-regime units that came back (per seed; the least favourable fix)", "fraction of units", f.diff, reviveMargin)
		v.Why += mdeNote(f.diff, reviveMargin)
	}
	return v
}

// C8, supporting and sanity: born dead (Lu et al. 2019).

const (
	// formulaMargin: the Monte Carlo must agree with 1-(1-2^-N)^H within
	// 3 points of probability, far less than any difference that would
	// change a reading of the formula (Lu et al.: over 90% against under
	// 1%). The full run's 10000 draws per width put the MDE at 0.014.
	formulaMargin = 0.03
	// bornMajority: "born dead" is read as most nets of that shape being
	// constant on [-1, 1].
	bornMajority = 0.5
)

// bornCellTest is one (width, depth) cell of the born-dead table: the
// Monte Carlo count of nets dead at x = 1 against the formula.
type bornCellTest struct {
	width, depth int
	dead, inits  int
	formula      float64
}

func (t bornCellTest) estimate() metrics.Estimate { return metrics.ProportionCI(t.dead, t.inits) }

type formulaEvidence struct {
	cells []bornCellTest // widths outer, depths inner, as in the table
}

// formulaVerdict: with zero biases and symmetric weights the probability
// of a zero layer at x = 1 is exactly 1-(1-2^-N)^H, so this checks the
// simulation, not a claim (a sanity check). A cell agrees if its 95% Wilson
// interval lies inside formula ± formulaMargin (equivalence; conservative
// against TOST's 90%), disagrees if it lies wholly outside.
func formulaVerdict(e formulaEvidence) result.Verdict {
	v := result.Verdict{Claim: "C8", Role: result.Sanity,
		Statement: "the Monte Carlo born-dead rate at x = 1 matches 1-(1-2^-N)^H",
		Rule:      fmt.Sprintf("every (width, depth) cell: the 95%% Wilson interval of the share of nets with a hidden layer entirely zero at x = 1; CONFIRMED if every interval lies inside formula ± %.2f, REFUTED if some lies wholly outside, else INCONCLUSIVE", formulaMargin),
		Caveat:    caveatBorn + "; exact by construction, so it checks the simulation"}
	agree, outside := 0, 0
	worst, worstGap := -1, -1.0
	for i, t := range e.cells {
		est := t.estimate()
		switch {
		case est.Lo > t.formula-formulaMargin && est.Hi < t.formula+formulaMargin:
			agree++
		case est.Lo > t.formula+formulaMargin || est.Hi < t.formula-formulaMargin:
			outside++
		}
		if gap := math.Max(est.Hi-t.formula, t.formula-est.Lo); gap > worstGap {
			worst, worstGap = i, gap
		}
	}
	switch {
	case len(e.cells) == 0:
		v.Outcome = result.Inconclusive
		v.Why = "No cell was measured."
		return v
	case outside > 0:
		v.Outcome = result.Refuted
	case agree == len(e.cells):
		v.Outcome = result.Confirmed
	default:
		v.Outcome = result.Inconclusive
	}
	t := e.cells[worst]
	est := t.estimate()
	gap := metrics.Estimate{Mean: est.Mean - t.formula, Lo: est.Lo - t.formula, Hi: est.Hi - t.formula, SD: est.SD, N: est.N}
	v.Effect = &result.Evidence{Name: fmt.Sprintf("Monte Carlo minus formula at N=%d, H=%d (the cell whose interval reaches farthest)", t.width, t.depth), Estimate: gap, Unit: "probability"}
	v.Margin, v.N = result.Float(formulaMargin), t.inits
	v.MDE = result.Float(metrics.ProportionMDE(t.formula, t.inits))
	v.Why = fmt.Sprintf("%d of %d cells lie within ±%.2f of the formula and %d wholly outside; the farthest-reaching interval is at N=%d, H=%d: %d of %d (%.4f [%.4f, %.4f]) against %.4f.",
		agree, len(e.cells), formulaMargin, outside, t.width, t.depth, t.dead, t.inits, est.Mean, est.Lo, est.Hi, t.formula)
	return v
}

// bornAnchor is a (width, depth) that Lu et al. 2019 report on, shown as
// evidence.
type bornAnchor struct {
	width, depth        int
	formula             float64
	deadAtOne, bornDead metrics.Estimate
}

type bornDeadEvidence struct {
	anchors      []bornAnchor
	width, depth int // the narrowest width; depth 10 if measured (Lu's anchor), else the deepest
	dead, inits  int // nets constant on [-1, 1] there
}

// bornDeadVerdict: the share of the narrowest nets at Lu et al.'s depth
// that are constant on [-1, 1], against a majority.
func bornDeadVerdict(e bornDeadEvidence) result.Verdict {
	v := result.Verdict{Claim: "C8", Role: result.Supporting,
		Statement: "deep narrow ReLU nets are born dead (Lu et al. 2019: over 90% of width-2, depth-10 nets collapse)",
		Rule:      fmt.Sprintf("the share of the narrowest nets, at depth 10 (Lu et al.'s anchor; else the deepest measured), whose output is constant on [-1, 1], with its 95%% Wilson interval: CONFIRMED if above %.1f (most are born dead), REFUTED if below, else INCONCLUSIVE", bornMajority),
		Caveat:    caveatBorn + "; Lu et al. count nets that collapse in training, this counts nets constant at initialisation"}
	share := metrics.ProportionCI(e.dead, e.inits)
	v.Effect = &result.Evidence{Name: fmt.Sprintf("share of width-%d, depth-%d nets constant on [-1, 1]", e.width, e.depth), Estimate: share, Unit: "fraction of nets"}
	v.Margin, v.N = result.Float(bornMajority), e.inits
	v.MDE = result.Float(metrics.ProportionMDE(bornMajority, e.inits))
	for _, a := range e.anchors {
		v.Evidence = append(v.Evidence,
			result.Evidence{Name: fmt.Sprintf("dead at x = 1, N=%d, H=%d (formula %.4f)", a.width, a.depth, a.formula), Estimate: a.deadAtOne},
			result.Evidence{Name: fmt.Sprintf("born dead (constant on [-1, 1]), N=%d, H=%d", a.width, a.depth), Estimate: a.bornDead})
	}
	switch {
	case e.inits == 0:
		v.Outcome = result.Inconclusive
		v.Why = "No net was drawn."
		return v
	case share.Lo > bornMajority:
		v.Outcome = result.Confirmed
	case share.Hi < bornMajority:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Inconclusive
	}
	v.Why = fmt.Sprintf("%d of %d width-%d, depth-%d nets (%.1f%% [%.1f, %.1f]) are constant on [-1, 1] at initialisation; Lu et al. 2019: over 90%% of width-2, depth-10 nets collapse, under 1%% at width 10.",
		e.dead, e.inits, e.width, e.depth, 100*share.Mean, 100*share.Lo, 100*share.Hi)
	return v
}

// C9: dead units are one cause of vanishing gradient.

const (
	// gradMargin: a unit dead at the start of an epoch must have its
	// weights starved of gradient in at least half more of the epoch's
	// steps than a live unit for "a form of vanishing gradient" to mean
	// anything; a smaller gap would be a nuance, not a cause.
	gradMargin = 0.5
	// mostShare: "most" zero-gradient entries is more than half of them.
	mostShare = 0.5
)

type gradEvidence struct {
	setup string
	// assoc is, per seed, the share of zero-gradient steps (dL/dz exactly
	// 0 on the whole batch) of units dead at the start of an epoch minus
	// that of units alive at its start, pooled over the seed's finished
	// ReLU (f'(0) = 0) runs, layers and trained epochs at the settings
	// where ReLU trained (the control: a live unit can get a gradient).
	assoc       metrics.Paired
	dead, alive metrics.Estimate // the two shares, means over seeds
	deadShare   metrics.Paired   // per seed, share of zero dL/dz entries that belong to units dead at the epoch's start
	unitEpochs  int              // (unit, epoch) pairs dead at the start, pooled
	// trained and collapsed count the (learning rate, bias) settings whose
	// mean test accuracy is at least controlMinAcc, and those below it;
	// collapsedAlive is the live units' zero-gradient step share in the
	// collapsed ones (pooled), where the gradient vanished for every unit.
	trained, collapsed int
	collapsedAlive     float64
	runs               arm // ReLU's runs at the trained settings
	zeroEntryFrac      metrics.Estimate
}

// gradControl says why the association cannot be read, or "".
func gradControl(e gradEvidence) string {
	if e.trained == 0 {
		return fmt.Sprintf("ReLU reached a mean test accuracy of %.1f in none of the settings: with no net that trains there is no live unit whose gradient to compare with.", controlMinAcc)
	}
	if mostly, why := kit.MostlyDiverged("ReLU", e.runs.diverged, e.runs.runs); mostly {
		return why + "."
	}
	return ""
}

// collapsedNote describes the settings left out as collapsed.
func collapsedNote(e gradEvidence) string {
	if e.collapsed == 0 {
		return ""
	}
	return fmt.Sprintf(" In the %d settings where ReLU did not train (mean test accuracy below %.1f), live units too got no gradient in %.1f%% of steps: the gradient vanished for every unit, which this comparison leaves out.", e.collapsed, controlMinAcc, 100*e.collapsedAlive)
}

// gradVerdict: the association between being dead at the start of an
// epoch and getting no gradient in the epoch's steps, where the nets train.
func gradVerdict(e gradEvidence) result.Verdict {
	v := result.Verdict{Claim: "C9", Role: result.Main,
		Statement: "dead units are one cause of vanishing gradient: a unit dead at the start of an epoch gets no gradient to its weights in far more of the epoch's steps than a live one",
		Rule: fmt.Sprintf("ReLU (f'(0) = 0), at the (learning rate, bias) settings whose mean test accuracy is at least %.1f (the control: nets that train), per seed over its finished runs, layers and epochs: share of steps with dL/dz exactly 0 on the whole batch, units dead at the epoch's start minus units alive at it; "+
			"CONFIRMED if the 95%% CI is above %.2f, REFUTED if below, else INCONCLUSIVE (also if no setting trained or most runs diverged)", controlMinAcc, gradMargin),
		Caveat: caveatMNIST(e.setup) + "; an association, not an intervention: it does not show that reviving the units would restore the gradient"}
	kit.Compared(&v, "zero-gradient step share, dead minus alive units (per seed)", "fraction of steps", e.assoc, gradMargin)
	v.Evidence = []result.Evidence{
		{Name: "zero-gradient step share, units dead at the epoch's start", Estimate: e.dead},
		{Name: "zero-gradient step share, units alive at the epoch's start", Estimate: e.alive},
		{Name: "share of dL/dz entries exactly 0", Estimate: e.zeroEntryFrac},
		armEvidence("ReLU at the settings that trained", e.runs),
	}
	if why := gradControl(e); why != "" {
		v.Outcome = result.Inconclusive
		v.Why = why
		return v
	}
	v.Outcome = kit.Superiority(e.assoc, gradMargin)
	v.Why = fmt.Sprintf("In the %d settings where ReLU trained, units dead at the start of an epoch (%d unit-epochs) got no gradient in %.1f%% of its steps, live units in %.1f%%: difference %s, against a margin of %.2f: %s.",
		e.trained, e.unitEpochs, 100*e.dead.Mean, 100*e.alive.Mean, fmtPaired(e.assoc), gradMargin, v.Outcome)
	if e.assoc.Diff.N < 2 {
		v.Why = fmt.Sprintf("Fewer than two seeds had a unit dead at the start of an epoch in a setting that trained (%d), so there is no interval.", e.assoc.Diff.N)
	}
	v.Why += collapsedNote(e) + mdeNote(e.assoc, gradMargin)
	return v
}

// mostZerosVerdict: whether dead units are the main source of zero
// gradients, or one among others (most zeros come from live units that
// are inactive on some examples, C4).
func mostZerosVerdict(e gradEvidence) result.Verdict {
	v := result.Verdict{Claim: "C9", Role: result.Supporting,
		Statement: "dead units account for most of the zero entries of the back-propagated gradient",
		Rule:      fmt.Sprintf("ReLU (f'(0) = 0), at the settings whose mean test accuracy is at least %.1f, per seed over its finished runs: the share of dL/dz entries exactly 0 that belong to units dead at the epoch's start; CONFIRMED if the 95%% CI is above %.1f, REFUTED if below, else INCONCLUSIVE (also if no setting trained or most runs diverged)", controlMinAcc, mostShare),
		Caveat:    caveatMNIST(e.setup) + "; the share depends on how many units the settings kill, so it describes this grid of settings"}
	kit.Compared(&v, "share of zero dL/dz entries from units dead at the epoch's start (per seed)", "fraction of zero entries", e.deadShare, mostShare)
	v.Evidence = []result.Evidence{{Name: "share of dL/dz entries exactly 0", Estimate: e.zeroEntryFrac}, armEvidence("ReLU at the settings that trained", e.runs)}
	if why := gradControl(e); why != "" {
		v.Outcome = result.Inconclusive
		v.Why = why
		return v
	}
	v.Outcome = kit.Superiority(e.deadShare, mostShare)
	v.Why = fmt.Sprintf("Of the zero entries of dL/dz in the %d settings where ReLU trained, %.1f%% belong to units dead at the epoch's start (%s); the rest come from live units inactive on some examples: %s.",
		e.trained, 100*e.deadShare.Diff.Mean, fmtPaired(e.deadShare), v.Outcome)
	v.Why += mdeNote(e.deadShare, mostShare)
	return v
}

// C1: the f'(0) convention does not change training.

const (
	// derivDeadMargin: two points of the dead fraction (about 4 of the 192
	// hidden units), a twentieth of the 40% CS231n warns of.
	derivDeadMargin = 0.02
	// derivAccMargin: one point of test accuracy, less than the gap
	// between neighbouring learning rates at the well-tuned end.
	derivAccMargin = 0.01
)

type derivEvidence struct {
	setup string
	other string // the relu-d<v> variant; "" if none was run
	// dead and acc: per seed, relu minus other, each averaged over the
	// settings where both runs of the seed finished.
	dead, acc metrics.Paired
	// pairs: (setting, seed) pairs where both finished; identical: those
	// whose final dead fraction, loss and accuracy agree to the last bit;
	// discordant: pairs where exactly one arm diverged.
	pairs, identical, discordant int
	runs                         arm // both arms together
	zeroPre, entries             int // pre-activations exactly 0 in training steps, both arms
}

// derivVerdict: equivalence of relu and relu-d<v> on paired seeds, on the
// dead fraction and on test accuracy.
func derivVerdict(e derivEvidence) result.Verdict {
	v := result.Verdict{Claim: "C1", Role: result.Main,
		Statement: "the value taken for ReLU's f'(0) does not change training (dead units, test accuracy)",
		Rule: fmt.Sprintf("relu (f'(0) = 0) against relu-d<v> on paired seeds (same weights and data order), per seed averaged over the settings where both finished: "+
			"CONFIRMED if the 90%% CIs of the differences in final dead fraction and test accuracy lie inside ±%.2f and ±%.2f (TOST); REFUTED if either 95%% CI lies wholly outside; else INCONCLUSIVE (also if most runs diverged)", derivDeadMargin, derivAccMargin),
		Caveat: caveatMNIST(e.setup) + "; f'(0) acts only where a pre-activation is exactly 0, which an architecture with exact zeros (quantised nets, max-pooling ties) may reach more often"}
	if e.other == "" {
		v.Outcome = result.Inconclusive
		v.Why = "No relu-d<v> variant with f'(0) != 0 was run (add relu-d1 with --variant)."
		return v
	}
	kit.Compared(&v, "final dead fraction, relu minus "+e.other+" (per seed)", "fraction of units", e.dead, derivDeadMargin)
	v.Evidence = []result.Evidence{
		{Name: "test accuracy, relu minus " + e.other + " (per seed)", Estimate: e.acc.Diff, Unit: "accuracy"},
		{Name: fmt.Sprintf("paired runs identical to the last bit (%d of %d)", e.identical, e.pairs), Estimate: metrics.ProportionCI(e.identical, e.pairs)},
		armEvidence("relu and "+e.other, e.runs),
	}
	if mostly, why := kit.MostlyDiverged("relu and "+e.other, e.runs.diverged, e.runs.runs); mostly {
		v.Outcome = result.Inconclusive
		v.Why = why + "."
		return v
	}
	dead, acc := kit.Equivalence(e.dead, derivDeadMargin), kit.Equivalence(e.acc, derivAccMargin)
	switch {
	case dead == result.Refuted || acc == result.Refuted:
		v.Outcome = result.Refuted
	case dead == result.Confirmed && acc == result.Confirmed:
		v.Outcome = result.Confirmed
	default:
		v.Outcome = result.Inconclusive
	}
	v.Why = fmt.Sprintf("Dead fraction relu minus %s %s (90%% CI [%.4f, %.4f]); test accuracy %s (90%% CI [%.4f, %.4f]). %d of %d paired runs ended identical to the last bit and %d pairs diverged in one arm only; "+
		"%d of %d pre-activations in training steps were exactly 0, the only place f'(0) enters.",
		e.other, fmtPaired(e.dead), e.dead.Lo90, e.dead.Hi90, fmtPaired(e.acc), e.acc.Lo90, e.acc.Hi90, e.identical, e.pairs, e.discordant, e.zeroPre, e.entries)
	v.Why += mdeNote(e.dead, derivDeadMargin) + mdeNote(e.acc, derivAccMargin)
	return v
}
