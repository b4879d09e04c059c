// Package result holds the data an experiment returns: tables, figures
// described as data, and verdicts on claims. It knows nothing of PNG files,
// Markdown or terminals; the plots and report packages render it.
//
// Keeping these types in their own small package lets the renderers depend
// on them without depending on the experiments themselves.
package result

import "github.com/reluexp/reluexp/internal/ci"

// Outcome is the verdict on a claim.
type Outcome string

// The four verdicts a claim can get. MIXED is evidence that points both
// ways (the claim holds in one setting and fails in another); INCONCLUSIVE
// is a setup that could not tell (too few seeds for the margin, a control
// that did not train, most runs diverged) and its Why says which. "No
// significant difference" is never read as CONFIRMED or REFUTED.
const (
	Confirmed    Outcome = "CONFIRMED"
	Refuted      Outcome = "REFUTED"
	Mixed        Outcome = "MIXED"
	Inconclusive Outcome = "INCONCLUSIVE"
)

// Role says what a verdict weighs in its claim's headline.
type Role string

// A claim's headline verdict is its one Main verdict (the blog's main
// point, named per claim in the catalogue). A claim whose main statement
// joins points tested by different experiments (C11: BatchNorm in one,
// dropout in another; Claim.Together) has no Main verdict but a Part from
// each, which the report reads together: the headline holds only if every
// part does. Supporting verdicts are shown beside the headline and do not
// change it. A Sanity check holds by construction (a derivative that is 0
// or 1 by definition) and never decides a claim.
const (
	Main       Role = "main"
	Part       Role = "part"
	Supporting Role = "supporting"
	Sanity     Role = "sanity"
)

// Claim is one entry of the claim catalogue: what the blog post says, the
// published figure that anchors it, and what the harness measures.
type Claim struct {
	ID      string
	Blog    string
	Anchor  string
	Measure string
	// Together is, for a claim whose main statement is tested in parts by
	// different experiments (verdicts of Role Part), that statement as the
	// report tests it by reading the parts together; empty for a claim
	// with a Main verdict of its own.
	Together string
	// PartCount is how many parts the experiments give such a claim: a
	// report without some of them cannot confirm it.
	PartCount int
}

// Result is everything one experiment produced.
type Result struct {
	Experiment string   `json:"experiment"`
	Claims     []string `json:"claims"`
	// Command is the command line that reproduces this result.
	Command string `json:"command"`
	// Config is the experiment's configuration after defaults and flags.
	Config   any       `json:"config"`
	Verdicts []Verdict `json:"verdicts"`
	// Tables are small, formatted, for people (Markdown and the terminal).
	Tables []Table `json:"-"`
	// Records are every measured number, unformatted, for CSV files.
	Records []Table  `json:"-"`
	Figures []Figure `json:"-"`
	// Notes are short remarks that belong in the summary (caveats, what a
	// figure shows). They are computed, like everything else.
	Notes []string `json:"notes,omitempty"`
	// RulesVersion is the version of the experiment's verdict rules, which
	// the experiment bumps when a rule changes, so that the report can
	// tell a summary made under older rules (in another setting, say)
	// from one of the current rules; 0 before the experiment kept one.
	RulesVersion int `json:"rules_version,omitempty"`
}

// Verdict is the outcome of one claim, with the rule that produced it and the
// numbers the rule read.
type Verdict struct {
	Claim string `json:"claim"`
	// Statement is the claim as tested, in a few words.
	Statement string `json:"statement"`
	// Short, when set, is the verdict's name on the report's first screen
	// (its chip) and in the Robustness lines: a few words that tell it
	// apart from the claim's other verdicts, for an experiment whose
	// statements differ only late in long words (C6's centring pairs).
	// Empty: the report shortens the statement itself.
	Short string `json:"short,omitempty"`
	// Rule is the decision rule as the code applies it.
	Rule    string  `json:"rule"`
	Outcome Outcome `json:"outcome"`
	// Why is one sentence with the deciding numbers.
	Why  string `json:"why"`
	Role Role   `json:"role"`
	// Effect is the quantity the rule compares, with its interval (for
	// example the paired difference in test accuracy); nil for a rule that
	// compares nothing.
	Effect *Evidence `json:"effect"`
	// Margin is the smallest effect that matters for the claim, in Effect's
	// unit; nil for a rule that compares nothing.
	Margin *float64 `json:"margin"`
	// MarginReason says in a few words why Margin is the smallest
	// difference that matters (for example "a tenth of the accuracy
	// between chance and the control"); required with Margin.
	MarginReason string `json:"margin_reason,omitempty"`
	// N is the number of independent units the rule rests on (seeds, or
	// nets for a Monte Carlo count).
	N int `json:"n"`
	// MDE is the minimal detectable effect at 80% power with this N (the
	// smallest true effect the test finds four times in five), in Effect's
	// unit; nil where the rule compares nothing. An MDE above Margin says
	// the setup has too few seeds to decide.
	MDE *float64 `json:"mde"`
	// Caveat is one line on what this setup cannot show.
	Caveat string `json:"caveat"`
	// Context is a fact from the verdict's own numbers that cuts against
	// a plain reading of its statement and outcome (the two-sided net that
	// keeps its units is less accurate; layer 1's dead units never came
	// back), for the report's first screen, which shows the outcome without
	// the Why. It decides nothing; empty when there is none.
	Context string `json:"context,omitempty"`
	// NotTested marks a verdict whose rule had nothing to read because the
	// run was configured without what it needs (an arm or a depth left out
	// by the flags): the outcome is INCONCLUSIVE and Why says what to add,
	// and the report shows "not tested in this run" instead of a verdict.
	NotTested bool `json:"not_tested,omitempty"`
	// Control marks a supporting verdict that is a positive control: the
	// design applied where the effect is known to exist (sigmoid's
	// outputs in (0, 1), uncentred pixels, for centring), so that its
	// holding shows the design could have shown the claim. Its outcome
	// differing from the headline is not evidence against the headline;
	// the report shows it apart.
	Control bool `json:"control,omitempty"`
	// Fragile says, in a few words for the report's first screen, what
	// would turn the verdict when a reading that decides it lies on a
	// knife edge ("on a knife edge: INCONCLUSIVE without any one of 14 of
	// its 24 seeds"); empty otherwise. It decides nothing.
	Fragile string `json:"fragile,omitempty"`
	// Exploratory marks a supporting verdict added after the results it
	// explores were seen and read only on the seeds the rules were shaped
	// on: its experiment's section shows it, marked so; the report's first
	// screen and its robustness counts leave it out, since it was chosen
	// with the answer in view.
	Exploratory bool       `json:"exploratory,omitempty"`
	Evidence    []Evidence `json:"evidence"`
}

// Float returns a pointer to x, for Verdict's optional numbers.
func Float(x float64) *float64 { return &x }

// Evidence is one named number behind a verdict.
type Evidence struct {
	Name     string      `json:"name"`
	Estimate ci.Estimate `json:"estimate"`
	Unit     string      `json:"unit,omitempty"`
	// Of says, when a verdict's effect measures one part of its statement
	// only, which part, in a few words ("tanh at g=3", "prelu, layers
	// 2-3"), so that a short display of the number names its subject.
	Of string `json:"of,omitempty"`
	// Interval names the interval when it is not the plain 95% CI of the
	// estimate ("95% CI widened by the null arm's reach"), so that a
	// display does not call a widened interval a CI; empty for a plain one.
	Interval string `json:"interval,omitempty"`
}

// IntervalName is what an evidence's interval is called: its Interval, or
// "95% CI".
func (e Evidence) IntervalName() string {
	if e.Interval != "" {
		return e.Interval
	}
	return "95% CI"
}

// Table is a rectangular block of cells. In Tables the cells are formatted
// for reading; in Records they are exact (strconv 'g', -1) for machines.
type Table struct {
	// Name is the file stem: a table named "gradients" is written as
	// gradients.md or gradients.csv.
	Name    string     `json:"name"`
	Title   string     `json:"title"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
	// Note is printed under the table (units, how to read it).
	Note string `json:"note,omitempty"`
	// Volatile marks a table of wall-clock measurements, which differ from
	// run to run: it is written to its own Markdown file and shown in the
	// terminal, but kept out of summary.json, whose bytes depend on the
	// seed alone. Its Name should say "timing".
	Volatile bool `json:"-"`
}

// Figure is a chart described as data: one or more panels laid out in a grid.
type Figure struct {
	// Name is the file stem: a figure named "gradnorm" is written as gradnorm.png.
	Name  string `json:"name"`
	Title string `json:"title"`
	// Caption says what the figure shows and how to read it.
	Caption string  `json:"caption"`
	Panels  []Panel `json:"panels"`
	// Columns is the number of panels per row (0 means all in one row).
	Columns int `json:"columns,omitempty"`
}

// PanelKind selects how a panel is drawn.
type PanelKind string

// Panel kinds.
const (
	LinePanel    PanelKind = "line"    // Lines (with optional bands) and Markers
	BarPanel     PanelKind = "bar"     // Bars, grouped by category
	HeatmapPanel PanelKind = "heatmap" // Heatmap
)

// Panel is one set of axes.
type Panel struct {
	Kind   PanelKind `json:"kind"`
	Title  string    `json:"title"`
	XLabel string    `json:"xlabel"`
	YLabel string    `json:"ylabel"`
	LogX   bool      `json:"logx,omitempty"`
	LogY   bool      `json:"logy,omitempty"`
	// YMin and YMax fix the vertical range when both are set (YMax > YMin).
	YMin float64 `json:"ymin,omitempty"`
	YMax float64 `json:"ymax,omitempty"`
	// XMin and XMax fix a line panel's horizontal range the same way (a
	// reference line at the data's edge would otherwise sit on the axis).
	XMin float64 `json:"xmin,omitempty"`
	XMax float64 `json:"xmax,omitempty"`
	// TickMin and TickMax, when TickMax > TickMin, are the part of the y
	// axis that holds values: it is labelled only there (kit.NoValueBand
	// sets them, since a tick on the band beside the values would read as
	// a value).
	TickMin float64 `json:"tickmin,omitempty"`
	TickMax float64 `json:"tickmax,omitempty"`

	Lines   []Line   `json:"lines,omitempty"`
	Markers []Marker `json:"markers,omitempty"`
	// FirstOnTop draws the first lines over the later ones (every line
	// still over every band), and the markers' first group (by first
	// appearance, as the legend lists them) over the later ones, where the
	// first is what the panel is about and later ones crowd it; by default
	// a later line or group is drawn over an earlier one.
	FirstOnTop bool     `json:"first_on_top,omitempty"`
	Bars       *Bars    `json:"bars,omitempty"`
	Heatmap    *Heatmap `json:"heatmap,omitempty"`
}

// Line is a series of points, optionally with a confidence band.
type Line struct {
	Label string    `json:"label"`
	X     []float64 `json:"x"`
	Y     []float64 `json:"y"`
	// Lo and Hi, when set, have the length of Y and bound a shaded band.
	Lo []float64 `json:"lo,omitempty"`
	Hi []float64 `json:"hi,omitempty"`
	// Theory lines (predictions drawn beside measurements) are dashed.
	Theory bool `json:"theory,omitempty"`
	// Dotted draws the line dotted instead (a second level beside a
	// dashed one in the same colour).
	Dotted bool `json:"dotted,omitempty"`
	// Points draws a marker at each point as well as the line.
	Points bool `json:"points,omitempty"`
	// Style is the index of the colour and marker: lines that belong together
	// (a measurement and its prediction) share it. -1 picks by position;
	// note the zero value is the first style, not "pick".
	Style int `json:"style"`
}

// Marker is a labelled point drawn on top of the lines, e.g. where a run
// diverged.
type Marker struct {
	Label string  `json:"label"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	Style int     `json:"style"`
	// Shape is the marker's glyph: ShapeByGroup (the zero value) lets the
	// panel give each group the next glyph, another fixes it, so that a
	// meaning keeps its glyph from figure to figure.
	Shape int `json:"shape,omitempty"`
}

// The kinds of bound of a bar panel's value (BarGroup.Bounds): the value
// bounds the quantity from below (it is at least this) or from above.
const (
	BoundBelow = 1
	BoundAbove = -1
)

// Marker shapes (Marker.Shape).
const (
	ShapeByGroup = iota
	ShapeCross
	ShapeStar
	ShapePlus
	ShapeBox
)

// Bars is a grouped bar chart: for each category on the x axis, one bar per
// group, with optional error bars.
type Bars struct {
	Categories []string   `json:"categories"`
	Groups     []BarGroup `json:"groups"`
	// Refs are horizontal reference lines across the bars (a margin the
	// verdict reads), dashed and named in the legend.
	Refs []RefLine `json:"refs,omitempty"`
	// Dots draws each value as a dot on its error bar instead of a bar:
	// on a log axis a bar stands on an arbitrary floor, so its length
	// would mean nothing.
	Dots bool `json:"dots,omitempty"`
	// Missing, when set, is written at a category where no group has a
	// value ("n/a"), so that an empty slot does not read as bars of zero
	// height.
	Missing string `json:"missing,omitempty"`
}

// RefLine is a horizontal line at Y across a bar panel, dashed (a margin
// the verdict reads), or solid and light when Plain (a level such as no
// difference, drawn apart from a margin beside it).
type RefLine struct {
	Label string  `json:"label"`
	Y     float64 `json:"y"`
	Plain bool    `json:"plain,omitempty"`
}

// BarGroup is one series of bars, one value per category.
type BarGroup struct {
	Label  string    `json:"label"`
	Values []float64 `json:"values"`
	// Lo and Hi, when set, are the absolute ends of the error bars (not
	// offsets from Values), like Line.Lo and Line.Hi.
	Lo []float64 `json:"lo,omitempty"`
	Hi []float64 `json:"hi,omitempty"`
	// Bounds, when set, has the length of Values and marks the values
	// that are bounds, drawn as an open dot with an arrow, never as a
	// plain value: BoundBelow a lower bound (a reading at its ceiling, or
	// one some of whose runs were floored; arrow up), BoundAbove an upper
	// one (arrow down), 0 a value. A bound's error bar is drawn where it
	// has one. Only for Bars.Dots.
	Bounds []int `json:"bounds,omitempty"`
}

// Heatmap is a grid of values with labelled rows and columns. Values[r][c]
// belongs to row label Rows[r] and column label Cols[c].
type Heatmap struct {
	Rows   []string    `json:"rows"`
	Cols   []string    `json:"cols"`
	Values [][]float64 `json:"values"`
	// Min and Max fix the colour scale; if equal, the data's range is used.
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	// Annotate prints each cell's value with this fmt verb (e.g. "%.2f"); empty
	// prints nothing.
	Annotate string `json:"annotate,omitempty"`
}

// EachHoldsRule is EachHolds in words, for a verdict's rule.
const EachHoldsRule = "CONFIRMED if every part is CONFIRMED (and there is one at least); MIXED if a part is MIXED (it holds in some of its comparisons and fails in others) or one part is CONFIRMED and another REFUTED (the claim fails where that part was tested and holds where the other was, so the evidence points both ways; the verdict names the part that failed); REFUTED if a part is REFUTED and none CONFIRMED or MIXED (a part shown to fail, with no part shown to hold, refutes a claim about each, even while the others are undecided); INCONCLUSIVE otherwise (some part undecided and none shown to fail)"

// EachHolds decides a claim that holds for each of several parts ("leaky,
// PReLU and ELU each keep their units", "ReLU is faster at every rung of
// the ladder", "BatchNorm and dropout each help") from the parts'
// outcomes: one part shown to fail refutes it as stated, even while others
// are undecided; a part shown to hold beside one shown to fail makes it
// MIXED, and so does a MIXED part, which is both; CONFIRMED needs every
// part CONFIRMED; no parts decide nothing. Experiments use it to combine
// their comparisons, the report to read a claim's parts together.
func EachHolds(parts []Outcome) Outcome {
	conf, ref, mixed := 0, 0, 0
	for _, o := range parts {
		switch o {
		case Confirmed:
			conf++
		case Refuted:
			ref++
		case Mixed:
			mixed++
		}
	}
	switch {
	case len(parts) == 0:
		return Inconclusive
	case conf == len(parts):
		return Confirmed
	case mixed > 0, conf > 0 && ref > 0:
		return Mixed
	case ref > 0:
		return Refuted
	}
	return Inconclusive
}

// SomeHoldsRule is SomeHolds in words, for a verdict's rule.
const SomeHoldsRule = "CONFIRMED if some part is CONFIRMED at its corrected level (one part shown to hold is enough for a claim that something holds; the parts that do not are the rest of the range, not evidence against it); REFUTED if every part is REFUTED; INCONCLUSIVE otherwise (a MIXED part counts as neither)"

// SomeHolds decides a claim that something in a range holds ("some
// amount of sparsity helps") from the parts' outcomes: one part shown to
// hold confirms it, and only every part shown to fail refutes it. A MIXED
// part counts as neither: the comparison in it that held was not decided
// at the corrected level. Searching several parts for one that holds
// multiplies the chances of a false confirmation, so the caller decides
// each part's CONFIRMED on an interval corrected for the number of parts
// (Bonferroni: 1-0.05/k) and its REFUTED on the plain 95% one (every part
// must fail, so no correction is needed there).
func SomeHolds(parts []Outcome) Outcome {
	ref := 0
	for _, o := range parts {
		switch o {
		case Confirmed:
			return Confirmed
		case Refuted:
			ref++
		}
	}
	if len(parts) > 0 && ref == len(parts) {
		return Refuted
	}
	return Inconclusive
}
