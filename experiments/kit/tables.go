package kit

import (
	"fmt"
	"math"
	"strings"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// Mean is the arithmetic mean of xs (NaN for none).
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// GeoMeanLine is the geometric mean over seeds of a quantity at each x, with
// its 95% CI band (the CI of the mean of log10).
func GeoMeanLine(label string, xs []float64, vals func(i int) []float64, style int) result.Line {
	ln := result.Line{Label: label, X: xs, Style: style}
	for i := range xs {
		e := LogStats(vals(i))
		ln.Y, ln.Lo, ln.Hi = append(ln.Y, Pow10(e.Mean)), append(ln.Lo, Pow10(e.Lo)), append(ln.Hi, Pow10(e.Hi))
	}
	return ln
}

// WidthsLabel names a net by its hidden widths, e.g. "64x64".
func WidthsLabel(hidden []int) string {
	parts := make([]string, len(hidden))
	for i, w := range hidden {
		parts[i] = Itoa(w)
	}
	return strings.Join(parts, "x")
}

// Values lists the values of m keyed by repetition number 0, 1, 2, ... in
// that order, skipping numbers that are missing (up to len(m)).
func Values(m map[int]float64) []float64 {
	out := make([]float64, 0, len(m))
	for rep := range len(m) + 1 {
		if v, ok := m[rep]; ok {
			out = append(out, v)
		}
	}
	return out
}

// LogStats summarises positive measurements over seeds on a log10 scale,
// where gradients that span decades are averaged sensibly: the mean of
// log10 is the log of the geometric mean.
func LogStats(xs []float64) metrics.Estimate {
	logs := make([]float64, len(xs))
	for i, x := range xs {
		logs[i] = metrics.Log10(x)
	}
	return metrics.MeanCI(logs)
}

// AnchoredPrediction turns mean-field factors into predicted ||dz_l|| for
// every layer, pinned to the measured value at the last hidden layer.
func AnchoredPrediction(mf MeanField, last float64) []float64 {
	depth := len(mf.Chi)
	out := make([]float64, depth)
	out[depth-1] = last
	for l := depth - 2; l >= 0; l-- {
		out[l] = out[l+1] * math.Sqrt(mf.Chi[l])
	}
	return out
}

// EpochCurve is the mean test accuracy by epoch over the runs still
// training at that epoch: a run that diverged leaves the mean from the
// epoch it stopped (it is never averaged in at chance), and the label says
// how many diverged so the curve is not read as all of them.
func EpochCurve(label string, runs []TrainOutcome, style int) result.Line {
	diverged := 0
	for _, o := range runs {
		if o.Diverged {
			diverged++
		}
	}
	if diverged > 0 {
		label = fmt.Sprintf("%s (%d of %d diverged)", label, diverged, len(runs))
	}
	maxEpochs := 0
	for _, o := range runs {
		maxEpochs = max(maxEpochs, len(o.Epochs))
	}
	var xs, ys, lo, hi []float64
	for e := 0; e < maxEpochs; e++ {
		var accs []float64
		for _, o := range runs {
			if e < len(o.Epochs) {
				accs = append(accs, o.Epochs[e].TestAcc)
			}
		}
		if len(accs) == 0 {
			break
		}
		est := metrics.MeanCI(accs).Clamp(0, 1)
		xs, ys, lo, hi = append(xs, float64(e)), append(ys, est.Mean), append(lo, est.Lo), append(hi, est.Hi)
	}
	return result.Line{Label: label, X: xs, Y: ys, Lo: lo, Hi: hi, Points: true, Style: style}
}

// Reading MNIST test accuracy after a short training run: chance is 0.1,
// and a net "stalls" if the upper end of its 95% CI stays below 0.2 (it
// has learned next to nothing), while it "learns" if the lower end of its
// CI is at or above 0.2. Intervals rather than means decide, because deep
// nets differ a lot from seed to seed (Hanin 2018): a rule on the mean
// alone would flip with one unlucky seed.
const StallsAccuracy = 0.2

// Stalls reports a net that learned next to nothing (see StallsAccuracy).
func Stalls(e metrics.Estimate) bool { return e.Hi < StallsAccuracy }

// Learns reports a net that clearly learned (see StallsAccuracy).
func Learns(e metrics.Estimate) bool { return e.Lo >= StallsAccuracy }

// DepthHeaders are table column headers, one per depth.
func DepthHeaders(depths []int) []string {
	out := make([]string, len(depths))
	for i, d := range depths {
		out[i] = fmt.Sprintf("depth %d", d)
	}
	return out
}

// Scaled is xs, each times f (a new slice): times in ns read as ms, say.
func Scaled(xs []float64, f float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = f * x
	}
	return out
}
