package harness

import (
	"strings"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/result"
)

// DatasetSetting is the name, by convention, of the setting that picks the
// data set an experiment trains on (the --dataset flag; see kit.Dataset).
// The harness reads it to name the data set in every title, and the command
// line to check the data before anything runs.
const DatasetSetting = "dataset"

// DatasetOf returns the data set cfg trains on: the value of its "dataset"
// setting, or "" if it has none.
func DatasetOf(cfg any) string {
	v, _ := FieldValue(cfg, DatasetSetting)
	return v
}

// labelDataset makes every table and figure of res name the data set when
// it is not MNIST: a title that does not already name it gets the data
// set's title in front ("Fashion-MNIST: ..."). Titles that name MNIST are
// the experiments' own business (they write the data set's title there);
// on MNIST nothing changes, so MNIST outputs stay as they were before the
// setting existed.
func labelDataset(res *result.Result, dataset string) {
	if dataset == "" || dataset == data.MNIST {
		return
	}
	title := data.DatasetTitle(dataset)
	label := func(s *string) {
		if !strings.Contains(*s, title) {
			*s = title + ": " + *s
		}
	}
	for i := range res.Tables {
		label(&res.Tables[i].Title)
	}
	for i := range res.Records {
		label(&res.Records[i].Title)
	}
	for i := range res.Figures {
		label(&res.Figures[i].Title)
	}
}
