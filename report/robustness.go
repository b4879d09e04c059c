package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/result"
)

// The robustness table: each claim's main verdict computed again on a
// second data set and with twice the training budget, so that a reader can
// tell which findings are MNIST's, or the budget's, and which are ReLU's.
// Those runs are too long for `make report`; they live in
// OUT/robustness/PART/NAME (one folder per data set and profile, written by
// `reluexp run NAME --dataset D --profile P --out OUT/robustness/PART`, or
// `make robustness`) and the report reads whatever is there.

// RobustnessDir is the folder under the results folder that holds the
// robustness runs.
const RobustnessDir = "robustness"

// Setting is where a verdict was computed: the data set and the profile
// ("" for the experiment's own defaults, the report's budget).
type Setting struct {
	Dataset, Profile string
}

// reportSetting is the report's own: MNIST at the report's budget.
var reportSetting = Setting{Dataset: data.MNIST}

// robustnessColumns are the settings the table always shows, the report's
// own first, whether or not their runs exist yet.
var robustnessColumns = []Setting{
	reportSetting,
	{Dataset: data.MNIST, Profile: "long"},
	{Dataset: data.FashionMNIST},
	{Dataset: data.FashionMNIST, Profile: "long"},
}

// Label names a setting for a column head.
func (s Setting) Label() string {
	budget := "report budget"
	switch s.Profile {
	case "":
	case "long":
		budget = "2x budget"
	default:
		budget = "profile " + s.Profile
	}
	return data.DatasetTitle(s.Dataset) + ", " + budget
}

// settingOf reads where run was computed: its configuration's data set
// (absent: MNIST) and its profile, from the reproducing command in its
// summary (`--profile NAME`), which is committed, or else from its cells'
// manifest, which is not (a clean clone has no cells).
func settingOf(dir string, run Run) Setting {
	s := Setting{Dataset: data.MNIST}
	if cfg, ok := run.Summary.Config.(map[string]any); ok {
		if d, ok := cfg["dataset"].(string); ok && d != "" {
			s.Dataset = d
		}
	}
	if p, ok := commandProfile(run.Summary.Command); ok {
		s.Profile = p
		return s
	}
	var m struct {
		Profile string `json:"profile"`
	}
	if b, err := os.ReadFile(filepath.Join(dir, run.Name, "cells", "manifest.json")); err == nil {
		if json.Unmarshal(b, &m) == nil {
			s.Profile = m.Profile
		}
	}
	return s
}

// commandProfile finds --profile NAME or --profile=NAME in a reproducing
// command; "default" is the report's own (""). ok is false without one.
func commandProfile(command string) (string, bool) {
	fields := strings.Fields(command)
	for i, f := range fields {
		var p string
		switch {
		case strings.HasPrefix(f, "--profile="):
			p = strings.TrimPrefix(f, "--profile=")
		case f == "--profile" && i+1 < len(fields):
			p = fields[i+1]
		default:
			continue
		}
		if p == "default" {
			p = ""
		}
		return p, true
	}
	return "", false
}

// RobustnessRun is one experiment's run in one setting.
type RobustnessRun struct {
	Setting Setting
	// Part is the folder under OUT/robustness it was read from.
	Part string
	Run  Run
}

// LoadRobustness reads every run under out/robustness: PART/NAME with a
// summary.json. No folder is no runs, not an error.
func LoadRobustness(out string) ([]RobustnessRun, error) {
	root := filepath.Join(out, RobustnessDir)
	parts, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var runs []RobustnessRun
	for _, p := range parts {
		if !p.IsDir() {
			continue
		}
		dir := filepath.Join(root, p.Name())
		exps, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, e := range exps {
			if !e.IsDir() {
				continue
			}
			r, err := LoadRun(dir, e.Name())
			if errors.Is(err, fs.ErrNotExist) {
				continue // a shard's records without a summary yet
			}
			if err != nil {
				return nil, err
			}
			runs = append(runs, RobustnessRun{Setting: settingOf(dir, r), Part: p.Name(), Run: r})
		}
	}
	return runs, nil
}

// RobustnessCell is one claim's main verdict in one setting.
type RobustnessCell struct {
	// Outcome is empty when no run of this setting gave the claim a main
	// verdict (not run yet).
	Outcome result.Outcome
	// NotRepeated marks a cell without an outcome in a row where no
	// setting but the report's has one: the claim is not repeated in the
	// other settings, rather than not run there yet.
	NotRepeated bool
	// Effect is the main verdict's effect, formatted ("" if none), after
	// the part of the statement it measures when it measures one part
	// only ("bn at lr 1: 0.02305 [...]"; see effectText).
	Effect string
	// Flips says the outcome differs from the report's own.
	Flips bool
	// LeftOut marks a cell without an outcome because the setting's run
	// was made under other verdict rules (Robustness.Stale).
	LeftOut bool
	// Other, when set, says that the effect measures another comparison
	// than the report's (contrastNote), as a rule whose arms or level
	// depend on the setting may: the same outcome then repeats a
	// different reading, not the report's. For a headline read from
	// parts, each part that does says so.
	Other string
	// OnlyOther is set on a changed cell when every changed part of it
	// (the verdict itself, or each part whose outcome changed) measures
	// another comparison: the change is not one on the report's reading.
	OnlyOther bool
	// Finished is when the cells were last computed (timing.txt), if known.
	Finished string
	// PartsDiffer marks a cell with the report's outcome whose main
	// verdict's Why-parts read otherwise in places (whyPartFlips): the
	// same outcome reached by other parts (review 23c: C6's MIXED on
	// Fashion-MNIST came from readings opposite to MNIST's).
	PartsDiffer bool
}

// RobustnessRow is one claim across the settings.
type RobustnessRow struct {
	Claim string
	Cells []RobustnessCell
	// Flips holds one line per setting whose outcome differs from the
	// report's: the two outcomes and effects side by side.
	Flips []string
	// SupportFlips holds one line per supporting verdict whose outcome in
	// a setting differs from the report's (matched by position among the
	// claim's supporting verdicts, which the same code writes in the same
	// order).
	SupportFlips []string
	// Support counts the readings of its part and supporting verdicts in
	// the other settings (SupportCount.add).
	Support SupportCount
	// WhyPartFlips counts the parts of the main verdict's Why (not
	// verdicts of their own) whose outcome differs from the report's in
	// some setting; their lines are in SupportFlips.
	WhyPartFlips int
	// PartVerdicts says the main verdict joins parts that are verdicts of
	// their own (C11), which Support counts with the supporting ones.
	PartVerdicts bool
}

// SupportCount is how many readings (a part or supporting verdict in one
// other setting) were recomputed with numbers of their own, that is with
// an effect unlike the report's (Read), and how many of them kept the
// report's outcome (Kept). Readings with the report's very effect test
// nothing and are in neither; so are readings with the very effect of
// an earlier setting's reading of the same verdict (the budget does not
// enter C6's minibatch verdict, so both Fashion-MNIST settings give one
// number): counted once, not as two agreements.
// Changed counts the readings that did not keep it by the outcome they
// read instead.
type SupportCount struct {
	Read, Kept int
	Changed    map[result.Outcome]int
	// Controls counts the changed readings that are positive controls
	// (result.Verdict.Control): a control that changes says the design
	// could not show a known effect there, not that the claim changed.
	Controls int
	// controlsBy counts them by outcome, so that an outcome's named
	// readings are not taken for all of them (review 23a: "MIXED in 4"
	// named two).
	controlsBy map[result.Outcome]int
	// Where names, by outcome, the changed readings that are not
	// controls: the verdict's short name and the setting (review 22a: a
	// supporting verdict that confirmed what the headline refutes was
	// only counted on the first screen).
	Where map[result.Outcome][]string
	// seen holds each counted reading as statement and effect.
	seen map[[2]string]bool
}

// maxNamedChanges is the most changed readings of one outcome that
// ChangedText names; more are counted only.
const maxNamedChanges = 2

// add counts the reading sv, in setting where, of the report's verdict
// rv.
func (n *SupportCount) add(sv, rv result.Verdict, where Setting) {
	if rv.Exploratory {
		return // chosen with the answer in view: listed, not counted
	}
	effect := effectText(&sv)
	if effect == effectText(&rv) {
		return
	}
	key := [2]string{rv.Statement, effect}
	if n.seen[key] {
		return
	}
	if n.seen == nil {
		n.seen = map[[2]string]bool{}
	}
	n.seen[key] = true
	n.Read++
	if sv.Outcome == rv.Outcome {
		n.Kept++
		return
	}
	if n.Changed == nil {
		n.Changed = map[result.Outcome]int{}
	}
	n.Changed[sv.Outcome]++
	if rv.Control {
		n.Controls++
		if n.controlsBy == nil {
			n.controlsBy = map[result.Outcome]int{}
		}
		n.controlsBy[sv.Outcome]++
		return
	}
	if n.Where == nil {
		n.Where = map[result.Outcome][]string{}
	}
	name := rv.Short
	if name == "" {
		name = ShortNames([]string{rv.Statement})[0]
	}
	n.Where[sv.Outcome] = append(n.Where[sv.Outcome], fmt.Sprintf("%s, on %s", name, where.Label()))
}

// ChangedText names what the readings that did not keep the report's
// outcome read instead: " (the others: REFUTED in 3)", in the order of
// the outcomes, with the verdicts and settings of an outcome's readings
// that are not controls, and the number of its controls, where there are
// at most maxNamedChanges of the former; the controls among the outcomes
// not named are counted at the end. Empty when all kept it.
func (n SupportCount) ChangedText() string {
	var parts []string
	unnamed := 0
	for _, o := range outcomes {
		if k := n.Changed[o]; k > 0 {
			part := fmt.Sprintf("%s in %d", o, k)
			c := n.controlsBy[o]
			if w := n.Where[o]; len(w) <= maxNamedChanges {
				inner := slices.Clone(w)
				if c > 0 {
					inner = append(inner, fmt.Sprintf("%d %s", c, plural(c, "positive control", "positive controls")))
				}
				part += " (" + strings.Join(inner, "; ") + ")"
			} else {
				unnamed += c
			}
			parts = append(parts, part)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	controls := ""
	if unnamed > 0 {
		controls = fmt.Sprintf("; %d of them %s", unnamed, plural(unnamed, "a positive control", "positive controls"))
	}
	return " (the others: " + strings.Join(parts, ", ") + controls + ")"
}

// Robustness is the table and what it was built from.
type Robustness struct {
	Columns []Setting
	Rows    []RobustnessRow
	// SanityFlips holds one line per sanity check whose outcome in a
	// setting differs from the report's, for every claim, with or without
	// a row (a claim whose headline is a sanity check has none). Sanity
	// checks never decide a claim, but one that fails in a setting says
	// why that setting's other verdicts may not tell (a control that did
	// not train, runs that diverged).
	SanityFlips []string
	// SanityContexts holds one line per sanity check that keeps its
	// outcome in a setting but carries a Context there other than the
	// report's (the two-sided net that keeps its units but diverged in a
	// third of its stress runs on Fashion-MNIST at twice the budget): the
	// fact that cuts against a plain reading, which the table, showing
	// main verdicts only, would otherwise hide.
	SanityContexts []string
	// SupportOnly counts, per claim with no row (sanity checks only), the
	// readings of its supporting verdicts as RobustnessRow.Support does,
	// for the first screen.
	SupportOnly map[string]SupportCount
	// Parts lists, per setting with runs, the experiments found and when
	// each was last regenerated.
	Parts []string
	// Stale lists the runs left out because their summaries were made
	// under other verdict rules than the report's run of the same
	// experiment (Summary.RulesVersion): set side by side, a change of
	// rule would read as a change with the setting.
	Stale []string
}

// StaleText is the sentence naming the runs left out as Stale; empty when
// none is.
func (t Robustness) StaleText() string {
	if len(t.Stale) == 0 {
		return ""
	}
	return "Left out of this section, as their summaries were made under other verdict rules than the report's (rerun them to bring them in): " + strings.Join(t.Stale, "; ") + "."
}

// currentRules keeps the runs of extra whose rules version is the report's
// run's of the same experiment, and names the others.
func currentRules(main []Run, extra []RobustnessRun) (kept []RobustnessRun, stale []string, staleBy map[Setting]map[string]bool) {
	staleBy = map[Setting]map[string]bool{}
	version := map[string]int{}
	for _, r := range main {
		version[r.Name] = r.Summary.RulesVersion
	}
	for _, r := range extra {
		if v, ok := version[r.Run.Name]; ok && v != r.Run.Summary.RulesVersion {
			stale = append(stale, fmt.Sprintf("%s on %s (rules version %d, the report's %d)", r.Run.Name, r.Setting.Label(), r.Run.Summary.RulesVersion, v))
			if staleBy[r.Setting] == nil {
				staleBy[r.Setting] = map[string]bool{}
			}
			staleBy[r.Setting][r.Run.Name] = true
			continue
		}
		kept = append(kept, r)
	}
	return kept, stale, staleBy
}

// NewRobustness builds the table: one row per claim with a main verdict in
// the report, one column per setting. The report's own column comes from
// main, the others from the robustness runs.
func NewRobustness(claims []result.Claim, main []Run, extra []RobustnessRun) Robustness {
	extra, stale, staleBy := currentRules(main, extra)
	bySetting := map[Setting][]Run{reportSetting: main}
	for _, r := range extra {
		bySetting[r.Setting] = append(bySetting[r.Setting], r.Run)
	}
	for s := range staleBy {
		// A setting whose only run was left out keeps its column, where
		// the left-out claims say so.
		if _, ok := bySetting[s]; !ok {
			bySetting[s] = nil
		}
	}
	cols := slices.Clone(robustnessColumns)
	var others []Setting
	for s := range bySetting {
		if !slices.Contains(cols, s) {
			others = append(others, s)
		}
	}
	sort.Slice(others, func(i, j int) bool { return others[i].Label() < others[j].Label() })
	cols = append(cols, others...)

	rowsBy := make([][]ClaimRow, len(cols))
	for i, s := range cols {
		rowsBy[i] = ClaimRows(claims, bySetting[s])
	}
	t := Robustness{Columns: cols, Stale: stale}
	for ci, c := range claims {
		ref := rowsBy[0][ci]
		for i := 1; i < len(cols); i++ {
			for _, rv := range ref.Sanity {
				sv, ok := sameStatement(rowsBy[i][ci].Sanity, rv.Statement, cols[i])
				if ok && sv.Outcome != rv.Outcome {
					line := fmt.Sprintf("%s on %s, sanity check \"%s\": %s (report: %s)",
						c.ID, cols[i].Label(), ShortName(rv.Statement), outcomeEffect(&sv), outcomeEffect(&rv))
					// A sanity check has no row and rarely an effect: its
					// Why is all that says what went wrong.
					t.SanityFlips = append(t.SanityFlips, withWhy(line, sv.Why))
				}
				if ok && sv.Outcome == rv.Outcome && sv.Context != "" && sv.Context != rv.Context {
					t.SanityContexts = append(t.SanityContexts, sanityContextLine(c.ID, cols[i], sv, rv))
				}
			}
		}
		if ref.Main == nil {
			// Sanity checks only: no row. Its supporting verdicts, which
			// decide nothing either, are listed with the sanity checks.
			for i := 1; i < len(cols); i++ {
				for _, rv := range ref.Supporting {
					sv, ok := sameStatement(rowsBy[i][ci].Supporting, rv.Statement, cols[i])
					if ok {
						if t.SupportOnly == nil {
							t.SupportOnly = map[string]SupportCount{}
						}
						n := t.SupportOnly[c.ID]
						n.add(sv, rv, cols[i])
						t.SupportOnly[c.ID] = n
					}
					if ok && sv.Outcome != rv.Outcome {
						t.SanityFlips = append(t.SanityFlips, supportFlipLine(c.ID, cols[i], sv, rv, ref.Supporting))
					}
				}
			}
			continue
		}
		row := RobustnessRow{Claim: c.ID, PartVerdicts: len(ref.Parts) > 0}
		for i := range cols {
			cr := rowsBy[i][ci]
			var cell RobustnessCell
			if cr.Main != nil && !cr.Main.NotTested {
				cell.Outcome = cr.Main.Outcome
				cell.Effect = mainEffectText(cr)
				cell.Flips = i > 0 && cell.Outcome != ref.Outcome
				cell.Finished = finishedOf(bySetting[cols[i]], cr.Sections)
				if i > 0 {
					cell.Other, cell.OnlyOther = otherComparison(cr, ref, cols[i])
				}
			}
			if cell.Outcome == "" && i > 0 {
				for _, name := range ref.Sections {
					cell.LeftOut = cell.LeftOut || staleBy[cols[i]][name]
				}
			}
			if cell.Flips {
				line := fmt.Sprintf("%s on %s: %s (report: %s)", c.ID, cols[i].Label(), rowOutcomeEffect(cr), rowOutcomeEffect(ref))
				if len(cr.Parts) == 0 {
					line += contrastNote(cr.Main, ref.Main, cols[i])
				}
				row.Flips = append(row.Flips, withWhy(line, flipWhy(*cr.Main)))
			}
			// A claim whose parts are verdicts of their own (C11) has them
			// compared below; only a single main verdict's Why-parts are.
			if i > 0 && cr.Main != nil && ref.Main != nil && !cr.Main.NotTested && len(ref.Parts) == 0 {
				fl := whyPartFlips(c.ID, cols[i], *cr.Main, *ref.Main)
				row.SupportFlips = append(row.SupportFlips, fl...)
				row.WhyPartFlips += len(fl)
				cell.PartsDiffer = len(fl) > 0 && !cell.Flips
			}
			if i > 0 {
				others := append(append([]result.Verdict(nil), cr.Parts...), cr.Supporting...)
				siblings := append(append([]result.Verdict(nil), ref.Parts...), ref.Supporting...)
				for _, rv := range siblings {
					sv, ok := sameStatement(others, rv.Statement, cols[i])
					if ok {
						row.Support.add(sv, rv, cols[i])
					}
					if ok && sv.Outcome != rv.Outcome {
						row.SupportFlips = append(row.SupportFlips, supportFlipLine(c.ID, cols[i], sv, rv, siblings))
					}
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		// No other setting ran the claim at all: it is not repeated
		// (as speed's timings are not), rather than waiting for a run.
		if !slices.ContainsFunc(row.Cells[1:], func(c RobustnessCell) bool { return c.Outcome != "" }) {
			for i := 1; i < len(row.Cells); i++ {
				row.Cells[i].NotRepeated = true
			}
		}
		t.Rows = append(t.Rows, row)
	}
	for _, s := range cols[1:] {
		runs := bySetting[s]
		if len(runs) == 0 {
			continue
		}
		var names []string
		for _, r := range runs {
			when := r.Timing["finished_utc"]
			if when == "" {
				when = "time unknown"
			}
			note := ""
			if extra := settingFlags(r.Summary.Command); extra != "" {
				note = ", with " + extra
			}
			if !hasMain(r) {
				note += ", no main verdict: no row"
			}
			names = append(names, fmt.Sprintf("%s (%s%s)", r.Name, when, note))
		}
		sort.Strings(names)
		t.Parts = append(t.Parts, fmt.Sprintf("%s: %s", s.Label(), strings.Join(names, ", ")))
	}
	return t
}

// settingFlags are the settings a robustness run was given beyond the two
// that make its column (--dataset and --profile), as its command records
// them ("reluexp run overfitting --seeds=40 --dataset=fashion-mnist" gives
// "--seeds=40"): a setting that needed more seeds says so beside its run.
func settingFlags(command string) string {
	fields := strings.Fields(command)
	if len(fields) < 3 || fields[0] != "reluexp" || fields[1] != "run" {
		return ""
	}
	var extra []string
	for _, f := range fields[3:] {
		if strings.HasPrefix(f, "--dataset=") || strings.HasPrefix(f, "--profile=") {
			continue
		}
		extra = append(extra, f)
	}
	return strings.Join(extra, " ")
}

// sameStatement finds the verdict among vs, computed in setting s, that
// makes the given statement of the report's, reading the setting's data
// set as the report's ("stalls on Fashion-MNIST" is "stalls on MNIST").
// Supporting verdicts are matched by statement, not position: a setting
// where one experiment was not run has fewer of them, and a run made
// before a statement changed has none to match (so a verdict of an older
// rule is not set against the report's).
func sameStatement(vs []result.Verdict, statement string, s Setting) (result.Verdict, bool) {
	own, report := data.DatasetTitle(s.Dataset), data.DatasetTitle(reportSetting.Dataset)
	for _, v := range vs {
		if v.Statement == statement || strings.ReplaceAll(v.Statement, own, report) == statement {
			return v, true
		}
	}
	return result.Verdict{}, false
}

// whyPartFlips lists the parts a main verdict's Why gives an outcome of
// their own (PartsOf: "the fixes' half", "ReLU's half") whose outcome in
// setting s differs from the report's, matched by label: such a part is
// no verdict of its own, so the supporting verdicts' comparison does not
// see it. A part whose label names a rate ("leaky at lr 0.8") matches
// only where the setting read the same rate. Each line gives both
// outcomes with what the Whys say of them (partOutcome).
func whyPartFlips(claim string, s Setting, got, ref result.Verdict) []string {
	var out []string
	theirs := PartsOf(got)
	for _, rp := range PartsOf(ref) {
		for _, sp := range theirs {
			if sp.Label != rp.Label || sp.Outcome == rp.Outcome {
				continue
			}
			out = append(out, fmt.Sprintf("%s on %s, part of the main verdict \"%s\": %s (report: %s)", claim, s.Label(), rp.Label, partOutcome(sp), partOutcome(rp)))
			break
		}
	}
	return out
}

// partOutcome is a part's outcome with what its Why says of it, if
// anything: "REFUTED, leaky loses about as many units as ReLU".
func partOutcome(p Part) string {
	if p.Detail == "" {
		return string(p.Outcome)
	}
	return string(p.Outcome) + ", " + p.Detail
}

// hasMain says whether r gives any claim its main verdict, or a part of
// one.
func hasMain(r Run) bool {
	for _, v := range r.Summary.Verdicts {
		if v.Role == result.Main || v.Role == result.Part {
			return true
		}
	}
	return false
}

// finishedOf is when the run of the first section was last computed.
func finishedOf(runs []Run, sections []string) string {
	for _, r := range runs {
		if len(sections) > 0 && r.Name == sections[0] {
			return r.Timing["finished_utc"]
		}
	}
	return ""
}

// Markdown renders the table and its notes.
func (t Robustness) Markdown() string {
	var b strings.Builder
	b.WriteString("## Robustness: each main verdict on two data sets and two budgets\n\n")
	b.WriteString(robustnessLede + "\n\n")
	b.WriteString("| Claim |")
	for _, c := range t.Columns {
		b.WriteString(" " + c.Label() + " |")
	}
	b.WriteString("\n|---|")
	for range t.Columns {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		fmt.Fprintf(&b, "| %s |", r.Claim)
		for _, c := range r.Cells {
			fmt.Fprintf(&b, " %s |", mdCell(c.Text()))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	if st := t.StaleText(); st != "" {
		b.WriteString(st + "\n\n")
	}
	if flips := t.FlipLines(); len(flips) > 0 {
		b.WriteString("Verdicts that change with the setting:\n\n")
		for _, f := range flips {
			b.WriteString("- " + f + "\n")
		}
		b.WriteString("\n")
	}
	if flips := t.SupportFlipLines(); len(flips) > 0 {
		b.WriteString("Parts and supporting verdicts that change with the setting (a part can change the headline, which then has a line above; a supporting verdict changes it only as a positive control that fails, which its rule names):\n\n")
		for _, f := range flips {
			b.WriteString("- " + f + "\n")
		}
		b.WriteString("\n")
	}
	if len(t.SanityFlips) > 0 {
		b.WriteString(sanityFlipsHead + "\n\n")
		for _, f := range t.SanityFlips {
			b.WriteString("- " + f + "\n")
		}
		b.WriteString("\n")
	}
	if len(t.SanityContexts) > 0 {
		b.WriteString(sanityContextsHead + "\n\n")
		for _, f := range t.SanityContexts {
			b.WriteString("- " + f + "\n")
		}
		b.WriteString("\n")
	}
	if len(t.Parts) == 0 {
		b.WriteString(noRobustnessRuns + "\n")
	} else {
		b.WriteString("Last regenerated (when each experiment's cells were last computed):\n\n")
		for _, p := range t.Parts {
			b.WriteString("- " + p + "\n")
		}
	}
	return b.String()
}

// Steadiness sorts the claims with a robustness row by how their main
// verdict fared in the other settings.
type Steadiness struct {
	// Tested are the claims recomputed in at least one other setting
	// with numbers of their own; Differs those of them whose verdict
	// differs from the report's in at least one, and Everywhere in every
	// one run. A verdict that differs only where the setting's effect
	// measures another comparison (RobustnessCell.Other) is in Differs
	// all the same: the report's own comparison is not read there and may
	// have changed too (C11's BatchNorm part did at twice the budget), so
	// the opening does not offer the other comparison as the reason.
	Tested, Differs, Everywhere []string
	// OtherOf counts, for a claim of Everywhere, the settings whose
	// different verdict reads another comparison than the report's: "in
	// every one" would overstate a change found on the same comparison
	// in only some of them.
	OtherOf map[string]int
	// NotRun were repeated in no other setting; SettingFree only with
	// identical numbers (the setting does not enter their verdict).
	NotRun, SettingFree []string
}

// Steadiness is how the claims' main verdicts fared in the other
// settings, for the report's opening.
func (t Robustness) Steadiness() Steadiness {
	var s Steadiness
	for _, r := range t.Rows {
		run, flips, sameFlips, identical := 0, 0, 0, 0
		for i, c := range r.Cells {
			if i == 0 || c.Outcome == "" {
				continue
			}
			run++
			switch {
			case c.Flips:
				flips++
				if !c.OnlyOther {
					sameFlips++
				}
			case c.Effect != "" && c.Effect == r.Cells[0].Effect:
				identical++
			}
		}
		switch {
		case run == 0:
			s.NotRun = append(s.NotRun, r.Claim)
		case identical == run:
			s.SettingFree = append(s.SettingFree, r.Claim)
		default:
			s.Tested = append(s.Tested, r.Claim)
			if flips == 0 {
				continue
			}
			s.Differs = append(s.Differs, r.Claim)
			if flips == run {
				s.Everywhere = append(s.Everywhere, r.Claim)
				if other := flips - sameFlips; other > 0 {
					if s.OtherOf == nil {
						s.OtherOf = map[string]int{}
					}
					s.OtherOf[r.Claim] = other
				}
			}
		}
	}
	return s
}

// Sentence is the opening's line on robustness; empty when no claim was
// recomputed elsewhere.
func (s Steadiness) Sentence() string {
	if len(s.Tested) == 0 {
		return ""
	}
	out := fmt.Sprintf("Of the %d claims whose headline was recomputed with numbers of its own on the other data set or budget (see Robustness), ", len(s.Tested))
	switch len(s.Differs) {
	case 0:
		out += "none gets another verdict"
	default:
		verb := " get"
		if len(s.Differs) == 1 {
			verb = " gets"
		}
		out += andList(s.Differs) + verb + " another verdict in at least one setting"
		var notes []string
		if len(s.Everywhere) > 0 {
			note := andList(s.Everywhere) + " in every one"
			for _, c := range s.Everywhere {
				if n := s.OtherOf[c]; n > 0 {
					if len(s.Everywhere) == 1 {
						// "C11 in every one, 3 of them on ...": the claim is named once.
						note += fmt.Sprintf(", %d of them on another comparison", n)
					} else {
						note += fmt.Sprintf(", %s in %d of them on another comparison", c, n)
					}
				}
			}
			notes = append(notes, note)
		}
		if len(notes) > 0 {
			out += " (" + strings.Join(notes, "; ") + ")"
		}
	}
	if len(s.NotRun) > 0 {
		out += "; " + andList(s.NotRun) + " not repeated"
	}
	if len(s.SettingFree) > 0 {
		out += "; " + andList(s.SettingFree) + " repeated with identical numbers (the setting does not enter the verdict)"
	}
	return out + "."
}

// Elsewhere says, for the first screen, how a claim's main verdict fared
// in the other settings run: "Robustness: the same verdict in 2 of 3
// other settings run; differs on Fashion-MNIST, report budget
// (CONFIRMED)". Empty when no
// other setting was run for the claim.
func (t Robustness) Elsewhere(claim string) string {
	for _, r := range t.Rows {
		if r.Claim != claim {
			continue
		}
		run, same, identical, leftOut := 0, 0, 0, 0
		var differs, others, otherParts []string
		for i, c := range r.Cells {
			if i > 0 && c.Outcome == "" && c.LeftOut {
				leftOut++
			}
			if i == 0 || c.Outcome == "" {
				continue
			}
			run++
			switch {
			case c.Flips && c.OnlyOther:
				differs = append(differs, fmt.Sprintf("%s (%s, on another comparison)", t.Columns[i].Label(), c.Outcome))
			case c.Flips:
				differs = append(differs, fmt.Sprintf("%s (%s)", t.Columns[i].Label(), c.Outcome))
			case c.Other != "":
				// The same outcome of another comparison repeats nothing
				// of the report's reading.
				others = append(others, t.Columns[i].Label())
			default:
				same++
				if c.Effect != "" && c.Effect == r.Cells[0].Effect {
					identical++
				}
				if c.PartsDiffer {
					otherParts = append(otherParts, t.Columns[i].Label())
				}
			}
		}
		stale := ""
		if leftOut > 0 {
			settings := "setting"
			if leftOut > 1 {
				settings += "s"
			}
			stale = fmt.Sprintf("; %d more %s left out (run under older verdict rules: see Robustness)", leftOut, settings)
		}
		if run == 0 {
			if leftOut > 0 {
				return "Robustness: no other setting read" + stale
			}
			return ""
		}
		s := fmt.Sprintf("Robustness: the same verdict in %d of %d other settings run", same, run)
		if len(otherParts) > 0 {
			s += fmt.Sprintf(" (on %s reached through other readings of its parts: see Robustness)", strings.Join(otherParts, " and "))
		}
		if len(others) > 0 {
			// "The same verdict" means the same comparison too: say so
			// where other settings reach the outcome on another one, and
			// count those apart (they repeat nothing of the report's
			// reading).
			s = fmt.Sprintf("Robustness: of %d other settings run, the same verdict on the same comparison in %d and the same outcome (%s) on another comparison in %d (%s: see Robustness)",
				run, same, r.Cells[0].Outcome, len(others), strings.Join(others, "; "))
		}
		if identical == run {
			// Repeating the report's very numbers is no evidence: say
			// that instead of counting it as agreement.
			s = fmt.Sprintf("Robustness: not tested by the %d other settings run (they give the report's very numbers: the setting does not enter this verdict)", run)
		}
		if len(differs) > 0 {
			s += "; differs on " + strings.Join(differs, ", ")
		}
		if r.Support.Read > 0 {
			whose := "its supporting verdicts"
			if r.PartVerdicts {
				whose = "its parts and supporting verdicts"
			}
			s += fmt.Sprintf("; %s keep the report's outcome in %d of %d readings (a verdict in a setting) with numbers of their own%s", whose, r.Support.Kept, r.Support.Read, r.Support.ChangedText())
		}
		if r.WhyPartFlips > 0 {
			// Counted in readings, a part in a setting (review 19a read
			// "2 parts" of one part changed in two settings).
			s += fmt.Sprintf("; the main verdict's own parts change outcome in %d %s (a part in a setting; see Robustness)", r.WhyPartFlips, plural(r.WhyPartFlips, "reading", "readings"))
		}
		return s + stale
	}
	if n, ok := t.SupportOnly[claim]; ok && n.Read > 0 {
		return fmt.Sprintf("Robustness (its headline is a sanity check, so only its supporting verdicts are read): they keep the report's outcome in %d of %d readings (a verdict in a setting) with numbers of their own%s (see Robustness)", n.Kept, n.Read, n.ChangedText())
	}
	return ""
}

// FlipLines are the rows' flip lines in order.
func (t Robustness) FlipLines() []string {
	var out []string
	for _, r := range t.Rows {
		out = append(out, r.Flips...)
	}
	return out
}

// SupportFlipLines are the rows' supporting flip lines in order.
func (t Robustness) SupportFlipLines() []string {
	var out []string
	for _, r := range t.Rows {
		out = append(out, r.SupportFlips...)
	}
	return out
}

// Text is a cell as the table shows it.
func (c RobustnessCell) Text() string {
	switch {
	case c.Outcome == "" && c.LeftOut:
		return "left out: run under older rules"
	case c.Outcome == "" && c.NotRepeated:
		return "not repeated"
	case c.Outcome == "":
		return "not run yet"
	}
	s := string(c.Outcome)
	if c.Flips {
		s = "**" + s + "** (changed)"
	}
	if c.Effect != "" {
		s += ": " + c.Effect
	}
	s += c.Other
	return s
}

// robustnessLede says what the table is.
const robustnessLede = "Each claim's main verdict, computed by the same rule on MNIST and on Fashion-MNIST, at the report's training budget and with twice its epochs or updates (profile long). " +
	"The first column is this report's. A verdict that differs from it is marked (changed) and listed below the table, followed by the supporting verdicts and sanity checks that change. A cell whose effect measures another comparison (an arm or a level that depends on the setting) says so; with the report's outcome it does not count as the same verdict, and a change there counts as a change, though it may come from the arm or level chosen as well as from the setting (the report's own comparison is not read there). " +
	"C3's main verdict is read at initialisation on random inputs, so neither the data set nor the budget enters it (make robustness repeats its run all the same); C2's is read from kernel and step timings, which no data set or budget enters either: speed is not repeated, and its cells say so."

// sanityContextsHead heads the list of sanity checks whose outcome holds
// in a setting beside a fact that cuts against it there.
const sanityContextsHead = "Sanity checks that keep the report's outcome in a setting, beside a fact from that setting's own numbers that cuts against a plain reading (it decides nothing):"

// sanityContextLine is one line of SanityContexts: the check, its outcome
// as in the report, and the setting's Context beside the report's.
func sanityContextLine(claim string, col Setting, sv, rv result.Verdict) string {
	report := "none"
	if rv.Context != "" {
		report = rv.Context
	}
	return fmt.Sprintf("%s on %s, sanity check \"%s\": %s, as in the report; beside it, %s (report: %s)",
		claim, col.Label(), ShortName(rv.Statement), sv.Outcome, sv.Context, report)
}

// sanityFlipsHead heads the list of sanity checks that change.
const sanityFlipsHead = "Sanity checks, and supporting verdicts of claims that have only sanity checks, that change with the setting (they never decide a claim):"

// effectText is the verdict's effect formatted, or "". An effect that
// measures one part of the verdict's statement only (Evidence.Of) is
// named by that part ("bn at lr 1: 0.02305 [...]"), so that a row whose
// settings measured different parts does not mix them unsaid.
func effectText(v *result.Verdict) string {
	if v == nil || v.Effect == nil {
		return ""
	}
	s := FormatEstimate(*v.Effect)
	if v.Effect.Of != "" {
		s = v.Effect.Of + ": " + s
	}
	return s
}

// mainEffectText is a row's main effect for the robustness table: each
// part's, named, for a headline read together from parts (whose parts
// measure different things), else the main verdict's.
func mainEffectText(row ClaimRow) string {
	if len(row.Parts) > 0 {
		return partEffects(row.Parts, func(v result.Verdict) string {
			if v.Effect == nil {
				return ""
			}
			return FormatEstimate(*v.Effect)
		})
	}
	return effectText(row.Main)
}

// rowOutcomeEffect is outcomeEffect for a row's main verdict, with each
// part's effect for a headline read together from parts.
func rowOutcomeEffect(row ClaimRow) string {
	if e := mainEffectText(row); e != "" {
		return string(row.Main.Outcome) + ", " + e
	}
	return string(row.Main.Outcome)
}

// outcomeEffect is a verdict's outcome and effect for a flip line:
// "INCONCLUSIVE, bn at lr 1: 0.02305 [...]", or the outcome alone for a
// verdict that compares nothing.
func outcomeEffect(v *result.Verdict) string {
	if e := effectText(v); e != "" {
		return string(v.Outcome) + ", " + e
	}
	return string(v.Outcome)
}

// contrastNote warns, on a flip line, when the setting's effect measures
// another comparison than the report's: a rule whose effect is its least
// favourable part (the arm closest to failing) can pick a different arm
// in each setting, and two numbers of different comparisons set side by
// side read as a change that is not one. Empty when both measure the same
// thing (the setting's data set read as the report's).
func contrastNote(sv, rv *result.Verdict, s Setting) string {
	if sv == nil || rv == nil || sv.Effect == nil || rv.Effect == nil {
		return ""
	}
	own, report := data.DatasetTitle(s.Dataset), data.DatasetTitle(reportSetting.Dataset)
	// Parts named on both sides say enough; else the effects' names. A
	// part's bracketed aside ("(3 of 20 runs diverged)") is a count, not
	// what is compared.
	here, there := sv.Effect.Name, rv.Effect.Name
	if a, b := strings.TrimSpace(withoutParens(sv.Effect.Of)), strings.TrimSpace(withoutParens(rv.Effect.Of)); a != "" && b != "" && a != b {
		here, there = a, b
	}
	// A bracketed aside of an effect's name says how it was picked ("the
	// least favourable fix and layer group") or how it was taken ("per
	// seed"), not what is compared: two names equal without them measure
	// the same thing.
	if strings.ReplaceAll(here, own, report) == there || strings.TrimSpace(strings.ReplaceAll(withoutParens(here), own, report)) == strings.TrimSpace(withoutParens(there)) {
		return ""
	}
	return fmt.Sprintf(" (not the same comparison: here %s, in the report %s)", here, there)
}

// otherComparison is a robustness cell's note when its effect measures
// another comparison than the report's, and whether every changed part
// of it does. A headline read from parts is judged part by part: its
// note names each part whose comparison differs, and its change is one
// of another comparison only if every part whose outcome changed
// measures another.
func otherComparison(cr, ref ClaimRow, s Setting) (note string, onlyOther bool) {
	if len(cr.Parts) == 0 {
		note = contrastNote(cr.Main, ref.Main, s)
		return note, note != ""
	}
	var notes []string
	onlyOther, changed := true, false
	for _, rv := range ref.Parts {
		sv, ok := sameStatement(cr.Parts, rv.Statement, s)
		if !ok {
			continue
		}
		n := contrastNote(&sv, &rv, s)
		if n != "" {
			// " (not the same comparison: ...)" inside the cell's own
			// brackets, after the part's name.
			notes = append(notes, ShortName(rv.Statement)+": "+strings.TrimSuffix(strings.TrimPrefix(n, " ("), ")"))
		}
		if sv.Outcome != rv.Outcome {
			changed = true
			onlyOther = onlyOther && n != ""
		}
	}
	if len(notes) > 0 {
		note = " (" + strings.Join(notes, "; ") + ")"
	}
	return note, changed && onlyOther
}

// supportFlipLine is the line for a part or supporting verdict whose
// outcome in setting col (sv) differs from the report's (rv). A positive
// control is named as one (its change says the design could not show a
// known effect there, not that the claim changed); a short name that
// another of the claim's verdicts (siblings) shares is followed by the
// effect's name, which tells them apart (review 20a: three sigmoid pairs
// shortened to the same words).
func supportFlipLine(claim string, col Setting, sv, rv result.Verdict, siblings []result.Verdict) string {
	name := "\"" + ShortName(rv.Statement) + "\""
	switch {
	case rv.Short != "":
		// The experiment's own name tells it apart from its siblings.
		name = "\"" + rv.Short + "\""
	case rv.Effect != nil && slices.ContainsFunc(siblings, func(o result.Verdict) bool {
		return o.Statement != rv.Statement && ShortName(o.Statement) == ShortName(rv.Statement)
	}):
		name += " (" + rv.Effect.Name + ")"
	}
	line := fmt.Sprintf("%s on %s, %s %s: %s (report: %s)",
		claim, col.Label(), roleWords(rv), name, outcomeEffect(&sv), outcomeEffect(&rv)) + contrastNote(&sv, &rv, col)
	return withWhy(line, flipWhy(sv))
}

// flipWhy is what a flip line quotes of a verdict's Why: for an
// INCONCLUSIVE verdict, the point that says what could not be told (see
// cannotTellReason: most runs diverged, a control that failed, a
// reference at the edge of its grid), which its numbers alone do not
// show; otherwise nothing, the numbers saying enough.
func flipWhy(v result.Verdict) string {
	if v.Outcome != result.Inconclusive {
		return ""
	}
	return cannotTellReason(v)
}

// withWhy ends a flip line with the first sentence of why, if any.
func withWhy(line, why string) string {
	if s := firstSentence(why); s != "" {
		return line + ". Why: " + s
	}
	return line
}

// maxWhySentence bounds, in bytes, the sentence of a Why a flip line
// quotes.
const maxWhySentence = 200

// firstSentence is why's first sentence without its full stop, cut
// (with an ellipsis) to at most maxWhySentence bytes: at its last clause
// (", ", ": ", "; ") outside brackets that leaves at least half of it,
// else at a word.
func firstSentence(why string) string {
	sentences := splitTopLevel(why, sentenceEnd)
	if len(sentences) == 0 {
		return ""
	}
	s := strings.TrimRight(sentences[0], ".")
	if len(s) <= maxWhySentence {
		return s
	}
	clause, word, anyWord := -1, -1, -1
	depth := 0
	for i := 0; i < maxWhySentence; i++ {
		switch s[i] {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		case ',', ':', ';':
			if depth == 0 && s[i+1] == ' ' {
				clause = i
			}
		case ' ':
			anyWord = i
			if depth == 0 {
				word = i
			}
		}
	}
	cut := maxWhySentence
	switch {
	case clause >= maxWhySentence/2:
		cut = clause
	case word >= maxWhySentence/2:
		cut = word
	case anyWord > 0:
		cut = anyWord
	}
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimRight(s[:cut], " ,:;") + " …"
}

// noRobustnessRuns is what the section says before any robustness run.
const noRobustnessRuns = "No robustness run is in the results yet: make robustness computes them (several hours on 2 cores; docs/robustness.md shows how to run them as shards)."

// Lede and Missing expose the section's fixed words to the page template.
func (t Robustness) Lede() string    { return robustnessLede }
func (t Robustness) Missing() string { return noRobustnessRuns }

// plural is one when n is 1, many otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
