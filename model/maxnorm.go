package model

import (
	"fmt"
	"math"
)

// Max-norm regularisation (Srivastava et al. 2014, section 5.1): the vector
// of incoming weights of every hidden unit is kept inside a ball of radius
// c, by projecting it back onto the ball after each update whenever it has
// left it. Dense stores W fan-in x fan-out, so unit j's incoming weights are
// column j of W.

// MaxNormColumns rescales every column of the weight matrix p whose
// Euclidean norm exceeds c down to norm c, keeping its direction, and
// leaves the other columns untouched (bit for bit). It returns how many
// columns it rescaled. A column with a non-finite norm is left alone: the
// caller's divergence checks see it. c must be positive.
func MaxNormColumns(p *Param, c float64) int {
	return maxNormColumns(p, c, nil)
}

// maxNormColumns is MaxNormColumns with a scratch slice for the column
// norms (grown as needed). It walks W row by row, as it is stored, once to
// sum the squares of every column and once to rescale: a column at a time
// would stride across the whole matrix for every unit.
func maxNormColumns(p *Param, c float64, scratch []float64) int {
	rows, cols := p.Rows, p.Cols
	if cap(scratch) < cols {
		scratch = make([]float64, cols)
	}
	scale := scratch[:cols]
	clear(scale)
	for i := 0; i < rows; i++ {
		row := p.Value[i*cols : (i+1)*cols]
		for j, w := range row {
			scale[j] += w * w
		}
	}
	scaled := 0
	for j, ss := range scale {
		norm := math.Sqrt(ss)
		if !(norm > c) || math.IsInf(norm, 0) {
			scale[j] = 1
			continue
		}
		scale[j] = c / norm
		scaled++
	}
	if scaled == 0 {
		return 0
	}
	for i := 0; i < rows; i++ {
		row := p.Value[i*cols : (i+1)*cols]
		for j, s := range scale {
			if s != 1 {
				row[j] *= s
			}
		}
	}
	return scaled
}

// HiddenWeights returns the weight matrices of the hidden dense layers of
// a network built by NewMLP (input side first): the incoming weights of
// every hidden unit. The output layer is not among them.
func (n *Network) HiddenWeights() []*Param {
	out := make([]*Param, len(n.hidden))
	for l, h := range n.hidden {
		out[l] = n.Layers[h.dense].(*Dense).W
	}
	return out
}

// MaxNorm wraps an optimiser: after each of its updates, every column of
// Weights is projected onto the ball of radius C (see MaxNormColumns).
// Parameters not listed in Weights (biases, the output layer) are updated
// by Opt alone.
type MaxNorm struct {
	Opt     Optimizer
	C       float64
	Weights []*Param

	norms []float64 // scratch for the column norms
}

// NewMaxNorm returns opt constrained to incoming-weight norms of at most c
// on the hidden layers of net, or an error if c is not a positive finite
// number or net has no hidden layers.
func NewMaxNorm(opt Optimizer, c float64, net *Network) (*MaxNorm, error) {
	if !(c > 0) || math.IsInf(c, 0) {
		return nil, fmt.Errorf("max-norm radius %v must be a positive finite number", c)
	}
	if net.NumHidden() == 0 {
		return nil, fmt.Errorf("max-norm needs a network built by NewMLP (it constrains the hidden units' incoming weights)")
	}
	return &MaxNorm{Opt: opt, C: c, Weights: net.HiddenWeights()}, nil
}

func (o *MaxNorm) Name() string { return fmt.Sprintf("%s max-norm=%g", o.Opt.Name(), o.C) }

func (o *MaxNorm) Step(params []*Param) {
	o.Opt.Step(params)
	for _, w := range o.Weights {
		if cap(o.norms) < w.Cols {
			o.norms = make([]float64, w.Cols)
		}
		maxNormColumns(w, o.C, o.norms)
	}
}

// SetLR passes a new learning rate to the wrapped optimiser.
func (o *MaxNorm) SetLR(lr float64) { SetLR(o.Opt, lr) }

// LRSetter is an optimiser whose learning rate can change between steps
// (a schedule); its state (momentum, moments) is kept.
type LRSetter interface {
	SetLR(lr float64)
}

// SetLR sets opt's learning rate, reporting whether opt has one to set.
func SetLR(opt Optimizer, lr float64) bool {
	s, ok := opt.(LRSetter)
	if ok {
		s.SetLR(lr)
	}
	return ok
}

func (o *SGD) SetLR(lr float64)      { o.LR = lr }
func (o *Momentum) SetLR(lr float64) { o.LR = lr }
func (o *Adam) SetLR(lr float64)     { o.LR = lr }
