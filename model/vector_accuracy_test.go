package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// accuracyInputs is a dense sweep of [-40, 40], random draws at several
// scales, and the edge values: ±0, subnormals, ±Inf, NaN, the extremes,
// both sides of the kink at 0, of exp's underflow (-708.4, -745) and
// overflow (709.8) thresholds, and of z = ±37, past which softplus(z)
// rounds to max(z, 0). The length is a multiple of 8, so that every value
// goes through the vector kernels.
func accuracyInputs() []float64 {
	var zs []float64
	for i := -400000; i <= 400000; i++ {
		zs = append(zs, float64(i)*1e-4)
	}
	rng := rand.New(rand.NewPCG(18, 18))
	for range 20000 {
		zs = append(zs, rng.NormFloat64()*3, (rng.Float64()*2-1)*800, (rng.Float64()*2-1)*1e-6,
			math.Ldexp(rng.Float64(), -rng.IntN(1074)), -math.Ldexp(rng.Float64(), -rng.IntN(1074)))
	}
	for _, z := range []float64{0, 5e-324, 1e-310, 2.2250738585072014e-308, 1e-300, 1e-20, 1e-9, 0.5, 1, 1.2785, 0.7518,
		math.Sqrt2 - 1, 0.8813735870195429, 2, 19, 25, 36, 37, 38, 700, 708.39, 708.4, 709.78, 709.79, 710, 744, 745, 746, 800, 1e300,
		math.MaxFloat64, math.Inf(1)} {
		for _, v := range []float64{z, -z, math.Nextafter(z, 0), -math.Nextafter(z, 0), math.Nextafter(z, math.Inf(1)), -math.Nextafter(z, math.Inf(1))} {
			zs = append(zs, v)
		}
	}
	zs = append(zs, math.NaN(), -math.NaN())
	for len(zs)%8 != 0 {
		zs = append(zs, 0.25)
	}
	return zs
}

// vectorError is the error of got against the scalar form's want, in units
// in the last place of the larger of |want| and floor; floor is the size of
// the largest term the scalar form adds (where terms cancel, the rounding
// of the terms, not of the result, bounds what either form can do). It is
// -1 for a mismatch of NaN, infinity or sign, and 0 where both are below
// 1e-300, where the vector forms flush exp to zero.
func vectorError(got, want, floor float64) float64 {
	switch {
	case math.IsNaN(want) || math.IsNaN(got):
		if math.IsNaN(want) && math.IsNaN(got) {
			return 0
		}
		return -1
	case math.IsInf(want, 0) || math.IsInf(got, 0):
		if got == want {
			return 0
		}
		return -1
	case math.Abs(want) < 1e-300 && math.Abs(got) < 1e-300:
		return 0
	case math.Signbit(got) != math.Signbit(want):
		return -1
	}
	return math.Abs(got-want) / ulp(math.Max(math.Abs(want), math.Abs(floor)))
}

// The vector kernels of ELU, SELU, swish and softplus agree with the scalar
// forms (built on the math package) within the stated bounds, forward and
// backward (dy = 1, so dz is the derivative), and handle ±0, infinities and
// NaN as they do. ELU's and SELU's backward passes need no exp and match the
// scalar loop bit for bit.
func TestVectorVariantsAccuracy(t *testing.T) {
	zs := accuracyInputs()
	ones := make([]float64, len(zs))
	for i := range ones {
		ones[i] = 1
	}
	y, dz := make([]float64, len(zs)), make([]float64, len(zs))
	for _, tc := range []struct {
		f              Elementwise
		fwdULP, bwdULP float64
		// floor returns the scale of the largest term of f and f'.
		floor func(z float64) (fwd, bwd float64)
	}{
		{ELU{Alpha: 1}, 2, 0, nil},
		{ELU{Alpha: 0.3}, 2, 0, nil},
		{SELU{}, 2, 0, nil},
		{Swish{}, 3, 3, func(z float64) (float64, float64) {
			s := sigmoid(z)
			return 0, math.Max(s, math.Abs(z*s))
		}},
		{Softplus{}, 2, 2, nil},
		{GELU{}, 5, 4, func(z float64) (float64, float64) {
			return 0, math.Max(normCDF(z), math.Abs(z*normPDF(z)))
		}},
	} {
		f := tc.f
		f.Forward(y, zs)
		f.Backward(dz, ones, zs, y)
		worstF, atF, worstB, atB := 0.0, 0.0, 0.0, 0.0
		for i, z := range zs {
			var floorF, floorB float64
			if tc.floor != nil {
				floorF, floorB = tc.floor(z)
			}
			eF := vectorError(y[i], f.Value(z), floorF)
			if eF < 0 {
				t.Errorf("%s(%v) = %v, scalar %v", f.Name(), z, y[i], f.Value(z))
			}
			if eF > worstF {
				worstF, atF = eF, z
			}
			wantB := f.Deriv(z)
			switch f := f.(type) {
			case ELU:
				// Backward reads the derivative from y.
				wantB = ones[i] * (y[i] + f.Alpha)
				if z > 0 {
					wantB = ones[i]
				}
			case GELU:
				// The scalar normPDF rounds z*z before exp, an error that
				// exp magnifies by z^2/2 (500 ulps near |z| = 37); the
				// kernel splits z^2 exactly, and is held to the reference
				// that does too.
				wantB = normCDF(z) + z*accurateNormPDF(z)
			case SELU:
				wantB = ones[i] * (y[i] + seluLambda*seluAlpha)
				if z > 0 {
					wantB = ones[i] * seluLambda
				}
			}
			eB := vectorError(dz[i], wantB, floorB)
			if eB < 0 {
				t.Errorf("%s'(%v) = %v, scalar %v", f.Name(), z, dz[i], wantB)
			}
			if eB > worstB {
				worstB, atB = eB, z
			}
		}
		if worstF > tc.fwdULP {
			t.Errorf("%s forward: worst error %.2f ulps at z = %v, bound %g", f.Name(), worstF, atF, tc.fwdULP)
		}
		if worstB > tc.bwdULP {
			t.Errorf("%s backward: worst error %.2f ulps at z = %v, bound %g", f.Name(), worstB, atB, tc.bwdULP)
		}
		t.Logf("%-10s forward %.2f ulps (z = %v), backward %.2f ulps (z = %v), over %d values", f.Name(), worstF, atF, worstB, atB, len(zs))
	}
}

// accurateNormPDF is exp(-z^2/2)/sqrt(2 pi) with z^2 = hi + lo split
// exactly, so that only exp's own rounding remains.
func accurateNormPDF(z float64) float64 {
	if math.Abs(z) > 40 {
		return normPDF(z) // 0, or NaN
	}
	hi := z * z
	lo := math.FMA(z, z, -hi)
	return math.Exp(-hi/2) * math.Exp(-lo/2) / math.Sqrt(2*math.Pi)
}
