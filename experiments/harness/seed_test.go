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
