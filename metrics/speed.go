package metrics

import "math"

// RatioCI compares two groups of positive measurements (times, step counts)
// by the ratio of their geometric means, exp(mean(log a) - mean(log b)),
// with a 95% confidence interval from Welch's procedure on the logs (see
// WelchDiffCI) mapped back. Ratios of times are judged on a log scale,
// where twice as slow and twice as fast are equally far from 1.
//
// Values that are not positive and finite are skipped. SD holds the
// standard error of the log ratio.
func RatioCI(a, b []float64) Estimate {
	e := WelchDiffCI(positiveLogs(a), positiveLogs(b))
	return Estimate{Mean: math.Exp(e.Mean), Lo: math.Exp(e.Lo), Hi: math.Exp(e.Hi), SD: e.SD, N: e.N}
}

// GeoMeanCI is the geometric mean of the positive finite values of xs with
// the 95% confidence interval of MeanCI on their logs, mapped back. SD
// holds the standard deviation of the logs.
func GeoMeanCI(xs []float64) Estimate {
	e := MeanCI(positiveLogs(xs))
	return Estimate{Mean: math.Exp(e.Mean), Lo: math.Exp(e.Lo), Hi: math.Exp(e.Hi), SD: e.SD, N: e.N}
}

func positiveLogs(xs []float64) []float64 {
	out := make([]float64, 0, len(xs))
	for _, x := range xs {
		if x > 0 && !math.IsInf(x, 1) {
			out = append(out, math.Log(x))
		}
	}
	return out
}
