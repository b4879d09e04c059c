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
// it is not MNIST. The experiments name it in the titles of what was
// trained on it; a title that does not name it (a Monte Carlo at
// initialisation, a kernel timing, a table whose title never said MNIST)
// gets "Fashion-MNIST run: " in front, which says which run it comes from
// without claiming the data set entered it. On MNIST nothing changes, so
// MNIST outputs stay as they were before the setting existed.
func labelDataset(res *result.Result, dataset string) {
	if dataset == "" || dataset == data.MNIST {
		return
	}
	title := data.DatasetTitle(dataset)
	label := func(s *string) {
		if !strings.Contains(*s, title) {
			*s = title + " run: " + *s
		}
	}
	eachTitle(res, label)
}

// labelProfile makes every table and figure of res name the profile its
// run started from, when it is not the experiment's own defaults, so that
// an output of a "--profile long" run cannot be read as the report's: a
// title that labelDataset prefixed ("Fashion-MNIST run: ") gets the
// profile beside the data set ("Fashion-MNIST run, profile long: "), any
// other gets "Profile long run: " in front.
func labelProfile(res *result.Result, dataset, profile string) {
	if profile == "" || profile == DefaultProfile {
		return
	}
	datasetRun := data.DatasetTitle(dataset) + " run: "
	label := func(s *string) {
		if dataset != "" && dataset != data.MNIST && strings.HasPrefix(*s, datasetRun) {
			*s = strings.TrimSuffix(datasetRun, ": ") + ", profile " + profile + ": " + strings.TrimPrefix(*s, datasetRun)
			return
		}
		*s = "Profile " + profile + " run: " + *s
	}
	eachTitle(res, label)
}

// eachTitle calls label on the title of every table, record and figure of
// res.
func eachTitle(res *result.Result, label func(*string)) {
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
