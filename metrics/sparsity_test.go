package metrics

import (
	"math"
	"testing"
)

func TestHistogram(t *testing.T) {
	h := NewHistogram(-1, 1, 4) // bins [-1,-0.5) [-0.5,0) [0,0.5) [0.5,1)
	h.Add([]float64{0, 0, -1, -0.75, -0.5, -1e-9, 1e-9, 0.5, 0.999999999, 1, -2, math.NaN(), math.Inf(1)})
	want := []int{2, 2, 1, 2}
	for i, c := range want {
		if h.Counts[i] != c {
			t.Errorf("bin %d (centre %g): %d, want %d", i, h.Centre(i), h.Counts[i], c)
		}
	}
	if h.Zeros != 2 || h.Under != 1 || h.Over != 1 || h.NonFinite != 2 {
		t.Errorf("zeros %d under %d over %d non-finite %d, want 2 1 1 2", h.Zeros, h.Under, h.Over, h.NonFinite)
	}
	if h.Total() != 13 {
		t.Errorf("total %d, want 13", h.Total())
	}
	o := NewHistogram(-1, 1, 4)
	o.Add([]float64{0.25})
	h.Merge(o)
	if h.Counts[2] != 2 || h.Total() != 14 {
		t.Errorf("after merge: bin 2 = %d, total %d; want 2 and 14", h.Counts[2], h.Total())
	}
	if c := h.Centre(0); c != -0.75 {
		t.Errorf("centre of bin 0 = %g, want -0.75", c)
	}
}
