package dying

import (
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// est is a mean over n seeds with the interval [lo, hi].
func est(mean, lo, hi float64, n int) metrics.Estimate {
	return metrics.Estimate{Mean: mean, Lo: lo, Hi: hi, N: n}
}

// checkVerdict asserts the outcome and, if why is set, that Why contains it.
func checkVerdict(t *testing.T, name string, v result.Verdict, want result.Outcome, why string) {
	t.Helper()
	if v.Outcome != want {
		t.Errorf("%s: %s, want %s (%s)", name, v.Outcome, want, v.Why)
	}
	if why != "" && !strings.Contains(v.Why, why) {
		t.Errorf("%s: why %q does not contain %q", name, v.Why, why)
	}
}

// bornCells makes n table cells, the first failing of them with p-value
// pFail and the rest with p-value 1.
func bornCells(n, failing int, pFail float64) []bornCellTest {
	cells := make([]bornCellTest, n)
	for i := range cells {
		cells[i] = bornCellTest{width: 2, depth: i + 1, dead: 10, inits: 100, formula: 0.1, p: 1}
		if i < failing {
			cells[i].p = pFail
		}
	}
	return cells
}

func TestBornDeadVerdict(t *testing.T) {
	n := 20.0
	alpha := bornFamilyAlpha / n // computed as the rule does, at run time
	cases := []struct {
		name     string
		cells    []bornCellTest
		bornDead float64
		want     result.Outcome
		why      string
	}{
		{"every cell passes, most deep narrow nets dead", bornCells(20, 0, 0), 0.9, result.Confirmed, "20 of 20 cells agree"},
		{"every cell passes, exactly at the 0.5 floor", bornCells(20, 0, 0), 0.5, result.Confirmed, ""},
		{"every cell passes, just below the 0.5 floor", bornCells(20, 0, 0), math.Nextafter(0.5, 0), result.Mixed, ""},
		{"p-value exactly at the Bonferroni level passes", bornCells(20, 1, alpha), 0.9, result.Confirmed, ""},
		{"p-value just below the Bonferroni level fails", bornCells(20, 1, math.Nextafter(alpha, 0)), 0.9, result.Mixed, "19 of 20 cells agree"},
		{"2 of 20 cells fail: 10%, not more", bornCells(20, 2, 0), 0.9, result.Mixed, ""},
		{"3 of 20 cells fail: more than 10%", bornCells(20, 3, 0), 0.9, result.Refuted, "17 of 20 cells agree"},
		{"1 of 10 cells fails: 10%, not more", bornCells(10, 1, 0), 0.9, result.Mixed, ""},
		{"2 of 10 cells fail: more than 10%", bornCells(10, 2, 0), 0.9, result.Refuted, ""},
		{"many failures refute even with nets born dead", bornCells(4, 4, 0), 1, result.Refuted, "0 of 4 cells agree"},
	}
	for _, tc := range cases {
		e := bornDeadEvidence{cells: tc.cells, narrowest: 2, deepest: 20, bornDead: est(tc.bornDead, tc.bornDead, tc.bornDead, 300)}
		checkVerdict(t, tc.name, bornDeadVerdict(e), tc.want, tc.why)
	}
}

// lrAt is ReLU at one learning rate: runs seeds, diverged of them, the
// others' mean dead fraction in [lo, hi].
func lrAt(lr, mean, lo, hi float64, diverged, runs int) lrOutcome {
	return lrOutcome{lr: lr, dead: est(mean, lo, hi, runs-diverged), acc: est(0.5, 0.4, 0.6, runs), diverged: diverged, runs: runs}
}

func TestAppearVerdict(t *testing.T) {
	cases := []struct {
		name string
		byLR []lrOutcome
		want result.Outcome
		why  string
	}{
		{"dead fraction rises clear of the lowest rate", []lrOutcome{lrAt(0.01, 0.01, 0, 0.02, 0, 3), lrAt(1, 0.3, 0.2, 0.4, 0, 3)}, result.Confirmed, "At lr 1 30.0%"},
		{"high rate exactly at the 0.05 floor", []lrOutcome{lrAt(0.01, 0.01, 0, 0.02, 0, 3), lrAt(1, 0.05, 0.03, 0.07, 0, 3)}, result.Confirmed, ""},
		{"high rate just below the 0.05 floor", []lrOutcome{lrAt(0.01, 0.01, 0, 0.02, 0, 3), lrAt(1, math.Nextafter(0.05, 0), 0.03, 0.07, 0, 3)}, result.Mixed, ""},
		{"high rate's interval touches the low rate's", []lrOutcome{lrAt(0.01, 0.01, 0, 0.2, 0, 3), lrAt(1, 0.3, 0.2, 0.4, 0, 3)}, result.Mixed, ""},
		{"no rate above 1% dead", []lrOutcome{lrAt(0.01, 0, 0, 0, 0, 3), lrAt(1, 0.01, 0, 0.02, 0, 3)}, result.Refuted, "most: 1.0% at lr 1"},
		{"one rate just above 1% dead", []lrOutcome{lrAt(0.01, 0, 0, 0, 0, 3), lrAt(1, math.Nextafter(0.01, 1), 0, 0.02, 0, 3)}, result.Mixed, ""},
		{"a rate with one finished seed still blocks refutation", []lrOutcome{lrAt(0.01, 0, 0, 0, 0, 3), lrAt(0.1, 0.01, 0, 0.02, 0, 3), lrAt(1, 0.5, 0.5, 0.5, 2, 3)}, result.Mixed, "most: 50.0% at lr 1"},
		{"hi is the highest rate with two finished seeds", []lrOutcome{lrAt(0.01, 0.01, 0, 0.02, 0, 3), lrAt(0.1, 0.3, 0.2, 0.4, 1, 3), lrAt(1, math.NaN(), math.NaN(), math.NaN(), 3, 3)}, result.Confirmed, "above it runs diverged instead (3/3 diverged at lr 1)"},
		{"only the lowest rate has two finished seeds", []lrOutcome{lrAt(0.01, 0.01, 0, 0.02, 0, 3), lrAt(1, 0.5, 0.5, 0.5, 2, 3)}, result.Mixed, "cannot be applied"},
		{"no rate has two finished seeds", []lrOutcome{lrAt(0.01, 0.01, 0.01, 0.01, 2, 3), lrAt(1, 0.5, 0.5, 0.5, 2, 3)}, result.Mixed, "cannot be applied"},
		{"a single learning rate", []lrOutcome{lrAt(1, 0.5, 0.4, 0.6, 0, 3)}, result.Mixed, "cannot be applied"},
	}
	for _, tc := range cases {
		checkVerdict(t, tc.name, appearVerdict(appearEvidence{bias: 0, byLR: tc.byLR}), tc.want, tc.why)
	}
}

func TestRecoverVerdict(t *testing.T) {
	// With k of n recovered, the Wilson bounds are: 0 of 381, upper 0.00998;
	// 0 of 380, upper 0.01001; 17 of 200, lower 0.0537; 16 of 200, lower
	// 0.0498. CONFIRMED therefore needs at least 381 units ever dead.
	cases := []struct {
		name                string
		recovered, everDead int
		want                result.Outcome
		why                 string
	}{
		{"9 dead units are too few", 9, 9, result.Mixed, "Only 9 ReLU units"},
		{"10 dead units, all recovered", 10, 10, result.Refuted, "10 of 10 dead ReLU units (100.0%)"},
		{"none of 381 recovered: upper bound just below 0.01", 0, 381, result.Confirmed, ""},
		{"none of 380 recovered: upper bound just above 0.01", 0, 380, result.Mixed, ""},
		{"1 of 381 recovered", 1, 381, result.Mixed, ""},
		{"17 of 200 recovered: lower bound just above 0.05", 17, 200, result.Refuted, "(8.5%)"},
		{"16 of 200 recovered: lower bound just below 0.05", 16, 200, result.Mixed, ""},
	}
	for _, tc := range cases {
		all := metrics.DeathCounts{Units: 1000, EverDead: tc.everDead, Recovered: tc.recovered}
		e := recoverEvidence{all: all, first: metrics.DeathCounts{}, deeper: all}
		checkVerdict(t, tc.name, recoverVerdict(e), tc.want, tc.why)
	}
}

// fix is one of leaky, prelu, elu at the stress settings, against a ReLU
// with test accuracy 0.5 and 1 of 6 runs diverged.
func fix(name string, acc float64, diverged, stuckRuns int) fixOutcome {
	f := fixOutcome{name: name, stuck: est(0, 0, 0, 6), acc: est(acc, acc-0.1, acc+0.1, 6), diverged: diverged, runs: 6, stuckRuns: stuckRuns}
	if stuckRuns > 0 {
		f.stuckLRs = []float64{1}
	}
	return f
}

func TestFixesVerdict(t *testing.T) {
	cases := []struct {
		name   string
		fixes  []fixOutcome
		stress int
		want   result.Outcome
		why    string
	}{
		{"none of the fixes was run", nil, 3, result.Mixed, "None of leaky"},
		{"ReLU never lost 5% of its units", []fixOutcome{fix("leaky", 0.9, 0, 0)}, 0, result.Mixed, "no dying to prevent"},
		{"all three better, none stuck", []fixOutcome{fix("leaky", 0.9, 0, 0), fix("prelu", 0.8, 1, 0), fix("elu", 0.7, 0, 0)}, 3, result.Confirmed, "with no unit dead or stuck"},
		{"equal accuracy and divergences pass", []fixOutcome{fix("leaky", 0.5, 1, 0)}, 3, result.Confirmed, ""},
		{"accuracy just below ReLU's", []fixOutcome{fix("leaky", math.Nextafter(0.5, 0), 0, 0)}, 3, result.Mixed, ""},
		{"one divergence more than ReLU", []fixOutcome{fix("leaky", 0.9, 2, 0)}, 3, result.Mixed, ""},
		{"NaN accuracy counts as worse", []fixOutcome{fix("leaky", math.NaN(), 0, 0)}, 3, result.Mixed, ""},
		{"one stuck run refutes despite better accuracy", []fixOutcome{fix("leaky", 0.9, 0, 0), fix("elu", 0.9, 0, 1)}, 3, result.Refuted, "for elu in 1 runs (lr 1)"},
	}
	for _, tc := range cases {
		e := fixesEvidence{fixes: tc.fixes, stress: tc.stress, reluDead: est(0.4, 0.3, 0.5, 6), reluAcc: est(0.5, 0.4, 0.6, 6), reluDiverged: 1, reluRuns: 6}
		checkVerdict(t, tc.name, fixesVerdict(e), tc.want, tc.why)
	}
	// The statement names the fixes tested when one is missing.
	one := fixesVerdict(fixesEvidence{fixes: []fixOutcome{fix("leaky", 0.9, 0, 0)}})
	all := fixesVerdict(fixesEvidence{fixes: []fixOutcome{fix("leaky", 0.9, 0, 0), fix("prelu", 0.9, 0, 0), fix("elu", 0.9, 0, 0)}})
	if !strings.HasSuffix(one.Statement, "(tested: leaky)") || strings.Contains(all.Statement, "tested") {
		t.Errorf("statements %q and %q: want the first to name leaky, the second nothing", one.Statement, all.Statement)
	}
}

func TestVanishingGradientVerdict(t *testing.T) {
	// n of n dead units without gradient: Wilson lower bound 0.95001 at 73,
	// 0.94935 at 72. CONFIRMED therefore needs at least 73 dead units.
	cases := []struct {
		name         string
		noGrad, dead int
		want         result.Outcome
		why          string
	}{
		{"9 dead units are too few", 9, 9, result.Mixed, "Only 9 dead ReLU units"},
		{"10 of 10 without gradient, interval too wide", 10, 10, result.Mixed, ""},
		{"73 of 73: lower bound just above 0.95", 73, 73, result.Confirmed, "73 of 73 units"},
		{"72 of 72: lower bound just below 0.95", 72, 72, result.Mixed, ""},
		{"49 of 100: mean below 0.5", 49, 100, result.Refuted, "(49.0%)"},
		{"50 of 100: mean exactly 0.5", 50, 100, result.Mixed, ""},
	}
	for _, tc := range cases {
		e := vanishingEvidence{dead: tc.dead, noGrad: tc.noGrad}
		checkVerdict(t, tc.name, vanishingGradientVerdict(e), tc.want, tc.why)
	}
}

// pair is one setting: relu's dead fraction and the other variant's.
func pair(relu, other metrics.Estimate) deadPair { return deadPair{relu: relu, other: other} }

func TestDerivAtZeroVerdict(t *testing.T) {
	low, high := est(0.1, 0, 0.2, 3), est(0.3, 0.25, 0.35, 3)
	cases := []struct {
		name     string
		other    string
		settings []deadPair
		want     result.Outcome
		why      string
	}{
		{"no relu-d<v> was run", "", []deadPair{pair(low, high)}, result.Mixed, "No relu-d<v> variant"},
		{"no setting has two finished seeds of both", "relu-d1", []deadPair{pair(low, est(0.3, 0.3, 0.3, 1))}, result.Mixed, "cannot be applied"},
		{"intervals overlap everywhere", "relu-d1", []deadPair{pair(low, low), pair(high, est(0.2, 0.1, 0.3, 3))}, result.Confirmed, "In 0 of 2 settings"},
		{"intervals that touch are not disjoint", "relu-d1", []deadPair{pair(low, est(0.3, 0.2, 0.4, 3))}, result.Confirmed, ""},
		{"a setting with one seed is skipped", "relu-d1", []deadPair{pair(low, low), pair(low, est(0.9, 0.9, 0.9, 1))}, result.Confirmed, "In 0 of 1 settings"},
		{"disjoint and 0.2 apart", "relu-d1", []deadPair{pair(low, low), pair(low, high)}, result.Refuted, "In 1 of 2 settings"},
		{"disjoint, means exactly 0.05 apart", "relu-d1", []deadPair{pair(est(0, 0, 0, 3), est(0.05, 0.04, 0.06, 3))}, result.Mixed, ""},
		{"disjoint, means just over 0.05 apart", "relu-d1", []deadPair{pair(est(0, 0, 0, 3), est(math.Nextafter(0.05, 1), 0.04, 0.06, 3))}, result.Refuted, ""},
	}
	for _, tc := range cases {
		e := derivAtZeroEvidence{other: tc.other, settings: tc.settings}
		checkVerdict(t, tc.name, derivAtZeroVerdict(e), tc.want, tc.why)
	}
}
