package result

import "testing"

// EachHolds: one failing part refutes a claim about each part, a holding
// one beside it makes it MIXED, a MIXED part is both, and undecided parts
// alone decide nothing. Every outcome is reached.
func TestEachHolds(t *testing.T) {
	C, R, I, M := Confirmed, Refuted, Inconclusive, Mixed
	for _, tc := range []struct {
		name  string
		parts []Outcome
		want  Outcome
	}{
		{"no parts", nil, I},
		{"all confirmed", []Outcome{C, C, C}, C},
		{"all refuted", []Outcome{R, R}, R},
		{"confirmed and refuted: both ways", []Outcome{C, R}, M},
		{"confirmed and mixed", []Outcome{C, M}, M},
		{"confirmed, refuted and inconclusive", []Outcome{C, R, I}, M},
		{"confirmed and inconclusive", []Outcome{C, I}, I},
		{"refuted and inconclusive: one part fails, so not each holds", []Outcome{R, I, I}, R},
		{"a mixed part alone beside an undecided one: it holds somewhere and fails somewhere", []Outcome{M, I}, M},
		{"a mixed part beside a refuted one", []Outcome{M, R}, M},
		{"all inconclusive", []Outcome{I, I}, I},
	} {
		if got := EachHolds(tc.parts); got != tc.want {
			t.Errorf("EachHolds, %s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestSomeHolds(t *testing.T) {
	C, R, I, M := Confirmed, Refuted, Inconclusive, Mixed
	for _, tc := range []struct {
		name  string
		parts []Outcome
		want  Outcome
	}{
		{"no parts", nil, I},
		{"one confirmed beside refuted ones: something holds", []Outcome{R, C, R}, C},
		{"one confirmed beside undecided ones", []Outcome{I, C}, C},
		{"all refuted", []Outcome{R, R, R}, R},
		{"refuted and inconclusive: an undecided part could still hold", []Outcome{R, I}, I},
		{"a mixed part is neither", []Outcome{M, R}, I},
		{"all inconclusive", []Outcome{I, I}, I},
	} {
		if got := SomeHolds(tc.parts); got != tc.want {
			t.Errorf("SomeHolds, %s: %s, want %s", tc.name, got, tc.want)
		}
	}
}
