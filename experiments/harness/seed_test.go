package harness

import "testing"

func TestCellSeedsDependOnIDOnly(t *testing.T) {
	a := CellSeed(1, "vanishing", "grad/relu/he-normal/w64/b64/d2/s0")
	b := CellSeed(1, "vanishing", "grad/relu/he-normal/w64/b64/d2/s1")
	c := CellSeed(2, "vanishing", "grad/relu/he-normal/w64/b64/d2/s0")
	if a == b || a == c || b == c {
		t.Errorf("cell seeds collide: %d %d %d", a, b, c)
	}
	if a != CellSeed(1, "vanishing", "grad/relu/he-normal/w64/b64/d2/s0") {
		t.Error("cell seed is not a pure function of its inputs")
	}
}

// Cells that name the same Pair share a seed; the others keep their own.
func TestPairedCellsShareASeed(t *testing.T) {
	type cfg struct{}
	exp := Register(Definition[cfg, int, int]{
		Name:     "pairs",
		Defaults: func(bool) *cfg { return &cfg{} },
		Cells: func(*cfg) []Cell[int] {
			return []Cell[int]{
				{ID: "relu/s0", Pair: "s0"}, {ID: "leaky/s0", Pair: "s0"},
				{ID: "relu/s1", Pair: "s1"}, {ID: "alone"}, {ID: "s0"},
			}
		},
	})
	seeds := map[string]uint64{}
	for _, c := range Plan(exp, exp.NewConfig(false), 7) {
		seeds[c.ID] = c.Seed
	}
	if seeds["relu/s0"] != seeds["leaky/s0"] {
		t.Error("the two arms of pair s0 have different seeds")
	}
	if seeds["relu/s0"] == seeds["relu/s1"] || seeds["alone"] == seeds["relu/s0"] {
		t.Error("cells of different pairs share a seed")
	}
	// A pair name is not a cell ID: the cell whose ID is "s0" is not in pair s0.
	if seeds["s0"] == seeds["relu/s0"] || seeds["alone"] != CellSeed(7, "pairs", "alone") {
		t.Error("a pair's seed collides with a cell ID's, or an unpaired cell's seed changed")
	}
}
