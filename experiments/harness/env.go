package harness

import (
	"fmt"

	"github.com/reluexp/reluexp/data"
)

// Env holds what cells share during a run: where the data lives. It is
// read-only once the run starts.
type Env struct {
	// DataDir overrides where MNIST is read from (see data.MNISTDir).
	DataDir string
}

// MNIST returns the MNIST training and test sets (loaded once per process
// and shared; read-only).
func (e *Env) MNIST() (train, test *data.Set, err error) {
	dir, _, err := data.MNISTDir(e.DataDir)
	if err != nil {
		return nil, nil, err
	}
	train, test, err = data.LoadMNIST(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("loading MNIST: %w", err)
	}
	return train, test, nil
}
