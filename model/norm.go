package model

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// BatchNorm normalises each feature over the batch (Ioffe & Szegedy 2015):
// y = gamma * (x - mean) / sqrt(var + Eps) + beta. In training it uses the
// batch's statistics and updates running averages; in evaluation it uses the
// running averages, so one example's output does not depend on the others.
//
// After a convolution it normalises per channel, as Ioffe & Szegedy do for
// convolutional layers: given rows wider than Features (a multiple of it),
// it reads each row as pixels of Features channels (the layout of Conv2D)
// and takes each channel's statistics over the batch and every pixel.
type BatchNorm struct {
	Features    int
	Gamma, Beta *Param
	// Momentum is the weight of the newest batch in the running averages.
	Momentum float64
	Eps      float64
	// RunningMean and RunningVar are the statistics used in evaluation.
	// RunningVar is updated with the unbiased batch variance, as PyTorch does.
	RunningMean, RunningVar []float64

	train        bool
	mean, invStd []float64
	xhat, y, dx  *Matrix
	// Views of the input, output and gradients as one row per pixel, when
	// rows hold several pixels.
	xv, yv, dyv, dxv Matrix
}

// channelRows returns m as a matrix of c columns: m itself if it has c
// columns, otherwise view set to share m's data with one row per group of c
// values. It panics if m's width is not a multiple of c.
func channelRows(view, m *Matrix, c int, what string) *Matrix {
	if m.Cols == c {
		return m
	}
	if c <= 0 || m.Cols%c != 0 {
		panic(fmt.Sprintf("model: %s of %d features or channels given %d columns, not a multiple", what, c, m.Cols))
	}
	*view = Matrix{Rows: m.Rows * (m.Cols / c), Cols: c, Data: m.Data}
	return view
}

// asRows returns m (rows x cols of data) as rows x cols: m itself if it has
// that shape, otherwise view sharing its data.
func asRows(view, m *Matrix, rows, cols int) *Matrix {
	if m.Rows == rows && m.Cols == cols {
		return m
	}
	*view = Matrix{Rows: rows, Cols: cols, Data: m.Data}
	return view
}

// NewBatchNorm returns a batch normalisation layer with gamma 1, beta 0,
// running mean 0 and running variance 1, momentum 0.1 and eps 1e-5 (PyTorch's
// defaults).
func NewBatchNorm(name string, features int) *BatchNorm {
	b := &BatchNorm{
		Features: features,
		Gamma:    newParam(name+".gamma", 1, features),
		Beta:     newParam(name+".beta", 1, features),
		Momentum: 0.1, Eps: 1e-5,
		RunningMean: make([]float64, features),
		RunningVar:  make([]float64, features),
		mean:        make([]float64, features),
		invStd:      make([]float64, features),
	}
	for i := range b.Gamma.Value {
		b.Gamma.Value[i] = 1
		b.RunningVar[i] = 1
	}
	return b
}

func (b *BatchNorm) Kind() string         { return "batchnorm" }
func (b *BatchNorm) OutputSize(n int) int { return n }
func (b *BatchNorm) Params() []*Param     { return []*Param{b.Gamma, b.Beta} }

func (b *BatchNorm) Forward(in *Matrix, train bool) *Matrix {
	x := channelRows(&b.xv, in, b.Features, "batchnorm")
	n, f := x.Rows, b.Features
	b.train = train
	b.xhat = reshape(b.xhat, n, f)
	b.y = reshape(b.y, n, f)
	if train {
		if n < 2 {
			panic("model: batchnorm in training needs at least 2 values per feature (examples times pixels)")
		}
		clear(b.mean)
		for i := 0; i < n; i++ {
			for j, v := range x.Row(i) {
				b.mean[j] += v
			}
		}
		for j := range b.mean {
			b.mean[j] /= float64(n)
		}
		// invStd first holds the sum of squared deviations.
		clear(b.invStd)
		for i := 0; i < n; i++ {
			for j, v := range x.Row(i) {
				d := v - b.mean[j]
				b.invStd[j] += d * d
			}
		}
		m := b.Momentum
		for j := range b.invStd {
			ss := b.invStd[j]
			b.RunningMean[j] = (1-m)*b.RunningMean[j] + m*b.mean[j]
			b.RunningVar[j] = (1-m)*b.RunningVar[j] + m*ss/float64(n-1)
			b.invStd[j] = 1 / math.Sqrt(ss/float64(n)+b.Eps)
		}
	} else {
		for j := range b.mean {
			b.mean[j] = b.RunningMean[j]
			b.invStd[j] = 1 / math.Sqrt(b.RunningVar[j]+b.Eps)
		}
	}
	g, be := b.Gamma.Value, b.Beta.Value
	for i := 0; i < n; i++ {
		xr, hr, yr := x.Row(i), b.xhat.Row(i), b.y.Row(i)
		for j, v := range xr {
			h := (v - b.mean[j]) * b.invStd[j]
			hr[j] = h
			yr[j] = g[j]*h + be[j]
		}
	}
	return asRows(&b.yv, b.y, in.Rows, in.Cols)
}

func (b *BatchNorm) Backward(dyIn *Matrix) *Matrix {
	dy := channelRows(&b.dyv, dyIn, b.Features, "batchnorm")
	n, f := dy.Rows, b.Features
	dg, dbe := b.Gamma.Grad, b.Beta.Grad
	clear(dg)
	clear(dbe)
	for i := 0; i < n; i++ {
		gr, hr := dy.Row(i), b.xhat.Row(i)
		for j, g := range gr {
			dbe[j] += g
			dg[j] += g * hr[j]
		}
	}
	b.dx = reshape(b.dx, n, f)
	gamma := b.Gamma.Value
	if !b.train {
		// The statistics are constants in evaluation mode.
		for i := 0; i < n; i++ {
			gr, dr := dy.Row(i), b.dx.Row(i)
			for j, g := range gr {
				dr[j] = g * gamma[j] * b.invStd[j]
			}
		}
		return asRows(&b.dxv, b.dx, dyIn.Rows, dyIn.Cols)
	}
	// Through the batch statistics: dx = gamma*invStd/n * (n*dy - sum(dy) -
	// xhat*sum(dy*xhat)), where the two sums are exactly dbeta and dgamma.
	nf := float64(n)
	for i := 0; i < n; i++ {
		gr, hr, dr := dy.Row(i), b.xhat.Row(i), b.dx.Row(i)
		for j, g := range gr {
			dr[j] = gamma[j] * b.invStd[j] / nf * (nf*g - dbe[j] - hr[j]*dg[j])
		}
	}
	return asRows(&b.dxv, b.dx, dyIn.Rows, dyIn.Cols)
}

// Dropout zeroes each input with probability Rate during training and scales
// the survivors by 1/(1-Rate) ("inverted" dropout, so evaluation is the
// identity). Its masks come from its own random source. It drops single
// values, also after a convolution (not whole channels, as spatial dropout
// would).
type Dropout struct {
	Rate float64

	rng   *rand.Rand
	train bool
	mask  []float64
	y, dx *Matrix
}

// NewDropout returns a dropout layer dropping with probability rate in
// [0, 1), drawing masks from rng.
func NewDropout(rate float64, rng *rand.Rand) *Dropout {
	if rate < 0 || rate >= 1 {
		panic(fmt.Sprintf("model: dropout rate %v outside [0, 1)", rate))
	}
	return &Dropout{Rate: rate, rng: rng}
}

func (d *Dropout) Kind() string         { return "dropout" }
func (d *Dropout) OutputSize(n int) int { return n }
func (d *Dropout) Params() []*Param     { return nil }

func (d *Dropout) Forward(x *Matrix, train bool) *Matrix {
	d.train = train && d.Rate > 0
	if !d.train {
		return x
	}
	n := len(x.Data)
	if cap(d.mask) < n {
		d.mask = make([]float64, n)
	}
	d.mask = d.mask[:n]
	keep := 1 / (1 - d.Rate)
	d.y = reshape(d.y, x.Rows, x.Cols)
	for i, v := range x.Data {
		if d.rng.Float64() < d.Rate {
			d.mask[i] = 0
		} else {
			d.mask[i] = keep
		}
		d.y.Data[i] = v * d.mask[i]
	}
	return d.y
}

func (d *Dropout) Backward(dy *Matrix) *Matrix {
	if !d.train {
		return dy
	}
	d.dx = reshape(d.dx, dy.Rows, dy.Cols)
	for i, g := range dy.Data {
		d.dx.Data[i] = g * d.mask[i]
	}
	return d.dx
}
