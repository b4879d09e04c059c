package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// convCase is one convolution shape; the table covers stride 2, padding 1
// and 2, a 1x1 kernel (with and without the no-col shortcut), non-square
// kernels and images, odd sizes, a stride that does not divide the input,
// several channels, and batches of 1 and 3.
type convCase struct {
	name  string
	cfg   ConvConfig
	batch int
}

func convCases() []convCase {
	return []convCase{
		{"3x3 pad1 stride1", ConvConfig{In: ImageShape{5, 5, 1}, Out: 2, KH: 3, KW: 3, Stride: 1, Pad: 1}, 3},
		{"3x3 pad1 stride2 odd", ConvConfig{In: ImageShape{7, 7, 2}, Out: 3, KH: 3, KW: 3, Stride: 2, Pad: 1}, 3},
		{"5x5 pad2 batch1", ConvConfig{In: ImageShape{6, 6, 2}, Out: 2, KH: 5, KW: 5, Stride: 1, Pad: 2}, 1},
		{"1x1 pointwise", ConvConfig{In: ImageShape{4, 3, 3}, Out: 2, KH: 1, KW: 1, Stride: 1, Pad: 0}, 3},
		{"1x1 stride2", ConvConfig{In: ImageShape{5, 4, 2}, Out: 3, KH: 1, KW: 1, Stride: 2, Pad: 0}, 3},
		{"2x3 kernel on 5x7", ConvConfig{In: ImageShape{5, 7, 2}, Out: 3, KH: 2, KW: 3, Stride: 1, Pad: 1}, 3},
		{"3x2 kernel stride2 no pad, uneven", ConvConfig{In: ImageShape{6, 5, 1}, Out: 2, KH: 3, KW: 2, Stride: 2, Pad: 0}, 1},
		{"kernel = input", ConvConfig{In: ImageShape{3, 3, 2}, Out: 4, KH: 3, KW: 3, Stride: 1, Pad: 0}, 3},
	}
}

// naiveConv is the definition: y[n,oy,ox,o] = b[o] + sum over (ky, kx, c)
// of x[n, oy*s-p+ky, ox*s-p+kx, c] W[(ky*KW+kx)*C+c, o], zero outside.
func naiveConv(cfg ConvConfig, x *Matrix, w, b []float64) []float64 {
	out := cfg.OutShape()
	in := cfg.In
	y := make([]float64, x.Rows*out.Size())
	for n := 0; n < x.Rows; n++ {
		for oy := 0; oy < out.H; oy++ {
			for ox := 0; ox < out.W; ox++ {
				for o := 0; o < cfg.Out; o++ {
					s := b[o]
					for ky := 0; ky < cfg.KH; ky++ {
						for kx := 0; kx < cfg.KW; kx++ {
							iy, ix := oy*cfg.Stride-cfg.Pad+ky, ox*cfg.Stride-cfg.Pad+kx
							if iy < 0 || iy >= in.H || ix < 0 || ix >= in.W {
								continue
							}
							for c := 0; c < in.C; c++ {
								s += x.At(n, (iy*in.W+ix)*in.C+c) * w[((ky*cfg.KW+kx)*in.C+c)*cfg.Out+o]
							}
						}
					}
					y[n*out.Size()+(oy*out.W+ox)*cfg.Out+o] = s
				}
			}
		}
	}
	return y
}

func newTestConv(t testing.TB, cfg ConvConfig, chunk int) *Conv2D {
	t.Helper()
	c, err := NewConv2D("c", cfg, Init{Scheme: HeNormal}, 0, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range c.B.Value {
		c.B.Value[i] = rng.NormFloat64()
	}
	c.Chunk = chunk
	return c
}

func TestConvForwardMatchesNaiveConvolution(t *testing.T) {
	for _, tc := range convCases() {
		for _, chunk := range []int{0, 1, 2} {
			t.Run(fmt.Sprintf("%s/chunk=%d", tc.name, chunk), func(t *testing.T) {
				c := newTestConv(t, tc.cfg, chunk)
				x := randomMatrix(tc.batch, tc.cfg.In.Size(), rand.New(rand.NewPCG(3, 3)))
				want := naiveConv(tc.cfg, x, c.W.Value, c.B.Value)
				// Twice: the second call reuses the buffers.
				for range 2 {
					y := c.Forward(x, true)
					if y.Rows != tc.batch || y.Cols != tc.cfg.OutShape().Size() {
						t.Fatalf("output %dx%d, want %dx%d", y.Rows, y.Cols, tc.batch, tc.cfg.OutShape().Size())
					}
					for i, v := range want {
						if math.Abs(y.Data[i]-v) > 1e-12*math.Max(1, math.Abs(v)) {
							t.Fatalf("y[%d] = %.15g, naive convolution %.15g", i, y.Data[i], v)
						}
					}
				}
			})
		}
	}
}

// checkLayerGradients compares a layer's Backward (input and parameters)
// with central differences of L = sum(R .* Forward(x)) for a random R.
func checkLayerGradients(t *testing.T, layer Layer, x *Matrix, train bool) {
	t.Helper()
	rng := rand.New(rand.NewPCG(4, 4))
	readout := randomMatrix(x.Rows, layer.OutputSize(x.Cols), rng)
	loss := func() float64 {
		y := layer.Forward(x, train)
		var s float64
		for i, v := range y.Data {
			s += readout.Data[i] * v
		}
		return s
	}
	loss()
	dx := layer.Backward(readout).Clone()
	checkGradient(t, "input", x.Data, dx.Data, loss)
	for _, p := range layer.Params() {
		loss()
		layer.Backward(readout)
		analytic := append([]float64(nil), p.Grad...)
		checkGradient(t, p.Name, p.Value, analytic, loss)
	}
}

func TestConvGradientsMatchFiniteDifferences(t *testing.T) {
	for _, tc := range convCases() {
		for _, chunk := range []int{0, 2} {
			t.Run(fmt.Sprintf("%s/chunk=%d", tc.name, chunk), func(t *testing.T) {
				c := newTestConv(t, tc.cfg, chunk)
				x := randomMatrix(tc.batch, tc.cfg.In.Size(), rand.New(rand.NewPCG(5, 5)))
				checkLayerGradients(t, c, x, true)
			})
		}
	}
}

// The parameter-only backward pass (a network's first layer) gives the
// same parameter gradients as the full one.
func TestConvBackwardParamsMatchesBackward(t *testing.T) {
	for _, tc := range convCases() {
		for _, chunk := range []int{0, 1} {
			c := newTestConv(t, tc.cfg, chunk)
			rng := rand.New(rand.NewPCG(6, 6))
			x := randomMatrix(tc.batch, tc.cfg.In.Size(), rng)
			dy := randomMatrix(tc.batch, tc.cfg.OutShape().Size(), rng)
			c.Forward(x, true)
			c.Backward(dy)
			w, b := append([]float64(nil), c.W.Grad...), append([]float64(nil), c.B.Grad...)
			c.Forward(x, true)
			c.BackwardParams(dy)
			for i := range w {
				if w[i] != c.W.Grad[i] {
					t.Fatalf("%s chunk %d: dW[%d] %v vs %v", tc.name, chunk, i, c.W.Grad[i], w[i])
				}
			}
			for i := range b {
				if b[i] != c.B.Grad[i] {
					t.Fatalf("%s chunk %d: db[%d] %v vs %v", tc.name, chunk, i, c.B.Grad[i], b[i])
				}
			}
		}
	}
}

// poolInput fills a batch with distinct values at least 0.01 apart, so that
// a finite-difference step never changes which input is a window's maximum.
func poolInput(rows, cols int, rng *rand.Rand) *Matrix {
	m := NewMatrix(rows, cols)
	for i, j := range rng.Perm(rows * cols) {
		m.Data[i] = 0.01*float64(j) - 0.3
	}
	return m
}

func poolCases() []struct {
	name  string
	cfg   PoolConfig
	batch int
} {
	return []struct {
		name  string
		cfg   PoolConfig
		batch int
	}{
		{"2x2 stride2", PoolConfig{In: ImageShape{4, 4, 2}, Size: 2, Stride: 2}, 3},
		{"2x2 stride2 odd input", PoolConfig{In: ImageShape{5, 7, 3}, Size: 2, Stride: 2}, 1},
		{"3x3 stride2 overlapping", PoolConfig{In: ImageShape{7, 5, 2}, Size: 3, Stride: 2}, 3},
		{"3x3 stride1", PoolConfig{In: ImageShape{4, 5, 1}, Size: 3, Stride: 1}, 3},
		{"1x1", PoolConfig{In: ImageShape{2, 3, 2}, Size: 1, Stride: 1}, 1},
	}
}

func TestMaxPoolForwardAndGradients(t *testing.T) {
	for _, tc := range poolCases() {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewMaxPool2D(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			x := poolInput(tc.batch, tc.cfg.In.Size(), rand.New(rand.NewPCG(7, 7)))
			y := p.Forward(x, true)
			out, in := tc.cfg.OutShape(), tc.cfg.In
			for n := 0; n < tc.batch; n++ {
				for oy := 0; oy < out.H; oy++ {
					for ox := 0; ox < out.W; ox++ {
						for c := 0; c < in.C; c++ {
							want := math.Inf(-1)
							for ky := 0; ky < tc.cfg.Size; ky++ {
								for kx := 0; kx < tc.cfg.Size; kx++ {
									want = math.Max(want, x.At(n, ((oy*tc.cfg.Stride+ky)*in.W+ox*tc.cfg.Stride+kx)*in.C+c))
								}
							}
							if got := y.At(n, (oy*out.W+ox)*in.C+c); got != want {
								t.Fatalf("y[%d,%d,%d,%d] = %v, want the window's max %v", n, oy, ox, c, got, want)
							}
						}
					}
				}
			}
			checkLayerGradients(t, p, x, true)
		})
	}
}

// Ties go to the first maximum in row-major window order; a NaN wins.
func TestMaxPoolTiesAreDeterministic(t *testing.T) {
	p, err := NewMaxPool2D(PoolConfig{In: ImageShape{2, 4, 1}, Size: 2, Stride: 2})
	if err != nil {
		t.Fatal(err)
	}
	// Window 1: all four equal; window 2: its maximum 3 at its second and
	// fourth place. Row-major input:
	//   1 1 | 0 3
	//   1 1 | 2 3
	x := MatrixFrom(1, 8, []float64{1, 1, 0, 3, 1, 1, 2, 3})
	p.Forward(x, true)
	dx := p.Backward(MatrixFrom(1, 2, []float64{10, 20}))
	want := []float64{10, 0, 0, 20, 0, 0, 0, 0}
	for i := range want {
		if dx.Data[i] != want[i] {
			t.Fatalf("gradient %v, want %v (first maximum of each window)", dx.Data, want)
		}
	}
	x = MatrixFrom(1, 8, []float64{5, math.NaN(), 0, 3, math.NaN(), 9, -math.Inf(1), -math.Inf(1)})
	y := p.Forward(x, true)
	if !math.IsNaN(y.Data[0]) || y.Data[1] != 3 {
		t.Errorf("outputs %v, want NaN (a NaN in the window) and 3", y.Data)
	}
	dx = p.Backward(MatrixFrom(1, 2, []float64{1, 1}))
	want = []float64{0, 1, 0, 1, 0, 0, 0, 0}
	for i := range want {
		if dx.Data[i] != want[i] {
			t.Fatalf("gradient %v, want %v (the first NaN)", dx.Data, want)
		}
	}
}

func TestConvAndPoolRefuseBadShapes(t *testing.T) {
	good := ConvConfig{In: ImageShape{8, 8, 1}, Out: 4, KH: 3, KW: 3, Stride: 1, Pad: 1}
	for _, tc := range []struct {
		edit func(*ConvConfig)
		want string
	}{
		{func(c *ConvConfig) { c.In.H = 0 }, "must be positive"},
		{func(c *ConvConfig) { c.In.C = -1 }, "must be positive"},
		{func(c *ConvConfig) { c.Out = 0 }, "output channels"},
		{func(c *ConvConfig) { c.KW = 0 }, "kernel 3x0"},
		{func(c *ConvConfig) { c.Stride = 0 }, "stride 0"},
		{func(c *ConvConfig) { c.Pad = -1 }, "padding -1"},
		{func(c *ConvConfig) { c.Pad = 3 }, "smaller than each kernel side"},
		{func(c *ConvConfig) { c.KH, c.KW, c.Pad = 11, 11, 1 }, "larger than the 8x8 input"},
	} {
		cfg := good
		tc.edit(&cfg)
		_, err := NewConv2D("c", cfg, Init{Scheme: HeNormal}, 0, rand.New(rand.NewPCG(1, 1)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", cfg, err, tc.want)
		}
	}
	for _, tc := range []struct {
		cfg  PoolConfig
		want string
	}{
		{PoolConfig{In: ImageShape{4, 4, 1}, Size: 0, Stride: 1}, "window 0"},
		{PoolConfig{In: ImageShape{4, 4, 1}, Size: 2, Stride: 0}, "stride 0"},
		{PoolConfig{In: ImageShape{4, 3, 1}, Size: 4, Stride: 1}, "larger than the 4x3 input"},
		{PoolConfig{In: ImageShape{0, 3, 1}, Size: 1, Stride: 1}, "must be positive"},
	} {
		if _, err := NewMaxPool2D(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.cfg, err, tc.want)
		}
	}
}

// Per-channel BatchNorm, PReLU and TwoSided on image rows (3 pixels of 2
// channels): finite differences, as for their per-feature forms.
func TestChannelLayersGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	bn := NewBatchNorm("bn", 2)
	for j := range bn.Gamma.Value {
		bn.Gamma.Value[j] = 0.5 + rng.Float64()
		bn.Beta.Value[j] = rng.NormFloat64()
	}
	pr := NewPReLU("p", 2, 0.25)
	pr.Slope.Value[1] = 0.6
	for _, tc := range []struct {
		name  string
		layer Layer
		input func(rows, cols int, rng *rand.Rand) *Matrix
		train bool
	}{
		{"batchnorm/train", bn, randomMatrix, true},
		{"batchnorm/eval", bn, randomMatrix, false},
		{"prelu", pr, kinkFreeInput, true},
		{"twosided", &TwoSided{Channels: 2}, kinkFreeInput, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkLayerGradients(t, tc.layer, tc.input(3, 6, rand.New(rand.NewPCG(9, 9))), tc.train)
		})
	}
}

// On image rows, BatchNorm's statistics are per channel over every example
// and pixel, and TwoSided puts each pixel's two halves side by side.
func TestChannelLayersReadPixels(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	const n, pixels, ch = 4, 5, 3
	x := NewMatrix(n, pixels*ch)
	for i := range x.Data {
		x.Data[i] = float64(i%ch+1)*rng.NormFloat64() + float64(i%ch)
	}
	y := NewBatchNorm("bn", ch).Forward(x, true)
	for c := 0; c < ch; c++ {
		var s, ss float64
		for i := c; i < len(y.Data); i += ch {
			s += y.Data[i]
			ss += y.Data[i] * y.Data[i]
		}
		m := s / (n * pixels)
		if math.Abs(m) > 1e-12 || math.Abs(ss/(n*pixels)-m*m-1) > 1e-3 {
			t.Errorf("channel %d: mean %g, variance %g over examples and pixels; want 0 and 1", c, m, ss/(n*pixels)-m*m)
		}
	}
	if y.Rows != n || y.Cols != pixels*ch {
		t.Errorf("batchnorm output %dx%d, want %dx%d", y.Rows, y.Cols, n, pixels*ch)
	}
	z := MatrixFrom(1, 4, []float64{1, -2, -3, 4}) // 2 pixels, 2 channels
	got := (&TwoSided{Channels: 2}).Forward(z, true)
	want := []float64{1, 0, 0, -2, 0, 4, -3, 0}
	if got.Rows != 1 || got.Cols != 8 {
		t.Fatalf("twosided output %dx%d, want 1x8", got.Rows, got.Cols)
	}
	for i := range want {
		if got.Data[i] != want[i] {
			t.Fatalf("twosided per pixel %v, want %v", got.Data, want)
		}
	}
}

// Large batches (evaluation) are lowered in chunks that bound col's size;
// training batches of the benchmark's shape are lowered whole.
func TestConvChunkBoundsTheLowering(t *testing.T) {
	c := newTestConv(t, ConvConfig{In: ImageShape{14, 14, 16}, Out: 32, KH: 5, KW: 5, Stride: 1, Pad: 2}, 0)
	per := 14 * 14 * 5 * 5 * 16
	for _, tc := range []struct{ chunk, n, want int }{
		{0, 64, 64},
		{0, 1000, maxColValues / per},
		{0, 1, 1},
		{4, 64, 4},
		{100, 64, 64},
	} {
		c.Chunk = tc.chunk
		if got := c.chunkSize(tc.n); got != tc.want {
			t.Errorf("Chunk %d, batch %d: %d examples per block, want %d", tc.chunk, tc.n, got, tc.want)
		}
		if got := c.chunkSize(tc.n); got*per > maxColValues && got > 1 && tc.chunk == 0 {
			t.Errorf("batch %d: col of %d values, above the bound %d", tc.n, got*per, maxColValues)
		}
	}
}
