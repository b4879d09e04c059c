package kit

import (
	"fmt"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// SeedTurns is what leaving out single seeds does to one reading of a
// verdict and to the verdict: of N seeds, Reading would each, left out
// alone, change the reading's outcome, and Verdict of those would change
// the verdict too; To is what those turn the verdict to when they all
// agree ("" otherwise). A verdict that one seed can turn stands on a knife
// edge: its outcome holds by the rule, but another seed could have turned
// it.
type SeedTurns struct {
	N, Reading, Verdict int
	To                  result.Outcome
}

// LeaveOneOut reads the per-seed differences diffs again without each
// seed in turn (metrics.LeaveOneOut): read decides the reading from them
// (it read was with every seed) and verdict the verdict from the reading's
// outcome (it read verdictWas with every seed). Fewer than three seeds
// leave nothing to count.
func LeaveOneOut(diffs []float64, read func(metrics.Paired) result.Outcome, was result.Outcome, verdict func(result.Outcome) result.Outcome, verdictWas result.Outcome) SeedTurns {
	if len(diffs) < 3 {
		return SeedTurns{}
	}
	t := SeedTurns{N: len(diffs)}
	tos := map[result.Outcome]bool{}
	for _, p := range metrics.LeaveOneOut(diffs) {
		o := read(p)
		if o == was {
			continue
		}
		t.Reading++
		if v := verdict(o); v != verdictWas {
			t.Verdict++
			tos[v] = true
		}
	}
	if len(tos) == 1 {
		for o := range tos {
			t.To = o
		}
	}
	return t
}

// Fragile is a verdict's Fragile words for the report's first screen
// ("on a knife edge: INCONCLUSIVE without any one of 3 of its 40 seeds");
// empty when no seed left out turns the verdict.
func (t SeedTurns) Fragile() string {
	to := "another outcome"
	if t.To != "" {
		to = string(t.To)
	}
	switch {
	case t.Verdict == 0:
		return ""
	case t.Verdict == 1:
		return fmt.Sprintf("on a knife edge: %s without one particular seed of its %d", to, t.N)
	}
	return fmt.Sprintf("on a knife edge: %s without any one of %d of its %d seeds", to, t.Verdict, t.N)
}
