package overfitting

import (
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// Made-up Welch intervals, one of each kind a rule can meet.
var (
	above    = metrics.Estimate{Mean: 2, Lo: 1, Hi: 3, SD: 0.5, N: 6}
	below    = metrics.Estimate{Mean: -2, Lo: -3, Hi: -1, SD: 0.5, N: 6}
	straddle = metrics.Estimate{Mean: 0.5, Lo: -1, Hi: 2, SD: 0.7, N: 6}
	// oneRun is what WelchDiffCI gives with a single run on a side.
	oneRun = metrics.Estimate{Mean: 3, Lo: 3, Hi: 3, SD: math.NaN(), N: 3}
	// noRuns is what it gives when every run of a side diverged.
	noRuns = metrics.Estimate{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), SD: math.NaN(), N: 3}
)

// interval is an estimate with the given ends, for the boundary cases.
func interval(lo, hi float64) metrics.Estimate {
	return metrics.Estimate{Mean: (lo + hi) / 2, Lo: lo, Hi: hi, SD: (hi - lo) / 4, N: 6}
}

func TestSignificance(t *testing.T) {
	cases := []struct {
		name string
		in   metrics.Estimate
		want int
	}{
		{"interval above 0", above, 1},
		{"interval below 0", below, -1},
		{"interval straddles 0", straddle, 0},
		{"lower end exactly at 0", interval(0, 2), 0},
		{"lower end just above 0", interval(1e-9, 2), 1},
		{"upper end exactly at 0", interval(-2, 0), 0},
		{"upper end just below 0", interval(-2, -1e-9), -1},
		{"one run on a side: no interval", oneRun, 0},
		{"no runs on a side", noRuns, 0},
		// Identical runs on both sides give a zero-width interval, which
		// counts as significant whenever the means differ.
		{"zero-width interval off 0", metrics.Estimate{Mean: 1, Lo: 1, Hi: 1, SD: 0, N: 4}, 1},
	}
	for _, c := range cases {
		if got := significance(c.in); got != c.want {
			t.Errorf("%s: significance(%+v) = %d, want %d", c.name, c.in, got, c.want)
		}
	}
	// The same through WelchDiffCI: an interval that excludes 0 and two
	// runs a side.
	for _, c := range []struct {
		name string
		a, b []float64
		want int
	}{
		{"clearly larger", []float64{2, 2.1, 2.2}, []float64{1, 1.1, 1.2}, 1},
		{"clearly smaller", []float64{1, 1.1, 1.2}, []float64{2, 2.1, 2.2}, -1},
		{"overlapping", []float64{1, 2, 3}, []float64{1.5, 2.5, 1}, 0},
		{"one run on a side", []float64{5}, []float64{1, 1.1}, 0},
	} {
		if got := significance(metrics.WelchDiffCI(c.a, c.b)); got != c.want {
			t.Errorf("%s: significance(%v vs %v) = %d, want %d", c.name, c.a, c.b, got, c.want)
		}
	}
}

func TestMajorityOutcome(t *testing.T) {
	cases := []struct {
		name                      string
		expected, opposite, total int
		want                      result.Outcome
	}{
		{"3 of 4, none opposite", 3, 0, 4, result.Confirmed},
		{"all 4 of 4", 4, 0, 4, result.Confirmed},
		{"exactly half (2 of 4) is not more than half", 2, 0, 4, result.Mixed},
		{"just over half (2 of 3)", 2, 0, 3, result.Confirmed},
		{"just under half (1 of 3)", 1, 0, 3, result.Mixed},
		{"3 of 4 but 1 opposite", 3, 1, 4, result.Mixed},
		{"a single comparison, significant", 1, 0, 1, result.Confirmed},
		{"one expected is not none", 1, 0, 4, result.Mixed},
		{"none expected, none opposite (null result)", 0, 0, 4, result.Refuted},
		{"none expected, all opposite", 0, 4, 4, result.Refuted},
	}
	for _, c := range cases {
		tl := tally{up: c.expected, down: c.opposite, total: c.total}
		if got := tl.outcome(tl.up, tl.down); got != c.want {
			t.Errorf("%s: %d expected, %d opposite of %d: %s, want %s", c.name, c.expected, c.opposite, c.total, got, c.want)
		}
	}
}

// reluGaps puts the differences two to a size, against tanh then sigmoid.
func reluGaps(diffs ...metrics.Estimate) reluGapEvidence {
	var e reluGapEvidence
	for i, d := range diffs {
		if i%2 == 0 {
			e.sizes = append(e.sizes, reluGapAtSize{size: 100 * (i/2 + 1), level: 0.95})
		}
		at := &e.sizes[len(e.sizes)-1]
		at.versus = append(at.versus, gapDifference{other: []string{"tanh", "sigmoid"}[i%2], diff: d})
	}
	return e
}

func TestReluGapVerdict(t *testing.T) {
	cases := []struct {
		name string
		in   reluGapEvidence
		want result.Outcome
		why  string
	}{
		{"configuration lacks a comparison", reluGapEvidence{inapplicable: true}, result.Mixed, "cannot be applied"},
		{"larger in 3 of 4, smaller in none", reluGaps(above, above, above, straddle), result.Confirmed, "larger in 3, smaller in 0 and indistinguishable in 1 of 4"},
		{"larger in all", reluGaps(above, above), result.Confirmed, "n=100 +2.00 vs tanh, +2.00 vs sigmoid"},
		{"larger in exactly half", reluGaps(above, above, straddle, straddle), result.Mixed, "larger in 2, smaller in 0"},
		{"larger in 3 of 4 but smaller in 1", reluGaps(above, above, above, below), result.Mixed, "smaller in 1"},
		{"larger in 1 of 4: not none", reluGaps(above, straddle, straddle, straddle), result.Mixed, "larger in 1"},
		{"every interval straddles 0 (null result)", reluGaps(straddle, straddle, straddle, straddle), result.Refuted, "indistinguishable in 4 of 4"},
		{"smaller in all", reluGaps(below, below, below, below), result.Refuted, "smaller in 4"},
		{"one run a side: no interval", reluGaps(oneRun, oneRun), result.Refuted, "indistinguishable in 2 of 2"},
		{"lower end exactly at 0 is not larger", reluGaps(interval(0, 2)), result.Refuted, "larger in 0"},
		{"lower end just above 0 is larger", reluGaps(interval(1e-9, 2)), result.Confirmed, "larger in 1"},
	}
	for _, c := range cases {
		v := reluGapVerdict(c.in)
		checkVerdict(t, c.name, v, c.want, c.why, countReluGaps(c.in))
	}
}

func countReluGaps(e reluGapEvidence) int {
	n := 0
	for _, at := range e.sizes {
		n += len(at.versus)
	}
	return n
}

// dropoutGaps gives each gap change its own size; test accuracy straddles 0.
func dropoutGaps(gaps ...metrics.Estimate) dropoutGapEvidence {
	var e dropoutGapEvidence
	for i, g := range gaps {
		e.effects = append(e.effects, dropoutEffect{variant: "relu", size: 100 * (i + 1), dropout: "dropout 0.2/0.5", gap: g, test: straddle})
	}
	return e
}

// withTest sets every effect's change in test accuracy.
func withTest(e dropoutGapEvidence, test metrics.Estimate) dropoutGapEvidence {
	for i := range e.effects {
		e.effects[i].test = test
	}
	return e
}

func TestDropoutGapVerdict(t *testing.T) {
	cases := []struct {
		name string
		in   dropoutGapEvidence
		want result.Outcome
		why  string
	}{
		{"configuration lacks a rate to compare", dropoutGapEvidence{inapplicable: true}, result.Mixed, "needs hidden-dropout 0"},
		{"shrinks in 3 of 4, widens in none", dropoutGaps(below, below, below, straddle), result.Confirmed, "shrank the final gap significantly in 3 of 4"},
		{"shrinks in exactly half", dropoutGaps(below, below, straddle, straddle), result.Mixed, "in 2 of 4"},
		{"shrinks in 3 of 4 but widens in 1", dropoutGaps(below, below, below, above), result.Mixed, "widened it in 1"},
		{"shrinks in 1 of 4: not none", dropoutGaps(below, straddle, straddle, straddle), result.Mixed, "in 1 of 4"},
		{"every interval straddles 0 (null result)", dropoutGaps(straddle, straddle), result.Refuted, "in 0 of 2"},
		{"widens in all", dropoutGaps(above, above), result.Refuted, "widened it in 2"},
		{"upper end exactly at 0 does not shrink", dropoutGaps(interval(-2, 0)), result.Refuted, "in 0 of 1"},
		{"upper end just below 0 shrinks", dropoutGaps(interval(-2, -1e-9)), result.Confirmed, "in 1 of 1"},
		{"the range of changes is reported", dropoutGaps(below, above, straddle), result.Mixed, "changes from -2.00 to +2.00 pp"},
		{"test accuracy rising does not change the outcome", withTest(dropoutGaps(straddle, straddle), above), result.Refuted, "rose significantly in 2 of them and fell in 0"},
		// Every run diverged: no interval, no range, read as a null result.
		{"no runs on a side anywhere", dropoutGaps(noRuns, noRuns), result.Refuted, "changes from +Inf to -Inf"},
	}
	for _, c := range cases {
		checkVerdict(t, c.name, dropoutGapVerdict(c.in), c.want, c.why, len(c.in.effects))
	}
}

// dataGaps gives each change its own activation, at sizes 200 and 1000.
func dataGaps(changes ...metrics.Estimate) dataGapEvidence {
	e := dataGapEvidence{small: 200, large: 1000}
	for i, d := range changes {
		e.settings = append(e.settings, dataGapSetting{variant: []string{"relu", "tanh", "sigmoid"}[i%3], dropout: "no dropout",
			change: d, gapSmall: 30, gapLarge: 30 + d.Mean})
	}
	return e
}

func TestDataGapVerdict(t *testing.T) {
	cases := []struct {
		name string
		in   dataGapEvidence
		want result.Outcome
		why  string
	}{
		{"one size only", dataGapEvidence{small: 500, large: 500}, result.Mixed, "only one training-set size"},
		{"smaller in every combination", dataGaps(below, below, below), result.Confirmed, "in 3 of 3"},
		{"smaller in all but one", dataGaps(below, below, straddle), result.Mixed, "in 2 of 3"},
		{"smaller in all but one, which is larger", dataGaps(below, below, above), result.Mixed, "in 2 of 3"},
		{"smaller in just one", dataGaps(below, straddle, straddle), result.Mixed, "in 1 of 3"},
		{"every interval straddles 0 (null result)", dataGaps(straddle, straddle, straddle), result.Refuted, "in 0 of 3"},
		{"larger in all", dataGaps(above, above), result.Refuted, "in 0 of 2"},
		{"upper end exactly at 0 is not smaller", dataGaps(interval(-2, 0)), result.Refuted, "in 0 of 1"},
		{"upper end just below 0 is smaller", dataGaps(interval(-2, -1e-9)), result.Confirmed, "in 1 of 1"},
		{"mean gaps are reported", dataGaps(below), result.Confirmed, "relu no dropout 30.0 -> 28.0"},
	}
	for _, c := range cases {
		checkVerdict(t, c.name, dataGapVerdict(c.in), c.want, c.why, len(c.in.settings))
	}
}

// reluDropout gives each change in test accuracy its own size, with ReLU's
// test errors of the quick run.
func reluDropout(tests ...metrics.Estimate) dropoutHelpsReluEvidence {
	e := dropoutHelpsReluEvidence{largest: 1000, dropout: "dropout 0.2/0.5", errWithout: 13.2, errWith: 23.2}
	for i, d := range tests {
		e.effects = append(e.effects, reluDropoutEffect{size: 100 * (i + 1), dropout: "dropout 0.2/0.5", test: d})
	}
	return e
}

func TestDropoutHelpsReluVerdict(t *testing.T) {
	cases := []struct {
		name string
		in   dropoutHelpsReluEvidence
		want result.Outcome
		why  string
	}{
		{"configuration lacks relu or a rate to compare", dropoutHelpsReluEvidence{inapplicable: true}, result.Mixed, "cannot be applied"},
		{"raises at 3 of 4, lowers at none", reluDropout(above, above, above, straddle), result.Confirmed, "significantly at 3 and lowered it at 0 of 4"},
		{"raises at exactly half", reluDropout(above, straddle), result.Mixed, "at 1 and lowered it at 0 of 2"},
		{"raises at 2 of 3: just over half", reluDropout(above, above, straddle), result.Confirmed, "at 2 and lowered it at 0 of 3"},
		{"raises at 3 of 4 but lowers at 1", reluDropout(above, above, above, below), result.Mixed, "lowered it at 1 of 4"},
		{"raises at 1 of 4: not none", reluDropout(above, straddle, straddle, straddle), result.Mixed, "at 1 and"},
		{"every interval straddles 0 (null result)", reluDropout(straddle, straddle), result.Refuted, "at 0 and lowered it at 0 of 2"},
		{"lowers at all", reluDropout(below, below), result.Refuted, "lowered it at 2 of 2"},
		{"lower end exactly at 0 does not raise", reluDropout(interval(0, 2)), result.Refuted, "at 0 and"},
		{"lower end just above 0 raises", reluDropout(interval(1e-9, 2)), result.Confirmed, "at 1 and"},
		{"test errors beside Srivastava's", reluDropout(above), result.Confirmed, "13.20% without and 23.20% with dropout 0.2/0.5 (Srivastava et al. 2014: 1.60% standard net, 1.25% dropout ReLU)"},
	}
	for _, c := range cases {
		checkVerdict(t, c.name, dropoutHelpsReluVerdict(c.in), c.want, c.why, len(c.in.effects))
	}
}

// checkVerdict asserts the outcome, a phrase of Why, and one evidence line
// per comparison.
func checkVerdict(t *testing.T, name string, v result.Verdict, want result.Outcome, why string, comparisons int) {
	t.Helper()
	if v.Outcome != want {
		t.Errorf("%s: %s, want %s (%s)", name, v.Outcome, want, v.Why)
	}
	if !strings.Contains(v.Why, why) {
		t.Errorf("%s: why %q lacks %q", name, v.Why, why)
	}
	if len(v.Evidence) != comparisons {
		t.Errorf("%s: %d evidence lines, want %d", name, len(v.Evidence), comparisons)
	}
	if v.Rule == "" || v.Statement == "" {
		t.Errorf("%s: verdict lacks a rule or a statement", name)
	}
}
