package render

import (
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// grid is a table ready to print: a header, rows, an optional footer and
// which columns hold numbers (right-aligned). Every tablewriter call of
// costctl is in this file.
type grid struct {
	header  []string
	rows    [][]string
	footer  []string
	numeric []bool
}

// writeTable prints g with box borders for a terminal.
func writeTable(w io.Writer, g grid) error {
	return g.render(tablewriter.NewTable(w, g.options()...))
}

// writeMarkdown prints g as a GitHub-flavoured Markdown table.
func writeMarkdown(w io.Writer, g grid) error {
	opts := append(g.options(), tablewriter.WithRenderer(renderer.NewMarkdown()))
	return g.render(tablewriter.NewTable(w, opts...))
}

func (g grid) options() []tablewriter.Option {
	align := make(tw.Alignment, len(g.header))
	for i := range align {
		align[i] = tw.AlignLeft
		if i < len(g.numeric) && g.numeric[i] {
			align[i] = tw.AlignRight
		}
	}
	return []tablewriter.Option{
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
		tablewriter.WithFooterAlignmentConfig(tw.CellAlignment{PerColumn: align}),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithFooterAutoFormat(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		// Leading spaces are part of a floating waterfall bar.
		tablewriter.WithTrimSpace(tw.Off),
	}
}

func (g grid) render(t *tablewriter.Table) error {
	t.Header(toAny(g.header)...)
	for _, r := range g.rows {
		if err := t.Append(r); err != nil {
			return err
		}
	}
	if len(g.footer) > 0 {
		t.Footer(toAny(g.footer)...)
	}
	return t.Render()
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
