package model

import (
	"fmt"
	"math/rand/v2"
)

// Image layout. Convolutional layers see each example (one row of the batch)
// as an image stored height x width x channels, channels fastest ("NHWC"
// for the batch). The channels of one pixel are then adjacent, so:
//   - a convolution is a Dense layer applied to the rows of its im2col
//     matrix, and its output (one row per output pixel, one column per
//     output channel) is already in this layout, with no transposition;
//   - every per-channel operation (BatchNorm, PReLU, TwoSided with Channels
//     set) treats the batch as a matrix with one row per pixel and one
//     column per channel, the same code as for a dense layer's features;
//   - elementwise layers (every activation, Dropout) and Dense work on the
//     flat rows as they are, so Flatten has nothing to do.
// A single-channel image (MNIST's) is the same in every layout.

// ImageShape is the height, width and channel count of one example.
type ImageShape struct {
	H, W, C int
}

// Size is the number of values in one example.
func (s ImageShape) Size() int { return s.H * s.W * s.C }

func (s ImageShape) String() string { return fmt.Sprintf("%dx%dx%d", s.H, s.W, s.C) }

func (s ImageShape) validate() error {
	if s.H <= 0 || s.W <= 0 || s.C <= 0 {
		return fmt.Errorf("image shape %dx%dx%d (height x width x channels): all three must be positive", s.H, s.W, s.C)
	}
	return nil
}

// ConvConfig describes a two-dimensional convolution: In is the input
// image, Out the number of output channels, KH x KW the kernel, Stride the
// step between output pixels (both axes) and Pad the number of zero rows
// and columns added on every side.
type ConvConfig struct {
	In          ImageShape
	Out, KH, KW int
	Stride, Pad int
}

// OutShape is the output image: (H + 2 Pad - KH) / Stride + 1 rows (rounded
// down, as in PyTorch), likewise for columns, and Out channels.
func (c ConvConfig) OutShape() ImageShape {
	return ImageShape{(c.In.H+2*c.Pad-c.KH)/c.Stride + 1, (c.In.W+2*c.Pad-c.KW)/c.Stride + 1, c.Out}
}

// Validate reports the first problem with the configuration, naming it.
func (c ConvConfig) Validate() error {
	if err := c.In.validate(); err != nil {
		return err
	}
	switch {
	case c.Out <= 0:
		return fmt.Errorf("conv: %d output channels; must be positive", c.Out)
	case c.KH <= 0 || c.KW <= 0:
		return fmt.Errorf("conv: kernel %dx%d; both sides must be positive", c.KH, c.KW)
	case c.Stride <= 0:
		return fmt.Errorf("conv: stride %d; must be positive", c.Stride)
	case c.Pad < 0:
		return fmt.Errorf("conv: padding %d; must be 0 or more", c.Pad)
	case c.Pad >= c.KH || c.Pad >= c.KW:
		return fmt.Errorf("conv: padding %d with a %dx%d kernel; padding must be smaller than each kernel side, or some outputs would see only padding", c.Pad, c.KH, c.KW)
	case c.KH > c.In.H+2*c.Pad || c.KW > c.In.W+2*c.Pad:
		return fmt.Errorf("conv: kernel %dx%d larger than the %dx%d input with padding %d", c.KH, c.KW, c.In.H, c.In.W, c.Pad)
	}
	return nil
}

// Conv2D is a two-dimensional convolution (cross-correlation, as in every
// deep-learning library) with a bias per output channel, over images in the
// layout described above (height x width x channels per row).
//
// It is lowered onto the same matrix product as Dense ("im2col", Chellapilla
// et al. 2006): each output pixel's receptive field, KH*KW*C inputs ordered
// (ky, kx, c), becomes one row of a matrix col, and the output is
// col W + b, with W stored (KH*KW*C) x Out, fan-in x fan-out like a dense
// layer's. The backward pass is Dense's: dW = col^T dy, db = column sums of
// dy, dcol = dy W^T, and dcol is scattered back onto the input pixels
// (col2im).
//
// The whole batch's col is built at once and kept for the backward pass:
// one product per pass, as large as possible, and col built once per step.
// The alternative, blocks of a few examples whose col stays in cache but
// is rebuilt in the backward pass (Chunk), was timed against it with
// BenchmarkConvLowering (blocks of 1, 4 and 16 examples of the benchmark's
// network, on 1 and 2 threads): on the shared 2-core machine it was
// measured on, the differences stayed within the noise between identical
// runs (up to 2x), so the simpler form is the default. A 1x1 kernel with
// stride 1 and no padding needs no col at all. With SetThreads above 1,
// im2col and col2im split the examples across threads.
type Conv2D struct {
	ConvConfig
	OutImage ImageShape
	W, B     *Param
	// Chunk is the number of examples lowered and multiplied at a time; 0
	// (the default) means the whole batch, or as much of it as fits in
	// maxColValues. With a chunk smaller than the batch the backward pass
	// rebuilds each chunk's col instead of keeping them all.
	Chunk int

	x         *Matrix // input of the last Forward, not owned
	col, dcol []float64
	colRows   int // examples whose col is in col (0: none kept)
	y, dx     *Matrix
	// The arrays of the lowering job in progress (see im2colJob).
	jobX, jobCol, jobDx []float64
}

// NewConv2D returns a convolution with weights drawn from init (fan-in
// KH*KW*In.C, fan-out KH*KW*Out, PyTorch's convention) and biases set to
// bias, or an error if the configuration is invalid.
func NewConv2D(name string, cfg ConvConfig, init Init, bias float64, rng *rand.Rand) (*Conv2D, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	k := cfg.KH * cfg.KW * cfg.In.C
	c := &Conv2D{ConvConfig: cfg, OutImage: cfg.OutShape(), W: newParam(name+".W", k, cfg.Out), B: newParam(name+".b", 1, cfg.Out)}
	init.Fill(c.W.Value, k, cfg.KH*cfg.KW*cfg.Out, rng)
	for i := range c.B.Value {
		c.B.Value[i] = bias
	}
	return c, nil
}

func (c *Conv2D) Kind() string       { return "conv" }
func (c *Conv2D) OutputSize(int) int { return c.OutImage.Size() }
func (c *Conv2D) Params() []*Param   { return []*Param{c.W, c.B} }

// pointwise reports whether col is the input itself (1x1, stride 1, no
// padding).
func (c *Conv2D) pointwise() bool { return c.KH == 1 && c.KW == 1 && c.Stride == 1 && c.Pad == 0 }

// maxColValues bounds the col matrix when Chunk is 0: a batch whose col
// would be larger (an evaluation batch of 1000 images through a 5x5x16
// convolution at 14x14 needs 78M values, 627 MB) is lowered in chunks of as
// many examples as fit, about 64 MB.
const maxColValues = 1 << 23

// chunkSize is the number of examples per block for a batch of n. It
// depends only on the layer and n, so results do not depend on anything
// else.
func (c *Conv2D) chunkSize(n int) int {
	if c.Chunk > 0 {
		return min(c.Chunk, n)
	}
	per := c.OutImage.H * c.OutImage.W * c.KH * c.KW * c.In.C
	if n*per <= maxColValues {
		return n
	}
	return max(1, maxColValues/per)
}

func (c *Conv2D) Forward(x *Matrix, _ bool) *Matrix {
	if x.Cols != c.In.Size() {
		panic(fmt.Sprintf("model: conv %s expects %d inputs (%v), got %d", c.W.Name, c.In.Size(), c.In, x.Cols))
	}
	c.x = x
	n, p, k, out := x.Rows, c.OutImage.H*c.OutImage.W, c.KH*c.KW*c.In.C, c.Out
	c.y = reshape(c.y, n, p*out)
	for r := 0; r < n*p; r++ {
		copy(c.y.Data[r*out:(r+1)*out], c.B.Value)
	}
	if c.pointwise() {
		gemm(false, false, n*p, out, k, 1, x.Data, k, c.W.Value, out, 1, c.y.Data, out)
		return c.y
	}
	step := c.chunkSize(n)
	c.col = grow(c.col, step*p*k)
	for n0 := 0; n0 < n; n0 += step {
		m := min(step, n-n0)
		c.im2col(c.col, x.Data[n0*c.In.Size():(n0+m)*c.In.Size()], m)
		gemm(false, false, m*p, out, k, 1, c.col, k, c.W.Value, out, 1, c.y.Data[n0*p*out:], out)
	}
	c.colRows = 0
	if step == n {
		c.colRows = n
	}
	return c.y
}

// Backward returns dL/dx and sets the gradients of W and B.
func (c *Conv2D) Backward(dy *Matrix) *Matrix {
	c.backward(dy, true)
	return c.dx
}

// BackwardParams sets the gradients of W and B only (for a network's first
// layer, whose input gradient nobody reads).
func (c *Conv2D) BackwardParams(dy *Matrix) { c.backward(dy, false) }

func (c *Conv2D) backward(dy *Matrix, wantDx bool) {
	x := c.x
	n, p, k, out := x.Rows, c.OutImage.H*c.OutImage.W, c.KH*c.KW*c.In.C, c.Out
	columnSums(c.B.Grad, dy.Data, out)
	if wantDx {
		c.dx = reshape(c.dx, n, c.In.Size())
	}
	if c.pointwise() {
		gemm(true, false, k, out, n*p, 1, x.Data, k, dy.Data, out, 0, c.W.Grad, out)
		if wantDx {
			gemm(false, true, n*p, k, out, 1, dy.Data, out, c.W.Value, out, 0, c.dx.Data, k)
		}
		return
	}
	step := c.chunkSize(n)
	if wantDx {
		c.dcol = grow(c.dcol, step*p*k)
	}
	in := c.In.Size()
	for n0 := 0; n0 < n; n0 += step {
		m := min(step, n-n0)
		if c.colRows != n {
			c.im2col(c.col, x.Data[n0*in:(n0+m)*in], m)
		}
		beta := 1.0
		if n0 == 0 {
			beta = 0
		}
		dyc := dy.Data[n0*p*out : (n0+m)*p*out]
		gemm(true, false, k, out, m*p, 1, c.col, k, dyc, out, beta, c.W.Grad, out)
		if wantDx {
			gemm(false, true, m*p, k, out, 1, dyc, out, c.W.Value, out, 0, c.dcol, k)
			c.col2im(c.dx.Data[n0*in:(n0+m)*in], c.dcol, m)
		}
	}
}

// columnSums sets sums[j] to the sum of data[r*len(sums)+j] over rows r.
func columnSums(sums, data []float64, cols int) {
	clear(sums)
	for r := 0; r+cols <= len(data); r += cols {
		for j, g := range data[r : r+cols] {
			sums[j] += g
		}
	}
}

// grow returns buf with length n, reallocating only when its capacity is
// short.
func grow(buf []float64, n int) []float64 {
	if cap(buf) < n {
		return make([]float64, n)
	}
	return buf[:n]
}

// im2col writes the col rows of m examples (x holds them, one image after
// another) into col, splitting the examples across threads when allowed.
func (c *Conv2D) im2col(col, x []float64, m int) {
	c.jobCol, c.jobX = col, x
	pool.runJob((*im2colJob)(c), m, len(col))
}

// col2im sets dx (m examples) to the sum, over the rows of dcol, of each
// row added onto the input pixels it was read from. Examples are split
// across threads when allowed; each writes only its own rows of dx.
func (c *Conv2D) col2im(dx, dcol []float64, m int) {
	c.jobDx, c.jobCol = dx, dcol
	pool.runJob((*col2imJob)(c), m, len(dcol))
}

// im2colJob and col2imJob run the lowering over a range of examples, with
// the arrays the layer's job fields hold.
type (
	im2colJob Conv2D
	col2imJob Conv2D
)

func (j *im2colJob) runRange(from, to int) {
	c := (*Conv2D)(j)
	p, k, in, ch := c.OutImage.H*c.OutImage.W, c.KH*c.KW*c.In.C, c.In.Size(), c.In.C
	h, w := c.In.H, c.In.W
	for e := from; e < to; e++ {
		img := c.jobX[e*in : (e+1)*in]
		rows := c.jobCol[e*p*k : (e+1)*p*k]
		r := 0
		for oy := 0; oy < c.OutImage.H; oy++ {
			y0 := oy*c.Stride - c.Pad
			for ox := 0; ox < c.OutImage.W; ox++ {
				x0 := ox*c.Stride - c.Pad
				kx0, kx1 := max(0, -x0), min(c.KW, w-x0)
				dst := rows[r*k : (r+1)*k]
				for ky := 0; ky < c.KH; ky++ {
					seg := dst[ky*c.KW*ch : (ky+1)*c.KW*ch]
					iy := y0 + ky
					if iy < 0 || iy >= h || kx1 <= kx0 {
						clear(seg)
						continue
					}
					clear(seg[:kx0*ch])
					off := (iy*w + x0 + kx0) * ch
					copy(seg[kx0*ch:kx1*ch], img[off:off+(kx1-kx0)*ch])
					clear(seg[kx1*ch:])
				}
				r++
			}
		}
	}
}

func (j *col2imJob) runRange(from, to int) {
	c := (*Conv2D)(j)
	p, k, in, ch := c.OutImage.H*c.OutImage.W, c.KH*c.KW*c.In.C, c.In.Size(), c.In.C
	h, w := c.In.H, c.In.W
	for e := from; e < to; e++ {
		img := c.jobDx[e*in : (e+1)*in]
		clear(img)
		rows := c.jobCol[e*p*k : (e+1)*p*k]
		r := 0
		for oy := 0; oy < c.OutImage.H; oy++ {
			y0 := oy*c.Stride - c.Pad
			for ox := 0; ox < c.OutImage.W; ox++ {
				x0 := ox*c.Stride - c.Pad
				kx0, kx1 := max(0, -x0), min(c.KW, w-x0)
				src := rows[r*k : (r+1)*k]
				for ky := 0; ky < c.KH; ky++ {
					iy := y0 + ky
					if iy < 0 || iy >= h || kx1 <= kx0 {
						continue
					}
					seg := src[ky*c.KW*ch+kx0*ch : ky*c.KW*ch+kx1*ch]
					off := (iy*w + x0 + kx0) * ch
					dst := img[off : off+len(seg)]
					for i, g := range seg {
						dst[i] += g
					}
				}
				r++
			}
		}
	}
}
