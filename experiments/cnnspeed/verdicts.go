package cnnspeed

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// The verdict rules. Each reads statistics summary.go computed and decides;
// none reads a cell or a clock itself. Every verdict here supports C2; its
// main verdict stays experiment speed's (kernels and the share of a step).

// margin is the ratio of tanh's (or sigmoid's) updates or seconds to a
// threshold over ReLU's past which ReLU counts as training faster at all.
const margin = 1.25

// marginReason is margin's reason, for the verdict.
const marginReason = "a quarter more updates or training time to the same training error is the smallest slow-down worth choosing an activation for (the margin of experiment speed)"

// alexNetRatio is the speed-up of ReLU over tanh to 25% training error that
// Krizhevsky et al. 2012 report (their figure 1).
const alexNetRatio = 6.0

// timingRule begins the rule of every verdict that reads a clock.
const timingRule = "Timing verdict: it reads wall-clock measurements of this run, so its numbers, and near the margin its outcome, change from run to run and machine to machine. "

// arm is one activation's runs to one threshold, each seed at the rate
// chosen for that threshold on the other half of the seeds.
type arm struct {
	name string
	// n runs: reached the threshold, ran the whole budget without reaching
	// it, stalled, diverged.
	n, reached, budget, stalled, diverged int
	// median is the Kaplan-Meier median updates to the threshold, runs
	// that did not reach it censored at the budget (+Inf when more than
	// half never reached it).
	median float64
	// lrs names the rates read ("0.1 / 0.3": even seeds / odd seeds).
	lrs string
	// edge names the edge of the grid at which a rate read lies ("the
	// lowest rate, 0.01,"), or "".
	edge string
}

// censored is the number of runs that did not reach the threshold.
func (a arm) censored() int { return a.n - a.reached }

func (a arm) failures() string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{a.budget, "> budget"}, {a.stalled, "stalled"}, {a.diverged, "diverged"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func (a arm) describe(budget int) string {
	med := fmt.Sprintf("median %.0f updates", a.median)
	if math.IsInf(a.median, 1) {
		med = fmt.Sprintf("median > %d updates (budget)", budget)
	}
	return fmt.Sprintf("%s %d/%d reached%s, %s, lr %s", a.name, a.reached, a.n, a.failures(), med, a.lrs)
}

// rung is the comparison of one activation with ReLU at one threshold.
type rung struct {
	threshold float64
	relu, arm arm
	// p is the mean per-seed log ratio of the activation's cost to ReLU's
	// over every seed, a run that did not reach the threshold counted at
	// the budget (a lower bound of its time): on the scale of log(margin).
	p metrics.Paired
}

// decideRung decides one threshold:
//
//   - ReLU, the reference, reached it on fewer than half its seeds:
//     INCONCLUSIVE (the control did not train that far).
//   - Otherwise kit.Superiority of the paired log ratio against
//     log(margin). A run that did not reach the threshold counts at the
//     budget, which understates its time: the other activation's such runs
//     can only flatter it, so they block REFUTED; ReLU's can only flatter
//     ReLU, so they block CONFIRMED.
//   - A rate read at the edge of the grid: an untried rate beyond it could
//     only make that activation faster, so ReLU at an edge blocks REFUTED
//     and the other activation at an edge blocks CONFIRMED.
func decideRung(r rung, budget int) (result.Outcome, string) {
	if 2*r.relu.reached < r.relu.n || r.relu.n == 0 {
		return result.Inconclusive, fmt.Sprintf("ReLU, the reference, reached it on only %d of %d seeds%s", r.relu.reached, r.relu.n, r.relu.failures())
	}
	o := kit.Superiority(r.p, math.Log(margin))
	why := fmt.Sprintf("%s / relu %s over %d paired seeds", r.arm.name, fmtRatio(r.p), r.p.Diff.N)
	if c := r.arm.censored(); c > 0 {
		why += fmt.Sprintf(", %d %s run(s) counted at the budget (%d updates) so the ratio is a lower bound", c, r.arm.name, budget)
	}
	switch {
	case o == result.Refuted && r.arm.censored() > 0:
		return result.Inconclusive, why + ": below the margin, but its runs counted at the budget could be slower still"
	case o == result.Confirmed && r.relu.censored() > 0:
		return result.Inconclusive, why + fmt.Sprintf(": beyond the margin, but %d relu run(s) counted at the budget flatter relu", r.relu.censored())
	case o == result.Refuted && r.relu.edge != "":
		return result.Inconclusive, why + fmt.Sprintf(": below the margin, but ReLU's rate is %s of the grid: a rate beyond it, untried, might make ReLU faster", r.relu.edge)
	case o == result.Confirmed && r.arm.edge != "":
		return result.Inconclusive, why + fmt.Sprintf(": beyond the margin, but %s's rate is %s of the grid: a rate beyond it, untried, might make %s faster", r.arm.name, r.arm.edge, r.arm.name)
	case o == result.Inconclusive:
		why += ": straddling the margin"
		if r.p.Diff.N >= 2 && !(r.p.MDE < math.Log(margin)) {
			why += fmt.Sprintf(" (with %d pairs the smallest detectable ratio is %.2fx: more seeds could tell)", r.p.Diff.N, math.Exp(r.p.MDE))
		}
	}
	return o, why
}

// alexNetLine says where AlexNet's 6x lies against the interval of a tanh
// ratio: excluded (the whole interval below it, and no tanh run censored,
// which would make the ratio a lower bound), within the interval, or below
// it (the ratio here is larger still).
func alexNetLine(r rung) string {
	if r.p.Diff.N < 2 || math.IsNaN(r.p.Diff.Hi) {
		return fmt.Sprintf("AlexNet's %gx: no interval", alexNetRatio)
	}
	e := metrics.RatioFromLog(r.p.Diff)
	switch {
	case e.Lo > alexNetRatio:
		return fmt.Sprintf("AlexNet's %gx lies below the interval (ReLU's lead is larger here)", alexNetRatio)
	case e.Hi >= alexNetRatio:
		return fmt.Sprintf("AlexNet's %gx is within the interval", alexNetRatio)
	case r.arm.censored() > 0:
		return fmt.Sprintf("AlexNet's %gx is above the interval, but within reach: %d %s run(s) counted at the budget make the ratio a lower bound", alexNetRatio, r.arm.censored(), r.arm.name)
	}
	return fmt.Sprintf("AlexNet's %gx is excluded (upper bound %.2fx)", alexNetRatio, e.Hi)
}

// rungTally counts the rungs' outcomes when they differ: " (REFUTED at 2
// of 3 rungs, INCONCLUSIVE at 1; the claim is about each rung: …)", or ""
// when they agree.
func rungTally(outs []result.Outcome) string {
	count := map[result.Outcome]int{}
	var order []result.Outcome
	for _, o := range outs {
		if count[o] == 0 {
			order = append(order, o)
		}
		count[o]++
	}
	if len(order) < 2 {
		return ""
	}
	var parts []string
	for i, o := range order {
		if i == 0 {
			parts = append(parts, fmt.Sprintf("%s at %d of %d rungs", o, count[o], len(outs)))
		} else {
			parts = append(parts, fmt.Sprintf("%s at %d", o, count[o]))
		}
	}
	return " (" + strings.Join(parts, ", ") + "; the claim is about each rung: one shown not to hold, with none shown to hold, refutes it; one shown to hold beside one shown not to makes it MIXED)"
}

// knifeShare is how close (as a share of the margin, 1%) an end of a
// rung's interval may come to the margin before the rung is reported as
// on a knife edge: its outcome stands by the rule, but a slightly
// different interval (another seed, a reading of the crossing between
// checks) would turn it.
const knifeShare = 0.01

// knifeEdgeRungs names the decided rungs whose interval ends within
// knifeShare of the margin and whose outcome, read INCONCLUSIVE instead,
// would change the ladder's: a sentence for the Why and the Fragile words
// for the first screen (review 26e: tanh's seconds MIXED rested on a 25%
// rung whose lower end, 1.257, cleared the 1.25 margin by 0.6%). Empty
// when there is none.
func knifeEdgeRungs(rs []rung, outs []result.Outcome, o result.Outcome) (why, fragile string) {
	var parts []string
	for i, r := range rs {
		if outs[i] != result.Confirmed && outs[i] != result.Refuted {
			continue
		}
		e := metrics.RatioFromLog(r.p.Diff)
		gap := math.Min(math.Abs(e.Lo-margin), math.Abs(e.Hi-margin)) / margin
		if r.p.Diff.N < 2 || !(gap < knifeShare) {
			continue
		}
		alt := slices.Clone(outs)
		alt[i] = result.Inconclusive
		turned := result.EachHolds(alt)
		if turned == o {
			continue
		}
		parts = append(parts, fmt.Sprintf("at %g%% the interval [%.3f, %.3f] ends %.1f%% from the %gx margin, and read INCONCLUSIVE that threshold would turn the ladder to %s", 100*r.threshold, e.Lo, e.Hi, 100*gap, margin, turned))
		if fragile == "" {
			fragile = fmt.Sprintf("on a knife edge: %s had the %g%% threshold's interval reached the margin", turned, 100*r.threshold)
		}
	}
	if len(parts) == 0 {
		return "", ""
	}
	return "On a knife edge (decides nothing): " + strings.Join(parts, "; ") + ".", fragile
}

// deciding is the rung that decided the combined outcome, and of those
// the one that came closest to overturning it: when REFUTED, the refuting
// rung (REFUTED or MIXED) with the largest ratio; when INCONCLUSIVE, the
// first rung that could not be told (it kept the ladder undecided); when
// CONFIRMED, the smallest ratio; when MIXED, the smallest ratio (the
// threshold at which ReLU was least ahead).
func deciding(rs []rung, outs []result.Outcome, o result.Outcome) int {
	if o == result.Inconclusive {
		for i, ro := range outs {
			if ro == result.Inconclusive {
				return i
			}
		}
	}
	sign := 1.0
	if o == result.Refuted {
		sign = -1
	}
	best := -1
	for i := range rs {
		if o == result.Refuted && outs[i] != result.Refuted && outs[i] != result.Mixed {
			continue
		}
		if best < 0 || math.IsNaN(rs[best].p.Diff.Mean) || sign*rs[i].p.Diff.Mean < sign*rs[best].p.Diff.Mean {
			best = i
		}
	}
	return max(best, 0)
}

// otherRungsAside names, for the effect's Of, the other rungs with their
// ratios and outcomes: "(at 25%: 1.31x INCONCLUSIVE; at 13%: 0.67x
// REFUTED)", so that a reader of the effect alone
// (the report's first screen) is not left with one rung of a ladder that
// points elsewhere too; and, first, that the deciding ratio is a lower
// bound when some of the arm's runs were counted at the budget. Empty
// when neither applies.
func otherRungsAside(rs []rung, outs []result.Outcome, d int) string {
	var others []string
	if a := rs[d].arm; a.budget > 0 {
		others = append(others, fmt.Sprintf("a lower bound: %d of %d %s runs counted at the budget", a.budget, a.n, a.name))
	}
	for i, r := range rs {
		// Every other rung, its outcome the same or not (review 26e: the
		// tanh ladder's REFUTED showed 0.98x at 18% and hid 0.67x at 13%).
		if i != d {
			others = append(others, fmt.Sprintf("at %g%%: %sx %s", 100*r.threshold, kit.FmtFloat(metrics.RatioFromLog(r.p.Diff).Mean, 2), outs[i]))
		}
	}
	if len(others) == 0 {
		return ""
	}
	return " (" + strings.Join(others, "; ") + ")"
}

// ladderEvidence is what a rule reads for one activation against ReLU:
// one rung per threshold, and for the seconds the timing control.
type ladderEvidence struct {
	name   string
	budget int
	rungs  []rung
	// control is set for the rule on seconds, nil for updates.
	control *kit.TimingControl
	// caveat is the setting in words (net, data set, budget).
	caveat string
	// stepNote, for the rule on seconds, gives the step ratio read from
	// the layers beside the whole-step ratios of the activation and of the
	// null arm.
	stepNote string
}

// ladderVerdict decides one activation against ReLU over the ladder; what
// is "updates" or "seconds".
func ladderVerdict(e ladderEvidence, what string) result.Verdict {
	var thresholds []string
	for _, r := range e.rungs {
		thresholds = append(thresholds, fmt.Sprintf("%g%%", 100*r.threshold))
	}
	anchor := " (AlexNet compared tanh only)"
	if e.name == "tanh" {
		anchor = fmt.Sprintf(" (AlexNet: %gx fewer epochs to 25%% error on CIFAR-10)", alexNetRatio)
	}
	v := result.Verdict{Claim: "C2", Role: result.Supporting,
		Statement: fmt.Sprintf("A CNN with ReLU reaches each training error of the ladder (%s) in fewer %s than with %s, each at its fastest learning rate%s",
			strings.Join(thresholds, ", "), what, e.name, anchor),
		Caveat: e.caveat}
	rule := fmt.Sprintf("Seeds are paired (same initial draws and batches for every activation and rate). For each threshold, each activation's rate for the even seeds is the one fastest to it on the odd seeds (Kaplan-Meier median updates, runs that never reached it censored at the budget), and the reverse. "+
		"Per threshold: the mean per-seed log ratio of %s's %s to ReLU's over every seed, a run that did not reach it counted at the budget (a lower bound), against a margin of %gx: CONFIRMED if its 95%% CI lies above, REFUTED if below, else INCONCLUSIVE; "+
		"INCONCLUSIVE as well if ReLU reached it on fewer than half its seeds, if runs counted at the budget could overturn the outcome (%s's block REFUTED, ReLU's block CONFIRMED), or if a rate at the edge of the grid could (ReLU's blocks REFUTED, %s's CONFIRMED). "+
		"Over the thresholds (the statement says each): %s; the effect shown is the threshold nearest to overturning the outcome among those that decided it (for CONFIRMED or MIXED, the smallest ratio; for REFUTED, the refuting rung with the largest; for INCONCLUSIVE, the first undecided one), with the others beside it. "+
		"A threshold whose interval ends within %.0f%% of the margin, and whose outcome decides the ladder's, is reported as a knife edge (decides nothing).",
		e.name, what, margin, e.name, e.name, result.EachHoldsRule, 100*knifeShare)
	interval := "" // the seconds' intervals are widened (secondsRatio)
	if e.control != nil {
		interval = kit.WidenedInterval
		rule = timingRule + "Seconds = updates x the activation's step time, taken as ReLU's step plus the time the activation's layers take beyond ReLU's (both timed inside the steps, interleaved in a random order drawn afresh each repetition; the rest of a step is the same work whatever the activation, and a second ReLU net timed beside the first shows how far whole steps differ when only the nets' buffers do): the log ratio adds the per-repetition log ratio of steps so taken to the paired updates ratio, variances added (Welch-Satterthwaite), its interval widened on both sides by the reach of the null arm's layer reading (kit.NullReach), scaled by the activation's layer time over ReLU's when larger (kit.ReachFor: a misreading may grow with the time the layers take). " +
			rule + fmt.Sprintf(" Control: INCONCLUSIVE whatever the intervals if the timing thread had a core for less than %.0f%% of the time it was ready to run (hypervisor-stolen time counted as waiting).", 100*kit.MinCPUShare)
	} else {
		rule = "Deterministic (updates, no clock). " + rule
	}
	v.Rule = rule
	var outs []result.Outcome
	var parts []string
	for _, r := range e.rungs {
		o, why := decideRung(r, e.budget)
		outs = append(outs, o)
		// One sentence per threshold, the runs in brackets so that the
		// report's list keeps them with their ratio.
		part := fmt.Sprintf("At %g%% error (%s; %s), %s, %s", 100*r.threshold, r.relu.describe(e.budget), r.arm.describe(e.budget), why, o)
		if e.name == "tanh" {
			part += "; " + alexNetLine(r)
		}
		parts = append(parts, part)
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%s / relu %s to %g%% training error, paired seeds", e.name, what, 100*r.threshold), Estimate: metrics.RatioFromLog(r.p.Diff), Unit: "x", Interval: interval})
	}
	v.Outcome = result.EachHolds(outs)
	if len(e.rungs) > 0 {
		i := deciding(e.rungs, outs, v.Outcome)
		d := e.rungs[i]
		comparedRatio(&v, fmt.Sprintf("%s / relu %s to %g%% training error, paired seeds", e.name, what, 100*d.threshold), d.p)
		v.Effect.Interval = interval
		if len(e.rungs) > 1 {
			v.Effect.Of = fmt.Sprintf("to %g%% error", 100*d.threshold) + otherRungsAside(e.rungs, outs, i)
		}
	}
	v.Why = fmt.Sprintf("Each threshold against ReLU, margin %gx. %s. Over the ladder: %s%s.", margin, strings.Join(parts, ". "), v.Outcome, rungTally(outs))
	if w, fragile := knifeEdgeRungs(e.rungs, outs, v.Outcome); w != "" {
		v.Why += " " + w
		v.Fragile = fragile
	}
	if e.control != nil {
		if e.stepNote != "" {
			v.Why += " " + e.stepNote
		}
		v.Why += " " + e.control.Describe()
		if failed, reason := e.control.Failed(""); failed {
			v.Outcome = result.Inconclusive
			v.Why = "INCONCLUSIVE: " + reason + ". What the intervals alone would say: " + v.Why
		}
	}
	return v
}

// comparedRatio fills the comparison fields of v for a log ratio reported
// as a ratio: effect, margin and minimal detectable effect all as ratios
// to ReLU's (1 = no difference).
func comparedRatio(v *result.Verdict, name string, p metrics.Paired) {
	v.Effect = &result.Evidence{Name: name, Estimate: metrics.RatioFromLog(p.Diff), Unit: "x"}
	v.Margin = result.Float(margin)
	v.MarginReason = marginReason
	v.N = p.Diff.N
	if !math.IsInf(p.MDE, 0) && !math.IsNaN(p.MDE) {
		v.MDE = result.Float(math.Exp(p.MDE))
	}
}

func fmtRatio(p metrics.Paired) string {
	e := metrics.RatioFromLog(p.Diff)
	if p.Diff.N < 2 || math.IsNaN(e.Lo) {
		return fmt.Sprintf("%sx (n=%d, no interval)", kit.FmtFloat(e.Mean, 2), p.Diff.N)
	}
	return fmt.Sprintf("%.2fx [%.2f, %.2f]", e.Mean, e.Lo, e.Hi)
}
