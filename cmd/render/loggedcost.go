package render

import (
	"fmt"
	"io"

	"github.com/costctl/costctl/analyze"
)

// LoggedCost writes report --vs-logged-cost's comparison after the report
// table. JSON carries it in the document and CSV has one table only, so
// both leave it out here.
func LoggedCost(w io.Writer, rep *analyze.Report, format string) error {
	cmp := rep.VsLoggedCost
	if cmp == nil || (format != FormatTable && format != FormatMarkdown) {
		return nil
	}
	fmt.Fprintf(w, "\ncost the logs carry vs costctl's price (%s with a logged cost):\n", plural(cmp.Totals.Requests, "request"))

	g := grid{header: append(append([]string{}, rep.By...), "requests", "logged", "costctl", "difference", "difference %")}
	g.numeric = make([]bool, len(g.header))
	for i := len(rep.By); i < len(g.header); i++ {
		g.numeric[i] = true
	}
	for _, grp := range cmp.Groups {
		row := make([]string, 0, len(g.header))
		for _, d := range rep.By {
			row = append(row, keyLabel(grp.Key[d]))
		}
		g.rows = append(g.rows, append(row, loggedCells(grp)...))
	}
	g.footer = append(make([]string, len(rep.By)), loggedCells(cmp.Totals)...)
	if len(rep.By) > 0 {
		g.footer[0] = "total"
	}
	if format == FormatMarkdown {
		return writeMarkdown(w, g)
	}
	return writeTable(w, g)
}

func loggedCells(f analyze.LoggedCostFigures) []string {
	pct := ""
	if f.DifferencePct != nil {
		pct = Pct(*f.DifferencePct)
	}
	return []string{Count(f.Requests), USD(f.LoggedCostUSD), USD(f.CostUSD), deltaUSD(f.DifferenceUSD), pct}
}
