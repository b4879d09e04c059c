package metrics

import (
	"math"
	"testing"
)

// SumOfMeans against a textbook case: two means over 5 units each with SD
// 1 have standard error sqrt(0.2+0.2) and Welch-Satterthwaite degrees of
// freedom 0.16/(0.04/4+0.04/4) = 8; Student's t table, df 8: t_0.975 =
// 2.306, t_0.95 = 1.860, t_0.80 = 0.889.
func TestSumOfMeans(t *testing.T) {
	a := Estimate{Mean: 1, SD: 1, N: 5}
	b := Estimate{Mean: 0.5, SD: 1, N: 5}
	p := SumOfMeans(a, b)
	se := math.Sqrt(0.4)
	near := func(what string, got, want float64) {
		if math.Abs(got-want) > 2e-3 {
			t.Errorf("%s: %g, want %g", what, got, want)
		}
	}
	near("mean", p.Diff.Mean, 1.5)
	near("95% lower end", p.Diff.Lo, 1.5-2.306*se)
	near("95% upper end", p.Diff.Hi, 1.5+2.306*se)
	near("90% lower end", p.Lo90, 1.5-1.860*se)
	near("MDE", p.MDE, (2.306+0.889)*se)
	if p.Diff.N != 5 {
		t.Errorf("n %d, want a's 5", p.Diff.N)
	}
	if q := SumOfMeans(Estimate{Mean: 1, N: 1}, b); !math.IsNaN(q.Diff.Lo) || !math.IsInf(q.MDE, 1) {
		t.Errorf("one unit: %+v, want no interval and no MDE", q)
	}
}

// RatioFromLog maps a mean log ratio and its interval back to ratios.
func TestRatioFromLog(t *testing.T) {
	r := RatioFromLog(Estimate{Mean: math.Log(2), Lo: math.Log(1.5), Hi: math.Log(3), SD: 0.1, N: 7})
	if math.Abs(r.Mean-2) > 1e-12 || math.Abs(r.Lo-1.5) > 1e-12 || math.Abs(r.Hi-3) > 1e-12 || r.N != 7 || r.SD != 0.1 {
		t.Errorf("%+v, want 2 [1.5, 3] over 7", r)
	}
}
