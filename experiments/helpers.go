package experiments

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// Validation helpers shared by the experiments' Validate functions. Their
// errors name the setting and the valid choices.

func checkVariants(names []string) error {
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

func checkInits(names []string) error {
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

func checkPositive(what string, values ...int) error {
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

func repeatInt(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// Formatting: records (CSV) keep every digit; tables round for reading.

func itoa(i int) string { return strconv.Itoa(i) }

func ftoa(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func fmtFloat(x float64, digits int) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return strconv.FormatFloat(x, 'f', digits, 64)
}

// fmtEstimate writes "mean [lo, hi]", or just the mean when there is no
// interval (fewer than two finite values).
func fmtEstimate(e metrics.Estimate, digits int) string {
	if e.N == 0 || math.IsNaN(e.Mean) {
		return "n/a"
	}
	if e.N < 2 {
		return fmtFloat(e.Mean, digits)
	}
	return fmt.Sprintf("%s [%s, %s]", fmtFloat(e.Mean, digits), fmtFloat(e.Lo, digits), fmtFloat(e.Hi, digits))
}

func pow10(x float64) float64 { return math.Pow(10, x) }
