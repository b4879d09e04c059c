package kit

import (
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// Seeds that, left out alone, move the interval across the margin are
// counted, and only those that also turn the verdict make it fragile.
func TestLeaveOneOut(t *testing.T) {
	read := func(margin float64) func(metrics.Paired) result.Outcome {
		return func(p metrics.Paired) result.Outcome { return Superiority(p, margin) }
	}
	same := func(o result.Outcome) result.Outcome { return o }
	// Two parts: the other is REFUTED, so this one cannot turn the whole.
	withRefuted := func(o result.Outcome) result.Outcome { return result.EachHolds([]result.Outcome{o, result.Refuted}) }
	steady := []float64{1, 1.1, 0.9, 1.05, 0.95, 1, 1.02, 0.98}
	edge := []float64{0, 0.2, 0.05, 0.1, 0.15, 0.3, 0.08, 0.12}
	full := Superiority(metrics.OneSample(edge), 0.2)
	for _, tc := range []struct {
		name    string
		diffs   []float64
		margin  float64
		verdict func(result.Outcome) result.Outcome
		reading bool
		fragile string
	}{
		{"far from the margin", steady, 0.5, same, false, ""},
		{"too few seeds", []float64{1, 2}, 0.5, same, false, ""},
		{"on the edge, deciding", edge, 0.2, same, true, "on a knife edge: REFUTED without one particular seed of its 8"},
		{"on the edge, not deciding", edge, 0.2, withRefuted, true, ""},
	} {
		was := Superiority(metrics.OneSample(tc.diffs), tc.margin)
		got := LeaveOneOut(tc.diffs, read(tc.margin), was, tc.verdict, tc.verdict(was))
		if (got.Reading > 0) != tc.reading || got.Fragile() != tc.fragile {
			t.Errorf("%s: %+v, fragile %q; want a turned reading %v, fragile %q", tc.name, got, got.Fragile(), tc.reading, tc.fragile)
		}
	}
	if full != result.Inconclusive {
		t.Fatalf("the edge case reads %s with every seed, want INCONCLUSIVE", full)
	}
	many := SeedTurns{N: 24, Reading: 14, Verdict: 14, To: result.Inconclusive}
	if w := "on a knife edge: INCONCLUSIVE without any one of 14 of its 24 seeds"; many.Fragile() != w {
		t.Errorf("many: %q, want %q", many.Fragile(), w)
	}
	if w := "on a knife edge: another outcome without any one of 2 of its 5 seeds"; (SeedTurns{N: 5, Reading: 2, Verdict: 2}).Fragile() != w {
		t.Errorf("disagreeing: want %q", w)
	}
}
