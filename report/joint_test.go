package report

import (
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// part is a verdict on a part of claim CX with an effect and a margin.
func part(o result.Outcome, statement string, mean, lo, hi float64) result.Verdict {
	return result.Verdict{Claim: "CX", Role: result.Part, Outcome: o, Statement: statement, Rule: "r", Caveat: "c",
		Why:    "numbers.",
		Effect: &result.Evidence{Name: "test accuracy, with minus without", Unit: "fraction", Estimate: metrics.Estimate{Mean: mean, Lo: lo, Hi: hi, N: 10}},
		Margin: result.Float(0.02), MarginReason: "a reason", N: 10, MDE: result.Float(0.01)}
}

func TestJointHeadline(t *testing.T) {
	claim := result.Claim{ID: "CX", Together: "ReLU nets train best with A and B", PartCount: 2}
	a := part(result.Confirmed, "a ReLU net trains best with A", 0.06, 0.05, 0.07)
	b := part(result.Inconclusive, "a ReLU net trains best with B", 0.026, 0.016, 0.037)
	runs := []Run{
		{Name: "one", Summary: Summary{Verdicts: []result.Verdict{a}}},
		{Name: "two", Summary: Summary{Figures: []FigureFile{{File: "b.png"}}, Verdicts: []result.Verdict{b}}},
	}
	row := ClaimRows([]result.Claim{claim}, runs)[0]
	if row.Main == nil {
		t.Fatal("no headline read from the parts")
	}
	m := *row.Main
	if m.Outcome != result.Inconclusive || row.Outcome != result.Inconclusive || m.Role != result.Main || m.Statement != claim.Together {
		t.Errorf("headline %s %s %q, want an INCONCLUSIVE main verdict on %q", m.Outcome, m.Role, m.Statement, claim.Together)
	}
	// The undecided part is the effect shown: it is what held the claim back.
	if m.Effect == nil || m.Effect.Estimate.Lo != 0.016 || m.Effect.Of == "" || m.Margin == nil || *m.Margin != 0.02 || m.N != 10 {
		t.Errorf("headline effect %+v, margin %v, n %d: want part B's", m.Effect, m.Margin, m.N)
	}
	for _, want := range []string{"(one) is CONFIRMED", "(two) is INCONCLUSIVE", "Read together, the 2 parts: INCONCLUSIVE"} {
		if !strings.Contains(m.Why, want) {
			t.Errorf("why %q lacks %q", m.Why, want)
		}
	}
	if err := checkVerdict(m); err != nil {
		t.Errorf("the joint verdict fails the report's standard: %v", err)
	}
	if !strings.HasPrefix(m.Context, "each part shows its companion helping a ReLU net") {
		t.Errorf("context %q does not say how narrow the reading is", m.Context)
	}
	if len(row.Chips) != 2 || row.Chips[0].Role != result.Part || len(row.Sections) != 2 {
		t.Errorf("chips %+v, sections %v: want both parts as chips, both experiments as sections", row.Chips, row.Sections)
	}
	// No one number stands for parts in units of their own: the first
	// screen, the claims table and the robustness table show each part's.
	for what, text := range map[string]string{"plain": row.Plain.String(), "tooltip": row.Plain.EffectName, "measurement": row.Measurement, "robustness": mainEffectText(row)} {
		if !strings.Contains(text, "a ReLU net trains best with A: ") || !strings.Contains(text, "a ReLU net trains best with B: ") {
			t.Errorf("%s %q does not give both parts' effects", what, text)
		}
	}
	if p := claimProblems([]ClaimRow{row}); len(p) != 0 {
		t.Errorf("problems %v with a well-formed pair of parts", p)
	}

	// Both parts hold: the claim holds. One fails: MIXED, and the plain
	// words name the failing part.
	runs[1].Summary.Verdicts[0].Outcome = result.Confirmed
	if row := ClaimRows([]result.Claim{claim}, runs)[0]; row.Outcome != result.Confirmed {
		t.Errorf("both parts CONFIRMED gives %s", row.Outcome)
	}
	runs[1].Summary.Verdicts[0].Outcome = result.Refuted
	row = ClaimRows([]result.Claim{claim}, runs)[0]
	if row.Outcome != result.Mixed || !strings.Contains(row.Plain.FailingText(), "a ReLU net trains best with B") {
		t.Errorf("one part REFUTED gives %s, failing text %q", row.Outcome, row.Plain.FailingText())
	}

	// A report with one part only cannot confirm the claim.
	runs[1].Summary.Verdicts = nil
	row = ClaimRows([]result.Claim{claim}, runs)[0]
	if row.Outcome != result.Inconclusive || !strings.Contains(row.Main.Why, "1 of the claim's 2 parts could not be told") {
		t.Errorf("one part of two gives %s (%q)", row.Outcome, row.Main.Why)
	}

	// Parts of a claim the catalogue does not read together, or beside a
	// main verdict, are problems.
	if p := claimProblems(ClaimRows([]result.Claim{{ID: "CX"}}, runs)); len(p) != 1 || !strings.Contains(p[0], "no statement") {
		t.Errorf("parts without a statement to read them into: problems %v", p)
	}
	runs[1].Summary.Verdicts = []result.Verdict{{Claim: "CX", Role: result.Main, Outcome: result.Confirmed, Statement: "s"}}
	if p := claimProblems(ClaimRows([]result.Claim{claim}, runs)); len(p) != 1 || !strings.Contains(p[0], "both a main verdict and verdicts on parts") {
		t.Errorf("a main verdict beside parts: problems %v", p)
	}
}
