package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ulps is the distance between a and b in units in the last place.
func ulps(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Max(ulp(a), ulp(b))
}

func ulp(x float64) float64 {
	x = math.Abs(x)
	return math.Nextafter(x, math.Inf(1)) - x
}

// The vector sigmoid and tanh agree with the scalar forms (built on the math
// package) to within 2 units in the last place over a wide range, keep full
// relative precision near zero, and handle the special values the same way.
func TestVectorSigmoidTanhAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	var zs []float64
	for range 20000 {
		zs = append(zs, rng.NormFloat64()*3, (rng.Float64()*2-1)*40, (rng.Float64()*2-1)*1e-6, math.Ldexp(rng.Float64(), -rng.IntN(60)))
	}
	zs = append(zs, 0, math.Copysign(0, -1), 1e-300, -1e-300, 19, -19, 25, -25, 700, -700, 708.5, -708.5, 745, -745, 800, -800,
		math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, -math.MaxFloat64, 5e-324)
	for len(zs)%8 != 0 {
		zs = append(zs, 0.5)
	}
	y := make([]float64, len(zs))
	for _, f := range []Elementwise{Sigmoid{}, Tanh{}} {
		f.Forward(y, zs)
		worst, at := 0.0, 0.0
		for i, z := range zs {
			want := f.Value(z)
			if math.IsNaN(want) {
				if !math.IsNaN(y[i]) {
					t.Errorf("%s(%v) = %v, want NaN", f.Name(), z, y[i])
				}
				continue
			}
			// Below 1e-300 the vector forms flush exp to zero.
			if math.Abs(want) < 1e-300 && math.Abs(y[i]) < 1e-300 {
				continue
			}
			if math.Signbit(y[i]) != math.Signbit(want) {
				t.Errorf("%s(%v) = %v, want %v (sign)", f.Name(), z, y[i], want)
			}
			if u := ulps(y[i], want); u > worst {
				worst, at = u, z
			}
		}
		if worst > 2 {
			t.Errorf("%s: worst error %.1f ulps at z = %v", f.Name(), worst, at)
		}
		t.Logf("%s: worst error %.2f ulps (at z = %v) over %d values", f.Name(), worst, at, len(zs))
	}
}
