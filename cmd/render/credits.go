package render

import (
	"fmt"
	"io"

	"github.com/costctl/costctl/analyze"
)

// creditsHeading introduces the credit lines under a report table and
// states that the table's costs exclude them.
const creditsHeading = "\ncredits in the window, separate from every request's cost:\n"

// Credits writes the report's credits under its table or Markdown table:
// one line per credit as a negative amount, their total when there are
// several, and the net cost. It writes nothing without credits.
func Credits(w io.Writer, rep *analyze.Report, format string) error {
	if len(rep.Credits) == 0 || rep.Totals.NetCostUSD == nil || rep.Totals.CreditsUSD == nil {
		return nil
	}
	fmt.Fprint(w, creditsHeading)
	if format == FormatMarkdown {
		fmt.Fprintln(w)
		return writeMarkdown(w, creditsGrid(rep))
	}
	return writeTable(w, creditsGrid(rep))
}

func creditsGrid(rep *analyze.Report) grid {
	g := grid{
		header:  []string{"date", "provider", "description", "amount"},
		numeric: []bool{false, false, false, true},
	}
	for _, c := range rep.Credits {
		g.rows = append(g.rows, []string{c.Date, providerLabel(c.Provider), c.Description, USD(-c.AmountUSD)})
	}
	if len(rep.Credits) > 1 {
		g.rows = append(g.rows, []string{"total credits", "", "", USD(-*rep.Totals.CreditsUSD)})
	}
	less := fmt.Sprintf("cost %s less %s of credits", USD(rep.Totals.EffectiveCostUSD), USD(*rep.Totals.CreditsUSD))
	g.footer = []string{"net cost", "", less, USD(*rep.Totals.NetCostUSD)}
	return g
}

// providerLabel returns the provider of a credit, or "(all)" for a credit
// not tied to one provider.
func providerLabel(p string) string {
	if p == "" {
		return "(all)"
	}
	return p
}
