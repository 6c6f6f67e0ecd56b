package render

import (
	"io"
	"math"
	"slices"
	"strings"

	"github.com/costctl/costctl/analyze"
)

// BarWidth is the width in terminal cells of a full-length bar.
const BarWidth = 20

// eighths are the Unicode blocks from one eighth to a full cell wide, so
// a bar's length has eight steps per cell.
var eighths = []rune("▏▎▍▌▋▊▉█")

// timeDimensions are the --by dimensions whose rows form a time series,
// the tables where a bar column shows the shape of spend at a glance.
var timeDimensions = []string{"day", "hour", "hour_of_day"}

// ReportBars reports whether a report table gets a bar column: only for
// a time series, and only when a person reads it on a terminal.
func ReportBars(rep *analyze.Report, format string, terminal bool) bool {
	if format != FormatTable || !terminal || len(rep.Groups) == 0 {
		return false
	}
	return slices.ContainsFunc(rep.By, func(d string) bool { return slices.Contains(timeDimensions, d) })
}

// ReportWithBars writes the report table with a bar column for each
// group's cost, scaled to the costliest group, and the credits under it.
func ReportWithBars(w io.Writer, rep *analyze.Report) error {
	g := reportGrid(rep)
	peak := 0.0
	for _, grp := range rep.Groups {
		peak = math.Max(peak, grp.CostUSD)
	}

	g.header = append(g.header, "")
	g.numeric = append(g.numeric, false)
	for i, grp := range rep.Groups {
		g.rows[i] = append(g.rows[i], Bar(grp.CostUSD, peak, BarWidth))
	}
	if g.footer != nil {
		g.footer = append(g.footer, "")
	}
	if err := writeTable(w, g); err != nil {
		return err
	}
	return Credits(w, rep, FormatTable)
}

// Bar draws v on a scale from 0 to peak as a bar of at most width cells,
// padded with spaces to width. A positive v below one eighth of a cell
// still gets the thinnest block, so small values do not look like zero.
func Bar(v, peak float64, width int) string {
	if peak <= 0 || v <= 0 {
		return strings.Repeat(" ", width)
	}
	return blocks(v/peak*float64(width), width)
}

// FloatingBar draws the span between from and to on a scale from 0 to
// peak, for one step of a text waterfall: spaces up to the lower end, then
// the bar. The lower end is rounded to whole cells because Unicode has no
// blocks that fill a cell from the right in eighths.
func FloatingBar(from, to, peak float64, width int) string {
	lo, hi := math.Min(from, to), math.Max(from, to)
	if peak <= 0 || hi <= 0 || hi == lo {
		return strings.Repeat(" ", width)
	}
	offset := int(math.Round(math.Max(lo, 0) / peak * float64(width)))
	offset = min(offset, width-1)
	return strings.Repeat(" ", offset) + blocks((hi-math.Max(lo, 0))/peak*float64(width), width-offset)
}

// blocks draws a bar cells long (fractional, at least one eighth) padded
// with spaces to width, and never longer than width.
func blocks(cells float64, width int) string {
	n := int(math.Round(math.Min(cells, float64(width)) * 8))
	n = max(n, 1)
	full, part := n/8, n%8

	var b strings.Builder
	b.WriteString(strings.Repeat(string(eighths[7]), full))
	if part > 0 {
		b.WriteRune(eighths[part-1])
		full++
	}
	b.WriteString(strings.Repeat(" ", width-full))
	return b.String()
}

// ReportOnTerminal writes a report as Report does, with the bar column
// when ReportBars holds for it.
func ReportOnTerminal(w io.Writer, rep *analyze.Report, format string, terminal bool) error {
	var err error
	if ReportBars(rep, format, terminal) {
		err = ReportWithBars(w, rep)
	} else {
		err = Report(w, rep, format)
	}
	if err != nil {
		return err
	}
	return LoggedCost(w, rep, format)
}
