package cli

import (
	"strings"
	"testing"
)

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"relu", "relu", 0},
		{"", "abc", 3},
		{"vanishng", "vanishing", 1}, // a letter left out
		{"relu6", "relu", 1},         // one too many
		{"widht", "width", 1},        // two letters swapped
		{"lekay", "leaky", 1},        // swapped
		{"Dying", "dying", 0},        // case is ignored
		{"tanh", "than", 2},          // a rotation of three letters, not one swap
		{"abc", "xyz", 3},
		{"adam", "adamw", 1},
		{"ca", "abc", 3}, // a swapped pair is not edited again
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := editDistance(tc.b, tc.a); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d (not symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestNearest(t *testing.T) {
	experimentNames := []string{"vanishing", "exploding", "zerocentered", "dying", "sparsity", "twosided", "overfitting", "speed"}
	variants := []string{"relu", "leaky", "prelu", "elu", "selu", "gelu", "swish", "silu", "softplus", "sigmoid", "tanh", "identity", "twosided"}
	settings := []string{"variant", "inits", "depths", "width", "batch", "seeds", "train-depths", "train-width", "lr"}
	for _, tc := range []struct {
		name  string
		valid []string
		want  string
	}{
		{"vanishng", experimentNames, "vanishing"},
		{"explodng", experimentNames, "exploding"},
		{"zero-centered", experimentNames, "zerocentered"},
		{"vanish", experimentNames, "vanishing"}, // cut short
		{"sped", experimentNames, "speed"},
		{"dying", experimentNames, ""},  // already valid
		{"banana", experimentNames, ""}, // nothing near
		{"relu6", variants, "relu"},
		{"lekay", variants, "leaky"},
		{"sigmod", variants, "sigmoid"},
		{"swishy", variants, "swish"},
		{"gelu2", variants, "gelu"}, // gelu is 1 edit away, relu 2
		{"xelu", variants, "relu"},  // relu, elu, selu, gelu all 1 away: the first listed
		{"mish", variants, ""},      // swish is 2 edits away; 4 letters allow 1
		{"widht", settings, "width"},
		{"seed", settings, "seeds"},
		{"depth", settings, "depths"},
		{"traindepths", settings, "train-depths"},
		{"rate", settings, ""},
		{"l", settings, ""}, // one letter: no guess (lr is 1 away, as is any name of up to 2 letters)
		{"", settings, ""},
	} {
		if got := nearest(tc.name, tc.valid); got != tc.want {
			t.Errorf("nearest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestAddSuggestions(t *testing.T) {
	for _, tc := range []struct {
		msg, want string
	}{
		{`unknown experiment "vanishng" (valid: dying, exploding, vanishing)`, "\ndid you mean vanishing?"},
		{`dying: unknown variant "relu6" (valid: relu, leaky); or relu-d1 for relu with f'(0)=1`, "relu-d1 for relu with f'(0)=1\ndid you mean relu?"},
		{`unknown setting "widht" (valid: variant, width, or batch)`, "\ndid you mean width?"},
		{`unknown init "kaiming" (valid: xavier-uniform, he-normal)`, ""},
		{`no such file`, ""},
	} {
		got := addSuggestions(tc.msg)
		if tc.want == "" {
			if got != tc.msg {
				t.Errorf("addSuggestions(%q) = %q, want it unchanged", tc.msg, got)
			}
			continue
		}
		if !strings.HasPrefix(got, tc.msg) || !strings.HasSuffix(got, tc.want) {
			t.Errorf("addSuggestions(%q) = %q, want it to end with %q", tc.msg, got, tc.want)
		}
	}
}
