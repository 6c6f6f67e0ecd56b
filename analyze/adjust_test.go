package analyze

import (
	"math"
	"testing"
	"time"

	"github.com/costctl/costctl/pricing"
)

const adjustTable = `
date: 2026-12-01
models:
  - id: claude-sonnet-4-5
    provider: anthropic
    rows:
      - from: 2025-09-29
        prices: {input: 3, output: 15}
  - id: claude-haiku-4-5
    provider: anthropic
    rows:
      - from: 2025-10-15
        prices: {input: 1, output: 5}
  - id: gpt-4o
    provider: openai
    rows:
      - from: 2024-05-13
        prices: {input: 2.50, output: 10}
`

func adjustedTable(t *testing.T, adjustments string) *pricing.Table {
	t.Helper()
	table, err := pricing.Parse([]byte(adjustTable), "test")
	if err != nil {
		t.Fatal(err)
	}
	adj, err := pricing.ParseAdjustments([]byte(adjustments), "config")
	if err != nil {
		t.Fatal(err)
	}
	return table.WithAdjustments(adj)
}

// millionInput is a cell of one request with 1,000,000 input tokens.
func millionInput(provider, modelID string, period int) Cell {
	c := Cell{Provider: provider, Model: modelID, ModelID: modelID, PriceRowID: "", Period: period, Requests: 1}
	c.Usage.Tokens[pricing.Input] = 1_000_000
	return c
}

func TestDiscountOneProviderOneMonth(t *testing.T) {
	table := adjustedTable(t, `
- {provider: anthropic, from: 2025-11-01, until: 2025-12-01, discount_pct: 12}
`)
	// Periods: 0 = before November, 1 = November, 2 = from December on.
	cells := []Cell{
		millionInput("anthropic", "claude-sonnet-4-5", 0),
		millionInput("anthropic", "claude-sonnet-4-5", 1),
		millionInput("anthropic", "claude-sonnet-4-5", 2),
		millionInput("openai", "gpt-4o", 1),
	}
	cells[0].PriceRowID, cells[1].PriceRowID, cells[2].PriceRowID = "claude-sonnet-4-5@2025-09-29", "claude-sonnet-4-5@2025-09-29", "claude-sonnet-4-5@2025-09-29"
	cells[3].PriceRowID = "gpt-4o@2024-05-13"

	rep, err := BuildReport(cells, table, ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// list: 3 × $3 (1M input at $3/MTok) + $2.50 = $11.50.
	// effective: only the November Anthropic cell is 12% off:
	// 11.50 − 0.12 × 3 = $11.14.
	if got := rep.Totals.ListCostUSD; math.Abs(got-11.50) > 1e-9 {
		t.Errorf("list_cost_usd = %v, want 11.50", got)
	}
	if got := rep.Totals.EffectiveCostUSD; math.Abs(got-11.14) > 1e-9 {
		t.Errorf("effective_cost_usd = %v, want 11.14", got)
	}
	if rep.Totals.CostUSD != rep.Totals.EffectiveCostUSD {
		t.Errorf("cost_usd %v != effective_cost_usd %v", rep.Totals.CostUSD, rep.Totals.EffectiveCostUSD)
	}
}

func TestModelDiscountWinsOverProvider(t *testing.T) {
	table := adjustedTable(t, `
- {provider: anthropic, discount_pct: 10}
- {provider: anthropic, model: claude-haiku-4-5, discount_pct: 50}
`)
	cells := []Cell{millionInput("anthropic", "claude-sonnet-4-5", 0), millionInput("anthropic", "claude-haiku-4-5", 0)}
	cells[0].PriceRowID, cells[1].PriceRowID = "claude-sonnet-4-5@2025-09-29", "claude-haiku-4-5@2025-10-15"

	rep, err := BuildReport(cells, table, ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// sonnet $3 × 0.9 = $2.70; haiku $1 × 0.5 = $0.50 (not stacked with
	// the 10%): $3.20 effective of $4.00 list.
	if got := rep.Totals.EffectiveCostUSD; math.Abs(got-3.20) > 1e-9 {
		t.Errorf("effective_cost_usd = %v, want 3.20", got)
	}
	if got := rep.Totals.ListCostUSD; math.Abs(got-4.00) > 1e-9 {
		t.Errorf("list_cost_usd = %v, want 4.00", got)
	}
}

func TestNoAdjustmentListEqualsEffective(t *testing.T) {
	table := adjustedTable(t, ``)
	cells := []Cell{millionInput("openai", "gpt-4o", 0)}
	cells[0].PriceRowID = "gpt-4o@2024-05-13"

	rep, err := BuildReport(cells, table, ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals.ListCostUSD != 2.5 || rep.Totals.EffectiveCostUSD != 2.5 {
		t.Errorf("list %v, effective %v, want both 2.5", rep.Totals.ListCostUSD, rep.Totals.EffectiveCostUSD)
	}
}

func TestPeriodOfSplits(t *testing.T) {
	nov := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	dec := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	split := []time.Time{nov, dec}
	cases := []struct {
		at   time.Time
		want int
	}{
		{nov.Add(-time.Millisecond), 0},
		{nov, 1}, // a boundary starts its period
		{dec.Add(-time.Millisecond), 1},
		{dec, 2},
	}
	for _, c := range cases {
		if got := PeriodOf(split, c.at); got != c.want {
			t.Errorf("PeriodOf(%s) = %d, want %d", c.at, got, c.want)
		}
	}
}
