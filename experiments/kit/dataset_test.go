package kit

import (
	"encoding/json"
	"strings"
	"testing"
)

// MNIST must serialise as if the setting did not exist, so that MNIST
// records and summaries keep their bytes; another data set must show.
func TestDatasetJSONAndCellID(t *testing.T) {
	type cfg struct {
		Width   int     `json:"width"`
		Dataset Dataset `json:"dataset,omitzero"`
	}
	cases := []struct {
		d            Dataset
		json, cellID string
		title        string
	}{
		{"", `{"width":3}`, "relu/s1", "MNIST"},
		{DefaultDataset, `{"width":3}`, "relu/s1", "MNIST"},
		{"fashion-mnist", `{"width":3,"dataset":"fashion-mnist"}`, "fashion-mnist/relu/s1", "Fashion-MNIST"},
	}
	for _, c := range cases {
		b, err := json.Marshal(cfg{Width: 3, Dataset: c.d})
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != c.json {
			t.Errorf("%q: JSON %s, want %s", c.d, b, c.json)
		}
		if got := c.d.CellID("relu/s1"); got != c.cellID {
			t.Errorf("%q: cell ID %q, want %q", c.d, got, c.cellID)
		}
		if got := c.d.Title(); got != c.title {
			t.Errorf("%q: title %q, want %q", c.d, got, c.title)
		}
	}
	// Decoding a configuration written before the setting existed keeps
	// the default.
	c := cfg{Dataset: DefaultDataset}
	if err := json.Unmarshal([]byte(`{"width":3}`), &c); err != nil || c.Dataset != DefaultDataset {
		t.Errorf("decoded %+v (err %v), want the default data set kept", c, err)
	}
}

func TestDatasetCheck(t *testing.T) {
	for _, c := range []struct {
		d  Dataset
		ok bool
	}{{"mnist", true}, {"fashion-mnist", true}, {"", false}, {"Fashion-MNIST", false}, {"cifar10", false}} {
		err := c.d.Check()
		if (err == nil) != c.ok {
			t.Errorf("Check(%q) = %v, want ok=%v", c.d, err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "valid: mnist, fashion-mnist") {
			t.Errorf("Check(%q) = %q does not name the valid choices", c.d, err)
		}
	}
}
