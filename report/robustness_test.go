package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	if got := same.Elsewhere("C5"); !strings.Contains(got, "1 of 1 other settings run (with identical numbers") {
		t.Errorf("identical numbers: %q", got)
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
	if md := rob.Markdown(); !strings.Contains(md, "Supporting verdicts that change with the setting") {
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
