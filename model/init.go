package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// InitScheme names a rule for drawing initial weights.
type InitScheme string

// The weight initialisers. fan_in and fan_out are a layer's input and
// output widths.
const (
	// XavierUniform: U(-a, a) with a = sqrt(6/(fan_in+fan_out)), variance
	// 2/(fan_in+fan_out) (Glorot & Bengio 2010, "normalized initialization").
	XavierUniform InitScheme = "xavier-uniform"
	// XavierNormal: N(0, 2/(fan_in+fan_out)).
	XavierNormal InitScheme = "xavier-normal"
	// HeUniform: U(-a, a) with a = sqrt(6/fan_in), variance 2/fan_in.
	HeUniform InitScheme = "he-uniform"
	// HeNormal: N(0, 2/fan_in) (He et al. 2015), critical for ReLU.
	HeNormal InitScheme = "he-normal"
	// LeCunNormal: N(0, 1/fan_in) (LeCun et al. 1998), SELU's init.
	LeCunNormal InitScheme = "lecun-normal"
	// LeCunUniform: U(-a, a) with a = sqrt(3/fan_in), variance 1/fan_in.
	LeCunUniform InitScheme = "lecun-uniform"
	// Classic: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), variance 1/(3 fan_in): the
	// "commonly used heuristic" Glorot & Bengio 2010 start from.
	Classic InitScheme = "classic"
	// Gain: N(0, Gain/fan_in), for sweeping the weight variance (sigma_w^2 =
	// Gain) around the critical value of an activation.
	Gain InitScheme = "gain"
)

// InitSchemes lists every scheme, in the order help texts show them.
func InitSchemes() []InitScheme {
	return []InitScheme{XavierUniform, XavierNormal, HeUniform, HeNormal, LeCunNormal, LeCunUniform, Classic, Gain}
}

// ParseInitScheme returns the scheme named s, or an error listing the valid
// names.
func ParseInitScheme(s string) (InitScheme, error) {
	for _, k := range InitSchemes() {
		if string(k) == s {
			return k, nil
		}
	}
	names := make([]string, 0, 8)
	for _, k := range InitSchemes() {
		names = append(names, string(k))
	}
	return "", fmt.Errorf("unknown init %q (valid: %s)", s, strings.Join(names, ", "))
}

// Init is a weight initialiser: a scheme and, for the Gain scheme, the gain.
type Init struct {
	Scheme InitScheme
	Gain   float64
}

// Variance is the variance of one weight of a fan_in x fan_out layer.
func (in Init) Variance(fanIn, fanOut int) float64 {
	fi, fo := float64(fanIn), float64(fanOut)
	switch in.Scheme {
	case XavierUniform, XavierNormal:
		return 2 / (fi + fo)
	case HeUniform, HeNormal:
		return 2 / fi
	case LeCunNormal, LeCunUniform:
		return 1 / fi
	case Classic:
		return 1 / (3 * fi)
	case Gain:
		return in.Gain / fi
	}
	panic(fmt.Sprintf("model: unknown init scheme %q", in.Scheme))
}

// uniform reports whether the scheme draws from a uniform distribution.
func (in Init) uniform() bool {
	switch in.Scheme {
	case XavierUniform, HeUniform, LeCunUniform, Classic:
		return true
	}
	return false
}

// Fill draws the weights of a fan_in x fan_out layer into w.
func (in Init) Fill(w []float64, fanIn, fanOut int, rng *rand.Rand) {
	v := in.Variance(fanIn, fanOut)
	if in.uniform() {
		// U(-a, a) has variance a^2/3.
		a := math.Sqrt(3 * v)
		for i := range w {
			w[i] = a * (2*rng.Float64() - 1)
		}
		return
	}
	sd := math.Sqrt(v)
	for i := range w {
		w[i] = sd * rng.NormFloat64()
	}
}

func (in Init) String() string {
	if in.Scheme == Gain {
		return fmt.Sprintf("gain=%g", in.Gain)
	}
	return string(in.Scheme)
}
