package metrics

import (
	"encoding/json"
	"math"
)

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
