// Package report renders experiment results to disk and to the terminal:
// per experiment a folder with summary.json, summary.md, a Markdown file per
// table, a CSV per record table and a PNG per figure. Every file is written
// atomically, so an interrupted run never leaves a half-written file.
package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/internal/atomicfile"
	"github.com/reluexp/reluexp/plots"
)

// Summary is the content of summary.json: the verdicts with their numbers,
// the configuration, and the names of every file written. It holds no
// timings or paths, so the same command gives the same bytes.
type Summary struct {
	Experiment string           `json:"experiment"`
	Claims     []string         `json:"claims"`
	Command    string           `json:"command"`
	Config     any              `json:"config"`
	Verdicts   []result.Verdict `json:"verdicts"`
	Notes      []string         `json:"notes,omitempty"`
	Figures    []FigureFile     `json:"figures"`
	Tables     []TableFile      `json:"tables"`
	// TimingTables are the Markdown files of wall-clock tables, whose
	// content differs from run to run and so is not embedded here.
	TimingTables []string `json:"timing_tables,omitempty"`
	Records      []string `json:"records"`
	// RulesVersion is result.Result's: the version of the verdict rules
	// the summary was made under (0: before the experiment kept one).
	RulesVersion int `json:"rules_version,omitempty"`
}

// TableFile is a table: its Markdown file and its content, so that the
// report can render it in any format from summary.json alone.
type TableFile struct {
	File string `json:"file"`
	result.Table
}

// FigureFile names a figure's PNG and says what it shows.
type FigureFile struct {
	File    string `json:"file"`
	Title   string `json:"title"`
	Caption string `json:"caption"`
}

// NewSummary collects res into a Summary.
func NewSummary(res *result.Result) Summary {
	s := Summary{Experiment: res.Experiment, Claims: res.Claims, Command: res.Command, Config: res.Config, Verdicts: res.Verdicts, Notes: res.Notes, RulesVersion: res.RulesVersion}
	for _, f := range res.Figures {
		s.Figures = append(s.Figures, FigureFile{File: f.Name + ".png", Title: f.Title, Caption: f.Caption})
	}
	for _, t := range res.Tables {
		if t.Volatile {
			s.TimingTables = append(s.TimingTables, t.Name+".md")
			continue
		}
		s.Tables = append(s.Tables, TableFile{File: t.Name + ".md", Table: t})
	}
	for _, t := range res.Records {
		s.Records = append(s.Records, t.Name+".csv")
	}
	return s
}

// WriteExperiment writes every output of res into dir, creating it if
// needed. Files are rendered in memory first and each is written
// atomically.
func WriteExperiment(dir string, res *result.Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	files := map[string][]byte{}
	var order []string
	add := func(name string, data []byte) error {
		if _, dup := files[name]; dup {
			return fmt.Errorf("report: %s writes %s twice", res.Experiment, name)
		}
		files[name] = data
		order = append(order, name)
		return nil
	}
	for _, t := range res.Records {
		b, err := CSV(t)
		if err != nil {
			return err
		}
		if err := add(t.Name+".csv", b); err != nil {
			return err
		}
	}
	for _, t := range res.Tables {
		md, err := MarkdownTable(t)
		if err != nil {
			return fmt.Errorf("table %s: %w", t.Name, err)
		}
		if err := add(t.Name+".md", []byte(tableMarkdown(t, md))); err != nil {
			return err
		}
	}
	for _, f := range res.Figures {
		png, err := plots.PNG(f)
		if err != nil {
			return err
		}
		if err := add(f.Name+".png", png); err != nil {
			return err
		}
	}
	summary := NewSummary(res)
	js, err := json.MarshalIndent(summary, "", "  ")
	if err != nil {
		return fmt.Errorf("summary of %s: %w", res.Experiment, err)
	}
	if err := add("summary.json", append(js, '\n')); err != nil {
		return err
	}
	md, err := SummaryMarkdown(res)
	if err != nil {
		return err
	}
	if err := add("summary.md", []byte(md)); err != nil {
		return err
	}
	stale := listedFiles(dir)
	for _, name := range order {
		if err := atomicfile.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return err
		}
	}
	// A file the previous summary listed and this one does not (a table
	// of a fallback level no longer read, say) would be left beside the
	// new outputs as if it were one of them.
	for _, name := range stale {
		if _, kept := files[name]; kept {
			continue
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("remove %s, an output of the previous run: %w", name, err)
		}
	}
	return nil
}

// listedFiles are the outputs the summary.json in dir lists, if there is
// one: the files an earlier run of the experiment wrote there. Names that
// are not plain file names are skipped, so that a damaged summary cannot
// point outside dir.
func listedFiles(dir string) []string {
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		return nil
	}
	var old Summary
	if json.Unmarshal(b, &old) != nil {
		return nil
	}
	names := append([]string(nil), old.TimingTables...)
	names = append(names, old.Records...)
	for _, f := range old.Figures {
		names = append(names, f.File)
	}
	for _, t := range old.Tables {
		names = append(names, t.File)
	}
	var out []string
	for _, n := range names {
		if n != "" && n == filepath.Base(n) && n != "." && n != ".." {
			out = append(out, n)
		}
	}
	return out
}

// CSV renders a record table with a header row.
func CSV(t result.Table) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(t.Columns); err != nil {
		return nil, err
	}
	for i, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return nil, fmt.Errorf("record table %s: row %d has %d cells for %d columns", t.Name, i, len(row), len(t.Columns))
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

func tableMarkdown(t result.Table, body string) string {
	var b strings.Builder
	if t.Title != "" {
		fmt.Fprintf(&b, "**%s**\n\n", t.Title)
	}
	b.WriteString(body)
	if t.Note != "" {
		fmt.Fprintf(&b, "\n%s\n", t.Note)
	}
	return b.String()
}

// writeVerdicts lists verdicts in Markdown: outcome and statement, then
// short lists of the measured effect, why (a point per sentence or
// clause), the rule, the caveat and every number behind it.
func writeVerdicts(b *strings.Builder, verdicts []result.Verdict) {
	for _, v := range verdicts {
		fmt.Fprintf(b, "- **%s** (%s): %s.\n", VerdictLabel(v), roleWords(v), strings.TrimRight(v.Statement, "."))
		if v.Effect != nil {
			fmt.Fprintf(b, "  - Effect: %s: %s", v.Effect.Name, FormatEstimate(*v.Effect))
			if v.Margin != nil {
				fmt.Fprintf(b, "; margin %.3g", *v.Margin)
				if v.MarginReason != "" {
					fmt.Fprintf(b, " (%s)", v.MarginReason)
				}
			}
			if v.MDE != nil {
				fmt.Fprintf(b, "; minimal detectable effect %.3g", *v.MDE)
			}
			fmt.Fprintf(b, "; n = %d", v.N)
			if note := MDENote(v); note != "" {
				fmt.Fprintf(b, " (%s)", note)
			}
			b.WriteString("\n")
		}
		writePoints(b, "Why", v.Why)
		if v.Context != "" {
			fmt.Fprintf(b, "  - Context (decides nothing): %s\n", v.Context)
		}
		writePoints(b, "Rule", v.Rule)
		if v.Caveat != "" {
			fmt.Fprintf(b, "  - Caveat: %s\n", v.Caveat)
		}
		if len(v.Evidence) > 0 {
			b.WriteString("  - Numbers:\n")
			for _, e := range v.Evidence {
				fmt.Fprintf(b, "    - %s: %s\n", e.Name, FormatEstimate(e))
			}
		}
	}
}

// writePoints writes a labelled paragraph as a nested list, one item per
// sentence, a sentence cut at its clauses (SentencePoints) with its later
// clauses nested under its first, or on one line when it is one point.
func writePoints(b *strings.Builder, label, text string) {
	sentences := SentencePoints(text)
	switch {
	case len(sentences) == 0:
	case len(sentences) == 1 && len(sentences[0]) == 1:
		fmt.Fprintf(b, "  - %s: %s\n", label, sentences[0][0])
	default:
		fmt.Fprintf(b, "  - %s:\n", label)
		for _, s := range sentences {
			fmt.Fprintf(b, "    - %s\n", s[0])
			for _, p := range s[1:] {
				fmt.Fprintf(b, "      - %s\n", p)
			}
		}
	}
}

// SummaryMarkdown is the experiment's page: the command, the verdicts with
// their rules and numbers, the figures and the tables.
func SummaryMarkdown(res *result.Result) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s (%s)\n\n", res.Experiment, strings.Join(res.Claims, ", "))
	fmt.Fprintf(&b, "Reproduce with:\n\n```\n%s\n```\n\n## Verdicts\n\n", res.Command)
	writeVerdicts(&b, res.Verdicts)
	if len(res.Notes) > 0 {
		b.WriteString("\n## Notes\n\n")
		for _, n := range res.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	if len(res.Figures) > 0 {
		b.WriteString("\n## Figures\n\n")
		for _, f := range res.Figures {
			fmt.Fprintf(&b, "### %s\n\n![%s](%s.png)\n\n%s\n\n", f.Title, f.Title, f.Name, f.Caption)
		}
	}
	if len(res.Tables) > 0 {
		b.WriteString("## Tables\n\n")
		for _, t := range res.Tables {
			if t.Volatile {
				fmt.Fprintf(&b, "Wall-clock measurements, which differ from run to run: [%s.md](%s.md).\n\n", t.Name, t.Name)
				continue
			}
			md, err := MarkdownTable(t)
			if err != nil {
				return "", err
			}
			b.WriteString(tableMarkdown(t, md))
			b.WriteString("\n")
		}
	}
	if len(res.Records) > 0 {
		b.WriteString("## Data\n\nEvery measured number: ")
		for i, t := range res.Records {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "[%s.csv](%s.csv)", t.Name, t.Name)
		}
		b.WriteString(".\n")
	}
	return b.String(), nil
}

// FormatEstimate writes an evidence number as "mean [lo, hi] (n=N)", and
// a number that could not be computed (a mean over no values, NaN) as
// "no value (n=N)" rather than "NaN pp (n=0)".
func FormatEstimate(e result.Evidence) string {
	est := e.Estimate
	if math.IsNaN(est.Mean) {
		return fmt.Sprintf("no value (n=%d)", est.N)
	}
	unit := ""
	if e.Unit != "" {
		unit = " " + e.Unit
	}
	if est.N < 2 {
		return fmt.Sprintf("%.4g%s (n=%d)", est.Mean, unit, est.N)
	}
	if e.Unit == "log10 ratio" {
		// The ratio itself beside its log, which the rule averages
		// (review 21a: a log alone reads as a null effect).
		return fmt.Sprintf("%.4g [%.4g, %.4g]%s, a ratio of %.3g [%.3g, %.3g] (%s, n=%d)", est.Mean, est.Lo, est.Hi, unit,
			math.Pow(10, est.Mean), math.Pow(10, est.Lo), math.Pow(10, est.Hi), e.IntervalName(), est.N)
	}
	return fmt.Sprintf("%.4g [%.4g, %.4g]%s (%s, n=%d)", est.Mean, est.Lo, est.Hi, unit, e.IntervalName(), est.N)
}

// PrintResult writes the verdicts and tables to a terminal.
func PrintResult(w io.Writer, res *result.Result) error {
	for _, t := range res.Tables {
		fmt.Fprintf(w, "\n%s\n", t.Title)
		if err := WriteTable(w, t); err != nil {
			return err
		}
		if t.Note != "" {
			fmt.Fprintln(w, t.Note)
		}
	}
	fmt.Fprintln(w)
	for _, v := range res.Verdicts {
		fmt.Fprintf(w, "%-22s (%s) %s\n    %s\n", VerdictLabel(v), roleWords(v), v.Statement, v.Why)
		if v.Effect != nil {
			fmt.Fprintf(w, "    %s: %s", v.Effect.Name, FormatEstimate(*v.Effect))
			if v.Margin != nil {
				fmt.Fprintf(w, "; margin %.3g", *v.Margin)
			}
			if v.MDE != nil {
				fmt.Fprintf(w, "; MDE %.3g", *v.MDE)
			}
			if note := MDENote(v); note != "" {
				fmt.Fprintf(w, " (%s)", note)
			}
			fmt.Fprintln(w)
		}
	}
	return nil
}

// VerdictLabel is how a verdict is named in lists: "C3 CONFIRMED", or
// "C3 sanity check CONFIRMED" for a check that holds by construction, so a
// sanity check never reads as the claim's verdict.
func VerdictLabel(v result.Verdict) string {
	if v.NotTested {
		return fmt.Sprintf("%s not tested in this run", v.Claim)
	}
	if v.Role == result.Sanity {
		return fmt.Sprintf("%s sanity check %s", v.Claim, v.Outcome)
	}
	return fmt.Sprintf("%s %s", v.Claim, v.Outcome)
}

// MDENote warns when a comparison had too little power to find an effect
// the size of its margin four times in five (its minimal detectable effect
// is above the margin). A CONFIRMED or REFUTED verdict then rests on an
// interval that cleared the margin anyway; an INCONCLUSIVE or MIXED one may
// only need more data. Empty otherwise.
func MDENote(v result.Verdict) string {
	if v.Margin == nil || v.MDE == nil || math.Abs(*v.MDE) <= math.Abs(*v.Margin) {
		return ""
	}
	// The note is about the effect shown: whether its own interval
	// cleared the margin, whatever the verdict made of it (a MIXED
	// verdict's effect may be a part that was decided).
	if v.Outcome == result.Confirmed || v.Outcome == result.Refuted || (v.Outcome == result.Mixed && effectClears(v)) {
		return "the minimal detectable effect is above the margin, so the test was underpowered at the margin; its interval cleared the margin all the same"
	}
	if effectClears(v) {
		// Undecided for a reason other than n (a failed control, a
		// second reading that disagrees): more data would not tell.
		return ""
	}
	if e := v.Effect; v.Outcome == result.Mixed && e != nil && !(e.Estimate.Lo < *v.Margin && *v.Margin < e.Estimate.Hi) {
		// The effect of a MIXED verdict is often one decided part, read
		// against a one-sided margin that effectClears cannot place
		// (review 19a found "more data could tell" beside a part whose
		// interval lay below its margin of +0.1): when the interval does
		// not hold the margin itself, only the power is noted.
		return "the minimal detectable effect is above the margin, so the test was underpowered at the margin"
	}
	return "the minimal detectable effect is above the margin: with this n and spread an effect of the margin's size could be missed, so more data could tell"
}

// effectClears says whether v's effect interval lies wholly beyond its
// margin on one side: above it, or below its negative.
func effectClears(v result.Verdict) bool {
	if v.Effect == nil || v.Margin == nil {
		return false
	}
	e, m := v.Effect.Estimate, math.Abs(*v.Margin)
	return e.N >= 2 && (e.Lo > m || e.Hi < -m)
}

// roleWords is a verdict's role as summaries print it: "supporting, a
// positive control" for a control (result.Verdict.Control), "supporting,
// exploratory: ..." for an exploratory one, else the role.
func roleWords(v result.Verdict) string {
	switch {
	case v.Control:
		return string(v.Role) + ", a positive control"
	case v.Exploratory:
		return string(v.Role) + ", exploratory: added after the results were seen"
	}
	return string(v.Role)
}
