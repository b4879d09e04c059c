package metrics

import (
	"math"
	"testing"
)

// Student's sleep data (Cushny & Peebles 1905; R's `sleep` data set): extra
// hours of sleep of ten patients under two drugs. R's
// t.test(extra ~ group, data = sleep, paired = TRUE) gives a mean
// difference of 1.58 (drug 2 minus drug 1) with the 95% interval
// [0.7001142, 2.4598858]. The 90% interval is worked out by hand from the
// same standard error, 1.229995/sqrt(10) = 0.3889587, and t_{0.95, 9} =
// 1.833113 (a t table): 1.58 ± 0.7130, i.e. [0.8670, 2.2930].
var (
	sleepDrug1 = []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	sleepDrug2 = []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
)

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

func TestPairedDiffStudentSleep(t *testing.T) {
	p := PairedDiff(sleepDrug2, sleepDrug1)
	if p.Diff.N != 10 || !near(p.Diff.Mean, 1.58, 1e-12) {
		t.Fatalf("mean difference %v over %d pairs, want 1.58 over 10", p.Diff.Mean, p.Diff.N)
	}
	if !near(p.Diff.Lo, 0.7001142, 1e-6) || !near(p.Diff.Hi, 2.4598858, 1e-6) {
		t.Errorf("95%% interval [%.7f, %.7f], want R's [0.7001142, 2.4598858]", p.Diff.Lo, p.Diff.Hi)
	}
	if !near(p.Lo90, 0.866994, 1e-5) || !near(p.Hi90, 2.293006, 1e-5) {
		t.Errorf("90%% interval [%.6f, %.6f], want [0.866994, 2.293006]", p.Lo90, p.Hi90)
	}
	// TOST at 5% with a margin of 2.5 hours: the 90% interval lies inside
	// ±2.5, so the drugs are "equivalent" at that margin but not at 2.
	if !(p.Lo90 > -2.5 && p.Hi90 < 2.5) || (p.Lo90 > -2 && p.Hi90 < 2) {
		t.Errorf("TOST reading of [%.3f, %.3f] is off", p.Lo90, p.Hi90)
	}
}

func TestPairedDiffLeavesOutDivergedPairs(t *testing.T) {
	a := []float64{1, 2, math.NaN(), 4}
	b := []float64{0, 1, 5, math.Inf(1)}
	p := PairedDiff(a, b)
	if p.Diff.N != 2 || p.Diff.Mean != 1 || p.Diff.SD != 0 {
		t.Errorf("got %+v, want the two finite pairs, both differing by 1", p.Diff)
	}
}

// MDE at 80% power, 5% two-sided, n = 10, sd = 1: (t_{0.975,9} +
// t_{0.80,9}) / sqrt(10) = (2.262157 + 0.883404) / 3.162278 = 0.994714,
// with the quantiles from a t table (the usual approximation to the exact
// noncentral-t power calculation).
func TestMDE(t *testing.T) {
	if got := MDE(1, 10); !near(got, 0.994714, 1e-5) {
		t.Errorf("MDE(1, 10) = %.6f, want 0.994714", got)
	}
	// Large n: the normal approximation (1.959964 + 0.841621) sd/sqrt(n).
	if got := MDE(2, 10000); !near(got, 2*2.801585/100, 1e-4) {
		t.Errorf("MDE(2, 10000) = %.6f, want 0.056032", got)
	}
	if !math.IsInf(MDE(1, 1), 1) {
		t.Error("MDE of one value must be +Inf: nothing is detectable")
	}
	// A proportion near 0.5 over 100 trials: 2.801585 * 0.05 = 0.14008.
	if got := ProportionMDE(0.5, 100); !near(got, 0.140079, 1e-5) {
		t.Errorf("ProportionMDE(0.5, 100) = %.6f, want 0.140079", got)
	}
}

// Wilson's interval for 81 of 263 (Newcombe 1998, Statistics in Medicine
// 17:857, example a): 0.2553 to 0.3662.
func TestProportionCINewcombe(t *testing.T) {
	e := ProportionCI(81, 263)
	if !near(e.Lo, 0.2553, 5e-5) || !near(e.Hi, 0.3662, 5e-5) {
		t.Errorf("Wilson interval of 81/263 = [%.4f, %.4f], want [0.2553, 0.3662]", e.Lo, e.Hi)
	}
}

// The 6-MP arm of Freireich et al. 1963 (remission times in weeks, + for
// censored, as in Gehan 1965): 6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+
// 22 23 25+ 32+ 32+ 34+ 35+. The Kaplan-Meier median is 23 weeks (Kleinbaum
// & Klein, Survival Analysis, the textbook's worked example); 9 of the 21
// relapsed.
func TestKaplanMeierFreireich(t *testing.T) {
	times := []float64{6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35}
	cens := []bool{false, false, false, true, false, true, false, true, true, false, false, true, true, true, false, false, true, true, true, true, true}
	s := KaplanMeier(times, cens)
	if s.Median != 23 || s.Reached != 9 || s.N != 21 {
		t.Errorf("got median %v, %d of %d reached; want 23, 9 of 21", s.Median, s.Reached, s.N)
	}
	// More than half censored before anyone reaches the target: no median.
	s = KaplanMeier([]float64{5, 10, 10}, []bool{false, true, true})
	if !math.IsInf(s.Median, 1) || s.Reached != 1 {
		t.Errorf("got %+v, want an infinite median and 1 reached", s)
	}
}

func TestMeanCILevel(t *testing.T) {
	d := make([]float64, len(sleepDrug1))
	for i := range d {
		d[i] = sleepDrug2[i] - sleepDrug1[i]
	}
	e := MeanCILevel(d, 0.90)
	if !near(e.Lo, 0.866994, 1e-5) || !near(e.Hi, 2.293006, 1e-5) {
		t.Errorf("90%% interval [%.6f, %.6f], want [0.866994, 2.293006]", e.Lo, e.Hi)
	}
}

// AtLevel at 95% gives MeanCI's interval back, and a Bonferroni level over
// three comparisons (1-0.05/3: the t quantile at 0.99167 with 9 df is
// 2.93332, by numerical integration of the density in mpmath; SD 1.22999
// over the ten sleep pairs) widens it to 1.58 +- 1.14094.
func TestAtLevel(t *testing.T) {
	d := make([]float64, len(sleepDrug1))
	for i := range d {
		d[i] = sleepDrug2[i] - sleepDrug1[i]
	}
	e := MeanCI(d)
	if got := AtLevel(e, 0.95); !near(got.Lo, e.Lo, 1e-12) || !near(got.Hi, e.Hi, 1e-12) {
		t.Errorf("95%%: [%.6f, %.6f], want MeanCI's [%.6f, %.6f]", got.Lo, got.Hi, e.Lo, e.Hi)
	}
	b := AtLevel(e, 1-0.05/3)
	if !near(b.Hi-b.Mean, 1.14094, 1e-5) || !near(b.Mean-b.Lo, 1.14094, 1e-5) {
		t.Errorf("Bonferroni over 3: [%.6f, %.6f] around %.4f, want half-width 1.14094", b.Lo, b.Hi, b.Mean)
	}
	if one := AtLevel(MeanCI([]float64{1}), 0.9); one.N != 1 {
		t.Errorf("one value: %+v, want it unchanged", one)
	}
}

func TestLeaveOneOut(t *testing.T) {
	d := []float64{1, 2, 3, 10}
	loo := LeaveOneOut(d)
	if len(loo) != 4 {
		t.Fatalf("got %d readings, want 4", len(loo))
	}
	for i, want := range []float64{5, 14.0 / 3, 13.0 / 3, 2} {
		if got := loo[i].Diff.Mean; math.Abs(got-want) > 1e-12 || loo[i].Diff.N != 3 {
			t.Errorf("without d[%d]: mean %v (n=%d), want %v (n=3)", i, got, loo[i].Diff.N, want)
		}
	}
	// Leaving out the outlier narrows the interval most.
	if !(loo[3].Diff.Hi-loo[3].Diff.Lo < loo[0].Diff.Hi-loo[0].Diff.Lo) {
		t.Errorf("interval without the outlier %v not narrower than without the first value %v", loo[3].Diff, loo[0].Diff)
	}
	if d[0] != 1 || d[3] != 10 {
		t.Errorf("LeaveOneOut changed its input: %v", d)
	}
}
