package sparsity

import (
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// est is a made-up estimate over three seeds.
func est(mean, lo, hi float64) metrics.Estimate {
	return metrics.Estimate{Mean: mean, Lo: lo, Hi: hi, N: 3}
}

// noRuns is the estimate of a variant none of whose runs finished.
var noRuns = metrics.Estimate{}

func TestSparserVerdict(t *testing.T) {
	init50 := est(0.50, 0.45, 0.55)
	cases := []struct {
		name   string
		e      sparserEvidence
		want   result.Outcome
		whyHas string
	}{
		{"relu not run", sparserEvidence{}, result.Mixed, "cannot be applied"},
		{"every relu run diverged", sparserEvidence{reluRan: true, zeroInit: init50, zeroTrained: noRuns}, result.Mixed, "cannot be applied"},
		{"Glorot's 50% to 83.4%", sparserEvidence{true, init50, est(0.834, 0.80, 0.87)}, result.Confirmed, "83.4% after training"},
		{"at the 0.5 floor, CI above init", sparserEvidence{true, est(0.40, 0.38, 0.42), est(0.50, 0.43, 0.57)}, result.Confirmed, "50.0% after training"},
		{"just below the 0.5 floor, CI above init", sparserEvidence{true, est(0.40, 0.38, 0.42), est(0.4999, 0.43, 0.57)}, result.Refuted, "50.0% after training"},
		{"sparser than init but below the floor", sparserEvidence{true, est(0.30, 0.28, 0.32), est(0.45, 0.40, 0.50)}, result.Refuted, "45.0%"},
		{"less sparse after training, as in the quick run", sparserEvidence{true, est(0.509, 0.425, 0.594), est(0.378, 0.266, 0.491)}, result.Refuted, "37.8%"},
		{"above the floor, CI overlaps init", sparserEvidence{true, init50, est(0.60, 0.50, 0.70)}, result.Mixed, "60.0%"},
		{"CI lower end equals init's upper end", sparserEvidence{true, init50, est(0.65, 0.55, 0.75)}, result.Mixed, ""},
		{"CI lower end just above init's upper end", sparserEvidence{true, init50, est(0.65, 0.5501, 0.75)}, result.Confirmed, ""},
		{"above the floor, CI below init", sparserEvidence{true, est(0.80, 0.75, 0.85), est(0.60, 0.55, 0.65)}, result.Refuted, ""},
		{"CI upper end equals init's lower end", sparserEvidence{true, est(0.80, 0.75, 0.85), est(0.65, 0.55, 0.75)}, result.Mixed, ""},
	}
	for _, tc := range cases {
		v := sparserVerdict(tc.e)
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.whyHas) {
			t.Errorf("%s: %s (%s), want %s with %q", tc.name, v.Outcome, v.Why, tc.want, tc.whyHas)
		}
	}
}

func TestSparseAccuracyVerdict(t *testing.T) {
	relu := est(0.80, 0.78, 0.82)
	dense := func(name string, acc metrics.Estimate) variantAccuracy {
		return variantAccuracy{name: name, zeroTrained: est(0, 0, 0), acc: acc}
	}
	withZeros := func(zeros float64, acc metrics.Estimate) variantAccuracy {
		return variantAccuracy{name: "other", zeroTrained: est(zeros, zeros, zeros), acc: acc}
	}
	better := est(0.90, 0.88, 0.92) // entirely above relu's CI
	worse := est(0.70, 0.68, 0.72)  // entirely below relu's CI
	cases := []struct {
		name   string
		e      sparseAccuracyEvidence
		want   result.Outcome
		whyHas string
	}{
		{"relu not run", sparseAccuracyEvidence{others: []variantAccuracy{dense("tanh", better)}}, result.Mixed, "relu was not run"},
		{"no other variant", sparseAccuracyEvidence{reluRan: true, reluAcc: relu}, result.Mixed, "No dense variant"},
		{"only a sparse variant (two-sided, half zeros)", sparseAccuracyEvidence{true, relu, []variantAccuracy{withZeros(0.5, better)}}, result.Mixed, "No dense variant"},
		{"dense variant whose every run diverged", sparseAccuracyEvidence{true, relu, []variantAccuracy{{name: "tanh", zeroTrained: noRuns, acc: est(0.1, 0.1, 0.1)}}}, result.Mixed, "No dense variant"},
		{"exactly 1% zeros is not dense", sparseAccuracyEvidence{true, relu, []variantAccuracy{withZeros(0.01, better)}}, result.Mixed, "No dense variant"},
		{"just below 1% zeros is dense", sparseAccuracyEvidence{true, relu, []variantAccuracy{withZeros(0.0099, better)}}, result.Refuted, "below 1 of them"},
		{"CIs overlap every dense variant", sparseAccuracyEvidence{true, relu, []variantAccuracy{dense("leaky", est(0.81, 0.79, 0.83)), dense("tanh", est(0.79, 0.77, 0.81))}}, result.Confirmed, "below 0 of them"},
		{"clearly better than every dense variant", sparseAccuracyEvidence{true, relu, []variantAccuracy{dense("tanh", worse)}}, result.Confirmed, "above 1 ([tanh])"},
		{"relu's upper end touches the other's lower end", sparseAccuracyEvidence{true, relu, []variantAccuracy{dense("tanh", est(0.84, 0.82, 0.86))}}, result.Confirmed, "below 0 of them"},
		{"relu's upper end just below the other's lower end", sparseAccuracyEvidence{true, relu, []variantAccuracy{dense("tanh", est(0.84, 0.8201, 0.86))}}, result.Refuted, "below 1 of them ([tanh])"},
		{"clearly worse than one, overlapping another", sparseAccuracyEvidence{true, relu, []variantAccuracy{dense("elu", better), dense("tanh", relu)}}, result.Refuted, "below 1 of them ([elu]) and above 0"},
		{"clearly worse than one, clearly better than another", sparseAccuracyEvidence{true, relu, []variantAccuracy{dense("elu", better), dense("tanh", worse)}}, result.Mixed, "below 1 of them ([elu]) and above 1 ([tanh])"},
		{"a sparse variant is left out of the comparison", sparseAccuracyEvidence{true, relu, []variantAccuracy{withZeros(0.5, better), dense("tanh", relu)}}, result.Confirmed, "against tanh 0.8000;"},
	}
	for _, tc := range cases {
		v := sparseAccuracyVerdict(tc.e)
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.whyHas) {
			t.Errorf("%s: %s (%s), want %s with %q", tc.name, v.Outcome, v.Why, tc.want, tc.whyHas)
		}
	}
}
