package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/internal/atomicfile"
)

// The report: REPORT.md and index.html in the results folder, built from
// every experiment's summary.json (never from anything typed by hand): a
// claims table, one section per experiment, and the environment.

// Run is one experiment's results as found on disk.
type Run struct {
	Name    string
	Summary Summary
	// Timing is the last run's timing.txt (nil if there is none, e.g. after
	// a merge).
	Timing map[string]string
}

// TimingFile is where a run leaves its wall time and how it ran. It is the
// one file that differs between identical runs, and is kept out of the
// summaries for that reason.
const TimingFile = "timing.txt"

// WriteTiming writes key=value lines, sorted, to dir/timing.txt.
func WriteTiming(dir string, values map[string]string) error {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s\n", k, values[k])
	}
	return atomicfile.WriteFile(filepath.Join(dir, TimingFile), []byte(b.String()), 0o644)
}

func readTiming(dir string) map[string]string {
	b, err := os.ReadFile(filepath.Join(dir, TimingFile))
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			out[k] = v
		}
	}
	return out
}

// LoadRun reads out/name/summary.json; a missing summary is reported with
// errors.Is(err, fs.ErrNotExist).
func LoadRun(out, name string) (Run, error) {
	dir := filepath.Join(out, name)
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		return Run{}, err
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return Run{}, fmt.Errorf("%s: %w", filepath.Join(dir, "summary.json"), err)
	}
	return Run{Name: name, Summary: s, Timing: readTiming(dir)}, nil
}

// ClaimRow is one line of the claims table.
type ClaimRow struct {
	Claim result.Claim
	// Outcome is the headline: the outcome of the claim's main verdict;
	// empty if no experiment gave one (not tested, or only sanity checks).
	Outcome result.Outcome
	// Main is the verdict on the claim's main statement (nil if none):
	// an experiment's, or, for a claim tested in parts (Claim.Together),
	// the parts read together (jointVerdict).
	Main *result.Verdict
	// Parts are the verdicts on parts of the main statement, one per
	// experiment that tests one, which make Main when read together.
	Parts []result.Verdict
	// Supporting are the claim's other verdicts, and Sanity its checks
	// that hold by construction; neither changes the headline.
	Supporting, Sanity []result.Verdict
	Measurement        string
	Why                string
	// Sections are the experiments that gave the claim a verdict.
	Sections []string
	// Mains counts the verdicts marked main: exactly one is expected
	// unless the claim is only a sanity check (Check says otherwise).
	Mains int
	// NotTested says the main verdict's rule had nothing to read in this
	// run (its arms were left out by the flags).
	NotTested bool
	// Plain is the headline in plain words, computed from the verdicts.
	Plain Plain
	// Chips are the supporting verdicts and sanity checks, shown small
	// beside the headline (a sanity check that stands in for a missing
	// main verdict is the headline, not a chip).
	Chips []Chip
	// Figure is the figure that carries the main verdict (nil without a
	// main verdict or a figure); see KeyFigures.
	Figure *KeyFigure
	// Elsewhere is how the main verdict fared on the other data set and
	// budget (Robustness.Elsewhere); empty without robustness runs.
	Elsewhere string
}

// HeadlineRule states how a claim's verdicts make its row's verdict.
const HeadlineRule = "Each claim's headline verdict is the verdict on its main statement (named per claim in the claim catalogue); a main statement that joins points tested by different experiments (C11: BatchNorm and dropout) is read together from their verdicts on its parts, and holds only if every part does; its other verdicts are listed as supporting and do not change it, and checks that hold by construction are shown as sanity checks and never decide a claim. " +
	"A verdict is CONFIRMED or REFUTED only when an interval clears the claim's margin (the smallest difference that matters), MIXED when the evidence points both ways, and INCONCLUSIVE when this setup cannot tell (too few seeds for the margin, a control that did not train, most runs diverged); no significant difference is never read as either answer."

// ClaimRows builds the claims table from the runs.
func ClaimRows(claims []result.Claim, runs []Run) []ClaimRow {
	rows := make([]ClaimRow, len(claims))
	for i, c := range claims {
		row := ClaimRow{Claim: c}
		var mainRun *Run
		var parts []partFrom
		for ri, r := range runs {
			found := false
			for _, v := range r.Summary.Verdicts {
				if v.Claim != c.ID {
					continue
				}
				found = true
				switch v.Role {
				case result.Main:
					row.Mains++
					if row.Main == nil {
						v := v
						row.Main = &v
						mainRun = &runs[ri]
					} else {
						row.Supporting = append(row.Supporting, v)
					}
				case result.Part:
					row.Parts = append(row.Parts, v)
					parts = append(parts, partFrom{v: v, run: r.Name})
					if mainRun == nil {
						mainRun = &runs[ri]
					}
				case result.Sanity:
					row.Sanity = append(row.Sanity, v)
				default:
					row.Supporting = append(row.Supporting, v)
				}
			}
			if found {
				row.Sections = append(row.Sections, r.Name)
			}
		}
		if len(parts) > 0 && row.Main == nil {
			v := jointVerdict(c, parts)
			row.Main = &v
			mainRun = keyFigureRun(c.ID, runs, parts, mainRun)
		}
		row.fill()
		row.Plain = plainOf(row)
		switch {
		case row.Main != nil:
			row.Chips = chipsOf(append(append(append([]result.Verdict(nil), row.Parts...), row.Supporting...), row.Sanity...))
			row.Figure = keyFigure(c.ID, *mainRun)
		case len(row.Sanity) > 0:
			// The first check is the headline; the supporting verdicts
			// (a claim whose only rule holds by construction may still
			// have informative ones) and the other checks are chips.
			row.Chips = chipsOf(append(append([]result.Verdict(nil), row.Supporting...), row.Sanity[1:]...))
		}
		rows[i] = row
	}
	return rows
}

// fill derives the headline, measurement and why from the verdicts.
func (row *ClaimRow) fill() {
	var lead *result.Verdict
	switch {
	case row.Main != nil && row.Main.NotTested:
		row.NotTested = true
		lead = row.Main
	case row.Main != nil:
		lead = row.Main
		row.Outcome = row.Main.Outcome
	case len(row.Sanity) > 0:
		lead = &row.Sanity[0]
	default:
		return
	}
	switch {
	case len(row.Parts) > 0 && row.Main != nil:
		row.Measurement = "each part: " + partEffects(row.Parts, func(v result.Verdict) string {
			if v.Effect == nil {
				return ""
			}
			s := v.Effect.Name + ": " + FormatEstimate(*v.Effect)
			if v.Margin != nil {
				s += fmt.Sprintf("; margin %.3g", *v.Margin)
			}
			return s
		})
	case lead.Effect != nil:
		row.Measurement = lead.Effect.Name + ": " + FormatEstimate(*lead.Effect)
		if lead.Margin != nil {
			row.Measurement += fmt.Sprintf("; margin %.3g", *lead.Margin)
		}
	case len(lead.Evidence) > 0:
		row.Measurement = lead.Evidence[0].Name + ": " + FormatEstimate(lead.Evidence[0])
	}
	why := lead.Why
	if row.Main == nil {
		why = "Sanity check only (holds by construction, decides nothing): " + why
	}
	var parts []string
	for _, v := range row.Supporting {
		label := string(v.Outcome)
		if v.Exploratory {
			label += " (" + roleWords(v) + ")"
		}
		parts = append(parts, label+": "+v.Statement)
	}
	if len(parts) > 0 {
		why += " Supporting: " + strings.Join(parts, "; ") + "."
	}
	if n := len(row.Sanity); n > 0 && row.Main != nil {
		why += fmt.Sprintf(" Sanity checks: %d.", n)
	}
	row.Why = why
}

// Environment describes the machine and build that produced the results.
type Environment struct {
	GoVersion, OS, CPU, BLAS, Commit string
	Modules                          []string
}

// Site is everything the report shows.
type Site struct {
	Claims []ClaimRow
	Runs   []Run
	Env    Environment
	// Quick is set when the results come from the quick configuration.
	Quick bool
	// Robustness is the table of main verdicts across data sets and
	// budgets (nil: not shown, e.g. in a report of robustness runs).
	Robustness *Robustness
}

// NewSite assembles the report from the runs found.
func NewSite(claims []result.Claim, runs []Run, env Environment) Site {
	quick := false
	for _, r := range runs {
		if strings.Contains(r.Summary.Command, "--quick") {
			quick = true
		}
	}
	return Site{Claims: ClaimRows(claims, runs), Runs: runs, Env: env, Quick: quick}
}

// SetRobustness attaches the robustness table and marks, on each claim's
// first-screen row, how its main verdict fared in the other settings.
func (s *Site) SetRobustness(r Robustness) {
	s.Robustness = &r
	for i := range s.Claims {
		s.Claims[i].Elsewhere = r.Elsewhere(s.Claims[i].Claim.ID)
	}
}

// WriteSite writes REPORT.md and index.html into out.
func WriteSite(out string, site Site) error {
	md, err := site.Markdown()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(out, "REPORT.md"), []byte(md), 0o644); err != nil {
		return err
	}
	page, err := site.HTML()
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(out, "index.html"), page, 0o644)
}

func anchor(name string) string { return "experiment-" + name }

// Lede is the report's opening line: what it is, and the tally of the
// headline verdicts.
func (s Site) Lede() string {
	lede := fmt.Sprintf("The claims a well-known blog post makes about ReLU, tested on %s, each verdict computed from the measurements by a rule in the code. Of %d claims, %s.", testedOn(s.Runs), len(s.Claims), Tally(s.Claims))
	if s.Robustness != nil {
		if line := s.Robustness.Steadiness().Sentence(); line != "" {
			lede += " " + line
		}
	}
	return lede
}

// testedOn says which nets and data sets the runs trained, from their
// configurations: "multilayer perceptrons on MNIST and a small CNN on
// Fashion-MNIST (cnnspeed)", say. A run whose trained net (its "arch")
// has a convolution counts as a CNN; a CNN only timed (speed's step-cnn)
// does not.
func testedOn(runs []Run) string {
	type group struct {
		cnn     bool
		dataset string
	}
	names := map[group][]string{}
	var order []group
	for _, r := range runs {
		g := group{dataset: data.MNIST}
		if cfg, ok := r.Summary.Config.(map[string]any); ok {
			if d, ok := cfg["dataset"].(string); ok && d != "" {
				g.dataset = d
			}
		}
		if cfg, ok := r.Summary.Config.(map[string]any); ok {
			if arch, ok := cfg["arch"].(string); ok && strings.Contains(arch, "conv(") {
				g.cnn = true
			}
		}
		if names[g] == nil {
			order = append(order, g)
		}
		names[g] = append(names[g], r.Name)
	}
	if len(order) == 0 {
		return "small networks"
	}
	var parts []string
	for _, g := range order {
		what := "multilayer perceptrons"
		if g.cnn {
			what = "a small CNN"
		}
		part := what + " on " + data.DatasetTitle(g.dataset)
		if len(order) > 1 && len(names[g]) <= 2 {
			part += " (" + strings.Join(names[g], ", ") + ")"
		}
		parts = append(parts, part)
	}
	return andList(parts)
}

// Headline is the row's verdict in capitals, as its badge shows it.
func (r ClaimRow) Headline() string {
	switch {
	case r.Outcome != "":
		return string(r.Outcome)
	case r.NotTested:
		return "NOT TESTED IN THIS RUN"
	case len(r.Sanity) > 0:
		return "SANITY CHECK"
	}
	return "NOT MEASURED"
}

// BadgeNote is what the first screen says under the headline's badge:
// first, where the main verdict is on a knife edge, what would turn it
// (result.Verdict.Fragile; review 24c: a MIXED that one seed could turn
// showed as a plain MIXED), then what the badge does not cover
// (scopeNote).
func (r ClaimRow) BadgeNote() string {
	var parts []string
	if r.Main != nil && r.Main.Fragile != "" {
		parts = append(parts, r.Main.Fragile)
	}
	if n := r.scopeNote(); n != "" {
		parts = append(parts, n)
	}
	return strings.Join(parts, "; ")
}

// scopeNote says, under the headline's badge, what it does not cover:
// the supporting verdicts, tested with numbers of their own, whose outcome
// differs from the headline's: named with their chips' names when there
// are at most maxNamedInNote ("main statement only; beside it, REFUTED:
// ReLU overfits more"), else counted by outcome out of all the tested
// ones, in the order of outcomes ("main statement only; 3 of its 8 other
// tested verdicts differ: 2 REFUTED, 1 INCONCLUSIVE"). So a badge beside a
// two-clause claim, or a sanity check, does not read as the whole claim; a
// verdict that goes beyond the blog says so. Positive controls
// (Chip.Control) are not counted as differing, whatever their outcome:
// the note says apart how many hold in the report's own setting ("its 2
// positive controls in this setting: 2 CONFIRMED, so the measure can
// show an effect where one is known to exist"; the robustness table gives
// the other settings). Empty when every tested supporting verdict agrees
// with the headline and there is no control, and under a MIXED headline,
// which says the claim holds only in part.
func (r ClaimRow) scopeNote() string {
	if r.Outcome == result.Mixed {
		// A MIXED badge already says the claim holds only in part.
		return ""
	}
	var differ, controls []Chip
	tested := 0
	for _, c := range r.Chips {
		switch {
		case c.Role != result.Supporting || c.NotTested:
		case c.Control:
			controls = append(controls, c)
		default:
			tested++
			if c.Outcome != r.Outcome {
				differ = append(differ, c)
			}
		}
	}
	if len(differ) == 0 && len(controls) == 0 {
		return ""
	}
	head := "main statement only; "
	if r.Outcome == "" {
		head = "decides nothing; "
	}
	var note string
	switch {
	case len(differ) == 0:
		note = "its other tested verdicts agree"
	case len(differ) <= maxNamedInNote:
		var named []string
		for _, c := range differ {
			n := fmt.Sprintf("%s: %s", c.Outcome, c.Name)
			if strings.HasPrefix(c.Statement, "(beyond the blog") {
				n += " (beyond the blog)"
			}
			named = append(named, n)
		}
		note = "beside it, " + strings.Join(named, "; ")
	default:
		note = fmt.Sprintf("%d of its %d other tested verdicts differ: %s", len(differ), tested, countOutcomes(differ))
	}
	if len(controls) > 0 {
		held := 0
		for _, c := range controls {
			if c.Outcome == result.Confirmed {
				held++
			}
		}
		what := "so the measure can show an effect where one is known to exist"
		if held < len(controls) {
			what = "so the measure may not show the effect even there"
		}
		word := "controls"
		if len(controls) == 1 {
			word = "control"
		}
		note += fmt.Sprintf("; its %d positive %s in this setting: %s, %s", len(controls), word, countOutcomes(controls), what)
	}
	return head + note
}

// countOutcomes counts chips by outcome, in the order of outcomes: "2
// REFUTED, 1 INCONCLUSIVE".
func countOutcomes(chips []Chip) string {
	count := map[result.Outcome]int{}
	for _, c := range chips {
		count[c.Outcome]++
	}
	var parts []string
	for _, o := range outcomes {
		if count[o] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[o], o))
		}
	}
	return strings.Join(parts, ", ")
}

// maxNamedInNote: up to this many differing verdicts are named in a
// badge's note; more are counted.
const maxNamedInNote = 2

// HeadlineClass is the CSS class of a row's verdict.
func (r ClaimRow) HeadlineClass() string {
	switch {
	case r.Outcome != "":
		return strings.ToLower(string(r.Outcome))
	case len(r.Sanity) > 0:
		return "sanity"
	}
	return "missing"
}

// WhyPoints is the row's why as a short list.
func (r ClaimRow) WhyPoints() []string { return Points(r.Why) }

// Markdown renders the report for GitHub and editors.
func (s Site) Markdown() (string, error) {
	var b strings.Builder
	b.WriteString("# What the ReLU blog post claims, tested\n\n")
	b.WriteString(s.Lede() + "\n\n")
	if s.Quick {
		b.WriteString("**These are quick-mode results** (small nets, few seeds): they check that the pipeline works, not the claims.\n\n")
	}
	b.WriteString("## At a glance\n\n| Claim | Verdict | In plain words | Other verdicts | Figure |\n|---|---|---|---|---|\n")
	for _, r := range s.Claims {
		var chips []string
		for _, c := range r.Chips {
			chips = append(chips, c.Text())
		}
		fig := ""
		if f := r.Figure; f != nil {
			fig = fmt.Sprintf("[<img src=\"%s\" width=\"160\" alt=\"%s\">](#%s)", f.Src(), html.EscapeString(f.Title), f.Anchor())
		}
		plain := r.Plain.String()
		if r.Elsewhere != "" {
			plain += " " + r.Elsewhere + "."
		}
		badge := "**" + r.Headline() + "**"
		if n := r.BadgeNote(); n != "" {
			badge += "<br>" + mdCell(n)
		}
		fmt.Fprintf(&b, "| **%s** %s | %s | %s | %s | %s |\n", r.Claim.ID, mdCell(r.Claim.Blog), badge,
			mdCell(plain), mdCell(strings.Join(chips, "<br>")), fig)
	}
	b.WriteString("\nHow to read it:\n\n")
	for _, p := range Points(HeadlineRule) {
		b.WriteString("- " + p + "\n")
	}
	b.WriteString("- Numbers are means with 95% confidence intervals over seeds (n = number of values).\n" +
		"- Generated by `reluexp report` from the experiments' `summary.json` files; each verdict's rule, numbers and figures are in its experiment's section.\n\n")
	b.WriteString("## Claims in detail\n\n| ID | The blog says | Published anchor | Our measurement | Verdict | Why |\n|---|---|---|---|---|---|\n")
	for _, r := range s.Claims {
		verdict := "not measured"
		switch {
		case r.Outcome != "":
			verdict = "**" + string(r.Outcome) + "**"
		case r.NotTested:
			verdict = "not tested in this run"
		case len(r.Sanity) > 0:
			verdict = "sanity check: " + string(r.Sanity[0].Outcome)
		}
		var links []string
		for _, sec := range r.Sections {
			links = append(links, fmt.Sprintf("[%s](#%s)", sec, anchor(sec)))
		}
		why := r.WhyPoints()
		if r.Elsewhere != "" {
			// The other settings' verdicts too (review 25a: this table
			// said nothing of a headline that changes with the setting).
			why = append(why, r.Elsewhere+".")
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s %s |\n", r.Claim.ID, mdCell(r.Claim.Blog), mdCell(r.Claim.Anchor),
			mdCell(r.Measurement), verdict, mdCell(strings.Join(why, "<br>")), strings.Join(links, ", "))
	}
	for _, run := range s.Runs {
		sum := run.Summary
		fmt.Fprintf(&b, "\n<a id=\"%s\"></a>\n\n## %s (%s)\n\nReproduce with `%s`.\n\n", anchor(run.Name), run.Name, strings.Join(sum.Claims, ", "), sum.Command)
		writeVerdicts(&b, sum.Verdicts)
		if len(sum.Notes) > 0 {
			b.WriteString("\nNotes:\n\n")
			for _, n := range sum.Notes {
				fmt.Fprintf(&b, "- %s\n", n)
			}
		}
		for _, f := range sum.Figures {
			fmt.Fprintf(&b, "\n<a id=\"%s\"></a>\n\n![%s](%s/%s)\n\n*%s.* %s\n", figureAnchor(run.Name, f.File), f.Title, run.Name, f.File, f.Title, f.Caption)
		}
		for _, t := range sum.Tables {
			md, err := MarkdownTable(t.Table)
			if err != nil {
				return "", fmt.Errorf("table %s of %s: %w", t.Name, run.Name, err)
			}
			b.WriteString("\n" + tableMarkdown(t.Table, md))
		}
		if len(sum.TimingTables) > 0 {
			var links []string
			for _, f := range sum.TimingTables {
				links = append(links, fmt.Sprintf("[%s](%s/%s)", f, run.Name, f))
			}
			fmt.Fprintf(&b, "\nWall-clock tables (they differ from run to run): %s.\n", strings.Join(links, ", "))
		}
		if len(sum.Records) > 0 {
			var links []string
			for _, r := range sum.Records {
				links = append(links, fmt.Sprintf("[%s](%s/%s)", r, run.Name, r))
			}
			fmt.Fprintf(&b, "\nData: %s.\n", strings.Join(links, ", "))
		}
	}
	if s.Robustness != nil {
		b.WriteString("\n" + s.Robustness.Markdown())
	}
	b.WriteString("\n## Environment\n\n")
	for _, kv := range s.envRows() {
		fmt.Fprintf(&b, "- %s: %s\n", kv[0], kv[1])
	}
	b.WriteString("\n| experiment | seed | `--seeds` (base; each verdict gives its n) | wall time of its last run | cells run | cells reused | workers | BLAS backend of its last run |\n|---|---|---|---|---|---|---|---|\n")
	for _, r := range s.timingRows() {
		fmt.Fprintf(&b, "| %s |\n", strings.Join(r, " | "))
	}
	b.WriteString("\n" + timingNote + "\n")
	return b.String(), nil
}

func (s Site) envRows() [][2]string {
	return [][2]string{
		{"Go", s.Env.GoVersion}, {"OS", s.Env.OS}, {"CPU", s.Env.CPU}, {"BLAS backend of this report's build", s.Env.BLAS},
		{"git commit", s.Env.Commit}, {"modules", strings.Join(s.Env.Modules, ", ")},
	}
}

// timingNote says how to read the timing table.
const timingNote = "The seeds column is the run's --seeds flag, its base number of seeds: some parts of an experiment use more, and each verdict states the n it rests on. " +
	"Each experiment's wall time is that of its last run, which computed the cells run and reused the records of the cells reused (computed by an earlier run of the same code and configuration); the total adds them up, so it is the full report's time only when no cell was reused. " +
	"The BLAS backend is the one that computed that run's cells: results differ between backends in the last digits, and in deep nets by seed-sized amounts; summaries rebuilt from records keep the run's time and backend."

// timingRows is one row per experiment and a total row.
func (s Site) timingRows() [][]string {
	var rows [][]string
	var wallSum float64
	var runSum, reusedSum int
	complete := true
	for _, r := range s.Runs {
		seed := "1"
		if i := strings.Index(r.Summary.Command, "--seed="); i >= 0 {
			seed = strings.Fields(r.Summary.Command[i+len("--seed="):])[0]
		}
		seeds := "n/a"
		if cfg, ok := r.Summary.Config.(map[string]any); ok {
			if v, ok := cfg["seeds"]; ok {
				seeds = fmt.Sprint(v)
			}
		}
		wall, cells, reused, workers, blas := "n/a", "n/a", "n/a", "n/a", "n/a"
		if r.Timing != nil {
			if w, err := strconv.ParseFloat(r.Timing["wall_seconds"], 64); err == nil {
				wall = fmt.Sprintf("%.0f s", w)
				wallSum += w
			} else {
				complete = false
			}
			cells, reused = orNA(r.Timing["cells_run"]), orNA(r.Timing["cells_reused"])
			workers, blas = orNA(r.Timing["workers"]), orNA(r.Timing["blas"])
			n, _ := strconv.Atoi(r.Timing["cells_run"])
			m, _ := strconv.Atoi(r.Timing["cells_reused"])
			runSum, reusedSum = runSum+n, reusedSum+m
		} else {
			complete = false
		}
		rows = append(rows, []string{r.Name, seed, seeds, wall, cells, reused, workers, blas})
	}
	if len(rows) > 1 {
		total := fmt.Sprintf("%.0f s (%.1f min)", wallSum, wallSum/60)
		if !complete {
			total += ", some experiments without a time"
		}
		rows = append(rows, []string{"total", "", "", total, strconv.Itoa(runSum), strconv.Itoa(reusedSum), "", ""})
	}
	return rows
}

func orNA(s string) string {
	if s == "" {
		return "n/a"
	}
	return s
}

// mdCell keeps a value inside one Markdown table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", "/", "\n", " ").Replace(s)
}

// HTML renders the report as one static page; the figures stay files
// beside it.
func (s Site) HTML() ([]byte, error) {
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, s); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"anchor":             anchor,
	"figureAnchor":       figureAnchor,
	"estimate":           FormatEstimate,
	"lower":              func(o result.Outcome) string { return strings.ToLower(string(o)) },
	"join":               strings.Join,
	"headlineRule":       func() string { return HeadlineRule },
	"effect":             func(e *result.Evidence) string { return FormatEstimate(*e) },
	"float":              func(p *float64) string { return fmt.Sprintf("%.3g", *p) },
	"mdeNote":            MDENote,
	"label":              VerdictLabel,
	"role":               roleWords,
	"points":             Points,
	"sentences":          SentencePoints,
	"sanityFlipsHead":    func() string { return sanityFlipsHead },
	"sanityContextsHead": func() string { return sanityContextsHead },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>reluexp: what the ReLU blog post claims, tested</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 1240px; margin: 0 auto; padding: 0.6em 1em 2em; line-height: 1.4; color: #222; }
h1 { font-size: 1.45em; margin: 0.2em 0 0.1em; }
.lede { margin: 0 0 0.5em; color: #333; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; vertical-align: top; text-align: left; }
th { background: #f3f3f3; }
.confirmed { background: #d9f2d9; border-color: #7bc47b; }
.refuted { background: #f8d7d7; border-color: #d98c8c; }
.mixed { background: #fcefc7; border-color: #d9b95c; }
.inconclusive { background: #e4e4f4; border-color: #9c9cc9; }
.sanity, .missing { background: #eee; border-color: #bbb; }
.badge-note { font-size: 0.75em; color: #555; margin-top: 0.3em; max-width: 11em; }
.badge { display: inline-block; min-width: 8.2em; text-align: center; padding: 0.15em 0.4em; border: 1px solid; border-radius: 4px; font-weight: bold; font-size: 0.82em; letter-spacing: 0.02em; }
table.glance { width: 100%; margin: 0.3em 0; font-size: 0.84em; line-height: 1.3; }
table.glance td { border: 0; border-bottom: 1px solid #e2e2e2; padding: 0.25em 0.35em; }
table.glance td.id { font-weight: bold; width: 2.2em; }
table.glance td.id a { color: inherit; text-decoration: none; }
table.glance td.verdict { width: 8.6em; }
table.glance td.thumb { width: 180px; padding-right: 0; }
.blog { font-weight: 600; }
.plain .head { font-weight: 600; }
.measured { color: #555; }
.elsewhere { color: #555; font-size: 0.92em; }
.chips { margin-top: 0.1em; }
.chip { display: inline-block; white-space: normal; max-width: 100%; font-size: 0.86em; border: 1px solid; border-radius: 0.8em; padding: 0 0.5em; margin: 0.05em 0 0; cursor: help; }
.chip b { font-size: 0.85em; letter-spacing: 0.02em; }
.chip.control { border-style: dashed; }
.chip.sanity { border-style: dotted; }
.chip-effect { opacity: 0.8; }
.thumb img { display: block; width: 180px; height: 56px; object-fit: cover; object-position: left top; background: #fff; border: 1px solid #ddd; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.9em; color: #444; }
code { background: #f5f5f5; padding: 0.1em 0.3em; }
.rule { color: #555; font-size: 0.9em; }
.note { background: #eef4fb; padding: 0.5em 1em; }
.verdicts > li { margin-bottom: 0.8em; }
.verdicts ul { margin: 0.2em 0; }
.verdicts li li { font-size: 0.92em; }
td ul { margin: 0; padding-left: 1.1em; }
</style>
</head>
<body>
<h1>What the ReLU blog post claims, tested</h1>
<p class="lede">{{.Lede}}</p>
{{if .Quick}}<p class="note"><strong>These are quick-mode results</strong> (small nets, few seeds): they check that the pipeline works, not the claims.</p>{{end}}
<table class="glance" id="glance">
{{range .Claims}}{{$row := .}}<tr id="claim-{{.Claim.ID}}">
<td class="id"><a href="#detail-{{.Claim.ID}}">{{.Claim.ID}}</a></td>
<td class="verdict"><span class="badge {{.HeadlineClass}}">{{.Headline}}</span>{{with .BadgeNote}}<div class="badge-note">{{.}}</div>{{end}}</td>
<td><div class="blog">{{.Claim.Blog}}</div>
{{with .Plain}}<div class="plain"><span class="head">{{.Head}}</span>{{with .Statement}} {{.}}{{end}}.{{with .Reason}} Reason: {{.}}.{{end}}{{with .FailingText}} <strong>{{.}}</strong>{{end}}{{with .OtherPartsText}} {{.}}{{end}}{{if .Effect}} <span class="measured" title="{{.EffectName}}">{{.MeasuredHead}}: {{.Effect}}.</span>{{end}}{{with .AgainstText}} <strong>{{.}}</strong>{{end}}{{with .UntoldText}} {{.}}{{end}}{{with .PartialText}} {{.}}{{end}}{{with .ContextText}} <strong>{{.}}</strong>{{end}}{{with $row.Elsewhere}} <a class="elsewhere" href="#robustness">{{.}}.</a>{{end}}</div>{{end}}

{{with .Chips}}<div class="chips">{{range .}}<span class="chip {{.Class}}" title="{{.Label}} ({{.Role}}): {{.Statement}}{{with .Context}}. Beside this: {{.}}{{end}}"><b>{{.Label}}</b> {{.Name}}{{with .Effect}} <span class="chip-effect">— {{.}}</span>{{end}}</span> {{end}}</div>{{end}}</td>
<td class="thumb">{{with .Figure}}<a href="#{{.Anchor}}" title="{{.Title}} ({{.Run}})"><img src="{{.Src}}" alt="{{.Title}}"></a>{{end}}</td>
</tr>
{{end}}</table>
<div class="rule">How to read it:<ul>{{range points headlineRule}}<li>{{.}}</li>{{end}}
<li>Numbers are means with 95% confidence intervals over seeds (n = number of values).</li>
<li>Hover over a chip for its full statement; click a figure for its place in its experiment's section, where the rules, numbers and every figure are.</li>
<li>Generated by <code>reluexp report</code> from the experiments' <code>summary.json</code> files; nothing in it is typed by hand.</li></ul></div>
<h2 id="claims">Claims in detail</h2>
<table>
<tr><th>ID</th><th>The blog says</th><th>Published anchor</th><th>Our measurement (the main verdict's effect)</th><th>Verdict</th><th>Why, rules and figures</th></tr>
{{range .Claims}}<tr id="detail-{{.Claim.ID}}"><td>{{.Claim.ID}}</td><td>{{.Claim.Blog}}</td><td>{{.Claim.Anchor}}</td><td>{{.Measurement}}</td>
{{if .Outcome}}<td class="{{lower .Outcome}}"><strong>{{.Outcome}}</strong></td>{{else if .NotTested}}<td class="missing">not tested in this run</td>{{else if .Sanity}}<td class="missing">sanity check: {{(index .Sanity 0).Outcome}}</td>{{else}}<td class="missing">not measured</td>{{end}}
<td>{{range .Sections}}<a href="#{{anchor .}}">{{.}}</a> {{end}}</td></tr>
{{end}}</table>
{{range .Runs}}{{$name := .Name}}
<h2 id="{{anchor .Name}}">{{.Name}} ({{join .Summary.Claims ", "}})</h2>
<p>Reproduce with <code>{{.Summary.Command}}</code>.</p>
<ul class="verdicts">
{{range .Summary.Verdicts}}<li><span class="badge {{lower .Outcome}}">{{label .}}</span> ({{role .}}): {{.Statement}}.
<ul>
{{if .Effect}}<li>Effect: {{.Effect.Name}}: {{effect .Effect}}{{if .Margin}}; margin {{float .Margin}}{{with .MarginReason}} ({{.}}){{end}}{{end}}{{if .MDE}}; minimal detectable effect {{float .MDE}}{{end}}; n = {{.N}}{{with mdeNote .}} ({{.}}){{end}}</li>{{end}}
{{with sentences .Why}}<li>Why:<ul>{{range .}}<li>{{index . 0}}{{with slice . 1}}<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}</li>{{end}}</ul></li>{{end}}
{{with .Context}}<li>Context (decides nothing): {{.}}</li>{{end}}
{{with sentences .Rule}}<li class="rule">Rule:<ul>{{range .}}<li>{{index . 0}}{{with slice . 1}}<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}</li>{{end}}</ul></li>{{end}}
{{if .Caveat}}<li class="rule">Caveat: {{.Caveat}}</li>{{end}}
{{with .Evidence}}<li>Numbers:<ul>{{range .}}<li>{{.Name}}: {{estimate .}}</li>{{end}}</ul></li>{{end}}
</ul></li>
{{end}}</ul>
{{with .Summary.Notes}}<ul class="note">{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{range .Summary.Figures}}<figure id="{{figureAnchor $name .File}}"><img src="{{$name}}/{{.File}}" alt="{{.Title}}"><figcaption><strong>{{.Title}}.</strong> {{.Caption}}</figcaption></figure>
{{end}}
{{range .Summary.Tables}}<p><strong>{{.Title}}</strong></p>
<table><tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</table>
{{if .Note}}<p class="rule">{{.Note}}</p>{{end}}
{{end}}
{{if .Summary.TimingTables}}<p>Wall-clock tables (they differ from run to run): {{range .Summary.TimingTables}}<a href="{{$name}}/{{.}}">{{.}}</a> {{end}}</p>{{end}}
{{if .Summary.Records}}<p>Data: {{range .Summary.Records}}<a href="{{$name}}/{{.}}">{{.}}</a> {{end}}</p>{{end}}
{{end}}
{{with .Robustness}}<h2 id="robustness">Robustness: each main verdict on two data sets and two budgets</h2>
<p>{{.Lede}}</p>
<table><tr><th>Claim</th>{{range .Columns}}<th>{{.Label}}</th>{{end}}</tr>
{{range .Rows}}<tr><td><a href="#detail-{{.Claim}}">{{.Claim}}</a></td>{{range .Cells}}<td class="{{if .Outcome}}{{lower .Outcome}}{{else}}missing{{end}}">{{if .Outcome}}<strong>{{.Outcome}}</strong>{{if .Flips}} (changed){{end}}{{with .Effect}}<br><span class="measured">{{.}}</span>{{end}}{{with .Other}}<br><span class="measured">{{.}}</span>{{end}}{{else if .LeftOut}}left out: run under older rules{{else if .NotRepeated}}not repeated{{else}}not run yet{{end}}</td>{{end}}</tr>
{{end}}</table>
{{with .StaleText}}<p><strong>{{.}}</strong></p>{{end}}
{{with .FlipLines}}<p>Verdicts that change with the setting:</p><ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{with .SupportFlipLines}}<p>Parts and supporting verdicts that change with the setting (a part can change the headline, which then has a line above; a supporting verdict changes it only as a positive control that fails, which its rule names):</p><ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{with .SanityFlips}}<p>{{sanityFlipsHead}}</p><ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{with .SanityContexts}}<p>{{sanityContextsHead}}</p><ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .Parts}}<p class="rule">Last regenerated (when each experiment's cells were last computed):</p><ul class="rule">{{range .Parts}}<li>{{.}}</li>{{end}}</ul>{{else}}<p class="rule">{{.Missing}}</p>{{end}}
{{end}}
<h2 id="environment">Environment</h2>
<ul>{{range .EnvRows}}<li>{{index . 0}}: {{index . 1}}</li>{{end}}</ul>
<table><tr><th>experiment</th><th>seed</th><th><code>--seeds</code> (base; each verdict gives its n)</th><th>wall time of its last run</th><th>cells run</th><th>cells reused</th><th>workers</th><th>BLAS backend of its last run</th></tr>
{{range .TimingRows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</table>
<p class="rule">{{.TimingNote}}</p>
</body>
</html>
`))

// EnvRows and TimingRows expose the environment to the page template.
func (s Site) EnvRows() [][2]string   { return s.envRows() }
func (s Site) TimingRows() [][]string { return s.timingRows() }

// TimingNote says how to read the timing table.
func (s Site) TimingNote() string { return timingNote }

// Check verifies a built report in out: every claim has a verdict, every
// figure a summary names exists and is a PNG, and every link in index.html
// points at a file that exists. It returns every problem found.
func Check(out string, claims []result.Claim, experimentNames []string) error {
	var problems []string
	var loaded []Run
	for _, name := range experimentNames {
		r, err := LoadRun(out, name)
		if errors.Is(err, fs.ErrNotExist) {
			problems = append(problems, fmt.Sprintf("%s has no summary.json", name))
			continue
		}
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		loaded = append(loaded, r)
		for _, f := range r.Summary.Figures {
			if err := checkPNG(filepath.Join(out, r.Name, f.File)); err != nil {
				problems = append(problems, err.Error())
			}
		}
		for _, name := range r.Summary.Records {
			if _, err := os.Stat(filepath.Join(out, r.Name, name)); err != nil {
				problems = append(problems, fmt.Sprintf("record %s/%s: %v", r.Name, name, err))
			}
		}
	}
	problems = append(problems, claimProblems(ClaimRows(claims, loaded))...)
	for _, r := range loaded {
		for _, v := range r.Summary.Verdicts {
			if err := checkVerdict(v); err != nil {
				problems = append(problems, fmt.Sprintf("%s, verdict %q on %s: %v", r.Name, v.Statement, v.Claim, err))
			}
		}
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		problems = append(problems, err.Error())
	} else {
		ids := pageIDs(string(page))
		for _, link := range pageLinks(string(page)) {
			if target, ok := strings.CutPrefix(link, "#"); ok {
				if !ids[target] {
					problems = append(problems, fmt.Sprintf("index.html links #%s, which is not on the page", target))
				}
				continue
			}
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(link))); err != nil {
				problems = append(problems, fmt.Sprintf("index.html links %s, which does not exist", link))
			}
		}
	}
	if _, err := os.Stat(filepath.Join(out, "REPORT.md")); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return fmt.Errorf("the report in %s is incomplete:\n  %s", out, strings.Join(problems, "\n  "))
	}
	return nil
}

// claimProblems is what Check finds wrong with the claims table: a claim
// with no main verdict, or more than one, or verdicts on parts that
// cannot be read together.
func claimProblems(rows []ClaimRow) []string {
	var problems []string
	for _, row := range rows {
		switch {
		case len(row.Parts) > 0 && row.Claim.Together == "":
			problems = append(problems, fmt.Sprintf("claim %s has verdicts on parts, but the catalogue gives no statement to read them together into", row.Claim.ID))
		case len(row.Parts) > 0 && row.Mains > 0:
			problems = append(problems, fmt.Sprintf("claim %s has both a main verdict and verdicts on parts; one decides a claim", row.Claim.ID))
		case len(row.Parts) > 0:
			// read together: the headline is jointVerdict's
		case row.Mains > 1:
			problems = append(problems, fmt.Sprintf("claim %s has %d main verdicts; exactly one decides a claim", row.Claim.ID, row.Mains))
		case row.Mains == 0 && len(row.Sanity) == 0:
			problems = append(problems, fmt.Sprintf("claim %s has no main verdict", row.Claim.ID))
		case row.Mains == 0 && len(row.Supporting) > 0 && len(row.Sanity) == 0:
			problems = append(problems, fmt.Sprintf("claim %s has supporting verdicts but no main one", row.Claim.ID))
		}
	}
	return problems
}

// checkVerdict holds a verdict to the report's standard: a known outcome
// and role, a caveat, and for a rule that compares two things its margin,
// n and effect (the minimal detectable effect may be missing only where n
// is too small for one).
func checkVerdict(v result.Verdict) error {
	switch v.Outcome {
	case result.Confirmed, result.Refuted, result.Mixed, result.Inconclusive:
	default:
		return fmt.Errorf("unknown outcome %q", v.Outcome)
	}
	switch v.Role {
	case result.Main, result.Part, result.Supporting, result.Sanity:
	default:
		return fmt.Errorf("unknown role %q (want main, part, supporting or sanity)", v.Role)
	}
	if v.Caveat == "" {
		return fmt.Errorf("no caveat: every verdict says what its setup cannot show")
	}
	if (v.Margin == nil) != (v.Effect == nil) {
		return fmt.Errorf("a comparison needs both its effect and its margin")
	}
	if v.Margin != nil && v.MarginReason == "" {
		return fmt.Errorf("margin %g has no reason: say why it is the smallest difference that matters", *v.Margin)
	}
	if v.Margin != nil && v.MDE == nil && v.N >= 2 {
		return fmt.Errorf("a comparison over %d units has no minimal detectable effect", v.N)
	}
	return nil
}

// pageLinks returns the targets of every src= and href= in an HTML page.
func pageLinks(page string) []string { return attrValues(page, `src="`, `href="`) }

// pageIDs returns the set of id= values in an HTML page.
func pageIDs(page string) map[string]bool {
	ids := map[string]bool{}
	for _, id := range attrValues(page, ` id="`) {
		ids[id] = true
	}
	return ids
}

// attrValues returns the values of the given attributes (each written as
// name=") in an HTML page.
func attrValues(page string, attrs ...string) []string {
	var links []string
	for _, attr := range attrs {
		rest := page
		for {
			i := strings.Index(rest, attr)
			if i < 0 {
				break
			}
			rest = rest[i+len(attr):]
			j := strings.IndexByte(rest, '"')
			if j < 0 {
				break
			}
			links = append(links, html.UnescapeString(rest[:j]))
			rest = rest[j:]
		}
	}
	return links
}

var pngMagic = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}

func checkPNG(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("figure %s: %w", path, err)
	}
	if !bytes.HasPrefix(b, pngMagic) {
		return fmt.Errorf("figure %s is not a PNG", path)
	}
	return nil
}
