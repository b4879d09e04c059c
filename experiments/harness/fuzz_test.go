package harness_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/vanishing"
)

// Fuzz targets for everything a user types into a sweep: --shard, --set and
// any setting's value. They must never panic, and what they accept must be
// consistent.

func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"1/3", "3/3", "0/3", "4/3", "1/0", "-1/2", "a/b", "", "/", "2", " 2 / 5 ", "99999999999999999999/1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sh, err := harness.ParseShard(s)
		if err != nil {
			if !strings.Contains(err.Error(), "--shard") {
				t.Errorf("error %q does not name the flag", err)
			}
			return
		}
		if sh.Index < 1 || sh.Index > sh.Count {
			t.Errorf("ParseShard(%q) accepted %v", s, sh)
		}
		// 1/1 is the whole sweep, which prints as "all".
		if sh.Whole() {
			return
		}
		if again, err := harness.ParseShard(sh.String()); err != nil || again != sh {
			t.Errorf("%v does not survive formatting: %v, %v", sh, again, err)
		}
	})
}

func FuzzParseSetting(f *testing.F) {
	for _, s := range []string{"lr=0.1", "depths=2,5,10", "variant=relu,tanh", "lr=", "=1", "lr", "a=b=c", "x=1,,2", " w = 3 ", "k=,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		set, err := harness.ParseSetting(s)
		if err != nil {
			return
		}
		// No values is the empty list, typed as "key=".
		if set.Name == "" || (len(set.Values) == 0 && strings.TrimSpace(s[strings.Index(s, "=")+1:]) != "") {
			t.Errorf("ParseSetting(%q) accepted %+v", s, set)
		}
		for _, v := range set.Values {
			if v == "" || v != strings.TrimSpace(v) {
				t.Errorf("ParseSetting(%q) gave value %q", s, v)
			}
		}
	})
}

// Any text set into any field of a real configuration either fails with an
// error naming the setting, or is stored so that formatting and setting it
// again changes nothing.
func FuzzSetField(f *testing.F) {
	for _, s := range []string{"depths|2,5", "lr|abc", "lr|1e-3", "seeds|-1", "variant|relu,swishy", "width|0x10", "bogus|1", "train-nets|relu/he-normal", "depths|", "train-depths|", "train-depths| ", "lr|NaN", "lr|+Inf"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, value, _ := strings.Cut(s, "|")
		cfg := vanishing.Defaults(true)
		if err := harness.SetField(cfg, name, value); err != nil {
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", name)) && !strings.Contains(err.Error(), "--"+name) {
				t.Errorf("SetField(%q, %q): error %q does not name the setting", name, value, err)
			}
			return
		}
		formatted, ok := harness.FieldValue(cfg, name)
		if !ok {
			t.Fatalf("SetField accepted unknown setting %q", name)
		}
		again := vanishing.Defaults(true)
		if err := harness.SetField(again, name, formatted); err != nil {
			t.Fatalf("the formatted value %q of %q is refused: %v", formatted, name, err)
		}
		if v, _ := harness.FieldValue(again, name); v != formatted {
			t.Errorf("%q: %q formats as %q then %q", name, value, formatted, v)
		}
		// Validation may refuse the value, but must not panic.
		_ = harness.Validate(vanishing.New(), cfg)
	})
}
