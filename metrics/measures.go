// Package metrics computes the quantities the experiments report, from the
// matrices a model exposes (activations, gradients, parameters), and the
// statistics over seeds that turn them into estimates with intervals.
//
// Every function here reads its inputs and allocates nothing it keeps; the
// trackers (DeadUnitTracker) hold state across batches and say so.
package metrics

import (
	"math"

	"github.com/reluexp/reluexp/model"
)

// Norm is the Euclidean (Frobenius, for a matrix) norm of xs.
func Norm(xs []float64) float64 {
	// Scaled accumulation would be safer against overflow, but gradients
	// that overflow a plain sum of squares are recorded as divergence anyway.
	var s float64
	for _, v := range xs {
		s += v * v
	}
	return math.Sqrt(s)
}

// ZeroFraction is the fraction of entries that are exactly zero: for a
// ReLU's output, the sparsity (C5); for a back-propagated gradient, the
// fraction of blocked entries (C4).
func ZeroFraction(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	n := 0
	for _, v := range xs {
		if v == 0 {
			n++
		}
	}
	return float64(n) / float64(len(xs))
}

// NearZeroFraction is the fraction of entries with |x| < eps: activations
// without exact zeros can still be nearly sparse.
func NearZeroFraction(xs []float64, eps float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	n := 0
	for _, v := range xs {
		if math.Abs(v) < eps {
			n++
		}
	}
	return float64(n) / float64(len(xs))
}

// PassOrBlockFraction is the fraction of entries where the gradient at the
// pre-activation, dz, equals the gradient at the activation, dh, exactly
// (passed unchanged) or is exactly zero (blocked). Claim C4 says that for
// ReLU this is every entry.
func PassOrBlockFraction(dz, dh []float64) float64 {
	if len(dz) == 0 {
		return math.NaN()
	}
	n := 0
	for i, g := range dz {
		if g == 0 || g == dh[i] {
			n++
		}
	}
	return float64(n) / float64(len(dz))
}

// MeanExampleOuterNorm is the mean over rows i of ||a_i|| * ||b_i||: for
// a = a layer's input and b = dL/dz, the mean norm of the per-example weight
// gradient (the outer product a_i^T b_i). Mean-field theory describes this
// per-example quantity; the batch gradient also depends on how the
// per-example gradients align.
func MeanExampleOuterNorm(a, b *model.Matrix) float64 {
	if a.Rows != b.Rows || a.Rows == 0 {
		panic("metrics: MeanExampleOuterNorm needs two matrices with the same, non-zero, number of rows")
	}
	var s float64
	for i := 0; i < a.Rows; i++ {
		s += Norm(a.Row(i)) * Norm(b.Row(i))
	}
	return s / float64(a.Rows)
}

// DeadUnitTracker finds the units of a layer that output zero on every
// example it is shown, across any number of batches: the definition of a
// dead unit (C8). A unit owns the activation columns c with c % Units == j,
// so a two-sided unit (two columns) is dead only if both are zero.
type DeadUnitTracker struct {
	Units int
	alive []bool
	seen  int
}

// NewDeadUnitTracker tracks a layer of the given width.
func NewDeadUnitTracker(units int) *DeadUnitTracker {
	return &DeadUnitTracker{Units: units, alive: make([]bool, units)}
}

// Observe records a batch of activations (one example per row).
func (t *DeadUnitTracker) Observe(act *model.Matrix) {
	if act.Cols%t.Units != 0 {
		panic("metrics: activation columns are not a multiple of the unit count")
	}
	for i := 0; i < act.Rows; i++ {
		for c, v := range act.Row(i) {
			if v != 0 {
				t.alive[c%t.Units] = true
			}
		}
	}
	t.seen += act.Rows
}

// Dead reports, per unit, whether it was zero on every example observed.
func (t *DeadUnitTracker) Dead() []bool {
	out := make([]bool, t.Units)
	for j, a := range t.alive {
		out[j] = !a
	}
	return out
}

// Fraction is the fraction of dead units (NaN before any example).
func (t *DeadUnitTracker) Fraction() float64 {
	if t.seen == 0 {
		return math.NaN()
	}
	dead := 0
	for _, a := range t.alive {
		if !a {
			dead++
		}
	}
	return float64(dead) / float64(t.Units)
}

// Log10 is log10(x) for positive x and NaN otherwise, so that a zero norm
// (a fully dead layer) becomes a gap on a log plot rather than -Inf.
func Log10(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 0) {
		return math.NaN()
	}
	return math.Log10(x)
}
