package twosided

import (
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

const eps = 1e-9

// est is a made-up estimate over n values.
func est(mean, lo, hi float64, n int) metrics.Estimate {
	return metrics.Estimate{Mean: mean, Lo: lo, Hi: hi, N: n}
}

// paired is a made-up paired comparison with a 95% CI [lo, hi] over n
// pairs; the 90% CI is not read by the superiority rules.
func paired(lo, hi float64, n int) metrics.Paired {
	return metrics.Paired{Diff: est((lo+hi)/2, lo, hi, n), Lo90: lo, Hi90: hi, MDE: (hi - lo) / 2}
}

// checkVerdict asserts what every verdict must carry (exptest.CheckVerdicts:
// outcome, role, rule, why, caveat, a margin with its reason), and what
// this package's rules add: the claim, the role each rule has, and an
// effect with margin exactly when the rule compares.
func checkVerdict(t *testing.T, name string, v result.Verdict, role result.Role, compares bool) {
	t.Helper()
	exptest.CheckVerdicts(t, &result.Result{Verdicts: []result.Verdict{v}}, map[string]int{"C12": 1})
	if v.Role != role {
		t.Errorf("%s: role %q, want %q", name, v.Role, role)
	}
	if compares && (v.Effect == nil || v.Margin == nil || v.MarginReason == "") {
		t.Errorf("%s: a comparison without effect, margin or margin reason", name)
	}
	if !compares && (v.Effect != nil || v.Margin != nil || v.MDE != nil || v.MarginReason != "") {
		t.Errorf("%s: a rule that compares nothing has an effect, margin, margin reason or MDE", name)
	}
}

func TestDoublesWeightsVerdict(t *testing.T) {
	relu := []LayerCount{{"h1", 784 * 64, 64}, {"h2", 64 * 64, 64}, {"h3", 64 * 64, 64}, {"out", 64 * 10, 10}}
	ts := []LayerCount{{"h1", 784 * 64, 64}, {"h2", 128 * 64, 64}, {"h3", 128 * 64, 64}, {"out", 128 * 10, 10}}
	ev := func(r, t []LayerCount) doublesEvidence {
		total := func(ls []LayerCount) (n int) {
			for _, l := range ls {
				n += l.Weights + l.Biases
			}
			return n
		}
		return doublesEvidence{width: 64, relu: r, twoSided: t, reluTotal: total(r), twoSidedTotal: total(t)}
	}
	edit := func(i int, f func(*LayerCount)) []LayerCount {
		out := append([]LayerCount(nil), ts...)
		f(&out[i])
		return out
	}
	for _, tc := range []struct {
		name string
		in   doublesEvidence
		want result.Outcome
		why  string
	}{
		{"nothing built", doublesEvidence{}, result.Inconclusive, "not both built"},
		{"only relu built", ev(relu, nil), result.Inconclusive, "not both built"},
		{"every layer after the first doubled, first untouched", ev(relu, ts), result.Confirmed, "68042 parameters against 59210 (1.15x)"},
		{"the ratio of each layer is quoted", ev(relu, ts), result.Confirmed, "h2 8192/4096 weights (2.00x)"},
		{"one weight short of double", ev(relu, edit(2, func(l *LayerCount) { l.Weights-- })), result.Refuted, "h3 8191/4096"},
		{"one weight over double", ev(relu, edit(3, func(l *LayerCount) { l.Weights++ })), result.Refuted, "out 1281/640"},
		{"first layer doubled too", ev(relu, edit(0, func(l *LayerCount) { l.Weights *= 2 })), result.Refuted, "h1 100352/50176"},
		{"biases doubled", ev(relu, edit(1, func(l *LayerCount) { l.Biases *= 2 })), result.Refuted, ""},
		{"a layer missing", ev(relu, ts[:3]), result.Refuted, "different numbers of dense layers"},
	} {
		v := doublesWeightsVerdict(tc.in)
		checkVerdict(t, tc.name, v, result.Sanity, false)
		if wantCtx := tc.want == result.Confirmed; (v.Context != "") != wantCtx || (wantCtx && !strings.Contains(v.Context, "1.15x ReLU's parameters at width 64, not 2x")) {
			t.Errorf("%s: context %q", tc.name, v.Context)
		}
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: %s, %q; want %s with %q", tc.name, v.Outcome, v.Why, tc.want, tc.why)
		}
	}
}

func TestCannotDieVerdict(t *testing.T) {
	// ReLU loses 15% [12%, 18%] of its units, two-sided none, over 12 runs
	// of 192 units each; the paired difference is clear of the margin. The
	// two-sided net is 4.5 points less accurate under the stress.
	reluArm := armDeath{dead: est(0.15, 0.12, 0.18, 12), would: est(0.15, 0.12, 0.18, 12), acc: est(0.934, 0.93, 0.938, 12), deadUnits: 346, units: 2304, runs: 12}
	tsArm := armDeath{dead: est(0, 0, 0, 12), would: est(0.01, 0, 0.02, 12), acc: est(0.889, 0.86, 0.91, 12), units: 2304, runs: 12}
	base := cannotDieEvidence{setting: "adam, lr 0.01, 5 epochs", relu: reluArm, twoSided: tsArm, diff: paired(0.12, 0.18, 12), accDiff: paired(-0.06, -0.03, 12)}
	with := func(f func(*cannotDieEvidence)) cannotDieEvidence {
		e := base
		f(&e)
		return e
	}
	for _, tc := range []struct {
		name string
		in   cannotDieEvidence
		want result.Outcome
		why  string
	}{
		{"ReLU dies, two-sided does not", base, result.Confirmed, "ReLU units died and two-sided ones did not"},
		{"the counts are quoted", base, result.Confirmed, "two-sided 0% [0%, 0%] (0 of 2304; 1% had pre-activation <= 0"},
		{"the stress accuracy is quoted as context", base, result.Confirmed,
			"Under the stress, test accuracy two-sided 0.8890, ReLU 0.9340, paired difference twosided - relu -0.0450 [-0.0600, -0.0300] over 12 pairs: the two-sided net is 4.5 points less accurate (context, not decisive)"},
		{"the stress accuracy does not decide: two-sided more accurate, same outcome", with(func(e *cannotDieEvidence) { e.accDiff = paired(0.01, 0.03, 12) }), result.Confirmed, "the two-sided net is 2 points more accurate"},
		{"the stress accuracy interval including 0", with(func(e *cannotDieEvidence) { e.accDiff = paired(-0.01, 0.01, 12) }), result.Confirmed, "the interval includes 0"},
		{"no stress accuracy pair", with(func(e *cannotDieEvidence) { e.accDiff = metrics.Paired{} }), result.Confirmed, "no pair of runs to compare test accuracy"},
		{"one stress accuracy pair", with(func(e *cannotDieEvidence) { e.accDiff = metrics.OneSample([]float64{-0.04}) }), result.Confirmed, "-0.0400 over 1 pairs: one pair, no interval"},
		{"a nonzero dead fraction never reads as 0", with(func(e *cannotDieEvidence) {
			e.twoSided.dead, e.twoSided.deadUnits = est(1.0/2304, 0, 0.0012, 12), 1
		}), result.Confirmed, "0.0434%"},
		// Divergence.
		{"every two-sided run diverged (n = 0): no data, not confirmed", with(func(e *cannotDieEvidence) {
			e.twoSided = armDeath{dead: metrics.MeanCI(nil), would: metrics.MeanCI(nil), acc: metrics.MeanCI(nil), diverged: 12, runs: 12}
			e.diff = metrics.PairedDiff(make([]float64, 12), nanSlice(12))
			e.accDiff = metrics.PairedDiff(nanSlice(12), make([]float64, 12))
		}), result.Inconclusive, "12 of 12 twosided:w runs diverged"},
		{"7 of 12 two-sided runs diverged: mostly", with(func(e *cannotDieEvidence) { e.twoSided.diverged = 7 }), result.Inconclusive, "7 of 12 twosided:w runs diverged"},
		{"6 of 12 two-sided runs diverged: half is not mostly", with(func(e *cannotDieEvidence) { e.twoSided.diverged = 6 }), result.Confirmed, "two-sided 6/12"},
		{"some two-sided runs diverged: the finding says over which runs", with(func(e *cannotDieEvidence) { e.twoSided.diverged = 4 }), result.Confirmed, "ReLU units died and two-sided ones did not in the runs that did not diverge; the stress made the two-sided net diverge in 4 of 12 runs (ReLU in 0)"},
		{"7 of 12 ReLU runs diverged", with(func(e *cannotDieEvidence) { e.relu.diverged = 7 }), result.Inconclusive, "7 of 12 relu:w runs diverged"},
		// The control: did the stress kill ReLU units? It comes before
		// everything but divergence.
		{"ReLU dead fraction reaching down to the margin: control failed", with(func(e *cannotDieEvidence) {
			e.relu.dead = est(0.1, deadMargin, 0.15, 12)
		}), result.Inconclusive, "stress control failed"},
		{"ReLU hardly dies (0.4%): control failed, not refuted", with(func(e *cannotDieEvidence) {
			e.relu.dead, e.diff = est(0.004, 0, 0.01, 12), paired(0, 0.01, 12)
		}), result.Inconclusive, "stress control failed"},
		{"control failed while two-sided units die: still the control", with(func(e *cannotDieEvidence) {
			e.relu.dead, e.twoSided.dead, e.diff = est(0.02, 0, 0.04, 12), est(0.3, 0.2, 0.4, 12), paired(-0.35, -0.2, 12)
		}), result.Inconclusive, "stress control failed"},
		{"ReLU dead fraction just above the margin, difference clear", with(func(e *cannotDieEvidence) {
			e.relu.dead, e.diff = est(0.1, deadMargin+eps, 0.15, 12), paired(deadMargin+eps, 0.15, 12)
		}), result.Confirmed, ""},
		{"no ReLU run measured", with(func(e *cannotDieEvidence) { e.relu.dead = metrics.MeanCI(nil) }), result.Inconclusive, "stress control failed"},
		// The two-sided net's own dead fraction against the margin.
		{"two-sided dead fraction just above the margin", with(func(e *cannotDieEvidence) {
			e.twoSided.dead = est(0.08, deadMargin+eps, 0.11, 12)
		}), result.Refuted, "lost more than the margin"},
		{"two-sided dead beyond the margin, nearly as many as ReLU", with(func(e *cannotDieEvidence) {
			e.relu.dead, e.twoSided.dead, e.diff = est(0.2, 0.18, 0.22, 12), est(0.17, 0.15, 0.19, 12), paired(0.01, deadMargin-eps, 12)
		}), result.Refuted, "lost more than the margin"},
		{"two-sided dead fraction reaching down to the margin, difference clear", with(func(e *cannotDieEvidence) {
			e.twoSided.dead = est(0.06, deadMargin, 0.07, 12)
		}), result.Inconclusive, "not clearly below the margin"},
		{"two-sided dead fraction reaching up to the margin, difference clear", with(func(e *cannotDieEvidence) {
			e.twoSided.dead = est(0.03, 0.01, deadMargin, 12)
		}), result.Inconclusive, "not clearly below the margin"},
		{"two-sided dead fraction just below the margin", with(func(e *cannotDieEvidence) {
			e.twoSided.dead = est(0.03, 0.01, deadMargin-eps, 12)
		}), result.Confirmed, ""},
		// The paired difference against the margin.
		{"difference just above the margin", with(func(e *cannotDieEvidence) { e.diff = paired(deadMargin+eps, 0.2, 12) }), result.Confirmed, ""},
		{"difference reaching down to the margin", with(func(e *cannotDieEvidence) { e.diff = paired(deadMargin, 0.2, 12) }), result.Inconclusive, "not clearly beyond the margin"},
		{"difference below the margin, two-sided below it: not refuted (its units did not die)", with(func(e *cannotDieEvidence) {
			e.relu.dead, e.twoSided.dead, e.diff = est(0.07, 0.06, 0.08, 12), est(0.03, 0.02, 0.04, 12), paired(0.03, deadMargin-eps, 12)
		}), result.Inconclusive, "not clearly beyond the margin"},
		{"one pair only", with(func(e *cannotDieEvidence) { e.diff = metrics.OneSample([]float64{0.15}) }), result.Inconclusive, "not clearly beyond"},
	} {
		v := cannotDieVerdict(tc.in)
		checkVerdict(t, tc.name, v, result.Sanity, true)
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: %s, %q; want %s with %q", tc.name, v.Outcome, v.Why, tc.want, tc.why)
		}
	}
	// The context for the first screen: what keeping its units cost.
	for _, tc := range []struct {
		name string
		in   cannotDieEvidence
		want string
	}{
		{"less accurate", base, "under the stress that kills ReLU units, the two-sided net's finished runs were 4.5 points less accurate than ReLU's (95% CI 3 to 6, 12 pairs)"},
		{"diverged and less accurate", with(func(e *cannotDieEvidence) { e.twoSided.diverged = 4 }), "under the stress that kills ReLU units, the two-sided net diverged in 4 of 12 runs (ReLU in 0), left out; the two-sided net's finished runs were 4.5 points"},
		{"more accurate, none diverged: no context", with(func(e *cannotDieEvidence) { e.accDiff = paired(0.01, 0.03, 12) }), ""},
		{"interval including 0: no context", with(func(e *cannotDieEvidence) { e.accDiff = paired(-0.01, 0.01, 12) }), ""},
	} {
		got := cannotDieVerdict(tc.in).Context
		if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
			t.Errorf("context, %s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if v := cannotDieVerdict(base); !strings.Contains(v.Caveat, "cannot die by construction") || v.MarginReason != deadMarginReason {
		t.Errorf("the caveat must say the unit cannot die by construction (%q), and the margin carry its reason (%q)", v.Caveat, v.MarginReason)
	}
}

func nanSlice(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}

// The Wilson bounds used below, from metrics.ProportionCI: 0 of n has
// upper bound z^2/(n+z^2), below 0.01 from n = 381 (0.009982) and not at
// n = 380 (0.010008); 17 of 1000 has lower bound 0.01064, 16 of 1000
// 0.00987.
func TestBornDeadVerdict(t *testing.T) {
	relu := &bornDeadRate{width: 2, dead: 993, inits: 1000}
	ev := func(dead, inits int, r *bornDeadRate) bornDeadEvidence {
		return bornDeadEvidence{depth: 20, dead: dead, inits: inits, relu: r}
	}
	for _, tc := range []struct {
		name string
		in   bornDeadEvidence
		want result.Outcome
		why  string
	}{
		{"no two-sided net drawn", ev(0, 0, relu), result.Inconclusive, "No two-sided net"},
		{"none of 3000 born dead, ReLU 99.3%", ev(0, 3000, relu), result.Confirmed, "0 of 3000 two-sided nets were born dead at depth 20 (0% [0%, 0.128%]), against 993 of 1000 ReLU nets of width 2"},
		{"none of 381: Wilson upper end just below the margin", ev(0, 381, relu), result.Confirmed, ""},
		{"none of 380: Wilson upper end just above the margin", ev(0, 380, relu), result.Inconclusive, "Too few nets"},
		{"17 of 1000: lower end just above the margin", ev(17, 1000, relu), result.Refuted, "17 of 1000"},
		{"16 of 1000: lower end just below the margin", ev(16, 1000, relu), result.Inconclusive, "Too few nets"},
		{"a few born dead (0.2%): still below the margin", ev(6, 3000, relu), result.Confirmed, "0.2%"},
		{"ReLU control 17 of 1000: just above the margin", ev(0, 3000, &bornDeadRate{width: 2, dead: 17, inits: 1000}), result.Confirmed, ""},
		{"ReLU control 16 of 1000: not clearly born dead", ev(0, 3000, &bornDeadRate{width: 2, dead: 16, inits: 1000}), result.Inconclusive, "ReLU control is not clearly born dead"},
		{"ReLU control not run", ev(0, 3000, nil), result.Inconclusive, "ReLU control"},
		{"born dead two-sided nets refute even without the control", ev(300, 1000, nil), result.Refuted, "300 of 1000"},
	} {
		v := bornDeadVerdict(tc.in)
		checkVerdict(t, tc.name, v, result.Sanity, true)
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: %s, %q; want %s with %q", tc.name, v.Outcome, v.Why, tc.want, tc.why)
		}
		if tc.in.inits > 0 && (v.MDE == nil || v.N != tc.in.inits) {
			t.Errorf("%s: n %d, MDE %v", tc.name, v.N, v.MDE)
		}
		if !strings.HasPrefix(v.Caveat, "true by construction") {
			t.Errorf("%s: the sanity check's caveat must say it holds by construction: %q", tc.name, v.Caveat)
		}
	}
}

func TestWorthItVerdict(t *testing.T) {
	acc := func(mean float64) *netAccuracy {
		return &netAccuracy{acc: est(mean, mean-0.005, mean+0.005, 12), width: 64, params: 68042, runs: 12}
	}
	base := worthItEvidence{setting: "sgd, lr 0.1, 5 epochs", twoSided: acc(0.947), matched: acc(0.937), vsMatched: paired(0.006, 0.014, 12)}
	with := func(f func(*worthItEvidence)) worthItEvidence {
		e := base
		ts, m := *base.twoSided, *base.matched // f may edit them
		e.twoSided, e.matched = &ts, &m
		f(&e)
		return e
	}
	for _, tc := range []struct {
		name string
		in   worthItEvidence
		want result.Outcome
		why  string
	}{
		{"twosided:w not among the nets", with(func(e *worthItEvidence) { e.twoSided = nil }), result.Inconclusive, "must both be among the nets"},
		{"relu:matched not among the nets", with(func(e *worthItEvidence) { e.matched = nil }), result.Inconclusive, "must both be among the nets"},
		{"clear gain over matched", base, result.Confirmed, "reached 0.9470"},
		{"difference just above the margin", with(func(e *worthItEvidence) { e.vsMatched = paired(accuracyMargin+eps, 0.01, 12) }), result.Confirmed, ""},
		{"difference reaching down to the margin: better, not clearly by enough", with(func(e *worthItEvidence) { e.vsMatched = paired(accuracyMargin, 0.01, 12) }), result.Inconclusive, "the gain is about the size of the margin, and the interval, narrow enough to tell a gain of that size (MDE below the margin), lies on neither side of it"},
		{"better, but by less than the margin", with(func(e *worthItEvidence) { e.vsMatched = paired(0.001, 0.004, 12) }), result.Refuted, "better than ReLU of the same parameter count (the interval lies above 0), but by less than the margin"},
		{"better, straddling the margin with too few seeds", with(func(e *worthItEvidence) { e.vsMatched = paired(0.001, 0.012, 12) }), result.Inconclusive, "this many seeds cannot tell whether the gain matters"},
		{"difference reaching up to the margin, from below 0", with(func(e *worthItEvidence) { e.vsMatched = paired(-0.002, accuracyMargin, 12) }), result.Inconclusive, "The difference straddles the margin"},
		{"difference just below the margin", with(func(e *worthItEvidence) { e.vsMatched = paired(-0.002, accuracyMargin-eps, 12) }), result.Refuted, "smaller than the margin"},
		{"two-sided clearly worse", with(func(e *worthItEvidence) { e.vsMatched = paired(-0.03, -0.01, 12) }), result.Refuted, ""},
		{"one pair only", with(func(e *worthItEvidence) { e.vsMatched = metrics.OneSample([]float64{0.02}) }), result.Inconclusive, "straddles"},
		// Divergence: never counted as chance accuracy.
		{"every two-sided run diverged: inconclusive, not refuted", with(func(e *worthItEvidence) {
			e.twoSided = &netAccuracy{acc: metrics.MeanCI(nil), width: 64, diverged: 12, runs: 12}
			e.vsMatched = metrics.PairedDiff(nanSlice(12), make([]float64, 12))
		}), result.Inconclusive, "12 of 12 twosided:w runs diverged"},
		{"7 of 12 matched runs diverged", with(func(e *worthItEvidence) { e.matched.diverged = 7 }), result.Inconclusive, "7 of 12 relu:matched runs diverged"},
		{"6 of 12 matched runs diverged: half is not mostly", with(func(e *worthItEvidence) { e.matched.diverged = 6 }), result.Confirmed, "matched 6/12"},
		// The control: the baseline must learn (95% CI lower end >= 0.2).
		{"baseline did not learn", with(func(e *worthItEvidence) {
			e.matched = &netAccuracy{acc: est(0.11, 0.1, 0.12, 12), width: 72, runs: 12}
			e.vsMatched = paired(0.8, 0.85, 12)
		}), result.Inconclusive, "did not learn"},
		{"baseline's lower end just below 0.2", with(func(e *worthItEvidence) {
			e.matched = &netAccuracy{acc: est(0.3, 0.2-eps, 0.4, 12), width: 72, runs: 12}
		}), result.Inconclusive, "did not learn"},
		{"baseline's lower end at 0.2 learns", with(func(e *worthItEvidence) {
			e.matched = &netAccuracy{acc: est(0.3, 0.2, 0.4, 12), width: 72, runs: 12}
		}), result.Confirmed, ""},
		{"relu:w and relu:2w are quoted, not decisive", with(func(e *worthItEvidence) {
			e.single, e.double = acc(0.95), acc(0.96)
			e.vsSingle, e.vsDouble = paired(-0.01, 0, 12), paired(-0.02, -0.01, 12)
		}), result.Confirmed, "against relu:2w (width 64, 68042 parameters) -0.0150 [-0.0200, -0.0100] over 12 pairs"},
		{"the stress accuracy is quoted as context, not decisive", with(func(e *worthItEvidence) {
			e.stressSetting, e.stressTwoSided, e.stressReLU = "adam, lr 0.01, 5 epochs", est(0.889, 0.86, 0.91, 12), est(0.934, 0.93, 0.938, 12)
			e.stressVsSingle = paired(-0.06, -0.03, 12)
		}), result.Confirmed, "Under the main rule's stress (adam, lr 0.01, 5 epochs), test accuracy two-sided 0.8890, ReLU 0.9340, paired difference twosided - relu -0.0450 [-0.0600, -0.0300] over 12 pairs: the two-sided net is 4.5 points less accurate (context, not decisive)."},
		{"the stress accuracy does not turn a straddle", with(func(e *worthItEvidence) {
			e.vsMatched = paired(0.001, 0.006, 12)
			e.stressSetting, e.stressTwoSided, e.stressReLU = "adam, lr 0.01, 5 epochs", est(0.889, 0.86, 0.91, 12), est(0.934, 0.93, 0.938, 12)
			e.stressVsSingle = paired(-0.06, -0.03, 12)
		}), result.Inconclusive, "4.5 points less accurate"},
	} {
		v := worthItVerdict(tc.in)
		checkVerdict(t, tc.name, v, result.Supporting, tc.in.twoSided != nil && tc.in.matched != nil)
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: %s, %q; want %s with %q", tc.name, v.Outcome, v.Why, tc.want, tc.why)
		}
	}
	if v := worthItVerdict(base); strings.Contains(v.Why, "stress") {
		t.Errorf("no stress runs, yet the why quotes them: %q", v.Why)
	}
	if v := worthItVerdict(base); !strings.HasPrefix(v.Statement, "(beyond the blog)") || v.MarginReason != accuracyMarginReason {
		t.Errorf("the worth-it statement must say it goes beyond the blog (%q), and its margin carry its reason (%q)", v.Statement, v.MarginReason)
	}
}
