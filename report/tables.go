package report

import (
	"bytes"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/reluexp/reluexp/experiments/result"
)

// tableOptions keep cells as written: no upper-cased headers (tablewriter
// v1's default), no wrapping, which would split numbers across lines.
func tableOptions(r tw.Renderer) []tablewriter.Option {
	return []tablewriter.Option{
		tablewriter.WithRenderer(r),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	}
}

// WriteTable renders t for a terminal, with box-drawing borders.
func WriteTable(w io.Writer, t result.Table) error {
	return renderTable(w, t, renderer.NewBlueprint())
}

// MarkdownTable renders t as a GitHub-flavoured Markdown table.
func MarkdownTable(t result.Table) (string, error) {
	var b bytes.Buffer
	if err := renderTable(&b, t, renderer.NewMarkdown()); err != nil {
		return "", err
	}
	return b.String(), nil
}

func renderTable(w io.Writer, t result.Table, r tw.Renderer) error {
	tbl := tablewriter.NewTable(w, tableOptions(r)...)
	tbl.Header(toAny(t.Columns)...)
	rows := make([][]string, len(t.Rows))
	for i, row := range t.Rows {
		rows[i] = make([]string, len(row))
		for j, cell := range row {
			// A pipe would end a Markdown cell early.
			rows[i][j] = strings.ReplaceAll(cell, "|", "/")
		}
	}
	if err := tbl.Bulk(rows); err != nil {
		return err
	}
	return tbl.Render()
}

func toAny(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
