package metrics

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/reluexp/reluexp/internal/ci"
)

// Estimate is a sample mean with its two-sided 95% confidence interval
// (the type lives in internal/ci so that experiments/result, which carries
// estimates, need not import this package).
type Estimate = ci.Estimate

// MeanCI returns the mean of xs and its 95% confidence interval. Values that
// are NaN or infinite are skipped: callers that need to know about them (a
// diverged run, say) count them separately.
func MeanCI(xs []float64) Estimate {
	var n int
	var sum float64
	for _, x := range xs {
		if isFinite(x) {
			sum += x
			n++
		}
	}
	if n == 0 {
		nan := math.NaN()
		return Estimate{Mean: nan, Lo: nan, Hi: nan, SD: nan}
	}
	mean := sum / float64(n)
	if n == 1 {
		return Estimate{Mean: mean, Lo: mean, Hi: mean, N: 1}
	}
	var ss float64
	for _, x := range xs {
		if isFinite(x) {
			d := x - mean
			ss += d * d
		}
	}
	sd := math.Sqrt(ss / float64(n-1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
	h := t * sd / math.Sqrt(float64(n))
	return Estimate{Mean: mean, Lo: mean - h, Hi: mean + h, SD: sd, N: n}
}

// ProportionCI returns the fraction k/n with its 95% Wilson score interval,
// which stays inside [0, 1] and behaves at k == 0 and k == n, where the
// normal approximation collapses to a zero-width interval.
func ProportionCI(k, n int) Estimate {
	if n == 0 {
		nan := math.NaN()
		return Estimate{Mean: nan, Lo: nan, Hi: nan, SD: nan}
	}
	const z = 1.959963984540054 // 97.5% quantile of the standard normal
	p := float64(k) / float64(n)
	nf := float64(n)
	denom := 1 + z*z/nf
	centre := (p + z*z/(2*nf)) / denom
	h := z / denom * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
	return Estimate{Mean: p, Lo: math.Max(0, centre-h), Hi: math.Min(1, centre+h), SD: math.Sqrt(p * (1 - p)), N: n}
}

// Median returns the median of xs (NaN for an empty slice). xs is not modified.
func Median(xs []float64) float64 {
	return Quantile(xs, 0.5)
}

// Quantile returns the q-quantile of xs by linear interpolation between order
// statistics (NaN for an empty slice). xs is not modified.
func Quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	pos := q * float64(len(s)-1)
	i := int(math.Floor(pos))
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	frac := pos - float64(i)
	return s[i]*(1-frac) + s[i+1]*frac
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
