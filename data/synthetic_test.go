package data

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func rngFor(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

func TestGenerators(t *testing.T) {
	gens := []struct {
		name        string
		make        func(*rand.Rand) *Set
		n, dim, cls int
	}{
		{"GaussianRandomLabels", func(r *rand.Rand) *Set { return GaussianRandomLabels(500, 20, 10, r) }, 500, 20, 10},
		{"Teacher", func(r *rand.Rand) *Set { return Teacher(500, 20, 10, 64, r) }, 500, 20, 10},
		{"TwoSpirals", func(r *rand.Rand) *Set { return TwoSpirals(500, 0.05, r) }, 500, 2, 2},
		{"TwoSpirals odd n", func(r *rand.Rand) *Set { return TwoSpirals(501, 0.2, r) }, 501, 2, 2},
	}
	for _, g := range gens {
		t.Run(g.name, func(t *testing.T) {
			a, b, c := g.make(rngFor(1)), g.make(rngFor(1)), g.make(rngFor(2))
			if a.N != g.n || a.Dim != g.dim || a.Classes != g.cls {
				t.Errorf("N=%d Dim=%d Classes=%d, want %d %d %d", a.N, a.Dim, a.Classes, g.n, g.dim, g.cls)
			}
			if err := a.Validate(); err != nil {
				t.Error(err)
			}
			if !slices.Equal(a.X, b.X) || !slices.Equal(a.Y, b.Y) || a.Name != b.Name {
				t.Error("same seed gave different sets")
			}
			if slices.Equal(a.X, c.X) {
				t.Error("different seeds gave the same inputs")
			}
			counts := make([]int, a.Classes)
			for _, y := range a.Y {
				counts[y]++
			}
			used := 0
			for _, c := range counts {
				if c > 0 {
					used++
				}
			}
			if used < 2 {
				t.Errorf("labels use %d class(es): %v", used, counts)
			}
		})
	}
}

func TestGaussianRandomLabelsMoments(t *testing.T) {
	s := GaussianRandomLabels(20000, 5, 4, rngFor(3))
	var sum, sq float64
	for _, v := range s.X {
		sum += v
		sq += v * v
	}
	mean := sum / float64(len(s.X))
	variance := sq/float64(len(s.X)) - mean*mean
	// With 100000 draws the standard errors are about 0.003 and 0.0045.
	if math.Abs(mean) > 0.02 || math.Abs(variance-1) > 0.03 {
		t.Errorf("inputs have mean %v and variance %v, want about 0 and 1", mean, variance)
	}
	counts := make([]int, 4)
	for _, y := range s.Y {
		counts[y]++
	}
	for c, k := range counts {
		if k < 4700 || k > 5300 { // 5000 ± about 8 standard deviations
			t.Errorf("class %d has %d of 20000 labels, want about 5000", c, k)
		}
	}
}

// The teacher must be a function of the input: regenerating the same
// teacher and re-labelling must agree, and its labels must carry signal
// that random labels do not (nearest neighbours agree more often).
func TestTeacherIsLearnable(t *testing.T) {
	const n, dim, cls = 2000, 5, 3
	s := Teacher(n, dim, cls, 32, rngFor(4))
	agree := 0
	for i := range n {
		best, bestD := -1, math.Inf(1)
		for j := range n {
			if i == j {
				continue
			}
			var d float64
			for k := range dim {
				e := s.X[i*dim+k] - s.X[j*dim+k]
				d += e * e
			}
			if d < bestD {
				best, bestD = j, d
			}
		}
		if s.Y[best] == s.Y[i] {
			agree++
		}
	}
	counts := make([]float64, cls)
	for _, y := range s.Y {
		counts[y]++
	}
	chance := 0.0 // agreement expected if labels ignored the inputs
	for _, c := range counts {
		chance += (c / n) * (c / n)
	}
	got := float64(agree) / n
	t.Logf("1-NN label agreement %.3f, chance %.3f", got, chance)
	if got < chance+0.15 {
		t.Errorf("1-NN agreement %.3f barely beats chance %.3f: labels carry no signal", got, chance)
	}
}

func TestTwoSpirals(t *testing.T) {
	for _, n := range []int{2, 7, 400} {
		s := TwoSpirals(n, 0, rngFor(5))
		var c [2]int
		for i, y := range s.Y {
			c[y]++
			if y != i%2 {
				t.Fatalf("n=%d: example %d has class %d, want alternating classes", n, i, y)
			}
			r := math.Hypot(s.X[2*i], s.X[2*i+1])
			if r <= 0 || r > 1 {
				t.Errorf("n=%d: noiseless point %d at radius %v, want (0, 1]", n, i, r)
			}
		}
		if c[0] != n-n/2 || c[1] != n/2 {
			t.Errorf("n=%d: class sizes %v, want %d and %d", n, c, n-n/2, n/2)
		}
	}
	// Without noise, class 1 is class 0 turned by 180 degrees.
	s := TwoSpirals(100, 0, rngFor(6))
	for k := 0; k < 50; k++ {
		a, b := s.Row(2*k), s.Row(2*k+1)
		if math.Abs(a[0]+b[0]) > 1e-12 || math.Abs(a[1]+b[1]) > 1e-12 {
			t.Fatalf("pair %d: %v and %v are not point reflections", k, a, b)
		}
	}
	// Noise moves points by about its std.
	clean, noisy := TwoSpirals(2000, 0, rngFor(7)), TwoSpirals(2000, 0.1, rngFor(7))
	var sq float64
	for i := range clean.X {
		d := noisy.X[i] - clean.X[i]
		sq += d * d
	}
	if sd := math.Sqrt(sq / float64(len(clean.X))); math.Abs(sd-0.1) > 0.01 {
		t.Errorf("noise std %v, want about 0.1", sd)
	}
}
