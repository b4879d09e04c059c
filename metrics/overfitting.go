package metrics

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Measures for comparing learning curves: where a curve first reaches a
// level, what another curve reads at that point, and the difference of two
// groups' means with its confidence interval.

// WelchDiffCI returns mean(a) - mean(b) with the 95% confidence interval of
// Welch's unequal-variance t procedure (Welch-Satterthwaite degrees of
// freedom). It is for comparing two groups of independent runs, such as the
// seeds of two activations, whose spreads need not be equal.
//
// Non-finite values are skipped. N is the number of finite values in both
// groups together, and SD holds the standard error of the difference (not
// a standard deviation). With fewer than two finite values in either group
// the interval is undefined and Lo and Hi equal the mean; with an empty
// group every field but N is NaN. If both groups are constant the interval
// has zero width.
func WelchDiffCI(a, b []float64) Estimate {
	ma, va, na := meanVar(a)
	mb, vb, nb := meanVar(b)
	if na == 0 || nb == 0 {
		nan := math.NaN()
		return Estimate{Mean: nan, Lo: nan, Hi: nan, SD: nan, N: na + nb}
	}
	d := ma - mb
	if na < 2 || nb < 2 {
		return Estimate{Mean: d, Lo: d, Hi: d, SD: math.NaN(), N: na + nb}
	}
	sa, sb := va/float64(na), vb/float64(nb)
	se := math.Sqrt(sa + sb)
	if se == 0 {
		return Estimate{Mean: d, Lo: d, Hi: d, SD: 0, N: na + nb}
	}
	df := (sa + sb) * (sa + sb) / (sa*sa/float64(na-1) + sb*sb/float64(nb-1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.975)
	return Estimate{Mean: d, Lo: d - t*se, Hi: d + t*se, SD: se, N: na + nb}
}

// meanVar is the mean and unbiased variance of the finite values of xs, and
// their number.
func meanVar(xs []float64) (mean, variance float64, n int) {
	var sum float64
	for _, x := range xs {
		if isFinite(x) {
			sum += x
			n++
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN(), 0
	}
	mean = sum / float64(n)
	if n == 1 {
		return mean, 0, 1
	}
	var ss float64
	for _, x := range xs {
		if isFinite(x) {
			ss += (x - mean) * (x - mean)
		}
	}
	return mean, ss / float64(n-1), n
}

// FirstCrossing returns the x at which the curve (xs[i], ys[i]), sampled at
// increasing xs, first reaches level: linearly interpolated between the last
// sample below level and the first at or above it. If the first sample
// already reaches level the answer is xs[0]. ok is false if no sample does.
func FirstCrossing(xs, ys []float64, level float64) (x float64, ok bool) {
	if len(xs) != len(ys) {
		panic("metrics: FirstCrossing of curves of unequal length")
	}
	for i, y := range ys {
		if !(y >= level) {
			continue
		}
		if i == 0 || ys[i-1] == y {
			return xs[i], true
		}
		f := (level - ys[i-1]) / (y - ys[i-1])
		return xs[i-1] + f*(xs[i]-xs[i-1]), true
	}
	return math.NaN(), false
}

// InterpolateAt returns the curve (xs[i], ys[i]), sampled at increasing xs,
// linearly interpolated at x; outside the sampled range it returns the
// nearest end value.
func InterpolateAt(xs, ys []float64, x float64) float64 {
	if len(xs) != len(ys) {
		panic("metrics: InterpolateAt of curves of unequal length")
	}
	if len(xs) == 0 {
		return math.NaN()
	}
	if x <= xs[0] {
		return ys[0]
	}
	for i := 1; i < len(xs); i++ {
		if x <= xs[i] {
			if xs[i] == xs[i-1] {
				return ys[i]
			}
			f := (x - xs[i-1]) / (xs[i] - xs[i-1])
			return ys[i-1] + f*(ys[i]-ys[i-1])
		}
	}
	return ys[len(ys)-1]
}
