package kit

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// Initialisers of the born-dead nets.
const (
	HeInit         = "he-normal"
	AsymmetricInit = "asymmetric"
)

// BornCell is one batch of random initialisations of scalar-input nets.
type BornCell struct {
	Variant  string `json:"variant"`
	Init     string `json:"init"`
	Width    int    `json:"width"`
	MaxDepth int    `json:"max_depth"`
	Grid     int    `json:"grid"`
	Inits    int    `json:"inits"`
	Chunk    int    `json:"chunk"`
}

// bornChunk is the number of initialisations in one cell: enough to keep a
// cell's overhead small, few enough to spread a width over both cores.
const bornChunk = 500

// BornCells expands born-dead Monte Carlo runs into cells of at most
// bornChunk initialisations each, IDs starting with prefix.
func BornCells(prefix string, pairs [][2]string, widths []int, maxDepth, grid, inits int) []harness.Cell[BornCell] {
	var cells []harness.Cell[BornCell]
	for _, vi := range pairs {
		for _, w := range widths {
			for chunk, start := 0, 0; start < inits; chunk, start = chunk+1, start+bornChunk {
				n := min(bornChunk, inits-start)
				p := BornCell{Variant: vi[0], Init: vi[1], Width: w, MaxDepth: maxDepth, Grid: grid, Inits: n, Chunk: chunk}
				id := fmt.Sprintf("%s/%s/%s/w%d/h%d/g%d/n%d/c%d", prefix, vi[0], vi[1], w, maxDepth, grid, n, chunk)
				// Flops of the forward passes plus a fixed cost per layer built.
				cost := float64(n*maxDepth) * (2*float64(grid*w*w) + 2000)
				cells = append(cells, harness.Cell[BornCell]{ID: id, Params: p, Cost: cost})
			}
		}
	}
	return cells
}

// BornResult counts, for every depth H = 1..MaxDepth, the initialisations
// whose first H hidden layers are dead at x = 1 (DeadAtOne[H-1]) and those
// that are constant on the grid (Constant[H-1]).
type BornResult struct {
	Inits     int   `json:"inits"`
	DeadAtOne []int `json:"dead_at_one"`
	Constant  []int `json:"constant"`
}

func (b *BornResult) Add(o BornResult) {
	if b.DeadAtOne == nil {
		b.DeadAtOne, b.Constant = make([]int, len(o.DeadAtOne)), make([]int, len(o.Constant))
	}
	b.Inits += o.Inits
	for i := range o.DeadAtOne {
		b.DeadAtOne[i] += o.DeadAtOne[i]
		b.Constant[i] += o.Constant[i]
	}
}

// RunBornDead draws p.Inits nets and checks each hidden layer on the grid.
func RunBornDead(ctx context.Context, p BornCell, rng *rand.Rand) (BornResult, error) {
	spec, err := VariantSpec(p.Variant)
	if err != nil {
		return BornResult{}, err
	}
	grid := model.NewMatrix(p.Grid, 1)
	for i := range grid.Data {
		grid.Data[i] = -1 + 2*float64(i)/float64(p.Grid-1)
	}
	grid.Data[p.Grid-1] = 1 // x = 1 exactly, the last row
	res := BornResult{Inits: p.Inits, DeadAtOne: make([]int, p.MaxDepth), Constant: make([]int, p.MaxDepth)}
	mlp := model.MLPSpec{Inputs: 1, Hidden: RepeatInt(p.Width, p.MaxDepth), Outputs: 1, Activation: spec, Init: model.Init{Scheme: model.HeNormal}}
	for i := range p.Inits {
		if i%100 == 0 {
			if err := ctx.Err(); err != nil {
				return BornResult{}, err
			}
		}
		net, err := model.NewMLP(mlp, rng)
		if err != nil {
			return BornResult{}, err
		}
		if p.Init == AsymmetricInit {
			for _, l := range net.Layers {
				if d, ok := l.(*model.Dense); ok {
					FillAsymmetric(d, rng)
				}
			}
		}
		net.Forward(grid, false)
		deadAtOne, constant := false, false
		for l := range p.MaxDepth {
			a := net.Hidden(l).Activation
			// With non-zero biases (asymmetric init) a zero layer can be
			// followed by a non-zero one that is still blind to x: "some
			// layer so far" is the event, not "this layer".
			deadAtOne = deadAtOne || metrics.AllZero(a.Row(a.Rows-1))
			constant = constant || metrics.RowsEqual(a)
			if deadAtOne {
				res.DeadAtOne[l]++
			}
			if constant {
				res.Constant[l]++
			}
		}
	}
	return res, nil
}

// Lu et al. 2019's randomized asymmetric initialisation (RAI), as we read
// it: for each unit, its fan_in weights and its bias are drawn from
// N(0, sigma^2/fan_in) with sigma = 0.6007, then one of those fan_in + 1
// parameters, chosen uniformly, is redrawn from Beta(2, 1), which is
// positive. A unit then has a positive pull on at least one input (or its
// bias), which is what keeps whole layers from switching off together.
// The public implementations of RAI that cite arXiv 1903.06733 (a search
// of stored code for 0.6007 and Beta(2, 1) found about ten, in numpy,
// PyTorch and TensorFlow) draw the same way; the paper's own text could
// not be read here.
const RaiSigma = 0.6007

func FillAsymmetric(d *model.Dense, rng *rand.Rand) {
	sd := RaiSigma / math.Sqrt(float64(d.In))
	for j := range d.Out {
		for i := range d.In {
			d.W.Value[i*d.Out+j] = sd * rng.NormFloat64()
		}
		d.B.Value[j] = sd * rng.NormFloat64()
		// Beta(2, 1) has CDF x^2 on [0, 1]: invert it.
		beta := math.Sqrt(rng.Float64())
		if k := rng.IntN(d.In + 1); k == d.In {
			d.B.Value[j] = beta
		} else {
			d.W.Value[k*d.Out+j] = beta
		}
	}
}

// Summary.

type BornKey struct {
	Variant, Init string
	Width         int
}
