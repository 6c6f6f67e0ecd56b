package analyze

import (
	"cmp"
	"slices"
	"time"

	"github.com/costctl/costctl/pricing"
)

// CreditLine is one credit of the config's adjustments that falls in a
// report's window. A credit is a separate line of the bill: it lowers the
// net cost of the totals and never the cost of a request, group or cell.
type CreditLine struct {
	Date        string  `json:"date"`        // YYYY-MM-DD, as configured
	Provider    string  `json:"provider"`    // "" for a credit not tied to one provider
	Description string  `json:"description"` // "" when the config gives none
	AmountUSD   float64 `json:"amount_usd"`  // positive
}

// addCredits lists the credits in the report's window and sets the credit
// total and the net cost of the totals. A report without such credits is
// left as it was, so its document carries none of these fields.
//
// The report has no provider filter, so credits of every provider are
// listed. With --by provider they still stay out of the groups, because
// a credit is not part of any request's cost.
func addCredits(rep *Report, total *tally, credits []pricing.Credit, opts ReportOptions) {
	lines, sum := creditsInWindow(credits, opts.Window, opts.Loc)
	if len(lines) == 0 {
		return
	}

	// Both figures come from exact sums, so the net cost is the effective
	// cost less the credits to the last picodollar.
	net := total.cost
	net.Sub(sum)
	creditsUSD, netUSD := sum.USD(), net.USD()
	rep.Credits = lines
	rep.Totals.CreditsUSD, rep.Totals.NetCostUSD = &creditsUSD, &netUSD
}

// creditsInWindow returns the credits dated inside w, ordered by date, and
// their exact sum. A credit dated D is inside when the start of D in loc
// (nil is UTC) is in [since, until). Bounds given as dates are such starts
// too, so the window of a month contains the credits dated in that month.
func creditsInWindow(credits []pricing.Credit, w Window, loc *time.Location) ([]CreditLine, pricing.Money) {
	if loc == nil {
		loc = time.UTC
	}
	var lines []CreditLine
	var sum pricing.Money
	for _, c := range credits {
		start := time.Date(c.Date.Year(), c.Date.Month(), c.Date.Day(), 0, 0, 0, 0, loc)
		if !inWindow(start, w) {
			continue
		}
		sum.AddPico(pricing.Pico(c.AmountPico))
		lines = append(lines, CreditLine{
			Date: c.Date.Format(time.DateOnly), Provider: c.Provider,
			Description: c.Description, AmountUSD: creditUSD(c),
		})
	}

	// Stable, so credits of one date keep the order of the config.
	slices.SortStableFunc(lines, func(a, b CreditLine) int { return cmp.Compare(a.Date, b.Date) })
	return lines, sum
}

func inWindow(t time.Time, w Window) bool {
	return (w.Since == nil || !t.Before(*w.Since)) && (w.Until == nil || t.Before(*w.Until))
}

func creditUSD(c pricing.Credit) float64 {
	var m pricing.Money
	m.AddPico(pricing.Pico(c.AmountPico))
	return m.USD()
}
