package model

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestBatchNormTrainingNormalisesAndUpdatesRunningStats(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	const n, f = 64, 3
	x := NewMatrix(n, f)
	for i := 0; i < n; i++ {
		for j := 0; j < f; j++ {
			x.Data[i*f+j] = 3 + float64(j+1)*rng.NormFloat64()
		}
	}
	bn := NewBatchNorm("bn", f)
	y := bn.Forward(x, true)
	for j := 0; j < f; j++ {
		var mean, sq, xm, xss float64
		for i := 0; i < n; i++ {
			mean += y.At(i, j)
			xm += x.At(i, j)
		}
		mean /= n
		xm /= n
		for i := 0; i < n; i++ {
			sq += (y.At(i, j) - mean) * (y.At(i, j) - mean)
			xss += (x.At(i, j) - xm) * (x.At(i, j) - xm)
		}
		if math.Abs(mean) > 1e-12 {
			t.Errorf("feature %d: output mean %g, want 0", j, mean)
		}
		if v := sq / n; math.Abs(v-1) > 1e-3 {
			t.Errorf("feature %d: output variance %g, want 1 (up to eps)", j, v)
		}
		// One update with momentum 0.1 from (0, 1).
		if want := 0.1 * xm; math.Abs(bn.RunningMean[j]-want) > 1e-12 {
			t.Errorf("feature %d: running mean %g, want %g", j, bn.RunningMean[j], want)
		}
		if want := 0.9 + 0.1*xss/(n-1); math.Abs(bn.RunningVar[j]-want) > 1e-12 {
			t.Errorf("feature %d: running var %g, want %g", j, bn.RunningVar[j], want)
		}
	}
}

func TestBatchNormEvaluationUsesRunningStatsPerExample(t *testing.T) {
	bn := NewBatchNorm("bn", 2)
	bn.RunningMean = []float64{1, -2}
	bn.RunningVar = []float64{4, 0.25}
	bn.Gamma.Value = []float64{2, 1}
	bn.Beta.Value = []float64{0.5, 0}
	x := MatrixFrom(2, 2, []float64{3, -2, 1, -1})
	y := bn.Forward(x, false)
	want := []float64{
		2*(3-1)/math.Sqrt(4+1e-5) + 0.5, (-2 + 2) / math.Sqrt(0.25+1e-5),
		0.5, (-1 + 2) / math.Sqrt(0.25+1e-5),
	}
	for i := range want {
		if math.Abs(y.Data[i]-want[i]) > 1e-12 {
			t.Fatalf("eval output %v, want %v", y.Data, want)
		}
	}
	// Evaluation must not touch the running statistics.
	if bn.RunningMean[0] != 1 || bn.RunningVar[1] != 0.25 {
		t.Errorf("evaluation changed running stats: %v %v", bn.RunningMean, bn.RunningVar)
	}
}

func TestDropoutTrainingAndEvaluation(t *testing.T) {
	const rate = 0.3
	d := NewDropout(rate, rand.New(rand.NewPCG(2, 2)))
	x := NewMatrix(200, 100)
	for i := range x.Data {
		x.Data[i] = 1
	}
	y := d.Forward(x, true)
	zeros, sum := 0, 0.0
	for _, v := range y.Data {
		if v == 0 {
			zeros++
		} else if math.Abs(v-1/(1-rate)) > 1e-15 {
			t.Fatalf("kept value %g, want %g", v, 1/(1-rate))
		}
		sum += v
	}
	n := float64(len(y.Data))
	// 20000 Bernoulli draws: the dropped fraction is within 4 standard
	// errors of the rate, and inverted scaling keeps the mean at 1.
	se := math.Sqrt(rate * (1 - rate) / n)
	if f := float64(zeros) / n; math.Abs(f-rate) > 4*se {
		t.Errorf("dropped fraction %g, want %g +- %g", f, rate, 4*se)
	}
	if m := sum / n; math.Abs(m-1) > 4*se/(1-rate) {
		t.Errorf("mean after dropout %g, want 1", m)
	}
	dy := d.Backward(x)
	for i, g := range dy.Data {
		if g != y.Data[i] {
			t.Fatalf("backward mask differs from forward mask at %d", i)
		}
	}
	if e := d.Forward(x, false); e != x {
		t.Error("evaluation mode must pass the input through unchanged")
	}
}

func TestClipGlobalNormBoundsTheNormAndKeepsDirection(t *testing.T) {
	p := &Param{Value: make([]float64, 3), Grad: []float64{3, 4, 0}}
	q := &Param{Value: make([]float64, 1), Grad: []float64{12}}
	params := []*Param{p, q}
	before := ClipGlobalNorm(params, 5)
	if before != 13 {
		t.Errorf("norm before = %g, want 13", before)
	}
	if after := GlobalNorm(params); math.Abs(after-5) > 1e-12 {
		t.Errorf("norm after = %g, want 5", after)
	}
	if r := p.Grad[0] / q.Grad[0]; math.Abs(r-3.0/12) > 1e-15 {
		t.Errorf("direction changed: ratio %g", r)
	}
	// Below the threshold nothing changes.
	ClipGlobalNorm(params, 100)
	if math.Abs(GlobalNorm(params)-5) > 1e-12 {
		t.Error("clipping below the threshold changed the gradients")
	}
}

func TestOptimizersTakeTheDocumentedStep(t *testing.T) {
	newP := func() []*Param { return []*Param{{Value: []float64{1}, Grad: []float64{0.5}}} }
	p := newP()
	(&SGD{LR: 0.1}).Step(p)
	if p[0].Value[0] != 1-0.05 {
		t.Errorf("sgd: %g", p[0].Value[0])
	}
	p = newP()
	m := &Momentum{LR: 0.1, Beta: 0.9}
	m.Step(p)
	m.Step(p)
	// v1 = 0.5, w1 = 0.95; v2 = 0.9*0.5+0.5 = 0.95, w2 = 0.95-0.095.
	if math.Abs(p[0].Value[0]-0.855) > 1e-15 {
		t.Errorf("momentum: %g, want 0.855", p[0].Value[0])
	}
	p = newP()
	NewAdam(0.01).Step(p)
	// The first bias-corrected Adam step moves by lr*sign(g) (up to eps).
	if math.Abs(p[0].Value[0]-0.99) > 1e-9 {
		t.Errorf("adam: %g, want 0.99", p[0].Value[0])
	}
}

func TestNonFiniteStepIsReportedAndSkipped(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	net, err := NewMLP(MLPSpec{Inputs: 3, Hidden: []int{4}, Outputs: 2, Activation: ActivationSpec{Name: "relu"}, Init: Init{Scheme: HeNormal}}, rng)
	if err != nil {
		t.Fatal(err)
	}
	tr := &Trainer{Net: net, Opt: &SGD{LR: 0.1}}
	x := MatrixFrom(2, 3, []float64{1, math.Inf(1), 0, 1, 2, 3})
	before := append([]float64(nil), net.Params()[0].Value...)
	st := tr.Step(x, []int{0, 1})
	if st.Finite {
		t.Fatalf("a step on an infinite input was reported finite: %+v", st)
	}
	for i, v := range net.Params()[0].Value {
		if v != before[i] {
			t.Fatal("a non-finite step changed the parameters")
		}
	}
}

func TestMLPSpecValidation(t *testing.T) {
	good := MLPSpec{Inputs: 2, Hidden: []int{3}, Outputs: 2, Activation: ActivationSpec{Name: "relu"}, Init: Init{Scheme: HeNormal}}
	cases := []struct {
		name   string
		modify func(*MLPSpec)
		want   string
	}{
		{"depth 0", func(s *MLPSpec) { s.Hidden = nil }, "depth 0"},
		{"zero width", func(s *MLPSpec) { s.Hidden = []int{3, 0} }, "width 0"},
		{"unknown variant", func(s *MLPSpec) { s.Activation.Name = "relu6" }, "valid: relu, leaky"},
		{"unknown init", func(s *MLPSpec) { s.Init.Scheme = "orthogonal" }, "valid: xavier-uniform"},
		{"dropout 1", func(s *MLPSpec) { s.HiddenDropout = 1 }, "outside [0, 1)"},
		{"negative dropout", func(s *MLPSpec) { s.InputDropout = -0.1 }, "outside [0, 1)"},
		{"gain 0", func(s *MLPSpec) { s.Init = Init{Scheme: Gain} }, "gain"},
	}
	if err := good.Validate(); err != nil {
		t.Fatalf("valid spec rejected: %v", err)
	}
	for _, tc := range cases {
		s := good
		s.Hidden = append([]int(nil), good.Hidden...)
		tc.modify(&s)
		err := s.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
