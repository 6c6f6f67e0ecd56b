package analyze

import (
	"time"

	"github.com/costctl/costctl/pricing"
)

// historyDays is how far back the forecast looks: four weeks, so every
// weekday is sampled four times.
const historyDays = 28

// ForecastMethod describes the forecast in documents.
const ForecastMethod = "spend so far plus, for each remaining day of the month, the mean cost of the same weekday over the last four full weeks; the rest of today is prorated by the time left"

// MonthToDate is the spend of the calendar month holding AsOf, in TZ, and
// a forecast to the month's end. Both are effective costs, after discounts
// and before credits. Budgets compare what the requests cost, because a
// one-off credit would otherwise hide a month of overspend.
type MonthToDate struct {
	Month       string    `json:"month"` // YYYY-MM
	TZ          string    `json:"tz"`
	AsOf        time.Time `json:"as_of"`
	DaysElapsed float64   `json:"days_elapsed"`
	DaysInMonth int       `json:"days_in_month"`
	SpentUSD    float64   `json:"spent_usd"`
	ForecastUSD float64   `json:"forecast_usd"`
	Method      string    `json:"method"`
}

// MonthToDateWindow returns the start of asOf's month in loc and the
// earliest instant the forecast reads: four weeks before the start of
// asOf's day, or the month start when that is earlier. Query daily costs
// over [history, asOf).
func MonthToDateWindow(asOf time.Time, loc *time.Location) (monthStart, history time.Time) {
	t := asOf.In(loc)
	monthStart = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	history = time.Date(t.Year(), t.Month(), t.Day()-historyDays, 0, 0, 0, 0, loc)
	if monthStart.Before(history) {
		history = monthStart
	}
	return monthStart, history
}

// ForecastMonth computes spend so far and the forecast from daily costs
// keyed by YYYY-MM-DD in loc; a day absent from daily cost nothing. Days
// before the first day in daily are taken as before the data began, not as
// free days, so a young store is not forecast low. A weekday without any
// sample uses the mean of all sampled days; with no sample at all the
// forecast is the spend so far.
func ForecastMonth(daily map[string]float64, asOf time.Time, loc *time.Location) MonthToDate {
	t := asOf.In(loc)
	monthStart, _ := MonthToDateWindow(asOf, loc)
	today := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	monthEnd := monthStart.AddDate(0, 1, 0)

	m := MonthToDate{
		Month: t.Format("2006-01"), TZ: loc.String(), AsOf: asOf,
		DaysElapsed: asOf.Sub(monthStart).Hours() / 24,
		DaysInMonth: monthEnd.AddDate(0, 0, -1).Day(), Method: ForecastMethod,
	}
	// Each day's cost came from an exact sum, so adding the days as
	// picodollars keeps the spend equal to the report's total.
	var spent pricing.Money
	for d := monthStart; !d.After(today); d = d.AddDate(0, 0, 1) {
		spent.Add(pricing.FromUSD(daily[d.Format(time.DateOnly)]))
	}
	m.SpentUSD = spent.USD()

	rates := weekdayRates(daily, today)
	remaining := rates[today.Weekday()] * leftOfDay(asOf, today)
	for d := today.AddDate(0, 0, 1); d.Before(monthEnd); d = d.AddDate(0, 0, 1) {
		remaining += rates[d.Weekday()]
	}
	m.ForecastUSD = m.SpentUSD + remaining
	return m
}

// weekdayRates is the mean daily cost per weekday over the historyDays
// full days before today, skipping days before the data began.
func weekdayRates(daily map[string]float64, today time.Time) [7]float64 {
	first := firstDay(daily)
	var sum [7]float64
	var n [7]int
	var all float64
	var allN int
	for i := 1; i <= historyDays; i++ {
		d := today.AddDate(0, 0, -i)
		key := d.Format(time.DateOnly)
		if first == "" || key < first {
			continue
		}
		sum[d.Weekday()] += daily[key]
		n[d.Weekday()]++
		all += daily[key]
		allN++
	}

	var rates [7]float64
	for w := range rates {
		switch {
		case n[w] > 0:
			rates[w] = sum[w] / float64(n[w])
		case allN > 0:
			rates[w] = all / float64(allN)
		}
	}
	return rates
}

func firstDay(daily map[string]float64) string {
	first := ""
	for k := range daily {
		if first == "" || k < first {
			first = k
		}
	}
	return first
}

// leftOfDay is the share of today still ahead at asOf. Days are measured on
// the wall clock of loc, so a 23- or 25-hour day is handled.
func leftOfDay(asOf, today time.Time) float64 {
	tomorrow := today.AddDate(0, 0, 1)
	return float64(tomorrow.Sub(asOf)) / float64(tomorrow.Sub(today))
}

// DailyCosts prices cells queried by [day] or [day, dim] and returns, per
// value of dim ("" without one), the cost of each day. The money of a day
// is summed exactly before it becomes a float64.
func DailyCosts(cells []Cell, table *pricing.Table, dim string) (map[string]map[string]float64, error) {
	by := []string{DimDay}
	if dim != "" {
		by = append(by, dim)
	}
	rep, err := BuildReport(cells, table, ReportOptions{By: by})
	if err != nil {
		return nil, err
	}

	out := map[string]map[string]float64{}
	for _, g := range rep.Groups {
		value := ""
		if dim != "" {
			value = g.Key[dim].(string)
		}
		if out[value] == nil {
			out[value] = map[string]float64{}
		}
		out[value][g.Key[DimDay].(string)] = g.CostUSD
	}
	return out, nil
}
