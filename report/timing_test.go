package report

import (
	"slices"
	"testing"
)

// TestTimingRowsTotal checks the timing table's total row: wall times and
// cell counts added up, and a total that says so when an experiment has no
// time (after a merge, say).
func TestTimingRowsTotal(t *testing.T) {
	runs := []Run{
		{Name: "a", Timing: map[string]string{"wall_seconds": "90", "cells_run": "10", "cells_reused": "5", "workers": "2", "blas": "gonum (pure Go)"}},
		{Name: "b", Timing: map[string]string{"wall_seconds": "30.4", "cells_run": "3", "cells_reused": "0", "workers": "2"}},
	}
	rows := Site{Runs: runs}.timingRows()
	want := []string{"total", "", "", "120 s (2.0 min)", "13", "5", "", ""}
	if len(rows) != 3 || !slices.Equal(rows[2], want) {
		t.Fatalf("rows %q, want a total row %q", rows, want)
	}
	if got := rows[0][5]; got != "5" {
		t.Errorf("cells reused %q, want 5", got)
	}
	// Each experiment names the backend that computed its cells.
	if a, b := rows[0][7], rows[1][7]; a != "gonum (pure Go)" || b != "n/a" {
		t.Errorf("backends %q and %q, want the recorded one and n/a", a, b)
	}
	runs = append(runs, Run{Name: "c"})
	rows = Site{Runs: runs}.timingRows()
	if got := rows[3][3]; got != "120 s (2.0 min), some experiments without a time" {
		t.Errorf("total %q, want the sum flagged as incomplete", got)
	}
}
