package exploding

import (
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// est is an estimate over ten seeds with the given 95% CI.
func est(lo, mean, hi float64) metrics.Estimate {
	return metrics.Estimate{Mean: mean, Lo: lo, Hi: hi, SD: (hi - lo) / 4, N: 10}
}

// paired is a paired comparison over n seeds whose 95% CI of the mean
// difference is [lo, hi].
func paired(lo, hi float64, n int) metrics.Paired {
	m := (lo + hi) / 2
	return metrics.Paired{Diff: metrics.Estimate{Mean: m, Lo: lo, Hi: hi, SD: (hi - lo) / 4, N: n}, Lo90: m - (hi-lo)*0.4, Hi90: m + (hi-lo)*0.4, MDE: (hi - lo) * 0.7}
}

// The explosion threshold, in decades per layer: 1/30.
var thr = explosionRate()

// rate is per-layer growth at one gain whose 95% CI is [lo, lo+0.01]; its
// mean-field prediction is the one of a ReLU net, 0.5 log10(g/2).
func rate(gain, lo float64) growth {
	return growth{gain: gain, rate: est(lo, lo+0.005, lo+0.01), mf: 0.5 * math.Log10(gain/2)}
}

// below is a growth whose CI ends just under the threshold; above one whose
// CI starts just over it.
func below(gain float64) growth { return rate(gain, thr-0.0101) }
func above(gain float64) growth { return rate(gain, thr+0.0001) }

func initCase(depth int, relu []growth, tanh []growth) initEvidence {
	e := initEvidence{depth: depth, width: 256, relu: relu, top: 4}
	if tanh != nil {
		e.bounded = []boundedGrowth{{name: "tanh", growth: tanh}}
	}
	return e
}

func TestInitVerdict(t *testing.T) {
	if math.Abs(thr-1.0/30) > 1e-15 {
		t.Fatalf("explosion rate %v, want 1/30", thr)
	}
	withMF := func(g growth, mf float64) growth { g.mf = mf; return g }
	noInterval := growth{gain: 4, rate: metrics.Estimate{Mean: 1, Lo: 1, Hi: 1, N: 1}, mf: 0.15}
	cases := []struct {
		name       string
		depth      int
		relu, tanh []growth
		want       result.Outcome
		why        string
	}{
		{"no ReLU gain above the critical one", 50, nil, []growth{below(4)}, result.Inconclusive, "no measured ReLU gain above 2"},
		{"mean field predicts growth exactly at the threshold: not judged", 50, []growth{withMF(below(2.2), thr)}, []growth{below(2.2)}, result.Inconclusive, "cannot show an explosion"},
		{"mean field predicts growth just above the threshold: judged", 50, []growth{withMF(below(2.2), thr+1e-9)}, []growth{below(2.2)}, result.Refuted, "below the threshold"},
		{"net too shallow to reach a decade: no refutation", 5, []growth{below(3)}, nil, result.Inconclusive, "refutes nothing"},
		{"net just deep enough: (L-1) x prediction is exactly one decade", 5, []growth{withMF(below(3), 0.25)}, nil, result.Refuted, ""},
		{"net a hair too shallow: (L-1) x prediction just under a decade", 5, []growth{withMF(below(3), 0.2499)}, nil, result.Inconclusive, ""},
		{"ReLU explodes at every gain, tanh stays below", 50, []growth{above(3), above(4)}, []growth{below(3), below(4)}, result.Confirmed, "it does not explode"},
		{"ReLU's lower end exactly at the threshold is no explosion", 50, []growth{rate(4, thr)}, []growth{below(4)}, result.Inconclusive, "straddles"},
		{"tanh's upper end exactly at the threshold does not show it stays below", 50, []growth{above(4)}, []growth{{gain: 4, rate: est(thr-0.01, thr-0.005, thr), mf: 0.06}}, result.Inconclusive, "is not shown"},
		{"ReLU explodes, tanh too", 50, []growth{above(3), above(4)}, []growth{below(3), above(4)}, result.Mixed, "explodes too"},
		{"ReLU explodes, no bounded activation measured", 50, []growth{above(4)}, nil, result.Inconclusive, "not tested"},
		{"ReLU stays below at every judged gain", 50, []growth{below(3), below(4)}, []growth{below(3), below(4)}, result.Refuted, ""},
		{"ReLU stays below though tanh explodes", 50, []growth{below(4)}, []growth{above(4)}, result.Refuted, ""},
		{"ReLU explodes at 4 but not at 3", 50, []growth{below(3), above(4)}, []growth{below(3), below(4)}, result.Mixed, "(does not)"},
		{"ReLU without an interval (one seed)", 50, []growth{noInterval}, []growth{below(4)}, result.Inconclusive, ""},
		{"ReLU's gain of 2 or less is not judged", 50, []growth{}, []growth{below(2)}, result.Inconclusive, ""},
	}
	for _, tc := range cases {
		v := initVerdict(initCase(tc.depth, tc.relu, tc.tanh))
		if v.Outcome != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, v.Outcome, tc.want, v.Why)
		}
		if !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: why %q, want it to contain %q", tc.name, v.Why, tc.why)
		}
		if v.Role != result.Supporting || v.Caveat == "" {
			t.Errorf("%s: role %q, caveat %q", tc.name, v.Role, v.Caveat)
		}
		if judged := v.Effect != nil; judged != (v.Margin != nil) || (judged && *v.Margin != thr) {
			t.Errorf("%s: effect %v with margin %v, want both or neither, margin %v", tc.name, v.Effect, v.Margin, thr)
		}
	}
}

// The Why says that weight gradients hide the explosion only when ReLU's
// gradient grows by more than a decade at the top gain and the whole CI of
// its per-example weight gradient lies within half a decade of zero.
func TestWeightGradientClause(t *testing.T) {
	cases := []struct {
		name     string
		zLo      float64 // lower end of ReLU's log10 growth across the net
		lo, hi   float64 // CI of the per-example weight gradient's growth
		wantFlat bool
	}{
		{"flat well inside half a decade", 2, -0.1, 0.1, true},
		{"upper end exactly at 0.5", 2, -0.1, 0.5, true},
		{"upper end just above 0.5", 2, -0.1, 0.501, false},
		{"lower end exactly at -0.5", 2, -0.5, 0.1, true},
		{"lower end just below -0.5", 2, -0.501, 0.1, false},
		{"flat, but ReLU's growth exactly one decade", 1, -0.1, 0.1, false},
	}
	for _, tc := range cases {
		e := initCase(50, []growth{above(4)}, []growth{below(4)})
		e.reluTop = initStats{z: est(tc.zLo, tc.zLo+0.1, tc.zLo+0.2), example: est(tc.lo, (tc.lo+tc.hi)/2, tc.hi)}
		v := initVerdict(e)
		if got := strings.Contains(v.Why, "weight-gradient norms hide the explosion"); got != tc.wantFlat {
			t.Errorf("%s: clause present %v, want %v (%s)", tc.name, got, tc.wantFlat, v.Why)
		}
		if got := weightGradientNote(50, 4, e.reluTop, initStats{}, false) != ""; got != tc.wantFlat {
			t.Errorf("%s: note present %v, want %v", tc.name, got, tc.wantFlat)
		}
	}
}

// armOf is n runs of which k diverged.
func armOf(n, k int) arm { return arm{runs: n, diverged: k, acc: est(0.8, 0.85, 0.9)} }

func TestTrains(t *testing.T) {
	m := trainsMargin
	cases := []struct {
		name string
		arm  arm
		diff metrics.Paired
		want result.Outcome
		why  string
	}{
		{"not run", arm{}, metrics.OneSample(nil), result.Inconclusive, "not run"},
		{"interval above -margin, none diverged", armOf(10, 0), paired(-m+0.001, 0.03, 10), result.Confirmed, "it trains"},
		{"lower end exactly at -margin", armOf(10, 0), paired(-m, 0.03, 10), result.Inconclusive, "straddles"},
		{"upper end just below -margin", armOf(10, 0), paired(-0.3, -m-0.001, 10), result.Refuted, "does not train as well"},
		{"upper end exactly at -margin", armOf(10, 0), paired(-0.3, -m, 10), result.Inconclusive, ""},
		{"one of ten diverged: Wilson upper 0.40, still shown stable", armOf(10, 1), paired(-0.02, 0.02, 9), result.Confirmed, ""},
		{"two of ten diverged: Wilson upper 0.51, stability not shown", armOf(10, 2), paired(-0.02, 0.02, 8), result.Inconclusive, "too many diverged"},
		{"five of ten diverged, survivors worse: not mostly diverged", armOf(10, 5), paired(-0.5, -0.3, 5), result.Refuted, ""},
		{"six of ten diverged: mostly, not shown", armOf(10, 6), paired(-0.02, 0.02, 4), result.Inconclusive, "most runs diverged"},
		{"eight of ten diverged: Wilson lower 0.49, not shown", armOf(10, 8), paired(-0.5, -0.3, 2), result.Inconclusive, "most runs diverged"},
		{"nine of ten diverged: Wilson lower 0.60, shown", armOf(10, 9), metrics.OneSample([]float64{0}), result.Refuted, "does not stop the divergence"},
		{"no divergence, no pairs (no reference)", armOf(10, 0), metrics.OneSample(nil), result.Inconclusive, "no pairs"},
	}
	for _, tc := range cases {
		got, why := trains(remedyTest{name: "clip 5", lr: 1, arm: tc.arm, vsRef: tc.diff})
		if got != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, got, tc.want, why)
		}
		if !strings.Contains(why, tc.why) {
			t.Errorf("%s: why %q, want it to contain %q", tc.name, why, tc.why)
		}
	}
}

func TestMDEClause(t *testing.T) {
	v := func(o result.Outcome, mde, margin *float64) result.Verdict {
		return result.Verdict{Outcome: o, N: 10, MDE: mde, Margin: margin}
	}
	cases := []struct {
		name string
		v    result.Verdict
		want string // a part of the clause; "" for none
	}{
		{"no comparison", v(result.Inconclusive, nil, nil), ""},
		{"MDE below the margin", v(result.Inconclusive, result.Float(0.04), result.Float(0.05)), ""},
		{"MDE exactly the margin", v(result.Inconclusive, result.Float(0.05), result.Float(0.05)), ""},
		{"MDE above the margin, undecided", v(result.Inconclusive, result.Float(0.051), result.Float(0.05)), "more seeds could decide"},
		{"MDE above the margin, decided", v(result.Confirmed, result.Float(0.051), result.Float(0.05)), "cleared the margin all the same"},
		{"MDE above a negative margin's size", v(result.Refuted, result.Float(0.051), result.Float(-0.05)), "above the margin (0.05)"},
		{"MDE below a negative margin's size", v(result.Inconclusive, result.Float(0.049), result.Float(-0.05)), ""},
	}
	for _, tc := range cases {
		got := mdeClause(tc.v)
		if (got == "") != (tc.want == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: clause %q, want one containing %q", tc.name, got, tc.want)
		}
	}
}

func TestCombineRemedies(t *testing.T) {
	C, R, M, I := result.Confirmed, result.Refuted, result.Mixed, result.Inconclusive
	cases := []struct {
		name string
		in   []result.Outcome
		want result.Outcome
	}{
		{"none judged", nil, I},
		{"both train", []result.Outcome{C, C}, C},
		{"neither trains", []result.Outcome{R, R}, R},
		{"one trains, one shown not to", []result.Outcome{R, C}, M},
		{"one trains, one undecided", []result.Outcome{C, I}, I},
		{"one does not, one undecided", []result.Outcome{R, I}, I},
		{"one undecided alone", []result.Outcome{I}, I},
		{"a mixed part is undecided", []result.Outcome{M, C}, I},
	}
	for _, tc := range cases {
		if got := combineRemedies(tc.in); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

// good and bad are remedies at lr 1 that train and that do not.
func good(name string) remedyTest {
	return remedyTest{name: name, lr: 1, arm: armOf(10, 0), vsRef: paired(-0.01, 0.03, 10)}
}
func bad(name string) remedyTest {
	return remedyTest{name: name, lr: 1, arm: armOf(10, 0), vsRef: paired(-0.75, -0.65, 10)}
}
func open(name string) remedyTest {
	return remedyTest{name: name, lr: 1, arm: armOf(10, 0), vsRef: paired(-0.08, 0.0, 10)}
}

func TestRemediesVerdict(t *testing.T) {
	ref := &reference{lr: 0.1, arm: armOf(10, 0)}
	stalled := &reference{lr: 0.1, arm: arm{runs: 10, acc: est(0.1999, 0.3, 0.4)}}
	learnsAtFloor := &reference{lr: 0.1, arm: arm{runs: 10, acc: est(0.2, 0.3, 0.4)}}
	allDiverged, nineOfTen, eightOfTen := armOf(10, 10), armOf(10, 9), armOf(10, 8)
	cases := []struct {
		name     string
		plain    arm
		ref      *reference
		remedies []remedyTest
		want     result.Outcome
		why      string
	}{
		{"no stable rate without remedy", allDiverged, nil, []remedyTest{good("clip 5"), good("bn")}, result.Inconclusive, "no stable reference"},
		{"the plain net does not learn at its best rate (CI just below 0.2)", allDiverged, stalled, []remedyTest{good("clip 5"), good("bn")}, result.Inconclusive, "control failed"},
		{"the plain net learns with its CI exactly at 0.2", allDiverged, learnsAtFloor, []remedyTest{good("clip 5"), good("bn")}, result.Confirmed, ""},
		{"plain diverged in 8 of 10: not shown to diverge", eightOfTen, ref, []remedyTest{good("clip 5"), good("bn")}, result.Inconclusive, "not shown to diverge"},
		{"plain diverged in 9 of 10: shown", nineOfTen, ref, []remedyTest{good("clip 5"), good("bn")}, result.Confirmed, "diverged in 9 of 10"},
		{"clipping and BatchNorm both train", allDiverged, ref, []remedyTest{good("clip 5"), good("bn")}, result.Confirmed, "best stable rate 0.1"},
		{"neither trains", allDiverged, ref, []remedyTest{bad("clip 5"), bad("bn")}, result.Refuted, ""},
		{"BatchNorm trains, clipping does not", allDiverged, ref, []remedyTest{bad("clip 5"), good("bn")}, result.Mixed, "clip 5 at lr 1"},
		{"BatchNorm trains, clipping undecided", allDiverged, ref, []remedyTest{open("clip 5"), good("bn")}, result.Inconclusive, "straddles"},
		{"BatchNorm not run, clipping trains", allDiverged, ref, []remedyTest{good("clip 5"), {name: "bn", lr: 1}}, result.Inconclusive, "bn at lr 1 was not run"},
	}
	for _, tc := range cases {
		e := remediesEvidence{lr: 1, clip: 5, setting: "a net", plain: tc.plain, divStep: est(5, 6, 7), ref: tc.ref, remedies: tc.remedies}
		v := remediesVerdict(e)
		if v.Outcome != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, v.Outcome, tc.want, v.Why)
		}
		if !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: why %q, want it to contain %q", tc.name, v.Why, tc.why)
		}
		if v.Role != result.Main || v.Caveat == "" || v.Margin == nil || *v.Margin != -trainsMargin || v.Effect == nil {
			t.Errorf("%s: role %q, caveat %q, margin %v, effect %v", tc.name, v.Role, v.Caveat, v.Margin, v.Effect)
		}
	}
	// The effect is the comparison that speaks least for the claim.
	v := remediesVerdict(remediesEvidence{lr: 1, clip: 5, plain: allDiverged, ref: ref, remedies: []remedyTest{good("bn"), bad("clip 5")}})
	if !strings.Contains(v.Effect.Name, "clip 5") || v.N != 10 || v.MDE == nil {
		t.Errorf("effect %q, n %d, MDE %v: want clipping's, 10 pairs, an MDE", v.Effect.Name, v.N, v.MDE)
	}
}

// The sweep and the rates only add clauses to Why; they decide nothing.
func TestClipClauses(t *testing.T) {
	at := func(r remedyTest, lr float64) remedyTest { r.lr = lr; return r }
	sweep := []remedyTest{good("clip 0.5"), good("clip 1"), open("clip 2"), bad("clip 5")}
	if got, want := clipSweepClause(sweep), ". Clipping thresholds at lr 1: trains 0.5, 1; does not 5; undecided at 2"; got != want {
		t.Errorf("sweep clause %q, want %q", got, want)
	}
	if got := clipSweepClause(sweep[:1]); got != "" {
		t.Errorf("a single threshold gave the clause %q", got)
	}
	byLR := []remedyTest{at(good("clip 5"), 0.1), at(bad("clip 5"), 0.3), at(bad("clip 5"), 1)}
	if got, want := clipByLRClause(5, byLR), ". Clipping at 5 by learning rate: enough at 0.1; not enough at 0.3, 1"; got != want {
		t.Errorf("rate clause %q, want %q", got, want)
	}
	if got := clipByLRClause(5, byLR[:1]); got != "" {
		t.Errorf("a single rate gave the clause %q", got)
	}
}

func TestBatchNormVerdict(t *testing.T) {
	m := bnGainMargin
	plainRef := &reference{lr: 0.1, arm: armOf(10, 0)}
	bnRef := &reference{lr: 0.3, arm: armOf(10, 0)}
	stalled := &reference{lr: 0.1, arm: arm{runs: 10, acc: est(0.15, 0.2, 0.25)}}
	rc := func(lr float64, plain, bn arm, lo, hi float64) rateComparison {
		return rateComparison{lr: lr, plain: plain, bn: bn, diff: paired(lo, hi, 10)}
	}
	fine := []rateComparison{rc(0.1, armOf(10, 0), armOf(10, 0), 0.01, 0.05), rc(1, armOf(10, 10), armOf(10, 0), math.NaN(), math.NaN())}
	cases := []struct {
		name        string
		ran         bool
		plain, bn   *reference
		best        metrics.Paired
		rates       []rateComparison
		want        result.Outcome
		why         string
		wantCompare bool
	}{
		{"BatchNorm not run", false, plainRef, nil, metrics.OneSample(nil), nil, result.Inconclusive, "not run", false},
		{"no stable rate without remedy", true, nil, bnRef, metrics.OneSample(nil), nil, result.Inconclusive, "no stable rate", true},
		{"the plain net does not learn", true, stalled, bnRef, paired(0.3, 0.5, 10), nil, result.Inconclusive, "control failed", true},
		{"no stable rate with BatchNorm", true, plainRef, nil, metrics.OneSample(nil), nil, result.Inconclusive, "With BatchNorm some run diverged", true},
		{"gain's lower end just above the margin", true, plainRef, bnRef, paired(m+0.001, 0.08, 10), fine, result.Confirmed, "plain diverged in 10 of 10", true},
		{"gain's lower end exactly at the margin", true, plainRef, bnRef, paired(m, 0.08, 10), fine, result.Inconclusive, "", true},
		{"gain's upper end just below the margin", true, plainRef, bnRef, paired(-0.01, m-0.001, 10), fine, result.Refuted, "", true},
		{"gain's upper end exactly at the margin", true, plainRef, bnRef, paired(-0.01, m, 10), fine, result.Inconclusive, "", true},
		{"BatchNorm better at its best, worse by more than the margin at one rate", true, plainRef, bnRef, paired(0.03, 0.08, 10),
			[]rateComparison{rc(0.1, armOf(10, 0), armOf(10, 0), -0.2, -m-0.001)}, result.Mixed, "worse by more than 0.02 at lr 0.1", true},
		{"worse at one rate but only down to the margin", true, plainRef, bnRef, paired(0.03, 0.08, 10),
			[]rateComparison{rc(0.1, armOf(10, 0), armOf(10, 0), -0.2, -m)}, result.Confirmed, "", true},
		{"worse where BatchNorm mostly diverged is not counted", true, plainRef, bnRef, paired(0.03, 0.08, 10),
			[]rateComparison{rc(3, armOf(10, 0), armOf(10, 6), -0.5, -0.3)}, result.Confirmed, "BatchNorm diverged in 6 of 10", true},
	}
	for _, tc := range cases {
		v := batchNormVerdict(batchNormEvidence{ran: tc.ran, setting: "a net", plainBest: tc.plain, bnBest: tc.bn, best: tc.best, rates: tc.rates})
		if v.Outcome != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, v.Outcome, tc.want, v.Why)
		}
		if !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: why %q, want it to contain %q", tc.name, v.Why, tc.why)
		}
		if v.Role != result.Supporting || v.Caveat == "" {
			t.Errorf("%s: role %q, caveat %q", tc.name, v.Role, v.Caveat)
		}
		if compared := v.Margin != nil && v.Effect != nil; compared != (tc.wantCompare || tc.want == result.Confirmed) {
			t.Errorf("%s: compared %v (margin %v)", tc.name, compared, v.Margin)
		}
	}
}
