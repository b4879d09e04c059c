package twosided

import (
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// interval is a made-up estimate over n seeds with the mean in the middle.
func interval(lo, hi float64, n int) metrics.Estimate {
	return metrics.Estimate{Mean: (lo + hi) / 2, Lo: lo, Hi: hi, N: n}
}

// The thresholds are zero and dead fractions and born-dead counts cannot
// be negative, so there is no case below either threshold: at it is the
// CONFIRMED side, anything above it REFUTED.
func TestCannotDieVerdict(t *testing.T) {
	none := interval(0, 0, 3)
	ran := func(deadMax float64, bornDead int) cannotDieEvidence {
		return cannotDieEvidence{ran: true, dead: none, wouldBeDead: none, deadMax: deadMax, bornDead: bornDead, bornInits: 300, bornDepth: 10}
	}
	withReLU := ran(0, 0)
	withReLU.relu = &bornDeadRate{width: 2, dead: 277, inits: 300}
	allDiverged := ran(0, 0)
	allDiverged.dead, allDiverged.wouldBeDead = metrics.MeanCI(nil), metrics.MeanCI(nil)

	for _, tc := range []struct {
		name string
		in   cannotDieEvidence
		want result.Outcome
		why  string
	}{
		{"twosided:w not among the nets", cannotDieEvidence{}, result.Mixed, "not among the nets"},
		{"no dead unit and none born dead", ran(0, 0), result.Confirmed, "was 0.000, and 0 of 300"},
		{"a dead fraction just above the 0 ceiling", ran(1e-9, 0), result.Refuted, "was 0.000"},
		{"a dead fraction of one unit in 48", ran(1.0/48, 0), result.Refuted, "was 0.021"},
		{"one net born dead, just above the 0 ceiling", ran(0, 1), result.Refuted, "1 of 300"},
		{"dead units and born dead", ran(0.5, 300), result.Refuted, "300 of 300"},
		{"the ReLU contrast is quoted when it was run", withReLU, result.Confirmed, "against 92.3% of ReLU nets of width 2"},
		// Documents the present rule, which reads no runs as no dead units.
		{"every run diverged: no dead-unit data, still confirmed", allDiverged, result.Confirmed, "was 0.000"},
	} {
		v := cannotDieVerdict(tc.in)
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: %s, %q; want %s with %q", tc.name, v.Outcome, v.Why, tc.want, tc.why)
		}
	}
}

func TestWorthItVerdict(t *testing.T) {
	acc := func(lo, hi float64) *netAccuracy {
		return &netAccuracy{acc: interval(lo, hi, 3), width: 16, params: 13000}
	}
	const eps = 1e-9
	matched := acc(0.70, 0.74)
	for _, tc := range []struct {
		name string
		in   worthItEvidence
		want result.Outcome
		why  string
	}{
		{"twosided:w not among the nets", worthItEvidence{matched: matched}, result.Mixed, "must both be among the nets"},
		{"relu:matched not among the nets", worthItEvidence{twoSided: acc(0.8, 0.9)}, result.Mixed, "must both be among the nets"},
		{"above matched, no relu:2w", worthItEvidence{twoSided: acc(0.76, 0.80), matched: matched}, result.Confirmed, "reached 0.7800"},
		{"above matched, overlapping relu:2w", worthItEvidence{twoSided: acc(0.76, 0.80), matched: matched, double: acc(0.78, 0.82)}, result.Confirmed, ""},
		{"just above matched's upper end", worthItEvidence{twoSided: acc(0.74+eps, 0.80), matched: matched}, result.Confirmed, ""},
		{"lower end touches matched's upper end", worthItEvidence{twoSided: acc(0.74, 0.80), matched: matched}, result.Mixed, ""},
		{"overlapping matched: no detectable difference", worthItEvidence{twoSided: acc(0.72, 0.78), matched: matched}, result.Mixed, ""},
		{"above matched but entirely below relu:2w", worthItEvidence{twoSided: acc(0.76, 0.80), matched: matched, double: acc(0.85, 0.90)}, result.Mixed, ""},
		{"upper end touches relu:2w's lower end", worthItEvidence{twoSided: acc(0.76, 0.80), matched: matched, double: acc(0.80, 0.90)}, result.Confirmed, ""},
		{"upper end just below relu:2w's lower end", worthItEvidence{twoSided: acc(0.76, 0.80), matched: matched, double: acc(0.80+eps, 0.90)}, result.Mixed, ""},
		{"upper end touches matched's lower end", worthItEvidence{twoSided: acc(0.60, 0.70), matched: matched}, result.Mixed, ""},
		{"just below matched's lower end", worthItEvidence{twoSided: acc(0.60, 0.70-eps), matched: matched}, result.Refuted, ""},
		{"below matched and relu:2w", worthItEvidence{twoSided: acc(0.60, 0.65), matched: matched, double: acc(0.75, 0.80)}, result.Refuted, "and 0.7750 for ReLU width 16"},
		// A diverged run counts as chance accuracy (0.1), so nets that all
		// diverged give a zero-width interval at 0.1.
		{"every twosided run diverged", worthItEvidence{twoSided: acc(0.1, 0.1), matched: matched}, result.Refuted, "reached 0.1000"},
		{"relu:w is quoted but not decisive", worthItEvidence{twoSided: acc(0.76, 0.80), matched: matched, single: acc(0.9, 0.95)}, result.Confirmed, "(ReLU width 16: 0.9250)"},
		// No case with a NaN interval: every net has at least one seed and a
		// diverged run counts as 0.1, so the accuracy is never NaN.
	} {
		v := worthItVerdict(tc.in)
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: %s, %q; want %s with %q", tc.name, v.Outcome, v.Why, tc.want, tc.why)
		}
	}
}
