package model

// Center subtracts from each column (unit) its mean over the batch, so that
// what the next layer receives is zero-centred in every batch: BatchNorm's
// centring without its scaling or its learned shift. In training it uses the
// batch's means and updates a running average of them; in evaluation it
// subtracts the running average, so one example's output does not depend on
// the others.
//
// Placed after a ReLU it makes the unit's outputs zero-centred while keeping
// which examples are zero and how the others are spread, a direct test of
// whether non-negative outputs slow learning.
//
// With UseRunning set it subtracts the running means in training too, so it
// works at batch size 1, where a batch's own mean is the example itself and
// the output would be 0. See UseRunning. With Share below 1 it subtracts
// only that part of the mean, for nets between uncentred and centred.
type Center struct {
	Units int
	// Momentum is the weight of the newest batch in the running means.
	Momentum float64
	// Running holds the running means used in evaluation, and in training
	// when UseRunning is set.
	Running []float64

	// UseRunning makes training subtract the running means as they stood
	// before this batch, and then fold the batch into them. The layer is
	// then x - m with m a constant for the batch: its backward pass hands
	// the gradient through unchanged, treating m as fixed (m depends on
	// earlier batches only, so that is exact for this batch's loss, but it
	// ignores how this batch moves the centring of later ones). The
	// examples of a batch no longer interact.
	//
	// The running means warm up as a plain average: the k-th training batch
	// is folded in with weight max(Momentum, 1/k), so for the first
	// 1/Momentum batches Running is the mean of every batch seen, and after
	// that an exponential moving average. Before the first batch Running
	// is whatever it was set to (0 from NewCenter): the first batch is
	// centred by that.
	UseRunning bool
	// DetachMean keeps training's forward pass as it is (each unit minus
	// its mean over the batch) but treats that mean as a constant in the
	// backward pass, which then hands the gradient through unchanged: the
	// outputs are centred exactly in every batch while the gradient is the
	// one a fixed shift would get, without the term by which every example
	// of the batch moves the mean. It separates, for an experiment, the
	// centring of the outputs from the coupling of the examples in the
	// gradient (Ioffe and Szegedy 2015, section 2, warn that a gradient
	// that ignores the normalisation can let parameters grow without
	// bound). It is ignored with UseRunning.
	DetachMean bool
	// Batches counts the training batches folded into Running with
	// UseRunning set.
	Batches int
	// Share is the part of the mean subtracted: 1 (NewCenter's) centres
	// the outputs; 0.5 subtracts half the mean and leaves half the offset,
	// for a net between the uncentred one and the centred one. Running
	// holds the full means whatever Share is.
	Share float64

	y, dx    *Matrix
	mean     []float64
	running  bool // the last training forward pass used the running means
	detached bool // the last training forward pass's batch means are constants for the backward pass
}

// NewCenter returns a centring layer of the given width with running means
// 0 and momentum 0.1 (BatchNorm's default).
func NewCenter(units int) *Center {
	return &Center{Units: units, Momentum: 0.1, Share: 1, Running: make([]float64, units), mean: make([]float64, units)}
}

// NewRunningCenter returns a centring layer that subtracts the running
// means in training too (UseRunning), with the given momentum per batch.
func NewRunningCenter(units int, momentum float64) *Center {
	c := NewCenter(units)
	c.Momentum, c.UseRunning = momentum, true
	return c
}

func (c *Center) Kind() string         { return "center" }
func (c *Center) OutputSize(n int) int { return n }
func (c *Center) Params() []*Param     { return nil }

func (c *Center) Forward(x *Matrix, train bool) *Matrix {
	c.y = reshape(c.y, x.Rows, x.Cols)
	mean := c.Running
	c.running = train && c.UseRunning
	c.detached = train && !c.UseRunning && c.DetachMean
	if train && !c.UseRunning {
		columnMeans(c.mean, x)
		for j, m := range c.mean {
			c.Running[j] += c.Momentum * (m - c.Running[j])
		}
		mean = c.mean
	}
	for i := 0; i < x.Rows; i++ {
		row, out := x.Data[i*x.Cols:(i+1)*x.Cols], c.y.Data[i*x.Cols:(i+1)*x.Cols]
		for j, v := range row {
			out[j] = v - c.Share*mean[j]
		}
	}
	if c.running {
		// Fold the batch in only after it was centred by the means as they
		// stood before it.
		c.Batches++
		w := max(c.Momentum, 1/float64(c.Batches))
		columnMeans(c.mean, x)
		for j, m := range c.mean {
			c.Running[j] += w * (m - c.Running[j])
		}
	}
	return c.y
}

// Backward is dL/dx = dy minus Share times its batch mean per column:
// every output depends on every input of its column through the mean. With UseRunning
// the mean is a constant for the batch and dL/dx = dy; with DetachMean it
// is treated as one, and dL/dx = dy too.
func (c *Center) Backward(dy *Matrix) *Matrix {
	c.dx = reshape(c.dx, dy.Rows, dy.Cols)
	if c.running || c.detached {
		copy(c.dx.Data, dy.Data)
		return c.dx
	}
	columnMeans(c.mean, dy)
	for i := 0; i < dy.Rows; i++ {
		row, out := dy.Data[i*dy.Cols:(i+1)*dy.Cols], c.dx.Data[i*dy.Cols:(i+1)*dy.Cols]
		for j, g := range row {
			out[j] = g - c.Share*c.mean[j]
		}
	}
	return c.dx
}

// BatchMeans is the per-unit means the last training forward pass
// subtracted when it centred by the batch (neither UseRunning nor an
// evaluation pass), for tests that hold them fixed; the slice is the
// layer's own and changes with the next pass.
func (c *Center) BatchMeans() []float64 { return c.mean }

// columnMeans writes the mean of each column of m into dst.
func columnMeans(dst []float64, m *Matrix) {
	clear(dst)
	for i := 0; i < m.Rows; i++ {
		for j, v := range m.Data[i*m.Cols : (i+1)*m.Cols] {
			dst[j] += v
		}
	}
	for j := range dst {
		dst[j] /= float64(m.Rows)
	}
}
