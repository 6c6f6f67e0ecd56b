package analyze

import (
	"math"
	"testing"
	"time"
)

// weekdayPattern costs a day by its weekday: Sun 5, Mon 10, Tue 20,
// Wed 30, Thu 40, Fri 50, Sat 5, so a week costs 160.
var weekdayPattern = [7]float64{5, 10, 20, 30, 40, 50, 5}

// patternDays fills daily costs from first through last, inclusive.
func patternDays(first, last time.Time, scale float64) map[string]float64 {
	daily := map[string]float64{}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		daily[d.Format(time.DateOnly)] = weekdayPattern[d.Weekday()] * scale
	}
	return daily
}

func date(y int, m time.Month, d int, loc *time.Location) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// February 2026 starts on a Sunday and has 28 days. As of Wednesday
// 2026-02-11, Feb 1–10 cost 160 (Sun–Sat) + 5 + 10 + 20 = 195. Left:
// Feb 11–17 and 18–24 are full weeks (160 each), then Wed 25 – Sat 28 cost
// 30 + 40 + 50 + 5 = 125: 445 in all, so the forecast is 640.
func TestForecastMonth(t *testing.T) {
	utc := time.UTC
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name            string
		daily           map[string]float64
		asOf            time.Time
		loc             *time.Location
		spent, forecast float64
	}{
		{
			name:  "midnight",
			daily: patternDays(date(2026, 1, 1, utc), date(2026, 2, 10, utc), 1),
			asOf:  date(2026, 2, 11, utc), loc: utc,
			spent: 195, forecast: 640,
		},
		{
			// Half of Wednesday gone with 15 spent: spent 195 + 15 = 210;
			// left 30 × 0.5 + (445 − 30) = 430; forecast 640 again.
			name: "noon",
			daily: func() map[string]float64 {
				d := patternDays(date(2026, 1, 1, utc), date(2026, 2, 10, utc), 1)
				d["2026-02-11"] = 15
				return d
			}(),
			asOf: date(2026, 2, 11, utc).Add(12 * time.Hour), loc: utc,
			spent: 210, forecast: 640,
		},
		{
			// Data from Monday Feb 2 only: every weekday has a sample from
			// Feb 2–10, the empty weeks before are not taken as free, so
			// the rates are the pattern. Spent 195 − 5 = 190, forecast 635.
			name:  "young store",
			daily: patternDays(date(2026, 2, 2, utc), date(2026, 2, 10, utc), 1),
			asOf:  date(2026, 2, 11, utc), loc: utc,
			spent: 190, forecast: 635,
		},
		{
			// The older two of the four history weeks cost double: each
			// weekday's mean is 1.5 × the pattern. History Jan 14 – Feb 10;
			// Jan 14–27 doubled. Spent Feb 1–10 at the pattern: 195.
			// Forecast 195 + 1.5 × 445 = 862.5.
			name: "changing weeks",
			daily: func() map[string]float64 {
				d := patternDays(date(2026, 1, 14, utc), date(2026, 2, 10, utc), 1)
				for k, v := range patternDays(date(2026, 1, 14, utc), date(2026, 1, 27, utc), 2) {
					d[k] = v
				}
				return d
			}(),
			asOf: date(2026, 2, 11, utc), loc: utc,
			spent: 195, forecast: 862.5,
		},
		{
			// March 2026 in New York has a 23-hour day (Sunday Mar 8).
			// As of Sunday Mar 1 00:00 local nothing is spent; March has
			// 4 full weeks (Mar 1–28, 640) plus Sun 29 – Tue 31 (5 + 10 +
			// 20 = 35): 675.
			name:  "time zone",
			daily: patternDays(date(2026, 1, 1, ny), date(2026, 2, 28, ny), 1),
			asOf:  date(2026, 3, 1, ny), loc: ny,
			spent: 0, forecast: 675,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ForecastMonth(tt.daily, tt.asOf, tt.loc)
			if math.Abs(m.SpentUSD-tt.spent) > 1e-9 {
				t.Errorf("spent = %v, want %v", m.SpentUSD, tt.spent)
			}
			if math.Abs(m.ForecastUSD-tt.forecast) > 0.01*tt.forecast {
				t.Errorf("forecast = %v, want %v within 1%%", m.ForecastUSD, tt.forecast)
			}
			if math.Abs(m.ForecastUSD-tt.forecast) > 1e-9 {
				t.Errorf("forecast = %v, want exactly %v", m.ForecastUSD, tt.forecast)
			}
		})
	}
}

func TestMonthToDateWindow(t *testing.T) {
	start, history := MonthToDateWindow(time.Date(2026, 2, 11, 15, 0, 0, 0, time.UTC), time.UTC)
	if !start.Equal(date(2026, 2, 1, time.UTC)) {
		t.Errorf("month start = %v, want 2026-02-01", start)
	}
	// 28 days before Feb 11 is Jan 14, earlier than the month start.
	if !history.Equal(date(2026, 1, 14, time.UTC)) {
		t.Errorf("history start = %v, want 2026-01-14", history)
	}
	m := ForecastMonth(nil, time.Date(2026, 2, 11, 15, 0, 0, 0, time.UTC), time.UTC)
	if m.Month != "2026-02" || m.DaysInMonth != 28 || m.ForecastUSD != 0 {
		t.Errorf("empty month = %+v", m)
	}
	// 10 days and 15 hours since Feb 1.
	if math.Abs(m.DaysElapsed-10.625) > 1e-12 {
		t.Errorf("days elapsed = %v, want 10.625", m.DaysElapsed)
	}
}
