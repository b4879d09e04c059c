package model

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Network is a stack of layers applied in order. After Forward and Backward
// it keeps every layer's output and the gradient with respect to it, so that
// probes can read them without changing anything.
type Network struct {
	Layers []Layer
	// InputGrad makes Backward compute dL/d(input) too. Off by default:
	// nothing in training reads it, and skipping it saves the first layer's
	// largest product.
	InputGrad bool

	params []*Param
	// firstParam is the index of the first layer with parameters (-1 if
	// none): backward passes stop there unless InputGrad is set.
	firstParam int
	hidden     []hiddenLayer
	outs       []*Matrix // outs[i] is the output of Layers[i]
	grads      []*Matrix // grads[i] is dL/d outs[i]
}

// hiddenLayer records where one hidden layer's pieces sit in Layers.
type hiddenLayer struct {
	dense  int // the Dense layer
	preact int // the layer whose output feeds the activation (Dense or BatchNorm)
	act    int // the activation layer
	units  int
}

// NewNetwork wraps layers as a network (without hidden-layer metadata; use
// NewMLP for probes by hidden layer).
func NewNetwork(layers ...Layer) *Network {
	n := &Network{Layers: layers, firstParam: -1}
	for i, l := range layers {
		if len(l.Params()) > 0 && n.firstParam < 0 {
			n.firstParam = i
		}
		n.params = append(n.params, l.Params()...)
	}
	n.outs = make([]*Matrix, len(layers))
	n.grads = make([]*Matrix, len(layers))
	return n
}

// Params returns all trainable parameters in a fixed order. The slice is
// shared; do not modify it.
func (n *Network) Params() []*Param { return n.params }

// NumParams is the number of trainable scalars.
func (n *Network) NumParams() int {
	total := 0
	for _, p := range n.params {
		total += len(p.Value)
	}
	return total
}

// Forward runs the batch x through every layer and returns the output (owned
// by the last layer).
func (n *Network) Forward(x *Matrix, train bool) *Matrix {
	h := x
	for i, l := range n.Layers {
		h = l.Forward(h, train)
		n.outs[i] = h
	}
	return h
}

// paramOnlyBackward is implemented by layers that can compute their
// parameter gradients without the gradient with respect to their input.
type paramOnlyBackward interface {
	BackwardParams(dy *Matrix)
}

// Backward propagates dL/d(output) back through the layers, setting every
// parameter's gradient. With InputGrad it goes all the way and returns
// dL/d(input); otherwise it stops at the first layer that has parameters
// (layers before it, such as input dropout, have nothing to learn) and
// returns nil.
// Penalty is the sum of the activity penalties (ActivityL1 layers) of the
// last forward pass: what a training step adds to the data loss.
func (n *Network) Penalty() float64 {
	var p float64
	for _, l := range n.Layers {
		if a, ok := l.(*ActivityL1); ok {
			p += a.Penalty()
		}
	}
	return p
}

func (n *Network) Backward(dOut *Matrix) *Matrix {
	g := dOut
	for i := len(n.Layers) - 1; i >= 0; i-- {
		n.grads[i] = g
		if !n.InputGrad && i == n.firstParam {
			if p, ok := n.Layers[i].(paramOnlyBackward); ok {
				p.BackwardParams(g)
				return nil
			}
			n.Layers[i].Backward(g)
			return nil
		}
		g = n.Layers[i].Backward(g)
	}
	return g
}

// MLPSpec describes a multilayer perceptron: for each hidden width a dense
// layer, optional batch normalisation, the activation and optional dropout;
// then a dense output layer producing logits.
type MLPSpec struct {
	Inputs     int            `json:"inputs"`
	Hidden     []int          `json:"hidden"`
	Outputs    int            `json:"outputs"`
	Activation ActivationSpec `json:"activation"`
	Init       Init           `json:"init"`
	// BiasInit is the initial value of every hidden bias (negative values
	// stress dying units). Output biases start at 0.
	BiasInit float64 `json:"bias_init,omitempty"`
	// BatchNorm inserts batch normalisation between each hidden dense layer
	// and its activation.
	BatchNorm bool `json:"batch_norm,omitempty"`
	// InputDropout and HiddenDropout are drop probabilities in [0, 1)
	// (Srivastava et al. 2014 retain 0.8 of inputs and 0.5 of hidden units:
	// rates 0.2 and 0.5).
	InputDropout  float64 `json:"input_dropout,omitempty"`
	HiddenDropout float64 `json:"hidden_dropout,omitempty"`
	// ActivityL1, when positive, puts an L1 penalty of this coefficient on
	// every hidden layer's activations (an ActivityL1 layer after each
	// activation, before dropout); Glorot, Bordes & Bengio 2011 used 0.001.
	ActivityL1 float64 `json:"activity_l1,omitempty"`
}

// Validate reports the first problem with the spec as an error that names it.
func (s MLPSpec) Validate() error {
	if s.Inputs <= 0 {
		return fmt.Errorf("input width %d must be positive", s.Inputs)
	}
	if s.Outputs <= 0 {
		return fmt.Errorf("output width %d must be positive", s.Outputs)
	}
	if len(s.Hidden) == 0 {
		return errors.New("depth 0: an MLP needs at least one hidden layer")
	}
	for i, w := range s.Hidden {
		if w <= 0 {
			return fmt.Errorf("hidden layer %d has width %d; widths must be positive", i+1, w)
		}
	}
	if err := ValidateVariant(s.Activation.Name); err != nil {
		return err
	}
	if _, err := ParseInitScheme(string(s.Init.Scheme)); err != nil {
		return err
	}
	if s.Init.Scheme == Gain && !(s.Init.Gain > 0) {
		return fmt.Errorf("init gain %v must be positive", s.Init.Gain)
	}
	for _, d := range []struct {
		name string
		rate float64
	}{{"input dropout", s.InputDropout}, {"hidden dropout", s.HiddenDropout}} {
		if !(d.rate >= 0 && d.rate < 1) {
			return fmt.Errorf("%s rate %v outside [0, 1)", d.name, d.rate)
		}
	}
	if !(s.ActivityL1 >= 0) || math.IsInf(s.ActivityL1, 0) {
		return fmt.Errorf("activity L1 coefficient %v must be a finite non-negative number", s.ActivityL1)
	}
	return nil
}

// NewMLP builds the network described by spec, drawing initial weights and
// the dropout masks' seed from rng.
func NewMLP(spec MLPSpec, rng *rand.Rand) (*Network, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	// Dropout masks get their own stream, split off once, so that adding
	// dropout does not shift the weights drawn after it.
	dropRNG := rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
	var layers []Layer
	var hidden []hiddenLayer
	if spec.InputDropout > 0 {
		layers = append(layers, NewDropout(spec.InputDropout, dropRNG))
	}
	in := spec.Inputs
	for i, w := range spec.Hidden {
		name := fmt.Sprintf("h%d", i+1)
		h := hiddenLayer{dense: len(layers), units: w}
		layers = append(layers, NewDense(name, in, w, spec.Init, spec.BiasInit, rng))
		h.preact = h.dense
		if spec.BatchNorm {
			h.preact = len(layers)
			layers = append(layers, NewBatchNorm(name+".bn", w))
		}
		act, err := spec.Activation.NewLayer(name+"."+spec.Activation.Name, w)
		if err != nil {
			return nil, err
		}
		h.act = len(layers)
		layers = append(layers, act)
		hidden = append(hidden, h)
		if spec.ActivityL1 > 0 {
			layers = append(layers, NewActivityL1(spec.ActivityL1))
		}
		if spec.HiddenDropout > 0 {
			layers = append(layers, NewDropout(spec.HiddenDropout, dropRNG))
		}
		in = act.OutputSize(w)
	}
	layers = append(layers, NewDense("out", in, spec.Outputs, spec.Init, 0, rng))
	n := NewNetwork(layers...)
	n.hidden = hidden
	return n, nil
}

// NumHidden is the number of hidden layers (0 for networks not built by NewMLP).
func (n *Network) NumHidden() int { return len(n.hidden) }

// HiddenState is a read-only view of hidden layer l after the last Forward
// (and Backward, for the gradients). The matrices are the network's own
// buffers: copy what must outlive the next step.
type HiddenState struct {
	// Units is the layer's width. Activation has Units columns, or a
	// multiple of it (twosided: 2*Units, column j and Units+j belong to
	// unit j).
	Units   int
	Weights *Param // the dense layer's W (fan_in x Units)
	Bias    *Param
	// DenseOutput is x W + b; PreActivation is what enters the activation
	// (the same matrix unless batch normalisation sits between them).
	DenseOutput   *Matrix
	PreActivation *Matrix
	Activation    *Matrix
	// PreActivationGrad is dL/dz, the back-propagated gradient at the
	// pre-activation; ActivationGrad is dL/dh. Nil before any Backward.
	PreActivationGrad *Matrix
	ActivationGrad    *Matrix
}

// Hidden returns the state of hidden layer l (0-based, input side first).
func (n *Network) Hidden(l int) HiddenState {
	h := n.hidden[l]
	d := n.Layers[h.dense].(*Dense)
	return HiddenState{
		Units:             h.units,
		Weights:           d.W,
		Bias:              d.B,
		DenseOutput:       n.outs[h.dense],
		PreActivation:     n.outs[h.preact],
		Activation:        n.outs[h.act],
		PreActivationGrad: n.grads[h.preact],
		ActivationGrad:    n.grads[h.act],
	}
}
