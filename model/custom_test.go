package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Two activations registered for the whole test binary, so that every test
// that walks Variants() (the finite-difference checks of gradcheck_test.go
// among them) covers registered activations too: softsign, smooth and
// two-sided with a gain of its own, and the squared ReLU, one-sided.
var testCustoms = []Custom{
	{
		Name:    "softsign",
		Value:   func(z float64) float64 { return z / (1 + math.Abs(z)) },
		Deriv:   func(z float64) float64 { d := 1 + math.Abs(z); return 1 / (d * d) },
		Gain:    1.5,
		Summary: "z / (1 + |z|)",
	},
	{
		Name:     "sqrelu",
		Value:    func(z float64) float64 { r := math.Max(z, 0); return r * r },
		Deriv:    func(z float64) float64 { return 2 * math.Max(z, 0) },
		Gain:     2,
		OneSided: true,
	},
}

func init() {
	for _, c := range testCustoms {
		if err := Register(c); err != nil {
			panic(err)
		}
	}
}

// The check a registration passes is the one the built-ins pass, at the
// settings the experiments use and at others.
func TestBuiltinsPassTheRegistrationCheck(t *testing.T) {
	var fs []Elementwise
	for _, name := range BuiltinVariants() {
		if f, ok := (ActivationSpec{Name: name}).Elementwise(); ok {
			fs = append(fs, f)
		}
	}
	fs = append(fs, ReLU{DerivAtZero: 1}, Leaky{Alpha: 0.3}, ELU{Alpha: 0.5})
	if len(fs) < 14 {
		t.Fatalf("only %d built-in activations found", len(fs))
	}
	for _, f := range fs {
		if err := checkActivation(f.Value, f.Deriv); err != nil {
			t.Errorf("%s: %v", f.Name(), err)
		}
		oneSided := f.Name() == "relu"
		if err := checkOneSided(f.Value, f.Deriv, oneSided); err != nil {
			t.Errorf("%s (one-sided %v): %v", f.Name(), oneSided, err)
		}
	}
}

func mishValue(z float64) float64 { return z * math.Tanh(softplus(z)) }

func mishDeriv(z float64) float64 {
	t := math.Tanh(softplus(z))
	return t + z*(1-t*t)*sigmoid(z)
}

func TestRegisterRefusesBadActivations(t *testing.T) {
	good := Custom{Name: "refused", Value: mishValue, Deriv: mishDeriv, Gain: 2}
	with := func(edit func(*Custom)) Custom { c := good; edit(&c); return c }
	calls := 0
	cases := []struct {
		name string
		c    Custom
		want []string
	}{
		{"empty name", with(func(c *Custom) { c.Name = "" }), []string{`activation name ""`, "lower-case letters"}},
		{"upper case", with(func(c *Custom) { c.Name = "Mish" }), []string{`"Mish" is not valid`}},
		{"space", with(func(c *Custom) { c.Name = "my act" }), []string{"not valid"}},
		{"comma (a list separator)", with(func(c *Custom) { c.Name = "a,b" }), []string{"not valid"}},
		{"slash (vanishing's net spelling)", with(func(c *Custom) { c.Name = "mish/he" }), []string{"not valid"}},
		{"double hyphen", with(func(c *Custom) { c.Name = "hard--swish" }), []string{"not valid"}},
		{"starts with a digit", with(func(c *Custom) { c.Name = "6relu" }), []string{"not valid"}},
		{"too long", with(func(c *Custom) { c.Name = strings.Repeat("a", 33) }), []string{"at most 32"}},
		{"built-in", with(func(c *Custom) { c.Name = "gelu" }), []string{`"gelu" is taken by a built-in`, "built-ins: relu, leaky, prelu"}},
		{"built-in and hyphen", with(func(c *Custom) { c.Name = "relu-d2" }), []string{`starts with the built-in "relu"`, "built-ins: relu"}},
		{"registered before", with(func(c *Custom) { c.Name = "softsign" }), []string{`"softsign" is already registered`}},
		{"no value", with(func(c *Custom) { c.Value = nil }), []string{"Value and Deriv must both be set"}},
		{"no derivative", with(func(c *Custom) { c.Deriv = nil }), []string{"Value and Deriv must both be set"}},
		{"zero gain", with(func(c *Custom) { c.Gain = 0 }), []string{"Gain must be a positive number", "2 for He"}},
		{"negative gain", with(func(c *Custom) { c.Gain = -2 }), []string{"Gain must be a positive number"}},
		{"NaN gain", with(func(c *Custom) { c.Gain = math.NaN() }), []string{"Gain must be a positive number"}},
		{"infinite gain", with(func(c *Custom) { c.Gain = math.Inf(1) }), []string{"Gain must be a positive number"}},
		{"derivative missing a term", with(func(c *Custom) {
			c.Deriv = func(z float64) float64 { return math.Tanh(softplus(z)) }
		}), []string{"the derivative is wrong", "finite difference"}},
		{"derivative 0.1% too large", with(func(c *Custom) {
			c.Deriv = func(z float64) float64 { return 1.001 * mishDeriv(z) }
		}), []string{"the derivative is wrong"}},
		{"derivative wrong only beside 0", with(func(c *Custom) {
			c.Deriv = func(z float64) float64 {
				if math.Abs(z) < 0.01 {
					return 0.5
				}
				return mishDeriv(z)
			}
		}), []string{"f'(-0.001) = 0.5", "the derivative is wrong"}},
		{"derivative wrong only far out", with(func(c *Custom) {
			c.Deriv = func(z float64) float64 {
				if z > 10 {
					return 0
				}
				return mishDeriv(z)
			}
		}), []string{"f'(15.7) = 0", "the derivative is wrong"}},
		{"derivative of the wrong sign on the left", with(func(c *Custom) {
			c.Deriv = func(z float64) float64 {
				if z < 0 {
					return -mishDeriv(z)
				}
				return mishDeriv(z)
			}
		}), []string{"the derivative is wrong"}},
		{"overflows far out", with(func(c *Custom) {
			c.Value = func(z float64) float64 { return math.Exp(z * z) }
			c.Deriv = func(z float64) float64 { return 2 * z * math.Exp(z*z) }
		}), []string{"= +Inf", "must be finite"}},
		{"NaN derivative", with(func(c *Custom) {
			c.Deriv = func(z float64) float64 { return math.Sqrt(z) }
		}), []string{"f'(-41.3) = NaN", "must be finite"}},
		{"not repeatable", with(func(c *Custom) {
			c.Value = func(z float64) float64 { calls++; return mishValue(z) + float64(calls)*1e-12 }
		}), []string{"different value on a second call", "pure functions"}},
		{"one-sided claimed, leaky", with(func(c *Custom) {
			c.Value = Leaky{Alpha: 0.01}.Value
			c.Deriv = Leaky{Alpha: 0.01}.Deriv
			c.OneSided = true
		}), []string{"OneSided is set", "f'(-41.3) = 0.01"}},
		{"one-sided not claimed, shifted relu", with(func(c *Custom) {
			c.Value = func(z float64) float64 { return math.Max(z-0.5, 0) }
			c.Deriv = func(z float64) float64 { return ReLU{}.Deriv(z - 0.5) }
		}), []string{"set OneSided"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Register(tc.c)
			if err == nil {
				t.Fatalf("registered; want an error containing %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	if slices.Contains(Variants(), "refused") {
		t.Errorf("a refused activation is among the variants: %v", Variants())
	}
	if err := ValidateVariant("refused"); err == nil {
		t.Errorf("a refused activation's name is accepted")
	}
}

// A correct derivative is accepted even when a kink lies closer than the
// finite-difference step to a check point (the smaller step clears it).
func TestRegisterAcceptsAKinkBesideACheckPoint(t *testing.T) {
	const kink = 0.27 + 4e-6 // within derivStep of the point 0.27
	c := Custom{Name: "near-kink",
		Value: func(z float64) float64 { return math.Max(z-kink, 0) },
		Deriv: func(z float64) float64 { return ReLU{}.Deriv(z - kink) },
		Gain:  2, OneSided: true}
	f := func(z float64) float64 { return c.Value(z) }
	if h := derivStep; derivAgrees(c.Deriv(0.27), centralDiff(f, 0.27, h)) {
		t.Fatalf("the kink is not within a step of 0.27: the test shows nothing")
	}
	if err := checkActivation(c.Value, c.Deriv); err != nil {
		t.Errorf("a correct derivative was refused: %v", err)
	}
}

func TestRegisteredActivationIsAVariant(t *testing.T) {
	vs, nb := Variants(), len(BuiltinVariants())
	if got := vs[nb : nb+2]; !slices.Equal(got, []string{"softsign", "sqrelu"}) {
		t.Errorf("Variants() ends with %v, want the registered activations in registration order", got)
	}
	if !slices.Equal(vs[:nb], BuiltinVariants()) {
		t.Errorf("Variants() does not start with the built-ins: %v", vs)
	}
	if err := ValidateVariant("softsign"); err != nil {
		t.Errorf("ValidateVariant(softsign): %v", err)
	}
	if err := ValidateVariant("softsing"); err == nil || !strings.Contains(err.Error(), "softsign, sqrelu") {
		t.Errorf("an unknown name's error does not list the registered ones: %v", err)
	}
	soft, sq := ActivationSpec{Name: "softsign"}, ActivationSpec{Name: "sqrelu"}
	f, ok := soft.Elementwise()
	if !ok || f.Name() != "softsign" || f.Value(3) != 0.75 || f.Deriv(-1) != 0.25 {
		t.Fatalf("softsign's elementwise form: %v, %v", f, ok)
	}
	layer, err := soft.NewLayer("act", 4)
	if err != nil || layer.Kind() != "softsign" {
		t.Fatalf("NewLayer: %v, %v", layer, err)
	}
	y := layer.Forward(MatrixFrom(1, 4, []float64{-3, -1, 0, 1}), true)
	if want := []float64{-0.75, -0.5, 0, 0.5}; !slices.Equal(y.Data, want) {
		t.Errorf("forward = %v, want %v", y.Data, want)
	}
	dz := layer.Backward(MatrixFrom(1, 4, []float64{2, 2, 2, 2}))
	if want := []float64{0.125, 0.5, 2, 0.5}; !slices.Equal(dz.Data, want) {
		t.Errorf("backward = %v, want %v", dz.Data, want)
	}
	if soft.CanDie() || !sq.CanDie() {
		t.Errorf("CanDie: softsign %v (want false), sqrelu %v (want true)", soft.CanDie(), sq.CanDie())
	}
	if got := soft.RecommendedInit(); got != (Init{Scheme: Gain, Gain: 1.5}) {
		t.Errorf("softsign's init = %v, want gain=1.5", got)
	}
	if got := sq.RecommendedInit(); got != (Init{Scheme: HeNormal}) {
		t.Errorf("sqrelu's init (gain 2) = %v, want he-normal", got)
	}
	var info VariantInfo
	for _, v := range DescribeVariants() {
		if v.Name == "softsign" {
			info = v
		}
	}
	if info.Builtin || info.OneSided || info.Summary != "z / (1 + |z|)" || info.Init.Gain != 1.5 {
		t.Errorf("DescribeVariants for softsign = %+v", info)
	}
}

// The finite-difference tests of gradcheck_test.go cover the registered
// activations (they walk Variants()).
func TestRegisteredActivationsAreGradientChecked(t *testing.T) {
	var names []string
	for _, c := range gradCases() {
		names = append(names, c.name)
	}
	for _, c := range testCustoms {
		if !slices.Contains(names, "activation/"+c.Name) {
			t.Errorf("no gradient check of %s among %v", c.Name, names)
		}
	}
}

// Cells run in parallel: networks of a registered activation built and run
// on several goroutines, while another activation is being registered,
// give bit-identical outputs (run with -race to see the locking hold).
func TestRegisteredActivationIsSafeInParallel(t *testing.T) {
	run := func() []float64 {
		rng := rand.New(rand.NewPCG(4, 2))
		net, err := NewMLP(MLPSpec{Inputs: 8, Hidden: []int{16, 16}, Outputs: 3, Activation: ActivationSpec{Name: "softsign"},
			Init: Init{Scheme: Gain, Gain: 1.5}}, rng)
		if err != nil {
			panic(err)
		}
		x := randomMatrix(32, 8, rng)
		return append([]float64(nil), net.Forward(x, true).Data...)
	}
	want := run()
	var wg sync.WaitGroup
	got := make([][]float64, 8)
	for i := range got {
		wg.Go(func() { got[i] = run() })
	}
	wg.Go(func() {
		if err := Register(Custom{Name: "late", Value: mishValue, Deriv: mishDeriv, Gain: 2}); err != nil {
			t.Error(err)
		}
	})
	wg.Wait()
	for i, g := range got {
		for j := range want {
			if math.Float64bits(g[j]) != math.Float64bits(want[j]) {
				t.Fatalf("goroutine %d: output %d = %v, want %v", i, j, g[j], want[j])
			}
		}
	}
}

// The registration check costs microseconds (under 200 evaluations of f
// and f'):
//
//	go test -run '^$' -bench RegistrationCheck ./model/
func BenchmarkRegistrationCheck(b *testing.B) {
	for b.Loop() {
		if err := checkActivation(mishValue, mishDeriv); err != nil {
			b.Fatal(err)
		}
		if err := checkOneSided(mishValue, mishDeriv, false); err != nil {
			b.Fatal(err)
		}
	}
}
