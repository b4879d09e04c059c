package data

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fashionDir returns the installed Fashion-MNIST folder, or skips.
func fashionDir(t *testing.T) string {
	t.Helper()
	t.Setenv(FashionMNISTEnv, "")
	dir, _, err := DatasetDir(FashionMNIST, "")
	if err != nil {
		t.Skipf("Fashion-MNIST is not installed (apt-get install %s): %v", FashionMNISTPackage, err)
	}
	return dir
}

func TestIdentifyReal(t *testing.T) {
	for _, c := range []struct {
		name string
		dir  func(t *testing.T) string
	}{
		{MNIST, realMNISTDir},
		{FashionMNIST, fashionDir},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := c.dir(t)
			train, test, err := LoadDataset(c.name, dir)
			if err != nil {
				t.Fatal(err)
			}
			if train.Name != c.name+"-train" || test.Name != c.name+"-test" || train.N != 60000 || test.N != 10000 {
				t.Errorf("got %s N=%d, %s N=%d; want %s-train N=60000, %s-test N=10000", train.Name, train.N, test.Name, test.N, c.name, c.name)
			}
			// The other name is refused, naming both.
			other := FashionMNIST
			if c.name == FashionMNIST {
				other = MNIST
			}
			_, _, err = LoadDataset(other, dir)
			if !IsMismatch(err) {
				t.Fatalf("LoadDataset(%s, %s dir) = %v, want a mismatch", other, c.name, err)
			}
			for _, w := range []string{DatasetTitle(c.name) + ", not " + DatasetTitle(other), "--dataset " + c.name} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// Fashion-MNIST's published class balance: 6000 training and 1000 test
// images of each class (Xiao et al. 2017). MNIST's classes are unequal, so
// this also tells the two apart independently of the digests.
func TestFashionMNISTBalanced(t *testing.T) {
	train, test, err := LoadDataset(FashionMNIST, fashionDir(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		s    *Set
		each int
	}{{train, 6000}, {test, 1000}} {
		var counts [10]int
		for _, y := range c.s.Y {
			counts[y]++
		}
		for k, n := range counts {
			if n != c.each {
				t.Errorf("%s: class %d has %d examples, want %d", c.s.Name, k, n, c.each)
			}
		}
	}
}

func TestIdentifyUnknown(t *testing.T) {
	dir := fakeMNISTDir(t)
	_, _, err := LoadDataset(MNIST, dir)
	if err == nil {
		t.Fatal("made-up IDX files accepted as MNIST")
	}
	for _, w := range []string{"not MNIST", "matches no data set", "go mod download"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
	if IsMismatch(err) {
		t.Errorf("unknown files reported as another known data set: %v", err)
	}
}

// Identification needs all four files: one known digest, or three, is not
// enough.
func TestIdentifyNeedsAllFour(t *testing.T) {
	for _, name := range Datasets {
		d := knownDigests[name]
		if got := identify(d); got != name {
			t.Errorf("identify(%s digests) = %q", name, got)
		}
		for i := range d {
			mixed := d
			mixed[i] = knownDigests[otherDataset(name)][i]
			if got := identify(mixed); got != "" {
				t.Errorf("%s with file %d of %s identified as %q", name, i, otherDataset(name), got)
			}
			mixed[i] = [sha256.Size]byte{}
			if got := identify(mixed); got != "" {
				t.Errorf("%s with file %d unknown identified as %q", name, i, got)
			}
		}
	}
}

func otherDataset(name string) string {
	if name == MNIST {
		return FashionMNIST
	}
	return MNIST
}

// A truncated copy of a real file is refused by the format checks before
// identification; the error names the file and how to get the data.
func TestIdentifyTruncatedReal(t *testing.T) {
	for _, c := range []struct {
		name string
		dir  func(t *testing.T) string
	}{
		{MNIST, realMNISTDir},
		{FashionMNIST, fashionDir},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := c.dir(t)
			dir := t.TempDir()
			for _, f := range mnistFiles {
				b, err := os.ReadFile(filepath.Join(src, f))
				if err != nil {
					t.Fatal(err)
				}
				if f == mnistTrainLabels {
					b = b[:len(b)/2]
				}
				if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, _, err := LoadDataset(c.name, dir)
			if err == nil {
				t.Fatal("truncated file accepted")
			}
			for _, w := range []string{filepath.Join(dir, mnistTrainLabels), "stream ends", hint(c.name)} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestCheckDataset(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
	}{{"mnist", true}, {"fashion-mnist", true}, {"", false}, {"MNIST", false}, {"cifar10", false}} {
		err := CheckDataset(c.name)
		if (err == nil) != c.ok {
			t.Errorf("CheckDataset(%q) = %v, want ok=%v", c.name, err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "valid: mnist, fashion-mnist") {
			t.Errorf("CheckDataset(%q) = %q does not name the valid choices", c.name, err)
		}
	}
}

func TestResolveFashionDir(t *testing.T) {
	good := fakeMNISTDir(t)
	empty := t.TempDir()
	missing := filepath.Join(empty, "nowhere")
	cases := []struct {
		name                  string
		override, env, system string
		wantDir, wantSrc      string
		wantErr               []string
	}{
		{"flag first", good, empty, empty, good, "--data-dir", nil},
		{"env second", "", good, empty, good, "$" + FashionMNISTEnv, nil},
		{"system last", "", "", good, good, "system folder", nil},
		{"flag names a folder without the files", empty, good, good, "", "",
			[]string{empty + " has no file", "--data-dir", "apt-get install dataset-fashion-mnist"}},
		{"nothing installed", "", "", missing, "", "",
			[]string{missing + " does not exist", "folder searched: " + missing, "--data-dir not given", "$" + FashionMNISTEnv + " unset", "apt-get install dataset-fashion-mnist"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, src, err := resolveDatasetDir(FashionMNIST, c.override, c.env, c.system)
			if c.wantErr != nil {
				if err == nil {
					t.Fatalf("got %s from %s, want an error", dir, src)
				}
				for _, w := range c.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
				return
			}
			if err != nil || dir != c.wantDir || src != c.wantSrc {
				t.Errorf("got %q from %q (err %v), want %q from %q", dir, src, err, c.wantDir, c.wantSrc)
			}
		})
	}
	if _, _, err := resolveDatasetDir("cifar10", "", "", good); err == nil || !strings.Contains(err.Error(), "valid: mnist, fashion-mnist") {
		t.Errorf("unknown data set: %v", err)
	}
}
