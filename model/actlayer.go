package model

// ActivationLayer applies an elementwise activation. It keeps its input z
// (the pre-activation) and output y for the backward pass and for probes.
type ActivationLayer struct {
	F Elementwise

	z, y, dz *Matrix
	// For ReLU with f'(0) = 0 and for the leaky ReLU, the forward pass
	// also records one bit per element (z > 0) over [maskFrom, maskTo),
	// which the backward pass reads instead of z: an eighth of a byte per
	// element instead of eight.
	mask             []uint64
	maskFrom, maskTo int
}

// NewActivationLayer wraps f as a layer.
func NewActivationLayer(f Elementwise) *ActivationLayer { return &ActivationLayer{F: f} }

func (a *ActivationLayer) Kind() string         { return a.F.Name() }
func (a *ActivationLayer) OutputSize(n int) int { return n }
func (a *ActivationLayer) Params() []*Param     { return nil }

func (a *ActivationLayer) Forward(z *Matrix, _ bool) *Matrix {
	a.z = z
	a.y = reshape(a.y, z.Rows, z.Cols)
	a.maskFrom, a.maskTo = 0, 0
	switch f := a.F.(type) {
	case ReLU:
		if f.DerivAtZero == 0 {
			a.maskFrom, a.maskTo = reluForwardMasked(a.y.Data, z.Data, &a.mask)
			return a.y
		}
	case Leaky:
		a.maskFrom, a.maskTo = leakyForwardMasked(a.y.Data, z.Data, &a.mask, f.Alpha)
		return a.y
	}
	a.F.Forward(a.y.Data, z.Data)
	return a.y
}

func (a *ActivationLayer) Backward(dy *Matrix) *Matrix {
	a.dz = reshape(a.dz, dy.Rows, dy.Cols)
	if a.maskTo > a.maskFrom {
		if l, ok := a.F.(Leaky); ok {
			leakyBackwardMasked(a.dz.Data, dy.Data, a.z.Data, a.mask, a.maskFrom, a.maskTo, l.Alpha)
		} else {
			reluBackwardMasked(a.dz.Data, dy.Data, a.z.Data, a.mask, a.maskFrom, a.maskTo)
		}
		return a.dz
	}
	a.F.Backward(a.dz.Data, dy.Data, a.z.Data, a.y.Data)
	return a.dz
}

// PReLU is the parametric ReLU of He et al. 2015: z for z > 0, a_j*z
// otherwise, with a learned slope a_j per unit. After a convolution, with
// Units set to the channel count, the slope is per channel (He et al.'s
// channel-wise form): rows wider than Units are read as pixels of Units
// channels, the layout of Conv2D.
type PReLU struct {
	Units int
	Slope *Param

	z, y, dz         *Matrix
	zv, yv, dyv, dzv Matrix
}

// DefaultPReLUSlope is the initial slope He et al. 2015 use.
const DefaultPReLUSlope = 0.25

// NewPReLU returns a PReLU layer of the given width with every slope set to
// initSlope.
func NewPReLU(name string, units int, initSlope float64) *PReLU {
	p := &PReLU{Units: units, Slope: newParam(name+".slope", 1, units)}
	for i := range p.Slope.Value {
		p.Slope.Value[i] = initSlope
	}
	return p
}

func (p *PReLU) Kind() string         { return "prelu" }
func (p *PReLU) OutputSize(n int) int { return n }
func (p *PReLU) Params() []*Param     { return []*Param{p.Slope} }

func (p *PReLU) Forward(in *Matrix, _ bool) *Matrix {
	z := channelRows(&p.zv, in, p.Units, "prelu")
	p.z = z
	p.y = reshape(p.y, z.Rows, z.Cols)
	a := p.Slope.Value
	stream := len(z.Data) >= streamMin
	for i := 0; i < z.Rows; i++ {
		zr, yr := z.Row(i), p.y.Row(i)
		done := preluForwardFast(yr, zr, a, stream)
		preluForwardRow(yr[done:], zr[done:], a[done:])
	}
	return asRows(&p.yv, p.y, in.Rows, in.Cols)
}

func (p *PReLU) Backward(dyIn *Matrix) *Matrix {
	dy := channelRows(&p.dyv, dyIn, p.Units, "prelu")
	p.dz = reshape(p.dz, dy.Rows, dy.Cols)
	a, da := p.Slope.Value, p.Slope.Grad
	clear(da)
	stream := len(dy.Data) >= streamMin
	// Rows in order, so that each slope's gradient sums its terms in the
	// same order whichever loop computes them.
	for i := 0; i < dy.Rows; i++ {
		zr, gr, dzr := p.z.Row(i), dy.Row(i), p.dz.Row(i)
		done := preluBackwardFast(dzr, gr, zr, a, da, stream)
		preluBackwardRow(dzr[done:], gr[done:], zr[done:], a[done:], da[done:])
	}
	return asRows(&p.dzv, p.dz, dyIn.Rows, dyIn.Cols)
}

// preluForwardRow and preluBackwardRow are PReLU on one row in plain Go,
// the reference for the vector kernels. preluBackwardRow adds each slope's
// gradient term to da.
func preluForwardRow(y, z, a []float64) {
	y, a = y[:len(z)], a[:len(z)]
	for j, v := range z {
		if v > 0 {
			y[j] = v
		} else {
			y[j] = a[j] * v
		}
	}
}

func preluBackwardRow(dz, dy, z, a, da []float64) {
	dz, z, a, da = dz[:len(dy)], z[:len(dy)], a[:len(dy)], da[:len(dy)]
	for j, g := range dy {
		if v := z[j]; v > 0 {
			dz[j] = g
		} else {
			dz[j] = a[j] * g
			da[j] += g * v
		}
	}
}

// TwoSided is the two-sided ReLU of claim C12. Each unit sends relu(z) through
// one set of outgoing weights and, when z <= 0, z itself through a second set.
// As a layer that is the output [relu(z), min(z, 0)], twice as wide as its
// input, so the next dense layer holds the doubled weights: it computes
// A relu(z) + B min(z, 0), i.e. A relu(z) - B relu(-z), CReLU followed by a
// linear layer (Shang et al. 2016).
//
// A unit is inactive only where z == 0 exactly, so it cannot die.
//
// After a convolution, set Channels to the channel count: each pixel's C
// values then become 2C channels, [relu(z), min(z, 0)] per pixel, so the
// output is again an image in Conv2D's layout, with twice the channels.
// With Channels 0 the whole row is one group.
type TwoSided struct {
	Channels int

	z, y, dz         *Matrix
	zv, yv, dyv, dzv Matrix
}

func (t *TwoSided) Kind() string         { return "twosided" }
func (t *TwoSided) OutputSize(n int) int { return 2 * n }
func (t *TwoSided) Params() []*Param     { return nil }

func (t *TwoSided) Forward(in *Matrix, _ bool) *Matrix {
	z := in
	if t.Channels > 0 {
		z = channelRows(&t.zv, in, t.Channels, "twosided")
	}
	t.z = z
	n := z.Cols
	t.y = reshape(t.y, z.Rows, 2*n)
	stream := len(t.y.Data) >= streamMin
	for i := 0; i < z.Rows; i++ {
		zr := z.Row(i)
		pos, neg := t.y.Data[i*2*n:i*2*n+n], t.y.Data[i*2*n+n:(i+1)*2*n]
		done := twoSidedForwardFast(pos, neg, zr, stream)
		twoSidedForwardRow(pos[done:], neg[done:], zr[done:])
	}
	return asRows(&t.yv, t.y, in.Rows, 2*in.Cols)
}

func (t *TwoSided) Backward(dyIn *Matrix) *Matrix {
	dy := dyIn
	if t.Channels > 0 {
		dy = channelRows(&t.dyv, dyIn, 2*t.Channels, "twosided")
	}
	n := t.z.Cols
	t.dz = reshape(t.dz, dy.Rows, n)
	stream := len(t.dz.Data) >= streamMin
	for i := 0; i < dy.Rows; i++ {
		zr, dzr := t.z.Row(i), t.dz.Row(i)
		gpos, gneg := dy.Data[i*2*n:i*2*n+n], dy.Data[i*2*n+n:(i+1)*2*n]
		done := twoSidedBackwardFast(dzr, gpos, gneg, zr, stream)
		twoSidedBackwardRow(dzr[done:], gpos[done:], gneg[done:], zr[done:])
	}
	return asRows(&t.dzv, t.dz, dyIn.Rows, dyIn.Cols/2)
}

// twoSidedForwardRow and twoSidedBackwardRow are the two-sided ReLU on one
// row in plain Go, the reference for the vector kernels.
func twoSidedForwardRow(pos, neg, z []float64) {
	pos, neg = pos[:len(z)], neg[:len(z)]
	for j, v := range z {
		if v > 0 {
			pos[j], neg[j] = v, 0
		} else {
			pos[j], neg[j] = 0, v
		}
	}
}

func twoSidedBackwardRow(dz, gpos, gneg, z []float64) {
	dz, gpos, gneg = dz[:len(z)], gpos[:len(z)], gneg[:len(z)]
	for j, v := range z {
		// Exactly one branch carries the unit's value, with slope 1.
		if v > 0 {
			dz[j] = gpos[j]
		} else {
			dz[j] = gneg[j]
		}
	}
}
