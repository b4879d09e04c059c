package metrics

import (
	"math"
	"testing"

	"github.com/reluexp/reluexp/model"
)

func TestMeanCIMatchesStudentT(t *testing.T) {
	// 1, 2, 3, 4, 5: mean 3, sd sqrt(2.5), t(0.975, 4) = 2.7764451.
	e := MeanCI([]float64{1, 2, 3, 4, 5})
	h := 2.7764451051977987 * math.Sqrt(2.5) / math.Sqrt(5)
	if e.Mean != 3 || math.Abs(e.Lo-(3-h)) > 1e-9 || math.Abs(e.Hi-(3+h)) > 1e-9 || e.N != 5 {
		t.Errorf("MeanCI = %+v, want mean 3 +- %g", e, h)
	}
	// Non-finite values are skipped.
	if e := MeanCI([]float64{math.NaN(), 2, math.Inf(1), 4}); e.Mean != 3 || e.N != 2 {
		t.Errorf("MeanCI with NaN/Inf = %+v, want mean 3 over 2", e)
	}
	if e := MeanCI(nil); !math.IsNaN(e.Mean) || e.N != 0 {
		t.Errorf("MeanCI(nil) = %+v", e)
	}
}

func TestProportionCIStaysInUnitInterval(t *testing.T) {
	for _, c := range []struct{ k, n int }{{0, 10}, {10, 10}, {3, 10}, {500, 1000}} {
		e := ProportionCI(c.k, c.n)
		if e.Lo < 0 || e.Hi > 1 || e.Lo > e.Mean || e.Hi < e.Mean {
			t.Errorf("ProportionCI(%d, %d) = %+v", c.k, c.n, e)
		}
		if c.k == 0 && !(e.Hi > 0) {
			t.Errorf("ProportionCI(0, n) must have a positive upper bound, got %+v", e)
		}
	}
	// Wilson interval for 500/1000: half-width about 0.031.
	if e := ProportionCI(500, 1000); math.Abs(e.HalfWidth()-0.0309) > 0.001 {
		t.Errorf("half-width %g, want ~0.031", e.HalfWidth())
	}
}

func TestQuantile(t *testing.T) {
	xs := []float64{5, 1, 3, 2, 4}
	if m := Median(xs); m != 3 {
		t.Errorf("median %g", m)
	}
	if q := Quantile(xs, 0.25); q != 2 {
		t.Errorf("quartile %g", q)
	}
	if xs[0] != 5 {
		t.Error("Quantile reordered its input")
	}
}

func TestDeadUnitTrackerAcrossBatches(t *testing.T) {
	tr := NewDeadUnitTracker(3)
	tr.Observe(model.MatrixFrom(2, 3, []float64{0, 1, 0, 0, 0, 0}))
	if f := tr.Fraction(); math.Abs(f-2.0/3) > 1e-15 {
		t.Errorf("after batch 1: %g dead, want 2/3", f)
	}
	// Unit 2 fires in a later batch: it was never dead.
	tr.Observe(model.MatrixFrom(1, 3, []float64{0, 0, 0.5}))
	if got := tr.Dead(); !got[0] || got[1] || got[2] {
		t.Errorf("dead = %v, want [true false false]", got)
	}
	// Two columns per unit (two-sided): unit 0 is alive through column 2.
	ts := NewDeadUnitTracker(2)
	ts.Observe(model.MatrixFrom(1, 4, []float64{0, 0, -1, 0}))
	if got := ts.Dead(); got[0] || !got[1] {
		t.Errorf("two-sided dead = %v, want [false true]", got)
	}
}

func TestGradientFractions(t *testing.T) {
	dz := []float64{0, 2, 0.5, 0}
	dh := []float64{3, 2, 1, 0}
	if f := PassOrBlockFraction(dz, dh); f != 0.75 {
		t.Errorf("pass-or-block %g, want 0.75", f)
	}
	if f := ZeroFraction(dz); f != 0.5 {
		t.Errorf("zero fraction %g", f)
	}
	if f := NearZeroFraction([]float64{1e-4, -1e-4, 0.1}, 1e-3); math.Abs(f-2.0/3) > 1e-15 {
		t.Errorf("near-zero %g", f)
	}
	a := model.MatrixFrom(2, 2, []float64{3, 4, 0, 1})
	b := model.MatrixFrom(2, 1, []float64{2, 5})
	if m := MeanExampleOuterNorm(a, b); m != (5*2+1*5)/2.0 {
		t.Errorf("outer norm %g", m)
	}
	if !math.IsNaN(Log10(0)) || Log10(100) != 2 {
		t.Error("Log10")
	}
}

func TestEstimateJSONRoundTripsNaN(t *testing.T) {
	in := Estimate{Mean: math.NaN(), Lo: 1, Hi: math.Inf(1), SD: 0.5, N: 3}
	b, err := in.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"mean":null,"ci95_lo":1,"ci95_hi":null,"sd":0.5,"n":3}` {
		t.Errorf("encoded %s", b)
	}
	var out Estimate
	if err := out.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(out.Mean) || out.Lo != 1 || !math.IsNaN(out.Hi) || out.N != 3 {
		t.Errorf("decoded %+v", out)
	}
}
