package harness

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
)

type profCfg struct {
	Width int `json:"width" flag:"width" help:"width"`
	Seeds int `json:"seeds" flag:"seeds" help:"seeds"`
}

// profExp is an experiment with one profile, "wide".
func profExp() Experiment {
	return Register(Definition[profCfg, int, int]{
		Name: "prof",
		Defaults: func(quick bool) *profCfg {
			if quick {
				return &profCfg{Width: 2, Seeds: 1}
			}
			return &profCfg{Width: 8, Seeds: 3}
		},
		Profiles: []Profile[profCfg]{{Name: "wide", Summary: "wide nets", Defaults: func(quick bool) *profCfg {
			if quick {
				return &profCfg{Width: 64, Seeds: 1}
			}
			return &profCfg{Width: 1024, Seeds: 3}
		}}},
		Cells: func(c *profCfg) []Cell[int] { return []Cell[int]{{ID: "c", Params: c.Width, Cost: 1}} },
		Run: func(context.Context, *Env, int, *rand.Rand) (int, error) {
			return 0, nil
		},
		Summarize: func(*profCfg, []Done[int, int]) (*result.Result, error) { return &result.Result{}, nil },
	})
}

func TestDefaultsByProfile(t *testing.T) {
	exp := profExp()
	for _, tc := range []struct {
		profile string
		quick   bool
		width   int
	}{
		{"", false, 8}, {"default", false, 8}, {"default", true, 2}, {"wide", false, 1024}, {"wide", true, 64},
	} {
		cfg, err := Defaults(exp, tc.quick, tc.profile)
		if err != nil || cfg.(*profCfg).Width != tc.width {
			t.Errorf("profile %q quick %v: %+v, %v; want width %d", tc.profile, tc.quick, cfg, err, tc.width)
		}
	}
	_, err := Defaults(exp, false, "narrow")
	if err == nil || !strings.Contains(err.Error(), `unknown profile "narrow" for prof (valid: default, wide)`) {
		t.Errorf("unknown profile: error %v", err)
	}
	if got := strings.Join(ProfileNames(exp), ","); got != "default,wide" {
		t.Errorf("profile names %q", got)
	}
}

// TestProfileInCommandAndManifest: the command that reproduces a run names
// its profile and only the settings that differ from the profile's
// defaults; the manifest records the profile, and its configuration is
// decoded on the profile's defaults.
func TestProfileInCommandAndManifest(t *testing.T) {
	exp := profExp()
	cfg, _ := Defaults(exp, false, "wide")
	cfg.(*profCfg).Seeds = 5
	if got, want := CommandLine(exp, cfg, false, "wide", DefaultSeed), "reluexp run prof --profile=wide --seeds=5"; got != want {
		t.Errorf("command %q, want %q", got, want)
	}
	if got, want := CommandLine(exp, exp.NewConfig(false), false, "default", DefaultSeed), "reluexp run prof"; got != want {
		t.Errorf("command %q, want %q", got, want)
	}
	m, err := NewManifest(exp, cfg, DefaultSeed, false, "wide", "cmd")
	if err != nil || m.Profile != "wide" {
		t.Fatalf("manifest profile %q, %v", m.Profile, err)
	}
	back, err := ConfigFromManifest(exp, m)
	if err != nil || *back.(*profCfg) != *cfg.(*profCfg) {
		t.Errorf("configuration from the manifest %+v, %v; want %+v", back, err, cfg)
	}
	if m, _ := NewManifest(exp, cfg, DefaultSeed, false, "default", "cmd"); m.Profile != "" {
		t.Errorf("the default profile recorded as %q, want nothing", m.Profile)
	}
	confs, err := Expand(exp, false, "wide", []Setting{{Name: "seeds", Values: []string{"2"}}})
	if err != nil || len(confs) != 1 || confs[0].Config.(*profCfg).Width != 1024 || confs[0].Config.(*profCfg).Seeds != 2 {
		t.Errorf("expand on the wide profile: %+v, %v", confs, err)
	}
	if _, err := Expand(exp, false, "narrow", nil); err == nil {
		t.Error("expand accepted an unknown profile")
	}
}
