package model

import (
	"fmt"
	"math"
)

// PoolConfig describes a max pooling: In is the input image, Size x Size
// the window, Stride the step between windows (both axes). There is no
// padding: the output has (H - Size) / Stride + 1 rows, rounded down as in
// PyTorch, likewise for columns, and In.C channels.
type PoolConfig struct {
	In           ImageShape
	Size, Stride int
}

// OutShape is the output image.
func (c PoolConfig) OutShape() ImageShape {
	return ImageShape{(c.In.H-c.Size)/c.Stride + 1, (c.In.W-c.Size)/c.Stride + 1, c.In.C}
}

// Validate reports the first problem with the configuration, naming it.
func (c PoolConfig) Validate() error {
	if err := c.In.validate(); err != nil {
		return err
	}
	switch {
	case c.Size <= 0:
		return fmt.Errorf("pool: window %d; must be positive", c.Size)
	case c.Stride <= 0:
		return fmt.Errorf("pool: stride %d; must be positive", c.Stride)
	case c.Size > c.In.H || c.Size > c.In.W:
		return fmt.Errorf("pool: window %dx%d larger than the %dx%d input", c.Size, c.Size, c.In.H, c.In.W)
	}
	return nil
}

// MaxPool2D takes the maximum of each channel over each window, in the
// image layout of Conv2D (height x width x channels per row).
//
// Ties go to the first maximum in the window's row-major order (top row
// first, left to right), and a NaN in the window wins over every number
// (the first NaN): the gradient then flows to exactly one input per window,
// the same one on every run. PyTorch's CPU kernel makes the same choice
// for ties.
type MaxPool2D struct {
	PoolConfig
	OutImage ImageShape

	// argmax[i] is the position, within its example's row, of the input
	// that output i copied.
	argmax []int32
	y, dx  *Matrix
	inRows int
	// The input of the Forward and the gradient of the Backward in
	// progress (see poolForwardJob).
	x, dy []float64
}

// NewMaxPool2D returns a max pooling layer, or an error if the
// configuration is invalid.
func NewMaxPool2D(cfg PoolConfig) (*MaxPool2D, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.In.Size() > math.MaxInt32 {
		return nil, fmt.Errorf("pool: input of %d values per example is too large", cfg.In.Size())
	}
	return &MaxPool2D{PoolConfig: cfg, OutImage: cfg.OutShape()}, nil
}

func (p *MaxPool2D) Kind() string       { return "maxpool" }
func (p *MaxPool2D) OutputSize(int) int { return p.OutImage.Size() }
func (p *MaxPool2D) Params() []*Param   { return nil }

func (p *MaxPool2D) Forward(x *Matrix, _ bool) *Matrix {
	in, out := p.In.Size(), p.OutImage.Size()
	if x.Cols != in {
		panic(fmt.Sprintf("model: maxpool expects %d inputs (%v), got %d", in, p.In, x.Cols))
	}
	n := x.Rows
	p.inRows = n
	p.y = reshape(p.y, n, out)
	if cap(p.argmax) < n*out {
		p.argmax = make([]int32, n*out)
	}
	p.argmax = p.argmax[:n*out]
	p.x = x.Data
	pool.runJob((*poolForwardJob)(p), n, len(x.Data))
	return p.y
}

func (p *MaxPool2D) Backward(dy *Matrix) *Matrix {
	p.dx = reshape(p.dx, p.inRows, p.In.Size())
	p.dy = dy.Data
	pool.runJob((*poolBackwardJob)(p), p.inRows, len(p.dx.Data))
	return p.dx
}

// poolForwardJob and poolBackwardJob run the pooling over a range of
// examples (split across threads when allowed).
type (
	poolForwardJob  MaxPool2D
	poolBackwardJob MaxPool2D
)

func (j *poolForwardJob) runRange(from, to int) {
	p := (*MaxPool2D)(j)
	in, out, ch, w := p.In.Size(), p.OutImage.Size(), p.In.C, p.In.W
	for e := from; e < to; e++ {
		img := p.x[e*in : (e+1)*in]
		o := e * out
		for oy := 0; oy < p.OutImage.H; oy++ {
			for ox := 0; ox < p.OutImage.W; ox++ {
				best, arg := p.y.Data[o:o+ch], p.argmax[o:o+ch]
				first := ((oy*p.Stride)*w + ox*p.Stride) * ch
				copy(best, img[first:first+ch])
				for c := range arg {
					arg[c] = int32(first + c)
				}
				for ky := 0; ky < p.Size; ky++ {
					for kx := 0; kx < p.Size; kx++ {
						if ky == 0 && kx == 0 {
							continue
						}
						off := ((oy*p.Stride+ky)*w + ox*p.Stride + kx) * ch
						for c, v := range img[off : off+ch] {
							// Strictly greater keeps the first maximum; a
							// NaN replaces a number but not an earlier NaN.
							if v > best[c] || (v != v && best[c] == best[c]) {
								best[c], arg[c] = v, int32(off+c)
							}
						}
					}
				}
				o += ch
			}
		}
	}
}

func (j *poolBackwardJob) runRange(from, to int) {
	p := (*MaxPool2D)(j)
	in, out := p.In.Size(), p.OutImage.Size()
	for e := from; e < to; e++ {
		dx := p.dx.Data[e*in : (e+1)*in]
		clear(dx)
		for i, g := range p.dy[e*out : (e+1)*out] {
			// Overlapping windows (stride < size) can pick the same input.
			dx[p.argmax[e*out+i]] += g
		}
	}
}

// Flatten marks the end of the convolutional part of a network. Images are
// already stored one example per row, so it returns its input unchanged
// (and the gradient likewise); it exists so that a network's description
// reads as in other libraries, and so that the image shape it was given is
// recorded.
type Flatten struct{ In ImageShape }

func (f *Flatten) Kind() string                      { return "flatten" }
func (f *Flatten) OutputSize(n int) int              { return n }
func (f *Flatten) Params() []*Param                  { return nil }
func (f *Flatten) Forward(x *Matrix, _ bool) *Matrix { return x }
func (f *Flatten) Backward(dy *Matrix) *Matrix       { return dy }
