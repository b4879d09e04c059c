package metrics

import (
	"math"
	"testing"
)

func TestWelchDiffCI(t *testing.T) {
	// Equal sizes and variances: Welch's df is 2(n-1) = 4 and the interval
	// is the pooled one, -3 +- t(0.975, 4) * sqrt(1/3 + 1/3).
	e := WelchDiffCI([]float64{1, 2, 3}, []float64{4, 5, 6})
	h := 2.7764451051977987 * math.Sqrt(2.0/3)
	if e.Mean != -3 || math.Abs(e.Lo-(-3-h)) > 1e-9 || math.Abs(e.Hi-(-3+h)) > 1e-9 || e.N != 6 {
		t.Errorf("WelchDiffCI = %+v, want -3 +- %g over 6", e, h)
	}
	if math.Abs(e.SD-math.Sqrt(2.0/3)) > 1e-12 {
		t.Errorf("standard error %g, want %g", e.SD, math.Sqrt(2.0/3))
	}
	// Unequal variances widen the interval beyond the pooled t's: with one
	// group constant, df = n-1 of the other group.
	e = WelchDiffCI([]float64{1, 2, 3, 4, 5}, []float64{7, 7, 7, 7})
	h = 2.7764451051977987 * math.Sqrt(2.5/5)
	if math.Abs(e.Mean-(-4)) > 1e-12 || math.Abs(e.HalfWidth()-h) > 1e-9 {
		t.Errorf("WelchDiffCI against a constant group = %+v, want -4 +- %g", e, h)
	}
	cases := []struct {
		name     string
		a, b     []float64
		mean     float64
		zeroWide bool
		nan      bool
	}{
		{"constant groups", []float64{2, 2}, []float64{1, 1}, 1, true, false},
		{"one value each", []float64{2}, []float64{1}, 1, true, false},
		{"empty group", nil, []float64{1, 2}, 0, false, true},
		{"non-finite skipped", []float64{2, math.NaN(), 2}, []float64{1, math.Inf(1), 1}, 1, true, false},
	}
	for _, c := range cases {
		e := WelchDiffCI(c.a, c.b)
		switch {
		case c.nan:
			if !math.IsNaN(e.Mean) {
				t.Errorf("%s: mean %g, want NaN", c.name, e.Mean)
			}
		case e.Mean != c.mean || (c.zeroWide && e.Lo != e.Hi):
			t.Errorf("%s: %+v, want mean %g with a zero-width interval", c.name, e, c.mean)
		}
	}
}

func TestFirstCrossing(t *testing.T) {
	xs := []float64{0, 10, 20, 30}
	cases := []struct {
		name  string
		ys    []float64
		level float64
		want  float64
		ok    bool
	}{
		{"interpolated", []float64{0.1, 0.5, 0.9, 0.95}, 0.7, 15, true},
		{"hits a sample", []float64{0.1, 0.5, 0.9, 0.95}, 0.9, 20, true},
		{"first sample", []float64{0.99, 0.5, 0.9, 0.95}, 0.9, 0, true},
		{"dips then crosses", []float64{0.1, 0.6, 0.4, 0.8}, 0.7, 27.5, true},
		{"never", []float64{0.1, 0.5, 0.6, 0.65}, 0.7, math.NaN(), false},
	}
	for _, c := range cases {
		got, ok := FirstCrossing(xs, c.ys, c.level)
		if ok != c.ok || (ok && math.Abs(got-c.want) > 1e-12) {
			t.Errorf("%s: FirstCrossing = %g, %v; want %g, %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestInterpolateAt(t *testing.T) {
	xs, ys := []float64{0, 10, 20}, []float64{1, 3, 2}
	for _, c := range []struct{ x, want float64 }{{-5, 1}, {0, 1}, {5, 2}, {10, 3}, {15, 2.5}, {25, 2}} {
		if got := InterpolateAt(xs, ys, c.x); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("InterpolateAt(%g) = %g, want %g", c.x, got, c.want)
		}
	}
}
