package metrics

import (
	"math"
	"testing"

	"github.com/reluexp/reluexp/model"
)

func TestRowsEqualAndAllZero(t *testing.T) {
	cases := []struct {
		name      string
		m         *model.Matrix
		equal, az bool
	}{
		{"zeros", model.MatrixFrom(3, 2, []float64{0, 0, 0, 0, 0, 0}), true, true},
		{"same non-zero rows", model.MatrixFrom(2, 2, []float64{1, 2, 1, 2}), true, false},
		{"one entry differs", model.MatrixFrom(2, 2, []float64{1, 2, 1, 2.0000001}), false, false},
		{"one row", model.MatrixFrom(1, 3, []float64{0, 5, 0}), true, false},
	}
	for _, tc := range cases {
		if got := RowsEqual(tc.m); got != tc.equal {
			t.Errorf("%s: RowsEqual = %v, want %v", tc.name, got, tc.equal)
		}
		if got := AllZero(tc.m.Data); got != tc.az {
			t.Errorf("%s: AllZero = %v, want %v", tc.name, got, tc.az)
		}
	}
}

func TestAndZeroColumns(t *testing.T) {
	// Two units; a two-sided layer has columns [pos0 pos1 neg0 neg1].
	zero := []bool{true, true}
	AndZeroColumns(model.MatrixFrom(2, 4, []float64{0, 0, 0, 3, 0, 0, 0, 0}), zero)
	if !zero[0] || zero[1] {
		t.Errorf("got %v, want [true false]: unit 1 has a non-zero entry in its second column", zero)
	}
	AndZeroColumns(model.MatrixFrom(1, 4, []float64{1e-300, 0, 0, 0}), zero)
	if zero[0] {
		t.Error("a tiny non-zero entry must count as non-zero")
	}
}

func TestBinomialZ(t *testing.T) {
	cases := []struct {
		k, n int
		p    float64
		want float64
	}{
		{50, 100, 0.5, 0},
		{60, 100, 0.5, 2}, // sd = 5
		{0, 1000, 0.001, -1 / math.Sqrt(0.999)},
		{0, 10, 0, 0},
		{1, 10, 0, math.Inf(1)},
	}
	for _, tc := range cases {
		if got := BinomialZ(tc.k, tc.n, tc.p); math.Abs(got-tc.want) > 1e-12 && got != tc.want {
			t.Errorf("BinomialZ(%d, %d, %g) = %g, want %g", tc.k, tc.n, tc.p, got, tc.want)
		}
	}
}

func TestBinomialPValue(t *testing.T) {
	cases := []struct {
		k, n   int
		p      float64
		lo, hi float64
	}{
		{5, 10, 0.5, 1, 1}, // the centre
		{0, 10, 0.5, 2 * 0.0009765625, 2 * 0.0009765625}, // 2 * 2^-10
		{10, 10, 0.5, 2 * 0.0009765625, 2 * 0.0009765625},
		// 3 misses where 0.36 are expected: Poisson-like, p about 2*0.0059,
		// where a normal z of -4.4 would claim far less.
		{1997, 2000, 1 - 0.00018, 0.01, 0.014},
		{0, 5, 0, 1, 1},
		{1, 5, 0, 0, 0},
	}
	for _, tc := range cases {
		if got := BinomialPValue(tc.k, tc.n, tc.p); got < tc.lo-1e-9 || got > tc.hi+1e-9 {
			t.Errorf("BinomialPValue(%d, %d, %g) = %g, want in [%g, %g]", tc.k, tc.n, tc.p, got, tc.lo, tc.hi)
		}
	}
}

func TestDeathHistory(t *testing.T) {
	// Four units over three observations:
	//   unit 0: alive, alive, alive  -> never dead
	//   unit 1: alive, dead,  dead   -> killed, dead at end
	//   unit 2: dead,  alive, dead   -> dead at start, recovered, then killed
	//   unit 3: dead,  dead,  dead   -> dead throughout
	h := NewDeathHistory(4)
	h.Observe([]bool{false, false, true, true})
	h.Observe([]bool{false, true, false, true})
	h.Observe([]bool{false, true, true, true})
	got := h.Counts()
	want := DeathCounts{Units: 4, EverDead: 3, DeadAtStart: 2, DeadAtEnd: 3, Killed: 2, Recovered: 1}
	if got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	if sum := got.Add(got); sum.Units != 8 || sum.Recovered != 2 {
		t.Errorf("Add: %+v", sum)
	}
}

// A unit counts as clearly back only if it was dead before and clearly
// alive at a later observation; clearly alive before it died does not count.
func TestDeathHistoryClear(t *testing.T) {
	// Five units over three observations (dead; clearly alive):
	//   unit 0: dead, alive (barely), alive (barely)     -> recovered, not clearly
	//   unit 1: dead, alive (barely), alive (clearly)    -> recovered clearly
	//   unit 2: alive (clearly), dead, alive (barely)    -> recovered, not clearly
	//   unit 3: dead, alive (clearly), dead              -> recovered clearly, killed
	//   unit 4: alive (clearly) throughout               -> never dead
	h := NewDeathHistory(5)
	h.ObserveClear([]bool{true, true, false, true, false}, []bool{false, false, true, false, true})
	h.ObserveClear([]bool{false, false, true, false, false}, []bool{false, false, false, true, true})
	h.ObserveClear([]bool{false, false, false, true, false}, []bool{false, true, false, false, true})
	got := h.Counts()
	want := DeathCounts{Units: 5, EverDead: 4, DeadAtStart: 3, DeadAtEnd: 1, Killed: 2, Recovered: 4, RecoveredClearly: 2}
	if got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	if sum := got.Add(got); sum.RecoveredClearly != 4 {
		t.Errorf("Add: %+v", sum)
	}
	// A clear flag on a dead unit is ignored.
	h = NewDeathHistory(1)
	h.ObserveClear([]bool{true}, []bool{false})
	h.ObserveClear([]bool{true}, []bool{true})
	if c := h.Counts(); c.RecoveredClearly != 0 || c.Recovered != 0 {
		t.Errorf("a dead unit flagged clear counted as back: %+v", c)
	}
}
