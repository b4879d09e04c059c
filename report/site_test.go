package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
)

// The headline is the main verdict's outcome, whatever the supporting
// verdicts and sanity checks say.
func TestClaimRowsHeadlineIsTheMainVerdict(t *testing.T) {
	v := func(claim string, o result.Outcome, role result.Role) result.Verdict {
		return result.Verdict{Claim: claim, Outcome: o, Role: role, Statement: string(role) + " statement", Why: "because."}
	}
	claims := []result.Claim{{ID: "C1"}, {ID: "C2"}, {ID: "C3"}, {ID: "C4"}, {ID: "C5"}}
	runs := []Run{
		{Name: "a", Summary: Summary{Verdicts: []result.Verdict{
			v("C1", result.Confirmed, result.Main), v("C2", result.Refuted, result.Supporting), v("C3", result.Inconclusive, result.Main),
			v("C4", result.Confirmed, result.Sanity)}}},
		{Name: "b", Summary: Summary{Verdicts: []result.Verdict{
			v("C1", result.Refuted, result.Supporting), v("C2", result.Confirmed, result.Main), v("C3", result.Confirmed, result.Sanity)}}},
	}
	rows := ClaimRows(claims, runs)
	cases := []struct {
		claim     string
		want      result.Outcome
		why       string
		sanity    int
		mains     int
		supported int
	}{
		{"C1", result.Confirmed, "Supporting: REFUTED: supporting statement", 0, 1, 1},
		{"C2", result.Confirmed, "Supporting: REFUTED", 0, 1, 1},
		{"C3", result.Inconclusive, "Sanity checks: 1", 1, 1, 0},
		{"C4", "", "Sanity check only", 1, 0, 0},
		{"C5", "", "", 0, 0, 0},
	}
	for i, tc := range cases {
		r := rows[i]
		if r.Outcome != tc.want || !strings.Contains(r.Why, tc.why) || len(r.Sanity) != tc.sanity || r.Mains != tc.mains || len(r.Supporting) != tc.supported {
			t.Errorf("%s: outcome %q, why %q, %d sanity, %d mains, %d supporting; want %q, %q, %d, %d, %d",
				tc.claim, r.Outcome, r.Why, len(r.Sanity), r.Mains, len(r.Supporting), tc.want, tc.why, tc.sanity, tc.mains, tc.supported)
		}
	}
	if got := strings.Join(rows[0].Sections, ","); got != "a,b" {
		t.Errorf("C1 sections %q", got)
	}
	// An exploratory supporting verdict is marked so in the Why and has
	// no chip.
	explored := v("C3", result.Confirmed, result.Supporting)
	explored.Exploratory = true
	runs[0].Summary.Verdicts = append(runs[0].Summary.Verdicts, explored)
	rows = ClaimRows(claims, runs)
	if want := "Supporting: CONFIRMED (supporting, exploratory: added after the results were seen): supporting statement"; !strings.Contains(rows[2].Why, want) {
		t.Errorf("C3 why %q, want %q", rows[2].Why, want)
	}
	for _, c := range rows[2].Chips {
		if c.Role == result.Supporting {
			t.Errorf("C3 has a chip for its exploratory verdict: %+v", c)
		}
	}
}

func TestCheckVerdict(t *testing.T) {
	good := result.Verdict{Outcome: result.Inconclusive, Role: result.Main, Caveat: "c"}
	cmp := good
	cmp.Effect, cmp.Margin, cmp.MDE, cmp.N = &result.Evidence{Name: "d"}, result.Float(0.01), result.Float(0.02), 10
	cmp.MarginReason = "a point of accuracy"
	noReason := cmp
	noReason.MarginReason = ""
	noMDE := cmp
	noMDE.MDE = nil
	oneSeed := noMDE
	oneSeed.N = 1
	noMargin := cmp
	noMargin.Margin = nil
	noCaveat, noRole, badOutcome := good, good, good
	noCaveat.Caveat, noRole.Role, badOutcome.Outcome = "", "", "MAYBE"
	for _, tc := range []struct {
		name string
		v    result.Verdict
		want string
	}{
		{"plain verdict", good, ""},
		{"comparison", cmp, ""},
		{"comparison of one seed has no MDE", oneSeed, ""},
		{"comparison without MDE", noMDE, "minimal detectable effect"},
		{"effect without margin", noMargin, "margin"},
		{"margin without its reason", noReason, "no reason"},
		{"no caveat", noCaveat, "caveat"},
		{"no role", noRole, "role"},
		{"unknown outcome", badOutcome, "outcome"},
	} {
		err := checkVerdict(tc.v)
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// Check finds a claim without a verdict, a figure that is not a PNG and a
// page linking a missing file.
func TestCheckFindsWhatIsMissing(t *testing.T) {
	out := t.TempDir()
	res := sampleResult()
	if err := WriteExperiment(filepath.Join(out, "sample"), res); err != nil {
		t.Fatal(err)
	}
	run, err := LoadRun(out, "sample")
	if err != nil {
		t.Fatal(err)
	}
	claims := []result.Claim{{ID: "C9", Blog: "a <b> claim"}, {ID: "C10"}}
	site := NewSite(claims, []Run{run}, Environment{GoVersion: "go1.x"})
	if err := WriteSite(out, site); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(page), "a &lt;b&gt; claim") || !strings.Contains(string(page), `src="sample/f.png"`) {
		t.Error("the page does not escape text or does not show the figure")
	}
	err = Check(out, claims, []string{"sample"})
	if err == nil || !strings.Contains(err.Error(), "claim C10 has no main verdict") {
		t.Errorf("Check: %v, want C10 reported", err)
	}
	if err := Check(out, claims[:1], []string{"sample"}); err != nil {
		t.Errorf("a complete report failed the check: %v", err)
	}
	os.WriteFile(filepath.Join(out, "sample", "f.png"), []byte("not a png"), 0o644)
	os.Remove(filepath.Join(out, "sample", "r.csv"))
	err = Check(out, claims[:1], []string{"sample"})
	for _, want := range []string{"f.png is not a PNG", "links sample/r.csv, which does not exist"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check: %v, want %q", err, want)
		}
	}
}

func TestVerdictLabelAndMDENote(t *testing.T) {
	v := result.Verdict{Claim: "C3", Outcome: result.Confirmed, Role: result.Sanity}
	if got := VerdictLabel(v); got != "C3 sanity check CONFIRMED" {
		t.Errorf("sanity label %q", got)
	}
	v.Role = result.Main
	if got := VerdictLabel(v); got != "C3 CONFIRMED" {
		t.Errorf("main label %q", got)
	}
	for _, tc := range []struct {
		margin, mde *float64
		want        bool
	}{
		{nil, nil, false},
		{result.Float(0.05), result.Float(0.04), false},
		{result.Float(0.05), result.Float(0.05), false},
		{result.Float(0.05), result.Float(0.06), true},
		{result.Float(-0.05), result.Float(0.06), true},
		{result.Float(0.05), nil, false},
	} {
		v.Margin, v.MDE, v.N = tc.margin, tc.mde, 8
		if got := MDENote(v) != ""; got != tc.want {
			t.Errorf("margin %v mde %v: note %v, want %v", tc.margin, tc.mde, got, tc.want)
		}
	}
}

// A MIXED verdict whose effect (a decided part) clears the margin does
// not get the "more data could tell" note; one whose effect straddles it
// does.
func TestMDENoteReadsTheEffect(t *testing.T) {
	v := result.Verdict{Outcome: result.Mixed, Margin: result.Float(0.1), MDE: result.Float(0.13),
		Effect: &result.Evidence{Name: "part A", Estimate: est(0.325, 0.233, 0.417, 12)}}
	if got := MDENote(v); !strings.Contains(got, "cleared the margin all the same") {
		t.Errorf("effect clearing the margin: note %q", got)
	}
	v.Effect.Estimate = est(0.106, -0.023, 0.234, 12)
	if got := MDENote(v); !strings.Contains(got, "more data could tell") {
		t.Errorf("effect straddling the margin: note %q", got)
	}
	// A part below a one-sided margin of +0.1 (its interval holds -0.1,
	// which that margin does not read): no "more data" remedy.
	v.Effect.Estimate = est(-0.038, -0.133, 0.057, 11)
	if got := MDENote(v); strings.Contains(got, "more data") || !strings.Contains(got, "underpowered") {
		t.Errorf("effect below a one-sided margin: note %q", got)
	}
	// Undecided although the interval cleared the margin (a control that
	// failed, two readings that disagree): more data would not tell.
	v.Outcome, v.Effect.Estimate = result.Inconclusive, est(-0.95, -0.99, -0.70, 20)
	if got := MDENote(v); got != "" {
		t.Errorf("undecided with an interval beyond the margin: note %q, want none", got)
	}
}

func TestNotTestedIsShownAsSuch(t *testing.T) {
	v := result.Verdict{Claim: "C1", Outcome: result.Inconclusive, Role: result.Main, NotTested: true,
		Statement: "s", Why: "No relu-d<v> variant was run (add relu-d1 with --variant).", Caveat: "c"}
	if got := VerdictLabel(v); got != "C1 not tested in this run" {
		t.Errorf("label %q", got)
	}
	row := ClaimRow{Main: &v}
	row.fill()
	if row.Outcome != "" || row.Headline() != "NOT TESTED IN THIS RUN" || row.HeadlineClass() != "missing" {
		t.Errorf("row outcome %q, headline %q, class %q", row.Outcome, row.Headline(), row.HeadlineClass())
	}
	if p := plainOf(row); p.Lead != leadNotTested || !strings.Contains(p.String(), "add relu-d1") {
		t.Errorf("plain sentence %q", p.String())
	}
	tested := v
	tested.NotTested = false
	if got := VerdictLabel(tested); got != "C1 INCONCLUSIVE" {
		t.Errorf("label of a tested verdict %q", got)
	}
}

// The environment table's seeds column is the run's --seeds flag, a
// base: its head says so (each verdict gives its own n), in Markdown and
// on the page, and the column holds the configuration's seeds.
func TestEnvironmentSeedsColumn(t *testing.T) {
	run := Run{Name: "sparsity", Summary: Summary{Command: "reluexp run sparsity --seed=3", Config: map[string]any{"seeds": 7}}}
	site := NewSite(nil, []Run{run}, Environment{})
	md, err := site.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(md, "\n")
	head := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "| experiment | seed |") {
			head = i
		}
	}
	if head < 0 || head+2 >= len(lines) {
		t.Fatalf("no environment table:\n%s", md)
	}
	heads, row := strings.Split(lines[head], " | "), strings.Split(lines[head+2], " | ")
	col := -1
	for i, h := range heads {
		if strings.Contains(h, "--seeds") {
			col = i
		}
	}
	if col < 0 || len(row) != len(heads) || row[col] != "7" || row[col-1] != "3" || !strings.Contains(heads[col], "each verdict gives its n") {
		t.Errorf("head %q, row %q: want a --seeds column holding 7 beside the seed 3", heads, row)
	}
	if strings.Contains(md, "seeds per configuration") {
		t.Error("the Markdown still calls --seeds the seeds per configuration")
	}
	page, err := site.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if p := string(page); !strings.Contains(p, "<th>seed</th><th><code>--seeds</code> (base; each verdict gives its n)</th>") || strings.Contains(p, "seeds per configuration") {
		t.Error("the page's environment table does not name the column --seeds")
	}
}

// testedOn names a CNN only where a run trains one: speed times a CNN's
// step (step_cnn) but trains MLPs.
func TestTestedOnCountsTrainedCNNsOnly(t *testing.T) {
	runs := []Run{
		{Name: "speed", Summary: Summary{Config: map[string]any{"step_cnn": "conv(8,3x3,p1)-act-pool(2)-dense(10)", "hidden": []any{64.0, 64.0}}}},
		{Name: "cnnspeed", Summary: Summary{Config: map[string]any{"arch": "conv(8,3x3,p1)-act-pool(2)-dense(10)", "dataset": "fashion-mnist"}}},
	}
	if got, want := testedOn(runs), "multilayer perceptrons on MNIST (speed) and a small CNN on Fashion-MNIST (cnnspeed)"; got != want {
		t.Errorf("testedOn = %q, want %q", got, want)
	}
}
