package zerocentered

import (
	"strings"
	"testing"
)

// The comparisons the speed verdict reads follow from the arms present.
func TestSpeedPairs(t *testing.T) {
	got := speedPairs([]string{"sigmoid/raw", "sigmoid-centred/raw", "tanh/raw", "relu/raw", "elu/raw", "tanh/std", "relu/std"})
	want := []string{"sigmoid/raw>sigmoid-centred/raw", "sigmoid/raw>tanh/raw", "relu/raw>elu/raw", "tanh/raw>tanh/std", "relu/raw>relu/std"}
	var names []string
	for _, p := range got {
		names = append(names, p.from+">"+p.to)
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("pairs %v, want %v", names, want)
	}
	if len(speedPairs([]string{"relu/raw", "tanh/std"})) != 0 {
		t.Error("pairs found among arms that form none")
	}
}
