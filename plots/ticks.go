package plots

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// logTicks is the tick marker of a logarithmic axis. The package draws a
// log axis as a linear axis over log10 of the data (see setLog), so Ticks
// gets and returns log10 values and labels them with the values themselves.
//
// Labels are decades (1, 10, 100 or 1e-05) when at least three fall in
// range, thinned to at most seven; otherwise 1, 2 and 5 times a power of ten;
// otherwise, for a range narrower than a factor 2.5, the linear ticks of the
// range. Only ticks inside the range are returned, so that labels out of
// range do not take up room.
type logTicks struct{}

var _ plot.Ticker = logTicks{}

// Ticks implements plot.Ticker; lmin and lmax are log10 of the range.
func (logTicks) Ticks(lmin, lmax float64) []plot.Tick {
	if !(lmax > lmin) || math.IsInf(lmin, 0) || math.IsInf(lmax, 0) {
		return nil
	}
	min, max := math.Pow(10, lmin), math.Pow(10, lmax)
	lo := int(math.Floor(lmin + 1e-9))
	hi := int(math.Ceil(lmax - 1e-9))
	in := func(v float64) bool { return v >= min*(1-1e-9) && v <= max*(1+1e-9) }
	tick := func(v float64, label string) plot.Tick {
		return plot.Tick{Value: math.Log10(v), Label: label}
	}

	var decades []int
	for e := lo; e <= hi; e++ {
		if in(pow(1, e)) {
			decades = append(decades, e)
		}
	}
	var ticks []plot.Tick
	if len(decades) >= 3 {
		step := (len(decades) + 6) / 7
		minor := len(decades) <= 6
		for e := lo; e <= hi; e++ {
			for m := 1; m <= 9; m++ {
				v := pow(m, e)
				if !in(v) {
					continue
				}
				switch {
				case m == 1 && (e-decades[0])%step == 0:
					ticks = append(ticks, tick(v, logLabel(m, e)))
				case m == 1 && len(decades) <= 30 || minor:
					ticks = append(ticks, tick(v, ""))
				}
			}
		}
		return ticks
	}

	labelled := 0
	for e := lo; e <= hi; e++ {
		for _, m := range []int{1, 2, 5} {
			if in(pow(m, e)) {
				labelled++
			}
		}
	}
	if labelled >= 2 {
		for e := lo; e <= hi; e++ {
			for m := 1; m <= 9; m++ {
				v := pow(m, e)
				if !in(v) {
					continue
				}
				label := ""
				if m == 1 || m == 2 || m == 5 {
					label = logLabel(m, e)
				}
				ticks = append(ticks, tick(v, label))
			}
		}
		return ticks
	}

	for _, t := range (linearTicks{}).Ticks(min, max) {
		if t.Value > 0 {
			ticks = append(ticks, tick(t.Value, t.Label))
		}
	}
	return ticks
}

// linearTicks labels a linear axis at multiples of 1, 2, 2.5 or 5 times a
// power of ten, the step that puts closest to five labels in the range
// (gonum's DefaultTicks aims at three, sparse for a figure in a paper).
type linearTicks struct{}

var _ plot.Ticker = linearTicks{}

// Ticks implements plot.Ticker.
func (linearTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) || math.IsInf(min, 0) || math.IsInf(max, 0) || math.IsInf(max-min, 0) {
		return nil
	}
	count := func(step float64) int {
		return int(math.Floor(max/step+1e-9) - math.Ceil(min/step-1e-9) + 1)
	}
	e := math.Floor(math.Log10(max - min))
	step, best := 0.0, math.MaxInt
	for k := e - 2; k <= e+1; k++ {
		for _, m := range []float64{1, 2, 2.5, 5} {
			s := m * math.Pow(10, k)
			d := count(s) - 5
			if d < 0 {
				d = -d
			}
			if d <= best { // ties go to the larger step
				step, best = s, d
			}
		}
	}
	decimals := 0
	for ; decimals < 15; decimals++ {
		v := step * math.Pow(10, float64(decimals))
		if math.Abs(v-math.Round(v)) < 1e-9*v {
			break
		}
	}
	big := math.Max(math.Abs(min), math.Abs(max))
	var ticks []plot.Tick
	for k := math.Ceil(min/step - 1e-9); k*step <= max+step*1e-9; k++ {
		v := k * step
		var label string
		switch {
		case k == 0 && (big >= 1e6 || big < 1e-3):
			v, label = 0, "0"
		case k == 0:
			v, label = 0, strconv.FormatFloat(0, 'f', decimals, 64)
		case big >= 1e6 || big < 1e-3:
			label = strconv.FormatFloat(v, 'g', 4, 64)
		default:
			label = strconv.FormatFloat(v, 'f', decimals, 64)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}

// pow returns m×10^e, the float64 nearest the decimal, so that 3×10^-1 is
// 0.3 and not 0.30000000000000004.
func pow(m, e int) float64 {
	v, _ := strconv.ParseFloat(fmt.Sprintf("%de%d", m, e), 64)
	return v
}

// logLabel formats m×10^e: plainly from 0.001 to 99999 (0.002, 20, 5000),
// otherwise in e-notation (1e-05, 2e+06).
func logLabel(m, e int) string {
	if e >= -3 && e <= 4 {
		return strconv.FormatFloat(pow(m, e), 'f', -1, 64)
	}
	return fmt.Sprintf("%de%+03d", m, e)
}

// hiddenTicks is a tick marker that draws nothing, for empty panels.
var hiddenTicks = plot.ConstantTicks{}

// ticksWithin keeps the ticks of another ticker that lie in [lo, hi] (axis
// coordinates): the part of the axis that holds values.
type ticksWithin struct {
	plot.Ticker
	lo, hi float64
}

// Ticks implements plot.Ticker.
func (t ticksWithin) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for _, tk := range t.Ticker.Ticks(min, max) {
		if tk.Value >= t.lo-1e-9 && tk.Value <= t.hi+1e-9 {
			out = append(out, tk)
		}
	}
	return out
}
