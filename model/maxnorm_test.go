package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

func columnNorm(p *Param, j int) float64 {
	var ss float64
	for i := 0; i < p.Rows; i++ {
		w := p.Value[i*p.Cols+j]
		ss += w * w
	}
	return math.Sqrt(ss)
}

func TestMaxNormColumns(t *testing.T) {
	// Columns of norm 5 (3, 4), 1 (0.6, 0.8), exactly 2 (0, 2) and 0.
	p := &Param{Rows: 2, Cols: 4, Value: []float64{3, 0.6, 0, 0, 4, 0.8, 2, 0}}
	before := append([]float64(nil), p.Value...)
	if got := MaxNormColumns(p, 2); got != 1 {
		t.Fatalf("rescaled %d columns, want 1", got)
	}
	if n := columnNorm(p, 0); math.Abs(n-2) > 1e-15 {
		t.Errorf("column 0 norm %v after projection, want 2", n)
	}
	// Its direction is kept: 3:4.
	if r := p.Value[0] / p.Value[4]; math.Abs(r-0.75) > 1e-15 {
		t.Errorf("column 0 direction changed: ratio %v, want 0.75", r)
	}
	for _, j := range []int{1, 2, 3} {
		for i := 0; i < p.Rows; i++ {
			if k := i*p.Cols + j; math.Float64bits(p.Value[k]) != math.Float64bits(before[k]) {
				t.Errorf("column %d (norm <= c) changed at row %d: %v -> %v", j, i, before[k], p.Value[k])
			}
		}
	}
}

func TestMaxNormColumnsLeavesNonFinite(t *testing.T) {
	p := &Param{Rows: 2, Cols: 1, Value: []float64{math.Inf(1), 1}}
	if got := MaxNormColumns(p, 1); got != 0 || !math.IsInf(p.Value[0], 1) || p.Value[1] != 1 {
		t.Errorf("a column with an infinite norm was changed (%d rescaled, %v)", got, p.Value)
	}
	p = &Param{Rows: 2, Cols: 1, Value: []float64{math.NaN(), 1}}
	if got := MaxNormColumns(p, 1); got != 0 || p.Value[1] != 1 {
		t.Errorf("a column with a NaN norm was changed (%d rescaled, %v)", got, p.Value)
	}
}

// TestMaxNormTraining trains a net whose weights grow past a small radius
// and checks, after every step, that each hidden unit's incoming weights
// are within it, while the output layer and the biases, which the
// constraint does not reach, are exactly what the bare optimiser gives.
func TestMaxNormTraining(t *testing.T) {
	spec := MLPSpec{Inputs: 6, Hidden: []int{5, 4}, Outputs: 3, Activation: ActivationSpec{Name: "relu"}, Init: Init{Scheme: HeNormal}}
	const c = 0.9
	build := func() *Network {
		net, err := NewMLP(spec, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		return net
	}
	constrained, free := build(), build()
	mn, err := NewMaxNorm(&Momentum{LR: 0.5, Beta: 0.9}, c, constrained)
	if err != nil {
		t.Fatal(err)
	}
	if len(mn.Weights) != 2 || mn.Weights[0] != constrained.Hidden(0).Weights || mn.Weights[1] != constrained.Hidden(1).Weights {
		t.Fatalf("max-norm constrains %d matrices, want the 2 hidden layers' weights", len(mn.Weights))
	}
	ref := &Momentum{LR: 0.5, Beta: 0.9}
	rng := rand.New(rand.NewPCG(3, 4))
	x := NewMatrix(8, 6)
	y := make([]int, 8)
	for i := range x.Data {
		x.Data[i] = 3 * rng.NormFloat64()
	}
	for i := range y {
		y[i] = rng.IntN(3)
	}
	tc := &Trainer{Net: constrained, Opt: mn}
	projected := 0
	for step := 0; step < 20; step++ {
		// The free net takes the same gradient step from the constrained
		// net's weights, without the projection.
		for i, p := range constrained.Params() {
			copy(free.Params()[i].Value, p.Value)
		}
		ref.velocity = nil
		if mn.Opt.(*Momentum).velocity != nil {
			ref.velocity = make([][]float64, len(mn.Opt.(*Momentum).velocity))
			for i, v := range mn.Opt.(*Momentum).velocity {
				ref.velocity[i] = append([]float64(nil), v...)
			}
		}
		if st := tc.Step(x, y); st.Diverged {
			t.Fatalf("step %d diverged", step)
		}
		(&Trainer{Net: free, Opt: ref}).Step(x, y)
		for l := range 2 {
			w := constrained.Hidden(l).Weights
			for j := 0; j < w.Cols; j++ {
				if n := columnNorm(w, j); n > c*(1+1e-12) {
					t.Fatalf("step %d: layer %d unit %d has incoming norm %v > %v", step, l, j, n, c)
				}
				if columnNorm(free.Hidden(l).Weights, j) > c {
					projected++
				}
			}
		}
		for i, p := range constrained.Params() {
			if isHiddenW := p == constrained.Hidden(0).Weights || p == constrained.Hidden(1).Weights; isHiddenW {
				continue
			}
			for k, v := range p.Value {
				if math.Float64bits(v) != math.Float64bits(free.Params()[i].Value[k]) {
					t.Fatalf("step %d: %s[%d] = %v, want the unconstrained update %v", step, p.Name, k, v, free.Params()[i].Value[k])
				}
			}
		}
	}
	if projected == 0 {
		t.Fatal("no unit's weights ever left the ball: the test did not exercise the projection")
	}
}

func TestNewMaxNormRejects(t *testing.T) {
	net, _ := NewMLP(MLPSpec{Inputs: 2, Hidden: []int{2}, Outputs: 2, Activation: ActivationSpec{Name: "relu"}, Init: Init{Scheme: HeNormal}}, rand.New(rand.NewPCG(1, 1)))
	for _, c := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if _, err := NewMaxNorm(&SGD{LR: 1}, c, net); err == nil {
			t.Errorf("radius %v accepted", c)
		}
	}
	if _, err := NewMaxNorm(&SGD{LR: 1}, 1, NewNetwork(NewDense("d", 2, 2, Init{Scheme: HeNormal}, 0, rand.New(rand.NewPCG(1, 1))))); err == nil {
		t.Error("a network without hidden layers accepted")
	}
}

func TestSetLR(t *testing.T) {
	for _, name := range OptimizerNames() {
		opt, _ := NewOptimizer(name, 0.1)
		if !SetLR(opt, 0.05) {
			t.Errorf("%s: no learning rate to set", name)
		}
		mn := &MaxNorm{Opt: opt, C: 1}
		mn.SetLR(0.02)
		p := &Param{Rows: 1, Cols: 1, Value: []float64{0}, Grad: []float64{1}}
		opt.Step([]*Param{p})
		// The first update of every optimiser here moves by the rate
		// (Adam's bias-corrected first step is lr * g/|g|).
		if math.Abs(p.Value[0]+0.02) > 1e-9 {
			t.Errorf("%s: first step moved by %v, want -0.02 after SetLR", name, p.Value[0])
		}
	}
}

// BenchmarkMaxNorm compares a training step of the paper profile's
// optimiser (momentum) with and without the max-norm projection, on the
// 784-1024-1024 net at batch 100, in one run: the projection reads and
// writes every hidden weight once per step, against the step's three
// products over the same weights.
func BenchmarkMaxNorm(b *testing.B) {
	spec := MLPSpec{Inputs: 784, Hidden: []int{1024, 1024}, Outputs: 10, Activation: ActivationSpec{Name: "relu"}, Init: Init{Scheme: HeNormal}}
	for _, c := range []float64{0, 3.5} {
		name := "none"
		if c > 0 {
			name = "c=3.5"
		}
		b.Run(name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			net, err := NewMLP(spec, rng)
			if err != nil {
				b.Fatal(err)
			}
			var opt Optimizer = &Momentum{LR: 0.01, Beta: 0.95}
			if c > 0 {
				if opt, err = NewMaxNorm(opt, c, net); err != nil {
					b.Fatal(err)
				}
			}
			x := NewMatrix(100, 784)
			y := make([]int, 100)
			for i := range x.Data {
				x.Data[i] = rng.Float64()
			}
			for i := range y {
				y[i] = rng.IntN(10)
			}
			tr := &Trainer{Net: net, Opt: opt}
			tr.Step(x, y)
			b.ResetTimer()
			for b.Loop() {
				tr.Step(x, y)
			}
		})
	}
}
