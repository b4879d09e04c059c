package speed

import (
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

var nan = math.NaN()

const (
	C = result.Confirmed
	R = result.Refuted
	M = result.Mixed
	I = result.Inconclusive
)

// pd is a paired comparison over 10 units with the given 95% interval,
// centred on it; its 90% interval is a little narrower.
func pd(lo, hi float64) metrics.Paired {
	m, h := (lo+hi)/2, (hi-lo)/2
	return metrics.Paired{Diff: metrics.Estimate{Mean: m, Lo: lo, Hi: hi, SD: h, N: 10}, Lo90: m - 0.8*h, Hi90: m + 0.8*h, MDE: 1.4 * h}
}

// lpd is pd for a ratio decided on the log scale: the interval is given as
// ratios.
func lpd(lo, hi float64) metrics.Paired { return pd(math.Log(lo), math.Log(hi)) }

// one is a comparison over a single unit: no interval.
func one(x float64) metrics.Paired {
	return metrics.Paired{Diff: metrics.Estimate{Mean: x, Lo: x, Hi: x, N: 1}, Lo90: x, Hi90: x, MDE: math.Inf(1)}
}

// checkVerdict holds one verdict to the project's standard
// (exptest.CheckVerdicts: outcome, role, rule, why, caveat, effect with
// margin and its reason, evidence inside its interval) and checks its
// outcome, a piece of its Why, and that a comparison over two units or
// more reports its MDE.
func checkVerdict(t *testing.T, name string, v result.Verdict, want result.Outcome, whyHas string) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		exptest.CheckVerdicts(t, &result.Result{Verdicts: []result.Verdict{v}}, map[string]int{"C2": 1})
	})
	if v.Outcome != want {
		t.Errorf("%s: %s, want %s (why: %s)", name, v.Outcome, want, v.Why)
	}
	if !strings.Contains(v.Why, whyHas) {
		t.Errorf("%s: why %q lacks %q", name, v.Why, whyHas)
	}
	if v.Margin != nil && v.N >= 2 && v.MDE == nil {
		t.Errorf("%s: a comparison over %d units without an MDE", name, v.N)
	}
}

func TestAcrossSettings(t *testing.T) {
	cases := []struct {
		name string
		in   []result.Outcome
		want result.Outcome
	}{
		{"nothing to combine cannot tell", nil, I},
		{"holds everywhere", []result.Outcome{C, C}, C},
		{"fails everywhere", []result.Outcome{R, R, R}, R},
		{"holds in one setting, fails in another", []result.Outcome{C, R}, M},
		{"holds and fails, a third undecided: still both ways", []result.Outcome{C, R, I}, M},
		{"a mixed setting is mixed", []result.Outcome{C, M}, M},
		{"holds where decided, one undecided", []result.Outcome{C, I}, I},
		{"fails where decided, one undecided", []result.Outcome{I, R}, I},
		{"one undecided setting alone", []result.Outcome{I}, I},
	}
	for _, tc := range cases {
		if got := acrossSettings(tc.in); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestBothParts(t *testing.T) {
	cases := []struct {
		name       string
		kernel, st result.Outcome
		want       result.Outcome
	}{
		{"both hold", C, C, C},
		{"cheaper, but the saving does not matter", C, R, M},
		{"kernel mixed, step refuted", M, R, M},
		{"not cheaper, whatever the step", R, C, R},
		{"not cheaper, step undecided", R, I, R},
		{"step refuted, kernel undecided", I, R, R},
		{"cheaper, step undecided", C, I, I},
		{"kernel undecided, step holds", I, C, I},
		{"kernel mixed, step holds", M, C, M},
		{"kernel holds, step mixed", C, M, M},
		{"both mixed", M, M, M},
		{"kernel mixed, step undecided", M, I, I},
		{"nothing decided", I, I, I},
	}
	for _, tc := range cases {
		if got := bothParts(tc.kernel, tc.st); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// kernels is tanh and sigmoid at two sizes with the given ratio intervals.
func kernels(small, large [2]float64) []versus {
	return []versus{
		{name: "tanh", setting: "4096 elements", p: lpd(small[0], small[1])},
		{name: "sigmoid", setting: "4096 elements", p: lpd(small[0]+0.1, small[1]+0.1)},
		{name: "tanh", setting: "16777216 elements", p: lpd(large[0], large[1])},
		{name: "sigmoid", setting: "16777216 elements", p: lpd(large[0]+0.1, large[1]+0.1)},
	}
}

// steps is tanh and sigmoid in two nets with the given saving intervals
// (% of ReLU's step); sigmoid's is 0.5 points lower.
func steps(small, large [2]float64) []versus {
	return []versus{
		{name: "tanh", setting: "hidden 64x64", p: pd(small[0], small[1])},
		{name: "sigmoid", setting: "hidden 64x64", p: pd(small[0]-0.5, small[1]-0.5)},
		{name: "tanh", setting: "hidden 512x512", p: pd(large[0], large[1])},
		{name: "sigmoid", setting: "hidden 512x512", p: pd(large[0]-0.5, large[1]-0.5)},
	}
}

var (
	fastKernel = kernels([2]float64{5, 7}, [2]float64{2.5, 3})
	bigSaving  = steps([2]float64{8, 12}, [2]float64{6, 9})
	idle       = kit.TimingControl{CPUShare: 0.99, Wait: 0.3, Load: 1.2, CPUs: 2}
)

func TestMainVerdict(t *testing.T) {
	cases := []struct {
		name    string
		e       mainEvidence
		want    result.Outcome
		whyHas  string
		effect  string // prefix of the effect's name
		effectM float64
	}{
		{"relu, tanh or sigmoid not timed", mainEvidence{}, I, "nothing was compared", "", 0},
		{"cheaper and a saving beyond 5% in both nets", mainEvidence{comparable: true, kernels: fastKernel, steps: bigSaving, control: idle},
			C, "beyond the margin everywhere (CONFIRMED)", "hidden 512x512: sigmoid", 7},
		{"kernel lower bounds just above 1.5", mainEvidence{comparable: true, kernels: kernels([2]float64{1.501, 3}, [2]float64{1.501, 3}), steps: bigSaving, control: idle},
			C, "Both halves together: CONFIRMED", "hidden 512x512", 7},
		{"a kernel lower bound exactly 1.5 is undecided", mainEvidence{comparable: true, kernels: kernels([2]float64{1.5, 3}, [2]float64{2, 3}), steps: bigSaving, control: idle},
			I, "some intervals straddle the margin (INCONCLUSIVE)", "4096 elements: tanh / relu kernel time", 0},
		{"kernels not even 1.5x slower everywhere", mainEvidence{comparable: true, kernels: kernels([2]float64{1.1, 1.3}, [2]float64{1.0, 1.2}), steps: bigSaving, control: idle},
			R, "below the margin everywhere (REFUTED)", "4096 elements: sigmoid / relu kernel time", 0},
		{"cheaper, but every saving below 5% of a step", mainEvidence{comparable: true, kernels: fastKernel, steps: steps([2]float64{2.7, 4}, [2]float64{1.6, 1.8}), control: idle},
			M, "Both halves together: MIXED", "hidden 64x64: tanh", 3.35},
		{"saving upper bounds just below 5%", mainEvidence{comparable: true, kernels: fastKernel, steps: steps([2]float64{4, 4.999}, [2]float64{4, 4.999}), control: idle},
			M, "", "hidden 64x64: tanh", 4.4995},
		{"a saving upper bound exactly 5% is undecided", mainEvidence{comparable: true, kernels: fastKernel, steps: steps([2]float64{4, 5}, [2]float64{1, 2}), control: idle},
			I, "Both halves together: INCONCLUSIVE", "hidden 512x512: sigmoid", 1},
		{"saving lower bounds just above 5%", mainEvidence{comparable: true, kernels: fastKernel, steps: steps([2]float64{5.501, 9}, [2]float64{5.501, 7}), control: idle},
			C, "", "hidden 512x512: sigmoid", 5.7505},
		{"savings straddle 5%, too wide for the margin", mainEvidence{comparable: true, kernels: fastKernel, steps: steps([2]float64{1, 12}, [2]float64{0, 10}), control: idle},
			I, "some intervals straddle the margin (INCONCLUSIVE), 4 of them with a minimal detectable effect not below the margin", "hidden 512x512: sigmoid", 4.5},
		{"a saving that matters in the small net only", mainEvidence{comparable: true, kernels: fastKernel, steps: steps([2]float64{8, 12}, [2]float64{1, 2}), control: idle},
			M, "beyond the margin in hidden 64x64 (+9.5% to +10.0%), below it in hidden 512x512 (+1.0% to +1.5%) (MIXED)", "hidden 512x512: tanh", 1.5}, // a MIXED half shows its failing comparison nearest the margin
		{"a net whose two comparisons differ is named by comparison", mainEvidence{comparable: true, kernels: fastKernel, steps: steps([2]float64{5.2, 6}, [2]float64{1, 2}), control: idle},
			M, "beyond the margin in hidden 64x64 tanh (+5.6%), below it in hidden 512x512 (+1.0% to +1.5%), undecided in hidden 64x64 sigmoid (+5.1%) (MIXED)", "hidden 512x512: tanh", 1.5}, // a MIXED half shows its failing comparison nearest the margin
		{"cheaper in the caches only", mainEvidence{comparable: true, kernels: kernels([2]float64{5, 7}, [2]float64{1.0, 1.3}), steps: bigSaving, control: idle},
			M, "Both halves together: MIXED", "16777216 elements: tanh", 0},
		{"one repetition: no interval", mainEvidence{comparable: true, kernels: []versus{{name: "tanh", setting: "4096 elements", p: one(math.Log(6))}}, steps: bigSaving, control: idle},
			I, "n=1, no interval", "4096 elements: tanh", 0},
		{"the timing cell shared its cores", mainEvidence{comparable: true, kernels: fastKernel, steps: bigSaving, control: kit.TimingControl{CPUShare: 0.3, Load: 20, CPUs: 2}},
			I, "had a core for only 30.0% of the time it was ready to run, below the 80% its timings need", "hidden 512x512", 7},
		{"a CPU share of exactly 0.8 passes", mainEvidence{comparable: true, kernels: fastKernel, steps: bigSaving, control: kit.TimingControl{CPUShare: 0.8, Load: 3, CPUs: 2}},
			C, "had a core for 80.0%", "hidden 512x512", 7},
		{"a CPU share just below 0.8 fails", mainEvidence{comparable: true, kernels: fastKernel, steps: steps([2]float64{1, 2}, [2]float64{1, 2}), control: kit.TimingControl{CPUShare: 0.799, Load: 3, CPUs: 2}},
			I, "had a core for only 79.9% of the time it was ready to run, below the 80%", "hidden 64x64: tanh", 1.5},
		{"an unknown CPU share is not a failure, and is said", mainEvidence{comparable: true, kernels: fastKernel, steps: bigSaving, control: kit.TimingControl{CPUShare: nan, Load: -1, CPUs: 2}},
			C, "could not be measured", "hidden 512x512", 7},
	}
	for _, tc := range cases {
		v := mainVerdict(tc.e)
		checkVerdict(t, tc.name, v, tc.want, tc.whyHas)
		if v.Role != result.Main || !strings.HasPrefix(v.Rule, timingRule) {
			t.Errorf("%s: role %q; the main verdict reads a clock and must say so", tc.name, v.Role)
		}
		// Whenever timings were compared, the Why states the control's
		// value, whether it passed or failed.
		if tc.e.comparable && !strings.Contains(v.Why, "The timing thread had a core for") && !strings.Contains(v.Why, "share of a core could not be measured") {
			t.Errorf("%s: why %q does not state the timing control's value", tc.name, v.Why)
		}
		if failed, _ := tc.e.control.Failed(""); tc.e.comparable && failed && (v.Outcome != I || !strings.HasPrefix(v.Why, "INCONCLUSIVE: the timing thread had a core for only")) {
			t.Errorf("%s: the timing control failed, but the verdict is %s: %q", tc.name, v.Outcome, v.Why)
		}
		if tc.effect == "" {
			if v.Effect != nil {
				t.Errorf("%s: effect %+v, want none", tc.name, v.Effect)
			}
			continue
		}
		// The effect names the setting and the activation ("hidden
		// 512x512: sigmoid" is both in either order).
		setting, act, _ := strings.Cut(tc.effect, ": ")
		if v.Effect == nil || !strings.Contains(v.Effect.Name, setting) || !strings.Contains(v.Effect.Name, act) {
			t.Errorf("%s: effect %+v, want one named %q", tc.name, v.Effect, tc.effect)
			continue
		}
		if v.Effect.Unit == "%" && (math.Abs(v.Effect.Estimate.Mean-tc.effectM) > 1e-9 || *v.Margin != stepMargin) {
			t.Errorf("%s: effect %g margin %g, want %g and %g", tc.name, v.Effect.Estimate.Mean, *v.Margin, tc.effectM, stepMargin)
		}
		if v.Effect.Unit == "x" && (*v.Margin != kernelMargin || v.MarginReason != kernelMarginReason) {
			t.Errorf("%s: kernel effect with margin %g (%q), want %g (%q)", tc.name, *v.Margin, v.MarginReason, kernelMargin, kernelMarginReason)
		}
		if v.Effect.Unit == "%" && v.MarginReason != stepMarginReason {
			t.Errorf("%s: step effect with margin reason %q, want %q", tc.name, v.MarginReason, stepMarginReason)
		}
	}
}

// An arm that reached the target on every one of 16 seeds, with the given
// runs that did not (taken from the 16).
func armWith(name string, budget, stalled, diverged int) arm {
	a := arm{name: name, n: 16, reached: 16 - budget - stalled - diverged, budget: budget, stalled: stalled, diverged: diverged, median: 600, lrs: "0.1"}
	if 2*a.reached < a.n {
		a.median = math.Inf(1)
	}
	return a
}

// atEdge marks a's rate as the lowest of the grid.
func atEdge(a arm) arm { a.edge = "the lowest rate, 0.03,"; return a }

func cmp(name string, lo, hi float64) toTargetCmp {
	p := lpd(lo, hi)
	p.Diff.N = 16
	return toTargetCmp{arm: armWith(name, 0, 0, 0), p: p}
}

func (c toTargetCmp) with(a arm) toTargetCmp { c.arm = a; return c }

func TestUpdatesVerdict(t *testing.T) {
	clean := armWith("relu", 0, 0, 0)
	cases := []struct {
		name   string
		relu   arm
		other  toTargetCmp
		want   result.Outcome
		whyHas string
	}{
		{"relu, the control, reached the target on few seeds", armWith("relu", 5, 4, 0), cmp("tanh", 1.5, 2),
			I, "ReLU, the reference, reached the target on only 7 of 16 seeds (5 > budget, 4 stalled)"},
		{"tanh never reached it: censored, not slower", clean, cmp("tanh", 1.5, 2).with(armWith("tanh", 16, 0, 0)),
			I, "tanh reached the target on only 0 of 16 seeds (16 > budget), so its median is beyond the budget"},
		{"sigmoid mostly diverged", clean, cmp("sigmoid", 1.5, 2).with(armWith("sigmoid", 0, 2, 10)),
			I, "10 of 16 sigmoid runs diverged"},
		{"half the seeds reached it: median defined, decided", clean, cmp("tanh", 1.5, 2).with(armWith("tanh", 0, 8, 0)),
			C, "(8 stalled)"},
		{"a ratio beyond 1.25", clean, cmp("tanh", 1.5, 2), C, "tanh / relu 1.73x [1.50, 2.00] over 16 paired seeds"},
		{"a lower bound just above 1.25", clean, cmp("sigmoid", 1.2501, 2), C, "sigmoid: 16/16 seeds reached it, median 600 updates, lr 0.1"},
		{"a lower bound exactly 1.25 is undecided", clean, cmp("tanh", 1.25, 2), I, "straddling the margin"},
		{"a ratio below 1.25", clean, cmp("tanh", 0.8, 1.1), R, "tanh / relu 0.94x [0.80, 1.10]"},
		{"an upper bound just below 1.25", clean, cmp("sigmoid", 1, 1.2499), R, ""},
		{"an upper bound exactly 1.25 is undecided", clean, cmp("sigmoid", 1, 1.25), I, "straddling the margin"},
		{"tanh faster than relu: refuted", clean, cmp("tanh", 0.5, 0.8), R, ""},
		{"a wide interval straddles the margin: too few seeds, said", clean, cmp("tanh", 0.5, 2), I, "the smallest detectable ratio is 2.64x, not below the margin: more seeds could tell"},
		{"a narrow interval straddles the margin: enough seeds, nothing to add", clean, cmp("tanh", 1.2, 1.3), I, "straddling the margin."},
		{"refuted, but tanh's runs out of budget are left out", clean, cmp("tanh", 0.8, 1.1).with(armWith("tanh", 3, 0, 0)),
			I, "3 tanh runs ran out of budget and are left out, which can only flatter tanh"},
		{"confirmed, but relu's runs out of budget are left out", armWith("relu", 2, 0, 0), cmp("tanh", 1.5, 2),
			I, "2 relu runs ran out of budget"},
		{"confirmed although the slower arm has runs out of budget", clean, cmp("tanh", 1.5, 2).with(armWith("tanh", 3, 0, 0)),
			C, "tanh: 13/16 seeds reached it (3 > budget)"},
		{"refuted although relu has runs out of budget", armWith("relu", 2, 0, 0), cmp("sigmoid", 0.8, 1.1), R, ""},
		{"diverged and stalled runs do not block a decision", clean, cmp("tanh", 0.8, 1.1).with(armWith("tanh", 0, 2, 3)),
			R, "(2 stalled, 3 diverged)"},
		{"one pair: no interval", clean, toTargetCmp{arm: armWith("tanh", 0, 0, 0), p: one(0.3)}, I, "n=1, no interval"},
		{"refuted, but relu's rate is at the grid's edge", atEdge(clean), cmp("tanh", 0.5, 0.8), I, "ReLU's rate is the lowest rate, 0.03, of the grid: a rate beyond it, untried, might make ReLU faster"},
		{"confirmed, but tanh's rate is at the grid's edge", clean, cmp("tanh", 1.5, 2).with(atEdge(armWith("tanh", 0, 0, 0))), I, "tanh's rate is the lowest rate, 0.03, of the grid"},
		{"confirmed with relu at the edge: the edge can only help relu", atEdge(clean), cmp("tanh", 1.5, 2), C, ""},
		{"refuted with tanh at the edge: the edge can only help tanh", clean, cmp("tanh", 0.5, 0.8).with(atEdge(armWith("tanh", 0, 0, 0))), R, ""},
		{"AlexNet's 6x excluded", clean, cmp("tanh", 1.5, 5.99), C, "AlexNet's 6x is excluded here (upper bound 5.99)"},
		{"AlexNet's 6x within reach", clean, cmp("tanh", 1.5, 6), C, "AlexNet's 6x is within reach here (upper bound 6.00)"},
	}
	for _, tc := range cases {
		e := toTargetEvidence{target: 0.97, maxSteps: 2000, relu: tc.relu, other: tc.other, reluCost: metrics.Estimate{Mean: 600, Lo: 550, Hi: 650, N: 16}}
		v := updatesVerdict(e)
		checkVerdict(t, tc.name, v, tc.want, tc.whyHas)
		if v.Role != result.Supporting || strings.HasPrefix(v.Rule, timingRule) {
			t.Errorf("%s: role %q; updates are supporting and read no clock", tc.name, v.Role)
		}
		if !strings.Contains(v.Statement, "fewer updates than "+tc.other.arm.name) {
			t.Errorf("%s: statement %q does not name %s", tc.name, v.Statement, tc.other.arm.name)
		}
		if v.Effect == nil || v.Effect.Unit != "x" || *v.Margin != toTargetMargin || v.MarginReason != toTargetMarginReason || v.N != tc.other.p.Diff.N {
			t.Errorf("%s: effect %+v n %d, want a ratio against margin %g over %d pairs", tc.name, v.Effect, v.N, toTargetMargin, tc.other.p.Diff.N)
		}
	}
}

// seconds marks c as a comparison of seconds with the standard errors of
// its two parts.
func seconds(c toTargetCmp, updatesSE, stepSE float64, stepReps int) toTargetCmp {
	c.seconds, c.updatesSE, c.stepSE, c.stepReps = true, updatesSE, stepSE, stepReps
	return c
}

func TestSecondsVerdict(t *testing.T) {
	clean := armWith("relu", 0, 0, 0)
	cases := []struct {
		name    string
		other   toTargetCmp
		control kit.TimingControl
		want    result.Outcome
		whyHas  string
	}{
		{"slower beyond the margin", cmp("tanh", 1.5, 2), idle, C, "had a core for 99.0%"},
		{"within the margin", cmp("sigmoid", 0.8, 1.1), idle, R, ""},
		{"straddling", cmp("tanh", 0.5, 2), idle, I, "straddling the margin"},
		{"tanh never reached it", cmp("tanh", 1.5, 2).with(armWith("tanh", 10, 0, 0)), idle, I, "its median is beyond the budget"},
		{"the timing cell shared its cores", cmp("tanh", 1.5, 2), kit.TimingControl{CPUShare: 0.5, Load: 9, CPUs: 2}, I, "had a core for only 50.0% of the time it was ready to run"},
		{"a CPU share of exactly 0.8 passes", cmp("tanh", 1.5, 2), kit.TimingControl{CPUShare: 0.8, Load: 2, CPUs: 2}, C, ""},
		{"a CPU share just below 0.8 fails", cmp("sigmoid", 0.8, 1.1), kit.TimingControl{CPUShare: 0.799, Load: 2, CPUs: 2}, I, "What the intervals alone would say"},
		{"too few units, the step time's spread dominating: more step repetitions could tell", seconds(cmp("sigmoid", 1.03, 1.46), 0.03, 0.075, 15), idle,
			I, "most of the spread is the step time's (standard error 0.075 of the mean log ratio over 15 timed repetitions, against 0.030 for the updates over the seeds): more timed repetitions of the step, rather than more seeds, could tell"},
		{"too few units, the updates' spread dominating: more seeds could tell", seconds(cmp("sigmoid", 1.03, 1.46), 0.075, 0.03, 15), idle,
			I, "not below the margin: more seeds could tell"},
		{"too few units, the step timed once", seconds(cmp("sigmoid", 1.03, 1.46), 0.03, nan, 1), idle,
			I, "the step was timed 1 time(s), so its time has no interval"},
	}
	for _, tc := range cases {
		control := tc.control
		e := toTargetEvidence{target: 0.97, maxSteps: 2000, relu: clean, other: tc.other, reluCost: metrics.Estimate{Mean: 0.3, Lo: 0.25, Hi: 0.35, N: 16}, control: &control}
		v := secondsVerdict(e)
		checkVerdict(t, tc.name, v, tc.want, tc.whyHas)
		if v.Role != result.Supporting || !strings.HasPrefix(v.Rule, timingRule) {
			t.Errorf("%s: role %q; seconds are supporting and read a clock", tc.name, v.Role)
		}
		if !strings.Contains(v.Why, "The timing thread had a core for") {
			t.Errorf("%s: why %q does not state the timing control's value", tc.name, v.Why)
		}
		if failed, _ := tc.control.Failed(""); failed && (v.Outcome != I || !strings.HasPrefix(v.Why, "INCONCLUSIVE: the timing thread had a core for only")) {
			t.Errorf("%s: the timing control failed, but the verdict is %s: %q", tc.name, v.Outcome, v.Why)
		}
	}
}

// The ratio verdicts report margin and MDE in one unit, a ratio to ReLU's:
// the reported MDE is above the reported margin exactly when the rule's
// test on the log scale calls the comparison underpowered, on both sides
// of the margin.
func TestComparedRatioUnits(t *testing.T) {
	for _, margin := range []float64{toTargetMargin, kernelMargin} {
		for _, mde := range []float64{math.Log(margin) - 1e-6, math.Log(margin), math.Log(margin) + 1e-6, 0.05, 1} {
			p := lpd(1.1, 1.4)
			p.MDE = mde
			var v result.Verdict
			comparedRatio(&v, "ratio", p, margin, "reason")
			if v.Effect.Unit != "x" || *v.Margin != margin || v.MarginReason != "reason" {
				t.Errorf("margin %g: effect %+v margin %g (%q), want a ratio against %g with its reason", margin, v.Effect, *v.Margin, v.MarginReason, margin)
			}
			if math.Abs(*v.MDE-math.Exp(mde)) > 1e-12 {
				t.Errorf("margin %g: MDE %g, want the ratio exp(%g) = %g", margin, *v.MDE, mde, math.Exp(mde))
			}
			reportedAbove := *v.MDE >= *v.Margin*(1-1e-12)
			if reportedAbove != underpowered(p, math.Log(margin)) {
				t.Errorf("margin %g, log MDE %g: reported MDE %g against margin %g says underpowered %v, the rule says %v",
					margin, mde, *v.MDE, *v.Margin, reportedAbove, underpowered(p, math.Log(margin)))
			}
		}
	}
}

// TestWholeStepClause: a whole step beyond the margin is named only where
// the rule's layer reading stayed below it, and never changes the outcome.
func TestWholeStepClause(t *testing.T) {
	small := steps([2]float64{3, 4}, [2]float64{1, 2})
	ratio := func(lo, hi float64) metrics.Estimate {
		return metrics.Estimate{Mean: (lo + hi) / 2, Lo: lo, Hi: hi, N: 40}
	}
	cases := []struct {
		name  string
		steps []versus
		whole []wholeStep
		has   string
	}{
		{"no whole steps", small, nil, ""},
		{"whole steps within the margin", small, []wholeStep{{"hidden 64x64", "tanh", ratio(0.98, 1.04), ratio(0.99, 1.04)}}, ""},
		{"a whole step beyond the margin", small, []wholeStep{{"hidden 64x64", "tanh", ratio(1.13, 1.26), ratio(0.99, 1.04)}}, "hidden 64x64 tanh 1.19x [1.13, 1.26] (its layers +3.50%; a second ReLU net 1.02x [0.99, 1.04]) of ReLU's step, beyond the 5% margin"},
		{"a lower end exactly at the margin", small, []wholeStep{{"hidden 64x64", "tanh", ratio(1.05, 1.2), ratio(0.99, 1.04)}}, "Whole steps whose interval reaches past the 5% margin while their activation layers stay below it (shown, not decided on): hidden 64x64 tanh 1.12x [1.05, 1.20] (its layers +3.50%; a second ReLU net 1.02x [0.99, 1.04])"},
		{"an interval straddling the margin", small, []wholeStep{{"hidden 64x64", "tanh", ratio(1.03, 1.15), ratio(0.99, 1.04)}}, "reaches past the 5% margin"},
		{"an upper end exactly at the margin", small, []wholeStep{{"hidden 64x64", "tanh", ratio(0.97, 1.05), ratio(0.99, 1.04)}}, ""},
		{"beyond the margin where the layers are too", steps([2]float64{6, 9}, [2]float64{1, 2}), []wholeStep{{"hidden 64x64", "tanh", ratio(1.13, 1.26), ratio(0.99, 1.04)}}, ""},
	}
	for _, tc := range cases {
		e := mainEvidence{comparable: true, kernels: fastKernel, steps: tc.steps, wholeSteps: tc.whole, control: idle}
		got := wholeStepClause(e)
		if tc.has == "" && got != "" || !strings.Contains(got, tc.has) {
			t.Errorf("%s: %q, want it to contain %q", tc.name, got, tc.has)
		}
		base := e
		base.wholeSteps = nil
		if v, w := mainVerdict(e), mainVerdict(base); v.Outcome != w.Outcome || !strings.Contains(v.Why, tc.has) {
			t.Errorf("%s: outcome %s (without whole steps %s), why %q", tc.name, v.Outcome, w.Outcome, v.Why)
		}
	}
}

// The step ratio that turns updates into seconds reads the activation
// layers, not whole steps: a tanh net whose whole step is twice ReLU's
// while its layers take 1% of ReLU's step more than ReLU's counts as 1.01x,
// and the null arm's whole step, however far from ReLU's, is not read.
func TestStepRatioReadsTheLayers(t *testing.T) {
	c := speedDefaults(true)
	var steps []stepSample
	for rep := range 6 {
		jitter := 1 + 0.001*float64(rep%3)
		steps = append(steps,
			stepSample{Hidden: c.Hidden, Variant: "relu", Rep: rep, Steps: 5, StepNs: 1000 * jitter, ActivationNs: 100},
			stepSample{Hidden: c.Hidden, Variant: "tanh", Rep: rep, Steps: 5, StepNs: 2000, ActivationNs: 110 * jitter},
			stepSample{Hidden: c.Hidden, Variant: kit.NullArm, Rep: rep, Steps: 5, StepNs: 1300, ActivationNs: 100})
	}
	s := &speedSummary{c: c, timing: &speedTiming{Steps: steps}}
	got := metrics.RatioFromLog(s.logStepRatio("tanh"))
	if math.Abs(got.Mean-1.01) > 0.002 || got.N != 6 {
		t.Errorf("tanh step over ReLU's: %.4fx over %d repetitions, want about 1.01x over 6 (its layers' extra time, not the whole step's 2x)", got.Mean, got.N)
	}
	if r := metrics.RatioFromLog(s.logStepRatio("relu")); math.Abs(r.Mean-1) > 1e-12 {
		t.Errorf("ReLU over itself: %gx, want 1", r.Mean)
	}
}

// The step comparisons and the seconds are widened by the null arm: a
// tanh net whose layers take 5.5% of ReLU's step beyond ReLU's, steadily,
// clears the 5% margin alone, and no longer once a second ReLU net's
// layers read 1% away from ReLU's.
func TestNullArmWidensTheStepReading(t *testing.T) {
	c := speedDefaults(true)
	c.StepCNN = ""
	net := kit.WidthsLabel(c.Hidden)
	var steps []stepSample
	for rep := range 10 {
		j := 0.01 * float64(rep%3)
		steps = append(steps,
			stepSample{Hidden: c.Hidden, Variant: "relu", Rep: rep, Steps: 5, StepNs: 1000, ActivationNs: 100},
			stepSample{Hidden: c.Hidden, Variant: "tanh", Rep: rep, Steps: 5, StepNs: 1060, ActivationNs: 155 + j},
			stepSample{Hidden: c.Hidden, Variant: kit.NullArm, Rep: rep, Steps: 5, StepNs: 1010, ActivationNs: 110 + j})
	}
	s := &speedSummary{c: c, timing: &speedTiming{Steps: steps}}
	e := s.mainEvidence()
	var tanh *versus
	for i := range e.steps {
		if e.steps[i].setting == "hidden "+net && e.steps[i].name == "tanh" {
			tanh = &e.steps[i]
		}
	}
	if tanh == nil {
		t.Fatalf("no tanh comparison in %s among %+v", net, e.steps)
	}
	// ReLU's layers take 10% of its step, tanh's 15.5%: the null's reach
	// of about 1% is scaled by 1.55.
	if lo := tanh.p.Diff.Lo; !(lo < 4 && lo > 3.85) {
		t.Errorf("tanh's layers +5.5%% widened by a null reach of about 1%% scaled by 1.55: lower end %.3f, want between 3.85 and 4 (below the margin)", lo)
	}
	if got := kit.Superiority(tanh.p, stepMargin); got != result.Inconclusive {
		t.Errorf("widened comparison decides %s, want INCONCLUSIVE", got)
	}
	if len(e.nulls) == 0 || !strings.Contains(nullClause(e.nulls), "null arm") {
		t.Errorf("no null reading in the Why: %q", nullClause(e.nulls))
	}
	if r := s.nullLogReach("tanh"); !(r > 0.0150 && r < 0.0158) {
		t.Errorf("null reach for tanh in the trained net as a log step ratio: %g, want about log(1.0155)", r)
	}
	if r := s.nullLogReach("relu"); !(r > 0.0099 && r < 0.0102) {
		t.Errorf("null reach for relu itself: %g, want about log(1.01), unscaled", r)
	}
}

// The main verdict's context names a null arm whose whole step reaches
// past the step margin, and none otherwise.
func TestNullWholeContext(t *testing.T) {
	ns := []nullReading{
		{setting: "hidden 64x64", whole: metrics.Estimate{Mean: 1.0, Lo: 0.99, Hi: 1.01, N: 40}},
		{setting: "the CNN", whole: metrics.Estimate{Mean: 1.078, Lo: 1.036, Hi: 1.121, N: 40}},
	}
	want := "a second ReLU net, identical but for its buffers, took 1.08x [1.04, 1.12] of ReLU's whole step in the CNN:"
	if got := nullWholeContext(ns); !strings.HasPrefix(got, want) || strings.Contains(got, "64x64") {
		t.Errorf("context %q, want it to start %q and leave 64x64 out", got, want)
	}
	if got := nullWholeContext(ns[:1]); got != "" {
		t.Errorf("no null beyond the margin: %q", got)
	}
}
