package speed

import (
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// ci is an estimate with the given 95% interval, centred on it.
func ci(lo, hi float64) metrics.Estimate {
	return metrics.Estimate{Mean: (lo + hi) / 2, Lo: lo, Hi: hi, N: 3}
}

var nan = math.NaN()

func checkVerdict(t *testing.T, name string, v result.Verdict, want result.Outcome, whyHas string) {
	t.Helper()
	if v.Outcome != want {
		t.Errorf("%s: %s, want %s (why: %s)", name, v.Outcome, want, v.Why)
	}
	if !strings.Contains(v.Why, whyHas) {
		t.Errorf("%s: why %q lacks %q", name, v.Why, whyHas)
	}
}

// kernelAt is one kernel size with tanh's and sigmoid's time over ReLU's
// given by their CIs' lower bounds (upper bounds 50).
func kernelAt(n int, tanhLo, sigmoidLo float64) kernelSizeStats {
	return kernelSizeStats{size: n,
		others: []namedRatio{
			{name: "tanh", ratio: ratioStats{geoMean: ci(tanhLo, 50), median: 8.3}},
			{name: "sigmoid", ratio: ratioStats{geoMean: ci(sigmoidLo, 50), median: 8.4}},
		},
		reluOverCopy: ratioStats{geoMean: ci(0.5, 1.5), median: 0.7}, scalarOverCopy: ratioStats{geoMean: ci(3, 5), median: 4.3}}
}

// kernelVerdict can return all three outcomes. A configuration without
// kernel sizes would make it CONFIRMED with no comparison, but validation
// requires one, so that case is not asserted.
func TestKernelVerdict(t *testing.T) {
	cases := []struct {
		name   string
		sizes  []kernelSizeStats
		skip   bool // relu or both tanh and sigmoid were not timed
		want   result.Outcome
		whyHas string
	}{
		{"relu or tanh and sigmoid not timed", nil, true, result.Mixed, "cannot be applied"},
		{"every CI above 1 at both sizes", []kernelSizeStats{kernelAt(4096, 2, 2), kernelAt(65536, 1.5, 3)}, false, result.Confirmed, "at 4096 elements tanh 8.3x and sigmoid 8.4x"},
		{"lower bounds just above 1", []kernelSizeStats{kernelAt(4096, 1.001, 1.001)}, false, result.Confirmed, "forward pass runs at 0.7x a copy (a scalar-loop ReLU at 4.3x)"},
		{"lower bounds exactly 1 are not above", []kernelSizeStats{kernelAt(4096, 1, 1)}, false, result.Refuted, ""},
		{"one lower bound exactly 1, the other above", []kernelSizeStats{kernelAt(4096, 1, 1.001)}, false, result.Mixed, ""},
		{"above at the small size, straddling at the large", []kernelSizeStats{kernelAt(4096, 2, 2), kernelAt(65536, 0.4, 0.6)}, false, result.Mixed, "at 65536 elements"},
		{"every interval straddles 1", []kernelSizeStats{kernelAt(4096, 0.4, 0.6), kernelAt(65536, 0.9, 0.99)}, false, result.Refuted, ""},
		{"no samples (NaN interval) is not above", []kernelSizeStats{kernelAt(4096, nan, 2)}, false, result.Mixed, ""},
	}
	for _, tc := range cases {
		checkVerdict(t, tc.name, kernelVerdict(kernelEvidence{comparable: !tc.skip, sizes: tc.sizes}), tc.want, tc.whyHas)
	}
}

// stepNet is one timed net whose tanh and sigmoid layers take beyond
// ReLU's layers the given lower bounds (in % of ReLU's step; upper bounds
// 20), and ReLU's layers 0.6% of its step.
func stepNet(net string, tanhLo, sigmoidLo float64) netStepStats {
	return netStepStats{net: net, reluShare: ci(0.3, 0.9),
		others: []layerCost{
			{name: "tanh", beyondReLU: ci(tanhLo, 20), wholeStep: ratioStats{geoMean: ci(0.9, 1.2), median: 1.04}},
			{name: "sigmoid", beyondReLU: ci(sigmoidLo, 20), wholeStep: ratioStats{geoMean: ci(0.9, 1.2), median: 1.04}},
		}}
}

// stepVerdict can return all three outcomes.
func TestStepVerdict(t *testing.T) {
	cases := []struct {
		name   string
		nets   []netStepStats
		skip   bool // neither tanh nor sigmoid was timed
		want   result.Outcome
		whyHas string
	}{
		{"neither tanh nor sigmoid timed", nil, true, result.Mixed, "cannot be applied"},
		{"every CI above 5% of a step in both nets", []netStepStats{stepNet("32x32", 6, 7), stepNet("64x64", 5.5, 9)}, false, result.Confirmed, "hidden 32x32: ReLU's layers take 0.6% of its step"},
		{"lower bounds just above the 5% floor", []netStepStats{stepNet("32x32", 5.001, 5.001)}, false, result.Confirmed, "(whole step 1.04x)"},
		{"lower bound exactly 5% is small, not meaningful", []netStepStats{stepNet("32x32", 5, 6)}, false, result.Mixed, ""},
		{"detectable but below 5% everywhere", []netStepStats{stepNet("32x32", 0.5, 1), stepNet("64x64", 0.2, 0.3)}, false, result.Mixed, ""},
		{"meaningful in one net, straddling 0 in the other", []netStepStats{stepNet("32x32", 6, 6), stepNet("64x64", -1, -1)}, false, result.Mixed, "hidden 64x64"},
		{"one lower bound just above 0", []netStepStats{stepNet("32x32", 0.001, -1)}, false, result.Mixed, ""},
		{"lower bounds exactly 0 are not detectable", []netStepStats{stepNet("32x32", 0, 0)}, false, result.Refuted, ""},
		{"every interval straddles 0", []netStepStats{stepNet("32x32", -1, -0.5), stepNet("64x64", -2, -0.1)}, false, result.Refuted, ""},
	}
	for _, tc := range cases {
		checkVerdict(t, tc.name, stepVerdict(stepEvidence{comparable: !tc.skip, nets: tc.nets}), tc.want, tc.whyHas)
	}
}

// Shorthands for tanh and sigmoid against ReLU on the way to the target.
func reached(name string, lo, hi float64) versusReLU {
	return versusReLU{name: name, reached: true, ratio: ci(lo, hi), lr: 0.3}
}

func neverReached(name string) versusReLU { return versusReLU{name: name, lr: nan} }

// updatesVerdict can return all three outcomes.
func TestUpdatesVerdict(t *testing.T) {
	cases := []struct {
		name        string
		reluReached bool
		others      []versusReLU
		want        result.Outcome
		whyHas      string
	}{
		{"neither tanh nor sigmoid trained", true, nil, result.Mixed, "cannot be applied"},
		{"no activation reached the target", false, []versusReLU{neverReached("tanh"), neverReached("sigmoid")}, result.Mixed, "No activation reached 90% training accuracy within 300 updates"},
		{"relu never reached it while tanh did", false, []versusReLU{reached("tanh", 0.5, 2), neverReached("sigmoid")}, result.Refuted, "ReLU never reached 90%"},
		{"both ratios' CIs above 1", true, []versusReLU{reached("tanh", 1.5, 3), reached("sigmoid", 2, 4)}, result.Confirmed, "in 52 updates (3.33 epochs); tanh needed 2.25x as many [1.50, 3.00]"},
		{"lower bounds just above 1", true, []versusReLU{reached("tanh", 1.001, 3), reached("sigmoid", 1.001, 3)}, result.Confirmed, ""},
		{"neither reached: both count as slower", true, []versusReLU{neverReached("tanh"), neverReached("sigmoid")}, result.Confirmed, "tanh never reached it, sigmoid never reached it (AlexNet: tanh 6x slower; no ratio to compare)"},
		{"lower bound exactly 1 is not faster", true, []versusReLU{reached("tanh", 1, 3), reached("sigmoid", 2, 4)}, result.Mixed, ""},
		{"sigmoid never reached, tanh straddles 1", true, []versusReLU{reached("tanh", 0.5, 2), neverReached("sigmoid")}, result.Mixed, ""},
		{"both intervals straddle 1", true, []versusReLU{reached("tanh", 0.12, 2.05), reached("sigmoid", 0.77, 3.52)}, result.Refuted, "every upper 95% bound here is below 6"},
		{"relu slower than both", true, []versusReLU{reached("tanh", 0.2, 0.5), reached("sigmoid", 0.3, 0.9)}, result.Refuted, ""},
		{"upper bound reaching AlexNet's 6x", true, []versusReLU{reached("tanh", 2, 7), reached("sigmoid", 2, 4)}, result.Confirmed, "1 of 2 upper 95% bounds here are below 6"},
	}
	for _, tc := range cases {
		e := updatesEvidence{target: 0.9, maxSteps: 300, comparable: len(tc.others) > 0, reluReached: tc.reluReached, reluLR: 0.03, epochsPerStep: 0.064, others: tc.others}
		if tc.reluReached {
			e.reluUpdates = ci(24, 80)
		}
		checkVerdict(t, tc.name, updatesVerdict(e), tc.want, tc.whyHas)
	}
}

// secondsVerdict can return all three outcomes.
func TestSecondsVerdict(t *testing.T) {
	cases := []struct {
		name        string
		reluReached bool
		others      []versusReLU
		want        result.Outcome
		whyHas      string
	}{
		{"neither tanh nor sigmoid trained", true, nil, result.Mixed, "cannot be applied"},
		{"no activation reached the target", false, []versusReLU{neverReached("tanh"), neverReached("sigmoid")}, result.Mixed, "ReLU never reached the target"},
		{"relu never reached it while sigmoid did", false, []versusReLU{neverReached("tanh"), reached("sigmoid", 0.5, 2)}, result.Refuted, "see the verdict on updates"},
		{"both ratios' CIs above 1", true, []versusReLU{reached("tanh", 1.5, 3), reached("sigmoid", 2, 4)}, result.Confirmed, "ReLU trained to the target in 0.05 s; tanh took 2.25x as long [1.50, 3.00]"},
		{"lower bounds just above 1", true, []versusReLU{reached("tanh", 1.001, 3), reached("sigmoid", 1.001, 3)}, result.Confirmed, ""},
		{"neither reached: both count as slower", true, []versusReLU{neverReached("tanh"), neverReached("sigmoid")}, result.Confirmed, "no ratio to compare"},
		{"lower bound exactly 1 is not faster", true, []versusReLU{reached("tanh", 2, 4), reached("sigmoid", 1, 3)}, result.Mixed, ""},
		{"tanh above 1, sigmoid straddles", true, []versusReLU{reached("tanh", 2, 4), reached("sigmoid", 0.8, 3)}, result.Mixed, ""},
		{"both intervals straddle 1", true, []versusReLU{reached("tanh", 0.13, 2.13), reached("sigmoid", 0.8, 3.66)}, result.Refuted, "every upper 95% bound here is below 6"},
	}
	for _, tc := range cases {
		e := secondsEvidence{target: 0.9, comparable: len(tc.others) > 0, reluReached: tc.reluReached, others: tc.others}
		if tc.reluReached {
			e.reluSeconds = ci(0.02, 0.08)
		}
		checkVerdict(t, tc.name, secondsVerdict(e), tc.want, tc.whyHas)
	}
}

func TestAlexNetReading(t *testing.T) {
	ratio := func(hi float64) result.Evidence { return result.Evidence{Estimate: ci(0.5, hi), Unit: "x"} }
	cases := []struct {
		name string
		ev   []result.Evidence
		want string
	}{
		{"no ratio, only ReLU's own count", []result.Evidence{{Estimate: ci(20, 80), Unit: "updates"}}, "no ratio to compare"},
		{"every upper bound below 6", []result.Evidence{ratio(2), ratio(5.99)}, "every upper 95% bound here is below 6"},
		{"an upper bound exactly 6 is not below", []result.Evidence{ratio(2), ratio(6)}, "1 of 2 upper 95% bounds here are below 6"},
		{"no upper bound below 6", []result.Evidence{ratio(7), ratio(60)}, "0 of 2 upper 95% bounds here are below 6"},
	}
	for _, tc := range cases {
		if got := alexNetReading(tc.ev); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
