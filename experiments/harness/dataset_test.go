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
		res := titled(titles)
		labelDataset(res, c.dataset)
		checkTitles(t, c.dataset, res, c.want)
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
		res := titled(titles)
		labelDataset(res, c.dataset)
		labelProfile(res, c.dataset, c.profile)
		checkTitles(t, c.dataset+"/"+c.profile, res, c.want)
	}
}

// titled is a result with one table, record and figure per title.
func titled(titles []string) *result.Result {
	res := &result.Result{}
	for _, s := range titles {
		res.Tables = append(res.Tables, result.Table{Title: s})
		res.Records = append(res.Records, result.Table{Title: s})
		res.Figures = append(res.Figures, result.Figure{Title: s})
	}
	return res
}

// checkTitles checks that the i-th table, record and figure of res are
// all titled want[i].
func checkTitles(t *testing.T, name string, res *result.Result, want []string) {
	t.Helper()
	for i, w := range want {
		if res.Tables[i].Title != w || res.Records[i].Title != w || res.Figures[i].Title != w {
			t.Errorf("%q: title %d: table %q, record %q, figure %q; want %q", name, i, res.Tables[i].Title, res.Records[i].Title, res.Figures[i].Title, w)
		}
	}
}
