package render

import (
	"fmt"
	"io"

	"github.com/costctl/costctl/analyze"
)

// MonthToDate writes the month-to-date lines under a report table.
// creditsUSD is the total of the report's credits, nil without any. The
// spend and forecast do not subtract the credits, and a line states that.
func MonthToDate(w io.Writer, m *analyze.MonthToDate, creditsUSD *float64) {
	fmt.Fprintf(w, "\nmonth to date %s (%s, %.1f of %d days): spent %s; forecast to month end %s\n",
		m.Month, m.TZ, m.DaysElapsed, m.DaysInMonth, USD(m.SpentUSD), USD(m.ForecastUSD))
	if creditsUSD != nil {
		fmt.Fprintf(w, "spend and forecast are before the month's %s of credits\n", USD(*creditsUSD))
	}
	fmt.Fprintf(w, "forecast: %s\n", m.Method)
}
