package render

import (
	"fmt"
	"io"

	"github.com/costctl/costctl/analyze"
)

// BudgetCheck writes the month-to-date budget check in the given format.
func BudgetCheck(w io.Writer, bc *analyze.BudgetCheck, format string) error {
	if format == FormatJSON {
		return JSON(w, bc)
	}
	m := bc.MonthToDate
	fmt.Fprintf(w, "budget check %s: %s spent %s so far (%.1f of %d days, %s), forecast %s by month end\n\n",
		bc.Status, m.Month, USD(m.SpentUSD), m.DaysElapsed, m.DaysInMonth, m.TZ, USD(m.ForecastUSD))

	g := grid{
		header:  []string{"budget", "spent", "forecast", "warn above", "fail above", "status"},
		numeric: []bool{false, true, true, true, true, false},
	}
	for _, r := range bc.Budgets {
		name := r.Scope
		if r.Name != "" {
			name += " " + r.Name
		}
		g.rows = append(g.rows, []string{name, USD(r.SpentUSD), USD(r.ForecastUSD), optionalUSD(r.WarnUSD), optionalUSD(r.FailUSD), r.Status})
	}
	if format == FormatMarkdown {
		return writeMarkdown(w, g)
	}
	return writeTable(w, g)
}

func optionalUSD(v *float64) string {
	if v == nil {
		return ""
	}
	return USD(*v)
}
