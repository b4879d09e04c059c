package model

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRunningCenterGradientsMatchFiniteDifferences checks a net with a
// running-mean centring layer (as zerocentered's relu-runcentred arm builds
// it) through the loss, in training mode. The layer is x - m with m the
// running means as they stood before the batch, so the check restores them
// before every forward pass: for a fixed m the layer is the identity in x
// (up to a shift), and its backward pass must hand the gradient through.
func TestRunningCenterGradientsMatchFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	d1, d2 := NewDense("h1", 4, 5, Init{Scheme: HeNormal}, 0.05, rng), NewDense("out", 5, 3, Init{Scheme: HeNormal}, 0, rng)
	c := NewRunningCenter(5, 0.01)
	for j := range c.Running {
		c.Running[j] = rng.NormFloat64()
	}
	c.Batches = 500 // past the warm-up: the batch is folded in with weight 0.01
	start := append([]float64(nil), c.Running...)
	restore := func() { copy(c.Running, start); c.Batches = 500 }
	net := NewNetwork(d1, NewActivationLayer(Tanh{}), c, d2)
	for _, rows := range []int{1, 8} {
		x := randomMatrix(rows, 4, rng)
		labels := make([]int, rows)
		for i := range labels {
			labels[i] = i % 3
		}
		loss := func() float64 { restore(); return SoftmaxCrossEntropy(net.Forward(x, true), labels, nil) }
		restore()
		checkNetGradients(t, "", net, x, labels, loss)
	}
	// The backward pass alone: the gradient passes through unchanged.
	restore()
	x := randomMatrix(3, 5, rng)
	c.Forward(x, true)
	dy := randomMatrix(3, 5, rng)
	dx := c.Backward(dy)
	for i := range dy.Data {
		if dx.Data[i] != dy.Data[i] {
			t.Fatalf("dx[%d] = %v, want dy = %v", i, dx.Data[i], dy.Data[i])
		}
	}
}

// TestRunningCenterMeans follows the running means batch by batch: each
// batch is centred by the means as they stood before it, then folded in
// with weight max(momentum, 1/k) for the k-th batch (a plain average while
// 1/k is larger).
func TestRunningCenterMeans(t *testing.T) {
	cases := []struct {
		name     string
		momentum float64
		batches  [][]float64 // one column, rows per batch
		wantOut  [][]float64
		wantRun  []float64 // after each batch
	}{
		{
			name: "batch 1, momentum 1/2", momentum: 0.5,
			batches: [][]float64{{2}, {4}, {8}, {16}},
			// 1/k: 1, 1/2, then the momentum 1/2.
			wantOut: [][]float64{{2}, {2}, {5}, {10.5}},
			wantRun: []float64{2, 3, 5.5, 10.75},
		},
		{
			name: "batch 1, momentum 0.1: a plain average for 10 batches", momentum: 0.1,
			batches: [][]float64{{1}, {2}, {3}, {6}},
			wantOut: [][]float64{{1}, {1}, {1.5}, {4}},
			wantRun: []float64{1, 1.5, 2, 3},
		},
		{
			name: "batch 2, momentum 1/4", momentum: 0.25,
			batches: [][]float64{{1, 3}, {0, 2}, {5, 5}, {9, 1}, {-3, -5}},
			// Batch means 2, 1, 5, 5, -4; weights 1, 1/2, 1/3, 1/4, 1/4.
			// Running: 2, 1.5, 8/3, 8/3 + (5 - 8/3)/4 = 3.25, 3.25 + (-4 - 3.25)/4.
			wantOut: [][]float64{{1, 3}, {-2, 0}, {3.5, 3.5}, {9 - 8.0/3, 1 - 8.0/3}, {-6.25, -8.25}},
			wantRun: []float64{2, 1.5, 8.0 / 3, 3.25, 1.4375},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := NewRunningCenter(1, tc.momentum)
			for k, b := range tc.batches {
				x := &Matrix{Rows: len(b), Cols: 1, Data: append([]float64(nil), b...)}
				y := c.Forward(x, true)
				for i, want := range tc.wantOut[k] {
					if d := y.Data[i] - want; d > 1e-12 || d < -1e-12 {
						t.Errorf("batch %d row %d: output %v, want %v", k+1, i, y.Data[i], want)
					}
				}
				if d := c.Running[0] - tc.wantRun[k]; d > 1e-12 || d < -1e-12 {
					t.Errorf("after batch %d: running mean %v, want %v", k+1, c.Running[0], tc.wantRun[k])
				}
			}
			// Evaluation subtracts the running mean and leaves it alone.
			run := c.Running[0]
			y := c.Forward(&Matrix{Rows: 1, Cols: 1, Data: []float64{run + 1}}, false)
			if y.Data[0] != 1 || c.Running[0] != run {
				t.Errorf("evaluation: output %v (want 1), running mean %v -> %v", y.Data[0], run, c.Running[0])
			}
		})
	}
}

// At batch size 1 the minibatch centring outputs 0, the running one does
// not: that is why the running one exists.
func TestCenterAtBatchOne(t *testing.T) {
	x := &Matrix{Rows: 1, Cols: 2, Data: []float64{3, 0}}
	if y := NewCenter(2).Forward(x, true); y.Data[0] != 0 || y.Data[1] != 0 {
		t.Errorf("minibatch centring of one example: %v, want 0 0", y.Data)
	}
	c := NewRunningCenter(2, 0.01)
	c.Running[0], c.Running[1] = 1, 0.5
	if y := c.Forward(x, true); y.Data[0] != 2 || y.Data[1] != -0.5 {
		t.Errorf("running centring of one example: %v, want 2 -0.5", y.Data)
	}
}

func TestCenterAllocatesNothingAfterTheFirst(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range []*Center{NewCenter(6), NewRunningCenter(6, 0.01)} {
		x, dy := randomMatrix(4, 6, rng), randomMatrix(4, 6, rng)
		step := func() { c.Forward(x, true); c.Backward(dy); c.Forward(x, false) }
		step()
		if allocs := testing.AllocsPerRun(5, step); allocs != 0 {
			t.Errorf("UseRunning %v: %v allocations per step, want 0", c.UseRunning, allocs)
		}
	}
}

// TestDetachedCenterGradients checks the centring layer with DetachMean:
// its forward pass is the minibatch centring's, and its gradients are
// those of the loss with the batch means held at their values, checked by
// finite differences through a twin net whose centring subtracts those
// means as constants (a running centring restored before every pass).
func TestDetachedCenterGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	d1, d2 := NewDense("h1", 4, 5, Init{Scheme: HeNormal}, 0.05, rng), NewDense("out", 5, 3, Init{Scheme: HeNormal}, 0, rng)
	c := NewCenter(5)
	c.DetachMean = true
	net := NewNetwork(d1, NewActivationLayer(ReLU{}), c, d2)
	plain := NewCenter(5)
	x := randomMatrix(8, 4, rng)
	labels := []int{0, 1, 2, 0, 1, 2, 0, 1}

	out := net.Forward(x, true)
	means := append([]float64(nil), c.mean...)
	// The forward pass is the minibatch centring's.
	h := NewActivationLayer(ReLU{}).Forward(d1.Forward(x, true), true)
	want := plain.Forward(h, true)
	y := c.y
	for i := range want.Data {
		if y.Data[i] != want.Data[i] {
			t.Fatalf("forward: y[%d] = %v, want the minibatch centring's %v", i, y.Data[i], want.Data[i])
		}
	}
	g := NewMatrix(out.Rows, out.Cols)
	// A pass of net again: the check above ran d1 on its own.
	SoftmaxCrossEntropy(net.Forward(x, true), labels, g)
	net.InputGrad = true
	dx := append([]float64(nil), net.Backward(g).Data...)
	grads := make([][]float64, len(net.Params()))
	for k, p := range net.Params() {
		grads[k] = append([]float64(nil), p.Grad...)
	}
	fixed := NewRunningCenter(5, 0)
	restore := func() { copy(fixed.Running, means); fixed.Batches = 1 << 20 }
	twin := NewNetwork(d1, NewActivationLayer(ReLU{}), fixed, d2)
	loss := func() float64 { restore(); return SoftmaxCrossEntropy(twin.Forward(x, true), labels, nil) }
	for k, p := range net.Params() {
		checkGradient(t, p.Name, p.Value, grads[k], loss)
	}
	checkGradient(t, "input", x.Data, dx, loss)

	// The coupled gradient differs: the detached one is not the minibatch
	// centring's under another name.
	c.DetachMean = false
	net.Forward(x, true)
	SoftmaxCrossEntropy(net.Forward(x, true), labels, g)
	coupled := net.Backward(g)
	same := true
	for i := range coupled.Data {
		same = same && coupled.Data[i] == dx[i]
	}
	if same {
		t.Error("the detached and the coupled centring give the same input gradient")
	}
}

// TestCenterShare: with Share 0.5 the running-mean layer subtracts half the
// running means as they stood before the batch, folds the batch's full
// means into them as it does at Share 1, and hands the gradient through.
func TestCenterShare(t *testing.T) {
	half, full := NewRunningCenter(2, 0.5), NewRunningCenter(2, 0.5)
	half.Share = 0.5
	for _, c := range []*Center{half, full} {
		c.Running[0], c.Running[1] = 2, -4
		c.Batches = 10
	}
	x := &Matrix{Rows: 2, Cols: 2, Data: []float64{3, 1, 5, -1}}
	y := half.Forward(x, true)
	if want := []float64{2, 3, 4, 1}; !slices.Equal(y.Data, want) {
		t.Errorf("half-centred outputs %v, want %v", y.Data, want)
	}
	full.Forward(x, true)
	if !slices.Equal(half.Running, full.Running) || half.Running[0] != 3 {
		t.Errorf("running means %v at share 0.5, %v at share 1; want both [3 -2]", half.Running, full.Running)
	}
	dy := &Matrix{Rows: 2, Cols: 2, Data: []float64{1, 2, 3, 4}}
	if dx := half.Backward(dy); !slices.Equal(dx.Data, dy.Data) {
		t.Errorf("dx %v, want dy %v", dx.Data, dy.Data)
	}
}
