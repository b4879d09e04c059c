package exploding

import (
	"math"
	"slices"
	"strconv"
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
		{"ReLU explodes at every gain, tanh stays below", 50, []growth{above(3), above(4)}, []growth{below(3), below(4)}, result.Confirmed, "the half on tanh holds: tanh's grows by"},
		// A factor whose whole interval is below 1 is a shrink.
		{"a bounded activation that shrinks is said to", 50, []growth{above(3), above(4)}, []growth{rate(3, -0.43), rate(4, -0.39)}, result.Confirmed, "tanh's shrinks, changing by x0.37"},
		{"ReLU's lower end exactly at the threshold is no explosion", 50, []growth{rate(4, thr)}, []growth{below(4)}, result.Inconclusive, "straddles"},
		{"tanh's upper end exactly at the threshold does not show it stays below", 50, []growth{above(4)}, []growth{{gain: 4, rate: est(thr-0.01, thr-0.005, thr), mf: 0.06}}, result.Inconclusive, "is not shown"},
		{"ReLU explodes, tanh too: the tanh half fails", 50, []growth{above(3), above(4)}, []growth{below(3), above(4)}, result.Mixed, "ReLU's half holds: at depth 50"},
		{"the failed half is named with its numbers", 50, []growth{above(3), above(4)}, []growth{below(3), above(4)}, result.Mixed, "the half on tanh fails: tanh's grows by x1.067 [1.055, 1.080] at g=3 (mean field x1.225) and x1.093 [1.080, 1.105] at g=4 (mean field x1.414), above the threshold x1.080 as well"},
		{"ReLU explodes, no bounded activation measured", 50, []growth{above(4)}, nil, result.Inconclusive, "not tested"},
		{"ReLU stays below at every judged gain", 50, []growth{below(3), below(4)}, []growth{below(3), below(4)}, result.Refuted, ""},
		{"ReLU stays below though tanh explodes", 50, []growth{below(4)}, []growth{above(4)}, result.Refuted, ""},
		{"ReLU explodes at 4 but not at 3", 50, []growth{below(3), above(4)}, []growth{below(3), below(4)}, result.Mixed, "ReLU's half holds at some gains only"},
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
		if judged := v.Effect != nil; judged != (v.Margin != nil) || (judged && (*v.Margin != thr || v.MarginReason == "")) {
			t.Errorf("%s: effect %v with margin %v (%q), want both or neither, margin %v with its reason", tc.name, v.Effect, v.Margin, v.MarginReason, thr)
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

// Where ReLU's weight gradient hides its explosion, the Why says what
// tanh's weight gradient does, when tanh was measured and it grows.
func TestWeightGradientClauseTanh(t *testing.T) {
	e := initCase(50, []growth{above(4)}, []growth{below(4)})
	e.reluTop = initStats{z: est(2, 2.1, 2.2), w: est(-0.9, -0.79, -0.69), example: est(-0.1, 0, 0.1)}
	if v := initVerdict(e); strings.Contains(v.Why, "tanh's weight gradient") {
		t.Errorf("tanh not measured, yet: %s", v.Why)
	}
	e.tanhTop = &initStats{w: est(3.29, 3.31, 3.34)}
	if v := initVerdict(e); !strings.Contains(v.Why, "tanh's weight gradient grows by 10^3.31 [3.29, 3.34] from the last hidden layer to the first (ReLU's: 10^-0.79)") {
		t.Errorf("why lacks tanh's weight gradient: %s", v.Why)
	}
}

// armOf is n runs of which k diverged.
func armOf(n, k int) arm { return arm{runs: n, diverged: k, acc: est(0.8, 0.85, 0.9)} }

// grid is a learning-rate grid with 0.1 inside it; edgeGrid has 0.1 at its
// lower edge.
var grid, edgeGrid = []float64{0.03, 0.1, 0.3, 1}, []float64{0.1, 0.3, 1}

func TestTrains(t *testing.T) {
	m := trainsMargin
	inside := &reference{lr: 0.1, arm: armOf(10, 0), grid: grid}
	atEdge := &reference{lr: 0.1, arm: armOf(10, 0), grid: edgeGrid}
	cases := []struct {
		name string
		arm  arm
		diff metrics.Paired
		ref  *reference
		want result.Outcome
		why  string
	}{
		{"trains, reference inside its grid", armOf(10, 0), paired(-m+0.001, 0.03, 10), inside, result.Confirmed, "it trains"},
		{"trains, but the reference is at the edge of its grid", armOf(10, 0), paired(-m+0.001, 0.03, 10), atEdge, result.Inconclusive, "best stable rate 0.1 is the lowest of its grid (0.1, 0.3, 1)"},
		{"does not train, reference at the edge: it stands", armOf(10, 0), paired(-0.3, -m-0.001, 10), atEdge, result.Refuted, "does not train as well"},
		{"straddles, reference at the edge", armOf(10, 0), paired(-m, 0.03, 10), atEdge, result.Inconclusive, "straddles"},
		{"not run", arm{}, metrics.OneSample(nil), inside, result.Inconclusive, "not run"},
		{"interval above -margin, none diverged", armOf(10, 0), paired(-m+0.001, 0.03, 10), inside, result.Confirmed, "it trains"},
		{"lower end exactly at -margin", armOf(10, 0), paired(-m, 0.03, 10), inside, result.Inconclusive, "straddles"},
		{"upper end just below -margin", armOf(10, 0), paired(-0.3, -m-0.001, 10), inside, result.Refuted, "does not train as well"},
		{"below the margin and near chance: it does not train", arm{runs: 10, acc: est(0.12, 0.14, 0.16)}, paired(-0.75, -0.7, 10), inside, result.Refuted, "it does not train (its runs that did not diverge end at test accuracy 0.140, below 0.2)"},
		{"upper end exactly at -margin", armOf(10, 0), paired(-0.3, -m, 10), inside, result.Inconclusive, ""},
		{"one of ten diverged: Wilson upper 0.40, still shown stable", armOf(10, 1), paired(-0.02, 0.02, 9), inside, result.Confirmed, ""},
		{"two of ten diverged: Wilson upper 0.51, stability not shown", armOf(10, 2), paired(-0.02, 0.02, 8), inside, result.Inconclusive, "too many diverged"},
		{"five of ten diverged, survivors worse: not mostly diverged", armOf(10, 5), paired(-0.5, -0.3, 5), inside, result.Refuted, ""},
		{"six of ten diverged: mostly, not shown", armOf(10, 6), paired(-0.02, 0.02, 4), inside, result.Inconclusive, "most runs diverged"},
		// The survivors are a favourable selection: far below the margin
		// even so, the remedy does not train.
		{"six of ten diverged, survivors far below the margin", armOf(10, 6), paired(-0.7, -0.6, 4), inside, result.Refuted, "even those that did not fall short"},
		{"six of ten diverged, survivors straddle the margin", armOf(10, 6), paired(-0.08, 0.0, 4), inside, result.Inconclusive, "too few to tell"},
		{"eight of ten diverged: Wilson lower 0.49, not shown; the two left far below", armOf(10, 8), paired(-0.5, -0.3, 2), inside, result.Refuted, "most runs diverged, and even those"},
		{"eight of ten diverged: Wilson lower 0.49, not shown; the two left within reach", armOf(10, 8), paired(-0.1, 0.02, 2), inside, result.Inconclusive, "most runs diverged, too few to tell"},
		{"nine of ten diverged: Wilson lower 0.60, shown", armOf(10, 9), metrics.OneSample([]float64{0}), inside, result.Refuted, "does not stop the divergence"},
		{"no divergence, no pairs (no reference)", armOf(10, 0), metrics.OneSample(nil), inside, result.Inconclusive, "no pairs"},
	}
	for _, tc := range cases {
		got, why := trains(remedyTest{name: "clip 5", lr: 1, clip: 5, arm: tc.arm, vsRef: tc.diff, ref: tc.ref})
		if got != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, got, tc.want, why)
		}
		if !strings.Contains(why, tc.why) {
			t.Errorf("%s: why %q, want it to contain %q", tc.name, why, tc.why)
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

// good, bad and open are remedies at lr 1 that train, that do not, and
// undecided, against a reference inside its grid; a name "clip T" sets the
// threshold T.
func good(name string) remedyTest { return remedyAt(name, paired(-0.01, 0.03, 10)) }
func bad(name string) remedyTest  { return remedyAt(name, paired(-0.75, -0.65, 10)) }
func open(name string) remedyTest { return remedyAt(name, paired(-0.08, 0.0, 10)) }

func remedyAt(name string, d metrics.Paired) remedyTest {
	var clip float64
	if th, ok := strings.CutPrefix(name, "clip "); ok {
		clip, _ = strconv.ParseFloat(th, 64)
	}
	ref := &reference{lr: 0.1, arm: armOf(10, 0), grid: grid}
	return remedyTest{name: name, lr: 1, clip: clip, arm: armOf(10, 0), vsRef: d, ref: ref}
}

func TestRemediesVerdict(t *testing.T) {
	ref := &reference{lr: 0.1, arm: armOf(10, 0), grid: grid}
	stalled := &reference{lr: 0.1, arm: arm{runs: 10, acc: est(0.1999, 0.3, 0.4)}, grid: grid}
	learnsAtFloor := &reference{lr: 0.1, arm: arm{runs: 10, acc: est(0.2, 0.3, 0.4)}, grid: grid}
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
		if v.Role != result.Main || v.Caveat == "" || v.Margin == nil || *v.Margin != -trainsMargin || v.MarginReason == "" || v.Effect == nil {
			t.Errorf("%s: role %q, caveat %q, margin %v (%q), effect %v", tc.name, v.Role, v.Caveat, v.Margin, v.MarginReason, v.Effect)
		}
	}
	// The effect is the comparison that speaks least for the claim.
	v := remediesVerdict(remediesEvidence{lr: 1, clip: 5, plain: allDiverged, ref: ref, remedies: []remedyTest{good("bn"), bad("clip 5")}})
	if !strings.Contains(v.Effect.Name, "clip 5") || v.N != 10 || v.MDE == nil {
		t.Errorf("effect %q, n %d, MDE %v: want clipping's, 10 pairs, an MDE", v.Effect.Name, v.N, v.MDE)
	}
	if !strings.HasPrefix(v.Effect.Of, "clip 5 at lr ") {
		t.Errorf("effect's part %q, want clipping's named", v.Effect.Of)
	}
	// Runs lost to divergence are named beside the effect, whose n counts
	// only the pairs left.
	lossy := bad("clip 5")
	lossy.arm = arm{diverged: 3, runs: 20}
	if v := remediesVerdict(remediesEvidence{lr: 1, clip: 5, plain: allDiverged, ref: ref, remedies: []remedyTest{good("bn"), lossy}}); !strings.HasSuffix(v.Effect.Of, "(3 of 20 runs diverged)") {
		t.Errorf("effect's part %q does not count the diverged runs", v.Effect.Of)
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
	if got, want := clipByLRClause(5, byLR, nil), ". Clipping at 5 by learning rate: enough at 0.1; not enough at 0.3, 1"; got != want {
		t.Errorf("rate clause %q, want %q", got, want)
	}
	// Where the plain net never diverged, "enough" rescues nothing, and
	// the clause says so; a rate with one diverged plain run is not named.
	plain := []arm{{runs: 10}, {runs: 10, diverged: 1}, {runs: 10, diverged: 10}}
	if got, want := clipByLRClause(5, byLR, plain), ". Clipping at 5 by learning rate: enough at 0.1; not enough at 0.3, 1 (at 0.1 the plain net did not diverge in any run, so there clipping had nothing to remedy)"; got != want {
		t.Errorf("rate clause with the plain net %q, want %q", got, want)
	}
	// Where clipping is not enough by the reference but the plain net at
	// the same rate kept some runs, the clause sets the two side by side.
	withAcc := slices.Clone(plain)
	withAcc[1].acc = est(0.5, 0.57, 0.64)
	clipped := slices.Clone(byLR)
	clipped[1].arm = arm{runs: 10, acc: est(0.66, 0.72, 0.78)}
	if got, want := clipByLRClause(5, clipped, withAcc), "; against the plain net at the same rate rather than at its best (means over the runs that did not diverge): at 0.3 test accuracy 0.720 with clipping (0 of 10 runs diverged) against 0.570 without (1 of 10)"; !strings.HasSuffix(got, want) {
		t.Errorf("rate clause with the plain net's accuracy %q, want it to end %q", got, want)
	}
	if got := clipByLRClause(5, byLR[:1], plain[:1]); got != "" {
		t.Errorf("a single rate gave the clause %q", got)
	}
}

func TestBatchNormVerdict(t *testing.T) {
	m := bnGainMargin
	plainRef := &reference{lr: 0.1, arm: armOf(10, 0), grid: grid}
	bnRef := &reference{lr: 0.3, arm: armOf(10, 0), grid: grid}
	plainEdge := &reference{lr: 0.1, arm: armOf(10, 0), grid: edgeGrid}
	bnEdge := &reference{lr: 1, arm: armOf(10, 0), grid: edgeGrid}
	stalled := &reference{lr: 0.1, arm: arm{runs: 10, acc: est(0.15, 0.2, 0.25)}, grid: grid}
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
		{"gain's lower end exactly at the margin", true, plainRef, bnRef, paired(m, 0.08, 10), fine, result.Inconclusive, "the interval of the gain straddles the 0.02 margin", true},
		{"gain's upper end just below the margin", true, plainRef, bnRef, paired(-0.01, m-0.001, 10), fine, result.Refuted, "", true},
		{"gain's upper end exactly at the margin", true, plainRef, bnRef, paired(-0.01, m, 10), fine, result.Inconclusive, "", true},
		{"BatchNorm better at its best, worse by more than the margin at one rate", true, plainRef, bnRef, paired(0.03, 0.08, 10),
			[]rateComparison{rc(0.1, armOf(10, 0), armOf(10, 0), -0.2, -m-0.001)}, result.Mixed, "worse by more than 0.02 at lr 0.1", true},
		// At a rate where the plain net itself is more than trainsMargin
		// below its best (0.85 here), BatchNorm being worse is named and
		// does not count.
		{"worse only where the plain net is far below its best", true, plainRef, bnRef, paired(0.03, 0.08, 10),
			[]rateComparison{rc(0.01, arm{runs: 10, acc: est(0.7, 0.75, 0.8)}, arm{runs: 10, acc: est(0.68, 0.72, 0.76)}, -0.05, -m-0.001)}, result.Confirmed, "a rate where the plain net itself is more than 0.05 below its best on test accuracy, so it does not count", true},
		{"worse where the plain net is just within the window: it counts", true, plainRef, bnRef, paired(0.03, 0.08, 10),
			[]rateComparison{rc(0.03, arm{runs: 10, acc: est(0.75, 0.8, 0.85)}, arm{runs: 10, acc: est(0.73, 0.77, 0.81)}, -0.05, -m-0.001)}, result.Mixed, "where the plain net trains within 0.05 of its best", true},
		// With the best rate chosen on validation, the window is read on
		// validation too: 0.90 against 0.93 counts, though on test the
		// plain net is 0.06 below its best.
		{"the window is read on validation when the rate was chosen there", true,
			&reference{lr: 0.1, arm: arm{runs: 10, acc: est(0.88, 0.89, 0.9), val: est(0.92, 0.93, 0.94)}, grid: grid}, bnRef, paired(0.03, 0.08, 10),
			[]rateComparison{rc(0.01, arm{runs: 10, acc: est(0.82, 0.83, 0.84), val: est(0.89, 0.9, 0.91)}, arm{runs: 10, acc: est(0.78, 0.79, 0.8)}, -0.05, -m-0.001)}, result.Mixed, "where the plain net trains within 0.05 of its best", true},
		{"worse at one rate but only down to the margin", true, plainRef, bnRef, paired(0.03, 0.08, 10),
			[]rateComparison{rc(0.1, armOf(10, 0), armOf(10, 0), -0.2, -m)}, result.Confirmed, "", true},
		{"worse where BatchNorm mostly diverged is not counted", true, plainRef, bnRef, paired(0.03, 0.08, 10),
			[]rateComparison{rc(3, armOf(10, 0), armOf(10, 6), -0.5, -0.3)}, result.Confirmed, "BatchNorm diverged in 6 of 10", true},
		{"gain shown, but the plain net's best is at the edge of its grid", true, plainEdge, bnRef, paired(m+0.001, 0.08, 10), fine, result.Inconclusive, "the plain net's best stable rate 0.1 is the lowest of its grid (0.1, 0.3, 1)", true},
		{"mixed, plain net at the edge", true, plainEdge, bnRef, paired(0.03, 0.08, 10),
			[]rateComparison{rc(0.1, armOf(10, 0), armOf(10, 0), -0.2, -m-0.001)}, result.Inconclusive, "might do better and shrink the gain", true},
		{"no gain, plain net at the edge: it stands", true, plainEdge, bnRef, paired(-0.01, m-0.001, 10), fine, result.Refuted, "", true},
		{"no gain, but BatchNorm's best is at the edge of its grid", true, plainRef, bnEdge, paired(-0.01, m-0.001, 10), fine, result.Inconclusive, "BatchNorm's best stable rate 1 is the highest of its grid", true},
		{"gain shown, BatchNorm at the edge: it stands", true, plainRef, bnEdge, paired(m+0.001, 0.08, 10), fine, result.Confirmed, "", true},
	}
	for _, tc := range cases {
		v := batchNormVerdict(batchNormEvidence{ran: tc.ran, setting: "a net", plainBest: tc.plain, bnBest: tc.bn, best: tc.best, rates: tc.rates})
		if v.Outcome != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, v.Outcome, tc.want, v.Why)
		}
		if !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: why %q, want it to contain %q", tc.name, v.Why, tc.why)
		}
		if strings.Contains(v.Why, "does not count against the claim") && !strings.Contains(v.Caveat, "not at every rate") {
			t.Errorf("%s: a rate where BatchNorm is worse is left out of the verdict but not named in the caveat: %q", tc.name, v.Caveat)
		}
		if v.Role != result.Part || v.Caveat == "" {
			t.Errorf("%s: role %q, caveat %q", tc.name, v.Role, v.Caveat)
		}
		if compared := v.Margin != nil && v.Effect != nil; compared != (tc.wantCompare || tc.want == result.Confirmed) || (compared && v.MarginReason == "") {
			t.Errorf("%s: compared %v (margin %v, reason %q)", tc.name, compared, v.Margin, v.MarginReason)
		}
	}
}

// The failure clause says how a remedy's surviving runs failed; it words
// "stalled with dead units rather than blew up" only when they have more
// dead units than the reference (CIs apart) and a mean gradient norm whose
// whole CI lies below the threshold.
func TestFailureClause(t *testing.T) {
	ref := &reference{lr: 0.1, arm: arm{runs: 10, acc: est(0.83, 0.845, 0.86), dead: est(0.005, 0.01, 0.015)}, grid: grid}
	failed := func(clip float64, dead, logNorm metrics.Estimate) remedyTest {
		return remedyTest{name: "clip 5", lr: 1, clip: clip, arm: arm{runs: 10, diverged: 2, acc: est(0.10, 0.137, 0.17), dead: dead, meanNorm: logNorm}, ref: ref}
	}
	logNorm := func(lo, hi float64) metrics.Estimate {
		return est(math.Log10(lo), (math.Log10(lo)+math.Log10(hi))/2, math.Log10(hi))
	}
	many := est(0.38, 0.44, 0.50)
	cases := []struct {
		name      string
		t         remedyTest
		want, not string
	}{
		{"dead and calm: stalled", failed(5, many, logNorm(1.3, 1.8)), "with a share 0.44 [0.38, 0.50] of hidden units dead (output 0 on every test example; the plain net at lr 0.1: 0.01 [0.01, 0.01]) and a mean gradient norm before clipping of 1.5 [1.3, 1.8] (geometric mean over runs), below the threshold 5: they stalled with dead units rather than blew up", ""},
		{"norm's upper end exactly at the threshold: not below", failed(1.8, many, logNorm(1.3, 1.8)), "against the threshold 1.8", "stalled"},
		{"dead units overlap the reference's", failed(5, est(0.012, 0.03, 0.05), logNorm(1.3, 1.8)), "below the threshold 5", "stalled"},
		{"BatchNorm: no threshold, no norm", failed(0, many, logNorm(1.3, 1.8)), "hidden units dead", "gradient norm"},
	}
	for _, tc := range cases {
		got := failureClause(tc.t)
		if !strings.Contains(got, tc.want) || (tc.not != "" && strings.Contains(got, tc.not)) {
			t.Errorf("%s: clause %q, want %q and not %q", tc.name, got, tc.want, tc.not)
		}
	}
	one := failed(5, metrics.Estimate{Mean: 0.4, Lo: 0.4, Hi: 0.4, N: 1}, logNorm(1.3, 1.8))
	if got := failureClause(one); got != "" {
		t.Errorf("one surviving run gave the clause %q", got)
	}
}

// The caveat says the verdict is about the blog's threshold and names the
// thresholds of the sweep that do train, or says none does.
func TestSweepCaveat(t *testing.T) {
	cases := []struct {
		name  string
		sweep []remedyTest
		want  string
	}{
		{"no sweep", []remedyTest{bad("clip 5")}, "clipping is judged at the blog's threshold 5 only (no other threshold was swept)"},
		{"a lower threshold trains", []remedyTest{good("clip 0.5"), open("clip 1"), bad("clip 2"), bad("clip 5")},
			"clipping is judged at the blog's threshold 5 only: at lr 1 clipping at 0.5 does let the net train; undecided at 1; the verdict on clipping is about 5, not about clipping at any threshold"},
		{"none trains", []remedyTest{bad("clip 0.5"), bad("clip 5"), bad("clip 10")}, "none of the other thresholds swept at lr 1 (0.5, 10) lets the net train either"},
		{"none shown, one undecided", []remedyTest{open("clip 0.5"), bad("clip 5")}, "no other threshold swept at lr 1 is shown to let the net train; undecided at 0.5"},
	}
	for _, tc := range cases {
		if got := sweepCaveat(5, tc.sweep); !strings.Contains(got, tc.want) {
			t.Errorf("%s: caveat %q, want it to contain %q", tc.name, got, tc.want)
		}
	}
}

// In the remedies verdict: a reference at the edge of its grid leaves
// "trains" unshown (MIXED becomes INCONCLUSIVE), a remedy that does not
// train is described by its failure, and the caveat carries the sweep.
func TestRemediesVerdictEdgeAndFailure(t *testing.T) {
	edge := &reference{lr: 0.1, arm: arm{runs: 10, acc: est(0.83, 0.845, 0.86), dead: est(0.005, 0.01, 0.015)}, grid: edgeGrid}
	clip, bn := bad("clip 5"), good("bn")
	clip.arm.dead, clip.arm.meanNorm = est(0.38, 0.44, 0.5), est(0.1, 0.2, 0.25)
	e := remediesEvidence{lr: 1, clip: 5, setting: "a net", plain: armOf(10, 10), divStep: est(3, 3, 3), ref: edge,
		remedies: []remedyTest{clip, bn}, sweep: []remedyTest{good("clip 0.5"), clip}}
	for i := range e.remedies {
		e.remedies[i].ref = edge
	}
	v := remediesVerdict(e)
	if v.Outcome != result.Inconclusive || !strings.Contains(v.Why, "bn at lr 1") || !strings.Contains(v.Why, "lowest of its grid") {
		t.Errorf("reference at the edge: %s, %s", v.Outcome, v.Why)
	}
	if !strings.Contains(v.Why, "stalled with dead units rather than blew up") {
		t.Errorf("no failure clause for clipping: %s", v.Why)
	}
	// The effect is the undecided remedy's (BatchNorm at the edge), not
	// clipping's, which is decided.
	if v.Effect == nil || !strings.Contains(v.Effect.Name, "bn at lr 1") {
		t.Errorf("INCONCLUSIVE with bn undecided: effect %+v, want bn's", v.Effect)
	}
	if !strings.Contains(v.Caveat, "clipping at 0.5 does let the net train") {
		t.Errorf("caveat %q names no threshold that trains", v.Caveat)
	}
	// The same with the reference inside its grid: MIXED.
	e.ref = &reference{lr: 0.1, arm: edge.arm, grid: grid}
	for i := range e.remedies {
		e.remedies[i].ref = e.ref
	}
	if v := remediesVerdict(e); v.Outcome != result.Mixed || v.Effect == nil || !strings.Contains(v.Effect.Name, "clip 5 at lr 1") {
		t.Errorf("reference inside its grid: %s, want MIXED with clipping's effect (%s; %+v)", v.Outcome, v.Why, v.Effect)
	}
}

// controlCase is the evidence of n paired seeds on the grid 0.03 to 1:
// at lr 1 ReLU diverged in its first k seeds and the control in its first
// m, at the lower rates neither; the control's best stable rate 0.3 with
// mean test accuracy acc (no best rate if acc < 0).
func controlCase(n, k, m int, acc float64) controlEvidence {
	e := controlEvidence{variant: "tanh", init: "xavier-normal", reluName: "relu/he-normal", setting: "a net"}
	if acc >= 0 {
		e.best = &reference{lr: 0.3, arm: arm{runs: n, acc: metrics.Estimate{Mean: acc, Lo: acc - 0.01, Hi: acc + 0.01, N: n}}, grid: grid}
	}
	for _, lr := range grid {
		e.rates = append(e.rates, controlRateOf(lr, n, 0, 0))
	}
	e.rates[len(grid)-1] = controlRateOf(1, n, k, m)
	return e
}

// controlRateOf is both nets at lr over n paired seeds, ReLU diverged in
// its first k and the control in its first m.
func controlRateOf(lr float64, n, k, m int) controlRate {
	div := func(k int) []bool {
		d := make([]bool, n)
		for s := range k {
			d[s] = true
		}
		return d
	}
	return controlRate{lr: lr, relu: armOf(n, k), control: armOf(n, m), table: pairDivergence(div(k), div(m)),
		reluMaxNorms: []float64{3, math.Inf(1)}, controlMaxNorms: []float64{2, 4}}
}

// withRate replaces the rate lr of e's grid.
func withRate(e controlEvidence, r controlRate) controlEvidence {
	e.rates = slices.Clone(e.rates)
	for i := range e.rates {
		if e.rates[i].lr == r.lr {
			e.rates[i] = r
		}
	}
	return e
}

// Every outcome of the control rule, with the margin 0.25 and the
// control's accuracy floor 0.5 at their edges, and the onset of
// divergence below the top of the grid.
func TestControlVerdict(t *testing.T) {
	C, R, I := result.Confirmed, result.Refuted, result.Inconclusive
	notRun := controlCase(20, 20, 0, 0.9)
	for i := range notRun.rates {
		notRun.rates[i].control = arm{}
	}
	// Both at the ceiling at lr 1; at 0.3 tanh 20 of 20, ReLU 1 of 20:
	// the committed shape.
	tanhFirst := withRate(controlCase(20, 20, 20, 0.85), controlRateOf(0.3, 20, 1, 20))
	// Both at the ceiling at lr 1; at 0.3 ReLU 20 of 20, tanh 0: at the
	// ceiling alone this would read REFUTED.
	reluFirst := withRate(controlCase(20, 20, 20, 0.85), controlRateOf(0.3, 20, 20, 0))
	// The higher cap: the same nets rerun, tanh's runs at 0.3 now
	// surviving (it came back from the usual cap) or still diverging.
	highCap := func(e controlEvidence, r controlRate) controlEvidence {
		e.capFactor = 10
		e.highCap = withRate(controlEvidence{rates: e.rates}, r).rates
		return e
	}
	tanhComesBack := highCap(tanhFirst, controlRateOf(0.3, 20, 1, 0))
	tanhComesBack.highCap[len(tanhComesBack.highCap)-1] = controlRateOf(1, 20, 20, 0)
	capAgrees := highCap(tanhFirst, controlRateOf(0.3, 20, 1, 19))
	// At the higher cap no net is shown to diverge anywhere.
	noneAtHighCap := highCap(tanhFirst, controlRateOf(0.3, 20, 1, 0))
	noneAtHighCap.highCap[len(noneAtHighCap.highCap)-1] = controlRateOf(1, 20, 1, 1)
	// Failures agree at both caps (tanh first); counting explosions alone,
	// only ReLU's loss runs away (at lr 1), or tanh's too: shown either
	// way, and the REFUTED stands.
	onlyReluExplodes := highCap(tanhFirst, controlRateOf(0.3, 20, 1, 20))
	onlyReluExplodes.exploded = withRate(controlEvidence{rates: withRate(controlEvidence{rates: tanhFirst.rates}, controlRateOf(0.3, 20, 1, 0)).rates}, controlRateOf(1, 20, 20, 0)).rates
	bothExplode := highCap(tanhFirst, controlRateOf(0.3, 20, 1, 20))
	bothExplode.exploded = bothExplode.highCap
	cases := []struct {
		name string
		e    controlEvidence
		want result.Outcome
		why  string
	}{
		{"no control variant", controlEvidence{}, I, "No control net"},
		{"the higher cap agrees", capAgrees, R, "the onset is lr 0.3, where ReLU failed in 1 of 20 runs (0 stalled) and tanh in 19 of 20 runs"},
		{"the higher cap names the survivors' accuracy", capAgrees, R, "the runs whose loss stayed under the cap there ended at test accuracy ReLU"},
		{"tanh comes back under the higher cap", tanhComesBack, I, "the two readings of failure disagree (REFUTED at the usual cap, CONFIRMED at the higher)"},
		{"nothing diverges under the higher cap", noneAtHighCap, I, "rests on where the cap is"},
		// Counting runaway losses alone is shown and decides nothing: a
		// bounded net's loss hardly reaches the higher cap, so the reading
		// leans toward the claim by design.
		{"failures agree, only ReLU explodes: shown, not judged", onlyReluExplodes, R, "decides nothing): counting only the runs whose loss ran away (crossed the higher cap or was not finite), the onset is lr 1, where ReLU exploded in 20 of 20 runs and tanh in 0 of 20"},
		{"failures agree, both explode", bothExplode, R, "where ReLU exploded in 1 of 20 runs and tanh in 20 of 20, ReLU minus tanh -0.95 [-0.99, -0.70]: the loss of tanh runs away as early, or earlier"},
		{"control not run at any rate", notRun, I, "not both run"},
		// ReLU 20/20, tanh 0/20: +1.00 [+0.77, +1.00].
		{"ReLU always, tanh never diverges", controlCase(20, 20, 0, 0.9), C, "above the 0.25 margin"},
		// With 5 seeds the interval is +1.00 [+0.39, +1.00], still above.
		{"five seeds suffice for the extreme", controlCase(5, 5, 0, 0.9), C, "both 0, ReLU only 5"},
		{"control accuracy exactly at the floor", controlCase(20, 20, 0, 0.5), C, "its most accurate stable rate, 0.3, reached test accuracy 0.500"},
		{"control does not train (mean 0.49)", controlCase(20, 20, 0, 0.49), I, "control failed"},
		{"control diverges at every rate", controlCase(20, 20, 0, -1), I, "no stable rate"},
		// 12 of 20: Wilson [0.39, 0.78], not above a half, and tanh never.
		{"neither net shown to diverge", controlCase(20, 12, 0, 0.9), I, "does not pose the question"},
		// Both 20/20: +0.00 [-0.16, +0.16], wholly below 0.25.
		{"tanh diverges as often", controlCase(20, 20, 20, 0.9), R, "not specific to ReLU's unbounded output"},
		// ReLU 15/20 (Wilson lower end 0.53), tanh 20/20: -0.25.
		{"tanh diverges more often", controlCase(20, 15, 20, 0.9), R, "or earlier"},
		// ReLU 20/20, tanh 14/20: +0.30 [+0.08, +0.52].
		{"the interval straddles the margin", controlCase(20, 20, 14, 0.9), I, "straddles"},
		{"tanh blows up at a lower rate", tanhFirst, R, "At learning rate 0.3, the onset"},
		{"ReLU blows up at a lower rate", reluFirst, C, "At learning rate 0.3, the onset"},
	}
	if v := controlVerdict(bothExplode); strings.Contains(v.Why, "only the ReLU net's loss runs away") {
		t.Errorf("both nets' losses ran away, yet why says only ReLU's did: %s", v.Why)
	}
	for _, tc := range cases {
		v := controlVerdict(tc.e)
		if v.Outcome != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, v.Outcome, tc.want, v.Why)
		}
		if !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: why %q, want it to contain %q", tc.name, v.Why, tc.why)
		}
		if v.Role != result.Supporting || v.Claim != "C7" || v.Rule == "" || v.Caveat == "" {
			t.Errorf("%s: claim %s, role %q", tc.name, v.Claim, v.Role)
		}
		// The first screen says the nets fail differently only where
		// ReLU's loss alone runs away.
		if want := "the nets fail differently: counting only runs whose loss runs away (shown, not judged: a bounded net's loss can hardly run away, so this leans toward the claim by design), ReLU's did in 20 of 20 at lr 1 and tanh's in 0 of 20, so the tanh failures that decide are losses over the cap or stalls, not runaways"; (tc.name == "failures agree, only ReLU explodes: shown, not judged") != (v.Context == want) {
			t.Errorf("%s: context %q", tc.name, v.Context)
		}
		if tc.e.variant == "" || tc.e.rates[0].control.runs == 0 {
			continue
		}
		// Whatever the outcome, Why gives the control's divergence at
		// every rate, the gradient norms, and the effect is the paired
		// gap with its margin.
		for _, s := range []string{"lr 0.03 0 of", "largest gradient norm"} {
			if !strings.Contains(v.Why, s) {
				t.Errorf("%s: why %q lacks %q", tc.name, v.Why, s)
			}
		}
		if !strings.Contains(v.Rule, "Newcombe") {
			t.Errorf("%s: rule does not name its interval", tc.name)
		}
		if v.Effect == nil || v.Margin == nil || *v.Margin != controlMargin || v.N != 20 && v.N != 5 || v.MarginReason == "" {
			t.Errorf("%s: effect %v, margin %v, n %d", tc.name, v.Effect, v.Margin, v.N)
		}
	}
}

// The onset is the lowest rate where either net is shown to diverge, not
// the top of the grid, and none when no rate shows a divergence.
func TestOnset(t *testing.T) {
	e := withRate(controlCase(20, 20, 20, 0.85), controlRateOf(0.3, 20, 1, 20))
	if r, ok := onset(e.rates); !ok || r.lr != 0.3 {
		t.Errorf("onset %v %v, want 0.3", r.lr, ok)
	}
	// 11 of 20 at 0.1 is not shown to diverge (Wilson lower end 0.34).
	e = withRate(e, controlRateOf(0.1, 20, 0, 11))
	if r, ok := onset(e.rates); !ok || r.lr != 0.3 {
		t.Errorf("onset %v %v, want 0.3: 11 of 20 is not shown", r.lr, ok)
	}
	if _, ok := onset(controlCase(20, 12, 0, 0.9).rates); ok {
		t.Error("an onset where no rate shows a divergence")
	}
}

func TestPairDivergence(t *testing.T) {
	tab := pairDivergence([]bool{true, true, false, false, true}, []bool{true, false, true, false})
	if want := (metrics.PairedProportions{Both: 1, OnlyA: 1, OnlyB: 1, Neither: 1}); tab != want {
		t.Errorf("table %+v, want %+v over the 4 seeds both ran", tab, want)
	}
	// The MDE of a share difference comes from its interval, so a
	// table where every pair agrees still has one (a paired t would say 0).
	if m := shareMDE((metrics.PairedProportions{Both: 5}).Diff()); !(m > 0.5 && m < 0.7) {
		t.Errorf("MDE of 5 concordant pairs %v, want about 0.62 (half-width 0.43)", m)
	}
}

// The effect is the growth that decided the verdict: ReLU's, unless a
// bounded activation explodes too (MIXED), then that activation's at the
// smallest gain where it explodes.
func TestInitVerdictEffect(t *testing.T) {
	v := initVerdict(initCase(50, []growth{above(3), above(4)}, []growth{below(3), above(4)}))
	if v.Outcome != result.Mixed || v.Effect == nil || !strings.HasPrefix(v.Effect.Name, "tanh per-layer growth of ||dL/dz|| at g=4") || v.Effect.Estimate != above(4).rate {
		t.Errorf("MIXED by tanh: effect %+v, want tanh's growth at g=4", v.Effect)
	}
	v = initVerdict(initCase(50, []growth{above(3), above(4)}, []growth{below(3), below(4)}))
	if v.Outcome != result.Confirmed || v.Effect == nil || !strings.HasPrefix(v.Effect.Name, "ReLU per-layer growth of ||dL/dz|| at g=3") {
		t.Errorf("CONFIRMED: effect %+v, want ReLU's growth at g=3", v.Effect)
	}
}

// tanh at the same multiple of its critical gain is shown beside ReLU
// with its side of the threshold, and changes no outcome.
func TestAlikeClause(t *testing.T) {
	if alikeClause(nil) != "" {
		t.Error("a clause without pairs")
	}
	e := initCase(50, []growth{above(3), above(4)}, []growth{below(3), above(4)})
	before := initVerdict(e).Outcome
	e.tanhAlike = []alikeGrowth{{relu: above(4), tanh: below(2)}}
	v := initVerdict(e)
	if v.Outcome != before {
		t.Errorf("the shown pair changed the outcome: %s, was %s", v.Outcome, before)
	}
	if want := "tanh at g=2 grows by x"; !strings.Contains(v.Why, want) || !strings.Contains(v.Why, "below the threshold, where ReLU at g=4") {
		t.Errorf("why %q lacks the pair", v.Why)
	}
	// Sigmoid's half holds by construction below g=16, and the caveat says
	// so only there.
	if !strings.Contains(v.Caveat, "sigmoid's slope is at most 1/4") {
		t.Errorf("caveat %q lacks sigmoid's bound at top gain 4", v.Caveat)
	}
	e.top = 16
	if c := initVerdict(e).Caveat; strings.Contains(c, "sigmoid's slope") {
		t.Errorf("caveat %q claims sigmoid's bound at gain 16", c)
	}
	if c := alikeClause([]alikeGrowth{{relu: above(4), tanh: rate(2, thr)}}); !strings.Contains(c, "straddling the threshold") {
		t.Errorf("an interval touching the threshold: %q", c)
	}
}

// How the diverged runs stopped: finite losses above the cap are counted
// with their range, non-finite ones (recorded as 0) apart.
func TestDivergedHowClause(t *testing.T) {
	at := controlRate{lr: 0.3, reluDivLosses: []float64{0}, controlDivLosses: []float64{23.1, 40.6, 30}}
	got := divergedHowClause("tanh", at, divergenceCap)
	for _, want := range []string{"at lr 0.3", "ReLU 0 of 1 at a finite loss above the cap, 1 at a non-finite loss or gradient", "tanh 3 of 3 at a finite loss above the cap (23.1 to 40.6), 0 at a non-finite"} {
		if !strings.Contains(got, want) {
			t.Errorf("clause %q lacks %q", got, want)
		}
	}
	if got := divergedHowClause("tanh", controlRate{lr: 1, reluDivLosses: []float64{33}}, divergenceCap); !strings.Contains(got, "ReLU 1 of 1 at a finite loss above the cap (33), 0 at") {
		t.Errorf("one diverged run is given as one loss, not a range: %q", got)
	}
	if got := divergedHowClause("tanh", controlRate{lr: 1}, divergenceCap); !strings.Contains(got, "ReLU none diverged; tanh none diverged") {
		t.Errorf("no diverged runs: %q", got)
	}
}

// Runs that diverged before clipping ever acted are judged apart: the
// outcome without them stands when it agrees with the outcome over all
// runs or is REFUTED (clipping failed where it acted); otherwise the
// remedy is undecided; with no run left, too.
func TestTrainsUnclipped(t *testing.T) {
	m := trainsMargin
	inside := &reference{lr: 0.1, arm: armOf(10, 0), grid: grid}
	cases := []struct {
		name      string
		arm       arm
		unclipped int
		diff      metrics.Paired
		want      result.Outcome
		why       string
	}{
		{"nine of ten diverged, all before clipping acted: one run left, too few", armOf(10, 9), 9, paired(-0.7, -0.6, 1), result.Inconclusive, "reading all 10 runs (refuted) (in 9 of the 9 runs that diverged clipping never acted"},
		{"ten of ten diverged before clipping acted", armOf(10, 10), 10, metrics.OneSample(nil), result.Inconclusive, "clipping acted in no run"},
		{"seven of ten diverged, five unclipped; survivors far below: REFUTED both ways", armOf(10, 7), 5, paired(-0.7, -0.6, 3), result.Refuted, "(REFUTED) (in 5 of the 7 runs that diverged clipping never acted"},
		{"six of twenty diverged, all unclipped; survivors within the margin: trains only without them", armOf(20, 6), 6, paired(-m+0.001, 0.03, 14), result.Inconclusive, "rests on the runs clipping never acted on"},
		{"nine of twenty diverged, eight unclipped, one acted: not shown to diverge either way, survivors straddle", armOf(20, 9), 8, paired(-m, 0.03, 11), result.Inconclusive, "straddles"},
	}
	for _, tc := range cases {
		got, why := trains(remedyTest{name: "clip 5", lr: 1, clip: 5, arm: tc.arm, vsRef: tc.diff, ref: inside, unclipped: tc.unclipped})
		if got != tc.want || !strings.Contains(why, tc.why) {
			t.Errorf("%s: %s (%s), want %s containing %q", tc.name, got, why, tc.want, tc.why)
		}
	}
}

// A run counts as unclipped when it diverged and no update it applied
// reached the threshold; a run that was clipped, or did not diverge, does
// not.
func TestUnclippedDiverged(t *testing.T) {
	run := func(diverged bool, applied float64) explodingResult {
		r := outcome(0.5, diverged)
		r.MaxAppliedNorm = applied
		return r
	}
	s := statsOfArm([]explodingResult{run(true, 3), run(true, 5), run(true, 5*(1-1e-12)), run(false, 2), run(true, 0)})
	if got := unclippedDiverged(s, 5); got != 2 {
		t.Errorf("%d unclipped, want 2 (applied 3 and 0; 5 and 5 up to rounding were clipped)", got)
	}
	if got := unclippedDiverged(s, 0); got != 0 {
		t.Errorf("without clipping: %d, want 0", got)
	}
}

// stepsToTargetOf: per seed, the share of the plain net's steps BatchNorm
// needs for its running mean loss to reach the plain net's final one; a
// seed that never gets there is NaN, one with a diverged run (no curve)
// is left out, and the Why reads the median with those beyond the run.
func TestStepsToTarget(t *testing.T) {
	curve := func(losses ...float64) lossCurve {
		c := lossCurve{}
		for i, l := range losses {
			c.steps, c.loss = append(c.steps, 2*(i+1)), append(c.loss, l)
		}
		return c
	}
	flat := func(l float64, n int) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = l
		}
		return out
	}
	// plain: 10 windows falling to 1 over its last 6; BatchNorm at 1
	// from the start (reached at window 6, step 12 of 20) or never.
	plain := curve(append(flat(3, 4), flat(1, 6)...)...)
	fast := curve(flat(1, 10)...)
	slow := curve(flat(2, 10)...)
	got := stepsToTargetOf([]lossCurve{fast, slow, fast, {}}, []lossCurve{plain, plain, {}, plain})
	if got.pairs != 2 || got.reached != 1 || len(got.share) != 2 || got.share[0] != 0.6 || !math.IsNaN(got.share[1]) {
		t.Fatalf("got %+v, want 2 pairs, 1 reached at 0.6 of the steps, 1 not reached", got)
	}
	if w := toTargetWhy(got, 0.1, 0.1); strings.Contains(w, "own chosen rate") {
		t.Errorf("same rate: %q names a rate difference", w)
	}
	if w := toTargetWhy(got, 0.3, 0.1); !strings.Contains(w, "BatchNorm's higher, so the steps saved mix BatchNorm with the rate it allows") || !strings.Contains(w, "BatchNorm at lr 0.3 reached the training loss the plain net at lr 0.1 ends at") || !strings.Contains(w, "in 1 of 2 paired seeds") || !strings.Contains(w, "ranged from 60% to 60%") {
		t.Errorf("Why %q", w)
	}
	if w := toTargetWhy(stepsToTarget{share: []float64{math.NaN(), math.NaN(), 0.5}, reached: 1, pairs: 3}, 0.3, 0.1); !strings.Contains(w, "median seed did not reach it") {
		t.Errorf("most seeds beyond the run: %q", w)
	}
	if w := toTargetWhy(stepsToTarget{share: []float64{0.25, 0.5, 0.75}, reached: 3, pairs: 3}, 0.3, 0.1); !strings.Contains(w, "median of 50% of the plain net's steps (2.0x fewer)") {
		t.Errorf("all reached: %q", w)
	}
	if w := toTargetWhy(stepsToTarget{}, 0.3, 0.1); w != "" {
		t.Errorf("no pairs: %q, want nothing", w)
	}
}

// An undecided BatchNorm part names, in its caveat, a steps reading that
// points to a gain in speed; a decided one, or one where BatchNorm mostly
// did not reach the target, does not.
func TestBatchNormStepsCaveat(t *testing.T) {
	plainRef := &reference{lr: 0.1, arm: armOf(10, 0), grid: grid}
	bnRef := &reference{lr: 0.3, arm: armOf(10, 0), grid: grid}
	fast := stepsToTarget{share: []float64{0.4, 0.5, 0.4}, reached: 3, pairs: 3}
	slow := stepsToTarget{share: []float64{math.NaN(), math.NaN(), 0.9}, reached: 1, pairs: 3}
	const says = "a gain in speed is not excluded"
	for _, tc := range []struct {
		name string
		best metrics.Paired
		t    stepsToTarget
		want bool
	}{
		{"undecided, fast in steps", paired(0.01, 0.04, 10), fast, true},
		{"undecided, mostly not reached", paired(0.01, 0.04, 10), slow, false},
		{"confirmed, fast in steps", paired(0.03, 0.08, 10), fast, false},
	} {
		v := batchNormVerdict(batchNormEvidence{ran: true, plainBest: plainRef, bnBest: bnRef, best: tc.best, toTarget: tc.t})
		if got := strings.Contains(v.Caveat, says); got != tc.want {
			t.Errorf("%s (%s): caveat names the steps reading %v, want %v", tc.name, v.Outcome, got, tc.want)
		}
	}
}

// The main verdict's first screen says that its rule tests the remedies,
// and names the verdicts that test the explosion, with their outcomes.
func TestPremiseContext(t *testing.T) {
	growth := result.Verdict{Outcome: result.Mixed, Statement: "ReLU gradients explode with depth"}
	bounded := result.Verdict{Outcome: result.Refuted, Statement: "the divergence is ReLU's own"}
	want := "this verdict tests the remedies only, against a plain net that diverges at the high rate (how it diverges: the caveat); the explosion itself is read at initialisation (mixed: ReLU gradients explode with depth) and against a tanh net (refuted: the divergence is ReLU's own)"
	if got := premiseContext(growth, bounded); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
