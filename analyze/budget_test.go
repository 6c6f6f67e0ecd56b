package analyze

import (
	"math"
	"testing"
	"time"

	"github.com/costctl/costctl/pricing"
)

func usd(v float64) *float64 { return &v }

// haikuCell is one day of one endpoint's Claude Haiku 4.5 traffic:
// mtok million input tokens at $1 per million, so mtok dollars.
func haikuCell(day, endpoint string, mtok int64) Cell {
	c := Cell{
		Key: []string{day, endpoint}, Provider: "anthropic", Model: "claude-haiku-4-5",
		ModelID: "claude-haiku-4-5", PriceRowID: "claude-haiku-4-5@2025-10-15", Requests: 1,
	}
	c.Usage.Tokens[pricing.Input] = mtok * 1_000_000
	return c
}

// November 2025 has 30 days. "chat" costs $2 a day and "search" $1 a day
// from Oct 1 on. As of Nov 11 00:00 UTC ten days are spent: chat $20,
// search $10. Every weekday's rate is the flat daily cost, so the 20 days
// left add $40 and $20, and the forecasts are $60 and $30.
func TestMonthToDateByEndpoint(t *testing.T) {
	table, err := pricing.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var cells []Cell
	for d := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC); d.Before(time.Date(2025, 11, 11, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		day := d.Format(time.DateOnly)
		cells = append(cells, haikuCell(day, "chat", 2), haikuCell(day, "search", 1))
	}

	asOf := time.Date(2025, 11, 11, 0, 0, 0, 0, time.UTC)
	mtd, err := MonthToDateBy(cells, table, DimEndpoint, asOf, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]float64{"chat": {20, 60}, "search": {10, 30}}
	for ep, w := range want {
		if math.Abs(mtd[ep].SpentUSD-w[0]) > 1e-9 || math.Abs(mtd[ep].ForecastUSD-w[1]) > 1e-9 {
			t.Errorf("%s: spent %v, forecast %v; want %v, %v", ep, mtd[ep].SpentUSD, mtd[ep].ForecastUSD, w[0], w[1])
		}
	}
}

func TestEvaluateBudgets(t *testing.T) {
	spend := MonthToDateSpend{
		Total:    MonthToDate{Month: "2025-11", SpentUSD: 30, ForecastUSD: 90},
		Endpoint: map[string]MonthToDate{"chat": {Month: "2025-11", SpentUSD: 20, ForecastUSD: 60}},
	}
	tests := []struct {
		name    string
		budgets MonthlyBudgets
		want    []string // status per result, in order
		worst   string
	}{
		{"under budget", MonthlyBudgets{Total: BudgetLevel{Warn: usd(100), Fail: usd(120)}}, []string{"pass"}, "pass"},
		// The spend (30) is under 80, the forecast (90) above: warn.
		{"forecast warns", MonthlyBudgets{Total: BudgetLevel{Warn: usd(80), Fail: usd(120)}}, []string{"warn"}, "warn"},
		// The forecast 90 is above the fail level 85.
		{"forecast fails", MonthlyBudgets{Total: BudgetLevel{Warn: usd(50), Fail: usd(85)}}, []string{"fail"}, "fail"},
		// Exactly at a level is not over it.
		{"at the level", MonthlyBudgets{Total: BudgetLevel{Fail: usd(90)}}, []string{"pass"}, "pass"},
		{"spend fails", MonthlyBudgets{Endpoint: map[string]BudgetLevel{"chat": {Fail: usd(15)}}}, []string{"fail"}, "fail"},
		// An endpoint without spend passes at $0.
		{"no spend", MonthlyBudgets{Endpoint: map[string]BudgetLevel{"chat": {Warn: usd(100)}, "idle": {Fail: usd(1)}}}, []string{"pass", "pass"}, "pass"},
		{"customer", MonthlyBudgets{Customer: map[string]BudgetLevel{"acme": {Warn: usd(1)}}}, []string{"pass"}, "pass"},
	}
	for _, tt := range tests {
		got := EvaluateBudgets(tt.budgets, spend)
		if len(got) != len(tt.want) {
			t.Errorf("%s: %d results, want %d", tt.name, len(got), len(tt.want))
			continue
		}
		for i, r := range got {
			if r.Status != tt.want[i] {
				t.Errorf("%s: result %d (%s %s) status %s, want %s: %s", tt.name, i, r.Scope, r.Name, r.Status, tt.want[i], r.Message)
			}
		}
		if w := WorstBudgetStatus(got); w != tt.worst {
			t.Errorf("%s: worst status %s, want %s", tt.name, w, tt.worst)
		}
	}
}
