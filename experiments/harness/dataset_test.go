package harness

import (
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
)

func TestLabelDataset(t *testing.T) {
	titles := []string{"Which deep nets still learn Fashion-MNIST", "Born-dead ReLU nets by depth", ""}
	cases := []struct {
		dataset string
		want    []string
	}{
		{"", titles},
		{"mnist", titles},
		{"fashion-mnist", []string{"Which deep nets still learn Fashion-MNIST", "Fashion-MNIST run: Born-dead ReLU nets by depth", "Fashion-MNIST run: "}},
	}
	for _, c := range cases {
		res := &result.Result{}
		for _, s := range titles {
			res.Tables = append(res.Tables, result.Table{Title: s})
			res.Records = append(res.Records, result.Table{Title: s})
			res.Figures = append(res.Figures, result.Figure{Title: s})
		}
		labelDataset(res, c.dataset)
		for i, w := range c.want {
			if res.Tables[i].Title != w || res.Records[i].Title != w || res.Figures[i].Title != w {
				t.Errorf("%q: title %d: table %q, record %q, figure %q; want %q", c.dataset, i, res.Tables[i].Title, res.Records[i].Title, res.Figures[i].Title, w)
			}
		}
	}
}

// A run from a profile other than the defaults names it in every title,
// beside the data set's label where there is one.
func TestLabelProfile(t *testing.T) {
	titles := []string{"Which deep nets still learn Fashion-MNIST", "Born-dead ReLU nets by depth"}
	cases := []struct {
		dataset, profile string
		want             []string
	}{
		{"", "", titles},
		{"fashion-mnist", DefaultProfile, []string{"Which deep nets still learn Fashion-MNIST", "Fashion-MNIST run: Born-dead ReLU nets by depth"}},
		{"", "long", []string{"Profile long run: Which deep nets still learn Fashion-MNIST", "Profile long run: Born-dead ReLU nets by depth"}},
		{"mnist", "long", []string{"Profile long run: Which deep nets still learn Fashion-MNIST", "Profile long run: Born-dead ReLU nets by depth"}},
		{"fashion-mnist", "long", []string{"Profile long run: Which deep nets still learn Fashion-MNIST", "Fashion-MNIST run, profile long: Born-dead ReLU nets by depth"}},
	}
	for _, c := range cases {
		res := &result.Result{}
		for _, s := range titles {
			res.Tables = append(res.Tables, result.Table{Title: s})
			res.Records = append(res.Records, result.Table{Title: s})
			res.Figures = append(res.Figures, result.Figure{Title: s})
		}
		labelDataset(res, c.dataset)
		labelProfile(res, c.dataset, c.profile)
		for i, w := range c.want {
			if res.Tables[i].Title != w || res.Records[i].Title != w || res.Figures[i].Title != w {
				t.Errorf("%q/%q: title %d: table %q, record %q, figure %q; want %q", c.dataset, c.profile, i, res.Tables[i].Title, res.Records[i].Title, res.Figures[i].Title, w)
			}
		}
	}
}
