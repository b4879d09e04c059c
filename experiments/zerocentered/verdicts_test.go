package zerocentered

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// signWorld builds the mechanism rule's evidence for relu and tanh outputs
// and raw and std pixels, two cells per group at every batch size:
// reluAt1 is the fraction of one relu cell at batch 1 (the other has 1),
// tanhAt1 the fraction of both tanh cells at batch 1, reluAtLargest that of
// both relu cells at the largest batch. Everything else is textbook: 1 for
// raw pixels at batch 1, 0 behind inputs of both signs at batch 1, 0.9 at the
// other batches (both-sign groups there too: the rule must ignore them).
func signWorld(batches []int, reluAt1, tanhAt1, reluAtLargest float64) sameSignEvidence {
	largest := slices.Max(batches)
	var groups []signGroupEvidence
	add := func(layer, source string, batch int, nonNeg bool, fracs ...float64) {
		groups = append(groups, signGroupEvidence{group: signGroup{layer, source, batch}, nonNegative: nonNeg,
			fractions: fracs, fraction: metrics.MeanCI(fracs).Clamp(0, 1)})
	}
	for _, b := range batches {
		if b == 1 {
			add("hidden", "relu", b, true, 1, reluAt1)
			add("hidden", "tanh", b, false, tanhAt1, tanhAt1)
			add("input", "raw", b, true, 1, 1)
			add("input", "std", b, false, 0, 0)
			continue
		}
		relu := 0.9
		if b == largest {
			relu = reluAtLargest
		}
		add("hidden", "relu", b, true, relu, relu)
		add("hidden", "tanh", b, false, 0.9, 0.9)
		add("input", "raw", b, true, 0.9, 0.9)
		add("input", "std", b, false, 0.9, 0.9)
	}
	slices.SortFunc(groups, func(a, b signGroupEvidence) int { return strings.Compare(a.group.sortKey(), b.group.sortKey()) })
	return sameSignEvidence{batches: batches, groups: groups}
}

func TestSameSignVerdict(t *testing.T) {
	below := func(x float64) float64 { return math.Nextafter(x, math.Inf(-1)) }
	for _, tc := range []struct {
		name                            string
		batches                         []int
		reluAt1, tanhAt1, reluAtLargest float64
		want                            result.Outcome
		whyHas                          string
	}{
		{"batch size 1 not measured", []int{8, 32}, 1, 0, 0.9, result.Mixed, "batch size 1 was not measured"},
		{"forced at batch 1 and kept at batch 32", []int{1, 32}, 1, 0, 0.7, result.Confirmed, "every batch size up to 32"},
		{"only batch 1 measured", []int{1}, 1, 0, 1, result.Confirmed, "up to 1."},
		{"one cell short of exactly 1 at batch 1", []int{1, 32}, 0.999, 0, 0.7, result.Refuted, "was 0.9990"},
		{"just below exactly 1 at batch 1", []int{1, 32}, below(1), 0, 0.7, result.Refuted, "needs exactly 1"},
		{"no unit moved in a cell at batch 1 (NaN)", []int{1, 32}, math.NaN(), 0, 0.7, result.Refuted, "was NaN"},
		{"both signs at the 0.5 ceiling at batch 1", []int{1, 32}, 1, 0.5, 0.7, result.Refuted, "did not all have a mean below 0.5"},
		{"both signs just below the 0.5 ceiling", []int{1, 32}, 1, below(0.5), 0.7, result.Confirmed, ""},
		{"non-negative at the 0.5 floor at batch 32", []int{1, 32}, 1, 0, 0.5, result.Confirmed, ""},
		{"non-negative just below the 0.5 floor at batch 32", []int{1, 32}, 1, 0, below(0.5), result.Mixed, "at batch size 32 the fraction was 0.50 for relu outputs; 0.90 for raw pixels"},
		{"falls below the floor at the larger of two batches", []int{1, 8, 128}, 1, 0, 0.1, result.Mixed, "at batch sizes 8, 128 the fraction was 0.90, 0.10 for relu outputs"},
		{"refuted takes precedence over falling below", []int{1, 32}, 0.5, 0, 0.1, result.Refuted, "was 0.5000"},
	} {
		v := sameSignVerdict(signWorld(tc.batches, tc.reluAt1, tc.tanhAt1, tc.reluAtLargest))
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.whyHas) {
			t.Errorf("%s: %s (%s), want %s with %q", tc.name, v.Outcome, v.Why, tc.want, tc.whyHas)
		}
	}
}

// Reports quote a verdict's first number: ReLU at batch 1, then the other
// groups behind inputs >= 0, then those behind both signs.
func TestSameSignVerdictLeadsWithReLU(t *testing.T) {
	v := sameSignVerdict(signWorld([]int{1, 8, 32}, 1, 0, 0.7))
	var names []string
	for _, e := range v.Evidence {
		names = append(names, e.Name)
	}
	want := []string{
		"relu outputs (all >= 0), batch 1: same-sign fraction",
		"relu outputs (all >= 0), batch 32: same-sign fraction",
		"raw pixels (all >= 0), batch 1: same-sign fraction",
		"raw pixels (all >= 0), batch 32: same-sign fraction",
		"tanh outputs (both signs), batch 1: same-sign fraction",
		"std pixels (both signs), batch 1: same-sign fraction",
	}
	if !slices.Equal(names, want) {
		t.Errorf("evidence\n%s\nwant\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
}

// est is a log10-steps estimate with its interval.
func est(mean, lo, hi float64) metrics.Estimate {
	return metrics.Estimate{Mean: mean, Lo: lo, Hi: hi, N: 5}
}

// speedWorld gives sigmoid/raw, tanh/raw and tanh/std, as many as
// estimates are given, those log10 steps, and pairs each arm with the next:
// sigmoid/raw against tanh/raw, tanh/raw against tanh/std.
func speedWorld(logSteps ...metrics.Estimate) speedEvidence {
	arms := []string{"sigmoid/raw", "tanh/raw", "tanh/std"}
	e := speedEvidence{window: 20, target: 0.3, lrs: []float64{0.1, 1}}
	for i := 1; i < len(logSteps); i++ {
		e.pairs = append(e.pairs, speedComparison{
			uncentred: armSpeed{arm: arms[i-1], lr: 1, logSteps: logSteps[i-1]},
			centred:   armSpeed{arm: arms[i], lr: 1, logSteps: logSteps[i]},
		})
	}
	return e
}

func TestSpeedVerdict(t *testing.T) {
	m := math.Log10(minSpeedup)
	below := func(x float64) float64 { return math.Nextafter(x, math.Inf(-1)) }
	slow, fast, fastest := est(2, 1.9, 2.1), est(1.7, 1.6, 1.8), est(1.4, 1.3, 1.5)
	for _, tc := range []struct {
		name   string
		world  speedEvidence
		want   result.Outcome
		whyHas string
	}{
		{"no uncentred/centred pair", speedWorld(), result.Mixed, "no uncentred/centred pair"},
		{"centred twice as fast, intervals apart", speedWorld(slow, fast), result.Confirmed, "faster in 1 of 1 pairs: sigmoid/raw 100 vs tanh/raw 50 steps (centred faster)"},
		{"intervals overlap", speedWorld(est(2, 1.75, 2.25), fast), result.Refuted, "(no clear difference)"},
		{"centred upper end touches uncentred lower end", speedWorld(est(2, 1.8, 2.2), fast), result.Refuted, "(no clear difference)"},
		{"centred upper end just below uncentred lower end", speedWorld(est(2, 1.8, 2.2), est(1.7, 1.6, below(1.8))), result.Confirmed, "(centred faster)"},
		{"speedup exactly 1.1, intervals apart", speedWorld(est(m, 0.002, 0.08), est(0, -0.001, 0.001)), result.Confirmed, "(centred faster)"},
		{"speedup just below 1.1, intervals apart", speedWorld(est(below(m), 0.002, 0.08), est(0, -0.001, 0.001)), result.Refuted, "(no clear difference)"},
		{"uncentred faster", speedWorld(fast, slow), result.Refuted, "(uncentred faster)"},
		{"uncentred faster by just under 1.1", speedWorld(est(0, -0.001, 0.001), est(below(m), 0.002, 0.08)), result.Refuted, "(no clear difference)"},
		{"centred faster in one of two pairs", speedWorld(slow, fast, fast), result.Mixed, "faster in 1 of 2 pairs"},
		{"centred faster in both pairs", speedWorld(slow, fast, fastest), result.Confirmed, "faster in 2 of 2 pairs"},
		{"no clear difference in either pair", speedWorld(slow, slow, slow), result.Refuted, "faster in 0 of 2 pairs"},
		{"uncentred faster in one pair, no difference in the other", speedWorld(fast, slow, slow), result.Refuted, "faster in 0 of 2 pairs"},
	} {
		v := speedVerdict(tc.world)
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.whyHas) {
			t.Errorf("%s: %s (%s), want %s with %q", tc.name, v.Outcome, v.Why, tc.want, tc.whyHas)
		}
	}
}

// An arm in two pairs is evidence once.
func TestSpeedVerdictListsArmsOnce(t *testing.T) {
	v := speedVerdict(speedWorld(est(2, 1.9, 2.1), est(1.7, 1.6, 1.8), est(1.4, 1.3, 1.5)))
	if len(v.Evidence) != 3 {
		t.Errorf("%d pieces of evidence for 3 arms: %+v", len(v.Evidence), v.Evidence)
	}
}
