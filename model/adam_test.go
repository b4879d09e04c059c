package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// adamReference is Adam's update written out on its own, value by value,
// as the scalar loop of Adam.Step computes it.
func adamReference(p, g, m, v []float64, beta1, beta2, lr, eps float64, t int) {
	c1 := 1 - math.Pow(beta1, float64(t))
	c2 := 1 - math.Pow(beta2, float64(t))
	for i := range g {
		m[i] = beta1*m[i] + (1-beta1)*g[i]
		v[i] = beta2*v[i] + (1-beta2)*g[i]*g[i]
		p[i] -= lr * (m[i] / c1) / (math.Sqrt(v[i]/c2) + eps)
	}
}

// Adam.Step, vector kernel included, gives the reference's bits over many
// steps, for every length (so every tail the kernel leaves), on gradients
// with edge values: signed zeros, subnormals, large and tiny magnitudes,
// infinities and NaN.
func TestAdamStepMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	edge := []float64{0, math.Copysign(0, -1), 5e-324, -5e-324, 1e-300, 1e300, -1e300, 3, -2.5, math.Inf(1), math.Inf(-1), math.NaN()}
	for n := 0; n <= 37; n++ {
		p, g := make([]float64, n), make([]float64, n)
		for i := range p {
			p[i] = rng.NormFloat64()
		}
		refP, refM, refV := append([]float64(nil), p...), make([]float64, n), make([]float64, n)
		param := &Param{Value: p, Grad: g}
		opt := &Adam{LR: 0.003, Beta1: 0.85, Beta2: 0.995, Eps: 1e-7}
		for step := 1; step <= 6; step++ {
			for i := range g {
				g[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(9)-4))
				if n > 8 && step == 3 {
					g[i] = edge[i%len(edge)]
				}
			}
			opt.Step([]*Param{param})
			adamReference(refP, g, refM, refV, opt.Beta1, opt.Beta2, opt.LR, opt.Eps, step)
			for i := range p {
				if math.Float64bits(p[i]) != math.Float64bits(refP[i]) && !(math.IsNaN(p[i]) && math.IsNaN(refP[i])) {
					t.Fatalf("n=%d step %d value %d: %v, reference %v", n, step, i, p[i], refP[i])
				}
				if math.Float64bits(opt.m[0][i]) != math.Float64bits(refM[i]) && !(math.IsNaN(refM[i]) && math.IsNaN(opt.m[0][i])) ||
					math.Float64bits(opt.v[0][i]) != math.Float64bits(refV[i]) && !(math.IsNaN(refV[i]) && math.IsNaN(opt.v[0][i])) {
					t.Fatalf("n=%d step %d moments %d: m %v v %v, reference %v %v", n, step, i, opt.m[0][i], opt.v[0][i], refM[i], refV[i])
				}
			}
		}
	}
}

func TestAdamStepAllocs(t *testing.T) {
	p := &Param{Value: make([]float64, 1000), Grad: make([]float64, 1000)}
	opt := NewAdam(0.001)
	opt.Step([]*Param{p})
	if a := testing.AllocsPerRun(20, func() { opt.Step([]*Param{p}) }); a != 0 {
		t.Errorf("%v allocations per step, want 0", a)
	}
}

// BenchmarkAdamStep: one update of a 784x256 weight matrix, with the
// vector kernel (where the CPU has it) and with the scalar loop alone.
func BenchmarkAdamStep(b *testing.B) {
	for _, vector := range []bool{true, false} {
		name := "scalar"
		if vector {
			name = "vector"
		}
		b.Run(name, func(b *testing.B) {
			saved := haveAVX
			haveAVX = haveAVX && vector
			defer func() { haveAVX = saved }()
			n := 784 * 256
			p := &Param{Value: make([]float64, n), Grad: make([]float64, n)}
			for i := range p.Grad {
				p.Grad[i] = float64(i%7) - 3
			}
			opt := NewAdam(0.001)
			b.SetBytes(int64(n) * 8 * 7) // reads p, g, m, v; writes p, m, v
			b.ResetTimer()
			for range b.N {
				opt.Step([]*Param{p})
			}
		})
	}
}
