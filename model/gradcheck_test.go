package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The finite-difference gradient check: every layer and every activation is
// put under a random linear read-out L = sum(R .* output), and the gradients
// Backward returns (for the input and for every parameter) are compared with
// central differences of L. This checks Backward against Forward for an
// arbitrary upstream gradient R, not just the one a particular loss gives.

const (
	fdStep   = 1e-5
	fdRelTol = 1e-6
)

// kinkFreeInput fills a rows x cols matrix with values whose magnitude is at
// least 0.1, so that a step of fdStep never crosses a kink at 0.
func kinkFreeInput(rows, cols int, rng *rand.Rand) *Matrix {
	m := NewMatrix(rows, cols)
	for i := range m.Data {
		v := 0.1 + 1.9*rng.Float64()
		if rng.IntN(2) == 0 {
			v = -v
		}
		m.Data[i] = v
	}
	return m
}

func randomMatrix(rows, cols int, rng *rand.Rand) *Matrix {
	m := NewMatrix(rows, cols)
	for i := range m.Data {
		m.Data[i] = rng.NormFloat64()
	}
	return m
}

type gradCase struct {
	name  string
	layer Layer
	in    int
	// input, when set, replaces the kink-free default (for layers whose
	// kinks are not at 0 of the input, like Dense followed by nothing).
	input func(rows, cols int, rng *rand.Rand) *Matrix
	train bool
	// beforeForward resets hidden state that must be identical on every
	// evaluation (dropout's mask stream).
	beforeForward func()
}

func gradCases() []gradCase {
	rng := rand.New(rand.NewPCG(1, 2))
	var cases []gradCase
	for _, name := range Variants() {
		spec := ActivationSpec{Name: name}
		l, err := spec.NewLayer("act", 5)
		if err != nil {
			panic(err)
		}
		cases = append(cases, gradCase{name: "activation/" + name, layer: l, in: 5, train: true})
	}
	cases = append(cases,
		gradCase{name: "activation/relu f'(0)=1", layer: NewActivationLayer(ReLU{DerivAtZero: 1}), in: 5, train: true},
		gradCase{name: "activation/leaky alpha=0.3", layer: NewActivationLayer(Leaky{Alpha: 0.3}), in: 5, train: true},
		gradCase{name: "activation/elu alpha=0.5", layer: NewActivationLayer(ELU{Alpha: 0.5}), in: 5, train: true},
		gradCase{name: "dense", layer: NewDense("d", 5, 4, Init{Scheme: HeNormal}, 0.1, rng), in: 5, input: randomMatrix, train: true},
		gradCase{name: "batchnorm/train", layer: NewBatchNorm("bn", 5), in: 5, input: randomMatrix, train: true},
	)
	bnEval := NewBatchNorm("bn", 5)
	for j := range bnEval.RunningMean {
		bnEval.RunningMean[j] = rng.NormFloat64()
		bnEval.RunningVar[j] = 0.5 + rng.Float64()
		bnEval.Gamma.Value[j] = 0.5 + rng.Float64()
		bnEval.Beta.Value[j] = rng.NormFloat64()
	}
	cases = append(cases, gradCase{name: "batchnorm/eval", layer: bnEval, in: 5, input: randomMatrix, train: false})
	drop := NewDropout(0.5, nil)
	cases = append(cases,
		gradCase{name: "dropout/train", layer: drop, in: 5, input: randomMatrix, train: true,
			beforeForward: func() { drop.rng = rand.New(rand.NewPCG(7, 7)) }},
		gradCase{name: "dropout/eval", layer: NewDropout(0.5, rand.New(rand.NewPCG(7, 7))), in: 5, input: randomMatrix, train: false},
	)
	// PReLU with slopes away from their defaults, so the slope gradient is
	// checked at a generic point.
	pr := NewPReLU("p", 5, 0.25)
	for j := range pr.Slope.Value {
		pr.Slope.Value[j] = 0.1 + 0.5*rng.Float64()
	}
	cases = append(cases, gradCase{name: "prelu/learned slopes", layer: pr, in: 5, train: true})
	return cases
}

func TestGradientsMatchFiniteDifferences(t *testing.T) {
	for _, tc := range gradCases() {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			const rows = 6
			input := kinkFreeInput
			if tc.input != nil {
				input = tc.input
			}
			x := input(rows, tc.in, rng)
			outCols := tc.layer.OutputSize(tc.in)
			readout := randomMatrix(rows, outCols, rng)
			loss := func() float64 {
				if tc.beforeForward != nil {
					tc.beforeForward()
				}
				y := tc.layer.Forward(x, tc.train)
				var s float64
				for i, v := range y.Data {
					s += readout.Data[i] * v
				}
				return s
			}
			loss()
			dx := tc.layer.Backward(readout).Clone()
			checkGradient(t, "input", x.Data, dx.Data, loss)
			for _, p := range tc.layer.Params() {
				loss()
				tc.layer.Backward(readout)
				analytic := append([]float64(nil), p.Grad...)
				checkGradient(t, p.Name, p.Value, analytic, loss)
			}
		})
	}
}

// checkNetGradients runs net forward on x in training mode and backward
// from the softmax cross-entropy of labels, then checks each parameter's
// gradient and the input's against finite differences of loss; prefix
// starts each name in a failure.
func checkNetGradients(t *testing.T, prefix string, net *Network, x *Matrix, labels []int, loss func() float64) {
	t.Helper()
	out := net.Forward(x, true)
	g := NewMatrix(out.Rows, out.Cols)
	SoftmaxCrossEntropy(out, labels, g)
	net.InputGrad = true
	dx := net.Backward(g)
	grads := make([][]float64, len(net.Params()))
	for k, p := range net.Params() {
		grads[k] = append([]float64(nil), p.Grad...)
	}
	for k, p := range net.Params() {
		checkGradient(t, prefix+p.Name, p.Value, grads[k], loss)
	}
	checkGradient(t, prefix+"input", x.Data, append([]float64(nil), dx.Data...), loss)
}

// checkGradient perturbs each entry of values and compares the central
// difference of loss with analytic.
func checkGradient(t *testing.T, what string, values, analytic []float64, loss func() float64) {
	t.Helper()
	worst := 0.0
	for i := range values {
		orig := values[i]
		values[i] = orig + fdStep
		up := loss()
		values[i] = orig - fdStep
		down := loss()
		values[i] = orig
		numeric := (up - down) / (2 * fdStep)
		if e := relErr(analytic[i], numeric); e > worst {
			worst = e
		}
		if e := relErr(analytic[i], numeric); e > fdRelTol {
			t.Errorf("%s[%d]: analytic %.10g, numeric %.10g (relative error %.2g)", what, i, analytic[i], numeric, e)
		}
	}
	t.Logf("%s: worst relative error %.2g over %d entries", what, worst, len(values))
}

// relErr is |a-b| / max(|a|, |b|), with differences below 1e-10 in absolute
// terms counted as agreement (both sides are then zero up to rounding, as for
// a ReLU's dead entries).
func relErr(a, b float64) float64 {
	d := math.Abs(a - b)
	if d < 1e-10 {
		return 0
	}
	return d / math.Max(math.Abs(a), math.Abs(b))
}

func TestLossGradientsMatchFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	logits := randomMatrix(4, 3, rng)
	labels := []int{0, 2, 1, 2}
	grad := NewMatrix(4, 3)
	SoftmaxCrossEntropy(logits, labels, grad)
	checkGradient(t, "softmax cross-entropy", logits.Data, grad.Data, func() float64 {
		return SoftmaxCrossEntropy(logits, labels, nil)
	})

	pred, target := randomMatrix(4, 3, rng), randomMatrix(4, 3, rng)
	MeanSquaredError(pred, target, grad)
	checkGradient(t, "mean squared error", pred.Data, grad.Data, func() float64 {
		return MeanSquaredError(pred, target, nil)
	})
}

// TestMLPGradientsMatchFiniteDifferences checks a whole network, every layer
// kind composed, through the loss.
func TestMLPGradientsMatchFiniteDifferences(t *testing.T) {
	// Registered activations (custom_test.go registers some) join the
	// built-ins chosen for their different layer kinds.
	for _, act := range append([]string{"relu", "tanh", "prelu", "twosided", "selu"}, customNames()...) {
		for _, bn := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/batchnorm=%v", act, bn), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(8, 9))
				spec := MLPSpec{Inputs: 4, Hidden: []int{5, 3}, Outputs: 3, Activation: ActivationSpec{Name: act},
					Init: Init{Scheme: HeNormal}, BiasInit: 0.05, BatchNorm: bn}
				net, err := NewMLP(spec, rng)
				if err != nil {
					t.Fatal(err)
				}
				x := randomMatrix(8, 4, rng)
				labels := []int{0, 1, 2, 0, 1, 2, 0, 1}
				loss := func() float64 { return SoftmaxCrossEntropy(net.Forward(x, true), labels, nil) }
				out := net.Forward(x, true)
				g := NewMatrix(out.Rows, out.Cols)
				SoftmaxCrossEntropy(out, labels, g)
				net.Backward(g)
				grads := make([][]float64, len(net.Params()))
				for k, p := range net.Params() {
					grads[k] = append([]float64(nil), p.Grad...)
				}
				for k, p := range net.Params() {
					checkGradient(t, p.Name, p.Value, grads[k], loss)
				}
			})
		}
	}
}

// TestScalarAndBatchedFormsAgree checks each activation's Value/Deriv
// against its Forward/Backward, and Deriv against a finite difference of
// Value away from kinks.
func TestScalarAndBatchedFormsAgree(t *testing.T) {
	zs := []float64{-5, -1.3, -0.2, 0.15, 0.9, 4}
	for _, name := range Variants() {
		f, ok := ActivationSpec{Name: name}.Elementwise()
		if !ok {
			continue
		}
		y := make([]float64, len(zs))
		dz := make([]float64, len(zs))
		ones := []float64{1, 1, 1, 1, 1, 1}
		f.Forward(y, zs)
		f.Backward(dz, ones, zs, y)
		for i, z := range zs {
			if math.Abs(y[i]-f.Value(z)) > 1e-15*math.Max(1, math.Abs(y[i])) {
				t.Errorf("%s: Forward(%g) = %g, Value = %g", name, z, y[i], f.Value(z))
			}
			if relErr(dz[i], f.Deriv(z)) > 1e-12 {
				t.Errorf("%s: Backward at %g = %g, Deriv = %g", name, z, dz[i], f.Deriv(z))
			}
			numeric := (f.Value(z+fdStep) - f.Value(z-fdStep)) / (2 * fdStep)
			if relErr(f.Deriv(z), numeric) > fdRelTol {
				t.Errorf("%s: Deriv(%g) = %.10g, finite difference %.10g", name, z, f.Deriv(z), numeric)
			}
		}
	}
}

func TestReLUDerivativeAtZeroIsASetting(t *testing.T) {
	for _, d0 := range []float64{0, 1} {
		r := ReLU{DerivAtZero: d0}
		dz := make([]float64, 3)
		r.Backward(dz, []float64{2, 2, 2}, []float64{-1, 0, 1}, nil)
		want := []float64{0, 2 * d0, 2}
		for i := range want {
			if dz[i] != want[i] {
				t.Errorf("f'(0)=%g: dz = %v, want %v", d0, dz, want)
				break
			}
		}
	}
}

func TestTwoSidedHasNoDeadUnits(t *testing.T) {
	// A unit is dead when its whole output is zero; for twosided that needs
	// z == 0 exactly, whatever the sign of z elsewhere.
	ts := &TwoSided{}
	z := MatrixFrom(3, 2, []float64{-1, 2, -3, 0.5, -0.1, 1})
	y := ts.Forward(z, true)
	for j := 0; j < 2; j++ {
		nonzero := false
		for i := 0; i < 3; i++ {
			if y.At(i, j) != 0 || y.At(i, j+2) != 0 {
				nonzero = true
			}
		}
		if !nonzero {
			t.Errorf("unit %d outputs zero on every example despite non-zero inputs", j)
		}
	}
	// Column 0 of z is negative throughout: ReLU would be dead there; the
	// second branch carries it.
	if y.At(0, 2) != -1 || y.At(0, 0) != 0 {
		t.Errorf("negative input: got relu part %g, negative part %g; want 0 and -1", y.At(0, 0), y.At(0, 2))
	}
}

// The branch-free batched ReLU must agree with the scalar definition on
// every special value, signed zeros and NaN included.
func TestReLUBatchedMatchesScalarOnSpecialValues(t *testing.T) {
	zs := []float64{math.Copysign(0, -1), 0, 1e-310, -1e-310, math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN(), 3, -3, math.MaxFloat64, -math.MaxFloat64}
	for _, d0 := range []float64{0, 1} {
		r := ReLU{DerivAtZero: d0}
		y := make([]float64, len(zs))
		dz := make([]float64, len(zs))
		dy := make([]float64, len(zs))
		for i := range dy {
			dy[i] = 2
		}
		r.Forward(y, zs)
		r.Backward(dz, dy, zs, y)
		for i, z := range zs {
			want := r.Value(z)
			if !(y[i] == want || (math.IsNaN(y[i]) && math.IsNaN(want))) || math.Signbit(y[i]) && !math.IsNaN(y[i]) {
				t.Errorf("f'(0)=%g: Forward(%v) = %v, Value = %v", d0, z, y[i], want)
			}
			if z != z {
				continue // the derivative at NaN is not defined either way
			}
			if wantD := 2 * r.Deriv(z); dz[i] != wantD {
				t.Errorf("f'(0)=%g: Backward at %v = %v, want %v", d0, z, dz[i], wantD)
			}
		}
	}
}

// The vector kernels (plain and streaming, aligned or not, with a tail)
// must give exactly the scalar results.
func TestReLUKernelsMatchScalarOnLongArrays(t *testing.T) {
	special := []float64{math.Copysign(0, -1), 0, math.NaN(), -math.NaN(), math.Inf(1), math.Inf(-1), 1e-310, -1e-310}
	rng := rand.New(rand.NewPCG(9, 9))
	for _, n := range []int{16, 37, 1000, 1<<20 + 5} {
		for _, offset := range []int{0, 1, 3} {
			buf := make([]float64, n+offset)
			z := buf[offset:]
			for i := range z {
				if i%7 == 0 {
					z[i] = special[(i/7)%len(special)]
				} else {
					z[i] = rng.NormFloat64()
				}
			}
			dy := make([]float64, n+offset)[offset:]
			for i := range dy {
				dy[i] = rng.NormFloat64()
			}
			y := make([]float64, n+offset)[offset:]
			dz := make([]float64, n+offset)[offset:]
			r := ReLU{}
			r.Forward(y, z)
			r.Backward(dz, dy, z, y)
			for i, v := range z {
				want := r.Value(v)
				if math.Float64bits(y[i]) != math.Float64bits(want) && !(math.IsNaN(want) && math.IsNaN(y[i])) {
					t.Fatalf("n=%d offset=%d: Forward(%v) at %d = %v, want %v", n, offset, v, i, y[i], want)
				}
				if v == v {
					if wantD := dy[i] * r.Deriv(v); math.Float64bits(dz[i]) != math.Float64bits(wantD) && dz[i] != wantD {
						t.Fatalf("n=%d offset=%d: Backward at z=%v (%d) = %v, want %v", n, offset, v, i, dz[i], wantD)
					}
				}
			}
		}
	}
}

// The masked ReLU layer (forward records z > 0 as bits, backward reads
// them) gives exactly what the elementwise definition gives, at lengths
// around the mask's 64-element words and past the streaming threshold.
func TestReLULayerMaskMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	for _, n := range []int{63, 64, 65, 200, 4096 + 17, 1<<20 + 77} {
		for _, offset := range []int{0, 2} {
			z := make([]float64, n+offset)[offset:]
			for i := range z {
				z[i] = rng.NormFloat64()
				if i%11 == 0 {
					z[i] = []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(-1)}[i%4]
				}
			}
			dy := make([]float64, n)
			for i := range dy {
				dy[i] = rng.NormFloat64()
			}
			layer := NewActivationLayer(ReLU{})
			zm := MatrixFrom(1, n, z)
			y := layer.Forward(zm, true)
			dz := layer.Backward(MatrixFrom(1, n, dy))
			for i, v := range z {
				r := ReLU{}
				if want := r.Value(v); math.Float64bits(y.Data[i]) != math.Float64bits(want) && !(math.IsNaN(want) && math.IsNaN(y.Data[i])) {
					t.Fatalf("n=%d offset=%d: y[%d] = %v for z = %v, want %v", n, offset, i, y.Data[i], v, want)
				}
				if v != v {
					continue
				}
				if want := dy[i] * r.Deriv(v); dz.Data[i] != want {
					t.Fatalf("n=%d offset=%d: dz[%d] = %v for z = %v, want %v", n, offset, i, dz.Data[i], v, want)
				}
			}
		}
	}
}

// TestActivityL1GradientsMatchFiniteDifferences checks a network with the
// activity penalty through the whole objective: the data loss plus the
// penalty. Kink-free activations keep the activations away from 0, where
// |h| has its kink.
func TestActivityL1GradientsMatchFiniteDifferences(t *testing.T) {
	for _, act := range []string{"tanh", "softplus", "elu"} {
		t.Run(act, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(10, 11))
			spec := MLPSpec{Inputs: 4, Hidden: []int{5, 3}, Outputs: 3, Activation: ActivationSpec{Name: act},
				Init: Init{Scheme: HeNormal}, BiasInit: 0.05, ActivityL1: 0.3}
			net, err := NewMLP(spec, rng)
			if err != nil {
				t.Fatal(err)
			}
			x := randomMatrix(8, 4, rng)
			labels := []int{0, 1, 2, 0, 1, 2, 0, 1}
			loss := func() float64 {
				out := net.Forward(x, true)
				return SoftmaxCrossEntropy(out, labels, nil) + net.Penalty()
			}
			if net.Forward(x, true); net.Penalty() <= 0 {
				t.Fatalf("penalty %v: the layers were not inserted", net.Penalty())
			}
			out := net.Forward(x, true)
			g := NewMatrix(out.Rows, out.Cols)
			SoftmaxCrossEntropy(out, labels, g)
			net.Backward(g)
			grads := make([][]float64, len(net.Params()))
			for k, p := range net.Params() {
				grads[k] = append([]float64(nil), p.Grad...)
			}
			for k, p := range net.Params() {
				checkGradient(t, p.Name, p.Value, grads[k], loss)
			}
		})
	}
}

// TestActivityL1LeavesZerosAndAddsSign checks the layer on hand-made values:
// forward is the identity, backward adds coef*sign(h)/rows, 0 at h = 0, and
// the penalty is coef times the batch mean of sum |h|.
func TestActivityL1LeavesZerosAndAddsSign(t *testing.T) {
	l := NewActivityL1(0.5)
	x := &Matrix{Rows: 2, Cols: 3, Data: []float64{1, -2, 0, 0, 3, -0.5}}
	if y := l.Forward(x, true); y != x {
		t.Fatal("forward must pass its input through")
	}
	dy := &Matrix{Rows: 2, Cols: 3, Data: []float64{1, 1, 1, 0, 0, 0}}
	dx := l.Backward(dy)
	want := []float64{1.25, 0.75, 1, 0, 0.25, -0.25}
	for i := range want {
		if dx.Data[i] != want[i] {
			t.Errorf("dx[%d] = %v, want %v", i, dx.Data[i], want[i])
		}
	}
	if got, wantP := l.Penalty(), 0.5*6.5/2; got != wantP {
		t.Errorf("penalty %v, want %v", got, wantP)
	}
	if _, err := NewMLP(MLPSpec{Inputs: 2, Hidden: []int{2}, Outputs: 2, Activation: ActivationSpec{Name: "relu"}, Init: Init{Scheme: HeNormal}, ActivityL1: -1}, rand.New(rand.NewPCG(1, 2))); err == nil {
		t.Error("a negative coefficient was accepted")
	}
}

// TestCenterGradientsMatchFiniteDifferences checks a net with a centring
// layer after each activation (as zerocentered's relu-centred arm builds it)
// through the loss, in training mode, where the batch mean couples the
// examples; and that the layer's outputs have zero column means, or, with
// Share 0.5 (half the mean subtracted), half their inputs' column means.
func TestCenterGradientsMatchFiniteDifferences(t *testing.T) {
	for _, share := range []float64{1, 0.5} {
		rng := rand.New(rand.NewPCG(12, 13))
		d1, d2 := NewDense("h1", 4, 5, Init{Scheme: HeNormal}, 0.05, rng), NewDense("out", 5, 3, Init{Scheme: HeNormal}, 0, rng)
		c := NewCenter(5)
		c.Share = share
		act := NewActivationLayer(Tanh{})
		net := NewNetwork(d1, act, c, d2)
		x := randomMatrix(8, 4, rng)
		labels := []int{0, 1, 2, 0, 1, 2, 0, 1}
		loss := func() float64 { return SoftmaxCrossEntropy(net.Forward(x, true), labels, nil) }
		net.Forward(x, true)
		h := act.Forward(d1.Forward(x, true), true) // the centring layer's inputs, as they were
		for j := 0; j < 5; j++ {
			var s, in float64
			for i := 0; i < 8; i++ {
				s += c.y.Data[i*5+j]
				in += h.Data[i*5+j]
			}
			if want := (1 - share) * in; math.Abs(s-want) > 1e-12 {
				t.Errorf("share %g: column %d of the output sums to %g, want %g", share, j, s, want)
			}
		}
		checkNetGradients(t, fmt.Sprintf("share %g: ", share), net, x, labels, loss)
		// Evaluation subtracts the running means, not the batch's.
		run := append([]float64(nil), c.Running...)
		net.Forward(x, false)
		if c.Running[0] != run[0] {
			t.Error("evaluation moved the running means")
		}
	}
}
