package model

import (
	"fmt"
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

// Variants lists the activation names the model accepts.
func Variants() []string {
	return []string{"relu", "leaky", "prelu", "elu", "selu", "gelu", "swish", "silu", "softplus", "sigmoid", "tanh", "identity", "twosided"}
}

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
// every input while its gradient is zero on every input: true for relu only.
// (Sigmoid and tanh saturate but never have an exactly zero gradient.)
func (s ActivationSpec) CanDie() bool { return s.Name == "relu" }

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}
