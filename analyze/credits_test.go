package analyze

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/pricing"
)

// creditCells are 100M Sonnet input tokens at $3/MTok ($300) and 10M GPT-4o
// input tokens at $2.50/MTok ($25): $325 at list prices. Their keys are
// for a report by provider.
func creditCells() []Cell {
	sonnet := millionInput("anthropic", "claude-sonnet-4-5", 0)
	sonnet.PriceRowID = "claude-sonnet-4-5@2025-09-29"
	sonnet.Usage.Tokens[pricing.Input] = 100_000_000
	sonnet.Key = []string{"anthropic"}
	gpt := millionInput("openai", "gpt-4o", 0)
	gpt.PriceRowID = "gpt-4o@2024-05-13"
	gpt.Usage.Tokens[pricing.Input] = 10_000_000
	gpt.Key = []string{"openai"}
	return []Cell{sonnet, gpt}
}

// november is the window [2025-11-01, 2025-12-01) in loc.
func november(loc *time.Location) Window {
	since := time.Date(2025, 11, 1, 0, 0, 0, 0, loc)
	until := time.Date(2025, 12, 1, 0, 0, 0, 0, loc)
	return Window{Since: &since, Until: &until, TZ: loc.String()}
}

func TestCreditInsideWindowNetsTotals(t *testing.T) {
	table := adjustedTable(t, `
- {amount_usd: 250.50, date: 2025-11-20, provider: anthropic, description: launch credit}
- {amount_usd: 100, date: 2025-12-05, description: december credit}
`)
	rep, err := BuildReport(creditCells(), table, ReportOptions{By: []string{"provider"}, Window: november(time.UTC)})
	if err != nil {
		t.Fatal(err)
	}

	// Only the November credit is in the window: $325 − $250.50 = $74.50.
	if len(rep.Credits) != 1 {
		t.Fatalf("credits = %+v, want the one dated 2025-11-20", rep.Credits)
	}
	want := CreditLine{Date: "2025-11-20", Provider: "anthropic", Description: "launch credit", AmountUSD: 250.50}
	if rep.Credits[0] != want {
		t.Errorf("credit = %+v, want %+v", rep.Credits[0], want)
	}
	if rep.Totals.CreditsUSD == nil || *rep.Totals.CreditsUSD != 250.50 {
		t.Errorf("credits_usd = %v, want 250.50", deref(rep.Totals.CreditsUSD))
	}
	if rep.Totals.NetCostUSD == nil || *rep.Totals.NetCostUSD != 74.50 {
		t.Errorf("net_cost_usd = %v, want 74.50", deref(rep.Totals.NetCostUSD))
	}
}

func TestCreditLeavesCostsUnchanged(t *testing.T) {
	table := adjustedTable(t, `
- {provider: anthropic, discount_pct: 10}
- {amount_usd: 250.50, date: 2025-11-20, provider: anthropic}
`)
	rep, err := BuildReport(creditCells(), table, ReportOptions{By: []string{"provider"}, Window: november(time.UTC)})
	if err != nil {
		t.Fatal(err)
	}

	// The discount takes $30 off Sonnet: $270 + $25 = $295 effective. The
	// credit changes none of the costs, only the net: $295 − $250.50.
	near(t, "list cost", rep.Totals.ListCostUSD, 325)
	near(t, "effective cost", rep.Totals.EffectiveCostUSD, 295)
	near(t, "cost", rep.Totals.CostUSD, 295)
	near(t, "net cost", deref(rep.Totals.NetCostUSD), 44.50)
	near(t, "anthropic group cost", rep.Groups[0].CostUSD, 270)
	near(t, "openai group cost", rep.Groups[1].CostUSD, 25)
	for _, g := range rep.Groups {
		if g.CreditsUSD != nil || g.NetCostUSD != nil {
			t.Errorf("group %v carries credit figures %v, %v", g.Key, deref(g.CreditsUSD), deref(g.NetCostUSD))
		}
	}
}

func TestCreditDatesTakenInReportZone(t *testing.T) {
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	table := adjustedTable(t, `
- {amount_usd: 1, date: 2025-11-01, description: first day}
- {amount_usd: 2, date: 2025-12-01, description: day after}
`)
	rep, err := BuildReport(creditCells(), table, ReportOptions{Window: november(newYork), Loc: newYork})
	if err != nil {
		t.Fatal(err)
	}

	// In New York the window is [Nov 1 04:00Z, Dec 1 05:00Z). Taken in UTC
	// the first credit would start before it and the second inside it.
	if len(rep.Credits) != 1 || rep.Credits[0].Description != "first day" {
		t.Errorf("credits = %+v, want only the one dated 2025-11-01", rep.Credits)
	}
}

func TestCreditsOpenWindowSortedByDate(t *testing.T) {
	table := adjustedTable(t, `
- {amount_usd: 0.20, date: 2025-12-01, description: later}
- {amount_usd: 0.10, date: 2025-10-01, description: earlier}
`)
	rep, err := BuildReport(creditCells(), table, ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}

	if len(rep.Credits) != 2 {
		t.Fatalf("credits = %+v, want both in an open window", rep.Credits)
	}
	if rep.Credits[0].Date != "2025-10-01" || rep.Credits[1].Date != "2025-12-01" {
		t.Errorf("credit dates %s, %s: want date order", rep.Credits[0].Date, rep.Credits[1].Date)
	}
	// Summed as picodollars, $0.10 + $0.20 is exactly the float64 0.3,
	// where float64 addition gives 0.30000000000000004.
	if got := deref(rep.Totals.CreditsUSD); got != 0.3 {
		t.Errorf("credits_usd = %v, want exactly 0.3", got)
	}
	if got := deref(rep.Totals.NetCostUSD); got != 324.7 {
		t.Errorf("net_cost_usd = %v, want exactly 324.7", got)
	}
}

func TestNoCreditsInWindowOmitsFields(t *testing.T) {
	table := adjustedTable(t, `
- {amount_usd: 100, date: 2025-12-05}
`)
	rep, err := BuildReport(creditCells(), table, ReportOptions{Window: november(time.UTC)})
	if err != nil {
		t.Fatal(err)
	}

	doc, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"credits"`, `"credits_usd"`, `"net_cost_usd"`} {
		if strings.Contains(string(doc), key) {
			t.Errorf("document without credits in the window has %s", key)
		}
	}
}

func deref(v *float64) float64 {
	if v == nil {
		return math.NaN()
	}
	return *v
}
