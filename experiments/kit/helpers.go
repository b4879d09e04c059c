package kit

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// CheckPositiveFloats rejects an empty list and any value that is not a
// positive finite number.
func CheckPositiveFloats(what string, values ...float64) error {
	if len(values) == 0 {
		return fmt.Errorf("%s: empty list", what)
	}
	for _, v := range values {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("%s must be positive numbers, got %v", what, v)
		}
	}
	return nil
}

// Validation helpers shared by the experiments' Validate functions. Their
// errors name the setting and the valid choices.

func CheckVariants(names []string) error {
	if len(names) == 0 {
		return fmt.Errorf("no variant given (valid: %s)", strings.Join(model.Variants(), ", "))
	}
	for _, n := range names {
		if err := model.ValidateVariant(n); err != nil {
			return err
		}
	}
	return nil
}

func CheckInits(names []string) error {
	if len(names) == 0 {
		return fmt.Errorf("no init given")
	}
	for _, n := range names {
		s, err := model.ParseInitScheme(n)
		if err != nil {
			return err
		}
		if s == model.Gain {
			return fmt.Errorf("init %q needs a gain; this experiment takes named inits only", n)
		}
	}
	return nil
}

func CheckPositive(what string, values ...int) error {
	if len(values) == 0 {
		return fmt.Errorf("%s: empty list", what)
	}
	for _, v := range values {
		if v <= 0 {
			return fmt.Errorf("%s must be positive, got %d", what, v)
		}
	}
	return nil
}

func RepeatInt(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// Formatting: records (CSV) keep every digit; tables round for reading.

func Itoa(i int) string { return strconv.Itoa(i) }

func Ftoa(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func FmtFloat(x float64, digits int) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return strconv.FormatFloat(x, 'f', digits, 64)
}

// FmtEstimate writes "mean [lo, hi]", or just the mean when there is no
// interval (fewer than two finite values).
func FmtEstimate(e metrics.Estimate, digits int) string {
	if e.N == 0 || math.IsNaN(e.Mean) {
		return "n/a"
	}
	if e.N < 2 {
		return FmtFloat(e.Mean, digits)
	}
	return fmt.Sprintf("%s [%s, %s]", FmtFloat(e.Mean, digits), FmtFloat(e.Lo, digits), FmtFloat(e.Hi, digits))
}

func Pow10(x float64) float64 { return math.Pow(10, x) }
