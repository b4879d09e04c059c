package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/reluexp/reluexp/experiments/result"
)

// A claim whose main statement joins points that different experiments
// test (C11: "BatchNorm and dropout", one in exploding, one in
// overfitting) gets no Main verdict from any of them: each gives a Part,
// and the report reads the parts together here. The headline holds only
// if every part does, as the statement says "and".

// jointRule is the rule of a headline read together from parts: the rule
// the experiments use for a claim about each of several parts.
const jointRule = "the claim's parts, each decided in its own experiment by its own rule, read together (the statement says \"and\"): " + result.EachHoldsRule

// partFrom is a part verdict and the experiment that gave it.
type partFrom struct {
	v   result.Verdict
	run string
}

// jointVerdict reads a claim's parts together into its main verdict. Its
// effect, margin and n are those of the part that speaks least for the
// claim (weakestPart): the parts measure different things, in units of
// their own, and no one number stands for all of them. The Why names
// every part's outcome, so that a MIXED or INCONCLUSIVE headline says
// which part made it so.
func jointVerdict(c result.Claim, parts []partFrom) result.Verdict {
	var outs []result.Outcome
	var runs []string
	for _, p := range parts {
		outs = append(outs, p.v.Outcome)
		if !slices.Contains(runs, p.run) {
			runs = append(runs, p.run)
		}
	}
	missing := c.PartCount - len(parts)
	for range missing {
		outs = append(outs, result.Inconclusive) // a part not run cannot tell
	}
	v := result.Verdict{Claim: c.ID, Role: result.Main, Statement: c.Together, Rule: jointRule, Outcome: result.EachHolds(outs),
		// First, so that the first screen says how narrow a reading it
		// is (review 26b: C11's CONFIRMED read as ReLU relying on its
		// companions, where dropout helps tanh and sigmoid nets as much).
		Context: "each part shows its companion helping a ReLU net; none shows that ReLU needs it more than another activation does",
		Caveat:  fmt.Sprintf("the parts were measured by different experiments (%s), on nets, data sizes, budgets and runs of their own, not in the same runs: this shows each companion helping a ReLU net where it was tested, not the companions together in one net, nor that they help ReLU more than a bounded activation (a part's section says where it has such a control); each part's own caveat is in its section", strings.Join(runs, ", "))}
	names := ShortNames(statementsOf(parts))
	var points []string
	for i, p := range parts {
		point := fmt.Sprintf("%s (%s) is %s", upperFirst(names[i]), p.run, p.v.Outcome)
		if e, _ := PlainEffect(p.v); e != "" {
			point += ": " + e
		}
		if p.v.Outcome == result.Inconclusive {
			point += "; " + cannotTellReason(p.v)
		}
		points = append(points, point+".")
		if p.v.Effect != nil {
			ev := *p.v.Effect
			ev.Of = names[i]
			v.Evidence = append(v.Evidence, ev)
		}
	}
	if missing > 0 {
		points = append(points, fmt.Sprintf("%d of the claim's %d parts could not be told: their experiments were not run for this report.", missing, c.PartCount))
	}
	points = append(points, fmt.Sprintf("Read together, the %d parts: %s.", max(len(parts), c.PartCount), v.Outcome))
	v.Why = strings.Join(points, " ")
	if len(parts) > 0 {
		k := weakestPart(parts)
		w := parts[k].v
		v.Effect, v.Margin, v.MarginReason, v.N, v.MDE = w.Effect, w.Margin, w.MarginReason, w.N, w.MDE
		if w.Effect != nil {
			e := *w.Effect
			e.Of = names[k]
			v.Effect = &e
			v.Rule += fmt.Sprintf(". The effect shown is that of the part which speaks least for the claim (%s), decided by its own rule: %s", names[k], w.Rule)
		}
	}
	return v
}

// partEffects lists each part's measured effect under the part's short
// name, "name: effect; name: effect", with effect(v) giving one part's
// text (empty parts left out): a headline read together from parts
// measured in different units has no one number, so it shows them all.
func partEffects(parts []result.Verdict, effect func(result.Verdict) string) string {
	names := ShortNames(statementsOfVerdicts(parts))
	var out []string
	for i, p := range parts {
		if e := effect(p); e != "" {
			out = append(out, names[i]+": "+e)
		}
	}
	return strings.Join(out, "; ")
}

func statementsOfVerdicts(vs []result.Verdict) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Statement
	}
	return out
}

// weakestPart is the index of the part that speaks least for the claim:
// the first REFUTED part, else the first MIXED, else the first
// INCONCLUSIVE, else the first part.
func weakestPart(parts []partFrom) int {
	for _, o := range []result.Outcome{result.Refuted, result.Mixed, result.Inconclusive} {
		for i, p := range parts {
			if p.v.Outcome == o {
				return i
			}
		}
	}
	return 0
}

func statementsOf(parts []partFrom) []string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = p.v.Statement
	}
	return out
}

// upperFirst raises the first letter of s, which opens a sentence.
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// keyFigureRun is the run whose figures the claim's key figure is taken
// from: the first part's experiment that drew the figure KeyFigures names,
// else fallback.
func keyFigureRun(claim string, runs []Run, parts []partFrom, fallback *Run) *Run {
	for _, p := range parts {
		for i, r := range runs {
			if r.Name != p.run {
				continue
			}
			for _, f := range r.Summary.Figures {
				if f.File == KeyFigures[claim] {
					return &runs[i]
				}
			}
		}
	}
	return fallback
}
