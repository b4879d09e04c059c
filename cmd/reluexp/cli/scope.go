package cli

import (
	"fmt"
	"strings"

	"github.com/reluexp/reluexp/experiments"
)

// Where the shared settings reach. Most experiments have a --variant and a
// --seeds setting, but not all, and in several of them the setting drives
// one part of the experiment while another part has a setting of its own
// (vanishing's MNIST training takes its nets from --train-nets and its seeds
// from --train-seeds). The experiments' own help says what a setting is;
// this table says, for the two settings users expect everywhere, which
// parts each experiment applies them to. It feeds the settings' help, the
// error for a flag an experiment lacks, and the README's table, and a test
// checks every "does not reach" against the cells the experiment makes.

// sharedSettings are the settings the README's table covers, in its order.
var sharedSettings = []string{"variant", "seeds"}

// scope is where one experiment applies one shared setting.
type scope struct {
	// Reaches names the parts the setting applies to ("" for every part).
	Reaches string
	// Elsewhere are the parts it does not reach.
	Elsewhere []elsewhere
	// Note is a further remark.
	Note string
	// Absent, for an experiment without the setting, says what plays its
	// role there.
	Absent string
}

// elsewhere is a part of an experiment a shared setting does not reach: its
// cells (IDs starting with Cells), and the settings that play the role
// there.
type elsewhere struct {
	Cells, Part, Use string
}

var scopes = map[string]map[string]scope{
	"variant": {
		"vanishing": {Reaches: "the gradients at initialisation",
			Elsewhere: []elsewhere{{"train/", "the MNIST training", "--train-nets"}}},
		"exploding": {Reaches: "the gradients at initialisation",
			Elsewhere: []elsewhere{{"train/", "the MNIST training", "--train-variant"}}},
		"zerocentered": {Absent: "its activations are chosen with --sign-arms (gradient signs) and --pairs (training speed)"},
		"dying":        {Note: "relu always runs, as the reference"},
		"sparsity":     {},
		"twosided":     {Absent: "its nets are chosen with --nets (variant:width pairs)"},
		"overfitting":  {Note: "the arms with dropout are those of --dropout-variant that are among --variant"},
		"speed": {Reaches: "the time-to-accuracy training",
			Elsewhere: []elsewhere{{"timing/", "the kernel and training-step timings", "--kernel-variants, --kernel-variants-large, --step-variants"}}},
		"cnnspeed": {Note: "relu always runs, as the reference; the step timing times the same activations"},
	},
	"seeds": {
		"vanishing": {Reaches: "the gradients at initialisation",
			Elsewhere: []elsewhere{{"train/", "the MNIST training", "--train-seeds"}}},
		"exploding": {Reaches: "the gradients at initialisation",
			Elsewhere: []elsewhere{{"train/", "the MNIST training", "--train-seeds"}}},
		"zerocentered": {Reaches: "the gradient-sign counts",
			Elsewhere: []elsewhere{{"speed/", "the training speed", "--train-seeds"}, {"path/", "the two-weight unit", "--path-seeds"}}},
		"dying": {Reaches: "the MNIST training",
			Elsewhere: []elsewhere{{"born/", "the born-dead Monte Carlo", "--born-inits"}, {"narrow/", "the narrow zero-bias nets (C1)", "--narrow-seeds"}}},
		"sparsity": {},
		"twosided": {Reaches: "the MNIST training (accuracy and dying stress test)",
			Elsewhere: []elsewhere{{"born/", "the born-dead Monte Carlo", "--born-inits"}}},
		"overfitting": {},
		"speed": {Reaches: "the time-to-accuracy training",
			Elsewhere: []elsewhere{{"timing/", "the timings", "--kernel-reps, --step-reps"}}},
		"cnnspeed": {Reaches: "the training runs",
			Elsewhere: []elsewhere{{"timing/", "the step timing", "--step-reps"}}},
	},
}

// describe is the scope in words, for help and the README: "every part",
// or the parts reached and, for each other part, the setting that plays
// the role there.
func (s scope) describe(code func(string) string) string {
	if s.Absent != "" {
		return "no such setting: " + codeFlags(s.Absent, code)
	}
	var b strings.Builder
	if s.Reaches == "" {
		b.WriteString("every part")
	} else {
		b.WriteString(s.Reaches + " only")
	}
	for _, e := range s.Elsewhere {
		fmt.Fprintf(&b, "; for %s, use %s", e.Part, codeFlags(e.Use, code))
	}
	if s.Note != "" {
		b.WriteString("; " + codeFlags(s.Note, code))
	}
	return b.String()
}

// codeFlags passes every --flag in text through code (backquotes for
// Markdown, nothing for the terminal).
func codeFlags(text string, code func(string) string) string {
	words := strings.Fields(text)
	for i, w := range words {
		if strings.HasPrefix(w, "--") {
			flag := strings.TrimRight(w, ",;:)")
			words[i] = code(flag) + w[len(flag):]
		}
	}
	return strings.Join(words, " ")
}

func plain(s string) string { return s }

// scopeHelp is what a shared setting's help adds in experiment exp: where
// the setting applies ("" when the table does not cover it).
func scopeHelp(exp, setting string) string {
	s, ok := scopes[setting][exp]
	if !ok || s.Absent != "" {
		return ""
	}
	return "(applies to " + s.describe(plain) + ")"
}

// absentHint says what plays the role of a shared setting in an experiment
// that lacks it ("" if exp has it or the table says nothing).
func absentHint(exp, setting string) string {
	return scopes[setting][exp].Absent
}

// flagScopeTable is the README's table of where --variant and --seeds
// apply, one row per experiment.
func flagScopeTable() string {
	code := func(s string) string { return "`" + s + "`" }
	var b strings.Builder
	b.WriteString("| experiment |")
	for _, s := range sharedSettings {
		fmt.Fprintf(&b, " `--%s` |", s)
	}
	b.WriteString("\n|---|")
	for range sharedSettings {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, exp := range experiments.All() {
		fmt.Fprintf(&b, "| `%s` |", exp.Name())
		for _, s := range sharedSettings {
			fmt.Fprintf(&b, " %s |", scopes[s][exp.Name()].describe(code))
		}
		b.WriteString("\n")
	}
	return b.String()
}
