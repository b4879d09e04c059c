package model

import (
	"fmt"
	"math"
	"strings"
)

// Optimizer updates parameters from their gradients.
type Optimizer interface {
	// Step applies one update to params. The same params, in the same order,
	// must be passed on every call: optimisers with state index it by
	// position.
	Step(params []*Param)
	// Name is a short description ("sgd lr=0.1").
	Name() string
}

// SGD is plain stochastic gradient descent: w -= LR * g.
type SGD struct{ LR float64 }

func (o *SGD) Name() string { return fmt.Sprintf("sgd lr=%g", o.LR) }

func (o *SGD) Step(params []*Param) {
	for _, p := range params {
		for i, g := range p.Grad {
			p.Value[i] -= o.LR * g
		}
	}
}

// Momentum is SGD with heavy-ball momentum: v = Beta*v + g; w -= LR*v (the
// form PyTorch uses).
type Momentum struct {
	LR, Beta float64
	velocity [][]float64
}

func (o *Momentum) Name() string { return fmt.Sprintf("momentum lr=%g beta=%g", o.LR, o.Beta) }

func (o *Momentum) Step(params []*Param) {
	if o.velocity == nil {
		o.velocity = zerosLike(params)
	}
	for k, p := range params {
		v := o.velocity[k]
		for i, g := range p.Grad {
			v[i] = o.Beta*v[i] + g
			p.Value[i] -= o.LR * v[i]
		}
	}
}

// Adam is the optimiser of Kingma & Ba 2015, with bias correction.
type Adam struct {
	LR, Beta1, Beta2, Eps float64
	t                     int
	m, v                  [][]float64
}

// NewAdam returns Adam with the usual defaults (0.9, 0.999, 1e-8).
func NewAdam(lr float64) *Adam { return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8} }

func (o *Adam) Name() string { return fmt.Sprintf("adam lr=%g", o.LR) }

func (o *Adam) Step(params []*Param) {
	if o.m == nil {
		o.m, o.v = zerosLike(params), zerosLike(params)
	}
	o.t++
	c1 := 1 - math.Pow(o.Beta1, float64(o.t))
	c2 := 1 - math.Pow(o.Beta2, float64(o.t))
	// The vector kernel (adamFast, where the CPU has one) does the same
	// operations in the same order as the loop below, so a step gives the
	// same bits with or without it.
	k := [8]float64{o.Beta1, 1 - o.Beta1, o.Beta2, 1 - o.Beta2, o.LR, c1, c2, o.Eps}
	for j, p := range params {
		m, v := o.m[j], o.v[j]
		from := adamFast(p.Value, p.Grad, m, v, &k)
		for i := from; i < len(p.Grad); i++ {
			g := p.Grad[i]
			m[i] = o.Beta1*m[i] + (1-o.Beta1)*g
			v[i] = o.Beta2*v[i] + (1-o.Beta2)*g*g
			p.Value[i] -= o.LR * (m[i] / c1) / (math.Sqrt(v[i]/c2) + o.Eps)
		}
	}
}

func zerosLike(params []*Param) [][]float64 {
	out := make([][]float64, len(params))
	for k, p := range params {
		out[k] = make([]float64, len(p.Value))
	}
	return out
}

// OptimizerNames lists the names NewOptimizer accepts.
func OptimizerNames() []string { return []string{"sgd", "momentum", "adam"} }

// NewOptimizer returns the optimiser called name with learning rate lr
// (momentum uses beta 0.9), or an error naming the valid choices.
func NewOptimizer(name string, lr float64) (Optimizer, error) {
	if !(lr > 0) || math.IsInf(lr, 0) {
		return nil, fmt.Errorf("learning rate %v must be a positive number", lr)
	}
	switch name {
	case "sgd":
		return &SGD{LR: lr}, nil
	case "momentum":
		return &Momentum{LR: lr, Beta: 0.9}, nil
	case "adam":
		return NewAdam(lr), nil
	}
	return nil, fmt.Errorf("unknown optimizer %q (valid: %s)", name, strings.Join(OptimizerNames(), ", "))
}

// GlobalNorm is the Euclidean norm of all gradients taken together.
func GlobalNorm(params []*Param) float64 {
	var ss float64
	for _, p := range params {
		for _, g := range p.Grad {
			ss += g * g
		}
	}
	return math.Sqrt(ss)
}

// ClipGlobalNorm rescales all gradients together so that their global norm is
// at most maxNorm, keeping their direction (Pascanu et al. 2013; TensorFlow's
// clip_by_global_norm). It returns the norm before clipping. A non-finite
// norm is returned as is and the gradients are left alone: the caller
// records the divergence.
func ClipGlobalNorm(params []*Param, maxNorm float64) float64 {
	norm := GlobalNorm(params)
	if norm <= maxNorm || math.IsNaN(norm) || math.IsInf(norm, 0) {
		return norm
	}
	scale := maxNorm / norm
	for _, p := range params {
		for i := range p.Grad {
			p.Grad[i] *= scale
		}
	}
	return norm
}

// ClipValue clamps every gradient component to [-limit, limit], which, unlike
// ClipGlobalNorm, changes the gradient's direction.
func ClipValue(params []*Param, limit float64) {
	for _, p := range params {
		for i, g := range p.Grad {
			p.Grad[i] = math.Max(-limit, math.Min(limit, g))
		}
	}
}
