package model

import "math"

// Elementwise is an activation function applied to each element on its own.
// Every implementation keeps its function and its derivative side by side,
// in scalar form (Value, Deriv: for theory and tests) and in batched form
// (Forward, Backward: for training), so one can be checked against the other
// at a glance.
type Elementwise interface {
	// Name is the activation's registry name ("relu", "tanh", ...).
	Name() string
	// Value returns f(z).
	Value(z float64) float64
	// Deriv returns f'(z). At a kink it returns the convention documented on
	// the type (for ReLU at 0, a setting).
	Deriv(z float64) float64
	// Forward sets y[i] = f(z[i]).
	Forward(y, z []float64)
	// Backward sets dz[i] = dy[i] * f'(z[i]). y holds f(z) as computed by
	// Forward; activations whose derivative is cheaper from y use it.
	Backward(dz, dy, z, y []float64)
}

// Identity is f(z) = z: the linear network, a baseline.
type Identity struct{}

func (Identity) Name() string                    { return "identity" }
func (Identity) Value(z float64) float64         { return z }
func (Identity) Deriv(z float64) float64         { return 1 }
func (Identity) Forward(y, z []float64)          { copy(y, z) }
func (Identity) Backward(dz, dy, _, _ []float64) { copy(dz, dy) }

// Sigmoid is the logistic function 1/(1+e^-z). Its derivative y(1-y) is at
// most 1/4, the root of the vanishing-gradient claim (C3).
type Sigmoid struct{}

func (Sigmoid) Name() string            { return "sigmoid" }
func (Sigmoid) Value(z float64) float64 { return sigmoid(z) }
func (Sigmoid) Deriv(z float64) float64 { s := sigmoid(z); return s * (1 - s) }
func (Sigmoid) Forward(y, z []float64) {
	y = y[:len(z)]
	done := sigmoidFast(y, z)
	y, z = y[done:], z[done:]
	for i, v := range z {
		y[i] = sigmoid(v)
	}
}
func (Sigmoid) Backward(dz, dy, _, y []float64) {
	dz, y = dz[:len(dy)], y[:len(dy)]
	for i, g := range dy {
		dz[i] = g * y[i] * (1 - y[i])
	}
}

// sigmoid avoids overflow of exp for large negative z.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// Tanh is the hyperbolic tangent; derivative 1 - y^2, at most 1.
type Tanh struct{}

func (Tanh) Name() string            { return "tanh" }
func (Tanh) Value(z float64) float64 { return math.Tanh(z) }
func (Tanh) Deriv(z float64) float64 { t := math.Tanh(z); return 1 - t*t }
func (Tanh) Forward(y, z []float64) {
	y = y[:len(z)]
	done := tanhFast(y, z)
	y, z = y[done:], z[done:]
	for i, v := range z {
		y[i] = math.Tanh(v)
	}
}
func (Tanh) Backward(dz, dy, _, y []float64) {
	dz, y = dz[:len(dy)], y[:len(dy)]
	for i, g := range dy {
		dz[i] = g * (1 - y[i]*y[i])
	}
}

// ReLU is max(0, z). Its derivative is 1 for z > 0 and 0 for z < 0; at z == 0
// it is undefined and libraries disagree (claim C1), so DerivAtZero sets it.
// The zero value uses 0, as PyTorch, TensorFlow and micrograd do. A NaN
// input gives NaN, so a diverging run shows as one.
type ReLU struct {
	DerivAtZero float64
}

func (ReLU) Name() string { return "relu" }
func (ReLU) Value(z float64) float64 {
	if z > 0 || z != z {
		return z
	}
	return 0
}
func (r ReLU) Deriv(z float64) float64 {
	switch {
	case z > 0:
		return 1
	case z == 0:
		return r.DerivAtZero
	}
	return 0
}

// The batched forms work on the bits, without branches: on random signs a
// branch is mispredicted half the time, which would make ReLU several times
// slower than copying the array. A float64 is positive exactly when its bits,
// read as a signed integer, are positive; arithmetic shifts turn the sign
// into an all-ones or all-zeros mask.

func (r ReLU) Forward(y, z []float64) {
	y = y[:len(z)]
	done := reluForwardFast(y, z)
	r.forwardPortable(y[done:], z[done:])
}

// forwardPortable is the forward pass in plain Go, for machines without the
// vector kernels and for the ends of arrays they leave.
func (ReLU) forwardPortable(y, z []float64) {
	for i, v := range z {
		b := math.Float64bits(v)
		// Negative numbers (and -0) have the sign bit set: mask them to +0,
		// unless they are NaN (magnitude bits above those of +Inf), which
		// passes through whatever its sign.
		negative := uint64(int64(b) >> 63)
		nan := uint64(int64(0x7ff0000000000000-(b&0x7fffffffffffffff)) >> 63)
		y[i] = math.Float64frombits(b &^ (negative &^ nan))
	}
}
func (r ReLU) Backward(dz, dy, z, _ []float64) {
	dz, z = dz[:len(dy)], z[:len(dy)]
	if r.DerivAtZero != 0 {
		r.backwardAtZero(dz, dy, z)
		return
	}
	done := reluBackwardFast(dz, dy, z)
	r.backwardPortable(dz[done:], dy[done:], z[done:])
}

// backwardPortable is the backward pass (with f'(0) = 0) in plain Go.
func (ReLU) backwardPortable(dz, dy, z []float64) {
	for i, g := range dy {
		// keep is all ones where z > 0, i.e. where the bits s, read as a
		// signed integer, are positive: s is not negative (first mask; this
		// excludes -0, whose bits are the most negative integer) and not
		// zero (second mask: s | -s has its sign bit set unless s == 0).
		s := int64(math.Float64bits(z[i]))
		keep := ^uint64(s>>63) & uint64((s|-s)>>63)
		dz[i] = math.Float64frombits(math.Float64bits(g) & keep)
	}
}

// backwardAtZero is the general case, with f'(0) = DerivAtZero.
func (r ReLU) backwardAtZero(dz, dy, z []float64) {
	for i, g := range dy {
		dz[i] = g * r.Deriv(z[i])
	}
}

// Leaky is the leaky ReLU: z for z > 0, Alpha*z otherwise (derivative Alpha
// at 0). A positive slope means no unit's gradient is ever exactly zero.
type Leaky struct {
	Alpha float64
}

func (Leaky) Name() string { return "leaky" }
func (l Leaky) Value(z float64) float64 {
	if z > 0 {
		return z
	}
	return l.Alpha * z
}
func (l Leaky) Deriv(z float64) float64 {
	if z > 0 {
		return 1
	}
	return l.Alpha
}
func (l Leaky) Forward(y, z []float64) {
	y = y[:len(z)]
	done := leakyForwardFast(y, z, l.Alpha)
	leakyForwardPortable(y[done:], z[done:], l.Alpha)
}
func (l Leaky) Backward(dz, dy, z, _ []float64) {
	dz, z = dz[:len(dy)], z[:len(dy)]
	done := leakyBackwardFast(dz, dy, z, l.Alpha)
	leakyBackwardPortable(dz[done:], dy[done:], z[done:], l.Alpha)
}

// leakyForwardPortable and leakyBackwardPortable are the leaky ReLU in
// plain Go: the reference the vector kernels must match bit for bit, and
// what runs without them and on the ends of arrays they leave.
func leakyForwardPortable(y, z []float64, alpha float64) {
	y = y[:len(z)]
	for i, v := range z {
		if v > 0 {
			y[i] = v
		} else {
			y[i] = alpha * v
		}
	}
}

func leakyBackwardPortable(dz, dy, z []float64, alpha float64) {
	dz, z = dz[:len(dy)], z[:len(dy)]
	for i, g := range dy {
		if z[i] > 0 {
			dz[i] = g
		} else {
			dz[i] = alpha * g
		}
	}
}

// ELU is z for z > 0 and Alpha*(e^z - 1) otherwise (Clevert et al. 2015).
// For z <= 0 the derivative is y + Alpha, read from the forward output.
type ELU struct {
	Alpha float64
}

func (ELU) Name() string { return "elu" }
func (e ELU) Value(z float64) float64 {
	if z > 0 {
		return z
	}
	return e.Alpha * math.Expm1(z)
}
func (e ELU) Deriv(z float64) float64 {
	if z > 0 {
		return 1
	}
	return e.Alpha * math.Exp(z)
}
func (e ELU) Forward(y, z []float64) {
	y = y[:len(z)]
	done := vectorFast(kernelTask{kind: kernelELU, y: y, z: z, a: 1, b: e.Alpha})
	for i, v := range z[done:] {
		if v > 0 {
			y[done+i] = v
		} else {
			y[done+i] = e.Alpha * math.Expm1(v)
		}
	}
}
func (e ELU) Backward(dz, dy, z, y []float64) {
	done := eluBackwardFast(dz, dy, z, y, 1, e.Alpha)
	eluBackwardPortable(dz[done:], dy[done:], z[done:], y[done:], 1, e.Alpha)
}

// eluBackwardPortable is the backward pass of ELU (scale 1) and SELU
// (scale lambda; alpha is then lambda times SELU's alpha): dy*scale where
// z > 0, else dy*(y + alpha), read from the forward output y.
func eluBackwardPortable(dz, dy, z, y []float64, scale, alpha float64) {
	dz, z, y = dz[:len(dy)], z[:len(dy)], y[:len(dy)]
	for i, g := range dy {
		if z[i] > 0 {
			dz[i] = g * scale
		} else {
			dz[i] = g * (y[i] + alpha)
		}
	}
}

// The SELU constants of Klambauer et al. 2017, to the precision PyTorch uses.
const (
	seluLambda = 1.0507009873554804934193349852946
	seluAlpha  = 1.6732632423543772848170429916717
)

// SELU is Lambda * ELU with Alpha = 1.67326, the self-normalising unit.
type SELU struct{}

func (SELU) Name() string { return "selu" }
func (SELU) Value(z float64) float64 {
	if z > 0 {
		return seluLambda * z
	}
	return seluLambda * seluAlpha * math.Expm1(z)
}
func (SELU) Deriv(z float64) float64 {
	if z > 0 {
		return seluLambda
	}
	return seluLambda * seluAlpha * math.Exp(z)
}
func (SELU) Forward(y, z []float64) {
	y = y[:len(z)]
	done := vectorFast(kernelTask{kind: kernelELU, y: y, z: z, a: seluLambda, b: seluLambda * seluAlpha})
	for i, v := range z[done:] {
		if v > 0 {
			y[done+i] = seluLambda * v
		} else {
			y[done+i] = seluLambda * seluAlpha * math.Expm1(v)
		}
	}
}
func (SELU) Backward(dz, dy, z, y []float64) {
	done := eluBackwardFast(dz, dy, z, y, seluLambda, seluLambda*seluAlpha)
	eluBackwardPortable(dz[done:], dy[done:], z[done:], y[done:], seluLambda, seluLambda*seluAlpha)
}

// GELU is z*Phi(z) with Phi the standard normal CDF (the exact form, as
// PyTorch's default, not the tanh approximation).
type GELU struct{}

func (GELU) Name() string            { return "gelu" }
func (GELU) Value(z float64) float64 { return z * normCDF(z) }
func (GELU) Deriv(z float64) float64 { return normCDF(z) + z*normPDF(z) }
func (GELU) Forward(y, z []float64) {
	y = y[:len(z)]
	done := vectorFast(kernelTask{kind: kernelGELU, y: y, z: z})
	for i, v := range z[done:] {
		y[done+i] = v * normCDF(v)
	}
}
func (GELU) Backward(dz, dy, z, _ []float64) {
	dz, z = dz[:len(dy)], z[:len(dy)]
	done := vectorFast(kernelTask{kind: kernelGELUBackward, y: dz, z: z, x: dy})
	for i, g := range dy[done:] {
		v := z[done+i]
		dz[done+i] = g * (normCDF(v) + v*normPDF(v))
	}
}

func normCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
func normPDF(z float64) float64 { return math.Exp(-0.5*z*z) / math.Sqrt(2*math.Pi) }

// Swish is z*sigmoid(z), also called SiLU.
type Swish struct{}

func (Swish) Name() string            { return "swish" }
func (Swish) Value(z float64) float64 { return z * sigmoid(z) }
func (Swish) Deriv(z float64) float64 {
	s := sigmoid(z)
	return s + z*s*(1-s)
}
func (Swish) Forward(y, z []float64) {
	y = y[:len(z)]
	done := vectorFast(kernelTask{kind: kernelSwish, y: y, z: z})
	for i, v := range z[done:] {
		y[done+i] = v * sigmoid(v)
	}
}
func (Swish) Backward(dz, dy, z, _ []float64) {
	dz, z = dz[:len(dy)], z[:len(dy)]
	done := vectorFast(kernelTask{kind: kernelSwishBackward, y: dz, z: z, x: dy})
	for i, g := range dy[done:] {
		v := z[done+i]
		s := sigmoid(v)
		dz[done+i] = g * (s + v*s*(1-s))
	}
}

// Softplus is log(1 + e^z), a smooth ReLU; its derivative is the sigmoid.
type Softplus struct{}

func (Softplus) Name() string            { return "softplus" }
func (Softplus) Value(z float64) float64 { return softplus(z) }
func (Softplus) Deriv(z float64) float64 { return sigmoid(z) }
func (Softplus) Forward(y, z []float64) {
	y = y[:len(z)]
	done := vectorFast(kernelTask{kind: kernelSoftplus, y: y, z: z})
	for i, v := range z[done:] {
		y[done+i] = softplus(v)
	}
}
func (Softplus) Backward(dz, dy, z, _ []float64) {
	dz, z = dz[:len(dy)], z[:len(dy)]
	done := vectorFast(kernelTask{kind: kernelSigmoidBackward, y: dz, z: z, x: dy})
	for i, g := range dy[done:] {
		dz[done+i] = g * sigmoid(z[done+i])
	}
}

// softplus is written as max(z,0) + log1p(e^-|z|) so that it neither
// overflows for large z nor loses precision for very negative z.
func softplus(z float64) float64 {
	return math.Max(z, 0) + math.Log1p(math.Exp(-math.Abs(z)))
}
