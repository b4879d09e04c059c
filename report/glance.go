package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/reluexp/reluexp/experiments/result"
)

// The report's first screen: one row per claim with its headline verdict,
// a sentence in plain words computed from that verdict, the claim's other
// verdicts as small labelled chips, and a thumbnail of the figure that
// carries the verdict. Everything here is computed from the verdicts; the
// only hand-made choice is which figure to show (KeyFigures), which is
// presentation and changes no number.

// KeyFigures names, per claim, the figure that carries its main verdict:
// a file among the figures of the experiment that gave the main verdict.
// It is presentation only. A claim missing here, or whose figure that
// experiment did not write, shows the experiment's first figure instead;
// one named "" shows none (no figure shows its comparison), nor does a
// claim with only sanity checks (there is no verdict to carry).
var KeyFigures = map[string]string{
	"C1":  "",                            // none: dying draws no relu-d1 series (dead-vs-lr's caption says how close it lies to relu), so no figure shows C1's comparison
	"C2":  "timing-step-share.png",       // speed: the activation layers' time beyond ReLU's, the main rule's effect
	"C3":  "gradient-by-layer.png",       // vanishing: the gradient by layer at depth 30
	"C5":  "sparsity-over-epochs.png",    // sparsity: exact zeros over training
	"C6":  "speed-summary.png",           // zerocentered: every pair's ratio at each horizon
	"C7":  "remedies-by-lr.png",          // exploding: divergence and accuracy with the remedies
	"C8":  "dead-vs-lr.png",              // dying: dead units by learning rate and variant
	"C10": "gap-at-matched-accuracy.png", // overfitting: the gap at matched training accuracy
	"C11": "test-accuracy.png",           // overfitting: test accuracy with and without dropout
}

// KeyFigure is the figure shown beside a claim on the first screen.
type KeyFigure struct {
	Run string
	FigureFile
}

// Src is the figure's path relative to the report.
func (k KeyFigure) Src() string { return k.Run + "/" + k.File }

// Anchor is the id of the figure in its experiment's section.
func (k KeyFigure) Anchor() string { return figureAnchor(k.Run, k.File) }

func figureAnchor(run, file string) string {
	return "figure-" + run + "-" + strings.TrimSuffix(file, ".png")
}

// keyFigure picks the figure for a claim whose headline comes from run.
func keyFigure(claim string, run Run) *KeyFigure {
	if name, ok := KeyFigures[claim]; len(run.Summary.Figures) == 0 || (ok && name == "") {
		return nil // no figure, or one named "": no figure shows the claim
	}
	pick := run.Summary.Figures[0]
	for _, f := range run.Summary.Figures {
		if f.File == KeyFigures[claim] {
			pick = f
			break
		}
	}
	return &KeyFigure{Run: run.Name, FigureFile: pick}
}

// Chip is one of a claim's other verdicts, shown small beside the
// headline: its outcome in words and a short name, the full statement
// kept for a tooltip.
type Chip struct {
	Outcome   result.Outcome
	Role      result.Role
	Name      string
	Statement string
	NotTested bool
	// Control is the verdict's Control: a positive control, shown apart
	// from the verdicts that bear on the claim.
	Control bool
	// Effect is the verdict's measured effect in plain words (PlainEffect),
	// so that a chip keeps its size: "+4.5 points (95% CI +1.1 to +8.0),
	// 100 pairs". Empty for sanity checks and verdicts comparing nothing.
	Effect string
	// Context is the verdict's Context (a fact from its numbers against a
	// plain reading of its outcome), for a chip that is not a sanity check;
	// empty otherwise.
	Context string
}

// Text is the chip in one line: "CONFIRMED: name — effect (beside this:
// context)".
func (c Chip) Text() string {
	s := c.Label() + ": " + c.Name
	if c.Effect != "" {
		s += " — " + c.Effect
	}
	if c.Context != "" {
		s += " (beside this: " + glanceClauses(c.Context, glanceChip) + ")"
	}
	return s
}

// Label is the chip's outcome in words ("REFUTED", "sanity CONFIRMED",
// "control CONFIRMED" for a positive control).
func (c Chip) Label() string {
	if c.NotTested {
		return "not tested"
	}
	switch c.Role {
	case result.Sanity:
		return "sanity " + string(c.Outcome)
	case result.Part:
		return "part " + string(c.Outcome)
	}
	if c.Control {
		return "control " + string(c.Outcome)
	}
	return string(c.Outcome)
}

// Class is the chip's CSS class: its outcome in lower case, and "control"
// or "sanity" beside it for a positive control or a sanity check.
func (c Chip) Class() string {
	if c.NotTested {
		return "missing"
	}
	if c.Control {
		// Dashed, so that a control does not read as one more verdict on
		// the claim (review 19a).
		return strings.ToLower(string(c.Outcome)) + " control"
	}
	if c.Role == result.Sanity {
		// Grey (the sanity class) and dotted: true by construction, not
		// evidence (review 19b).
		return strings.ToLower(string(c.Outcome)) + " sanity"
	}
	return strings.ToLower(string(c.Outcome))
}

// chipNames names each verdict of one claim for its chip: ShortNames of
// the statements, or each verdict's own Short where it sets one, as long
// as no two verdicts with different statements end up with the same name
// (else the statements' names for all).
func chipNames(vs []result.Verdict) []string {
	var statements []string
	for _, v := range vs {
		statements = append(statements, v.Statement)
	}
	names := ShortNames(statements)
	own := slices.Clone(names)
	for i, v := range vs {
		if v.Short != "" {
			own[i] = v.Short
		}
	}
	if len(clashes(own, statements)) == 0 {
		return own
	}
	return names
}

func chipsOf(vs []result.Verdict) []Chip {
	// An exploratory verdict was chosen with the answer in view: its
	// section shows it, the first screen does not.
	vs = slices.DeleteFunc(slices.Clone(vs), func(v result.Verdict) bool { return v.Exploratory })
	names := chipNames(vs)
	var chips []Chip
	for i, v := range vs {
		c := Chip{Outcome: v.Outcome, Role: v.Role, Name: names[i], Statement: v.Statement, NotTested: v.NotTested, Control: v.Control}
		if v.Role != result.Sanity && !v.NotTested {
			c.Context = strings.TrimSuffix(strings.TrimSpace(v.Context), ".")
			c.Effect, _ = PlainEffect(v)
			if c.Effect != "" {
				of := v.Effect.Of
				if of == "" && !isDifference(v.Effect.Name) && orientation(v.Effect.Name) == "" {
					// A level names whose it is ("relu classic: 11.27
					// decades lost"): the chip's cut statement may not.
					of = levelSubject(v.Effect.Name)
				}
				if of != "" {
					c.Effect = of + ": " + c.Effect
				}
			}
		}
		chips = append(chips, c)
	}
	// The tests first, then the positive controls, then the sanity
	// checks, each group in the experiment's order (review 21b: ten chips
	// with controls and tests mixed).
	rank := func(c Chip) int {
		switch {
		case c.Role == result.Sanity:
			return 2
		case c.Control:
			return 1
		}
		return 0
	}
	slices.SortStableFunc(chips, func(a, b Chip) int { return rank(a) - rank(b) })
	return chips
}

// ShortNames shortens the statements of one claim's chips (see ShortName)
// so that statements that differ get names that differ: where two short
// names agree, they are made again from the statements without their
// brackets (which the first cut may have stopped at, losing what follows),
// and where they still agree, from the words in which the whole
// statements differ, around an ellipsis for the words they share.
func ShortNames(statements []string) []string {
	names := make([]string, len(statements))
	for i, s := range statements {
		names[i] = ShortName(s)
	}
	for _, group := range clashes(names, statements) {
		for _, i := range group {
			names[i] = ShortName(withoutBrackets(statements[i]))
		}
	}
	for _, group := range clashes(names, statements) {
		var words [][]string
		for _, i := range group {
			words = append(words, strings.Fields(statements[i]))
		}
		for k, name := range differingNames(words) {
			names[group[k]] = name
		}
	}
	return names
}

// clashes groups the indices of equal names whose statements differ.
func clashes(names, statements []string) [][]int {
	seen := map[string][]int{}
	var order []string
	for i, n := range names {
		if _, ok := seen[n]; !ok {
			order = append(order, n)
		}
		seen[n] = append(seen[n], i)
	}
	var out [][]int
	for _, n := range order {
		g := seen[n]
		distinct := false
		for _, i := range g[1:] {
			distinct = distinct || statements[i] != statements[g[0]]
		}
		if distinct {
			out = append(out, g)
		}
	}
	return out
}

// differingNames names each word list by the words in which it differs
// from the others: at most three shared words in front, then the words
// from the first that differs to the last that does, with an ellipsis
// where shared words are left out.
func differingNames(words [][]string) []string {
	prefix, suffix := len(words[0]), len(words[0])
	for _, w := range words[1:] {
		p := 0
		for p < min(len(w), len(words[0])) && w[p] == words[0][p] {
			p++
		}
		q := 0
		for q < min(len(w), len(words[0]))-p && w[len(w)-1-q] == words[0][len(words[0])-1-q] {
			q++
		}
		prefix, suffix = min(prefix, p), min(suffix, q)
	}
	names := make([]string, len(words))
	for k, w := range words {
		head := strings.Join(w[:min(prefix, 3)], " ")
		if prefix > 3 {
			head += " …"
		}
		name := strings.TrimSpace(head + " " + strings.Join(w[prefix:len(w)-suffix], " "))
		if suffix > 0 {
			name += " …"
		}
		names[k] = name
	}
	return names
}

// withoutBrackets drops s's bracketed asides (" (25%, 18%, 13%)").
func withoutBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[':
			depth++
			continue
		case ')', ']':
			if depth > 0 {
				depth--
				continue
			}
		}
		if depth == 0 {
			b.WriteByte(s[i])
		}
	}
	return strings.ReplaceAll(strings.Join(strings.Fields(b.String()), " "), " ,", ",")
}

// maxShortName bounds a chip's name, in bytes.
const maxShortName = 48

// ShortName shortens a verdict's statement to a chip's name. A leading
// label goes (a parenthesis such as "(beyond the blog)", or a citation
// such as "He et al. 2015:"); the statement is cut before its first
// qualification (": ", " (", ", where", " where ", ", while", ", each",
// ", at") when at least three words come before it; a name still longer
// than maxShortName keeps its first and last words around an ellipsis,
// since the end often names what sets it apart from its neighbours
// ("... fewer updates than tanh", "... than sigmoid").
func ShortName(statement string) string {
	s := cutStatement(statement)
	if len(s) <= maxShortName {
		return s
	}
	words := strings.Fields(s)
	head, tail := "", ""
	i, j := 0, len(words)
	for i < j && len(head)+len(words[i])+1 <= maxShortName*45/100 {
		head += words[i] + " "
		i++
	}
	for j > i && len(head)+len(tail)+len(words[j-1])+3 <= maxShortName {
		tail = " " + words[j-1] + tail
		j--
	}
	return strings.TrimSpace(head) + " …" + tail
}

// cutStatement is ShortName's statement before it is shortened around an
// ellipsis: without its leading label, cut before its first
// qualification.
func cutStatement(statement string) string {
	s := strings.TrimSpace(statement)
	if strings.HasPrefix(s, "(") {
		if i := strings.Index(s, ")"); i > 0 {
			s = strings.TrimSpace(s[i+1:])
		}
	}
	if i := strings.Index(s, ": "); i >= 4 && isYear(s[i-4:i]) && !strings.ContainsAny(s[:i], "([") && len(strings.Fields(s[:i])) <= 5 {
		s = strings.TrimSpace(s[i+2:])
	}
	cut := len(s)
	for _, sep := range []string{": ", " (", ", where ", " where ", ", while ", ", each ", ", at "} {
		if i := strings.Index(s, sep); i >= 0 && i < cut && len(strings.Fields(s[:i])) >= 3 {
			cut = i
		}
	}
	return strings.TrimSpace(s[:cut])
}

func isYear(s string) bool {
	if len(s) != 4 || (s[0] != '1' && s[0] != '2') {
		return false
	}
	for i := range 4 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Plain is a claim's headline in plain words, computed from its main
// verdict (or, for a claim with only sanity checks, its first check).
type Plain struct {
	// Lead is the outcome in words: "Holds", "Does not hold", "Partly",
	// "This setup cannot tell", "Sanity check only" or "Not measured".
	Lead string
	// Statement is the claim as the verdict tested it.
	Statement string
	// Reason says, for INCONCLUSIVE, what could not be told; empty
	// otherwise.
	Reason string
	// Effect is the measured effect with its interval and n in plain
	// words ("+46 points (95% CI +45 to +46), 20 seeds"); empty when the
	// rule compares nothing.
	Effect string
	// EffectName says what Effect measures and against which margin.
	EffectName string
	// Against lists, for a headline that holds, the supporting verdicts on
	// the same claim that were REFUTED (their statements), so that a
	// claim whose other half failed never reads as wholly true.
	Against []string
	// Context lists the Context of the verdicts the sentence is built from
	// (the main verdict, or a sanity-only claim's checks): facts from their
	// numbers that cut against a plain reading of the outcome.
	Context []string
	// Untold lists, for a headline that holds, the supporting verdicts on
	// the same claim that were INCONCLUSIVE (their statements): a claim
	// whose other half this setup could not tell reads as holding only
	// for the half it could.
	Untold []string
	// Partial lists, for a headline that holds, the supporting verdicts on
	// the same claim that were MIXED (their statements): a claim whose
	// other half holds only in part reads as holding only for the half
	// that did (review 25d: C5's "ReLU's own sparsity helps").
	Partial []string
	// Parts are, for a MIXED headline, the parts its Why gives an outcome
	// of their own (see PartsOf), so that the sentence says which part does
	// not hold.
	Parts []Part
	// EffectFor says, for a MIXED headline, what Effect measures: a MIXED
	// verdict's effect is one comparison of a claim whose parts point both
	// ways, not a measurement of the whole claim. It is the label of the
	// part whose numbers in the Why are the effect's, else the effect's
	// own name. Empty for other headlines.
	EffectFor string
	// effectOfPart says EffectFor is a part's label, not the effect's name.
	effectOfPart bool
}

// MeasuredHead opens the measured effect: "Measured", "Measured for
// PART" when the effect belongs to one part of the claim, or "Measured
// (NAME)" when the part is not known.
func (p Plain) MeasuredHead() string {
	switch {
	case p.EffectFor == "":
		return "Measured"
	case p.effectOfPart:
		return "Measured for " + p.EffectFor
	}
	return "Measured (" + p.EffectFor + ")"
}

// PartsText names the parts of a MIXED headline by outcome, those that
// do not hold first ("Does not hold: the step share (below the margin
// everywhere). Holds: the kernel time."); for a MIXED headline without
// parts it says where to find which part fails. Empty otherwise.
func (p Plain) PartsText() string {
	return strings.TrimSpace(p.FailingText() + " " + p.OtherPartsText())
}

// FailingText is the part of PartsText that names what does not hold
// (REFUTED parts, then parts that hold only partly), which the page
// shows in bold.
func (p Plain) FailingText() string {
	if p.Lead != leadPartly {
		return ""
	}
	if len(p.Parts) == 0 {
		return "Which part does not hold: see the rule and numbers in its section."
	}
	return p.partsText(result.Refuted, result.Mixed)
}

// OtherPartsText is the rest of PartsText: the parts that hold and those
// this setup cannot tell.
func (p Plain) OtherPartsText() string {
	if p.Lead != leadPartly {
		return ""
	}
	return p.partsText(result.Confirmed, result.Inconclusive)
}

func (p Plain) partsText(outcomes ...result.Outcome) string {
	heads := map[result.Outcome]string{
		result.Refuted:      "Does not hold",
		result.Mixed:        "Holds partly",
		result.Confirmed:    "Holds",
		result.Inconclusive: "Cannot tell",
	}
	var out []string
	for _, o := range outcomes {
		var names []string
		for _, part := range p.Parts {
			if part.Outcome == o {
				names = append(names, part.String())
			}
		}
		if len(names) > 0 {
			out = append(out, heads[o]+": "+strings.Join(names, "; ")+".")
		}
	}
	return strings.Join(out, " ")
}

// Head is the sentence's opening: "Holds:", "This setup cannot tell
// whether".
func (p Plain) Head() string {
	switch {
	case p.Statement == "":
		return p.Lead
	case p.Lead == leadCannotTell:
		return p.Lead + " whether"
	}
	return p.Lead + ":"
}

// String is the sentence as one line of text.
func (p Plain) String() string {
	var b strings.Builder
	b.WriteString(p.Head())
	if p.Statement != "" {
		b.WriteString(" " + p.Statement)
	}
	b.WriteString(".")
	if p.Reason != "" {
		b.WriteString(" Reason: " + p.Reason + ".")
	}
	if s := p.PartsText(); s != "" {
		b.WriteString(" " + s)
	}
	if p.Effect != "" {
		b.WriteString(" " + p.MeasuredHead() + ": " + p.Effect + ".")
	}
	if s := p.AgainstText(); s != "" {
		b.WriteString(" " + s)
	}
	if s := p.UntoldText(); s != "" {
		b.WriteString(" " + s)
	}
	if s := p.PartialText(); s != "" {
		b.WriteString(" " + s)
	}
	if s := p.ContextText(); s != "" {
		b.WriteString(" " + s)
	}
	return b.String()
}

// ContextText is the sentence giving the verdicts' context, cut to the
// first screen's budget (glanceContext), empty when there is none.
func (p Plain) ContextText() string {
	if len(p.Context) == 0 {
		return ""
	}
	return "Beside this: " + glanceClauses(strings.Join(p.Context, "; "), glanceContext) + "."
}

// The first screen's budgets, in bytes, for a verdict's context beside
// its plain sentence (glanceContext) and beside a chip (glanceChip): a
// context is a list of facts joined by "; ", and the first screen keeps
// as many of them, in order, as fit, and counts the rest, which the
// verdict's section lists in full. C6's main context ran to about 2900
// bytes and made its first-screen row some 9000 (note 24).
const (
	glanceContext = 700
	glanceChip    = 250
)

// glanceClauses keeps text's top-level "; " clauses, in order, while they
// fit in budget bytes (the first one always), and says how many it left
// out and where they are.
func glanceClauses(text string, budget int) string {
	clauses := splitTopLevel(text, clauseEnd)
	kept, size := 0, 0
	for i, c := range clauses {
		if i > 0 && size+len(c) > budget {
			break
		}
		kept, size = i+1, size+len(c)
	}
	if kept == len(clauses) {
		return text
	}
	out := strings.TrimSuffix(strings.Join(clauses[:kept], " "), ";")
	return out + "; " + plural(len(clauses)-kept, "and 1 more fact", fmt.Sprintf("and %d more facts", len(clauses)-kept)) + " under the verdict in its experiment's section"
}

// PartialText is the sentence naming the supporting statements that hold
// only in part, empty when there are none.
func (p Plain) PartialText() string {
	if len(p.Partial) == 0 {
		return ""
	}
	return plural(len(p.Partial), "This supporting claim holds only partly: ", "These supporting claims hold only partly: ") + strings.Join(p.Partial, "; ") + "."
}

// UntoldText is the sentence naming the supporting statements this setup
// could not tell, empty when there are none.
func (p Plain) UntoldText() string {
	if len(p.Untold) == 0 {
		return ""
	}
	return plural(len(p.Untold), "This setup cannot tell this supporting claim: ", "This setup cannot tell these supporting claims: ") + strings.Join(p.Untold, "; ") + "."
}

// AgainstText is the sentence naming the refuted supporting statements,
// empty when there are none.
func (p Plain) AgainstText() string {
	if len(p.Against) == 0 {
		return ""
	}
	return plural(len(p.Against), "But this supporting claim does not hold: ", "But these supporting claims do not hold: ") + strings.Join(p.Against, "; ") + "."
}

const (
	leadHolds      = "Holds"
	leadFails      = "Does not hold"
	leadPartly     = "Partly"
	leadCannotTell = "This setup cannot tell"
	leadSanity     = "Sanity check only (true by construction, decides nothing)"
	leadMissing    = "Not measured"
	leadNotTested  = "Not tested in this run"
)

// plainOf builds a row's plain sentence from its verdicts.
func plainOf(row ClaimRow) Plain {
	if row.Main == nil {
		if len(row.Sanity) == 0 {
			return Plain{Lead: leadMissing}
		}
		p := Plain{Lead: leadSanity, Statement: statement(row.Sanity[0])}
		for _, s := range row.Sanity {
			p.Context = appendContext(p.Context, s)
		}
		return p
	}
	v := *row.Main
	p := Plain{Statement: statement(v), Context: appendContext(nil, v)}
	if v.NotTested {
		p.Lead, p.Reason = leadNotTested, v.Why
		return p
	}
	switch v.Outcome {
	case result.Confirmed:
		p.Lead = leadHolds
	case result.Refuted:
		p.Lead = leadFails
		if realButSmall(v) {
			p.Reason = "the effect is real (its interval does not include zero) but smaller than the margin that matters"
		}
	case result.Mixed:
		p.Lead = leadPartly
	default:
		p.Lead, p.Reason = leadCannotTell, cannotTellReason(v)
	}
	p.Effect, p.EffectName = PlainEffect(v)
	if len(row.Parts) > 0 {
		// Read together from parts in units of their own: each part's.
		p.Effect = partEffects(row.Parts, func(v result.Verdict) string { e, _ := PlainEffect(v); return e })
		p.EffectName = partEffects(row.Parts, func(v result.Verdict) string { _, n := PlainEffect(v); return n })
		p.EffectFor, p.effectOfPart = "each part", true
	}
	if v.Outcome == result.Mixed {
		p.Parts = PartsOf(v)
		if p.Effect != "" && len(row.Parts) == 0 {
			p.EffectFor = partLabel(v.Effect.Name)
			if part, ok := effectPart(v); ok {
				p.EffectFor, p.effectOfPart = part.Label, true
			}
		}
	}
	if v.Outcome == result.Confirmed {
		for _, s := range row.Supporting {
			switch {
			case s.NotTested:
			case s.Outcome == result.Refuted:
				p.Against = append(p.Against, statement(s))
			case s.Outcome == result.Inconclusive:
				p.Untold = append(p.Untold, statement(s))
			case s.Outcome == result.Mixed:
				p.Partial = append(p.Partial, statement(s))
			}
		}
	}
	return p
}

// appendContext adds v's Context, without its closing full stop, if it
// has one.
func appendContext(cs []string, v result.Verdict) []string {
	if c := strings.TrimSuffix(strings.TrimSpace(v.Context), "."); c != "" && !v.NotTested {
		cs = append(cs, c)
	}
	return cs
}

// realButSmall says that a verdict's effect interval lies on one side of
// zero but within its margin: the effect exists and is too small to count,
// which "does not hold" alone would hide.
func realButSmall(v result.Verdict) bool {
	if v.Effect == nil || v.Margin == nil {
		return false
	}
	e, m := v.Effect.Estimate, math.Abs(*v.Margin)
	return e.N >= 2 && ((e.Lo > 0 && e.Hi < m) || (e.Hi < 0 && e.Lo > -m))
}

func statement(v result.Verdict) string {
	return strings.TrimRight(strings.TrimSpace(v.Statement), ".")
}

// Cues that a sentence of an INCONCLUSIVE verdict's Why says what could
// not be told: strong ones first, then divergence, which is often only
// context.
var (
	strongCues = []string{"cannot", "can't", "could not", "too few", "fewer than", "no interval", "straddl", "could tell",
		"undecided", "control failed", "control did not", "noise", "not resolved", "did not fit", "did not learn", "did not train", "never reached", "fell short of a threshold"}
	weakCues = []string{"diverged"}
)

// maxReason bounds, in bytes, the reason an INCONCLUSIVE headline quotes.
const maxReason = 200

// cannotTellReason finds, in an INCONCLUSIVE verdict's Why, the point
// (sentence or long clause, see Points) that says what could not be told,
// or the part of it after or before a colon that does when the point is
// too long to quote; failing that, the note on an underpowered test, or a
// pointer to the rule.
func cannotTellReason(v result.Verdict) string {
	points := Points(v.Why)
	for _, cues := range [][]string{strongCues, weakCues} {
		has := func(s string) bool {
			low := strings.ToLower(s)
			for _, c := range cues {
				if strings.Contains(low, c) {
					return true
				}
			}
			return false
		}
		for _, p := range points {
			if !has(p) {
				continue
			}
			if len(p) <= maxReason {
				return lowerFirst(strings.TrimRight(p, "."))
			}
			for _, piece := range splitTopLevel(p, func(text string, i int) bool {
				return text[i] == ':' && i+1 < len(text) && text[i+1] == ' '
			}) {
				if has(piece) && len(piece) <= maxReason {
					return lowerFirst(strings.TrimRight(piece, ".:"))
				}
			}
		}
	}
	if note := MDENote(v); note != "" {
		return note
	}
	return "the intervals do not settle it (see the rule in its section)"
}

// lowerFirst lowers the first letter of a sentence that goes on after a
// colon, unless its first word is a name with capitals inside ("ReLU's").
func lowerFirst(s string) string {
	word, _, _ := strings.Cut(s, " ")
	if word == "" || !isUpper(word[0]) || strings.IndexFunc(word[1:], func(r rune) bool { return r >= 'A' && r <= 'Z' }) >= 0 {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// PlainEffect writes a verdict's effect in plain words: a difference of
// fractions or accuracies in percentage points (of what, for a fraction
// of something other than accuracy: "-95 points of runs"), a level in
// percent, a log10 ratio as the ratio itself, with the 95% interval and
// the number of units (seeds, nets) it rests on. The second value names
// the effect and its margin (in the unit shown, then the rule's), for a
// tooltip. Both are empty for a verdict that compares nothing.
func PlainEffect(v result.Verdict) (string, string) {
	e := v.Effect
	if e == nil {
		return "", ""
	}
	est := e.Estimate
	mean, lo, hi := est.Mean, est.Lo, est.Hi
	unit, signed := " "+e.Unit, isDifference(e.Name)
	scale := 1.0
	switch {
	case e.Unit == "pp":
		unit = " points"
	case e.Unit == "accuracy" || e.Unit == "probability" || strings.HasPrefix(e.Unit, "fraction"):
		scale, unit = 100, "%"
		if signed {
			unit = " points"
			// "fraction of runs": points of runs, not of accuracy.
			if of, ok := strings.CutPrefix(e.Unit, "fraction of "); ok && of != "" {
				unit += " of " + of
			}
		}
	case e.Unit == "%":
		unit = "%"
	case e.Unit == "x":
		unit, signed = "×", false
	case e.Unit == "log10 ratio":
		mean, lo, hi = math.Pow(10, mean), math.Pow(10, lo), math.Pow(10, hi)
		unit, signed = "×", false
	case e.Unit == "":
		unit = ""
	}
	name := e.Name
	if v.Margin != nil {
		m := *v.Margin
		switch {
		case e.Unit == "log10 ratio":
			name += fmt.Sprintf("; margin %.3g (×%.3g)", m, math.Pow(10, m))
		case scale != 1:
			shown := unit
			if math.Abs(m*scale) == 1 {
				shown = strings.Replace(unit, "points", "point", 1)
			}
			name += fmt.Sprintf("; margin %.3g%s (%.3g %s)", m*scale, shown, m, e.Unit)
		default:
			name += fmt.Sprintf("; margin %.3g %s", m, e.Unit)
		}
	}
	if math.IsNaN(mean) {
		// A mean over no values: nothing was measured (no net reached
		// what the rule compares at, say); the verdict's Why says why.
		return fmt.Sprintf("no value (n=%d)", est.N), name
	}
	mean, lo, hi = mean*scale, lo*scale, hi*scale
	d := decimals(mean, lo, hi)
	num := func(x float64) string { return formatPlain(x, d, signed) }
	// An interval whose ends differ is shown with ends that differ, and a
	// mean that differs from an end is shown apart from it (1.05 in 1.03 to
	// 1.07, not 1.0 in 1.0 to 1.1).
	for d < 3 && ((lo != hi && num(lo) == num(hi)) || (mean != lo && num(mean) == num(lo)) || (mean != hi && num(mean) == num(hi))) {
		d++
	}
	// A mean or an end near the margin is shown to the margin's own
	// precision, and never rounded onto or across it, so that the reader
	// can see which side it is on (1.28, not 1.3, against a margin of 1.25;
	// 4.97, not 5.0, against 5; +0.495, not +0.50, against 0.5).
	if v.Margin != nil {
		for _, b := range marginBounds(*v.Margin, e.Unit, scale, signed) {
			need := min(3, decimalsOf(b))
			for _, x := range []float64{mean, lo, hi} {
				for d < 3 && ((d < need && math.Abs(x-b) < math.Pow(10, float64(-d))) || sideShown(x, b, d) != cmp.Compare(x, b)) {
					d++
				}
			}
		}
	}
	var b strings.Builder
	b.WriteString(num(mean) + unit)
	n := v.N
	if n == 0 {
		n = est.N
	}
	// The sign or the ratio's direction: what was taken from what; for a
	// level, what was measured ("decades lost").
	inner := orientation(e.Name)
	if inner == "" && !signed && unit != "×" {
		inner = levelName(e.Name)
		// "0.82 decades lost", not "0.82 decades (decades lost; ...)".
		if rest, ok := strings.CutPrefix(inner, strings.TrimSpace(unit)+" "); ok {
			b.WriteString(" " + rest)
			inner = ""
		}
	}
	if est.N >= 2 && !math.IsNaN(lo) && !math.IsNaN(hi) {
		ci := fmt.Sprintf("%s %s to %s", e.IntervalName(), num(lo), num(hi))
		// A CONFIRMED difference whose interval lies inside ±margin was
		// shown equal within the margin: the line names the margin, and
		// says when the interval excludes zero (a real effect, smaller
		// than what matters).
		if m := v.Margin; m != nil && signed && v.Outcome == result.Confirmed && unit != "×" && *m > 0 && lo > -*m*scale && hi < *m*scale {
			ci += ", inside the ±" + marginName(*m*scale, unit) + " margin"
			if lo > 0 || hi < 0 {
				ci += ", though not zero"
			}
		}
		ci += marginNote(v, e.Unit, unit, scale, signed, lo, hi)
		if inner != "" {
			ci = inner + "; " + ci
		}
		b.WriteString(" (" + ci + ")")
	} else if inner != "" {
		b.WriteString(" (" + inner + ")")
	}
	if n > 0 {
		b.WriteString(", " + unitsOf(v, n))
	}
	return b.String(), name
}

// marginNote says where an interval lies against the margin when its
// outcome would otherwise read oddly beside it: a REFUTED superiority whose
// interval lies between no effect and the margin (", above zero but below
// the 10-point margin": real, too small to count), and an INCONCLUSIVE one
// whose interval straddles the margin (", straddling the 1.25× margin").
// Empty otherwise. rawUnit is the effect's unit, unit and scale how
// PlainEffect shows it.
func marginNote(v result.Verdict, rawUnit, unit string, scale float64, signed bool, lo, hi float64) string {
	if v.Margin == nil || *v.Margin <= 0 {
		return ""
	}
	if !signed && unit != "×" {
		return "" // a level: no effect has no value to name
	}
	b := marginBounds(*v.Margin, rawUnit, scale, signed)[0] // the boundary, as shown
	none, noneName := 0.0, "zero"
	if unit == "×" {
		none, noneName = 1, "1"
	}
	name := marginName(b, unit)
	switch {
	case v.Outcome == result.Refuted && lo > none && hi < b:
		return fmt.Sprintf(", above %s but below the %s margin", noneName, name)
	case v.Outcome == result.Refuted && unit != "×" && lo > -b && hi < b:
		// A superiority refuted by an interval that reaches zero or below
		// but not past minus the margin (an equivalence inside ±margin is
		// CONFIRMED, never REFUTED): the margin is what it fell short of
		// (review 26a: "+0.043 points (95% CI -0.027 to +0.112)" read as
		// no reason beside REFUTED).
		return fmt.Sprintf(", below the %s margin", name)
	case v.Outcome == result.Inconclusive && lo < b && hi > b:
		return fmt.Sprintf(", straddling the %s margin", name)
	}
	return ""
}

// marginName writes a margin's boundary b, in the unit PlainEffect shows,
// as a modifier: "10-point", "5%", "1.25×".
func marginName(b float64, unit string) string {
	if strings.HasPrefix(unit, " point") {
		return fmt.Sprintf("%.3g-point", b)
	}
	return fmt.Sprintf("%.3g%s", b, unit)
}

// marginBounds are where a margin m puts the rule's boundaries, in the
// unit PlainEffect shows: ±m for a difference (an equivalence reads both),
// m for a ratio or a level, 10^±m for a log10 ratio.
func marginBounds(m float64, unit string, scale float64, signed bool) []float64 {
	switch {
	case unit == "log10 ratio":
		return []float64{math.Pow(10, m), math.Pow(10, -m)}
	case signed:
		return []float64{m * scale, -m * scale}
	}
	return []float64{m * scale}
}

// sideShown is the side of b that x lies on when written with d
// decimals: -1, 0 (on it) or +1.
func sideShown(x, b float64, d int) int {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', d, 64), 64)
	return cmp.Compare(r, b)
}

// decimalsOf is how many decimals x needs when written to three
// significant digits (1.25: 2; 10: 0; 0.0412: 4).
func decimalsOf(x float64) int {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 3, 64), 64)
	s := strconv.FormatFloat(r, 'f', -1, 64)
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}

// orientation finds, in an effect's name, the phrase that says which way
// it was taken: the clause with "A minus B" (or "A - B"), "A over B" or
// "A beyond B", or the two words around a spaced " / " of a ratio
// ("tanh / relu"). Clauses are split at ", " and ": " outside brackets,
// and bracketed asides are dropped. Empty when the name has none (a
// level).
func orientation(name string) string {
	for _, clause := range strings.FieldsFunc(strings.ReplaceAll(withoutParens(name), ": ", ", "), func(r rune) bool { return r == ',' }) {
		clause = strings.TrimSpace(clause)
		for _, w := range []string{" minus ", " - ", " over ", " beyond "} {
			if strings.Contains(clause, w) {
				return strings.ReplaceAll(clause, " - ", " minus ")
			}
		}
		if before, after, ok := strings.Cut(clause, " / "); ok {
			b, a := strings.Fields(before), strings.Fields(after)
			if len(b) > 0 && len(a) > 0 {
				return b[len(b)-1] + " / " + a[0]
			}
		}
	}
	return ""
}

// levelName is the quantity a level's effect name measures, for the
// reader of a bare number ("0.82 decades" lost or gained?): the name
// without its bracketed asides and, where a subject comes first
// ("tanh xavier-normal: decades lost, last to first hidden layer"), the
// first clause after it ("decades lost").
func levelName(name string) string {
	subject, s := levelParts(name)
	if subject != "" {
		s, _, _ = strings.Cut(s, ", ")
	}
	return strings.TrimSpace(s)
}

// levelSubject is whose a level is, where its name puts a subject first
// ("relu classic" in "relu classic: decades lost, ..."). Empty without
// one.
func levelSubject(name string) string {
	subject, _ := levelParts(name)
	return subject
}

// levelParts splits a level's effect name, without its bracketed asides,
// at its last ": " into the subject before it and the quantity after it;
// without one, the subject is empty and the quantity the whole name.
func levelParts(name string) (subject, quantity string) {
	s := strings.ReplaceAll(strings.Join(strings.Fields(withoutParens(name)), " "), " ,", ",")
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return strings.TrimSpace(s[:i]), s[i+2:]
	}
	return "", s
}

// withoutParens drops s's round-bracketed asides, keeping square
// brackets ("[-1, 1]"), unlike withoutBrackets.
func withoutParens(s string) string {
	var plain strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			plain.WriteRune(r)
		}
	}
	return plain.String()
}

// isDifference says whether an effect's name describes a difference of
// two measurements (rather than a level).
func isDifference(name string) bool {
	low := strings.ToLower(name)
	for _, w := range []string{"minus", " - ", "difference", "beyond"} {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

// decimals picks how many decimals show a number and its interval: none
// from 10 up, one from 1, two significant digits below.
func decimals(mean, lo, hi float64) int {
	m := math.Abs(mean)
	if m == 0 || math.IsNaN(m) {
		m = math.Max(math.Abs(lo), math.Abs(hi))
	}
	switch {
	case m == 0 || math.IsNaN(m) || m >= 10:
		return 0
	case m >= 1:
		return 1
	default:
		return min(3, 1-int(math.Floor(math.Log10(m))))
	}
}

func formatPlain(x float64, d int, signed bool) string {
	s := strconv.FormatFloat(x, 'f', d, 64)
	if strings.Trim(s, "-0.") == "" {
		return strings.TrimPrefix(s, "-")
	}
	if signed && x > 0 {
		s = "+" + s
	}
	return s
}

// unitsOf names what n counts: nets for a Monte Carlo count (pairs of nets
// when they are paired), seeds when
// the rule or effect speaks of seeds, pairs for paired runs, repetitions
// for timings; "n = N" otherwise.
func unitsOf(v result.Verdict, n int) string {
	text := strings.ToLower(v.Effect.Name + " " + v.Effect.Unit + " " + v.Rule)
	word := ""
	nets := strings.Contains(strings.ToLower(v.Effect.Name+" "+v.Effect.Unit), "nets")
	switch {
	case nets && strings.Contains(strings.ToLower(v.Effect.Name), "paired"):
		// A paired share of nets counts pairs of nets, two per n.
		word = "pairs of nets"
	case nets:
		word = "nets"
	case strings.Contains(text, "seed"):
		word = "seeds"
	case strings.Contains(text, "repetition"):
		word = "repetitions"
	case strings.Contains(text, "paired"):
		word = "pairs"
	default:
		return fmt.Sprintf("n = %d", n)
	}
	if n == 1 {
		if word == "pairs of nets" {
			word = "pair of nets"
		} else {
			word = strings.TrimSuffix(word, "s")
		}
	}
	return fmt.Sprintf("%d %s", n, word)
}

// Points splits a paragraph into a short list: a point per sentence, and
// a long sentence further at its "; " when every clause is long enough to
// stand alone (minClause), never inside brackets. A clause's closing ";"
// is dropped.
func Points(text string) []string {
	var out []string
	for _, s := range SentencePoints(text) {
		out = append(out, s...)
	}
	return out
}

// SentencePoints is Points grouped by sentence: each sentence's points,
// one when it is not cut, so that a writer can keep a cut sentence's later
// clauses under its first (whose opening, "Exploratory, ...:", may cover
// them all).
func SentencePoints(text string) [][]string {
	var out [][]string
	for _, sentence := range splitTopLevel(text, sentenceEnd) {
		clauses := splitTopLevel(sentence, clauseEnd)
		long := true
		for _, c := range clauses {
			if len(c) < minClause {
				long = false
			}
		}
		if !long {
			out = append(out, []string{sentence})
			continue
		}
		var points []string
		for _, c := range clauses {
			points = append(points, strings.TrimSuffix(c, ";"))
		}
		out = append(out, points)
	}
	return out
}

// clauseEnd says whether text's byte i is a "; " that ends a clause.
func clauseEnd(text string, i int) bool {
	return text[i] == ';' && i+1 < len(text) && text[i+1] == ' '
}

// sentenceEnd says whether text's byte i is a full stop that ends a
// sentence: followed by a space and a capital, and not after an
// abbreviation.
func sentenceEnd(text string, i int) bool {
	return text[i] == '.' && i+2 < len(text) && text[i+1] == ' ' && isUpper(text[i+2]) && !abbreviation(text[:i])
}

// minClause is the shortest clause, in bytes, that becomes a point of its
// own.
const minClause = 30

// splitTopLevel cuts text after each byte at which split says so, outside
// brackets, and trims the pieces.
func splitTopLevel(text string, split func(text string, i int) bool) []string {
	var out []string
	depth, start := 0, 0
	flush := func(end int) {
		if s := strings.TrimSpace(text[start:end]); s != "" {
			out = append(out, s)
		}
		start = end
	}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		default:
			if depth == 0 && split(text, i) {
				flush(i + 1)
			}
		}
	}
	flush(len(text))
	return out
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// abbreviation says whether the text before a full stop ends with an
// abbreviation, after which a sentence goes on.
func abbreviation(before string) bool {
	for _, a := range []string{" al", "e.g", "i.e", " vs", " cf", " approx"} {
		if strings.HasSuffix(before, a) {
			return true
		}
	}
	return false
}

// Tally sorts the claims by their headline in plain words, for the line
// above the first screen's table: "7 hold (C1, C5, ...; C5 with a part
// that does not), 1 does not hold (C2), ...". A claim whose headline holds
// while a supporting part of it was REFUTED is counted as holding and
// named as such, so that the count never reads as the whole claim.
func Tally(rows []ClaimRow) string {
	ids := map[string][]string{}
	var sanityWith, sanityNamed []string
	// A holding claim's supporting verdicts that did not hold, by kind,
	// each named in the count as the claim's plain sentence names them.
	kinds := []struct {
		of        func(Plain) []string
		one, many string
		ids       []string
		names     map[string][]string
		several   bool
	}{
		{of: func(p Plain) []string { return p.Against }, one: "a supporting claim that does not", many: "supporting claims that do not"},
		{of: func(p Plain) []string { return p.Untold }, one: "a supporting claim this setup cannot tell", many: "supporting claims this setup cannot tell"},
		{of: func(p Plain) []string { return p.Partial }, one: "a supporting claim that holds only partly", many: "supporting claims that hold only partly"},
	}
	for _, r := range rows {
		lead := r.Plain.Lead
		ids[lead] = append(ids[lead], r.Claim.ID)
		if lead == leadSanity && len(r.Supporting) > 0 {
			sanityWith = append(sanityWith, r.Claim.ID)
			var statements []string
			var outs []result.Outcome
			for _, v := range r.Supporting {
				if !v.NotTested {
					statements, outs = append(statements, v.Statement), append(outs, v.Outcome)
				}
			}
			for i, n := range ShortNames(statements) {
				sanityNamed = append(sanityNamed, fmt.Sprintf("%s's %s %s", r.Claim.ID, strconv.Quote(n), outs[i]))
			}
		}
		for i := range kinds {
			k := &kinds[i]
			if st := k.of(r.Plain); lead == leadHolds && len(st) > 0 {
				if k.names == nil {
					k.names = map[string][]string{}
				}
				k.ids = append(k.ids, r.Claim.ID)
				k.names[r.Claim.ID] = r.chipNames(st)
				k.several = k.several || len(st) > 1
			}
		}
	}
	var parts []string
	for _, k := range []struct{ lead, one, many string }{
		{leadHolds, "holds", "hold"},
		{leadFails, "does not hold", "do not hold"},
		{leadPartly, "holds partly", "hold partly"},
		{leadCannotTell, "cannot be told by this setup", "cannot be told by this setup"},
		{leadSanity, "is only a sanity check", "are only sanity checks"},
		{leadMissing, "was not measured", "were not measured"},
		{leadNotTested, "was not tested in this run", "were not tested in this run"},
	} {
		n := len(ids[k.lead])
		if n == 0 {
			continue
		}
		word := k.many
		if n == 1 {
			word = k.one
		}
		list := strings.Join(ids[k.lead], ", ")
		if k.lead == leadHolds {
			for _, kind := range kinds {
				list += withSupporting(kind.ids, kind.names, kind.several, kind.one, kind.many)
			}
		}
		if k.lead == leadSanity && len(sanityWith) > 0 {
			list += "; " + andList(sanityWith) + " also with supporting verdicts that are tested, not sanity checks"
			if len(sanityNamed) > 0 {
				list += ": " + andList(sanityNamed)
			}
		}
		parts = append(parts, fmt.Sprintf("%d %s (%s)", n, word, list))
	}
	return strings.Join(parts, ", ")
}

// chipNames are the names the row's chips give the verdicts with these
// statements (a verdict's own Short where it has one, review 25c), or the
// statements shortened where no chip has them.
func (r ClaimRow) chipNames(statements []string) []string {
	out := ShortNames(statements)
	for i, st := range statements {
		if k := slices.IndexFunc(r.Chips, func(c Chip) bool { return c.Statement == st }); k >= 0 {
			out[i] = r.Chips[k].Name
		}
	}
	return out
}

// withSupporting is the count's note on the holding claims ids with
// supporting claims of one kind, named by their short names (names, per
// claim): "; C10 with a supporting claim that does not, \"ReLU overfits
// more\"", or with several claims "; C5 and C10 with ..., C5's \"a\" and
// C10's \"b\"". One or many as several says; "" when there are none.
func withSupporting(ids []string, names map[string][]string, several bool, one, many string) string {
	if len(ids) == 0 {
		return ""
	}
	if several {
		one = many
	}
	var named []string
	for _, id := range ids {
		var quoted []string
		for _, n := range names[id] {
			quoted = append(quoted, strconv.Quote(n))
		}
		if len(ids) == 1 {
			named = append(named, andList(quoted))
		} else {
			named = append(named, id+"'s "+andList(quoted))
		}
	}
	return "; " + andList(ids) + " with " + one + ", " + andList(named)
}

// andList joins words as in a sentence: "a", "a and b", "a, b and c".
func andList(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
