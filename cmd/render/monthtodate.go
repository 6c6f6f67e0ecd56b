package render

import (
	"fmt"
	"io"

	"github.com/costctl/costctl/analyze"
)

// MonthToDate writes the month-to-date line under a report table.
func MonthToDate(w io.Writer, m *analyze.MonthToDate) {
	fmt.Fprintf(w, "\nmonth to date %s (%s, %.1f of %d days): spent %s; forecast to month end %s\n",
		m.Month, m.TZ, m.DaysElapsed, m.DaysInMonth, USD(m.SpentUSD), USD(m.ForecastUSD))
	fmt.Fprintf(w, "forecast: %s\n", m.Method)
}
