package model

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Custom is an activation defined outside this package. Register it, and
// every experiment accepts its name wherever it accepts a variant
// (--variant mish), the model builds layers of it, `reluexp list
// --variants` shows it and the model's gradient checks cover it.
//
// Value and Deriv are called from many goroutines at once (an experiment
// runs its cells in parallel) and must be pure: the same input gives the
// same output, bit for bit, with no state shared between calls. Runs stay
// byte-identical for any number of workers only if they are.
type Custom struct {
	// Name is what --variant takes: lower-case letters and digits in words
	// joined by single hyphens, starting with a letter, at most 32
	// characters ("mish", "hard-swish"). It may not be a built-in's name,
	// nor a built-in's name followed by a hyphen: those spellings are kept
	// for settings of the built-ins (relu-d1 is ReLU with f'(0) = 1).
	Name string
	// Value is f(z).
	Value func(z float64) float64
	// Deriv is f'(z). Register compares it with finite differences of Value
	// and refuses the activation if they disagree.
	Deriv func(z float64) float64
	// Gain is the weight variance, times the fan-in, of the initialiser
	// the activation is meant to start from: 2 for He (the ReLU family), 1
	// for LeCun (SELU). Experiments that start each activation from its
	// own initialiser draw weights from N(0, Gain/fan_in). Required.
	Gain float64
	// OneSided says f is constant, with f' = 0, for every z < 0, as for
	// ReLU: a unit whose pre-activations are all negative outputs a
	// constant and gets no gradient, so it can die. Register checks the
	// claim both ways on the negative side.
	OneSided bool
	// Summary is a line for `reluexp list --variants` (optional).
	Summary string
}

// The registered activations, in the order they were registered. Register
// takes the write lock; every lookup (from any number of cells at once)
// takes the read lock. Entries are copies and never change once stored.
var customs struct {
	sync.RWMutex
	list []Custom
}

// maxNameLen bounds a registered name: it appears in cell IDs, file
// names and table columns.
const maxNameLen = 32

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Register adds a user-defined activation. It refuses, with an error that
// names the problem, an invalid or taken name, a missing function, a gain
// that is not a positive number, a derivative that disagrees with finite
// differences of the value, a OneSided flag that the negative side
// contradicts, and a function whose values are not finite or not
// repeatable. Call it before running anything (from main, before the
// command line).
func Register(c Custom) error {
	if err := checkName(c.Name); err != nil {
		return err
	}
	if c.Value == nil || c.Deriv == nil {
		return fmt.Errorf("activation %q: Value and Deriv must both be set", c.Name)
	}
	if !(c.Gain > 0) || math.IsInf(c.Gain, 0) {
		return fmt.Errorf("activation %q: Gain must be a positive number, the weight variance times fan-in of its initialiser (2 for He, 1 for LeCun), got %v", c.Name, c.Gain)
	}
	if err := checkActivation(c.Value, c.Deriv); err != nil {
		return fmt.Errorf("activation %q: %w", c.Name, err)
	}
	if err := checkOneSided(c.Value, c.Deriv, c.OneSided); err != nil {
		return fmt.Errorf("activation %q: %w", c.Name, err)
	}
	customs.Lock()
	defer customs.Unlock()
	for _, r := range customs.list {
		if r.Name == c.Name {
			return fmt.Errorf("activation %q is already registered", c.Name)
		}
	}
	customs.list = append(customs.list, c)
	return nil
}

// checkName refuses names that are malformed or that a built-in owns.
func checkName(name string) error {
	builtins := strings.Join(builtinVariants, ", ")
	if len(name) > maxNameLen || !namePattern.MatchString(name) {
		return fmt.Errorf("activation name %q is not valid: use lower-case letters and digits in words joined by single hyphens, starting with a letter, at most %d characters (e.g. mish, hard-swish)", name, maxNameLen)
	}
	if slices.Contains(builtinVariants, name) {
		return fmt.Errorf("activation name %q is taken by a built-in (built-ins: %s)", name, builtins)
	}
	for _, b := range builtinVariants {
		if strings.HasPrefix(name, b+"-") {
			return fmt.Errorf("activation name %q starts with the built-in %q and a hyphen, a spelling kept for the built-ins' settings (built-ins: %s)", name, b, builtins)
		}
	}
	return nil
}

func lookupCustom(name string) (Custom, bool) {
	customs.RLock()
	defer customs.RUnlock()
	for _, c := range customs.list {
		if c.Name == name {
			return c, true
		}
	}
	return Custom{}, false
}

func customNames() []string {
	customs.RLock()
	defer customs.RUnlock()
	names := make([]string, len(customs.list))
	for i, c := range customs.list {
		names[i] = c.Name
	}
	return names
}

// customActivation is a registered activation as an Elementwise. Its
// batched forms are loops over the scalar ones, so the two agree by
// construction; the backward pass reads z, not y.
type customActivation struct{ c Custom }

func (a customActivation) Name() string            { return a.c.Name }
func (a customActivation) Value(z float64) float64 { return a.c.Value(z) }
func (a customActivation) Deriv(z float64) float64 { return a.c.Deriv(z) }
func (a customActivation) Forward(y, z []float64) {
	y = y[:len(z)]
	for i, v := range z {
		y[i] = a.c.Value(v)
	}
}
func (a customActivation) Backward(dz, dy, z, _ []float64) {
	dz, z = dz[:len(dy)], z[:len(dy)]
	for i, g := range dy {
		dz[i] = g * a.c.Deriv(z[i])
	}
}

// The registration check. A derivative is compared with the central
// difference (f(z+h) - f(z-h)) / 2h at fixed points on both sides of 0:
// beside 0 (where most activations bend), in the range pre-activations
// usually take, and far out (where a sign or an overflow goes wrong). The
// points avoid round numbers, where kinks usually sit (0, ±1, ±6). The
// step h is derivStep relative to max(1, |z|): the truncation error (h^2/6
// times the third derivative) and the rounding error (about 1e-16 |f| / h)
// then both stay near 1e-10, far below the tolerance. A point that fails
// at h is tried again at h/16, so that a kink closer than h to a point
// does not refuse a correct derivative; a wrong derivative disagrees at
// both steps.
var derivCheckPoints = []float64{
	-41.3, -15.7, -7.9, -4.3, -2.61, -1.38, -0.74, -0.27, -0.031, -0.001,
	0.001, 0.031, 0.27, 0.74, 1.38, 2.61, 4.3, 7.9, 15.7, 41.3,
}

const (
	derivStep   = 1e-5
	derivRelTol = 1e-6
	derivAbsTol = 1e-9
)

// checkActivation checks that value and deriv are finite and repeatable at
// every check point and at 0, and that deriv agrees with finite
// differences of value at every check point. Built-ins pass the same
// check (a test says so).
func checkActivation(value, deriv func(float64) float64) error {
	for _, z := range append([]float64{0}, derivCheckPoints...) {
		v, d := value(z), deriv(z)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("f(%g) = %v: an activation must be finite on finite inputs", z, v)
		}
		if math.IsNaN(d) || math.IsInf(d, 0) {
			return fmt.Errorf("f'(%g) = %v: the derivative must be finite on finite inputs", z, d)
		}
		if math.Float64bits(value(z)) != math.Float64bits(v) || math.Float64bits(deriv(z)) != math.Float64bits(d) {
			return fmt.Errorf("f or f' at %g gave a different value on a second call: they must be pure functions, or runs are not reproducible", z)
		}
	}
	for _, z := range derivCheckPoints {
		d := deriv(z)
		h := derivStep * math.Max(1, math.Abs(z))
		numeric := centralDiff(value, z, h)
		if derivAgrees(d, numeric) || derivAgrees(d, centralDiff(value, z, h/16)) {
			continue
		}
		return fmt.Errorf("f'(%g) = %.10g but the finite difference of f there is %.10g (relative error %.2g, tolerance %g): the derivative is wrong, so training on it would be",
			z, d, numeric, math.Abs(d-numeric)/math.Max(math.Abs(d), math.Abs(numeric)), derivRelTol)
	}
	return nil
}

func centralDiff(f func(float64) float64, z, h float64) float64 {
	return (f(z+h) - f(z-h)) / (2 * h)
}

// derivAgrees is |a-b| <= derivAbsTol + derivRelTol * max(|a|, |b|).
func derivAgrees(a, b float64) bool {
	return math.Abs(a-b) <= derivAbsTol+derivRelTol*math.Max(math.Abs(a), math.Abs(b))
}

// checkOneSided holds the OneSided flag to the negative check points: a
// one-sided activation is constant there with f' exactly 0; one whose f'
// is exactly 0 at every negative point should say it is one-sided.
func checkOneSided(value, deriv func(float64) float64, oneSided bool) error {
	flat := true
	var first float64
	seen := false
	for _, z := range derivCheckPoints {
		if z >= 0 {
			continue
		}
		v, d := value(z), deriv(z)
		if !seen {
			first, seen = v, true
		}
		if oneSided && (d != 0 || v != first) {
			return fmt.Errorf("OneSided is set but f is not constant with f' = 0 below 0: f(%g) = %g, f'(%g) = %g", z, v, z, d)
		}
		if d != 0 {
			flat = false
		}
	}
	if !oneSided && flat {
		return errors.New("f' is 0 everywhere below 0 (checked at the negative check points): set OneSided, so that experiments know its units can die")
	}
	return nil
}
