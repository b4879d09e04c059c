package metrics

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// SumOfMeans is the estimate of the sum of two independent means (each an
// Estimate with its SD over N units), with Welch-Satterthwaite degrees of
// freedom: its 95% and 90% intervals and its minimal detectable effect
// (80% power). N is a's: the units the comparison rests on. With fewer
// than two units on either side the interval is NaN and the MDE infinite.
// speed and cnnspeed add a paired log ratio of updates over seeds to a log
// ratio of step times over timed repetitions with it.
func SumOfMeans(a, b Estimate) Paired {
	nan := math.NaN()
	out := Paired{Diff: Estimate{Mean: a.Mean + b.Mean, Lo: nan, Hi: nan, SD: nan, N: a.N}, Lo90: nan, Hi90: nan, MDE: math.Inf(1)}
	if a.N < 2 || b.N < 2 || math.IsNaN(a.SD) || math.IsNaN(b.SD) {
		return out
	}
	va, vb := a.SD*a.SD/float64(a.N), b.SD*b.SD/float64(b.N)
	se := math.Sqrt(va + vb)
	df := float64(a.N + b.N - 2)
	if se > 0 {
		df = (va + vb) * (va + vb) / (va*va/float64(a.N-1) + vb*vb/float64(b.N-1))
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	h95, h90 := t.Quantile(0.975)*se, t.Quantile(0.95)*se
	out.Diff.Lo, out.Diff.Hi, out.Diff.SD = out.Diff.Mean-h95, out.Diff.Mean+h95, se*math.Sqrt(float64(a.N))
	out.Lo90, out.Hi90 = out.Diff.Mean-h90, out.Diff.Mean+h90
	out.MDE = (t.Quantile(0.975) + t.Quantile(0.80)) * se
	return out
}

// RatioFromLog maps an estimate of a mean natural-log ratio back to a
// ratio: the geometric mean of the ratios with its interval (SD and N kept).
func RatioFromLog(e Estimate) Estimate {
	return Estimate{Mean: math.Exp(e.Mean), Lo: math.Exp(e.Lo), Hi: math.Exp(e.Hi), SD: e.SD, N: e.N}
}
