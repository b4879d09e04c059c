package metrics

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/reluexp/reluexp/model"
)

func TestSameSignColumns(t *testing.T) {
	for _, tc := range []struct {
		name               string
		rows, cols         int
		data               []float64
		wantSame, wantMove int
	}{
		{"all positive", 3, 1, []float64{1, 2, 3}, 1, 1},
		{"all negative", 3, 1, []float64{-1, -2, -0.5}, 1, 1},
		{"mixed", 3, 1, []float64{1, -2, 3}, 0, 1},
		{"zeros ignored", 3, 1, []float64{0, -2, 0}, 1, 1},
		{"negative zero is zero", 3, 1, []float64{math.Copysign(0, -1), 2, 1}, 1, 1},
		{"a still column moves not", 2, 1, []float64{0, 0}, 0, 0},
		// Columns are units: column 0 is (1, 4), column 1 is (-2, 5), column 2 is (0, 0).
		{"per column", 2, 3, []float64{1, -2, 0, 4, 5, 0}, 1, 2},
	} {
		same, moving := SameSignColumns(model.MatrixFrom(tc.rows, tc.cols, tc.data))
		if same != tc.wantSame || moving != tc.wantMove {
			t.Errorf("%s: same %d moving %d, want %d and %d", tc.name, same, moving, tc.wantSame, tc.wantMove)
		}
	}
	if f := SameSignFraction(model.NewMatrix(4, 2)); !math.IsNaN(f) {
		t.Errorf("fraction with no moving unit = %v, want NaN", f)
	}
}

// The fact behind C6: the gradient of a dense layer from one example with
// non-negative inputs, x^T delta, has a single sign in every column, and
// with inputs of both signs almost never does.
func TestSameSignOneExample(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const in, units = 50, 40
	for _, tc := range []struct {
		name     string
		input    func() float64
		wantFrac func(float64) bool
	}{
		{"non-negative inputs (relu-like, with zeros)", func() float64 { return math.Max(0, rng.NormFloat64()) }, func(f float64) bool { return f == 1 }},
		{"positive inputs (sigmoid-like)", func() float64 { return rng.Float64() }, func(f float64) bool { return f == 1 }},
		{"centred inputs", func() float64 { return rng.NormFloat64() }, func(f float64) bool { return f == 0 }},
	} {
		x := model.NewMatrix(1, in)
		delta := model.NewMatrix(1, units)
		for i := range x.Data {
			x.Data[i] = tc.input()
		}
		for i := range delta.Data {
			delta.Data[i] = rng.NormFloat64()
		}
		g := model.NewMatrix(in, units)
		for k := 0; k < in; k++ {
			for j := 0; j < units; j++ {
				g.Data[k*units+j] = x.Data[k] * delta.Data[j]
			}
		}
		if f := SameSignFraction(g); !tc.wantFrac(f) {
			t.Errorf("%s: same-sign fraction %v", tc.name, f)
		}
	}
}
