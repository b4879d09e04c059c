package model

// Layer is one stage of a network. Forward and Backward come in pairs: a
// Backward call refers to the most recent Forward call on the same layer.
//
// Buffers: the matrices a layer returns are owned by the layer and reused
// by its next call, so a training step allocates nothing once the layer has
// seen the largest batch. Callers that keep a result across steps copy it.
type Layer interface {
	// Kind names the layer type ("dense", "relu", "batchnorm", ...).
	Kind() string
	// OutputSize is the number of output columns for a given input width.
	OutputSize(inputSize int) int
	// Forward computes the output for the batch x (one example per row).
	// train selects training behaviour (dropout masks, batch statistics).
	Forward(x *Matrix, train bool) *Matrix
	// Backward takes dL/d(output) and returns dL/d(input). It overwrites
	// (does not accumulate) the gradients of the layer's parameters.
	Backward(dy *Matrix) *Matrix
	// Params lists the trainable parameters (nil if none).
	Params() []*Param
}

// Param is a trainable tensor and its gradient, stored flat. For a dense
// layer's weights, Rows is the fan-in and Cols the fan-out.
type Param struct {
	Name       string
	Rows, Cols int
	Value      []float64
	Grad       []float64
}

func newParam(name string, rows, cols int) *Param {
	return &Param{Name: name, Rows: rows, Cols: cols, Value: make([]float64, rows*cols), Grad: make([]float64, rows*cols)}
}
