package pricing

import (
	"strings"
	"testing"
	"time"
)

func TestParseAdjustmentsErrors(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"both kinds", `[{provider: openai, discount_pct: 10, amount_usd: 5, date: 2025-01-01}]`, "adjustment 1: give exactly one of discount_pct"},
		{"over 100", `[{provider: openai, discount_pct: 120}]`, `adjustment 1: discount_pct "120": want a number above 0 and at most 100`},
		{"zero", `[{provider: openai, discount_pct: 0}]`, `discount_pct "0"`},
		{"bad provider name", `[{provider: "Azure AI", discount_pct: 5}]`, `adjustment 1: provider "Azure AI"`},
		{"until before from", `[{provider: openai, discount_pct: 5, from: 2025-02-01, until: 2025-01-01}]`, "until 2025-01-01 is not after from 2025-02-01"},
		{"credit without date", `[{amount_usd: 100}]`, "a credit needs a date"},
		{"unknown key", `[{provider: openai, discount: 5}]`, `unknown key "discount"`},
		{"overlap", `[{provider: openai, discount_pct: 5, from: 2025-01-01, until: 2025-03-01}, {provider: openai, discount_pct: 8, from: 2025-02-01}]`,
			"discounts for openai overlap: [2025-01-01, 2025-03-01) and [2025-02-01, open end)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseAdjustments([]byte(c.yaml), "cfg")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestDiscountAtRanges(t *testing.T) {
	adj, err := ParseAdjustments([]byte(`
- {provider: anthropic, from: 2025-11-01, until: 2025-12-01, discount_pct: 12}
- {provider: anthropic, model: claude-haiku-4-5, discount_pct: 12.5}
- {amount_usd: 250.50, date: 2025-11-15, description: launch credit}
`), "cfg")
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	cases := []struct {
		provider, model, at string
		want                int64
	}{
		{"anthropic", "claude-sonnet-4-5", "2025-10-31", 0},
		{"anthropic", "claude-sonnet-4-5", "2025-11-01", 12_000_000}, // from is inclusive
		{"anthropic", "claude-sonnet-4-5", "2025-12-01", 0},          // until is exclusive
		{"anthropic", "claude-haiku-4-5", "2025-11-10", 12_500_000},  // the model discount wins
		{"openai", "gpt-4o", "2025-11-10", 0},
	}
	for _, c := range cases {
		if got := adj.DiscountAt(c.provider, c.model, day(c.at)); got != c.want {
			t.Errorf("DiscountAt(%s, %s, %s) = %d, want %d", c.provider, c.model, c.at, got, c.want)
		}
	}
	// $250.50 is 250.5e12 picodollars.
	if len(adj.Credits) != 1 || adj.Credits[0].AmountPico != 250_500_000_000_000 {
		t.Errorf("credits = %+v, want one of 250.5e12 pico", adj.Credits)
	}
}

func TestDiscountedRounding(t *testing.T) {
	cases := []struct {
		pico, pct, want int64
	}{
		{1_000_000, 12_000_000, 880_000}, // 12% off 1e6 pico
		{7, 12_000_000, 6},               // 7 × 0.88 = 6.16 → 6
		{25, 50_000_000, 13},             // 12.5 rounds half away from zero → 13
		{-25, 50_000_000, -13},
		{100, 100_000_000, 0}, // 100% off
	}
	for _, c := range cases {
		var m Money
		m.AddPico(Pico(c.pico))
		got := Discounted(m, c.pct)
		if got.Big().Int64() != c.want {
			t.Errorf("Discounted(%d, %d) = %s, want %d", c.pico, c.pct, got.Big(), c.want)
		}
	}
}

func TestVersionCoversOverridesAndAdjustments(t *testing.T) {
	base, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	over, err := Parse([]byte("date: 2026-01-01\nmodels:\n  - {id: my-model, provider: openai, rows: [{from: 2025-01-01, prices: {input: 1, output: 2}}]}\n"), "over")
	if err != nil {
		t.Fatal(err)
	}
	adj, err := ParseAdjustments([]byte(`[{provider: openai, discount_pct: 5}]`), "cfg")
	if err != nil {
		t.Fatal(err)
	}

	merged := base.Merge(over)
	adjusted := merged.WithAdjustments(adj)
	if merged.Version() == base.Version() {
		t.Error("an override did not change the version")
	}
	if adjusted.Version() == merged.Version() {
		t.Error("an adjustment did not change the version")
	}
	if v := merged.WithAdjustments(Adjustments{}).Version(); v != merged.Version() {
		t.Errorf("no adjustments changed the version to %s", v)
	}
	if adjusted.PricesVersion() != merged.Version() {
		t.Errorf("prices version with adjustments = %s, want the version of the prices alone %s", adjusted.PricesVersion(), merged.Version())
	}
}
