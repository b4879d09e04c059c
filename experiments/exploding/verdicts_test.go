package exploding

import (
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// est is an estimate over five seeds.
func est(lo, mean, hi float64) metrics.Estimate {
	return metrics.Estimate{Mean: mean, Lo: lo, Hi: hi, N: 5}
}

// at is log10 growth at one gain whose 95% CI starts at lo and has its mean
// 0.3 above.
func at(gain, lo float64) gainGrowth { return gainGrowth{gain, est(lo, lo+0.3, lo+0.6)} }

// initCase is ReLU (nil: not measured) beside tanh (nil: not measured) at
// depth 20; the top gain is the last of relu's, or 4. ReLU's per-example
// weight gradient at the top gain is flat.
func initCase(relu, tanh []gainGrowth) initEvidence {
	e := initEvidence{depth: 20, top: 4, relu: relu}
	if len(relu) > 0 {
		e.top = relu[len(relu)-1].gain
		e.reluTop = initStats{z: relu[len(relu)-1].z, example: est(-0.1, 0, 0.1)}
	}
	if tanh != nil {
		e.bounded = []boundedGrowth{{name: "tanh", growth: tanh, atTop: tanh[len(tanh)-1].z}}
	}
	return e
}

func TestInitVerdict(t *testing.T) {
	noSeeds := gainGrowth{4, metrics.Estimate{Mean: 5, Lo: 5, Hi: 5}}
	cases := []struct {
		name       string
		relu, tanh []gainGrowth
		want       result.Outcome
		why        string // a part of Why, if not empty
	}{
		{"ReLU not measured", nil, []gainGrowth{at(4, 0)}, result.Mixed, "no ReLU net above the critical gain 2"},
		{"ReLU measured only up to the critical gain 2", []gainGrowth{at(1, 0), at(2, 3)}, nil, result.Mixed, "cannot be applied"},
		{"ReLU explodes at every gain above 2, tanh nowhere", []gainGrowth{at(2, 0), at(3, 1.5), at(4, 2)}, []gainGrowth{at(2, -1), at(4, 0.5)}, result.Confirmed, "by 10^1.8 at g=3, 10^2.3 at g=4, against tanh 10^0.8 at g=4"},
		{"ReLU's lower bound just above 1 decade", []gainGrowth{at(3, 1.001)}, nil, result.Confirmed, ""},
		{"ReLU's lower bound exactly 1 decade is no explosion", []gainGrowth{at(3, 1)}, nil, result.Refuted, ""},
		{"ReLU's interval straddles zero at every gain above 2", []gainGrowth{at(3, -0.3), at(4, -0.1)}, nil, result.Refuted, ""},
		{"ReLU explodes at 4 but not at 3", []gainGrowth{at(3, 0.9), at(4, 2)}, nil, result.Mixed, ""},
		{"tanh's lower bound just above 1 decade at one gain", []gainGrowth{at(4, 2)}, []gainGrowth{at(2, 0), at(3, 1.001), at(4, 0.9)}, result.Mixed, "tanh from g=3 (10^1.3) also explodes"},
		{"tanh's lower bound exactly 1 decade", []gainGrowth{at(4, 2)}, []gainGrowth{at(4, 1)}, result.Confirmed, ""},
		{"tanh without seeds does not count", []gainGrowth{at(4, 2)}, []gainGrowth{noSeeds}, result.Confirmed, ""},
		{"ReLU explodes nowhere above 2 though tanh does", []gainGrowth{at(4, 0.5)}, []gainGrowth{at(4, 3)}, result.Refuted, ""},
	}
	for _, tc := range cases {
		v := initVerdict(initCase(tc.relu, tc.tanh))
		if v.Outcome != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, v.Outcome, tc.want, v.Why)
		}
		if !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: why %q, want it to contain %q", tc.name, v.Why, tc.why)
		}
	}
}

// The Why of the rule at initialisation says that weight gradients hide the
// explosion only when ReLU explodes at the top gain and the whole CI of its
// per-example weight gradient lies within half a decade of zero.
func TestInitVerdictWeightGradientClause(t *testing.T) {
	cases := []struct {
		name     string
		reluLo   float64 // lower bound of ReLU's growth at the top gain
		lo, hi   float64 // CI of the per-example weight gradient's growth
		wantFlat bool
	}{
		{"flat well inside half a decade", 2, -0.1, 0.1, true},
		{"upper end exactly at 0.5", 2, -0.1, 0.5, true},
		{"upper end just above 0.5", 2, -0.1, 0.501, false},
		{"lower end exactly at -0.5", 2, -0.5, 0.1, true},
		{"lower end just below -0.5", 2, -0.501, 0.1, false},
		{"flat, but ReLU's lower bound exactly 1 decade", 1, -0.1, 0.1, false},
	}
	for _, tc := range cases {
		e := initCase([]gainGrowth{at(4, tc.reluLo)}, nil)
		e.reluTop.example = est(tc.lo, (tc.lo+tc.hi)/2, tc.hi)
		v := initVerdict(e)
		if got := strings.Contains(v.Why, "weight-gradient norms hide the explosion"); got != tc.wantFlat {
			t.Errorf("%s: clause present %v, want %v (%s)", tc.name, got, tc.wantFlat, v.Why)
		}
		if got := weightGradientNote(20, 4, e.reluTop, initStats{}, false) != ""; got != tc.wantFlat {
			t.Errorf("%s: note present %v, want %v", tc.name, got, tc.wantFlat)
		}
	}
}

// runsOf is a remedy's runs at one learning rate with the given mean test
// accuracy; diverged runs stopped at step 12.
func runsOf(runs, diverged int, acc float64) remedyOutcome {
	return remedyOutcome{runs: runs, diverged: diverged, divergedFrac: metrics.ProportionCI(diverged, runs),
		divStep: est(10, 12, 14), testAcc: est(acc-0.1, acc, acc+0.1)}
}

func TestRemediesVerdict(t *testing.T) {
	allDiverged := runsOf(5, 5, chanceAccuracy)
	cases := []struct {
		name    string
		plain   remedyOutcome
		clipped remedyOutcome
		bn      *remedyOutcome
		want    result.Outcome
		why     string
	}{
		{"plain diverged in 4 of 5: no reliable divergence", runsOf(5, 4, 0.3), runsOf(5, 0, 0.9), &remedyOutcome{runs: 5}, result.Mixed, "only 4 of 5 runs diverged"},
		{"plain not run", remedyOutcome{}, runsOf(5, 0, 0.9), nil, result.Mixed, "only 0 of 0 runs diverged"},
		{"clipping and BatchNorm both learn", allDiverged, runsOf(5, 0, 0.9), ptr(runsOf(5, 0, 0.95)), result.Confirmed, "mean step 12.0"},
		{"both exactly at the 0.5 floor", allDiverged, runsOf(5, 0, 0.5), ptr(runsOf(5, 0, 0.5)), result.Confirmed, ""},
		{"clipping just below the 0.5 floor", allDiverged, runsOf(5, 0, 0.499), ptr(runsOf(5, 0, 0.9)), result.Mixed, "test accuracy 0.499 (no NaN, but the net did not learn)"},
		{"one clipped run of 5 diverged", allDiverged, runsOf(5, 1, 0.8), ptr(runsOf(5, 0, 0.9)), result.Mixed, ""},
		{"clipping learns, BatchNorm not run", allDiverged, runsOf(5, 0, 0.9), nil, result.Mixed, ""},
		{"BatchNorm learns, clipping diverges", allDiverged, runsOf(5, 2, 0.4), ptr(runsOf(5, 0, 0.9)), result.Mixed, ""},
		{"neither learns, but neither diverges", allDiverged, runsOf(5, 0, 0.2), ptr(runsOf(5, 0, 0.2)), result.Mixed, ""},
		{"clipping and BatchNorm each diverge once", allDiverged, runsOf(5, 1, 0.8), ptr(runsOf(5, 1, 0.8)), result.Refuted, "BatchNorm: 1 of 5 diverged"},
		{"clipping diverges, BatchNorm not run", allDiverged, runsOf(5, 5, chanceAccuracy), nil, result.Refuted, ""},
	}
	for _, tc := range cases {
		v := remediesVerdict(remediesEvidence{lr: 1, clip: 5, plain: tc.plain, clipped: tc.clipped, bn: tc.bn})
		if v.Outcome != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, v.Outcome, tc.want, v.Why)
		}
		if !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: why %q, want it to contain %q", tc.name, v.Why, tc.why)
		}
	}
}

func ptr(s remedyOutcome) *remedyOutcome { return &s }

// The sweep decides nothing; it only adds a clause to Why.
func TestClipSweepClause(t *testing.T) {
	cases := []struct {
		name  string
		sweep []clipOutcome
		want  string
	}{
		{"no sweep", nil, ""},
		{"only the judged threshold", []clipOutcome{{5, runsOf(5, 0, 0.9)}}, ""},
		{"one threshold learns", []clipOutcome{{0.5, runsOf(5, 0, 0.9)}, {5, runsOf(5, 0, 0.2)}}, "; of the thresholds [0.5 5], clipping at 0.5 let the net learn"},
		{"exactly at the 0.5 floor learns", []clipOutcome{{0.5, runsOf(5, 0, 0.5)}, {5, runsOf(5, 0, 0.499)}}, "; of the thresholds [0.5 5], clipping at 0.5 let the net learn"},
		{"none learns", []clipOutcome{{0.5, runsOf(5, 1, 0.9)}, {5, runsOf(5, 0, 0.499)}}, "; no clipping threshold in [0.5 5] let the net learn"},
	}
	for _, tc := range cases {
		if got := clipSweepClause(tc.sweep); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// An empty list of rates is not asserted: with BatchNorm run, the
// experiment runs both nets at every learning rate.
func TestBatchNormRangeVerdict(t *testing.T) {
	rate := func(lr, plainAcc, bnAcc float64) rateOutcome {
		return rateOutcome{lr, runsOf(5, 0, plainAcc), runsOf(5, 0, bnAcc)}
	}
	cases := []struct {
		name  string
		ran   bool
		rates []rateOutcome
		want  result.Outcome
		why   string
	}{
		{"BatchNorm not run", false, nil, result.Mixed, "was not run"},
		{"plain learns nowhere, BatchNorm at one rate", true, []rateOutcome{rate(0.1, 0.3, 0.4), rate(1, 0.1, 0.9)}, result.Confirmed, "learned at learning rates none, with BatchNorm at 1; the best test accuracy was 0.300 without and 0.900 with"},
		{"BatchNorm learns wherever plain does and one rate more", true, []rateOutcome{rate(0.1, 0.8, 0.85), rate(1, 0.2, 0.9)}, result.Confirmed, "learned at learning rates 0.1, with BatchNorm at 0.1, 1"},
		{"BatchNorm exactly at the 0.5 floor", true, []rateOutcome{rate(1, 0.2, 0.5)}, result.Confirmed, ""},
		{"BatchNorm just below the 0.5 floor", true, []rateOutcome{rate(1, 0.2, 0.499)}, result.Refuted, ""},
		{"neither learns anywhere", true, []rateOutcome{rate(0.1, 0.3, 0.4), rate(1, 0.1, 0.2)}, result.Refuted, "learned at learning rates none, with BatchNorm at none"},
		{"both learn everywhere: no rate left to gain", true, []rateOutcome{rate(0.1, 0.8, 0.85), rate(1, 0.9, 0.9)}, result.Refuted, ""},
		{"BatchNorm gains a rate but loses one", true, []rateOutcome{rate(0.1, 0.8, 0.3), rate(1, 0.2, 0.9)}, result.Mixed, ""},
		{"a BatchNorm run diverged where plain fails", true, []rateOutcome{{1, runsOf(5, 5, chanceAccuracy), runsOf(5, 1, 0.8)}}, result.Refuted, ""},
	}
	for _, tc := range cases {
		v := batchNormRangeVerdict(batchNormRangeEvidence{ran: tc.ran, rates: tc.rates})
		if v.Outcome != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, v.Outcome, tc.want, v.Why)
		}
		if !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: why %q, want it to contain %q", tc.name, v.Why, tc.why)
		}
	}
}
