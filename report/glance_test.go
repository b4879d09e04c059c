package report

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/internal/ci"
	"github.com/reluexp/reluexp/metrics"
)

func est(mean, lo, hi float64, n int) ci.Estimate {
	return ci.Estimate{Mean: mean, Lo: lo, Hi: hi, N: n}
}

// The plain sentence follows the verdict: its outcome picks the opening,
// its effect is written in points, percent or a ratio with its interval
// and n, and an INCONCLUSIVE verdict says what could not be told.
func TestPlainSentence(t *testing.T) {
	diff := &result.Evidence{Name: "relu - tanh, exact zeros (per seed)", Unit: "fraction", Estimate: est(0.4581, 0.4526, 0.4636, 20)}
	v := func(o result.Outcome, e *result.Evidence, why string) *result.Verdict {
		return &result.Verdict{Claim: "C5", Outcome: o, Role: result.Main, Statement: "ReLU is sparse.", Effect: e, Margin: result.Float(0.25), N: e.Estimate.N, Why: why, Rule: "per seed"}
	}
	timed := v(result.Refuted, &result.Evidence{Name: "tanh layers beyond relu's, % of relu's step", Unit: "%", Estimate: est(1.389, 1.116, 1.662, 15)}, "")
	timed.Rule = "per repetition, timed"
	for _, tc := range []struct {
		name string
		row  ClaimRow
		want string
	}{
		{"confirmed difference of fractions", ClaimRow{Main: v(result.Confirmed, diff, "")},
			"Holds: ReLU is sparse. Measured: +45.8 points (relu minus tanh; 95% CI +45.3 to +46.4), 20 seeds."},
		{"refuted share in percent, timing repetitions", ClaimRow{Main: timed},
			"Does not hold: ReLU is sparse. Measured: +1.4% (tanh layers beyond relu's; 95% CI +1.1 to +1.7), 15 repetitions."},
		{"mixed log10 ratio as a ratio", ClaimRow{Main: v(result.Mixed, &result.Evidence{Name: "log10 loss ratio, paired seeds", Unit: "log10 ratio", Estimate: est(0.1719, 0.1661, 0.1777, 12)}, "")},
			"Partly: ReLU is sparse. Which part does not hold: see the rule and numbers in its section. Measured (log10 loss ratio, paired seeds): 1.49× (95% CI 1.47 to 1.51), 12 seeds."},
		{"a level of a fraction in percent, Monte Carlo nets", ClaimRow{Main: v(result.Confirmed, &result.Evidence{Name: "share of width-2 nets constant", Unit: "fraction of nets", Estimate: est(0.9045, 0.8986, 0.9101, 10000)}, "")},
			"Holds: ReLU is sparse. Measured: 90.5% (share of width-2 nets constant; 95% CI 89.9 to 91.0), 10000 nets."},
		{"a paired share of nets counts pairs", ClaimRow{Main: v(result.Confirmed, &result.Evidence{Name: "share of narrow nets collapsed, relu minus relu-d1 (paired seeds)", Unit: "fraction of nets", Estimate: est(0.045, 0.011, 0.080, 200)}, "")},
			"Holds: ReLU is sparse. Measured: +4.5 points of nets (relu minus relu-d1; 95% CI +1.1 to +8.0, inside the ±25-point margin, though not zero), 200 pairs of nets."},
		{"equal ends, no spurious digits", ClaimRow{Main: v(result.Confirmed, &result.Evidence{Name: "dead fraction, a minus b (per seed)", Unit: "fraction of units", Estimate: est(0, 0, 0, 12)}, "")},
			"Holds: ReLU is sparse. Measured: 0 points of units (a minus b; 95% CI 0 to 0, inside the ±25-point margin), 12 seeds."},
		{"inconclusive names what could not be told", ClaimRow{Main: v(result.Inconclusive, diff, "ReLU lost 66% of its units (CONFIRMED). 12 of 12 elu runs diverged. ReLU's half holds; whether the fixes keep their units cannot be told here.")},
			"This setup cannot tell whether ReLU is sparse. Reason: ReLU's half holds; whether the fixes keep their units cannot be told here. Measured: +45.8 points (relu minus tanh; 95% CI +45.3 to +46.4), 20 seeds."},
		{"inconclusive falls back to divergence", ClaimRow{Main: v(result.Inconclusive, diff, "Accuracy 0.9. Most runs diverged (8 of 12).")},
			"This setup cannot tell whether ReLU is sparse. Reason: most runs diverged (8 of 12). Measured: +45.8 points (relu minus tanh; 95% CI +45.3 to +46.4), 20 seeds."},
		{"no effect, no number", ClaimRow{Main: &result.Verdict{Outcome: result.Confirmed, Statement: "it holds"}}, "Holds: it holds."},
		{"sanity check only", ClaimRow{Sanity: []result.Verdict{{Outcome: result.Confirmed, Role: result.Sanity, Statement: "f' is 0 or 1"}}},
			"Sanity check only (true by construction, decides nothing): f' is 0 or 1."},
		{"nothing", ClaimRow{}, "Not measured."},
	} {
		if got := plainOf(tc.row).String(); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
	// An underpowered INCONCLUSIVE verdict without a telling sentence
	// says so.
	u := v(result.Inconclusive, &result.Evidence{Name: "relu - tanh, exact zeros (per seed)", Unit: "fraction", Estimate: est(0.2, 0.1, 0.3, 20)}, "The difference was 0.02.")
	u.MDE = result.Float(0.5)
	if got := plainOf(ClaimRow{Main: u}).String(); !strings.Contains(got, "could be missed") {
		t.Errorf("underpowered: %q", got)
	}
}

func TestShortName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"dead ReLU units do not recover", "dead ReLU units do not recover"},
		{"ReLU overfits more: at equal training accuracy, ReLU nets have a larger gap", "ReLU overfits more"},
		{"deep narrow ReLU nets are born dead (Lu et al. 2019: over 90% collapse)", "deep narrow ReLU nets are born dead"},
		{"(beyond the blog) the two-sided ReLU is worth its extra weights: it beats ReLU", "the two-sided ReLU is worth its extra weights"},
		{"a two-sided net is never born dead, where ReLU nets of the same width are", "a two-sided net is never born dead"},
		// A citation in front is a label; a colon inside brackets is not.
		{"He et al. 2015: a 30-layer ReLU net trains with He init", "a 30-layer ReLU net trains with He init"},
		{"Training makes it sparser (Glorot et al. 2011: about 50%)", "Training makes it sparser"},
		// Too few words before a qualification: no cut there.
		{"control: every trained net learns MNIST at depth 2", "control: every … net learns MNIST at depth 2"},
		// Long names keep their ends, which tell neighbours apart.
		{"ReLU reaches 97% training accuracy in fewer updates than tanh, each at its best learning rate", "ReLU reaches 97% … in fewer updates than tanh"},
		{"ReLU reaches 97% training accuracy in fewer updates than sigmoid, each at its best learning rate", "ReLU reaches 97% … fewer updates than sigmoid"},
	} {
		got := ShortName(tc.in)
		if got != tc.want {
			t.Errorf("ShortName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if len(got) > maxShortName+len("…") {
			t.Errorf("ShortName(%q) = %q is longer than %d bytes", tc.in, got, maxShortName)
		}
	}
}

func TestPoints(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"One sentence.", []string{"One sentence."}},
		{"First (a. B inside). Second sentence here.", []string{"First (a. B inside).", "Second sentence here."}},
		// Abbreviations and decimals do not end a sentence.
		{"He et al. 2015 found 0.5. Then e.g. This went on.", []string{"He et al. 2015 found 0.5.", "Then e.g. This went on."}},
		// Long clauses become points of their own, without their ";".
		{"at lr 1 the plain net diverged in 10 of 10 runs; at its best stable rate it reached 0.845 [0.83; 0.86].",
			[]string{"at lr 1 the plain net diverged in 10 of 10 runs", "at its best stable rate it reached 0.845 [0.83; 0.86]."}},
		// A short clause keeps its sentence whole.
		{"Thresholds: trains 0.5; does not 2, 5; undecided at 1.", []string{"Thresholds: trains 0.5; does not 2, 5; undecided at 1."}},
	} {
		got := Points(tc.in)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("Points(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The chips are every verdict but the headline, the thumbnail is the
// claim's key figure in the experiment that gave the main verdict (or that
// experiment's first figure), and a sanity-only claim has none.
func TestClaimRowsChipsAndFigure(t *testing.T) {
	v := func(claim string, o result.Outcome, role result.Role, st string) result.Verdict {
		return result.Verdict{Claim: claim, Outcome: o, Role: role, Statement: st}
	}
	figs := func(files ...string) []FigureFile {
		var out []FigureFile
		for _, f := range files {
			out = append(out, FigureFile{File: f, Title: "title of " + f})
		}
		return out
	}
	key := KeyFigures["C7"]
	runs := []Run{
		{Name: "a", Summary: Summary{Figures: figs("a1.png", "a2.png"), Verdicts: []result.Verdict{
			v("C7", result.Confirmed, result.Supporting, "support from a"), v("C4", result.Confirmed, result.Sanity, "first check"),
			v("C4", result.Refuted, result.Sanity, "second check"), v("C9", result.Confirmed, result.Sanity, "by construction"),
			v("C9", result.Refuted, result.Supporting, "the informative part")}}},
		{Name: "b", Summary: Summary{Figures: figs("b1.png", key), Verdicts: []result.Verdict{
			v("C7", result.Mixed, result.Main, "the main one"), v("C7", result.Refuted, result.Sanity, "a check"),
			v("C99", result.Refuted, result.Main, "no key figure")}}},
	}
	rows := ClaimRows([]result.Claim{{ID: "C7"}, {ID: "C4"}, {ID: "C99"}}, runs)
	c7 := rows[0]
	var chips []string
	for _, c := range c7.Chips {
		chips = append(chips, c.Label()+" "+c.Name)
	}
	if got, want := strings.Join(chips, "; "), "CONFIRMED support from a; sanity REFUTED a check"; got != want {
		t.Errorf("C7 chips %q, want %q", got, want)
	}
	if c7.Figure == nil || c7.Figure.Src() != "b/"+key || c7.Figure.Anchor() != figureAnchor("b", key) {
		t.Errorf("C7 figure %+v, want b/%s", c7.Figure, key)
	}
	c4 := rows[1]
	if c4.Figure != nil || len(c4.Chips) != 1 || c4.Chips[0].Statement != "second check" || c4.Plain.Statement != "first check" {
		t.Errorf("C4 (sanity only): figure %v, chips %+v, plain %+v", c4.Figure, c4.Chips, c4.Plain)
	}
	// A claim with a sanity check and a supporting verdict but no main
	// one: the check is the headline, the supporting verdict a chip.
	c9 := ClaimRows([]result.Claim{{ID: "C9"}}, runs)[0]
	if c9.Figure != nil || len(c9.Chips) != 1 || c9.Chips[0].Label() != "REFUTED" || c9.Chips[0].Name != "the informative part" ||
		c9.Plain.Lead != leadSanity || c9.Plain.Statement != "by construction" || c9.Headline() != "SANITY CHECK" ||
		!strings.Contains(c9.Why, "Supporting: REFUTED: the informative part.") {
		t.Errorf("C9 (sanity and supporting): figure %v, chips %+v, plain %+v, headline %s, why %q", c9.Figure, c9.Chips, c9.Plain, c9.Headline(), c9.Why)
	}
	// A supporting chip carries its measured effect; a sanity chip does not.
	withEffect := v("C7", result.Confirmed, result.Supporting, "support with a number")
	withEffect.Effect = &result.Evidence{Name: "ReLU minus relu-d1 collapsed share", Unit: "fraction of nets", Estimate: metrics.Estimate{Mean: 0.045, Lo: 0.011, Hi: 0.080, N: 100}}
	check := v("C7", result.Confirmed, result.Sanity, "a check")
	check.Effect = withEffect.Effect
	chipsWith := chipsOf([]result.Verdict{withEffect, check})
	if got, want := chipsWith[0].Text(), "CONFIRMED: support with a number — +4.5 points of nets (ReLU minus relu-d1 collapsed share; 95% CI +1.1 to +8.0), 100 nets"; got != want {
		t.Errorf("chip with an effect %q, want %q", got, want)
	}
	if chipsWith[1].Effect != "" || chipsWith[1].Text() != "sanity CONFIRMED: a check" {
		t.Errorf("sanity chip %+v, want no effect", chipsWith[1])
	}
	// An effect of one part names that part before its number.
	part := withEffect
	part.Effect = &result.Evidence{Name: withEffect.Effect.Name, Unit: withEffect.Effect.Unit, Estimate: withEffect.Effect.Estimate, Of: "width 2"}
	if got, want := chipsOf([]result.Verdict{part})[0].Effect, "width 2: +4.5 points of nets (ReLU minus relu-d1 collapsed share; 95% CI +1.1 to +8.0), 100 nets"; got != want {
		t.Errorf("chip of a part %q, want %q", got, want)
	}
	if f := rows[2].Figure; f == nil || f.Src() != "b/b1.png" {
		t.Errorf("C99 without a key figure: %+v, want the first figure b/b1.png", f)
	}
	if got, want := Tally(rows), "1 does not hold (C99), 1 holds partly (C7), 1 is only a sanity check (C4)"; got != want {
		t.Errorf("Tally %q, want %q", got, want)
	}
}

// The first screen shows each claim's verdict, sentence, chips and a
// thumbnail that links to its figure in the experiment's section; Check
// catches a link to an anchor that is not on the page.
func TestPageFirstScreen(t *testing.T) {
	out := t.TempDir()
	res := sampleResult()
	res.Verdicts = append(res.Verdicts, result.Verdict{Claim: "C9", Statement: "a side point: with details", Rule: "r", Outcome: result.Refuted,
		Why: "no.", Role: result.Supporting, Caveat: "c"})
	if err := WriteExperiment(filepath.Join(out, "sample"), res); err != nil {
		t.Fatal(err)
	}
	run, err := LoadRun(out, "sample")
	if err != nil {
		t.Fatal(err)
	}
	claims := []result.Claim{{ID: "C9", Blog: "the blog's claim"}}
	if err := WriteSite(out, NewSite(claims, []Run{run}, Environment{})); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "index.html"))
	glance := string(page)[strings.Index(string(page), `<table class="glance"`):strings.Index(string(page), `<h2 id="claims">`)]
	for _, want := range []string{
		`<span class="badge confirmed">CONFIRMED</span><div class="badge-note">main statement only; beside it, REFUTED: a side point</div>`,
		"the blog&#39;s claim",
		`<span class="head">Holds:</span> a thing holds.`,
		`<span class="chip refuted" title="REFUTED (supporting): a side point: with details"><b>REFUTED</b> a side point</span>`,
		`<a href="#figure-sample-f" title="F (sample)"><img src="sample/f.png" alt="F"></a>`,
	} {
		if !strings.Contains(glance, want) {
			t.Errorf("the first screen lacks %q:\n%s", want, glance)
		}
	}
	if !strings.Contains(string(page), `<figure id="figure-sample-f">`) {
		t.Error("the figure in the section has no anchor for the thumbnail")
	}
	md, _ := os.ReadFile(filepath.Join(out, "REPORT.md"))
	for _, want := range []string{"## At a glance", "| **C9** the blog's claim | **CONFIRMED**<br>main statement only; beside it, REFUTED: a side point | Holds: a thing holds. But this supporting claim does not hold: a side point: with details. |", "REFUTED: a side point",
		`(#figure-sample-f)`, `<a id="figure-sample-f"></a>`, "## Claims in detail"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("REPORT.md lacks %q", want)
		}
	}
	if err := Check(out, claims, []string{"sample"}); err != nil {
		t.Fatalf("a complete report failed the check: %v", err)
	}
	broken := strings.Replace(string(page), `href="#figure-sample-f"`, `href="#figure-sample-gone"`, 1)
	os.WriteFile(filepath.Join(out, "index.html"), []byte(broken), 0o644)
	if err := Check(out, claims, []string{"sample"}); err == nil || !strings.Contains(err.Error(), "links #figure-sample-gone, which is not on the page") {
		t.Errorf("Check: %v, want the missing anchor reported", err)
	}
}

func TestCannotTellReason(t *testing.T) {
	long := strings.Repeat("numbers and more numbers, ", 10)
	for _, tc := range []struct{ why, want string }{
		// A strong cue wins over divergence, which comes first.
		{"3 of 12 runs diverged. The control did not learn: its loss stayed high.", "the control did not learn: its loss stayed high"},
		{"3 of 12 runs diverged. Accuracy 0.9.", "3 of 12 runs diverged"},
		// Too long to quote: the part before or after a colon that tells.
		{"INCONCLUSIVE: " + long + "x: other processes shared the cores, so its timings are noise; rerun on an idle machine.",
			"other processes shared the cores, so its timings are noise; rerun on an idle machine"},
		// Nothing short enough tells: a pointer to the rule.
		{"At depth 30 " + long + "tanh (undecided) and the rest.", "the intervals do not settle it (see the rule in its section)"},
	} {
		v := result.Verdict{Outcome: result.Inconclusive, Why: tc.why}
		if got := cannotTellReason(v); got != tc.want {
			t.Errorf("reason of %q:\n got %q\nwant %q", tc.why, got, tc.want)
		}
	}
}

func TestPlainNamesRefutedSupportingParts(t *testing.T) {
	main := result.Verdict{Claim: "C10", Outcome: result.Confirmed, Role: result.Main, Statement: "dropout and more data shrink overfitting", Caveat: "c"}
	refuted := result.Verdict{Claim: "C10", Outcome: result.Refuted, Role: result.Supporting, Statement: "ReLU overfits more", Caveat: "c"}
	held := result.Verdict{Claim: "C10", Outcome: result.Confirmed, Role: result.Supporting, Statement: "another part", Caveat: "c"}
	row := ClaimRow{Main: &main, Supporting: []result.Verdict{refuted, held}}
	p := plainOf(row)
	if len(p.Against) != 1 || !strings.Contains(p.String(), "But this supporting claim does not hold: ReLU overfits more.") {
		t.Errorf("plain %q, against %v: want the refuted part named", p.String(), p.Against)
	}
	// A headline that does not hold needs no "but".
	main.Outcome = result.Refuted
	if p := plainOf(ClaimRow{Main: &main, Supporting: []result.Verdict{refuted}}); len(p.Against) != 0 {
		t.Errorf("a refuted headline lists %v", p.Against)
	}
}

// The count above the table says which holding claims have a part that
// does not hold, from the verdicts.
func TestTallyNamesHoldingClaimsWithARefutedPart(t *testing.T) {
	v := func(claim string, o result.Outcome, role result.Role, st string) result.Verdict {
		return result.Verdict{Claim: claim, Outcome: o, Role: role, Statement: st}
	}
	runs := []Run{{Name: "a", Summary: Summary{Verdicts: []result.Verdict{
		v("C1", result.Confirmed, result.Main, "one"),
		v("C5", result.Confirmed, result.Main, "five"), v("C5", result.Refuted, result.Supporting, "five's other part"),
		v("C10", result.Confirmed, result.Main, "ten"), v("C10", result.Refuted, result.Supporting, "ten's other part"),
		v("C10", result.Confirmed, result.Supporting, "ten's held part"),
		v("C6", result.Refuted, result.Main, "six"), v("C6", result.Refuted, result.Supporting, "six's other part"),
	}}}}
	rows := ClaimRows([]result.Claim{{ID: "C1"}, {ID: "C5"}, {ID: "C6"}, {ID: "C10"}}, runs)
	if got, want := Tally(rows), "3 hold (C1, C5, C10; C5 and C10 with a supporting claim that does not, C5's \"five's other part\" and C10's \"ten's other part\"), 1 does not hold (C6)"; got != want {
		t.Errorf("Tally %q, want %q", got, want)
	}
	rows = ClaimRows([]result.Claim{{ID: "C1"}, {ID: "C5"}}, runs)
	if got, want := Tally(rows), "2 hold (C1, C5; C5 with a supporting claim that does not, \"five's other part\")"; got != want {
		t.Errorf("Tally %q, want %q", got, want)
	}
	runs[0].Summary.Verdicts = append(runs[0].Summary.Verdicts, v("C5", result.Refuted, result.Supporting, "five's third part"))
	rows = ClaimRows([]result.Claim{{ID: "C5"}}, runs)
	if got, want := Tally(rows), "1 holds (C5; C5 with supporting claims that do not, \"five's other part\" and \"five's third part\")"; got != want {
		t.Errorf("Tally %q, want %q", got, want)
	}
	// A holding claim with a supporting verdict that holds only partly
	// names it too, in the tally and in its plain sentence.
	mixed := v("C5", result.Mixed, result.Supporting, "five's mixed part")
	untold := v("C5", result.Inconclusive, result.Supporting, "five's untold part, with a long statement")
	untold.Short = "five's own short name"
	partly := []Run{{Name: "a", Summary: Summary{Verdicts: []result.Verdict{v("C5", result.Confirmed, result.Main, "five"), mixed, untold}}}}
	rows = ClaimRows([]result.Claim{{ID: "C5"}}, partly)
	if got, want := Tally(rows), "1 holds (C5; C5 with a supporting claim this setup cannot tell, \"five's own short name\"; C5 with a supporting claim that holds only partly, \"five's mixed part\")"; got != want {
		t.Errorf("Tally %q, want %q", got, want)
	}
	if got, want := rows[0].Plain.PartialText(), "This supporting claim holds only partly: five's mixed part."; got != want {
		t.Errorf("PartialText %q, want %q", got, want)
	}
	// A claim whose only headline is a sanity check may still have
	// informative supporting verdicts: the tally says which.
	runs[0].Summary.Verdicts = append(runs[0].Summary.Verdicts, v("C4", result.Confirmed, result.Sanity, "by construction"),
		v("C9", result.Confirmed, result.Sanity, "by construction"), v("C9", result.Refuted, result.Supporting, "nine's informative part"))
	rows = ClaimRows([]result.Claim{{ID: "C4"}, {ID: "C9"}}, runs)
	if got, want := Tally(rows), "2 are only sanity checks (C4, C9; C9 also with supporting verdicts that are tested, not sanity checks: C9's \"nine's informative part\" REFUTED)"; got != want {
		t.Errorf("Tally %q, want %q", got, want)
	}
}

// Why texts shaped as the experiments write them, with parts that have an
// outcome of their own.
const (
	halvesWhy = "Kernel time over ReLU's (margin 1.5x): 4096 elements tanh 5.55x [5.09, 6.06], 16777216 elements sigmoid 1.85x [1.83, 1.87]: beyond the margin everywhere (CONFIRMED). " +
		"Extra time of the activation layers in a training step (margin 5% of ReLU's step): hidden 64x64 tanh +1.38% [+1.17, +1.59], hidden 512x512 sigmoid +0.53% [+0.44, +0.62]: below the margin everywhere (REFUTED). " +
		"Both halves together: MIXED. The timing cell had a core for 101.8% of its wall time."
	partsWhy = "lr 0.8 is the highest rate at which ReLU still trains. At lr 0.8 the 12 ReLU runs ended with 32.9% of their units dead (+0.324 [0.233, 0.416], n=12, MDE 0.13): part A (many die) CONFIRMED. " +
		"ReLU's half is MIXED: many die, but 73.9% per seed of the dead units were alive at a later epoch end (more than half; some died again), beyond the 5% that \"stay dead\" allows. " +
		"At lr 0.8 ReLU's dead fraction minus leaky's would-be-dead fraction is +10.6 points (+0.106 [-0.023, 0.234], n=11): INCONCLUSIVE; 12 of 12 prelu runs diverged (loss above the cap or not finite) instead: the fixes' half is INCONCLUSIVE. " +
		"The claim: MIXED, as ReLU's half already points both ways, whatever the fixes show."
)

func TestPartsOf(t *testing.T) {
	for _, tc := range []struct {
		name, why string
		want      []string
	}{
		{"halves in brackets, conclusion left out", halvesWhy, []string{
			"CONFIRMED kernel time over ReLU's (beyond the margin everywhere)",
			"REFUTED extra time of the activation layers in a training step (below the margin everywhere)"}},
		{"parts named with is, a sentence with numbers left out", partsWhy, []string{
			"CONFIRMED part A (many die)",
			"MIXED ReLU's half (many die, but 73.9% per seed of the dead units were alive at a later epoch end, beyond the 5% that \"stay dead\" allows)",
			"INCONCLUSIVE the fixes' half"}},
		{"no outcome words, no parts", "tanh loses 0.82 decades, less than the margin; sigmoid 18 decades.", nil},
		{"an outcome word inside brackets is not a part", "the control (which was CONFIRMED earlier) trained.", nil},
	} {
		var got []string
		for _, p := range PartsOf(result.Verdict{Outcome: result.Mixed, Why: tc.why}) {
			got = append(got, string(p.Outcome)+" "+p.String())
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// A MIXED headline names the part that does not hold, shows its halves'
// outcomes, and says which half its measured number belongs to; a MIXED
// headline whose parts cannot be read says where to find them.
func TestPlainMixedNamesItsParts(t *testing.T) {
	step := &result.Evidence{Name: "hidden 64x64: tanh layers beyond relu's, % of relu's step", Unit: "%", Estimate: est(1.3816, 1.1712, 1.5920, 25)}
	dead := &result.Evidence{Name: "ReLU final dead fraction, lr 0.8 minus lr 0.3 (per seed)", Unit: "fraction of units", Estimate: est(0.3242, 0.2328, 0.4157, 12)}
	for _, tc := range []struct {
		name string
		v    result.Verdict
		want string
	}{
		{"halves", result.Verdict{Outcome: result.Mixed, Statement: "ReLU is cheaper", Effect: step, N: 25, Rule: "per repetition", Why: halvesWhy},
			"Partly: ReLU is cheaper. Does not hold: extra time of the activation layers in a training step (below the margin everywhere). Holds: kernel time over ReLU's (beyond the margin everywhere). " +
				"Measured for extra time of the activation layers in a training step: +1.4% (tanh layers beyond relu's; 95% CI +1.2 to +1.6), 25 repetitions."},
		{"parts", result.Verdict{Outcome: result.Mixed, Statement: "many ReLU units die and stay dead", Effect: dead, N: 12, Rule: "per seed", Why: partsWhy},
			"Partly: many ReLU units die and stay dead. Holds partly: ReLU's half (many die, but 73.9% per seed of the dead units were alive at a later epoch end, beyond the 5% that \"stay dead\" allows). " +
				"Holds: part A (many die). Cannot tell: the fixes' half. Measured for part A (many die): +32 points of units (lr 0.8 minus lr 0.3; 95% CI +23 to +42), 12 seeds."},
		{"parts, effect in neither: named by its own name", result.Verdict{Outcome: result.Mixed, Statement: "x", Effect: &result.Evidence{Name: "e", Unit: "x", Estimate: est(3, 2, 4, 5)}, Why: halvesWhy},
			"Partly: x. Does not hold: extra time of the activation layers in a training step (below the margin everywhere). Holds: kernel time over ReLU's (beyond the margin everywhere). Measured (e): 3.0× (95% CI 2.0 to 4.0), n = 5."},
		{"no parts", result.Verdict{Outcome: result.Mixed, Statement: "x", Why: "tanh 0.8 decades."},
			"Partly: x. Which part does not hold: see the rule and numbers in its section."},
	} {
		v := tc.v
		if got := plainOf(ClaimRow{Main: &v}).String(); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// The chips of one claim whose short names would agree get names that
// keep the words in which their statements differ.
// A verdict's own short name is its chip's name, unless two verdicts
// with different statements would then share one.
func TestChipNames(t *testing.T) {
	v := func(statement, short string) result.Verdict {
		return result.Verdict{Statement: statement, Short: short}
	}
	got := chipNames([]result.Verdict{v("a long statement about one pair (first)", "first pair"), v("a long statement about one pair (second)", "second pair"), v("another claim entirely", "")})
	if want := []string{"first pair", "second pair", "another claim entirely"}; !slices.Equal(got, want) {
		t.Errorf("own names: %q, want %q", got, want)
	}
	got = chipNames([]result.Verdict{v("a long statement about one pair (first)", "the pair"), v("a long statement about one pair (second)", "the pair")})
	if got[0] == got[1] || got[0] == "the pair" {
		t.Errorf("clashing own names: %q, want the statements' distinct names", got)
	}
}

func TestShortNamesDistinct(t *testing.T) {
	cnn := func(what, than, note string) string {
		return "A CNN with ReLU reaches each training error of the ladder (25%, 18%, 13%) in fewer " + what + " than with " + than + ", each at its fastest learning rate (" + note + ")"
	}
	in := []string{
		cnn("updates", "tanh", "AlexNet: 6x"), cnn("updates", "sigmoid", "tanh only"),
		cnn("seconds", "tanh", "AlexNet: 6x"), cnn("seconds", "sigmoid", "tanh only"),
		"ReLU reaches 97% training accuracy in fewer updates than tanh, each at its best learning rate",
		"dead ReLU units do not recover",
		"dead ReLU units do not recover", // the same statement twice keeps its name
	}
	want := []string{
		"A CNN with ReLU … fewer updates than with tanh", "A CNN with ReLU … updates than with sigmoid",
		"A CNN with ReLU … fewer seconds than with tanh", "A CNN with ReLU … seconds than with sigmoid",
		"ReLU reaches 97% … in fewer updates than tanh",
		"dead ReLU units do not recover", "dead ReLU units do not recover",
	}
	got := ShortNames(in)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("ShortNames:\n got %q\nwant %q", got, want)
	}
	// Names that agree even without brackets keep the words that differ.
	got = ShortNames([]string{"a long statement (first) that ends the same way for both of them", "a long statement (second) that ends the same way for both of them"})
	if got[0] == got[1] || !strings.Contains(got[0], "first") || !strings.Contains(got[1], "second") {
		t.Errorf("ShortNames of statements differing in brackets: %q", got)
	}
	if got := differingNames([][]string{strings.Fields("a b c d e f x g"), strings.Fields("a b c d e f y g")}); got[0] != "a b c … x …" || got[1] != "a b c … y …" {
		t.Errorf("differingNames: %q", got)
	}
}

// A part written "With clip 5 at lr 1: ... (REFUTED)." is named by what
// follows "With".
func TestPartLabelDropsWith(t *testing.T) {
	v := result.Verdict{Outcome: result.Mixed, Why: "The plain net diverged at lr 1. With clip 5 at lr 1: 3 of 20 diverged: it does not train as well (REFUTED). With bn at lr 1: 0 of 20 diverged: it trains (CONFIRMED)."}
	parts := PartsOf(v)
	if len(parts) != 2 || parts[0].Label != "clip 5 at lr 1" || parts[1].Label != "bn at lr 1" || parts[0].Outcome != result.Refuted {
		t.Errorf("parts %+v, want clip 5 at lr 1 (REFUTED) and bn at lr 1 (CONFIRMED)", parts)
	}
}

// A REFUTED verdict whose effect is real but below its margin says so:
// "does not hold" alone would read as "no effect".
func TestPlainRealButSmall(t *testing.T) {
	v := result.Verdict{Claim: "C6", Outcome: result.Refuted, Role: result.Main, Statement: "centring speeds training",
		Effect: &result.Evidence{Name: "log10 ratio", Estimate: est(0.020, 0.013, 0.027, 12)}, Margin: result.Float(0.0414)}
	row := ClaimRow{Main: &v}
	if got := plainOf(row).String(); !strings.Contains(got, "real (its interval does not include zero) but smaller than the margin") {
		t.Errorf("real but small: %q", got)
	}
	v.Effect.Estimate = est(0.002, -0.004, 0.009, 12)
	if got := plainOf(row).String(); strings.Contains(got, "real (its interval") {
		t.Errorf("an interval containing zero read as real: %q", got)
	}
}

// A signed difference of a "fraction of X" is written in points of X, so
// that it is not read as accuracy points; accuracy, a bare fraction and
// pp stay "points", a level stays a percentage. The tooltip gives the
// margin in the unit shown, then in the rule's. An effect over no values
// is "no value".
func TestOrientation(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"test accuracy, clip 5 at lr 1 minus no remedy at its best stable lr (must exceed the margin)", "clip 5 at lr 1 minus no remedy at its best stable lr"},
		{"share of runs diverged at lr 0.3, relu/he-normal minus tanh/xavier-normal (paired seeds)", "relu/he-normal minus tanh/xavier-normal"},
		{"relu - tanh, exact zeros after training", "relu minus tanh"},
		{"tanh / relu updates to 25% training error, paired seeds", "tanh / relu"},
		{"log10 of mean training loss, relu/raw over relu-centred/raw", "relu/raw over relu-centred/raw"},
		{"hidden 64x64: tanh layers beyond relu's, % of relu's step", "tanh layers beyond relu's"},
		{"born-dead share at width 2, depth 10: He minus asymmetric init", "He minus asymmetric init"},
		{"relu n=2000: gap at 0.99 training accuracy, no dropout minus dropout 0.2/0.5", "no dropout minus dropout 0.2/0.5"},
		{"tanh xavier-normal: decades lost, last to first hidden layer, depth 30", ""},
		{"share of nets born dead (a minus b in brackets)", ""},
	} {
		if got := orientation(tc.name); got != tc.want {
			t.Errorf("orientation(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestPlainEffectUnits(t *testing.T) {
	for _, tc := range []struct {
		name, effect, unit string
		est                ci.Estimate
		margin             float64
		want, tooltip      string
	}{
		{"difference of a fraction of runs", "diverged share, relu minus tanh", "fraction of runs", est(-0.95, -1, -0.9, 20), 0.1,
			"-95 points of runs (relu minus tanh; 95% CI -100 to -90)", "diverged share, relu minus tanh; margin 10 points of runs (0.1 fraction of runs)"},
		{"difference of a fraction of units", "dead units, a minus b", "fraction of units", est(0.32, 0.23, 0.42, 12), 0.05,
			"+32 points of units (a minus b; 95% CI +23 to +42)", "margin 5 points of units (0.05 fraction of units)"},
		{"difference of accuracies", "test accuracy, bn minus plain", "accuracy", est(0.056, 0.046, 0.065, 20), 0.01,
			"+5.6 points (bn minus plain; 95% CI +4.6 to +6.5)", "margin 1 point (0.01 accuracy)"},
		{"difference of a bare fraction", "exact zeros, relu minus tanh", "fraction", est(0.458, 0.453, 0.464, 20), 0.25,
			"+45.8 points (relu minus tanh; 95% CI +45.3 to +46.4)", "margin 25 points (0.25 fraction)"},
		{"difference in pp", "gap, n=500 minus n=2000", "pp", est(2.83, 2.23, 3.44, 10), 0.5,
			"+2.8 points (n=500 minus n=2000; 95% CI +2.2 to +3.4)", "margin 0.5 pp"},
		{"level of a fraction of nets", "share of nets born dead", "fraction of nets", est(0.9045, 0.8986, 0.9101, 100), 0.5,
			"90.5% (share of nets born dead; 95% CI 89.9 to 91.0)", "margin 50% (0.5 fraction of nets)"},
		{"level whose quantity starts with its unit", "tanh xavier-normal: decades lost, last to first hidden layer, depth 30", "decades", est(0.8214, 0.7983, 0.8444, 10), 1,
			"0.82 decades lost (95% CI 0.80 to 0.84)", "margin 1 decades"},
		{"level in a unit the quantity does not start with", "tanh per-layer growth of ||dL/dz|| at g=3", "decades per layer", est(0.0445, 0.0441, 0.0450, 10), 0.0333,
			"0.044 decades per layer (tanh per-layer growth of ||dL/dz|| at g=3; 95% CI", "margin 0.0333 decades per layer"},
		{"no value", "gap, none minus dropout", "pp", est(math.NaN(), math.NaN(), math.NaN(), 0), 0.5,
			"no value (n=0)", "margin 0.5 pp"},
		// An end near the margin is shown to the margin's precision, so
		// that its side can be read; far from it, two digits do.
		{"ratio with an end near the margin", "sigmoid / relu updates, paired seeds", "x", est(1.1737, 1.078, 1.2777, 20), 1.25,
			"1.17× (sigmoid / relu; 95% CI 1.08 to 1.28)", "margin 1.25 x"},
		{"ratio far from the margin", "sigmoid / relu updates, paired seeds", "x", est(4.6467, 3.9558, 5.4582, 20), 1.25,
			"4.6× (sigmoid / relu; 95% CI 4.0 to 5.5)", "margin 1.25 x"},
		{"refuted: above zero, below the margin", "leaky minus ReLU, layer 2-3: share that came back", "fraction of units", est(0.056, 0.014, 0.098, 40), 0.1,
			"+5.6 points of units (leaky minus ReLU; 95% CI +1.4 to +9.8, above zero but below the 10-point margin)", "margin 10 points of units (0.1 fraction of units)"},
		{"refuted: reaching zero, below the margin", "relu - leaky, test accuracy", "accuracy", est(0.00043, -0.00027, 0.00112, 100), 0.0025,
			"+0.043 points (relu minus leaky; 95% CI -0.027 to +0.112, below the 0.25-point margin)", "margin 0.25 points (0.0025 accuracy)"},
		{"refuted: past minus the margin, no note", "relu - leaky, test accuracy", "accuracy", est(-0.005, -0.007, -0.003, 100), 0.0025,
			"-0.50 points (relu minus leaky; 95% CI -0.70 to -0.30)", "margin 0.25 points (0.0025 accuracy)"},
		{"inconclusive: straddling a ratio margin", "sigmoid / relu updates, paired seeds", "x", est(1.1737, 1.078, 1.2777, 20), 1.25,
			"1.17× (sigmoid / relu; 95% CI 1.08 to 1.28, straddling the 1.25× margin)", "margin 1.25 x"},
		{"refuted: a log ratio above 1, below the margin", "log10 of mean training loss, relu/raw over relu-centred/raw", "log10 ratio", est(0.0202, 0.0130, 0.0275, 12), 0.04139,
			"1.05× (relu/raw over relu-centred/raw; 95% CI 1.03 to 1.07, above 1 but below the 1.1× margin)", "margin 0.0414 (×1.1)"},
		{"mean just below the margin", "test accuracy, twosided:w minus relu:matched", "accuracy", est(0.004952, 0.00349, 0.00641, 64), 0.005,
			"+0.495 points (twosided:w minus relu:matched; 95% CI +0.349 to +0.641)", "margin 0.5 points (0.005 accuracy)"},
		{"difference with an end near the margin", "tanh layers beyond relu's, % of relu's step", "%", est(2.9757, 2.4426, 4.97, 20), 5,
			"+2.98% (tanh layers beyond relu's; 95% CI +2.44 to +4.97)", "margin 5 %"},
	} {
		v := result.Verdict{Effect: &result.Evidence{Name: tc.effect, Unit: tc.unit, Estimate: tc.est}, Margin: result.Float(tc.margin), N: tc.est.N}
		switch {
		case strings.HasPrefix(tc.name, "refuted"):
			v.Outcome = result.Refuted
		case strings.HasPrefix(tc.name, "inconclusive"):
			v.Outcome = result.Inconclusive
		}
		got, tooltip := PlainEffect(v)
		if !strings.HasPrefix(got, tc.want) || strings.Contains(got, "NaN") {
			t.Errorf("%s: %q, want it to start %q", tc.name, got, tc.want)
		}
		if !strings.HasSuffix(tooltip, tc.tooltip) {
			t.Errorf("%s: tooltip %q, want it to end %q", tc.name, tooltip, tc.tooltip)
		}
	}
}

func TestLevelName(t *testing.T) {
	cases := []struct{ name, want string }{
		{"tanh xavier-normal: decades lost, last to first hidden layer, depth 30", "decades lost"},
		{"tanh per-layer growth of ||dL/dz|| at g=3, depth 50 (a bounded activation that explodes too)", "tanh per-layer growth of ||dL/dz|| at g=3, depth 50"},
		{"share of width-2, depth-10 nets constant on [-1, 1]", "share of width-2, depth-10 nets constant on [-1, 1]"},
		{"relu outputs (raw pixels) (all >= 0), batch 4: same-sign fraction, the judged point nearest the 0.5 floor", "same-sign fraction"},
		{"share of deeper-layer dead units that recovered (per seed)", "share of deeper-layer dead units that recovered"},
	}
	for _, c := range cases {
		if got := levelName(c.name); got != c.want {
			t.Errorf("levelName(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

// A chip's level effect keeps whose it is, as its cut statement may not.
func TestChipLevelSubject(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"relu classic: decades lost, last to first hidden layer, depth 30", "relu classic: 11.27 decades lost"},
		{"relu outputs (raw pixels) (all >= 0), batch 4: same-sign fraction", "relu outputs, batch 4: 11.27 (same-sign fraction"},
		{"share of deeper-layer dead units that recovered (per seed)", "11.27 (share of deeper-layer dead units that recovered"},
		// A difference names its sides already.
		{"test accuracy, relu minus tanh: depth 30", "+1127 points (relu minus tanh"},
	} {
		unit := "decades"
		if strings.Contains(tc.name, "accuracy") {
			unit = "accuracy"
		}
		if strings.Contains(tc.name, "fraction") || strings.Contains(tc.name, "share") {
			unit = ""
		}
		v := result.Verdict{Outcome: result.Refuted, Role: result.Supporting, Statement: "s",
			Effect: &result.Evidence{Name: tc.name, Estimate: metrics.Estimate{Mean: 11.272, Lo: 11.236, Hi: 11.308, N: 10}, Unit: unit}}
		if got := chipsOf([]result.Verdict{v})[0].Effect; !strings.HasPrefix(got, tc.want) {
			t.Errorf("%q: chip effect %q, want it to start %q", tc.name, got, tc.want)
		}
	}
}

// A holding headline names the supporting claims this setup could not
// tell, in its sentence and in the count above the table; a refuted
// headline does not.
func TestPlainAndTallyNameUntoldSupportingParts(t *testing.T) {
	v := func(claim string, o result.Outcome, role result.Role, st string) result.Verdict {
		return result.Verdict{Claim: claim, Outcome: o, Role: role, Statement: st, Caveat: "c"}
	}
	runs := []Run{{Name: "a", Summary: Summary{Verdicts: []result.Verdict{
		v("C5", result.Confirmed, result.Main, "sparse"), v("C5", result.Inconclusive, result.Supporting, "sparsity helps"),
		v("C5", result.Inconclusive, result.Supporting, "training makes it sparser"),
		v("C10", result.Confirmed, result.Main, "ten"), v("C10", result.Refuted, result.Supporting, "ten's other part"),
		v("C6", result.Refuted, result.Main, "six"), v("C6", result.Inconclusive, result.Supporting, "six's other part"),
	}}}}
	rows := ClaimRows([]result.Claim{{ID: "C5"}, {ID: "C6"}, {ID: "C10"}}, runs)
	if got := rows[0].Plain.String(); !strings.Contains(got, "This setup cannot tell these supporting claims: sparsity helps; training makes it sparser.") {
		t.Errorf("C5 plain %q: want the untold parts named", got)
	}
	if u := rows[1].Plain.Untold; len(u) != 0 {
		t.Errorf("a refuted headline lists untold parts %v", u)
	}
	want := "2 hold (C5, C10; C10 with a supporting claim that does not, \"ten's other part\"; C5 with supporting claims this setup cannot tell, \"sparsity helps\" and \"training makes it sparser\"), 1 does not hold (C6)"
	if got := Tally(rows); got != want {
		t.Errorf("Tally %q, want %q", got, want)
	}
}

// A widened interval is not called a plain 95% CI, on the first screen
// or in the full report.
func TestWidenedIntervalIsNamed(t *testing.T) {
	e := &result.Evidence{Name: "tanh / relu seconds, paired seeds", Unit: "x", Estimate: est(0.81, 0.76, 0.87, 20), Interval: "95% CI widened by the null arm's reach"}
	got, _ := PlainEffect(result.Verdict{Effect: e, Margin: result.Float(1.25), N: 20})
	if !strings.Contains(got, "95% CI widened by the null arm's reach 0.76 to 0.87") {
		t.Errorf("PlainEffect %q: want the widened interval named", got)
	}
	if got := FormatEstimate(*e); !strings.Contains(got, "(95% CI widened by the null arm's reach, n=20)") {
		t.Errorf("FormatEstimate %q: want the widened interval named", got)
	}
	e.Interval = ""
	if got := FormatEstimate(*e); !strings.Contains(got, "(95% CI, n=20)") {
		t.Errorf("FormatEstimate %q: want a plain CI", got)
	}
}

// A verdict's Context reaches the first screen: a sanity-only claim's
// from each of its checks, a tested claim's from its main verdict; a
// check not tested gives none.
func TestPlainShowsContext(t *testing.T) {
	v := func(claim string, o result.Outcome, role result.Role, ctx string) result.Verdict {
		return result.Verdict{Claim: claim, Outcome: o, Role: role, Statement: "s", Caveat: "c", Context: ctx}
	}
	notTested := v("C12", result.Inconclusive, result.Sanity, "never shown")
	notTested.NotTested = true
	runs := []Run{{Name: "a", Summary: Summary{Verdicts: []result.Verdict{
		v("C12", result.Confirmed, result.Sanity, "it was 4.2 points less accurate."),
		v("C12", result.Confirmed, result.Sanity, "it has 1.15x the parameters"),
		notTested,
		v("C8", result.Mixed, result.Main, "layer 1's units stayed dead"),
		v("C8", result.Refuted, result.Supporting, "not this one"),
	}}}}
	rows := ClaimRows([]result.Claim{{ID: "C8"}, {ID: "C12"}}, runs)
	if got, want := rows[1].Plain.ContextText(), "Beside this: it was 4.2 points less accurate; it has 1.15x the parameters."; got != want {
		t.Errorf("C12 context %q, want %q", got, want)
	}
	if got := rows[0].Plain.String(); !strings.HasSuffix(got, "Beside this: layer 1's units stayed dead.") {
		t.Errorf("C8 plain %q: want the main verdict's context at the end", got)
	}
}

// A supporting verdict's Context reaches its chip; a sanity check's does
// not (the headline gives it).
func TestChipContext(t *testing.T) {
	chips := chipsOf([]result.Verdict{
		{Claim: "C8", Outcome: result.Refuted, Role: result.Supporting, Statement: "fixes' units come back", Context: "the pairs hold 11% of leaky's units."},
		{Claim: "C8", Outcome: result.Confirmed, Role: result.Sanity, Statement: "a check", Context: "given by the headline"},
	})
	if got := chips[0].Text(); !strings.HasSuffix(got, "(beside this: the pairs hold 11% of leaky's units)") {
		t.Errorf("supporting chip %q: want its context", got)
	}
	if chips[1].Context != "" {
		t.Errorf("sanity chip context %q, want none", chips[1].Context)
	}
}

// The note under a badge names (or, when many, counts) the tested
// supporting verdicts that differ from the headline, and says what a
// sanity headline leaves out.
func TestBadgeNote(t *testing.T) {
	chip := func(o result.Outcome, name string, notTested bool) Chip {
		return Chip{Outcome: o, Role: result.Supporting, Name: name, NotTested: notTested}
	}
	control := func(o result.Outcome, name string) Chip {
		return Chip{Outcome: o, Role: result.Supporting, Name: name, Control: true}
	}
	sanity := Chip{Outcome: result.Refuted, Role: result.Sanity, Name: "a check"}
	for _, tc := range []struct {
		name    string
		outcome result.Outcome
		chips   []Chip
		want    string
	}{
		{"no supporting verdict", result.Confirmed, nil, ""},
		{"all agree", result.Confirmed, []Chip{chip(result.Confirmed, "a", false)}, ""},
		{"a sanity check is not counted", result.Confirmed, []Chip{sanity}, ""},
		{"one differs: named", result.Confirmed, []Chip{chip(result.Confirmed, "a", false), chip(result.Refuted, "ReLU overfits more", false)}, "main statement only; beside it, REFUTED: ReLU overfits more"},
		{"two differ: both named", result.Confirmed, []Chip{chip(result.Inconclusive, "b", false), chip(result.Refuted, "c", false)}, "main statement only; beside it, INCONCLUSIVE: b; REFUTED: c"},
		{"three differ: counted out of all tested", result.Refuted, []Chip{chip(result.Mixed, "a", false), chip(result.Refuted, "b", false), chip(result.Inconclusive, "c", false), chip(result.Confirmed, "d", false)}, "main statement only; 3 of its 4 other tested verdicts differ: 1 CONFIRMED, 1 MIXED, 1 INCONCLUSIVE"},
		{"a MIXED headline says it holds in part", result.Mixed, []Chip{chip(result.Refuted, "b", false)}, ""},
		{"beyond the blog", result.Confirmed, []Chip{{Outcome: result.Refuted, Role: result.Supporting, Name: "x", Statement: "(beyond the blog) x y"}}, "main statement only; beside it, REFUTED: x (beyond the blog)"},
		{"not tested is left out", result.Confirmed, []Chip{chip(result.Refuted, "a", true)}, ""},
		{"sanity headline", "", []Chip{sanity, chip(result.Refuted, "dead units account …", false)}, "decides nothing; beside it, REFUTED: dead units account …"},
		{"controls that hold are not dissent", result.Refuted, []Chip{control(result.Confirmed, "sigmoid"), control(result.Confirmed, "pixels"), chip(result.Mixed, "minibatch", false), chip(result.Refuted, "batch 1", false)},
			"main statement only; beside it, MIXED: minibatch; its 2 positive controls in this setting: 2 CONFIRMED, so the measure can show an effect where one is known to exist"},
		{"a control that fails says so", result.Refuted, []Chip{control(result.Confirmed, "sigmoid"), control(result.Inconclusive, "pixels")},
			"main statement only; its other tested verdicts agree; its 2 positive controls in this setting: 1 CONFIRMED, 1 INCONCLUSIVE, so the measure may not show the effect even there"},
		{"one control", result.Refuted, []Chip{control(result.Confirmed, "sigmoid"), chip(result.Refuted, "b", false)}, "main statement only; its other tested verdicts agree; its 1 positive control in this setting: 1 CONFIRMED, so the measure can show an effect where one is known to exist"},
		{"under MIXED, controls too are left to the chips", result.Mixed, []Chip{control(result.Refuted, "sigmoid")}, ""},
	} {
		r := ClaimRow{Outcome: tc.outcome, Chips: tc.chips}
		if got := r.BadgeNote(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	// A main verdict on a knife edge says so first, under any headline.
	fragile := &result.Verdict{Outcome: result.Mixed, Fragile: "on a knife edge: INCONCLUSIVE without any one of 14 of its 24 seeds"}
	if got := (ClaimRow{Outcome: result.Mixed, Main: fragile}).BadgeNote(); got != fragile.Fragile {
		t.Errorf("fragile MIXED: %q", got)
	}
	fragile.Outcome = result.Confirmed
	r := ClaimRow{Outcome: result.Confirmed, Main: fragile, Chips: []Chip{chip(result.Refuted, "ReLU overfits more", false)}}
	if got, want := r.BadgeNote(), fragile.Fragile+"; main statement only; beside it, REFUTED: ReLU overfits more"; got != want {
		t.Errorf("fragile CONFIRMED: %q, want %q", got, want)
	}
}

// A chip's label says when its verdict is a sanity check, a part or a
// positive control.
func TestChipLabel(t *testing.T) {
	for _, tc := range []struct {
		c    Chip
		want string
	}{
		{Chip{Outcome: result.Refuted, Role: result.Supporting}, "REFUTED"},
		{Chip{Outcome: result.Confirmed, Role: result.Supporting, Control: true}, "control CONFIRMED"},
		{Chip{Outcome: result.Confirmed, Role: result.Sanity}, "sanity CONFIRMED"},
		{Chip{Outcome: result.Mixed, Role: result.Part}, "part MIXED"},
		{Chip{Outcome: result.Refuted, Role: result.Supporting, NotTested: true}, "not tested"},
	} {
		if got := tc.c.Label(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
	}
}

// Chips list the tests first, then the positive controls, then the
// sanity checks, each group in the order given.
func TestChipsOrder(t *testing.T) {
	v := func(s string, role result.Role, control bool) result.Verdict {
		return result.Verdict{Statement: s, Role: role, Control: control, Outcome: result.Confirmed}
	}
	chips := chipsOf([]result.Verdict{v("a control one", result.Supporting, true), v("a sanity check", result.Sanity, false), v("a test one", result.Supporting, false),
		v("a control two", result.Supporting, true), v("a test two", result.Supporting, false)})
	var got []string
	for _, c := range chips {
		got = append(got, c.Statement)
	}
	if want := []string{"a test one", "a test two", "a control one", "a control two", "a sanity check"}; !slices.Equal(got, want) {
		t.Errorf("chip order %q, want %q", got, want)
	}
	// An exploratory verdict has no chip.
	explored := v("an exploration", result.Supporting, false)
	explored.Exploratory = true
	if chips := chipsOf([]result.Verdict{v("a test one", result.Supporting, false), explored}); len(chips) != 1 || chips[0].Statement != "a test one" {
		t.Errorf("chips %+v, want the test alone", chips)
	}
}

// A conclusion with a short label is the part left out, not the last
// reading before it when that reading has the verdict's outcome (review
// 23a: C6's REFUTED reading at half the run was dropped as if it were the
// conclusion).
func TestPartsOfKeepsLastReading(t *testing.T) {
	why := "Over the whole run: REFUTED, below the margin. Over the first 1600 examples: REFUTED, below it. " +
		"In examples to the uncentred arm's loss after 1600 examples: INCONCLUSIVE, the interval straddles the margin. " +
		"In examples to its loss at half the run: REFUTED, below it. Learning rates: 0.18. " +
		"The mean loss over its horizons reads refuted, the examples to the targets refuted. " +
		"The two measures together: REFUTED (by the rule fixed before these seeds were run, docs/c6-confirmation-2.md)."
	var got []string
	for _, p := range PartsOf(result.Verdict{Outcome: result.Refuted, Why: why}) {
		got = append(got, string(p.Outcome)+" "+p.Label)
	}
	want := []string{"REFUTED over the whole run", "REFUTED over the first 1600 examples", "INCONCLUSIVE in examples to the uncentred arm's loss after 1600 examples", "REFUTED in examples to its loss at half the run"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// The first screen keeps a context's facts while they fit its budget, the
// first one always, and counts the rest.
func TestGlanceClauses(t *testing.T) {
	for _, tc := range []struct {
		text   string
		budget int
		want   string
	}{
		{"short", 100, "short"},
		{"aaaa; bbbb; cccc", 100, "aaaa; bbbb; cccc"},
		{"aaaa; bbbb; cccc", 11, "aaaa; bbbb; and 1 more fact under the verdict in its experiment's section"},
		{"aaaa; bbbb; cccc", 6, "aaaa; and 2 more facts under the verdict in its experiment's section"},
		{"a long first fact; b", 3, "a long first fact; and 1 more fact under the verdict in its experiment's section"},
		{"(x; y) and z; w", 13, "(x; y) and z; and 1 more fact under the verdict in its experiment's section"},
	} {
		if got := glanceClauses(tc.text, tc.budget); got != tc.want {
			t.Errorf("glanceClauses(%q, %d) = %q, want %q", tc.text, tc.budget, got, tc.want)
		}
	}
}

// Claims in detail carries a claim's robustness line, as the first screen
// does.
func TestClaimsInDetailRobustness(t *testing.T) {
	out := t.TempDir()
	if err := WriteExperiment(filepath.Join(out, "sample"), sampleResult()); err != nil {
		t.Fatal(err)
	}
	run, err := LoadRun(out, "sample")
	if err != nil {
		t.Fatal(err)
	}
	s := NewSite([]result.Claim{{ID: "C9", Blog: "the blog's claim"}}, []Run{run}, Environment{})
	s.Claims[0].Elsewhere = "Robustness: differs on Fashion-MNIST"
	md, err := s.Markdown()
	if err != nil {
		t.Fatal(err)
	}
	detail := md[strings.Index(md, "## Claims in detail"):]
	row := detail[strings.Index(detail, "| C9 |"):]
	row = row[:strings.Index(row, "\n")]
	if !strings.Contains(row, "Robustness: differs on Fashion-MNIST.") {
		t.Errorf("Claims in detail row lacks the robustness line: %s", row)
	}
}
