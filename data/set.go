package data

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Set is a labelled dataset held in memory. X is row-major: example i is
// X[i*Dim:(i+1)*Dim], and Y[i] is its class in [0, Classes).
//
// A Set handed out by this package must be treated as read-only: loaders
// cache and share them between callers and goroutines. Functions that
// "change" a set (Subset, Standardizer.Apply) return a new Set with its own
// slices instead.
type Set struct {
	Name    string
	X       []float64
	Y       []int
	N, Dim  int
	Classes int
}

// Row returns example i as a view into X, not a copy. Its capacity is cut to
// Dim so that an append by the caller reallocates instead of silently
// overwriting example i+1.
func (s *Set) Row(i int) []float64 {
	if i < 0 || i >= s.N {
		panic(fmt.Sprintf("data: Row(%d) out of range for %q with N=%d", i, s.Name, s.N))
	}
	lo, hi := i*s.Dim, (i+1)*s.Dim
	return s.X[lo:hi:hi]
}

// Validate checks that the fields agree with each other: slice lengths match
// N and Dim, and every label lies in [0, Classes). Loaders already guarantee
// this; it is here for sets that callers assemble by hand.
func (s *Set) Validate() error {
	switch {
	case s.N < 0 || s.Dim <= 0 || s.Classes <= 0:
		return fmt.Errorf("data: set %q has N=%d, Dim=%d, Classes=%d; want N >= 0, Dim > 0, Classes > 0", s.Name, s.N, s.Dim, s.Classes)
	case len(s.X) != s.N*s.Dim:
		return fmt.Errorf("data: set %q has len(X)=%d, want N*Dim=%d", s.Name, len(s.X), s.N*s.Dim)
	case len(s.Y) != s.N:
		return fmt.Errorf("data: set %q has len(Y)=%d, want N=%d", s.Name, len(s.Y), s.N)
	}
	for i, y := range s.Y {
		if y < 0 || y >= s.Classes {
			return fmt.Errorf("data: set %q: label %d of example %d is outside [0, %d)", s.Name, y, i, s.Classes)
		}
	}
	return nil
}

// Subset draws n distinct examples uniformly at random, without replacement,
// and copies them into a new Set. Only the first n steps of a Fisher–Yates
// shuffle are run, so the rng draws n numbers, not N, and the result depends
// only on the rng state and n.
//
// Asking for more examples than exist, or for none, is an error rather than a
// clamp: a silently smaller training set would make an experiment measure
// something other than what its configuration says.
func (s *Set) Subset(n int, rng *rand.Rand) (*Set, error) {
	if n <= 0 || n > s.N {
		return nil, fmt.Errorf("data: subset of %d examples requested from %q, which has %d; want 1..%d", n, s.Name, s.N, s.N)
	}
	perm := make([]int, s.N)
	for i := range perm {
		perm[i] = i
	}
	for i := 0; i < n; i++ {
		j := i + rng.IntN(s.N-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	idx := perm[:n]
	out := &Set{
		Name:    fmt.Sprintf("%s[subset %d]", s.Name, n),
		X:       make([]float64, n*s.Dim),
		Y:       make([]int, n),
		N:       n,
		Dim:     s.Dim,
		Classes: s.Classes,
	}
	s.Gather(idx, out.X, out.Y)
	return out, nil
}

// Gather copies the examples listed in idx into dstX (len(idx)*Dim values)
// and dstY (len(idx) labels). It sits in the inner loop of training, so it
// never allocates; buffers of the wrong size are a bug in the caller and
// panic.
func (s *Set) Gather(idx []int, dstX []float64, dstY []int) {
	if len(dstX) != len(idx)*s.Dim || len(dstY) != len(idx) {
		panic(fmt.Sprintf("data: Gather of %d examples of dim %d into len(dstX)=%d, len(dstY)=%d",
			len(idx), s.Dim, len(dstX), len(dstY)))
	}
	d := s.Dim
	for k, i := range idx {
		copy(dstX[k*d:(k+1)*d], s.X[i*d:(i+1)*d])
		dstY[k] = s.Y[i]
	}
}

// minStd is the floor below which a feature counts as constant. Dividing by
// a near-zero std would turn rounding noise into huge inputs (MNIST has
// border pixels that are 0 in every training image), so such features are
// only centred.
const minStd = 1e-8

// Standardizer maps each feature x_j to (x_j - Mean[j]) / Std[j]. It is fit
// on the training set only and then applied unchanged to the test set, so
// that no test statistics leak into preprocessing.
type Standardizer struct {
	Mean, Std []float64
}

// FitStandardizer computes per-feature means and population standard
// deviations of s. Features whose std is below 1e-8 get Std 1.
//
// It makes two passes and uses the corrected two-pass formula: the second
// pass sums the residuals as well as their squares, and the residual sum
// (zero in exact arithmetic) repairs the rounding error of the first-pass
// mean. The one-pass E[x²]-E[x]² formula, or an uncorrected mean, loses most
// of its digits when a feature's mean is large compared with its spread.
// An empty set is a programmer error and panics.
func FitStandardizer(s *Set) Standardizer {
	if s.N <= 0 {
		panic(fmt.Sprintf("data: FitStandardizer on %q with no examples", s.Name))
	}
	d := s.Dim
	n := float64(s.N)
	mean := make([]float64, d)
	for i := 0; i < s.N; i++ {
		for j, v := range s.X[i*d : (i+1)*d] {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= n
	}
	sum := make([]float64, d)
	sq := make([]float64, d)
	for i := 0; i < s.N; i++ {
		for j, v := range s.X[i*d : (i+1)*d] {
			dv := v - mean[j]
			sum[j] += dv
			sq[j] += dv * dv
		}
	}
	std := make([]float64, d)
	for j := range std {
		mean[j] += sum[j] / n
		std[j] = math.Sqrt(max(0, (sq[j]-sum[j]*sum[j]/n)/n))
		if !(std[j] >= minStd) { // also catches NaN
			std[j] = 1
		}
	}
	return Standardizer{Mean: mean, Std: std}
}

// Apply returns a standardized copy of s; s itself is left untouched because
// it may be a shared, cached set. A Standardizer fit on a set of another
// dimension is a programmer error and panics.
func (z Standardizer) Apply(s *Set) *Set {
	d := s.Dim
	if len(z.Mean) != d || len(z.Std) != d {
		panic(fmt.Sprintf("data: Standardizer of dim %d/%d applied to %q of dim %d", len(z.Mean), len(z.Std), s.Name, d))
	}
	inv := make([]float64, d)
	for j, sd := range z.Std {
		inv[j] = 1 / sd
	}
	out := &Set{
		Name:    s.Name,
		X:       make([]float64, len(s.X)),
		Y:       append([]int(nil), s.Y...),
		N:       s.N,
		Dim:     d,
		Classes: s.Classes,
	}
	for i := 0; i < s.N; i++ {
		src, dst := s.X[i*d:(i+1)*d], out.X[i*d:(i+1)*d]
		for j, v := range src {
			dst[j] = (v - z.Mean[j]) * inv[j]
		}
	}
	return out
}
