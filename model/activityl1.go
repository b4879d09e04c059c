package model

import (
	"fmt"
	"math"
)

// ActivityL1 is an L1 penalty on the activations that pass through it, the
// sparsity penalty of Glorot, Bordes & Bengio 2011 (AISTATS, section 4.1):
// Coef times the sum of |h| over the layer's units, averaged over the batch
// as the loss is. Its forward pass returns its input unchanged; its
// backward pass adds the penalty's gradient, Coef * sign(h) / rows, to the
// gradient arriving from above (0 at h = 0, the subgradient that leaves an
// exact zero where it is).
//
// The penalty is not part of SoftmaxCrossEntropy's loss: Penalty gives it
// for the last forward pass, and Network.Penalty sums it over a network.
type ActivityL1 struct {
	Coef float64

	x, dx *Matrix
}

// NewActivityL1 returns the penalty layer with coefficient coef (>= 0).
func NewActivityL1(coef float64) *ActivityL1 {
	if !(coef >= 0) || math.IsInf(coef, 0) {
		panic(fmt.Sprintf("model: activity L1 coefficient %v must be a finite non-negative number", coef))
	}
	return &ActivityL1{Coef: coef}
}

func (l *ActivityL1) Kind() string         { return "activity-l1" }
func (l *ActivityL1) OutputSize(n int) int { return n }
func (l *ActivityL1) Params() []*Param     { return nil }

func (l *ActivityL1) Forward(x *Matrix, _ bool) *Matrix {
	l.x = x
	return x
}

func (l *ActivityL1) Backward(dy *Matrix) *Matrix {
	l.dx = reshape(l.dx, dy.Rows, dy.Cols)
	step := l.Coef / float64(dy.Rows)
	for i, g := range dy.Data {
		switch h := l.x.Data[i]; {
		case h > 0:
			g += step
		case h < 0:
			g -= step
		}
		l.dx.Data[i] = g
	}
	return l.dx
}

// Penalty is Coef times the batch mean of the summed |h| of the last
// forward pass (0 before any).
func (l *ActivityL1) Penalty() float64 {
	if l.x == nil || l.x.Rows == 0 {
		return 0
	}
	var s float64
	for _, h := range l.x.Data {
		s += math.Abs(h)
	}
	return l.Coef * s / float64(l.x.Rows)
}
