package report

import (
	"strconv"
	"strings"

	"github.com/reluexp/reluexp/experiments/result"
)

// A verdict whose rule combines parts (a kernel half and a step half, a
// ReLU half and a fixes' half) says in its Why what each part came to,
// with the outcome in capitals: "...: below the margin everywhere
// (REFUTED).", "ReLU's half is MIXED: many die, but ...", "...: part A
// (many die) CONFIRMED.", "Both halves together: MIXED.". PartsOf reads
// those back, so that the first screen can say which part of a MIXED claim
// does not hold without anything typed per claim.

// Part is one part of a verdict with an outcome of its own.
type Part struct {
	// Label names the part ("part A (many die)", "the fixes' half").
	Label   string
	Outcome result.Outcome
	// Detail is what the Why says of the part's outcome, without its
	// bracketed numbers ("below the margin everywhere"); may be empty.
	Detail string
	// text is the Why's text of the part, numbers and all, which
	// effectPart searches for the effect's interval.
	text string
}

// String is the part as the first screen names it: "label (detail)".
func (p Part) String() string {
	if p.Detail == "" {
		return p.Label
	}
	return p.Label + " (" + p.Detail + ")"
}

// maxPartLabel bounds, in bytes, a part's label: a longer one is a
// sentence with numbers ("at lr 0.8 ReLU's dead fraction minus leaky's is
// +10.6 points: INCONCLUSIVE"), a comparison inside a part rather than a
// part, and is left out.
const maxPartLabel = 60

var outcomes = []result.Outcome{result.Confirmed, result.Refuted, result.Mixed, result.Inconclusive}

// PartsOf returns the parts v's Why gives an outcome of their own, in
// the order it names them. The last one is left out when it has v's own
// outcome and comes after at least two others: that is the rule's
// conclusion ("Both halves together: MIXED"), not a part.
func PartsOf(v result.Verdict) []Part {
	var parts []Part
	for _, point := range Points(v.Why) {
		parts = append(parts, partsOfPoint(point)...)
	}
	if n := len(parts); n >= 3 && parts[n-1].Outcome == v.Outcome {
		parts = parts[:n-1]
	}
	return parts
}

// mention is where an outcome word stands in a point: [start, end) covers
// the word, with its brackets in the "(REFUTED)" form.
type mention struct {
	start, end int
	outcome    result.Outcome
	bracketed  bool
}

// mentions finds the outcome words of a point that stand as words,
// outside brackets unless they are the brackets' whole content.
func mentions(point string) []mention {
	var out []mention
	depth := 0
	for i := 0; i < len(point); i++ {
		switch point[i] {
		case '(', '[':
			depth++
			continue
		case ')', ']':
			if depth > 0 {
				depth--
			}
			continue
		}
		for _, o := range outcomes {
			w := string(o)
			if !strings.HasPrefix(point[i:], w) || (i > 0 && isLetter(point[i-1])) || (i+len(w) < len(point) && isLetter(point[i+len(w)])) {
				continue
			}
			bracketed := i > 0 && point[i-1] == '(' && i+len(w) < len(point) && point[i+len(w)] == ')'
			switch {
			case bracketed:
				out = append(out, mention{start: i - 1, end: i + len(w) + 1, outcome: o, bracketed: true})
				i += len(w) - 1
			case depth == 0:
				out = append(out, mention{start: i, end: i + len(w), outcome: o})
				i += len(w) - 1
			}
			break
		}
	}
	return out
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }

// partsOfPoint reads the parts one point (sentence or clause) names.
func partsOfPoint(point string) []Part {
	var parts []Part
	ms := mentions(point)
	from := 0
	for k, m := range ms {
		next := len(point)
		if k+1 < len(ms) {
			next = ms[k+1].start
		}
		before := point[from:m.start]
		after := point[m.end:next]
		part := Part{Outcome: m.outcome, text: point[from:m.end]}
		trimmed := strings.TrimRight(before, " ")
		switch {
		case m.bracketed:
			// "Label (margin): numbers: detail (OUTCOME)."
			pieces := colonPieces(trimmed)
			part.Label = pieces[0]
			if len(pieces) > 1 {
				part.Detail = pieces[len(pieces)-1]
			}
		case strings.HasSuffix(trimmed, " is"):
			// "...: label is OUTCOME: detail."
			part.Label = lastPiece(strings.TrimSuffix(trimmed, " is"))
			if d, ok := strings.CutPrefix(after, ": "); ok {
				part.Detail = d
				part.text += after
			}
		case strings.HasSuffix(trimmed, ":"):
			// "Label: OUTCOME, as detail."
			part.Label = lastPiece(strings.TrimSuffix(trimmed, ":"))
			if d, ok := strings.CutPrefix(after, ", "); ok {
				part.Detail = d
			}
		default:
			// "numbers: label OUTCOME."
			part.Label = lastPiece(trimmed)
		}
		from = m.end
		part.Label = partLabel(part.Label)
		part.Detail = partDetail(part.Detail)
		if part.Label == "" || len(part.Label) > maxPartLabel {
			continue
		}
		parts = append(parts, part)
	}
	return parts
}

// colonPieces cuts s at its top-level ": ".
func colonPieces(s string) []string {
	return splitTopLevel(s, func(text string, i int) bool {
		return text[i] == ':' && i+1 < len(text) && text[i+1] == ' '
	})
}

// lastPiece is what follows s's last top-level ": " or "; ".
func lastPiece(s string) string {
	pieces := splitTopLevel(s, func(text string, i int) bool {
		return (text[i] == ':' || text[i] == ';') && i+1 < len(text) && text[i+1] == ' '
	})
	if len(pieces) == 0 {
		return ""
	}
	return pieces[len(pieces)-1]
}

// partLabel tidies a part's label: no closing punctuation, the first
// letter lowered for use inside a sentence, a leading "with" dropped, and a closing bracket dropped
// when at least three words remain ("Kernel time over ReLU's (margin
// 1.5x)" is "kernel time over ReLU's"; "part A (many die)" keeps it).
func partLabel(s string) string {
	s = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), ".,;:"))
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, " ("); i > 0 && len(strings.Fields(s[:i])) >= 3 {
			s = s[:i]
		}
	}
	// "With clip 5 at lr 1: ..." names the part "clip 5 at lr 1".
	return strings.TrimPrefix(lowerFirst(s), "with ")
}

// partDetail tidies what the Why says of a part: its bracketed numbers
// dropped, no closing full stop.
func partDetail(s string) string {
	return strings.TrimRight(withoutBrackets(s), ".;: ")
}

// effectPart finds the part of v whose text quotes v's effect: both ends
// of its interval, written to the same number of decimals (1 to 4, signs
// and a percentage scale aside). It fails when no part, or more than one,
// quotes them.
func effectPart(v result.Verdict) (Part, bool) {
	if v.Effect == nil {
		return Part{}, false
	}
	var found []Part
	for _, p := range PartsOf(v) {
		if quotesInterval(p.text, v.Effect.Estimate.Lo, v.Effect.Estimate.Hi) {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		return Part{}, false
	}
	return found[0], true
}

// quotesInterval says whether text holds lo and hi as numbers of its own
// (not inside longer numbers), to the same number of decimals, as they
// are or scaled by 100 (a fraction quoted in points).
func quotesInterval(text string, lo, hi float64) bool {
	for _, scale := range []float64{1, 100} {
		for d := 1; d <= 4; d++ {
			a := strconv.FormatFloat(abs(lo*scale), 'f', d, 64)
			b := strconv.FormatFloat(abs(hi*scale), 'f', d, 64)
			if a != b && hasNumber(text, a) && hasNumber(text, b) {
				return true
			}
		}
	}
	return false
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// hasNumber says whether num occurs in text with no digit or point on
// either side.
func hasNumber(text, num string) bool {
	digit := func(c byte) bool { return c >= '0' && c <= '9' || c == '.' }
	for i := 0; ; {
		j := strings.Index(text[i:], num)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(num)
		if (j == 0 || !digit(text[j-1])) && (end == len(text) || !digit(text[end]) || (text[end] == '.' && (end+1 == len(text) || !digit(text[end+1])))) {
			return true
		}
		i = j + 1
	}
}
