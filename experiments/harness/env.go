package harness

import (
	"fmt"

	"github.com/reluexp/reluexp/data"
)

// Env holds what cells share during a run: where the data lives. It is
// read-only once the run starts.
type Env struct {
	// DataDir overrides where the data set is read from (see
	// data.DatasetDir).
	DataDir string
}

// Data returns the training and test sets of the data set name (data.MNIST
// or data.FashionMNIST), loaded once per process and shared; read-only.
// The files are identified from their content: a folder holding another
// data set than name is an error naming both.
func (e *Env) Data(name string) (train, test *data.Set, err error) {
	dir, _, err := data.DatasetDir(name, e.DataDir)
	if err != nil {
		return nil, nil, err
	}
	train, test, err = data.LoadDataset(name, dir)
	if err != nil {
		return nil, nil, fmt.Errorf("loading %s: %w", data.DatasetTitle(name), err)
	}
	return train, test, nil
}

// MNIST is Data(data.MNIST).
func (e *Env) MNIST() (train, test *data.Set, err error) {
	return e.Data(data.MNIST)
}
