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
type Center struct {
	Units int
	// Momentum is the weight of the newest batch in the running means.
	Momentum float64
	// Running holds the running means used in evaluation.
	Running []float64

	y, dx *Matrix
	mean  []float64
}

// NewCenter returns a centring layer of the given width with running means
// 0 and momentum 0.1 (BatchNorm's default).
func NewCenter(units int) *Center {
	return &Center{Units: units, Momentum: 0.1, Running: make([]float64, units), mean: make([]float64, units)}
}

func (c *Center) Kind() string         { return "center" }
func (c *Center) OutputSize(n int) int { return n }
func (c *Center) Params() []*Param     { return nil }

func (c *Center) Forward(x *Matrix, train bool) *Matrix {
	c.y = reshape(c.y, x.Rows, x.Cols)
	mean := c.Running
	if train {
		columnMeans(c.mean, x)
		for j, m := range c.mean {
			c.Running[j] += c.Momentum * (m - c.Running[j])
		}
		mean = c.mean
	}
	for i := 0; i < x.Rows; i++ {
		row, out := x.Data[i*x.Cols:(i+1)*x.Cols], c.y.Data[i*x.Cols:(i+1)*x.Cols]
		for j, v := range row {
			out[j] = v - mean[j]
		}
	}
	return c.y
}

// Backward is dL/dx = dy minus its batch mean per column: every output
// depends on every input of its column through the mean.
func (c *Center) Backward(dy *Matrix) *Matrix {
	c.dx = reshape(c.dx, dy.Rows, dy.Cols)
	columnMeans(c.mean, dy)
	for i := 0; i < dy.Rows; i++ {
		row, out := dy.Data[i*dy.Cols:(i+1)*dy.Cols], c.dx.Data[i*dy.Cols:(i+1)*dy.Cols]
		for j, g := range row {
			out[j] = g - c.mean[j]
		}
	}
	return c.dx
}

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
