package data

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// The generators below panic on nonsensical sizes: they are called with
// constants from experiment code, so a bad size is a bug, not bad input.
func checkSizes(fn string, n, dim, classes int) {
	if n < 0 || dim <= 0 || classes <= 0 {
		panic(fmt.Sprintf("data: %s(n=%d, dim=%d, classes=%d): want n >= 0, dim > 0, classes > 0", fn, n, dim, classes))
	}
}

// GaussianRandomLabels returns n inputs drawn from N(0, I) in dim dimensions
// with labels drawn uniformly from [0, classes), independently of the
// inputs. There is nothing to learn; the set exists to measure gradient
// statistics at initialisation, where any input–label relation would be a
// confound.
func GaussianRandomLabels(n, dim, classes int, rng *rand.Rand) *Set {
	checkSizes("GaussianRandomLabels", n, dim, classes)
	s := &Set{
		Name:    fmt.Sprintf("gaussian-random-labels(d=%d,k=%d)", dim, classes),
		X:       make([]float64, n*dim),
		Y:       make([]int, n),
		N:       n,
		Dim:     dim,
		Classes: classes,
	}
	for i := 0; i < n; i++ {
		for j := range s.X[i*dim : (i+1)*dim] {
			s.X[i*dim+j] = rng.NormFloat64()
		}
		s.Y[i] = rng.IntN(classes)
	}
	return s
}

// Teacher returns n inputs drawn from N(0, I) labelled by a fixed random
// network: logits = W2·relu(W1·x) with hidden units, He-normal weights
// (std sqrt(2/fan_in)) and no biases, label = argmax of the logits. The
// task is learnable by construction and nonlinear, which is what a ReLU
// student needs to be tested on without waiting for MNIST.
//
// The teacher's weights are drawn from rng before the inputs, so two calls
// with equal rng states give the same teacher and the same data.
func Teacher(n, dim, classes, hidden int, rng *rand.Rand) *Set {
	checkSizes("Teacher", n, dim, classes)
	if hidden <= 0 {
		panic(fmt.Sprintf("data: Teacher(hidden=%d): want hidden > 0", hidden))
	}
	w1 := heNormal(hidden*dim, dim, rng)
	w2 := heNormal(classes*hidden, hidden, rng)

	s := &Set{
		Name:    fmt.Sprintf("teacher(d=%d,k=%d,h=%d)", dim, classes, hidden),
		X:       make([]float64, n*dim),
		Y:       make([]int, n),
		N:       n,
		Dim:     dim,
		Classes: classes,
	}
	h := make([]float64, hidden)
	for i := 0; i < n; i++ {
		x := s.X[i*dim : (i+1)*dim]
		for j := range x {
			x[j] = rng.NormFloat64()
		}
		for u := range h {
			h[u] = max(0, dot(w1[u*dim:(u+1)*dim], x))
		}
		best, bestLogit := 0, math.Inf(-1)
		for c := 0; c < classes; c++ {
			// Strict > keeps ties (e.g. all hidden units dead) on the
			// lowest class, so the label is a pure function of the weights.
			if l := dot(w2[c*hidden:(c+1)*hidden], h); l > bestLogit {
				best, bestLogit = c, l
			}
		}
		s.Y[i] = best
	}
	return s
}

func heNormal(size, fanIn int, rng *rand.Rand) []float64 {
	sd := math.Sqrt(2 / float64(fanIn))
	w := make([]float64, size)
	for i := range w {
		w[i] = sd * rng.NormFloat64()
	}
	return w
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// spiralTurns is how many times each arm winds around the origin. Two turns
// make the classes interleave enough that a linear model is near chance
// while a small ReLU network can still separate them.
const spiralTurns = 2

// TwoSpirals returns the classic two-spirals problem: 2-D points on two
// interleaved Archimedean spirals, class 1 being class 0 rotated by 180°,
// with N(0, noise²) added to each coordinate. Radii lie in (0, 1], so the
// noise std is relative to the unit disc.
//
// Examples alternate between the classes (even indices are class 0), so
// any prefix is balanced; when n is odd class 0 has the extra point. The
// points are spaced evenly in arc length along each arm (radius ∝ sqrt of
// the position) rather than in angle, which would crowd them at the centre.
func TwoSpirals(n int, noise float64, rng *rand.Rand) *Set {
	checkSizes("TwoSpirals", n, 2, 2)
	if noise < 0 || math.IsNaN(noise) {
		panic(fmt.Sprintf("data: TwoSpirals(noise=%v): want noise >= 0", noise))
	}
	s := &Set{
		Name:    fmt.Sprintf("two-spirals(noise=%g)", noise),
		X:       make([]float64, 2*n),
		Y:       make([]int, n),
		N:       n,
		Dim:     2,
		Classes: 2,
	}
	perClass := [2]int{n - n/2, n / 2}
	for i := 0; i < n; i++ {
		c, k := i%2, i/2
		r := math.Sqrt((float64(k) + 0.5) / float64(perClass[c]))
		theta := 2 * math.Pi * spiralTurns * r
		x, y := r*math.Cos(theta), r*math.Sin(theta)
		if c == 1 {
			x, y = -x, -y
		}
		s.X[2*i] = x + noise*rng.NormFloat64()
		s.X[2*i+1] = y + noise*rng.NormFloat64()
		s.Y[i] = c
	}
	return s
}
