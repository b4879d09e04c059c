package kit

import (
	"math"

	"github.com/reluexp/reluexp/model"
)

// Mean-field theory of signal propagation at initialisation (Poole et al.
// 2016; Schoenholz et al. 2017), for MLPs with zero-mean weights and zero
// biases. Layer l's pre-activations are treated as Gaussian with second
// moment q_l, so that
//
//	q_{l+1}     = Var(w_{l+1}) * n_l * E[phi(z)^2],          z ~ N(0, q_l)
//	E||dz_l||^2 = chi_l * E||dz_{l+1}||^2,  chi_l = Var(w_{l+1}) * n_l * E[phi'(z)^2]
//
// With equal widths Var(w) * n is sigma_w^2 and chi is the textbook
// sigma_w^2 E[phi'(z)^2]; for ReLU under He init chi = 1 exactly.

// MeanField holds the per-hidden-layer predictions of a net (index 0 is the
// first hidden layer).
type MeanField struct {
	// Q is the pre-activations' second moment.
	Q []float64
	// ActSq is the expected squared norm of one example's activation vector.
	ActSq []float64
	// Chi[l] is the factor by which E||dz||^2 shrinks (chi < 1) or grows
	// from layer l+1 to layer l; the last entry relates the last hidden
	// layer to the logits' gradient and is not used for anchoring.
	Chi []float64
}

// ComputeMeanField predicts an MLP of depth hidden layers of the given width,
// fed inputs whose entries have second moment inputSq.
func ComputeMeanField(act model.ActivationSpec, init model.Init, inputs, width, outputs, depth int, inputSq float64) MeanField {
	f, elementwise := act.Elementwise()
	// For twosided each unit feeds two columns: [relu(z), min(z, 0)]. The
	// squares of the two sum to z^2 and exactly one branch has slope 1, so it
	// propagates like the identity with a doubled fan-in.
	actSq := func(q float64) float64 {
		if !elementwise {
			return q
		}
		return GaussExpect(func(z float64) float64 { v := f.Value(z); return v * v }, q)
	}
	derivSq := func(q float64) float64 {
		if !elementwise {
			return 1
		}
		return GaussExpect(func(z float64) float64 { d := f.Deriv(z); return d * d }, q)
	}
	cols := width
	if !elementwise {
		cols = 2 * width
	}
	mf := MeanField{Q: make([]float64, depth), ActSq: make([]float64, depth), Chi: make([]float64, depth)}
	q := init.Variance(inputs, width) * float64(inputs) * inputSq
	for l := 0; l < depth; l++ {
		mf.Q[l] = q
		m2 := actSq(q)
		mf.ActSq[l] = float64(width) * m2
		next := width
		if l == depth-1 {
			next = outputs
		}
		varW := init.Variance(cols, next)
		mf.Chi[l] = varW * float64(width) * derivSq(q)
		q = varW * float64(width) * m2
	}
	return mf
}

// GaussExpect returns E[g(z)] for z ~ N(0, q) by Simpson's rule on each
// half-line up to 12 standard deviations. Splitting at 0, and evaluating g
// just beside 0 on each side, makes the rule exact in the limit for
// functions with a jump or kink at 0 (ReLU's derivative, say), where a rule
// straddling 0 would be off by O(h). The error is far below what the Monte
// Carlo measurements it is compared with can resolve.
func GaussExpect(g func(float64) float64, q float64) float64 {
	if q <= 0 {
		return g(0)
	}
	const n = 2000 // intervals on each half-line (even)
	sd := math.Sqrt(q)
	h := 12 * sd / n
	density := func(z float64) float64 { return math.Exp(-0.5 * z * z / q) }
	half := func(sign float64) float64 {
		// The node at 0 takes g's one-sided value.
		sum := g(sign*math.SmallestNonzeroFloat64) + g(sign*n*h)*density(n*h)
		for i := 1; i < n; i++ {
			w := 2.0
			if i%2 == 1 {
				w = 4
			}
			z := float64(i) * h
			sum += w * g(sign*z) * density(z)
		}
		return sum * h / 3
	}
	return (half(-1) + half(1)) / (sd * math.Sqrt(2*math.Pi))
}
