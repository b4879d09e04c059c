// Package ci holds Estimate, a mean with its 95% confidence interval, the
// number every verdict and table of reluexp rests on. It is a leaf: the
// metrics package computes estimates, experiments/result carries them, and
// neither has to import the other.
package ci

import (
	"encoding/json"
	"math"
)

// Estimate is a sample mean with its two-sided 95% confidence interval.
//
// The interval uses Student's t distribution with N-1 degrees of freedom,
// which is what small seed counts (3 to 20) call for. With N == 1 the
// interval is undefined and Lo and Hi equal the mean; with N == 0 every
// field is NaN except N.
type Estimate struct {
	Mean float64 `json:"mean"`
	Lo   float64 `json:"ci95_lo"`
	Hi   float64 `json:"ci95_hi"`
	SD   float64 `json:"sd"`
	N    int     `json:"n"`
}

// HalfWidth is the distance from the mean to either end of the interval.
func (e Estimate) HalfWidth() float64 { return (e.Hi - e.Lo) / 2 }

// Clamp limits the interval to [lo, hi], for quantities that cannot leave
// it (an accuracy, a fraction): with few seeds the t interval can reach
// past the bounds, which would only mislead.
func (e Estimate) Clamp(lo, hi float64) Estimate {
	e.Lo = math.Max(lo, math.Min(hi, e.Lo))
	e.Hi = math.Max(lo, math.Min(hi, e.Hi))
	return e
}

// JSON has no NaN or infinity, and an estimate over zero finite values is
// NaN. Estimates therefore encode a non-finite field as null, and decode
// null back to NaN, so summaries round-trip.

type estimateJSON struct {
	Mean *float64 `json:"mean"`
	Lo   *float64 `json:"ci95_lo"`
	Hi   *float64 `json:"ci95_hi"`
	SD   *float64 `json:"sd"`
	N    int      `json:"n"`
}

func finiteOrNil(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// MarshalJSON encodes non-finite fields as null.
func (e Estimate) MarshalJSON() ([]byte, error) {
	return json.Marshal(estimateJSON{Mean: finiteOrNil(e.Mean), Lo: finiteOrNil(e.Lo), Hi: finiteOrNil(e.Hi), SD: finiteOrNil(e.SD), N: e.N})
}

// UnmarshalJSON decodes null fields as NaN.
func (e *Estimate) UnmarshalJSON(b []byte) error {
	var j estimateJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*e = Estimate{Mean: orNaN(j.Mean), Lo: orNaN(j.Lo), Hi: orNaN(j.Hi), SD: orNaN(j.SD), N: j.N}
	return nil
}
