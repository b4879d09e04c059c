package cli

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Suggestions for mistyped names. Every "unknown NAME" error in the project
// has the form `unknown KIND "NAME" (valid: A, B, C)` (experiments,
// settings, variants, initialisers, optimisers, commands); the command line
// adds the nearest valid name to it, so the packages that check names need
// not know about suggestions.

// editDistance is the optimal string alignment distance between a and b:
// the fewest insertions, deletions, substitutions and swaps of two
// neighbouring characters that turn one into the other, each swapped pair
// edited at most once. It compares runes, ignoring case.
func editDistance(a, b string) int {
	ra, rb := []rune(strings.ToLower(a)), []rune(strings.ToLower(b))
	// d[i][j] is the distance between ra[:i] and rb[:j].
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// nearest returns the valid name closest to name, if one is close enough to
// be a likely typo: within a third of the typed name's length (at least 1,
// at most 3 edits, and fewer edits than the name has letters), or one that
// starts with what was typed (a name cut short, of 3 letters or more). Ties
// go to the name listed first; an exact match, or no valid name near,
// returns "".
func nearest(name string, valid []string) string {
	n := utf8.RuneCountInString(name)
	limit := min(max(1, n/3), 3, n-1)
	if limit < 1 {
		return ""
	}
	best, bestDist := "", limit+1
	for _, v := range valid {
		if strings.EqualFold(v, name) {
			return ""
		}
		d := editDistance(name, v)
		if d > limit && n >= 3 && strings.HasPrefix(strings.ToLower(v), strings.ToLower(name)) {
			d = limit
		}
		if d < bestDist {
			best, bestDist = v, d
		}
	}
	return best
}

// unknownName matches the project's "unknown KIND "NAME" (valid: ...)"
// errors. The list of valid names ends at the closing parenthesis.
var unknownName = regexp.MustCompile(`unknown ([a-z][a-z -]*) "([^"]*)" \(valid: ([^)]*)\)`)

// addSuggestions adds a line "did you mean X?" to msg for each unknown name
// in it that is near a valid one.
func addSuggestions(msg string) string {
	var lines []string
	for _, sub := range unknownName.FindAllStringSubmatch(msg, -1) {
		var valid []string
		for _, v := range strings.Split(sub[3], ",") {
			v = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), "or "))
			if v != "" {
				valid = append(valid, v)
			}
		}
		if s := nearest(sub[2], valid); s != "" {
			lines = append(lines, fmt.Sprintf("did you mean %s?", s))
		}
	}
	if len(lines) == 0 {
		return msg
	}
	return msg + "\n" + strings.Join(lines, "\n")
}
