package render

import (
	"bufio"
	"io"
	"strings"

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

// writeTable prints g with box borders for a terminal. Large tables of
// plain ASCII text take writeBoxes, which prints the same bytes:
// tablewriter took 1.3 s for the 57,600 rows of a report by endpoint, tier
// and hour (BENCHMARKS.md).
func writeTable(w io.Writer, g grid) error {
	if len(g.rows) >= boxesMinRows && g.plainASCII() {
		return writeBoxes(w, g)
	}
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

// boxesMinRows is the size from which writeTable prints boxes itself;
// smaller tables keep tablewriter, which handles every kind of text.
const boxesMinRows = 1000

// plainASCII reports whether every cell is printable ASCII, one column per
// byte, and every row as wide as the header: the text writeBoxes can lay
// out exactly as tablewriter does.
func (g grid) plainASCII() bool {
	rows := append([][]string{g.header}, g.rows...)
	if len(g.footer) > 0 {
		rows = append(rows, g.footer)
	}
	for _, r := range rows {
		if len(r) != len(g.header) {
			return false
		}
		for _, cell := range r {
			for i := 0; i < len(cell); i++ {
				if cell[i] < ' ' || cell[i] > '~' {
					return false
				}
			}
		}
	}
	return true
}

// writeBoxes prints g as tablewriter 1.1.5 does with g.options(): box
// borders, one space of padding, the header centered (extra space on the
// right) and rows and footer aligned per column.
func writeBoxes(w io.Writer, g grid) error {
	widths := make([]int, len(g.header))
	for _, r := range append([][]string{g.header, g.footer}, g.rows...) {
		for i, cell := range r {
			widths[i] = max(widths[i], len(cell))
		}
	}

	b := bufio.NewWriterSize(w, 1<<16)
	writeRule(b, widths, "┌", "┬", "┐")
	writeCells(b, widths, g.header, nil)
	writeRule(b, widths, "├", "┼", "┤")
	for _, r := range g.rows {
		writeCells(b, widths, r, g.numeric)
	}
	if len(g.footer) > 0 {
		writeRule(b, widths, "├", "┼", "┤")
		writeCells(b, widths, g.footer, g.numeric)
	}
	writeRule(b, widths, "└", "┴", "┘")
	return b.Flush()
}

func writeRule(b *bufio.Writer, widths []int, left, middle, right string) {
	b.WriteString(left)
	for i, n := range widths {
		if i > 0 {
			b.WriteString(middle)
		}
		b.WriteString(strings.Repeat("─", n+2))
	}
	b.WriteString(right)
	b.WriteByte('\n')
}

// writeCells prints one row. A nil numeric centers every cell.
func writeCells(b *bufio.Writer, widths []int, cells []string, numeric []bool) {
	b.WriteString("│")
	for i, cell := range cells {
		pad := widths[i] - len(cell)
		left := 0
		switch {
		case numeric == nil:
			left = pad / 2
		case i < len(numeric) && numeric[i]:
			left = pad
		}
		b.WriteByte(' ')
		writeSpaces(b, left)
		b.WriteString(cell)
		writeSpaces(b, pad-left)
		b.WriteString(" │")
	}
	b.WriteByte('\n')
}

func writeSpaces(b *bufio.Writer, n int) {
	for range n {
		b.WriteByte(' ')
	}
}
