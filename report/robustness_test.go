package report

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/result"
)

func robustnessClaims() []result.Claim {
	return []result.Claim{{ID: "C4", Blog: "derivative"}, {ID: "C5", Blog: "sparse"}, {ID: "C6", Blog: "zig-zag"}}
}

// mainVerdict is a claim's main verdict with an effect of the given mean.
func mainVerdict(claim string, o result.Outcome, mean float64) result.Verdict {
	e := result.Evidence{Name: "effect", Estimate: est(mean, mean-0.1, mean+0.1, 10)}
	return result.Verdict{Claim: claim, Role: result.Main, Outcome: o, Statement: "s", Effect: &e}
}

func robustnessRun(name string, config any, vs ...result.Verdict) Run {
	return Run{Name: name, Summary: Summary{Experiment: name, Config: config, Verdicts: vs}, Timing: map[string]string{"finished_utc": "2026-12-02T07:00:00Z"}}
}

func TestNewRobustness(t *testing.T) {
	sanity := result.Verdict{Claim: "C4", Role: result.Sanity, Outcome: result.Confirmed, Statement: "by construction"}
	main := []Run{
		robustnessRun("sparsity", map[string]any{}, mainVerdict("C5", result.Confirmed, 0.45), sanity),
		robustnessRun("zerocentered", map[string]any{}, mainVerdict("C6", result.Refuted, 0.02)),
	}
	extra := []RobustnessRun{
		// The same outcome on Fashion-MNIST: no flip.
		{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("sparsity", nil, mainVerdict("C5", result.Confirmed, 0.5))},
		// Another outcome with twice the budget: a flip, listed.
		{Setting: Setting{Dataset: "mnist", Profile: "long"}, Run: robustnessRun("zerocentered", nil, mainVerdict("C6", result.Confirmed, 0.2))},
	}
	rob := NewRobustness(robustnessClaims(), main, extra)
	if len(rob.Columns) != 4 || rob.Columns[0] != reportSetting {
		t.Fatalf("columns %v: want the four standard settings, the report's first", rob.Columns)
	}
	if len(rob.Rows) != 2 || rob.Rows[0].Claim != "C5" || rob.Rows[1].Claim != "C6" {
		t.Fatalf("rows %+v: want C5 and C6 (C4 has only a sanity check)", rob.Rows)
	}
	c5, c6 := rob.Rows[0], rob.Rows[1]
	if got := c5.Cells[2]; got.Outcome != result.Confirmed || got.Flips {
		t.Errorf("C5 on Fashion-MNIST: %+v, want CONFIRMED without a flip", got)
	}
	if got := c5.Cells[1]; got.Outcome != "" || got.Text() != "not run yet" {
		t.Errorf("C5 with twice the budget: %+v (%q), want not run yet", got, got.Text())
	}
	if got := c6.Cells[1]; got.Outcome != result.Confirmed || !got.Flips || got.Finished != "2026-12-02T07:00:00Z" {
		t.Errorf("C6 with twice the budget: %+v, want a CONFIRMED flip with its time", got)
	}
	if len(c5.Flips) != 0 || len(c6.Flips) != 1 || !strings.Contains(c6.Flips[0], "report: REFUTED") || !strings.Contains(c6.Flips[0], "MNIST, 2x budget: CONFIRMED") {
		t.Errorf("flip lines C5 %q, C6 %q", c5.Flips, c6.Flips)
	}
	if st := rob.Steadiness(); strings.Join(st.Tested, ",") != "C5,C6" || strings.Join(st.Differs, ",") != "C6" || strings.Join(st.Everywhere, ",") != "C6" {
		t.Errorf("steadiness %+v: want C5 and C6 tested, C6 differing everywhere", st)
	} else if got, want := st.Sentence(), "Of the 2 claims whose headline was recomputed with numbers of its own on the other data set or budget (see Robustness), C6 gets another verdict in at least one setting (C6 in every one)."; got != want {
		t.Errorf("sentence %q, want %q", got, want)
	}
	md := rob.Markdown()
	for _, want := range []string{"| C6 | REFUTED", "**CONFIRMED** (changed)", "Verdicts that change with the setting", "zerocentered (2026-12-02T07:00:00Z)"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if empty := NewRobustness(robustnessClaims(), main, nil).Markdown(); !strings.Contains(empty, noRobustnessRuns) {
		t.Errorf("without robustness runs the section does not say so:\n%s", empty)
	}
	// The first screen's line: C5 agrees in its one other setting, C6
	// differs in its one, C4 has no row.
	for claim, want := range map[string]string{
		"C5": "Robustness: the same verdict in 1 of 1 other settings run",
		"C6": "Robustness: the same verdict in 0 of 1 other settings run; differs on MNIST, 2x budget (CONFIRMED)",
		"C4": "",
	} {
		if got := rob.Elsewhere(claim); got != want {
			t.Errorf("Elsewhere(%s) = %q, want %q", claim, got, want)
		}
	}
	// A setting that gives the report's very numbers tests nothing, and
	// the line says so.
	same := NewRobustness(robustnessClaims(), main, []RobustnessRun{{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("sparsity", nil, mainVerdict("C5", result.Confirmed, 0.45))}})
	if got := same.Elsewhere("C5"); !strings.HasPrefix(got, "Robustness: not tested by the 1 other settings run (they give the report's very numbers") || strings.Contains(got, "the same verdict") {
		t.Errorf("identical numbers: %q", got)
	}
	// The same outcome of another comparison (an effect named otherwise)
	// is said in its cell and not counted as the same verdict.
	otherEffect := mainVerdict("C5", result.Confirmed, 0.5)
	otherEffect.Effect.Name = "another effect"
	other := NewRobustness(robustnessClaims(), main, []RobustnessRun{{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("sparsity", nil, otherEffect)}})
	if cell := other.Rows[0].Cells[2]; !strings.Contains(cell.Text(), "(not the same comparison: here another effect, in the report effect)") || cell.Flips {
		t.Errorf("another comparison's cell %q (flips %v)", cell.Text(), cell.Flips)
	}
	if got, want := other.Elsewhere("C5"), "Robustness: of 1 other settings run, the same verdict on the same comparison in 0 and the same outcome (CONFIRMED) on another comparison in 1 (Fashion-MNIST, report budget: see Robustness)"; got != want {
		t.Errorf("Elsewhere with another comparison = %q, want %q", got, want)
	}
	// Another outcome of another comparison: marked in its cell too, and
	// counted apart from a change on the same comparison.
	otherFlip := otherEffect
	otherFlip.Outcome = result.Refuted
	flipped := NewRobustness(robustnessClaims(), main, []RobustnessRun{{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("sparsity", nil, otherFlip)}})
	if cell := flipped.Rows[0].Cells[2]; !cell.Flips || !strings.Contains(cell.Text(), "not the same comparison") {
		t.Errorf("a flip of another comparison: %q", cell.Text())
	}
	if st := flipped.Steadiness(); strings.Join(st.Differs, ",") != "C5" {
		t.Errorf("steadiness %+v: want C5 changed", st)
	}
	// Another outcome in every setting, one of them on another
	// comparison: every one, and the count of those on another.
	sameFlip := mainVerdict("C5", result.Refuted, 0.5)
	both := NewRobustness(robustnessClaims(), main, []RobustnessRun{
		{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("sparsity", nil, otherFlip)},
		{Setting: Setting{Dataset: "mnist", Profile: "long"}, Run: robustnessRun("sparsity", nil, sameFlip)},
	})
	if st := both.Steadiness(); strings.Join(st.Differs, ",") != "C5" || strings.Join(st.Everywhere, ",") != "C5" || st.OtherOf["C5"] != 1 {
		t.Errorf("steadiness %+v: want C5 changed everywhere, once on another comparison", st)
	}
	site := Site{Claims: ClaimRows(robustnessClaims(), main)}
	site.SetRobustness(rob)
	if site.Robustness == nil || site.Claims[2].Elsewhere != rob.Elsewhere("C6") {
		t.Errorf("SetRobustness left row C6 with %q", site.Claims[2].Elsewhere)
	}
	md, err := site.Markdown()
	if err != nil || !strings.Contains(md, "differs on MNIST, 2x budget (CONFIRMED)") {
		t.Errorf("the first screen lacks the robustness line (%v)", err)
	}
	if page, err := site.HTML(); err != nil || !strings.Contains(string(page), `<a class="elsewhere" href="#robustness">Robustness: the same verdict in 0 of 1`) {
		t.Errorf("the HTML first screen lacks the robustness line (%v)", err)
	}
}

// The setting of a run on disk comes from its configuration's data set and
// its manifest's profile, not from the folder's name.
func TestLoadRobustness(t *testing.T) {
	out := t.TempDir()
	if runs, err := LoadRobustness(out); err != nil || runs != nil {
		t.Fatalf("no robustness folder: %v, %v; want nothing and no error", runs, err)
	}
	write := func(part, name string, config map[string]any, profile string) {
		dir := filepath.Join(out, RobustnessDir, part, name)
		if err := os.MkdirAll(filepath.Join(dir, "cells"), 0o755); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(Summary{Experiment: name, Config: config, Verdicts: []result.Verdict{mainVerdict("C5", result.Confirmed, 0.4)}})
		if err := os.WriteFile(filepath.Join(dir, "summary.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		m, _ := json.Marshal(map[string]any{"experiment": name, "profile": profile})
		if err := os.WriteFile(filepath.Join(dir, "cells", "manifest.json"), m, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("any-name", "sparsity", map[string]any{"dataset": "fashion-mnist"}, "long")
	write("other", "twosided", map[string]any{"epochs": 5}, "")
	// A shard's records without a summary are skipped.
	if err := os.MkdirAll(filepath.Join(out, RobustnessDir, "other", "dying", "cells"), 0o755); err != nil {
		t.Fatal(err)
	}
	runs, err := LoadRobustness(out)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Setting{}
	for _, r := range runs {
		got[r.Run.Name] = r.Setting
	}
	want := map[string]Setting{"sparsity": {Dataset: "fashion-mnist", Profile: "long"}, "twosided": {Dataset: "mnist"}}
	if len(got) != len(want) || got["sparsity"] != want["sparsity"] || got["twosided"] != want["twosided"] {
		t.Errorf("settings %v, want %v", got, want)
	}
}

// A supporting verdict whose outcome changes with the setting is listed
// apart, even when the headline stays.
func TestRobustnessSupportFlips(t *testing.T) {
	sup := func(o result.Outcome) result.Verdict {
		return result.Verdict{Claim: "C5", Role: result.Supporting, Outcome: o, Statement: "Training with an L1 penalty makes them sparser"}
	}
	main := []Run{robustnessRun("sparsity", map[string]any{}, mainVerdict("C5", result.Confirmed, 0.45), sup(result.Inconclusive))}
	extra := []RobustnessRun{{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("sparsity", nil, mainVerdict("C5", result.Confirmed, 0.5), sup(result.Confirmed))}}
	rob := NewRobustness(robustnessClaims(), main, extra)
	flips := rob.SupportFlipLines()
	if len(rob.FlipLines()) != 0 || len(flips) != 1 || !strings.Contains(flips[0], "Fashion-MNIST, report budget") || !strings.Contains(flips[0], "CONFIRMED") || !strings.Contains(flips[0], "report: INCONCLUSIVE") {
		t.Errorf("flips %q, support flips %q: want one supporting flip on Fashion-MNIST", rob.FlipLines(), flips)
	}
	if md := rob.Markdown(); !strings.Contains(md, "Parts and supporting verdicts that change with the setting") {
		t.Errorf("markdown does not list the supporting flip:\n%s", md)
	}
	// Matched by statement: a setting with one supporting verdict fewer
	// (another experiment not run there) still lists the flip, and a
	// verdict whose statement is not the report's is not set against it.
	other := result.Verdict{Claim: "C5", Role: result.Supporting, Outcome: result.Refuted, Statement: "another experiment's part"}
	main[0].Summary.Verdicts = append([]result.Verdict{other}, main[0].Summary.Verdicts...)
	extra[0].Run.Summary.Verdicts = append(extra[0].Run.Summary.Verdicts, result.Verdict{Claim: "C5", Role: result.Supporting, Outcome: result.Confirmed, Statement: "an older wording of a part"})
	flips = NewRobustness(robustnessClaims(), main, extra).SupportFlipLines()
	if len(flips) != 1 || !strings.Contains(flips[0], "report: INCONCLUSIVE") {
		t.Errorf("support flips %q: want the L1 flip only", flips)
	}
	// A statement that names the data set matches across data sets.
	onData := func(title string, o result.Outcome) result.Verdict {
		return result.Verdict{Claim: "C5", Role: result.Supporting, Outcome: o, Statement: "a deep net stalls on " + title}
	}
	main[0].Summary.Verdicts = append(main[0].Summary.Verdicts, onData("MNIST", result.Confirmed))
	extra[0].Run.Summary.Verdicts = append(extra[0].Run.Summary.Verdicts, onData("Fashion-MNIST", result.Inconclusive))
	flips = NewRobustness(robustnessClaims(), main, extra).SupportFlipLines()
	if len(flips) != 2 || !strings.Contains(flips[1], "stalls on MNIST\": INCONCLUSIVE") {
		t.Errorf("support flips %q: want the data-set statement matched", flips)
	}
}

// A clean clone has no cells folders: the profile must come from the
// committed summary's reproducing command.
func TestSettingFromCommand(t *testing.T) {
	for _, tc := range []struct {
		command, want string
		ok            bool
	}{
		{"reluexp run twosided --profile=long", "long", true},
		{"reluexp run twosided --dataset=fashion-mnist --profile long", "long", true},
		{"reluexp run twosided --profile=default", "", true},
		{"reluexp run twosided --dataset=fashion-mnist", "", false},
	} {
		if got, ok := commandProfile(tc.command); got != tc.want || ok != tc.ok {
			t.Errorf("%q: %q, %v; want %q, %v", tc.command, got, ok, tc.want, tc.ok)
		}
	}
	run := Run{Name: "twosided", Summary: Summary{Command: "reluexp run twosided --profile=long", Config: map[string]any{"dataset": "fashion-mnist"}}}
	if got := settingOf(t.TempDir(), run); got != (Setting{Dataset: "fashion-mnist", Profile: "long"}) {
		t.Errorf("setting without a manifest: %+v", got)
	}
}

// A main verdict whose effect measures one part of its statement names
// that part in its cell and in the flip lines, so that a row whose
// settings measured different parts (clipping here, BatchNorm there)
// says so; an effect of the whole statement is shown bare.
func TestRobustnessEffectOfPart(t *testing.T) {
	of := func(o result.Outcome, mean float64, part string) result.Verdict {
		v := mainVerdict("C5", o, mean)
		v.Effect.Of = part
		return v
	}
	sup := func(o result.Outcome, part string) result.Verdict {
		v := of(o, 0.3, part)
		v.Role, v.Statement = result.Supporting, "a supporting part"
		return v
	}
	main := []Run{robustnessRun("exploding", map[string]any{}, of(result.Mixed, -0.71, "clip 5 at lr 1"), sup(result.Confirmed, "lr 0.3"))}
	extra := []RobustnessRun{
		{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("exploding", nil, of(result.Inconclusive, 0.023, "bn at lr 1"), sup(result.Refuted, "lr 0.1"))},
		{Setting: Setting{Dataset: "mnist", Profile: "long"}, Run: robustnessRun("exploding", nil, of(result.Mixed, -0.78, ""))},
	}
	rob := NewRobustness(robustnessClaims(), main, extra)
	cells := rob.Rows[0].Cells
	for i, want := range map[int]string{0: "clip 5 at lr 1: -0.71 [", 1: "-0.78 [", 2: "bn at lr 1: 0.023 ["} {
		if !strings.HasPrefix(cells[i].Effect, want) {
			t.Errorf("cell %d effect %q, want it to start %q", i, cells[i].Effect, want)
		}
	}
	flips := rob.FlipLines()
	if len(flips) != 1 || !strings.Contains(flips[0], "INCONCLUSIVE, bn at lr 1: 0.023 [") || !strings.Contains(flips[0], "(report: MIXED, clip 5 at lr 1: -0.71 [") {
		t.Errorf("flip lines %q: want both parts named", flips)
	}
	support := rob.SupportFlipLines()
	if len(support) != 1 || !strings.Contains(support[0], "REFUTED, lr 0.1: 0.3 [") || !strings.Contains(support[0], "(report: CONFIRMED, lr 0.3: 0.3 [") {
		t.Errorf("supporting flip lines %q: want both parts named", support)
	}
	// The same number of another part is not "identical numbers".
	same := []RobustnessRun{{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("exploding", nil, of(result.Mixed, -0.71, "bn at lr 1"))}}
	if got := NewRobustness(robustnessClaims(), main, same).Elsewhere("C5"); strings.Contains(got, "identical") {
		t.Errorf("Elsewhere %q: the numbers of two parts read as identical", got)
	}
}

// An effect over no values is "no value", never "NaN"; every
// INCONCLUSIVE flip quotes the point of its Why that says what could not
// be told, with a number or without.
func TestRobustnessNoValue(t *testing.T) {
	empty := func() result.Verdict {
		v := mainVerdict("C5", result.Inconclusive, 0)
		v.Effect.Estimate = est(math.NaN(), math.NaN(), math.NaN(), 0)
		v.Effect.Unit = "pp"
		v.Why = "No net reached 0.99 training accuracy within the budget: they did not fit. The other half held."
		return v
	}
	noEffect := mainVerdict("C6", result.Inconclusive, 0)
	noEffect.Effect, noEffect.Why = nil, "Most runs diverged (7 of 11). Accuracy 0.8."
	withEffect := mainVerdict("C6", result.Inconclusive, 0.3)
	withEffect.Why = "The interval straddles the margin."
	main := []Run{
		robustnessRun("overfitting", map[string]any{}, mainVerdict("C5", result.Confirmed, 0.97)),
		robustnessRun("zerocentered", map[string]any{}, mainVerdict("C6", result.Confirmed, 0.4)),
	}
	extra := []RobustnessRun{
		{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("overfitting", nil, empty())},
		{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("zerocentered", nil, noEffect)},
		{Setting: Setting{Dataset: "fashion-mnist", Profile: "long"}, Run: robustnessRun("zerocentered", nil, withEffect)},
	}
	rob := NewRobustness(robustnessClaims(), main, extra)
	if got := rob.Rows[0].Cells[2].Text(); !strings.Contains(got, "no value (n=0)") || strings.Contains(got, "NaN") {
		t.Errorf("cell of an effect over no values: %q", got)
	}
	flips := rob.FlipLines()
	if len(flips) != 3 {
		t.Fatalf("flip lines %q: want three", flips)
	}
	for _, tc := range []struct {
		line      int
		want, not string
	}{
		{0, "INCONCLUSIVE, no value (n=0) (report: CONFIRMED, 0.97 [", "NaN"},
		{0, ". Why: no net reached 0.99 training accuracy within the budget: they did not fit", "The other half"},
		{1, "INCONCLUSIVE (report: CONFIRMED, 0.4 [", "n/a"},
		{1, ". Why: most runs diverged (7 of 11)", "Accuracy 0.8"},
		{2, "INCONCLUSIVE, 0.3 [", "n/a"},
		{2, ". Why: the interval straddles the margin", "NaN"},
	} {
		line := flips[tc.line]
		if !strings.Contains(line, tc.want) || strings.Contains(line, tc.not) {
			t.Errorf("flip line %q: want %q, not %q", line, tc.want, tc.not)
		}
	}
}

// The first sentence of a Why, as a flip line quotes it: cut at its
// first sentence's end (not inside a number or after "e.g."), and a long
// one cut at a clause outside brackets, else at a word, with an ellipsis.
func TestFirstSentence(t *testing.T) {
	long := "At depth 2 relu/he-normal, relu/xavier-normal, tanh/xavier-normal, sigmoid/xavier-normal@0.1 fall short of 0.85: " +
		"relu/he-normal 0.816 [0.810, 0.821]; relu/xavier-normal 0.812 [0.806, 0.818]; tanh/xavier-normal 0.817 [0.813, 0.821]."
	words := strings.Repeat("word ", 60) + "end."
	for _, tc := range []struct{ name, why, want string }{
		{"one sentence", "Most runs diverged (7 of 11).", "Most runs diverged (7 of 11)"},
		{"the first of two", "Most runs diverged. Accuracy 0.8.", "Most runs diverged"},
		{"a decimal and an abbreviation do not end it", "Accuracy 0.85 fell, e.g. Relu at 0.8. Next.", "Accuracy 0.85 fell, e.g. Relu at 0.8"},
		{"long: at the last clause outside brackets", long, "At depth 2 relu/he-normal, relu/xavier-normal, tanh/xavier-normal, sigmoid/xavier-normal@0.1 fall short of 0.85: relu/he-normal 0.816 [0.810, 0.821]; relu/xavier-normal 0.812 [0.806, 0.818] …"},
		{"long: at a word", words, strings.TrimSpace(strings.Repeat("word ", 40)) + " …"},
		{"empty", "", ""},
	} {
		got := firstSentence(tc.why)
		if got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
		if len(got) > maxWhySentence+len(" …") {
			t.Errorf("%s: %d bytes, over the bound", tc.name, len(got))
		}
	}
}

// A sanity check that keeps its outcome in a setting but carries a
// Context there other than the report's is listed with both contexts; one
// whose Context is the report's, or empty, is not; a check that changes
// is a flip, not a context line.
func TestRobustnessSanityContexts(t *testing.T) {
	check := func(statement, context string, o result.Outcome) result.Verdict {
		return result.Verdict{Claim: "C4", Role: result.Sanity, Outcome: o, Statement: statement, Why: "Why.", Context: context}
	}
	cannotDie := func(context string) result.Verdict {
		return check("a two-sided unit cannot die: it keeps its units", context, result.Confirmed)
	}
	doubles := check("a two-sided unit doubles the weights", "the whole net has 1.15x", result.Confirmed)
	silent := check("a two-sided net is never born dead", "", result.Confirmed)
	main := []Run{robustnessRun("twosided", map[string]any{}, cannotDie("4.2 points less accurate"), doubles, silent)}
	extra := []RobustnessRun{
		{Setting: Setting{Dataset: "fashion-mnist", Profile: "long"}, Run: robustnessRun("twosided", nil, cannotDie("diverged in 21 of 64 runs"), doubles, check(silent.Statement, "", result.Confirmed))},
		{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("twosided", nil, check(cannotDie("").Statement, "diverged in 40 of 64 runs", result.Inconclusive), doubles, silent)},
	}
	rob := NewRobustness(robustnessClaims(), main, extra)
	want := `C4 on Fashion-MNIST, 2x budget, sanity check "a two-sided unit cannot die": CONFIRMED, as in the report; beside it, diverged in 21 of 64 runs (report: 4.2 points less accurate)`
	if len(rob.SanityContexts) != 1 || rob.SanityContexts[0] != want {
		t.Fatalf("sanity contexts %q, want only\n%q", rob.SanityContexts, want)
	}
	if len(rob.SanityFlips) != 1 || !strings.Contains(rob.SanityFlips[0], "Fashion-MNIST, report budget") {
		t.Errorf("sanity flips %q: want the report-budget change alone", rob.SanityFlips)
	}
	if md := rob.Markdown(); !strings.Contains(md, sanityContextsHead+"\n\n- "+want+"\n") {
		t.Errorf("markdown lacks the context list:\n%s", md)
	}
	site := Site{Claims: ClaimRows(robustnessClaims(), main)}
	site.SetRobustness(rob)
	if page, err := site.HTML(); err != nil || !strings.Contains(string(page), "<p>"+html.EscapeString(sanityContextsHead)+"</p><ul><li>C4 on Fashion-MNIST, 2x budget") {
		t.Errorf("the HTML page lacks the context list (%v)", err)
	}
}

// A sanity check whose outcome changes with the setting is listed, for
// claims with a row and for claims whose headline is a sanity check (no
// row), matched by statement with the data set read as the report's, and
// with the first sentence of its Why; one that stays is not.
func TestRobustnessSanityFlips(t *testing.T) {
	check := func(claim, statement string, o result.Outcome, why string) result.Verdict {
		return result.Verdict{Claim: claim, Role: result.Sanity, Outcome: o, Statement: statement, Why: why}
	}
	setup := func(title string, o result.Outcome) result.Verdict {
		return check("C5", "the training setup works: every net learns "+title+" at depth 2", o, "At depth 2 relu falls short of 0.85. More.")
	}
	cannotDie := func(o result.Outcome, why string) result.Verdict {
		v := check("C4", "a two-sided unit cannot die: it keeps its units", o, why)
		v.Effect = &result.Evidence{Name: "dead fraction, relu minus two-sided", Unit: "fraction of units", Estimate: est(0.276, 0.236, 0.316, 4)}
		return v
	}
	stays := check("C4", "a two-sided unit doubles the weights", result.Confirmed, "2x.")
	// A supporting verdict of the claim with only sanity checks: listed
	// with them when it changes (it decides nothing either).
	worth := func(o result.Outcome, why string) result.Verdict {
		v := check("C4", "the two-sided unit is worth its weights", o, why)
		v.Role = result.Supporting
		return v
	}
	main := []Run{
		robustnessRun("vanishing", map[string]any{}, mainVerdict("C5", result.Confirmed, 0.45), setup("MNIST", result.Confirmed)),
		robustnessRun("twosided", map[string]any{}, cannotDie(result.Confirmed, "ReLU lost 28%."), stays, worth(result.Inconclusive, "Straddles.")),
	}
	extra := []RobustnessRun{
		{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("vanishing", nil, mainVerdict("C5", result.Confirmed, 0.5), setup("Fashion-MNIST", result.Refuted))},
		{Setting: Setting{Dataset: "fashion-mnist", Profile: "long"}, Run: robustnessRun("twosided", nil, cannotDie(result.Inconclusive, "Mostly diverged: 7 of 11 runs diverged. ReLU lost 28%."), stays, worth(result.Refuted, "Smaller than the margin."))},
	}
	rob := NewRobustness(robustnessClaims(), main, extra)
	if len(rob.Rows) != 1 || rob.Rows[0].Claim != "C5" {
		t.Fatalf("rows %+v: want C5 only (C4 has only sanity checks)", rob.Rows)
	}
	got := rob.SanityFlips
	if len(got) != 3 {
		t.Fatalf("sanity flips %q: want C5's check and C4's check and supporting verdict", got)
	}
	for i, want := range []string{
		`C4 on Fashion-MNIST, 2x budget, sanity check "a two-sided unit cannot die": INCONCLUSIVE, 0.276 [0.236, 0.316] fraction of units (95% CI, n=4) (report: CONFIRMED, 0.276 [`,
		`C4 on Fashion-MNIST, 2x budget, supporting "the two-sided unit is worth its weights": REFUTED (report: INCONCLUSIVE)`,
		`C5 on Fashion-MNIST, report budget, sanity check "the training setup works": REFUTED (report: CONFIRMED). Why: At depth 2 relu falls short of 0.85`,
	} {
		if !strings.HasPrefix(got[i], want) {
			t.Errorf("sanity flip %d:\n got %q\nwant it to start %q", i, got[i], want)
		}
	}
	if !strings.HasSuffix(got[0], ". Why: Mostly diverged: 7 of 11 runs diverged") || strings.Contains(strings.Join(got, " "), "doubles") {
		t.Errorf("sanity flips %q: want the Why's first sentence, and no unchanged check", got)
	}
	md := rob.Markdown()
	if i := strings.Index(md, sanityFlipsHead); i < 0 || !strings.Contains(md[i:], "- "+got[0]+"\n") {
		t.Errorf("markdown lacks the sanity list:\n%s", md)
	}
	site := Site{Claims: ClaimRows(robustnessClaims(), main)}
	site.SetRobustness(rob)
	page, err := site.HTML()
	if err != nil || !strings.Contains(string(page), "<p>"+sanityFlipsHead+"</p><ul><li>C4 on Fashion-MNIST, 2x budget, sanity check &#34;a two-sided unit cannot die&#34;") {
		t.Errorf("the HTML page lacks the sanity list (%v)", err)
	}
	// Without a change, no list.
	if md := NewRobustness(robustnessClaims(), main, nil).Markdown(); strings.Contains(md, sanityFlipsHead) {
		t.Errorf("a list of sanity checks without any change:\n%s", md)
	}
}

func TestSteadinessSentence(t *testing.T) {
	s := Steadiness{Tested: []string{"C1", "C6", "C11"}, Differs: []string{"C6", "C11"}, Everywhere: []string{"C11"}, NotRun: []string{"C2"}, SettingFree: []string{"C3"}}
	want := "Of the 3 claims whose headline was recomputed with numbers of its own on the other data set or budget (see Robustness), C6 and C11 get another verdict in at least one setting (C11 in every one); C2 not repeated; C3 repeated with identical numbers (the setting does not enter the verdict)."
	if got := s.Sentence(); got != want {
		t.Errorf("%q, want %q", got, want)
	}
	// A claim that differs everywhere, in some settings on another
	// comparison, says so.
	mixed := s
	mixed.OtherOf = map[string]int{"C11": 2}
	if got, want := mixed.Sentence(), "Of the 3 claims whose headline was recomputed with numbers of its own on the other data set or budget (see Robustness), C6 and C11 get another verdict in at least one setting (C11 in every one, 2 of them on another comparison); C2 not repeated; C3 repeated with identical numbers (the setting does not enter the verdict)."; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got := (Steadiness{Tested: []string{"C1"}}).Sentence(); !strings.HasSuffix(got, "none gets another verdict.") {
		t.Errorf("nothing differs: %q", got)
	}
	if got := (Steadiness{NotRun: []string{"C2"}}).Sentence(); got != "" {
		t.Errorf("nothing recomputed: %q, want empty", got)
	}
}

func TestContrastNote(t *testing.T) {
	fashion := Setting{Dataset: "fashion-mnist"}
	with := func(name, of string) *result.Verdict {
		v := mainVerdict("C5", result.Confirmed, 0.1)
		v.Effect.Name, v.Effect.Of = name, of
		return &v
	}
	cases := []struct {
		name     string
		here, in *result.Verdict
		want     string
	}{
		{"same comparison", with("relu minus leaky, test accuracy", ""), with("relu minus leaky, test accuracy", ""), ""},
		{"same comparison, data set read as the report's", with("accuracy on Fashion-MNIST, a minus b", ""), with("accuracy on MNIST, a minus b", ""), ""},
		{"another arm", with("relu minus tanh, test accuracy", ""), with("relu minus leaky, test accuracy", ""), " (not the same comparison: here relu minus tanh, test accuracy, in the report relu minus leaky, test accuracy)"},
		{"another part", with("dead fraction", "leaky"), with("dead fraction", "prelu"), " (not the same comparison: here leaky, in the report prelu)"},
		{"same part, other divergence count", with("test accuracy, clip 5 minus plain", "clip 5 at lr 1 (15 of 20 runs diverged)"), with("test accuracy, clip 5 minus plain", "clip 5 at lr 1 (3 of 20 runs diverged)"), ""},
		{"no effect", &result.Verdict{}, with("x", ""), ""},
	}
	for _, c := range cases {
		if got := contrastNote(c.here, c.in, fashion); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// A headline read from parts is judged part by part: a part whose
// comparison differs is named, and a change counts as one of another
// comparison only if every part whose outcome changed measures another.
func TestOtherComparisonOfParts(t *testing.T) {
	part := func(statement, effect string, o result.Outcome) result.Verdict {
		e := result.Evidence{Name: effect, Estimate: est(1, 0.5, 1.5, 10)}
		return result.Verdict{Claim: "C11", Role: result.Part, Outcome: o, Statement: statement, Effect: &e}
	}
	ref := ClaimRow{Parts: []result.Verdict{part("bn helps", "bn at 0.1 minus plain at 0.1", result.Confirmed), part("dropout helps", "dropout gain", result.Confirmed)}}
	fashion := Setting{Dataset: "fashion-mnist"}
	cases := []struct {
		name      string
		parts     []result.Verdict
		noteHas   string
		onlyOther bool
	}{
		{"same comparisons", []result.Verdict{part("bn helps", "bn at 0.1 minus plain at 0.1", result.Inconclusive), part("dropout helps", "dropout gain", result.Confirmed)}, "", false},
		{"the changed part reads other rates", []result.Verdict{part("bn helps", "bn at 0.3 minus plain at 0.1", result.Inconclusive), part("dropout helps", "dropout gain", result.Confirmed)}, " (bn helps: not the same comparison: here bn at 0.3 minus plain at 0.1, in the report bn at 0.1 minus plain at 0.1)", true},
		{"a part of another comparison, another part changed on its own", []result.Verdict{part("bn helps", "bn at 0.3 minus plain at 0.1", result.Confirmed), part("dropout helps", "dropout gain", result.Inconclusive)}, "bn helps:", false},
	}
	for _, tc := range cases {
		note, only := otherComparison(ClaimRow{Parts: tc.parts}, ref, fashion)
		if (tc.noteHas == "") != (note == "") || !strings.Contains(note, tc.noteHas) || only != tc.onlyOther {
			t.Errorf("%s: note %q, only other %v; want one containing %q, %v", tc.name, note, only, tc.noteHas, tc.onlyOther)
		}
	}
}

// The first screen counts the readings of a claim's supporting verdicts
// in the other settings: those with numbers of their own, and how many
// keep the report's outcome.
func TestElsewhereCountsSupportingReadings(t *testing.T) {
	support := func(o result.Outcome, mean float64) result.Verdict {
		e := result.Evidence{Name: "support effect", Estimate: est(mean, mean-0.1, mean+0.1, 10)}
		return result.Verdict{Claim: "C5", Role: result.Supporting, Outcome: o, Statement: "a supporting statement", Effect: &e}
	}
	main := []Run{robustnessRun("sparsity", map[string]any{}, mainVerdict("C5", result.Confirmed, 0.45), support(result.Confirmed, 0.3))}
	extra := []RobustnessRun{
		// Numbers of its own, the same outcome: kept.
		{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("sparsity", nil, mainVerdict("C5", result.Confirmed, 0.5), support(result.Confirmed, 0.35))},
		// Numbers of its own, another outcome: read, not kept.
		{Setting: Setting{Dataset: "mnist", Profile: "long"}, Run: robustnessRun("sparsity", nil, mainVerdict("C5", result.Confirmed, 0.5), support(result.Refuted, 0.01))},
		// The report's very numbers: tests nothing, not counted.
		{Setting: Setting{Dataset: "fashion-mnist", Profile: "long"}, Run: robustnessRun("sparsity", nil, mainVerdict("C5", result.Confirmed, 0.5), support(result.Confirmed, 0.3))},
	}
	rob := NewRobustness(robustnessClaims(), main, extra)
	want := "Robustness: the same verdict in 3 of 3 other settings run; its supporting verdicts keep the report's outcome in 1 of 2 readings (a verdict in a setting) with numbers of their own (the others: REFUTED in 1 (a supporting statement, on MNIST, 2x budget))"
	if got := rob.Elsewhere("C5"); got != want {
		t.Errorf("Elsewhere = %q, want %q", got, want)
	}
	if got := len(rob.SupportFlipLines()); got != 1 {
		t.Errorf("%d supporting flip lines, want 1", got)
	}
}

func TestSettingFlags(t *testing.T) {
	for command, want := range map[string]string{
		"reluexp run overfitting --seeds=40 --dataset=fashion-mnist":     "--seeds=40",
		"reluexp run overfitting --profile=long --dataset=fashion-mnist": "",
		"reluexp run dying": "",
		"reluexp run vanishing --profile=long --set=depths=2,30 --dataset=fashion-mnist": "--set=depths=2,30",
		"":                         "",
		"something else --seeds=3": "",
	} {
		if got := settingFlags(command); got != want {
			t.Errorf("settingFlags(%q) = %q, want %q", command, got, want)
		}
	}
}

// A claim that no other setting ran reads "not repeated" there; a claim
// run in some other settings reads "not run yet" in the rest.
func TestRobustnessNotRepeated(t *testing.T) {
	claims := []result.Claim{{ID: "C2", Blog: "fast"}, {ID: "C5", Blog: "sparse"}}
	main := []Run{
		robustnessRun("speed", map[string]any{}, mainVerdict("C2", result.Mixed, 1.4)),
		robustnessRun("sparsity", map[string]any{}, mainVerdict("C5", result.Confirmed, 0.45)),
	}
	extra := []RobustnessRun{{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("sparsity", nil, mainVerdict("C5", result.Confirmed, 0.5))}}
	rob := NewRobustness(claims, main, extra)
	if len(rob.Rows) != 2 {
		t.Fatalf("rows %+v: want C2 and C5", rob.Rows)
	}
	c2, c5 := rob.Rows[0], rob.Rows[1]
	if c2.Cells[0].NotRepeated || c2.Cells[0].Text() == "not repeated" {
		t.Errorf("C2 in the report's setting: %+v, want its own verdict", c2.Cells[0])
	}
	for i, c := range c2.Cells[1:] {
		if !c.NotRepeated || c.Text() != "not repeated" {
			t.Errorf("C2 in setting %d: %+v (%q), want not repeated", i+1, c, c.Text())
		}
	}
	if got := c5.Cells[1]; got.NotRepeated || got.Text() != "not run yet" {
		t.Errorf("C5 with twice the budget: %+v (%q), want not run yet (another setting ran it)", got, got.Text())
	}
	site := NewSite(claims, main, Environment{})
	site.SetRobustness(rob)
	page, err := site.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "not repeated") {
		t.Error("the page's robustness table does not say not repeated")
	}
}

// A part the main verdict's Why gives an outcome of its own ("the fixes'
// half") is no verdict of its own; where its outcome differs from the
// report's in another setting, the table lists it with the supporting
// flips, and a part with the same outcome is not listed.
func TestRobustnessWhyPartFlips(t *testing.T) {
	withWhy := func(v result.Verdict, why string) result.Verdict { v.Why = why; return v }
	ref := withWhy(mainVerdict("C5", result.Mixed, 0.3), "ReLU's half is MIXED: many die, but some come back. The fixes' half is INCONCLUSIVE: leaky cannot be told. The claim: MIXED.")
	got := withWhy(mainVerdict("C5", result.Mixed, 0.2), "ReLU's half is MIXED: many die, but some come back. The fixes' half is REFUTED: leaky loses as many (each must fix it). The claim: MIXED.")
	main := []Run{robustnessRun("sparsity", map[string]any{}, ref)}
	extra := []RobustnessRun{{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("sparsity", nil, got)}}
	flips := NewRobustness(robustnessClaims(), main, extra).SupportFlipLines()
	if len(flips) != 1 || !strings.Contains(flips[0], "part of the main verdict \"the fixes' half\": REFUTED, leaky loses as many (report: INCONCLUSIVE, leaky cannot be told)") {
		t.Errorf("flips %q: want the fixes' half alone, with what each Why says of it", flips)
	}
	rob := NewRobustness(robustnessClaims(), main, extra)
	if e := rob.Elsewhere("C5"); !strings.Contains(e, "the main verdict's own parts change outcome in 1 reading (a part in a setting") ||
		!strings.Contains(e, "the same verdict in 1 of 1 other settings run (on Fashion-MNIST, report budget reached through other readings of its parts: see Robustness)") {
		t.Errorf("Elsewhere %q does not count the part", e)
	}
}

// A claim whose headline is a sanity check has no row, but the first
// screen still says how its supporting verdicts fared elsewhere: counted
// only where they had numbers of their own.
func TestRobustnessSupportOnly(t *testing.T) {
	worth := func(o result.Outcome, mean float64) result.Verdict {
		e := result.Evidence{Name: "accuracy, two-sided minus relu", Estimate: est(mean, mean-0.001, mean+0.001, 64)}
		return result.Verdict{Claim: "C4", Role: result.Supporting, Outcome: o, Statement: "the two-sided unit is worth its weights", Effect: &e}
	}
	check := result.Verdict{Claim: "C4", Role: result.Sanity, Outcome: result.Confirmed, Statement: "a two-sided unit doubles the weights"}
	main := []Run{robustnessRun("twosided", map[string]any{}, check, worth(result.Inconclusive, 0.005))}
	extra := []RobustnessRun{
		{Setting: Setting{Dataset: "fashion-mnist"}, Run: robustnessRun("twosided", nil, check, worth(result.Refuted, -0.001))},
		{Setting: Setting{Profile: "long"}, Run: robustnessRun("twosided", nil, check, worth(result.Inconclusive, 0.0049))},
		// The report's very numbers test nothing: not counted.
		{Setting: Setting{Dataset: "fashion-mnist", Profile: "long"}, Run: robustnessRun("twosided", nil, check, worth(result.Inconclusive, 0.005))},
	}
	rob := NewRobustness(robustnessClaims(), main, extra)
	if got := rob.SupportOnly["C4"]; got.Read != 2 || got.Kept != 1 || got.Changed[result.Refuted] != 1 || len(got.Changed) != 1 {
		t.Errorf("SupportOnly[C4] = %+v, want 2 read, 1 kept, 1 changed to REFUTED", got)
	}
	if e := rob.Elsewhere("C4"); !strings.Contains(e, "only its supporting verdicts are read") || !strings.Contains(e, "in 1 of 2 readings (a verdict in a setting) with numbers of their own (the others: REFUTED in 1 (the two-sided unit is worth its weights, on Fashion-MNIST, report budget))") {
		t.Errorf("Elsewhere(C4) = %q", e)
	}
	if e := rob.Elsewhere("C6"); e != "" {
		t.Errorf("Elsewhere(C6) = %q: want empty, no run", e)
	}
}

// A run summarised under other verdict rules than the report's run of the
// same experiment is left out of the section and named, so that a change
// of rule does not read as a change with the setting.
func TestRobustnessLeavesOutOtherRules(t *testing.T) {
	current := func(r Run) Run { r.Summary.RulesVersion = 1; return r }
	main := []Run{current(robustnessRun("sparsity", map[string]any{}, mainVerdict("C5", result.Confirmed, 0.45)))}
	extra := []RobustnessRun{
		{Setting: Setting{Dataset: "fashion-mnist"}, Run: current(robustnessRun("sparsity", nil, mainVerdict("C5", result.Confirmed, 0.5)))},
		{Setting: Setting{Dataset: "mnist", Profile: "long"}, Run: robustnessRun("sparsity", nil, mainVerdict("C5", result.Refuted, 0.01))},
	}
	rob := NewRobustness(robustnessClaims(), main, extra)
	want := "Left out of this section, as their summaries were made under other verdict rules than the report's (rerun them to bring them in): sparsity on MNIST, 2x budget (rules version 0, the report's 1)."
	if got := rob.StaleText(); got != want {
		t.Errorf("StaleText %q\nwant %q", got, want)
	}
	if flips := rob.FlipLines(); len(flips) != 0 {
		t.Errorf("the stale run's REFUTED read as a flip: %q", flips)
	}
	if !strings.Contains(rob.Markdown(), want) {
		t.Errorf("Markdown lacks the stale runs")
	}
	var cell *RobustnessCell
	for ci, col := range rob.Columns {
		if col == (Setting{Dataset: "mnist", Profile: "long"}) && len(rob.Rows) > 0 {
			cell = &rob.Rows[0].Cells[ci]
		}
	}
	if cell == nil || !cell.LeftOut || cell.Text() != "left out: run under older rules" {
		t.Errorf("the left-out setting's cell: %+v", cell)
	}
	// The first screen counts the setting left out beside those read.
	if e := rob.Elsewhere("C5"); !strings.HasPrefix(e, "Robustness: the same verdict in 1 of 1 other settings run") || !strings.HasSuffix(e, "; 1 more setting left out (run under older verdict rules: see Robustness)") {
		t.Errorf("Elsewhere(C5) = %q", e)
	}
	if got := NewRobustness(robustnessClaims(), main, extra[:1]).StaleText(); got != "" {
		t.Errorf("no stale run: %q", got)
	}
}

// A reading is counted once per number: the report's own effect tests
// nothing, and a setting that repeats an earlier setting's effect of the
// same verdict (a budget that does not enter it) is not a second
// agreement.
func TestSupportCountReadsEachNumberOnce(t *testing.T) {
	v := func(mean float64, o result.Outcome) result.Verdict {
		return result.Verdict{Statement: "the constraint survives minibatch averaging", Outcome: o,
			Effect: &result.Evidence{Name: "same-sign share", Estimate: est(mean, mean-0.01, mean+0.01, 12), Unit: "fraction"}}
	}
	report := v(0.48, result.Mixed)
	var n SupportCount
	for _, sv := range []result.Verdict{v(0.48, result.Mixed), v(0.52, result.Mixed), v(0.52, result.Mixed), v(0.30, result.Refuted)} {
		n.add(sv, report, Setting{Dataset: data.FashionMNIST})
	}
	if n.Read != 2 || n.Kept != 1 || n.Changed[result.Refuted] != 1 {
		t.Errorf("read %d, kept %d, changed %v: want 2 read (0.52 once, 0.30), 1 kept, 1 REFUTED", n.Read, n.Kept, n.Changed)
	}
	// An exploratory verdict is not counted, whatever it reads.
	explored := v(0.48, result.Mixed)
	explored.Statement, explored.Exploratory = "an exploration", true
	n.add(v(0.10, result.Refuted), explored, Setting{Dataset: data.FashionMNIST})
	if n.Read != 2 || n.Changed[result.Refuted] != 1 {
		t.Errorf("after an exploratory reading: read %d, changed %v; want 2 and 1 REFUTED as before", n.Read, n.Changed)
	}
}

// A flip line names a positive control as one, and follows a short name
// that another verdict of the claim shares with the effect's name.
func TestSupportFlipLineNamesControlsAndTwins(t *testing.T) {
	long := "in a sigmoid net, with one example per update, SGD learns faster when the later layers' inputs (the activations) are zero-centred than when they are non-negative (sigmoid-centred/raw@1: sigmoid minus 1/2)"
	other := "in a sigmoid net, SGD learns faster when the later layers' inputs (the activations) are zero-centred than when they are non-negative (sigmoid-batchcentred/raw: minus the minibatch mean)"
	v := func(statement string, o result.Outcome, control bool) result.Verdict {
		return result.Verdict{Claim: "C6", Role: result.Supporting, Control: control, Statement: statement, Outcome: o,
			Effect: &result.Evidence{Name: "log10 of mean training loss, sigmoid/raw@1 over sigmoid-centred/raw@1", Estimate: est(0.03, 0.02, 0.04, 12), Unit: "log10 ratio"}}
	}
	col := Setting{Dataset: "fashion-mnist", Profile: "long"}
	if ShortName(long) != ShortName(other) {
		t.Fatalf("the test needs two statements with one short name: %q, %q", ShortName(long), ShortName(other))
	}
	line := supportFlipLine("C6", col, v(long, result.Refuted, true), v(long, result.Confirmed, true), []result.Verdict{v(long, result.Confirmed, true), v(other, result.Confirmed, true)})
	if !strings.Contains(line, "supporting, a positive control \"") {
		t.Errorf("control not named as one: %s", line)
	}
	if !strings.Contains(line, "\" (log10 of mean training loss, sigmoid/raw@1 over sigmoid-centred/raw@1)") {
		t.Errorf("a short name another verdict shares, without the effect's name: %s", line)
	}
	alone := supportFlipLine("C6", col, v(long, result.Refuted, false), v(long, result.Confirmed, false), []result.Verdict{v(long, result.Confirmed, false)})
	if !strings.Contains(alone, "supporting \"") || strings.Contains(alone, "(log10 of mean training loss") {
		t.Errorf("a lone supporting verdict: %s", alone)
	}
	// A verdict with a short name of its own is called by it, and needs
	// no effect's name to tell it apart.
	named := v(long, result.Confirmed, true)
	named.Short = "faster with sigmoid minus 1/2, batch 1"
	line = supportFlipLine("C6", col, v(long, result.Refuted, true), named, []result.Verdict{named, v(other, result.Confirmed, true)})
	if !strings.Contains(line, "supporting, a positive control \"faster with sigmoid minus 1/2, batch 1\": REFUTED") {
		t.Errorf("a verdict's own short name: %s", line)
	}
}

// Changed readings that are positive controls are counted apart.
func TestSupportCountNamesControls(t *testing.T) {
	var n SupportCount
	v := func(statement string, o result.Outcome, control bool, mean float64) result.Verdict {
		return result.Verdict{Statement: statement, Outcome: o, Control: control, Effect: &result.Evidence{Name: "e", Estimate: est(mean, mean-0.01, mean+0.01, 12)}}
	}
	fashion := Setting{Dataset: data.FashionMNIST}
	n.add(v("a control", result.Refuted, true, 0.03), v("a control", result.Confirmed, true, 0.08), fashion)
	n.add(v("another control", result.Refuted, true, 0.03), v("another control", result.Confirmed, true, 0.09), fashion)
	pair := v("a pair", result.Refuted, false, 0.0)
	pair.Short = "faster with the pair"
	n.add(v("a pair", result.Inconclusive, false, 0.01), pair, fashion)
	n.add(v("a kept pair", result.Refuted, false, 0.02), v("a kept pair", result.Refuted, false, 0.01), fashion)
	if got, want := n.ChangedText(), " (the others: REFUTED in 2 (2 positive controls), INCONCLUSIVE in 1 (faster with the pair, on Fashion-MNIST, report budget))"; got != want || n.Read != 4 || n.Kept != 1 {
		t.Errorf("%q (read %d, kept %d), want %q", got, n.Read, n.Kept, want)
	}
	// More than maxNamedChanges readings of one outcome are counted only.
	for i := range maxNamedChanges {
		n.add(v(fmt.Sprint("pair ", i), result.Inconclusive, false, 0.01), v(fmt.Sprint("pair ", i), result.Refuted, false, 0.0), fashion)
	}
	if got := n.ChangedText(); !strings.Contains(got, "INCONCLUSIVE in 3)") {
		t.Errorf("three changed readings of one outcome: %q, want them counted only", got)
	}
	// A control among an outcome counted only is counted at the end.
	n.add(v("a third control", result.Inconclusive, true, 0.03), v("a third control", result.Confirmed, true, 0.08), fashion)
	if got, want := n.ChangedText(), " (the others: REFUTED in 2 (2 positive controls), INCONCLUSIVE in 4; 1 of them a positive control)"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
