package data

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// seqSet returns a set whose value at (i, j) is 100*i + j, so that any
// mix-up of rows or columns shows in the numbers.
func seqSet(n, dim int) *Set {
	s := &Set{Name: "seq", X: make([]float64, n*dim), Y: make([]int, n), N: n, Dim: dim, Classes: 7}
	for i := range n {
		for j := range dim {
			s.X[i*dim+j] = float64(100*i + j)
		}
		s.Y[i] = i % 7
	}
	return s
}

func TestRow(t *testing.T) {
	s := seqSet(5, 3)
	r := s.Row(2)
	if !slices.Equal(r, []float64{200, 201, 202}) {
		t.Fatalf("Row(2) = %v", r)
	}
	// An append must not overwrite the next example.
	_ = append(r, -1)
	if s.X[9] != 300 {
		t.Errorf("append to Row(2) overwrote Row(3): X[9] = %v", s.X[9])
	}
}

func TestGather(t *testing.T) {
	s := seqSet(10, 4)
	idx := []int{7, 0, 7, 3}
	dx, dy := make([]float64, len(idx)*4), make([]int, len(idx))
	s.Gather(idx, dx, dy)
	for k, i := range idx {
		if !slices.Equal(dx[k*4:(k+1)*4], s.Row(i)) || dy[k] != s.Y[i] {
			t.Errorf("slot %d: got %v/%d, want example %d %v/%d", k, dx[k*4:(k+1)*4], dy[k], i, s.Row(i), s.Y[i])
		}
	}
}

func TestGatherDoesNotAllocate(t *testing.T) {
	s := seqSet(1000, 784)
	rng := rand.New(rand.NewPCG(1, 2))
	idx := make([]int, 64)
	for k := range idx {
		idx[k] = rng.IntN(s.N)
	}
	dx, dy := make([]float64, len(idx)*s.Dim), make([]int, len(idx))
	if a := testing.AllocsPerRun(100, func() { s.Gather(idx, dx, dy) }); a != 0 {
		t.Errorf("Gather allocates %v times per call, want 0", a)
	}
}

func TestGatherPanicsOnWrongBuffers(t *testing.T) {
	s := seqSet(10, 4)
	for _, c := range []struct {
		name   string
		nx, ny int
	}{{"short X", 7, 2}, {"long X", 9, 2}, {"short Y", 8, 1}} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			s.Gather([]int{1, 2}, make([]float64, c.nx), make([]int, c.ny))
		})
	}
}

func TestSubset(t *testing.T) {
	s := seqSet(50, 3)
	sub, err := s.Subset(20, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	if sub.N != 20 || sub.Dim != 3 || sub.Classes != 7 || len(sub.X) != 60 || len(sub.Y) != 20 {
		t.Fatalf("subset shape N=%d Dim=%d Classes=%d len(X)=%d len(Y)=%d", sub.N, sub.Dim, sub.Classes, len(sub.X), len(sub.Y))
	}
	seen := map[int]bool{}
	for k := range sub.N {
		i := int(sub.Row(k)[0]) / 100 // recover the source index
		if seen[i] {
			t.Errorf("example %d drawn twice", i)
		}
		seen[i] = true
		if !slices.Equal(sub.Row(k), s.Row(i)) || sub.Y[k] != s.Y[i] {
			t.Errorf("subset row %d does not match source example %d", k, i)
		}
	}
	// The subset owns its data.
	sub.X[0] = -1
	if slices.Contains(s.X, -1) {
		t.Error("writing to the subset changed the source")
	}

	again, _ := s.Subset(20, rand.New(rand.NewPCG(3, 4)))
	other, _ := s.Subset(20, rand.New(rand.NewPCG(5, 6)))
	sub.X[0] = again.X[0]
	if !slices.Equal(sub.X, again.X) {
		t.Error("same seed gave different subsets")
	}
	if slices.Equal(sub.X, other.X) {
		t.Error("different seeds gave the same subset")
	}

	all, err := s.Subset(50, rand.New(rand.NewPCG(1, 1)))
	if err != nil || all.N != 50 {
		t.Errorf("Subset(N) = N=%v, %v; want all examples", all.N, err)
	}
}

func TestSubsetBadSize(t *testing.T) {
	s := seqSet(10, 2)
	for _, n := range []int{0, -1, 11} {
		sub, err := s.Subset(n, rand.New(rand.NewPCG(1, 2)))
		if err == nil || sub != nil || !strings.Contains(err.Error(), "seq") {
			t.Errorf("Subset(%d) = %v, %v; want an error naming the set", n, sub, err)
		}
	}
}

func TestValidate(t *testing.T) {
	bad := []struct {
		name string
		edit func(*Set)
	}{
		{"short X", func(s *Set) { s.X = s.X[:len(s.X)-1] }},
		{"short Y", func(s *Set) { s.Y = s.Y[:len(s.Y)-1] }},
		{"label too big", func(s *Set) { s.Y[3] = s.Classes }},
		{"negative label", func(s *Set) { s.Y[0] = -1 }},
		{"no classes", func(s *Set) { s.Classes = 0 }},
	}
	if err := seqSet(8, 2).Validate(); err != nil {
		t.Fatalf("valid set: %v", err)
	}
	for _, c := range bad {
		s := seqSet(8, 2)
		c.edit(s)
		if err := s.Validate(); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func TestStandardizer(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n, dim = 2000, 4
	s := &Set{Name: "train", X: make([]float64, n*dim), Y: make([]int, n), N: n, Dim: dim, Classes: 1}
	for i := range n {
		s.X[i*dim+0] = 5 + 3*rng.NormFloat64()    // shifted and scaled
		s.X[i*dim+1] = 1e6 + 1e-3*rng.Float64()   // large mean, small spread
		s.X[i*dim+2] = 42                         // constant
		s.X[i*dim+3] = float64(rng.IntN(2)) * 255 // binary, like MNIST ink
	}
	orig := slices.Clone(s.X)
	z := FitStandardizer(s)
	if z.Std[2] != 1 || z.Mean[2] != 42 {
		t.Errorf("constant feature: mean %v std %v, want 42 and 1", z.Mean[2], z.Std[2])
	}
	out := z.Apply(s)
	if !slices.Equal(s.X, orig) {
		t.Error("Apply modified its input")
	}
	for j := range dim {
		var mean, sq float64
		for i := range n {
			mean += out.X[i*dim+j]
		}
		mean /= n
		for i := range n {
			d := out.X[i*dim+j] - mean
			sq += d * d
		}
		std := math.Sqrt(sq / n)
		wantStd := 1.0
		if j == 2 {
			wantStd = 0 // centred, not scaled
		}
		// The fitted mean is a float64 too: the best possible centring is
		// off by half its spacing at Mean[j], measured in units of Std[j].
		ulp := math.Nextafter(math.Abs(z.Mean[j]), math.Inf(1)) - math.Abs(z.Mean[j])
		if math.Abs(mean) > 1e-9+ulp/z.Std[j] || math.Abs(std-wantStd) > 1e-6 {
			t.Errorf("feature %d after standardizing: mean %g std %g, want 0 and %g", j, mean, std, wantStd)
		}
	}

	// Applied to another set, the training statistics are used unchanged.
	other := &Set{Name: "test", X: []float64{5, 1e6, 42, 0}, Y: []int{0}, N: 1, Dim: dim, Classes: 1}
	got := z.Apply(other).X
	for j, v := range other.X {
		if want := (v - z.Mean[j]) / z.Std[j]; math.Abs(got[j]-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("feature %d: got %v, want %v", j, got[j], want)
		}
	}
}

func TestStandardizerWrongDimPanics(t *testing.T) {
	z := FitStandardizer(seqSet(5, 3))
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	z.Apply(seqSet(5, 4))
}
