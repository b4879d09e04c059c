package model

import (
	"fmt"
	"slices"
	"strings"
)

// ActivationSpec selects an activation variant and its settings. The zero
// values of the settings mean the usual defaults.
type ActivationSpec struct {
	// Name is one of Variants().
	Name string `json:"name"`
	// ReLUDerivAtZero is relu's f'(0) (claim C1); 0 by default.
	ReLUDerivAtZero float64 `json:"relu_deriv_at_zero,omitempty"`
	// Alpha is leaky's negative slope (default 0.01) or elu's alpha
	// (default 1).
	Alpha float64 `json:"alpha,omitempty"`
	// PReLUSlope is prelu's initial slope (default 0.25).
	PReLUSlope float64 `json:"prelu_slope,omitempty"`
}

// Default settings of the variants.
const (
	DefaultLeakyAlpha = 0.01
	DefaultELUAlpha   = 1.0
)

// builtinVariants are the activations this package defines.
var builtinVariants = []string{"relu", "leaky", "prelu", "elu", "selu", "gelu", "swish", "silu", "softplus", "sigmoid", "tanh", "identity", "twosided"}

// Variants lists the activation names the model accepts: the built-ins,
// then the registered activations in the order they were registered.
func Variants() []string {
	return append(slices.Clone(builtinVariants), customNames()...)
}

// BuiltinVariants lists the activations this package defines.
func BuiltinVariants() []string { return slices.Clone(builtinVariants) }

// ValidateVariant returns an error naming the valid variants if name is not one.
func ValidateVariant(name string) error {
	for _, v := range Variants() {
		if v == name {
			return nil
		}
	}
	return fmt.Errorf("unknown variant %q (valid: %s)", name, strings.Join(Variants(), ", "))
}

// Elementwise returns the elementwise function of the variant. PReLU reports
// a leaky ReLU with its initial slope (what it computes at initialisation);
// twosided has no elementwise form and returns false.
func (s ActivationSpec) Elementwise() (Elementwise, bool) {
	switch s.Name {
	case "relu":
		return ReLU{DerivAtZero: s.ReLUDerivAtZero}, true
	case "leaky":
		return Leaky{Alpha: orDefault(s.Alpha, DefaultLeakyAlpha)}, true
	case "prelu":
		return Leaky{Alpha: orDefault(s.PReLUSlope, DefaultPReLUSlope)}, true
	case "elu":
		return ELU{Alpha: orDefault(s.Alpha, DefaultELUAlpha)}, true
	case "selu":
		return SELU{}, true
	case "gelu":
		return GELU{}, true
	case "swish", "silu":
		return Swish{}, true
	case "softplus":
		return Softplus{}, true
	case "sigmoid":
		return Sigmoid{}, true
	case "tanh":
		return Tanh{}, true
	case "identity":
		return Identity{}, true
	}
	if c, ok := lookupCustom(s.Name); ok {
		return customActivation{c}, true
	}
	return nil, false
}

// NewLayer builds the activation as a layer over units inputs.
func (s ActivationSpec) NewLayer(name string, units int) (Layer, error) {
	if err := ValidateVariant(s.Name); err != nil {
		return nil, err
	}
	switch s.Name {
	case "prelu":
		return NewPReLU(name, units, orDefault(s.PReLUSlope, DefaultPReLUSlope)), nil
	case "twosided":
		return &TwoSided{}, nil
	}
	f, _ := s.Elementwise()
	return NewActivationLayer(f), nil
}

// CanDie reports whether a unit of this variant can output the same value on
// every input while its gradient is zero on every input: true for relu and
// for registered activations that are one-sided. (Sigmoid and tanh
// saturate but never have an exactly zero gradient.)
func (s ActivationSpec) CanDie() bool {
	if s.Name == "relu" {
		return true
	}
	c, ok := lookupCustom(s.Name)
	return ok && c.OneSided
}

// RecommendedInit is the initialiser the variant is meant to start from:
// He for the ReLU family (He et al. 2015), LeCun for SELU (Klambauer et al.
// 2017), Xavier for the saturating and linear ones (Glorot & Bengio 2010),
// and for a registered activation its Gain (named He or LeCun when the gain
// is theirs).
func (s ActivationSpec) RecommendedInit() Init {
	switch s.Name {
	case "sigmoid", "tanh", "identity":
		return Init{Scheme: XavierNormal}
	case "selu":
		return Init{Scheme: LeCunNormal}
	}
	c, ok := lookupCustom(s.Name)
	switch {
	case !ok || c.Gain == 2:
		return Init{Scheme: HeNormal}
	case c.Gain == 1:
		return Init{Scheme: LeCunNormal}
	}
	return Init{Scheme: Gain, Gain: c.Gain}
}

// VariantInfo describes a variant for listings.
type VariantInfo struct {
	Name string
	// Builtin is false for a registered activation.
	Builtin bool
	// OneSided: constant with a zero gradient for every z < 0 (units can die).
	OneSided bool
	// Init is RecommendedInit.
	Init    Init
	Summary string
}

var builtinSummaries = map[string]string{
	"relu":     "max(0, z), with f'(0) = 0",
	"leaky":    "z for z > 0, 0.01 z otherwise",
	"prelu":    "leaky ReLU with a learned slope per unit, starting at 0.25",
	"elu":      "z for z > 0, e^z - 1 otherwise",
	"selu":     "1.0507 * (z for z > 0, 1.6733 (e^z - 1) otherwise), self-normalising",
	"gelu":     "z Phi(z), Phi the standard normal CDF",
	"swish":    "z sigmoid(z)",
	"silu":     "another name for swish",
	"softplus": "log(1 + e^z), a smooth ReLU",
	"sigmoid":  "1 / (1 + e^-z)",
	"tanh":     "hyperbolic tangent",
	"identity": "z: the linear network",
	"twosided": "two outputs per unit, relu(z) and min(z, 0) (claim C12)",
}

// DescribeVariants describes every variant, in the order of Variants.
func DescribeVariants() []VariantInfo {
	var out []VariantInfo
	for _, name := range Variants() {
		spec := ActivationSpec{Name: name}
		info := VariantInfo{Name: name, Builtin: true, OneSided: spec.CanDie(), Init: spec.RecommendedInit(), Summary: builtinSummaries[name]}
		if c, ok := lookupCustom(name); ok {
			info.Builtin, info.Summary = false, c.Summary
		}
		out = append(out, info)
	}
	return out
}

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}
