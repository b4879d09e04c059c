package report_test

import (
	"context"
	"html"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/reluexp/reluexp/experiments"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/report"
)

// The report checked in a real browser: headless Chromium renders
// index.html, every image and link of the page it built must lead to a
// file (images to a PNG that decodes) or to an anchor on the page, and a
// screenshot of the first screen at 1280x800 is saved for a person to
// look at. The screenshots go to the test's artifact folder, kept with
//
//	go test -run Browser -artifacts -outputdir DIR ./report/
//
// Without Chromium (chromium, chromium-browser, google-chrome or
// $RELUEXP_CHROMIUM) the test is skipped with a message.

// chromium returns the browser to run, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the browser check runs in the full test pass")
	}
	if p := os.Getenv("RELUEXP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium found (chromium, chromium-browser, google-chrome or $RELUEXP_CHROMIUM): the page is not checked in a browser; install it with apt-get install chromium")
	return ""
}

// runChromium runs headless Chromium on dir/index.html with extra flags
// and returns what it printed.
func runChromium(t *testing.T, bin, dir string, flags ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	page := (&url.URL{Scheme: "file", Path: filepath.Join(dir, "index.html")}).String()
	args := append([]string{"--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars", "--disable-dev-shm-usage",
		"--user-data-dir=" + t.TempDir()}, flags...)
	cmd := exec.CommandContext(ctx, bin, append(args, page)...)
	cmd.WaitDelay = 5 * time.Second
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", bin, strings.Join(flags, " "), err, stderr.String())
	}
	return out
}

var (
	attrRE = regexp.MustCompile(`\s(src|href)="([^"]*)"`)
	idRE   = regexp.MustCompile(`\sid="([^"]*)"`)
)

// render runs the browser once on dir/index.html: it returns the page as
// the browser built it (its DOM) and saves a screenshot of the first
// screen at 1280x800 under name in the test's artifact folder, checking
// that something was drawn.
func render(t *testing.T, bin, dir, name string) string {
	t.Helper()
	path := filepath.Join(t.ArtifactDir(), name)
	dom := string(runChromium(t, bin, dir, "--dump-dom", "--screenshot="+path, "--window-size=1280,800"))
	if !strings.Contains(dom, `<table class="glance"`) {
		t.Fatalf("the browser's page has no first-screen table:\n%.2000s", dom)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 800 {
		t.Errorf("screenshot is %dx%d, want 1280x800", b.Dx(), b.Dy())
	}
	if share := inkShare(img); share < 0.02 {
		t.Errorf("the screenshot is almost blank (%.1f%% of pixels not white)", 100*share)
	}
	t.Logf("screenshot of the first screen: %s", path)
	return dom
}

// broken returns every image of a page (as the browser built it) that is
// missing or does not decode as a PNG, and every link that leads neither
// to a file in dir nor to an anchor on the page.
func broken(dom, dir string) []string {
	ids := map[string]bool{}
	for _, m := range idRE.FindAllStringSubmatch(dom, -1) {
		ids[html.UnescapeString(m[1])] = true
	}
	var problems []string
	images := 0
	for _, m := range attrRE.FindAllStringSubmatch(dom, -1) {
		attr, target := m[1], html.UnescapeString(m[2])
		if anchor, ok := strings.CutPrefix(target, "#"); ok {
			if !ids[anchor] {
				problems = append(problems, "link to #"+anchor+", which is not on the page")
			}
			continue
		}
		u, err := url.Parse(target)
		if err != nil || u.Scheme != "" || u.Host != "" {
			problems = append(problems, "link "+target+" leaves the report folder")
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(u.Path))
		if attr == "href" {
			if _, err := os.Stat(path); err != nil {
				problems = append(problems, "link "+target+": "+err.Error())
			}
			continue
		}
		images++
		if err := decodesAsPNG(path); err != nil {
			problems = append(problems, "image "+target+": "+err.Error())
		}
	}
	if images == 0 {
		problems = append(problems, "the page shows no image")
	}
	return problems
}

func decodesAsPNG(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return err
	}
	if img.Bounds().Empty() {
		return os.ErrInvalid
	}
	return nil
}

// inkShare is the share of pixels that are not (nearly) white.
func inkShare(img image.Image) float64 {
	b := img.Bounds()
	ink := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.GrayModel.Convert(img.At(x, y)).(color.Gray)
			if c.Y < 240 {
				ink++
			}
		}
	}
	return float64(ink) / float64(b.Dx()*b.Dy())
}

// sample is a small result with a figure, every outcome and a sanity
// check.
func sample() *result.Result {
	v := func(claim string, o result.Outcome, role result.Role, st string) result.Verdict {
		return result.Verdict{Claim: claim, Statement: st, Rule: "a rule", Outcome: o, Why: "Because. It cannot be told here.", Role: role, Caveat: "c",
			Effect: &result.Evidence{Name: "a minus b (per seed)", Unit: "fraction", Estimate: metrics.MeanCI([]float64{0.4, 0.45, 0.5})},
			Margin: result.Float(0.1), MarginReason: "ten points", MDE: result.Float(0.05), N: 3}
	}
	return &result.Result{
		Experiment: "sample", Claims: []string{"C1", "C2"}, Command: "reluexp run sample",
		Verdicts: []result.Verdict{
			v("C1", result.Confirmed, result.Main, "the first thing holds"), v("C1", result.Refuted, result.Supporting, "a side point fails"),
			v("C2", result.Inconclusive, result.Main, "the second thing holds"), v("C2", result.Mixed, result.Supporting, "another side point"),
			v("C3", result.Confirmed, result.Sanity, "true by definition"),
		},
		Records: []result.Table{{Name: "r", Columns: []string{"a"}, Rows: [][]string{{"1"}}}},
		Figures: []result.Figure{{Name: "f", Title: "F", Caption: "cap", Panels: []result.Panel{{Kind: result.LinePanel, XLabel: "x", YLabel: "y",
			Lines: []result.Line{{Label: "l", X: []float64{1, 2, 3}, Y: []float64{1, 3, 2}}}}}}},
	}
}

func TestBrowserRendersTheReport(t *testing.T) {
	bin := chromium(t)
	out := t.TempDir()
	if err := report.WriteExperiment(filepath.Join(out, "sample"), sample()); err != nil {
		t.Fatal(err)
	}
	run, err := report.LoadRun(out, "sample")
	if err != nil {
		t.Fatal(err)
	}
	claims := []result.Claim{{ID: "C1", Blog: "one claim"}, {ID: "C2", Blog: "another"}, {ID: "C3", Blog: "by definition"}}
	if err := report.WriteSite(out, report.NewSite(claims, []report.Run{run}, report.Environment{})); err != nil {
		t.Fatal(err)
	}
	dom := render(t, bin, out, "sample-first-screen.png")
	if problems := broken(dom, out); len(problems) > 0 {
		t.Errorf("the page has broken parts:\n  %s", strings.Join(problems, "\n  "))
	}

	// The check sees a figure that no longer decodes, a link whose file
	// is gone and an anchor that is not on the page.
	os.WriteFile(filepath.Join(out, "sample", "f.png"), []byte("\x89PNG\r\n\x1a\nnot really"), 0o644)
	os.Remove(filepath.Join(out, "sample", "r.csv"))
	dom = strings.Replace(dom, `href="#figure-sample-f"`, `href="#figure-sample-g"`, 1)
	problems := strings.Join(broken(dom, out), "\n")
	for _, want := range []string{"image sample/f.png", "link sample/r.csv", "#figure-sample-g, which is not on the page"} {
		if !strings.Contains(problems, want) {
			t.Errorf("broken page: problems %q lack %q", problems, want)
		}
	}
}

// committedRuns loads the committed results (../results), or skips.
func committedRuns(t *testing.T) (string, []report.Run) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "results"))
	if err != nil {
		t.Fatal(err)
	}
	var runs []report.Run
	for _, e := range experiments.All() {
		r, err := report.LoadRun(dir, e.Name())
		if err != nil {
			continue
		}
		runs = append(runs, r)
	}
	if len(runs) == 0 {
		t.Skipf("no committed results in %s", dir)
	}
	return dir, runs
}

// The report built from the committed results, in the browser: the page a
// reader opens, with its screenshot.
func TestBrowserRendersTheCommittedResults(t *testing.T) {
	bin := chromium(t)
	dir, runs := committedRuns(t)
	out := t.TempDir()
	for _, r := range runs {
		if err := os.Symlink(filepath.Join(dir, r.Name), filepath.Join(out, r.Name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := report.WriteSite(out, report.NewSite(experiments.Claims(), runs, report.Environment{})); err != nil {
		t.Fatal(err)
	}
	dom := render(t, bin, out, "results-first-screen.png")
	if problems := broken(dom, out); len(problems) > 0 {
		t.Errorf("the page has broken parts:\n  %s", strings.Join(problems, "\n  "))
	}
}

// Every key figure names a figure the committed results have, in the
// experiment that gives the claim's main verdict: a renamed figure or a
// main verdict that moved shows here rather than as a wrong thumbnail.
func TestKeyFiguresNameCommittedFigures(t *testing.T) {
	_, runs := committedRuns(t)
	for _, row := range report.ClaimRows(experiments.Claims(), runs) {
		want, ok := report.KeyFigures[row.Claim.ID]
		switch {
		case !ok && row.Main != nil:
			t.Errorf("%s has a main verdict but no key figure", row.Claim.ID)
		case ok && row.Main == nil:
			t.Errorf("%s has a key figure %s but no main verdict", row.Claim.ID, want)
		case ok && want == "" && row.Figure != nil:
			t.Errorf("%s: no key figure wanted, but %s is shown", row.Claim.ID, row.Figure.File)
		case ok && want != "" && (row.Figure == nil || row.Figure.File != want):
			t.Errorf("%s: key figure %s is not among the figures of the experiment that gave its main verdict (shown instead: %+v)", row.Claim.ID, want, row.Figure)
		}
	}
}
