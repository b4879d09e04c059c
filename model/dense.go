package model

import (
	"fmt"
	"math/rand/v2"
)

// Dense is the affine layer y = x W + b, with W stored fan-in x fan-out so
// that a batch (one example per row) needs a single matrix product.
type Dense struct {
	In, Out int
	W, B    *Param

	x     *Matrix // the input of the last Forward, not owned
	y, dx *Matrix
}

// NewDense returns a dense layer with weights drawn from init and biases set
// to bias.
func NewDense(name string, in, out int, init Init, bias float64, rng *rand.Rand) *Dense {
	d := &Dense{In: in, Out: out, W: newParam(name+".W", in, out), B: newParam(name+".b", 1, out)}
	init.Fill(d.W.Value, in, out, rng)
	for i := range d.B.Value {
		d.B.Value[i] = bias
	}
	return d
}

func (d *Dense) Kind() string       { return "dense" }
func (d *Dense) OutputSize(int) int { return d.Out }
func (d *Dense) Params() []*Param   { return []*Param{d.W, d.B} }

func (d *Dense) Forward(x *Matrix, _ bool) *Matrix {
	if x.Cols != d.In {
		panic(fmt.Sprintf("model: dense %s expects %d inputs, got %d", d.W.Name, d.In, x.Cols))
	}
	d.x = x
	d.y = reshape(d.y, x.Rows, d.Out)
	// Start from the bias in every row, then add x W in one product.
	for i := 0; i < x.Rows; i++ {
		copy(d.y.Data[i*d.Out:(i+1)*d.Out], d.B.Value)
	}
	gemm(false, false, x.Rows, d.Out, d.In, 1, x.Data, d.In, d.W.Value, d.Out, 1, d.y.Data, d.Out)
	return d.y
}

func (d *Dense) Backward(dy *Matrix) *Matrix {
	d.BackwardParams(dy)
	x := d.x
	d.dx = reshape(d.dx, x.Rows, d.In)
	gemm(false, true, x.Rows, d.In, d.Out, 1, dy.Data, d.Out, d.W.Value, d.Out, 0, d.dx.Data, d.In)
	return d.dx
}

// BackwardParams computes the parameter gradients only, skipping dL/dx: a
// network's first layer has no one to pass it to, and for an input as wide
// as MNIST's 784 pixels that product is a quarter of the training step.
func (d *Dense) BackwardParams(dy *Matrix) {
	x := d.x
	// dL/dW = x^T dy, dL/db = column sums of dy (and dL/dx = dy W^T).
	gemm(true, false, d.In, d.Out, x.Rows, 1, x.Data, d.In, dy.Data, d.Out, 0, d.W.Grad, d.Out)
	db := d.B.Grad
	clear(db)
	for i := 0; i < dy.Rows; i++ {
		row := dy.Data[i*d.Out : (i+1)*d.Out]
		for j, g := range row {
			db[j] += g
		}
	}
}
