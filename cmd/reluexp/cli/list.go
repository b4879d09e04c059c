package cli

import (
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reluexp/reluexp/experiments"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/report"
)

func newListCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Short:   "List the experiments and the claims they test",
		Example: "  reluexp list",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return runList(stdout)
		},
	}
}

func runList(w io.Writer) error {
	t := result.Table{Columns: []string{"experiment", "claims", "what it measures"}}
	for _, e := range experiments.All() {
		t.Rows = append(t.Rows, []string{e.Name(), strings.Join(e.Claims(), ", "), e.Summary()})
	}
	return report.WriteTable(w, t)
}
