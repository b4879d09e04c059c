package metrics

import (
	"math"
	"testing"
)

func TestRatioCI(t *testing.T) {
	// b is a twice as fast: the ratio of geometric means is exactly 2, and
	// the interval is symmetric on the log scale (Lo * Hi = 4).
	e := RatioCI([]float64{2, 4, 8}, []float64{1, 2, 4})
	if math.Abs(e.Mean-2) > 1e-12 || math.Abs(e.Lo*e.Hi-4) > 1e-9 || !(e.Lo < 2 && e.Hi > 2) {
		t.Errorf("RatioCI = %+v, want 2 with Lo*Hi = 4", e)
	}
	// Non-positive values are skipped rather than turned into -Inf logs.
	if e := RatioCI([]float64{3, 0, -1, 3}, []float64{1, 1}); math.Abs(e.Mean-3) > 1e-12 || e.N != 4 || e.Lo != e.Hi {
		t.Errorf("RatioCI with non-positive values = %+v, want 3 over 4 values", e)
	}
}

func TestGeoMeanCI(t *testing.T) {
	e := GeoMeanCI([]float64{1, 10, 100})
	if math.Abs(e.Mean-10) > 1e-9 || math.Abs(e.Lo*e.Hi-100) > 1e-6 || e.N != 3 {
		t.Errorf("GeoMeanCI = %+v, want 10 with Lo*Hi = 100", e)
	}
}
