package model

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// CNNSpec describes a convolutional network by a line of layers, written
// as in a paper's table, for example
//
//	conv(16,5x5,p2)-act-pool(2)-conv(32,5x5,p2)-act-pool(2)-dense(10)
//
// The layers, joined by "-":
//
//	conv(OUT,K) or conv(OUT,KHxKW) with optional ,sS (stride, default 1)
//	    and ,pP (zero padding, default 0): Conv2D, e.g. conv(8,3x3,s2,p1)
//	pool(S) or poolS, with optional ,sT (stride, default S): MaxPool2D
//	dense(N): Dense with N outputs (flattens an image)
//	act: the spec's Activation; a built-in variant's name (relu, tanh,
//	    ...) or a registered one's without a hyphen: that activation
//	bn: BatchNorm (per channel after a convolution)
//	dropout(R): Dropout with rate R in [0, 1), written 0.5 or .5
//	flatten: Flatten (optional: dense flattens anyway)
//
// The last layer must be dense: its outputs are the logits, with biases
// starting at 0 (as NewMLP's output layer). Weights come from Init,
// convolutions and hidden dense layers start their biases at BiasInit.
// Images are stored height x width x channels per row (see Conv2D).
type CNNSpec struct {
	Input      ImageShape     `json:"input"`
	Arch       string         `json:"arch"`
	Activation ActivationSpec `json:"activation"`
	Init       Init           `json:"init"`
	BiasInit   float64        `json:"bias_init,omitempty"`
}

// cnnLayer is one parsed token of an architecture line.
type cnnLayer struct {
	token string
	kind  string // conv, pool, dense, act, bn, dropout, flatten
	conv  ConvConfig
	pool  PoolConfig
	units int
	rate  float64
	act   string // for kind act: the variant; "" for the spec's
}

var (
	convToken    = regexp.MustCompile(`^conv\((\d+),(\d+)(?:x(\d+))?((?:,[sp]\d+)*)\)$`)
	convOption   = regexp.MustCompile(`,([sp])(\d+)`)
	poolToken    = regexp.MustCompile(`^pool(?:(\d+)|\((\d+)(?:,s(\d+))?\))$`)
	denseToken   = regexp.MustCompile(`^dense\((\d+)\)$`)
	dropoutToken = regexp.MustCompile(`^dropout\((\d*\.?\d*)\)$`)
)

const cnnForms = "conv(OUT,K[xK][,sS][,pP]), pool(S[,sT]) or poolS, dense(N), act, an activation name, bn, dropout(R), flatten"

// atoi converts a string of digits the regular expressions matched; a
// number too large to hold becomes -1, which the checks refuse.
func atoi(s string) int {
	v, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return v
}

// parseCNNArch splits an architecture line into layers, checking each
// token's form but not the shapes.
func parseCNNArch(arch string) ([]cnnLayer, error) {
	if strings.TrimSpace(arch) == "" {
		return nil, fmt.Errorf("empty architecture: give layers joined by '-' (%s)", cnnForms)
	}
	var layers []cnnLayer
	for i, tok := range strings.Split(arch, "-") {
		l := cnnLayer{token: tok}
		switch {
		case convToken.MatchString(tok):
			m := convToken.FindStringSubmatch(tok)
			l.kind = "conv"
			l.conv = ConvConfig{Out: atoi(m[1]), KH: atoi(m[2]), KW: atoi(m[2]), Stride: 1}
			if m[3] != "" {
				l.conv.KW = atoi(m[3])
			}
			for _, o := range convOption.FindAllStringSubmatch(m[4], -1) {
				if o[1] == "s" {
					l.conv.Stride = atoi(o[2])
				} else {
					l.conv.Pad = atoi(o[2])
				}
			}
		case poolToken.MatchString(tok):
			m := poolToken.FindStringSubmatch(tok)
			l.kind = "pool"
			size := m[1] + m[2]
			l.pool = PoolConfig{Size: atoi(size), Stride: atoi(size)}
			if m[3] != "" {
				l.pool.Stride = atoi(m[3])
			}
		case denseToken.MatchString(tok):
			l.kind, l.units = "dense", atoi(denseToken.FindStringSubmatch(tok)[1])
			if l.units <= 0 {
				return nil, fmt.Errorf("layer %d %q: a dense layer needs a positive width", i+1, tok)
			}
		case dropoutToken.MatchString(tok):
			r, err := strconv.ParseFloat(dropoutToken.FindStringSubmatch(tok)[1], 64)
			if err != nil || !(r >= 0 && r < 1) {
				return nil, fmt.Errorf("layer %d %q: the dropout rate must be a number in [0, 1)", i+1, tok)
			}
			l.kind, l.rate = "dropout", r
		case tok == "act":
			l.kind = "act"
		case tok == "bn" || tok == "flatten":
			l.kind = tok
		case slices.Contains(Variants(), tok):
			l.kind, l.act = "act", tok
		default:
			return nil, fmt.Errorf("layer %d %q is not a layer (valid: %s; activations: %s)", i+1, tok, cnnForms, strings.Join(Variants(), ", "))
		}
		layers = append(layers, l)
	}
	if last := layers[len(layers)-1]; last.kind != "dense" {
		return nil, fmt.Errorf("the last layer is %q: a network ends with dense(N), N the number of classes", last.token)
	}
	return layers, nil
}

// Validate reports the first problem with the spec, naming the layer.
func (s CNNSpec) Validate() error {
	_, err := s.build(nil)
	return err
}

// NewCNN builds the network described by spec, drawing initial weights and
// the dropout masks' seed from rng.
func NewCNN(spec CNNSpec, rng *rand.Rand) (*Network, error) {
	if _, err := spec.build(nil); err != nil {
		return nil, err
	}
	layers, err := spec.build(rng)
	if err != nil {
		return nil, err
	}
	return NewNetwork(layers...), nil
}

// build checks the spec and, with rng set, constructs its layers.
func (s CNNSpec) build(rng *rand.Rand) ([]Layer, error) {
	if err := s.Input.validate(); err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	if err := ValidateVariant(s.Activation.Name); err != nil {
		return nil, err
	}
	if _, err := ParseInitScheme(string(s.Init.Scheme)); err != nil {
		return nil, err
	}
	if s.Init.Scheme == Gain && !(s.Init.Gain > 0) {
		return nil, fmt.Errorf("init gain %v must be positive", s.Init.Gain)
	}
	parsed, err := parseCNNArch(s.Arch)
	if err != nil {
		return nil, err
	}
	var dropRNG *rand.Rand
	if rng != nil {
		// As in NewMLP: the masks' stream is split off first, so that
		// adding dropout does not shift the weights drawn after it.
		dropRNG = rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
	}
	img, width := s.Input, 0 // width > 0 once the rows are flat features
	var layers []Layer
	convs, denses := 0, 0
	for i, l := range parsed {
		where := func(err error) error { return fmt.Errorf("layer %d %q: %w", i+1, l.token, err) }
		var layer Layer
		switch l.kind {
		case "conv", "pool":
			if width > 0 {
				return nil, where(fmt.Errorf("a %s needs an image, but the rows are flat after an earlier dense or flatten", l.kind))
			}
			if l.kind == "conv" {
				cfg := l.conv
				cfg.In = img
				if err := cfg.Validate(); err != nil {
					return nil, where(err)
				}
				convs++
				img = cfg.OutShape()
				if rng != nil {
					if layer, err = NewConv2D(fmt.Sprintf("conv%d", convs), cfg, s.Init, s.BiasInit, rng); err != nil {
						return nil, where(err)
					}
				}
			} else {
				cfg := l.pool
				cfg.In = img
				if err := cfg.Validate(); err != nil {
					return nil, where(err)
				}
				img = cfg.OutShape()
				if rng != nil {
					if layer, err = NewMaxPool2D(cfg); err != nil {
						return nil, where(err)
					}
				}
			}
		case "dense":
			in := width
			if in == 0 {
				in = img.Size()
			}
			last := i == len(parsed)-1
			name, bias := "out", 0.0
			if !last {
				denses++
				name, bias = fmt.Sprintf("dense%d", denses), s.BiasInit
			}
			if rng != nil {
				layer = NewDense(name, in, l.units, s.Init, bias, rng)
			}
			width = l.units
		case "flatten":
			if width == 0 {
				width = img.Size()
			}
			layer = &Flatten{In: img}
		case "bn", "act":
			// Per channel on an image, per feature on flat rows.
			units := width
			if units == 0 {
				units = img.C
			}
			name := fmt.Sprintf("l%d", i+1)
			if l.kind == "bn" {
				if rng != nil {
					layer = NewBatchNorm(name+".bn", units)
				}
				break
			}
			spec := s.Activation
			if l.act != "" && l.act != spec.Name {
				spec = ActivationSpec{Name: l.act}
			}
			if rng != nil {
				a, err := spec.NewLayer(name+"."+spec.Name, units)
				if err != nil {
					return nil, where(err)
				}
				if ts, ok := a.(*TwoSided); ok && width == 0 {
					ts.Channels = img.C
				}
				layer = a
			}
			if spec.Name == "twosided" {
				if width > 0 {
					width *= 2
				} else {
					img.C *= 2
				}
			}
		case "dropout":
			if rng != nil {
				layer = NewDropout(l.rate, dropRNG)
			}
		}
		if rng != nil {
			layers = append(layers, layer)
		}
	}
	return layers, nil
}
