package kit

import (
	"fmt"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/harness"
)

// Dataset names the data set an experiment trains on: data.MNIST (the
// default) or data.FashionMNIST. It is the type of every configuration's
// "dataset" setting (the --dataset flag) and of the matching field of the
// cells' parameters, declared as
//
//	Dataset kit.Dataset `json:"dataset,omitzero" flag:"dataset" help:"..."`
//
// MNIST is the zero value for JSON (IsZero), so a configuration or a cell
// on MNIST serialises exactly as before the setting existed: the records,
// manifests and summaries of MNIST runs, and so the committed results, are
// byte-identical, and earlier records are reused. In the same spirit
// CellID adds the data set to a cell's ID only when it is not MNIST, while
// the cell's Pair (hence its seed) is left alone: a Fashion-MNIST cell
// draws the same seed as its MNIST twin, but has its own record.
type Dataset string

// DefaultDataset is the data set of every experiment's defaults.
const DefaultDataset = Dataset(data.MNIST)

// IsZero reports whether d is MNIST (or unset), which JSON leaves out.
func (d Dataset) IsZero() bool { return d == "" || d == DefaultDataset }

// Name is the data set's name as typed ("mnist", "fashion-mnist").
func (d Dataset) Name() string {
	if d == "" {
		return string(DefaultDataset)
	}
	return string(d)
}

// Title is the data set's name in titles and text ("MNIST",
// "Fashion-MNIST").
func (d Dataset) Title() string { return data.DatasetTitle(d.Name()) }

// CellID is the ID of a cell that trains on d: id itself on MNIST, else
// "NAME/id".
func (d Dataset) CellID(id string) string {
	if d.IsZero() {
		return id
	}
	return d.Name() + "/" + id
}

// Check returns an error naming the valid choices unless d is a known data
// set.
func (d Dataset) Check() error {
	if err := data.CheckDataset(string(d)); err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	return nil
}

// Load returns d's training and test sets through env (shared, read-only).
func (d Dataset) Load(env *harness.Env) (train, test *data.Set, err error) {
	return env.Data(d.Name())
}

// TrainImages is the size of the training set of MNIST and of
// Fashion-MNIST, shared by the training examples an experiment takes from
// the front (Head) and the validation images it holds out from the back
// (Tail).
const TrainImages = 60000
