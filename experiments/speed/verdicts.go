package speed

import (
	"fmt"
	"math"
	"strings"

	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// The verdict rules. Each reads statistics summary.go has computed and
// decides; none reads a cell or a clock itself. A comparison is decided by
// kit.Superiority against its margin: CONFIRMED when the 95% interval lies
// beyond the margin, REFUTED when it lies below it, INCONCLUSIVE otherwise.

// timingRule prefixes the rule of every verdict that reads a clock: these
// are the one documented exception to determinism.
const timingRule = "Timing verdict: it reads wall-clock measurements of this run, so its numbers, and near a margin its outcome, change from run to run and machine to machine. "

// kernelMargin is the ratio of tanh's or sigmoid's kernel time (forward
// plus backward) to ReLU's past which ReLU counts as cheaper to compute:
// half again as slow is well beyond the 10-20% by which one kernel's time
// moves between runs, machines and instruction sets, so a ratio past it is
// a property of the functions, not of this run.
const kernelMargin = 1.5

// kernelMarginReason is kernelMargin's reason, for the verdict.
const kernelMarginReason = "half again as slow is well beyond the 10-20% by which one kernel's time moves between runs and machines"

// stepMargin is the saving, in percent of ReLU's whole training step, past
// which the kernel's speed matters in a training step: a saving under 5% is
// below the run-to-run spread of training time on a shared machine and
// would not change which activation a practitioner picks.
const stepMargin = 5.0

// stepMarginReason is stepMargin's reason, for the verdict.
const stepMarginReason = "a saving under 5% of a step is within the run-to-run spread of training time and would not change which activation a practitioner picks"

// toTargetMargin is the ratio of updates (or seconds) to the target
// accuracy, tanh's or sigmoid's over ReLU's, past which ReLU counts as
// training faster: a quarter more updates is the smallest slow-down worth
// choosing an activation for (AlexNet's 6x is far beyond it, so a ratio
// refuted at 1.25 refutes 6x a fortiori).
const toTargetMargin = 1.25

// toTargetMarginReason is toTargetMargin's reason, for the verdict.
const toTargetMarginReason = "needing a quarter more updates or training time to reach the target is the smallest slow-down worth choosing an activation for"

// alexNetRatio is the speed-up of ReLU over tanh Krizhevsky et al. 2012
// report, to read our ratios against.
const alexNetRatio = 6

// stepShareBias is what a shared core does to the step-share timings: a
// preempted sample inflates a whole step far more than the activation
// layers inside it.
const stepShareBias = "a saving in % of a step is biased towards zero"

// versus is one paired comparison of tanh or sigmoid (name) with ReLU in
// one setting (a kernel size, a net): p is the mean of per-unit values
// (per repetition for timings, per seed for training) on the scale its
// margin is on.
type versus struct {
	name, setting string
	p             metrics.Paired
}

// acrossSettings combines the outcomes of one claim in several settings
// (sizes, nets, activations compared): the common outcome when they agree,
// MIXED when some hold and some fail (evidence pointing both ways), and
// INCONCLUSIVE when none contradicts another but some could not tell, or
// there is nothing to combine.
func acrossSettings(outcomes []result.Outcome) result.Outcome {
	count := map[result.Outcome]int{}
	for _, o := range outcomes {
		count[o]++
	}
	switch {
	case len(outcomes) == 0:
		return result.Inconclusive
	case count[result.Mixed] > 0 || (count[result.Confirmed] > 0 && count[result.Refuted] > 0):
		return result.Mixed
	case count[result.Inconclusive] > 0:
		return result.Inconclusive
	case count[result.Confirmed] == len(outcomes):
		return result.Confirmed
	}
	return result.Refuted
}

// bothParts combines the two halves of the claim ("cheaper, and enough to
// matter"): REFUTED when the kernels are not cheaper, or when the saving is
// refuted and the kernels are undecided; MIXED when the kernels are cheaper
// (or mixed) but the saving does not matter in a step, or when a half holds
// in some settings and fails in others while the other is not in doubt;
// CONFIRMED when both hold; INCONCLUSIVE when a half could not tell.
func bothParts(a, b result.Outcome) result.Outcome {
	switch {
	case a == result.Refuted:
		return result.Refuted
	case a == result.Confirmed && b == result.Refuted:
		// Changed after the first full run under these rules (it read
		// REFUTED): ReLU's kernel is cheaper but the saving does not
		// matter in a step, evidence that points both ways.
		return result.Mixed
	case b == result.Refuted && a == result.Mixed:
		return result.Mixed
	case b == result.Refuted:
		return result.Refuted
	case a == result.Confirmed && b == result.Confirmed:
		return result.Confirmed
	case a == result.Inconclusive || b == result.Inconclusive:
		return result.Inconclusive
	}
	return result.Mixed
}

// comparedRatio is kit.Compared for a comparison decided on the log scale
// but reported as a ratio: the effect is the geometric-mean ratio with its
// interval, the margin a ratio, and the minimal detectable effect the
// ratio exp(MDE of the log ratio), the smallest ratio the units detect.
// Margin and MDE are then in one unit, a ratio to ReLU's (1 = no
// difference), and since exp is increasing, MDE > margin here exactly when
// the rule's own test on the log scale (underpowered: MDE of the log ratio
// not below log(margin)) says too few units were measured.
func comparedRatio(v *result.Verdict, name string, p metrics.Paired, margin float64, reason string) {
	v.Effect = &result.Evidence{Name: name, Estimate: metrics.RatioFromLog(p.Diff), Unit: "x"}
	v.Margin = result.Float(margin)
	v.MarginReason = reason
	v.N = p.Diff.N
	if !math.IsInf(p.MDE, 0) && !math.IsNaN(p.MDE) {
		v.MDE = result.Float(math.Exp(p.MDE))
	}
}

// deciding is the comparison a verdict reports as its effect: the one that
// came closest to overturning the outcome. When the outcome is REFUTED that
// is the largest estimate (even it falls short of the margin); otherwise
// the smallest (for CONFIRMED, even it clears the margin). The comparisons
// of one list share their margin; an estimate over no unit (NaN) is taken
// only if every one is NaN.
func deciding(vs []versus, outcome result.Outcome) versus {
	sign := 1.0
	if outcome == result.Refuted {
		sign = -1
	}
	best := 0
	for i := 1; i < len(vs); i++ {
		a, b := sign*vs[i].p.Diff.Mean, sign*vs[best].p.Diff.Mean
		if math.IsNaN(b) || a < b {
			best = i
		}
	}
	return vs[best]
}

// withOutcome is the comparisons whose outcome was o; all of them if none
// was.
func withOutcome(vs []versus, outs []result.Outcome, o result.Outcome) []versus {
	var out []versus
	for i, c := range vs {
		if outs[i] == o {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return vs
	}
	return out
}

// underpowered: the comparison's minimal detectable effect (on the scale
// its margin is on) is not below the margin, so too few units were
// measured to tell a difference of the margin's size.
func underpowered(p metrics.Paired, margin float64) bool {
	return !(p.MDE < margin)
}

func fmtRatio(p metrics.Paired) string {
	e := metrics.RatioFromLog(p.Diff)
	if p.Diff.N < 2 {
		return fmt.Sprintf("%sx (n=%d, no interval)", kit.FmtFloat(e.Mean, 2), p.Diff.N)
	}
	return fmt.Sprintf("%.2fx [%.2f, %.2f]", e.Mean, e.Lo, e.Hi)
}

// fmtRatioEstimate is a ratio estimate ("1.03x [1.01, 1.05]"), or "not
// timed" without one.
func fmtRatioEstimate(e metrics.Estimate) string {
	if e.N < 2 || math.IsNaN(e.Lo) {
		return "not timed"
	}
	return fmt.Sprintf("%.2fx [%.2f, %.2f]", e.Mean, e.Lo, e.Hi)
}

func fmtPercent(p metrics.Paired) string {
	if p.Diff.N < 2 {
		return fmt.Sprintf("%s%% (n=%d, no interval)", kit.FmtFloat(p.Diff.Mean, 2), p.Diff.N)
	}
	return fmt.Sprintf("%+.2f%% [%+.2f, %+.2f]", p.Diff.Mean, p.Diff.Lo, p.Diff.Hi)
}

// The main verdict: kernel and step together.

// mainEvidence is what the main rule reads: at every kernel size, tanh's
// and sigmoid's (forward + backward) time over ReLU's, as per-repetition
// log ratios; in every timed net, the time their activation layers take
// beyond ReLU's, as a percentage of ReLU's whole step, per repetition.
type mainEvidence struct {
	// comparable: relu and tanh or sigmoid were timed, as kernels and in a
	// training step.
	comparable bool
	kernels    []versus
	steps      []versus
	// context is reported beside the decision (ReLU against a copy, the
	// whole-step ratios, ReLU's own share) and decides nothing.
	context []result.Evidence
	// wholeSteps are the whole-step ratios to ReLU's (every product
	// included), one per timed net and activation: shown beside the step
	// half when one lies beyond the margin, never decided on.
	wholeSteps []wholeStep
	// nulls are the null arm's layer readings, one per timed net: each
	// step comparison's interval is widened by its net's reach.
	nulls   []nullReading
	control kit.TimingControl
}

// nullReading is what the null arm (a second ReLU net) read in one net:
// its layers beyond ReLU's, in % of ReLU's step, and how far from zero
// that reaches (kit.NullReach).
type nullReading struct {
	setting string
	layers  metrics.Estimate
	reach   float64
	// whole is its whole step over ReLU's (a ratio), shown, not used.
	whole metrics.Estimate
}

// nullClause says what the null arm read in each net and that the step
// comparisons' intervals are widened by it; "" without readings.
func nullClause(ns []nullReading) string {
	var parts []string
	for _, n := range ns {
		if n.layers.N < 2 {
			continue
		}
		part := fmt.Sprintf("%s %+.2f%% [%+.2f, %+.2f]", n.setting, n.layers.Mean, n.layers.Lo, n.layers.Hi)
		if n.whole.N >= 2 {
			part += fmt.Sprintf(" (whole step %s of ReLU's)", fmtRatioEstimate(n.whole))
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("A second ReLU net timed like the first (the null arm) read its layers, in %% of ReLU's step beyond ReLU's: %s; each step interval above is widened on both sides by how far its net's null reading reaches from 0, scaled by the activation's layer time over ReLU's (kit.ReachFor).", strings.Join(parts, ", "))
}

// nullWholeContext is the main verdict's Context when a second, identical
// ReLU net's whole step lies beyond the step margin from ReLU's in some
// net: whole steps there differ by as much between identical nets, which
// is why the rule reads the activation layers. Empty otherwise.
func nullWholeContext(ns []nullReading) string {
	beyond := 1 + stepMargin/100
	var parts []string
	for _, n := range ns {
		if n.whole.N >= 2 && (n.whole.Hi > beyond || n.whole.Lo < 1/beyond) {
			parts = append(parts, fmt.Sprintf("%s of ReLU's whole step in %s", fmtRatioEstimate(n.whole), n.setting))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("a second ReLU net, identical but for its buffers, took %s: whole steps of two identical nets can differ by the %g%% margin or more, which is why the step half reads the time in the activation layers", strings.Join(parts, ", "), stepMargin)
}

// wholeStep is one activation's whole training step over ReLU's in one
// timed net (geometric mean ratio over repetitions with its 95% CI).
type wholeStep struct {
	setting, name string
	ratio         metrics.Estimate
	// null is the null arm's whole step over ReLU's in the same net: a
	// second ReLU net, which differs from the first only in its buffers.
	null metrics.Estimate
}

// wholeStepClause names the whole steps whose interval lies beyond the
// step margin (as a ratio, 1 + stepMargin/100), and those whose interval
// only reaches past it, where the rule, which reads the activation layers,
// found less: what the layers' timing leaves unexplained is shown, not
// decided on. "" when there is none.
func wholeStepClause(e mainEvidence) string {
	beyond := 1 + stepMargin/100
	layers := map[string]metrics.Estimate{}
	for _, c := range e.steps {
		layers[c.setting+"/"+c.name] = c.p.Diff
	}
	var parts, reach []string
	for _, w := range e.wholeSteps {
		l, ok := layers[w.setting+"/"+w.name]
		if !ok || w.ratio.N < 2 || l.Hi >= stepMargin || !(w.ratio.Hi > beyond) {
			continue
		}
		part := fmt.Sprintf("%s %s %.2fx [%.2f, %.2f] (its layers %+.2f%%; a second ReLU net %s)", w.setting, w.name, w.ratio.Mean, w.ratio.Lo, w.ratio.Hi, l.Mean, fmtRatioEstimate(w.null))
		if w.ratio.Lo > beyond {
			parts = append(parts, part)
		} else {
			reach = append(reach, part)
		}
	}
	var b strings.Builder
	if len(parts) > 0 {
		fmt.Fprintf(&b, "Whole steps, shown and not decided on: %s of ReLU's step, beyond the %g%% margin and more than the activation layers account for.",
			strings.Join(parts, ", "), stepMargin)
	}
	if len(reach) > 0 {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "Whole steps whose interval reaches past the %g%% margin while their activation layers stay below it (shown, not decided on): %s of ReLU's step.",
			stepMargin, strings.Join(reach, ", "))
	}
	if b.Len() > 0 {
		b.WriteString(" The rest of a step is the same matrix products and update whatever the activation; the second ReLU net, built and timed like the first, shows how far two nets' whole steps differ when only their buffers do. The rule, and the seconds-to-target verdicts, read the activation layers.")
	}
	return b.String()
}

const mainCaveat = "MLPs (64x64 and 512x512 units) and a small CNN (two 3x3 conv layers of 8 and 16 channels, far smaller than AlexNet), batch 64, on a 2-core CPU with OpenBLAS products and vectorised activation kernels. In a CNN the activation acts on every element of feature maps that a convolution computes with few products each, so its share of a step depends on the net's shape; on a GPU, where AlexNet was trained, it differs again."

// mainVerdict: ReLU's kernel is cheaper than tanh's and sigmoid's by the
// kernel margin, and the saving is at least the step margin of a training
// step. Both halves must hold (bothParts); each half is combined over its
// settings (acrossSettings).
func mainVerdict(e mainEvidence) result.Verdict {
	v := result.Verdict{Claim: "C2", Role: result.Main, Caveat: mainCaveat,
		Statement: "ReLU is cheaper to compute than sigmoid and tanh (a threshold, no exponential), enough to matter in a training step",
		Rule: timingRule + fmt.Sprintf("Kernels: at each size, the per-repetition log ratio of tanh's and of sigmoid's (forward + backward) time to ReLU's, timed interleaved; "+
			"cheaper if the 95%% CI of the geometric-mean ratio lies above %g, not cheaper if it lies below %g, else undecided. "+
			"Step: in each timed net, the time tanh's and sigmoid's activation layers take beyond ReLU's, in %% of ReLU's whole step, per repetition (layers timed inside the step), its 95%% CI widened on both sides by the reach of the null arm (a second ReLU net read the same way) in that net, scaled by the activation's layer time over ReLU's when larger (kit.ReachFor: a misreading may grow with the time the layers take); "+
			"it matters if the widened CI lies above %g%%, not if below, else undecided. Each half over its settings: all hold CONFIRMED, all fail REFUTED, some hold and some fail MIXED, any undecided otherwise INCONCLUSIVE. "+
			"The claim needs both halves: REFUTED if the kernel half is REFUTED (not cheaper); MIXED if the kernels are cheaper (or mixed) but the step half is REFUTED (cheaper, not enough to matter); REFUTED if the step half is REFUTED and the kernel half undecided; CONFIRMED if both are CONFIRMED; INCONCLUSIVE if either is INCONCLUSIVE otherwise; MIXED otherwise. "+
			"The effect reported is, in the half that decides (the kernel half unless it is CONFIRMED), the comparison that came closest to overturning that half's outcome. "+
			"Control: INCONCLUSIVE whatever the intervals if the timing thread had a core for less than %.0f%% of the time it was ready to run (hypervisor-stolen time counted as waiting) (a machine shared with other processes)", kernelMargin, kernelMargin, stepMargin, 100*kit.MinCPUShare)}
	if !e.comparable {
		v.Outcome = result.Inconclusive
		v.Why = "relu, or both tanh and sigmoid, were not timed as kernels and in a step, so nothing was compared."
		return v
	}
	logMargin := math.Log(kernelMargin)
	var kOut, sOut []result.Outcome
	var kParts, sParts []string
	kWeak, sWeak := 0, 0
	for _, c := range e.kernels {
		o := kit.Superiority(c.p, logMargin)
		kOut = append(kOut, o)
		if o == result.Inconclusive && underpowered(c.p, logMargin) {
			kWeak++
		}
		kParts = append(kParts, fmt.Sprintf("%s %s %s", c.setting, c.name, fmtRatio(c.p)))
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%s: %s / relu kernel time (forward+backward)", c.setting, c.name), Estimate: metrics.RatioFromLog(c.p.Diff), Unit: "x"})
	}
	for _, c := range e.steps {
		o := kit.Superiority(c.p, stepMargin)
		sOut = append(sOut, o)
		if o == result.Inconclusive && underpowered(c.p, stepMargin) {
			sWeak++
		}
		sParts = append(sParts, fmt.Sprintf("%s %s %s", c.setting, c.name, fmtPercent(c.p)))
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%s: %s layers beyond relu's, %% of relu's step", c.setting, c.name), Estimate: c.p.Diff, Unit: "%", Interval: kit.WidenedInterval})
	}
	v.Evidence = append(v.Evidence, e.context...)
	k, s := acrossSettings(kOut), acrossSettings(sOut)
	v.Outcome = bothParts(k, s)
	failed, failure := e.control.Failed(stepShareBias)
	if failed {
		v.Outcome = result.Inconclusive
	}
	if k != result.Confirmed && len(e.kernels) > 0 {
		w := deciding(e.kernels, k)
		comparedRatio(&v, fmt.Sprintf("%s: %s / relu kernel time", w.setting, w.name), w.p, kernelMargin, kernelMarginReason)
	} else if len(e.steps) > 0 {
		w := deciding(e.steps, s)
		if s == result.Mixed {
			// The comparison that came closest to making the half hold
			// everywhere: the failing one nearest the margin.
			w = deciding(withOutcome(e.steps, sOut, result.Refuted), result.Refuted)
		}
		kit.Compared(&v, fmt.Sprintf("%s layers beyond relu's in %s, %% of relu's step", w.name, w.setting), "%", w.p, stepMargin, stepMarginReason)
		v.Effect.Interval = kit.WidenedInterval
	}
	v.Why = fmt.Sprintf("Kernel time over ReLU's (margin %gx): %s: %s. Extra time of the activation layers in a training step (margin %g%% of ReLU's step): %s: %s. Both halves together: %s. %s",
		kernelMargin, strings.Join(kParts, ", "), partWord(k, e.kernels, kOut, "x")+weakWord(kWeak), stepMargin, strings.Join(sParts, ", "), partWord(s, e.steps, sOut, "%")+weakWord(sWeak), bothParts(k, s), e.control.Describe())
	if clause := nullClause(e.nulls); clause != "" {
		v.Why += " " + clause
	}
	v.Context = nullWholeContext(e.nulls)
	if clause := wholeStepClause(e); clause != "" {
		v.Why += " " + clause
	}
	if failed {
		v.Why = "INCONCLUSIVE: " + failure + ". What the intervals alone would say: " + v.Why
	}
	return v
}

// weakWord says how many undecided comparisons had too few repetitions for
// the margin.
func weakWord(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %d of them with a minimal detectable effect not below the margin (more repetitions could tell)", n)
}

// partWord names a half's outcome for a reader.
func partWord(o result.Outcome, vs []versus, outs []result.Outcome, unit string) string {
	switch o {
	case result.Confirmed:
		return "beyond the margin everywhere (CONFIRMED)"
	case result.Refuted:
		return "below the margin everywhere (REFUTED)"
	case result.Mixed:
		var parts []string
		for _, g := range []struct {
			o    result.Outcome
			word string
		}{{result.Confirmed, "beyond the margin in "}, {result.Refuted, "below it in "}, {result.Inconclusive, "undecided in "}} {
			if where := settingsWith(vs, outs, g.o); where != "" {
				parts = append(parts, g.word+where+meansRange(vs, outs, g.o, unit))
			}
		}
		return strings.Join(parts, ", ") + " (MIXED)"
	}
	return "some intervals straddle the margin (INCONCLUSIVE)"
}

// meansRange is " (+11.6% to +14.2%)": the range of the means of the
// comparisons with outcome o, in unit "%" (a share) or "x" (a ratio, the
// comparison on the log scale).
func meansRange(vs []versus, outs []result.Outcome, o result.Outcome, unit string) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, c := range vs {
		if outs[i] == o {
			lo, hi = math.Min(lo, c.p.Diff.Mean), math.Max(hi, c.p.Diff.Mean)
		}
	}
	f := func(x float64) string { return fmt.Sprintf("%+.1f%%", x) }
	if unit == "x" {
		f = func(x float64) string { return fmt.Sprintf("%.2fx", math.Exp(x)) }
	}
	if math.IsInf(lo, 0) {
		return ""
	}
	if f(lo) == f(hi) {
		return " (" + f(lo) + ")"
	}
	return " (" + f(lo) + " to " + f(hi) + ")"
}

// settingsWith names where the comparisons had outcome o: a setting
// whose every comparison had it by its name ("the CNN"), otherwise each
// comparison by setting and activation ("hidden 64x64 tanh"), joined as
// in a sentence; "" where none had it.
func settingsWith(vs []versus, outs []result.Outcome, o result.Outcome) string {
	var order []string
	all := map[string]bool{}
	some := map[string][]string{}
	for i, c := range vs {
		if _, seen := all[c.setting]; !seen {
			order = append(order, c.setting)
			all[c.setting] = true
		}
		if outs[i] == o {
			some[c.setting] = append(some[c.setting], c.setting+" "+c.name)
		} else {
			all[c.setting] = false
		}
	}
	var names []string
	for _, st := range order {
		switch {
		case all[st]:
			names = append(names, st)
		default:
			names = append(names, some[st]...)
		}
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Time to the target accuracy.

// arm is one activation's runs to the target, each seed at the rate chosen
// on the other half of the seeds.
type arm struct {
	name string
	// n runs: reached the target, ran the whole budget without reaching it
	// (censored: "> budget"), stalled, diverged.
	n, reached, budget, stalled, diverged int
	// median is the Kaplan-Meier median updates to target, every run that
	// did not reach it censored at the budget: +Inf when more than half
	// never reached it.
	median float64
	// lrs names the rates used ("0.1 / 0.3": even seeds / odd seeds).
	lrs string
	// edge, when set, names the edge of the learning-rate grid at which a
	// rate used lies ("the lowest rate, 0.03"): a rate beyond it, untried,
	// might have served this activation better.
	edge string
}

// failures describes the runs that did not reach the target.
func (a arm) failures() string {
	var parts []string
	if a.budget > 0 {
		parts = append(parts, fmt.Sprintf("%d > budget", a.budget))
	}
	if a.stalled > 0 {
		parts = append(parts, fmt.Sprintf("%d stalled", a.stalled))
	}
	if a.diverged > 0 {
		parts = append(parts, fmt.Sprintf("%d diverged", a.diverged))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func (a arm) describe(maxSteps int) string {
	med := fmt.Sprintf("median %.0f updates", a.median)
	if math.IsInf(a.median, 1) {
		med = fmt.Sprintf("median > %d updates (budget)", maxSteps)
	}
	return fmt.Sprintf("%s: %d/%d seeds reached it%s, %s, lr %s", a.name, a.reached, a.n, a.failures(), med, a.lrs)
}

// toTargetCmp is tanh or sigmoid against ReLU on the way to the target.
type toTargetCmp struct {
	arm arm
	// p is the mean per-seed log ratio of its cost to ReLU's over the seeds
	// on which both reached the target.
	p metrics.Paired
	// seconds marks the comparison of seconds: p is then the updates ratio
	// plus the step-time ratio, and updatesSE and stepSE are the standard
	// errors of the two parts on the log scale, over the seeds and over
	// stepReps timed repetitions of the step. They say what more units of
	// which kind would narrow; unset for updates.
	seconds           bool
	updatesSE, stepSE float64
	stepReps          int
}

// moreUnits says, for an underpowered comparison, what more of would tell:
// seeds, or, where the step time's spread dominates the seconds, timed
// repetitions of the step (more seeds alone would then barely help).
func (c toTargetCmp) moreUnits() string {
	if !c.seconds {
		return "more seeds could tell"
	}
	if c.stepReps < 2 {
		return fmt.Sprintf("the step was timed %d time(s), so its time has no interval: more timed repetitions of the step could tell", c.stepReps)
	}
	if c.stepSE > c.updatesSE {
		return fmt.Sprintf("most of the spread is the step time's (standard error %.3f of the mean log ratio over %d timed repetitions, against %.3f for the updates over the seeds): more timed repetitions of the step, rather than more seeds, could tell",
			c.stepSE, c.stepReps, c.updatesSE)
	}
	return "more seeds could tell"
}

// toTargetEvidence is what the rules on updates and on seconds to target
// read: ReLU and one other activation (tanh or sigmoid) on the way to the
// target.
type toTargetEvidence struct {
	data     kit.Dataset
	grid     []float64 // the learning rates tried, for the caveat
	target   float64
	maxSteps int
	relu     arm
	other    toTargetCmp
	// reluCost is ReLU's updates or seconds to target over the seeds that
	// reached it (geometric mean with 95% CI), for the evidence.
	reluCost metrics.Estimate
	// control is set for the rule that reads a clock (seconds), nil for
	// the deterministic one (updates).
	control *kit.TimingControl
}

// decideToTarget decides one comparison with ReLU on the way to the
// target, and says why.
//
//   - ReLU, the control, reached the target on fewer than half its seeds:
//     INCONCLUSIVE (the control did not train).
//   - The other activation did: INCONCLUSIVE; its median is beyond the
//     budget, and a ratio over the few seeds that reached would rest on a
//     selected minority (mostly diverged or stalled runs say so too).
//   - Otherwise kit.Superiority of the paired log ratio against the
//     margin, over the seeds on which both reached the target; runs left
//     out are counted. A run that ran out of budget was slower than
//     anything measured: leaving out the other activation's such runs can
//     only make it look faster, so they block REFUTED; leaving out ReLU's
//     can only make ReLU look faster, so they block CONFIRMED.
//   - A rate chosen at the edge of the grid: an untried rate beyond it
//     could only make that activation faster, so ReLU at the edge blocks
//     REFUTED and the other activation at the edge blocks CONFIRMED.
func decideToTarget(relu arm, c toTargetCmp, margin float64) (result.Outcome, string) {
	if math.IsInf(relu.median, 1) {
		return result.Inconclusive, fmt.Sprintf("ReLU, the reference, reached the target on only %d of %d seeds%s", relu.reached, relu.n, relu.failures())
	}
	a := c.arm
	if math.IsInf(a.median, 1) {
		why := fmt.Sprintf("%s reached the target on only %d of %d seeds%s, so its median is beyond the budget and a ratio would rest on a minority", a.name, a.reached, a.n, a.failures())
		if mostly, clause := kit.MostlyDiverged(a.name, a.diverged, a.n); mostly {
			why += "; " + clause
		}
		return result.Inconclusive, why
	}
	o := kit.Superiority(c.p, math.Log(margin))
	why := fmt.Sprintf("%s / relu %s over %d paired seeds", a.name, fmtRatio(c.p), c.p.Diff.N)
	switch {
	case o == result.Refuted && a.budget > 0:
		return result.Inconclusive, why + fmt.Sprintf(", below the margin, but %d %s runs ran out of budget and are left out, which can only flatter %s", a.budget, a.name, a.name)
	case o == result.Confirmed && relu.budget > 0:
		return result.Inconclusive, why + fmt.Sprintf(", beyond the margin, but %d relu runs ran out of budget and are left out, which can only flatter relu", relu.budget)
	case o == result.Refuted && relu.edge != "":
		return result.Inconclusive, why + fmt.Sprintf(", below the margin, but ReLU's rate is %s of the grid: a rate beyond it, untried, might make ReLU faster", relu.edge)
	case o == result.Confirmed && a.edge != "":
		return result.Inconclusive, why + fmt.Sprintf(", beyond the margin, but %s's rate is %s of the grid: a rate beyond it, untried, might make %s faster", a.name, a.edge, a.name)
	case o == result.Inconclusive:
		why += ", straddling the margin"
		if underpowered(c.p, math.Log(margin)) && c.p.Diff.N >= 2 {
			why += fmt.Sprintf("; with %d pairs the smallest detectable ratio is %.2fx, not below the margin: %s", c.p.Diff.N, math.Exp(c.p.MDE), c.moreUnits())
		}
	}
	return o, why
}

// toTargetVerdict is the shared body of the two rules on the way to the
// target; what is "updates" or "seconds", unit the unit of ReLU's cost.
func toTargetVerdict(v result.Verdict, e toTargetEvidence, what, unit string) result.Verdict {
	v.Role = result.Supporting
	c := e.other
	o, why := decideToTarget(e.relu, c, toTargetMargin)
	v.Outcome = o
	comparedRatio(&v, fmt.Sprintf("%s / relu %s, paired seeds", c.arm.name, what), c.p, toTargetMargin, toTargetMarginReason)
	if what == "seconds" {
		v.Effect.Interval = kit.WidenedInterval
	}
	v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("relu %s to target, seeds that reached it (lr %s)", what, e.relu.lrs), Estimate: e.reluCost, Unit: unit})
	v.Why = fmt.Sprintf("To %.0f%% training accuracy within %d updates: %s; %s. Against ReLU (margin %gx): %s.",
		100*e.target, e.maxSteps, e.relu.describe(e.maxSteps), c.arm.describe(e.maxSteps), toTargetMargin, why)
	if c.arm.name == "tanh" && c.p.Diff.N >= 2 {
		hi := metrics.RatioFromLog(c.p.Diff).Hi
		reach := "is excluded"
		if !(hi < alexNetRatio) {
			reach = "is within reach"
		}
		v.Why += fmt.Sprintf(" AlexNet's %dx %s here (upper bound %.2f).", alexNetRatio, reach, hi)
	}
	if e.control != nil {
		v.Why += " " + e.control.Describe()
		if failed, failure := e.control.Failed(""); failed {
			v.Outcome = result.Inconclusive
			v.Why = "INCONCLUSIVE: " + failure + ". What the intervals alone would say: " + v.Why
		}
	}
	return v
}

// toTargetCaveat is the caveat of the time-to-target rules on data set ds
// with the learning-rate grid grid.
func toTargetCaveat(ds kit.Dataset, grid []float64) string {
	return fmt.Sprintf("An MLP (64x64) on 10000 %s images with momentum SGD to 97%% training accuracy, reached in a few epochs, stands in for AlexNet's 4-layer CNN on CIFAR-10 to 25%% training error; at two hidden layers tanh's saturation has little depth to act on. "+
		"Each activation's rate comes from a %d-point grid (%s), so its true best rate may lie between points.", ds.Title(), len(grid), floatList(grid))
}

// alexNetNote is the anchor the statement quotes for an activation.
func alexNetNote(name, what string) string {
	if name == "tanh" {
		return fmt.Sprintf(" (AlexNet: %dx %s than tanh)", alexNetRatio, what)
	}
	return " (AlexNet compared tanh only)"
}

// updatesVerdict: ReLU reaches the target in fewer updates than the other
// activation, each at its best rate. Deterministic: no clock.
func updatesVerdict(e toTargetEvidence) result.Verdict {
	name := e.other.arm.name
	v := result.Verdict{Claim: "C2", Caveat: toTargetCaveat(e.data, e.grid),
		Statement: fmt.Sprintf("ReLU reaches %.0f%% training accuracy in fewer updates than %s, each at its best learning rate%s", 100*e.target, name, alexNetNote(name, "fewer epochs")),
		Rule: "Deterministic (updates, no clock). Seeds are paired: the runs of one seed, every activation and rate, start from the same normal draws and see the same batches; " +
			"each seed is read at the rate that did best (Kaplan-Meier median updates, runs that never reached censored at the budget) on the seeds of the other parity, so no seed is read at a rate chosen on itself. " +
			fmt.Sprintf("The mean per-seed log ratio of %s's updates to ReLU's over the seeds on which both reached the target, against a margin of %gx: ", name, toTargetMargin) +
			"CONFIRMED if its 95% CI lies above, REFUTED if below; INCONCLUSIVE if it straddles it, if ReLU or " + name + " reached the target on fewer than half the seeds (stalled, diverged or out of budget; those runs are counted, never averaged), " +
			"or if runs left out for running out of budget could overturn the outcome"}
	return toTargetVerdict(v, e, "updates", "updates")
}

// secondsVerdict: ReLU reaches the target in less training time than the
// other activation. Seconds are updates times the step time, so this rule
// adds the step-time ratio, with its own interval, to the updates ratio.
func secondsVerdict(e toTargetEvidence) result.Verdict {
	name := e.other.arm.name
	v := result.Verdict{Claim: "C2", Caveat: toTargetCaveat(e.data, e.grid) + " Step times measured on a 2-core CPU.",
		Statement: fmt.Sprintf("ReLU reaches %.0f%% training accuracy in less training time than %s, each at its best learning rate%s", 100*e.target, name, alexNetNote(name, "faster")),
		Rule: timingRule + "Seconds = updates to target x the step time of that activation, taken as ReLU's step plus the time its activation layers take beyond ReLU's (both timed inside the steps, interleaved): the rest of a step is the same work whatever the activation, and read from whole steps it would carry differences between two nets' buffers as large as a few percent (a second ReLU net timed beside the first shows them). " +
			"The log ratio to ReLU's seconds is the paired per-seed log ratio of updates (as in the rule on updates) plus the per-repetition log ratio of steps so taken, its interval widened on both sides by the reach of the null arm's layer reading in the trained net (kit.NullReach), scaled by the activation's layer time over ReLU's when larger (kit.ReachFor), " +
			fmt.Sprintf("their variances added (Welch-Satterthwaite degrees of freedom), against a margin of %gx, with the same outcomes and gates as the rule on updates. ", toTargetMargin) +
			fmt.Sprintf("Control: INCONCLUSIVE whatever the intervals if the timing thread had a core for less than %.0f%% of the time it was ready to run (hypervisor-stolen time counted as waiting)", 100*kit.MinCPUShare)}
	return toTargetVerdict(v, e, "seconds", "s")
}

// floatList is "0.01, 0.03, 0.1".
func floatList(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = kit.Ftoa(x)
	}
	return strings.Join(parts, ", ")
}
