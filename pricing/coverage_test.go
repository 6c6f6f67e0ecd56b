package pricing

import (
	"testing"
	"time"
)

func TestMiniModelsCost(t *testing.T) {
	table, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	cases := []struct {
		name, tier string
		wantPico   int64
	}{
		// 10,000 × 0.40 + 40,000 × 0.10 + 2,000 × 1.60 = 4,000 + 4,000 +
		// 3,200 = 11,200 $/MTok·tokens = 0.0112 USD = 11,200,000,000 pico.
		{"gpt-4.1-mini-2025-04-14", "", 11_200_000_000},
		// batch halves every class: 5,600,000,000 pico.
		{"gpt-4.1-mini", "batch", 5_600_000_000},
		// priority: 10,000 × 0.70 + 40,000 × 0.175 + 2,000 × 2.80 =
		// 7,000 + 7,000 + 5,600 = 19,600 → 19,600,000,000 pico.
		{"gpt-4.1-mini", "priority", 19_600_000_000},
		// 10,000 × 0.25 + 40,000 × 0.025 + 2,000 × 2 = 2,500 + 1,000 +
		// 4,000 = 7,500 → 7,500,000,000 pico.
		{"openai/gpt-5-mini", "", 7_500_000_000},
		{"gpt-5-mini-2025-08-07", "flex", 3_750_000_000},
	}
	for _, c := range cases {
		m, ok := table.Resolve("openai", c.name, at)
		if !ok {
			t.Fatalf("%s not resolved", c.name)
		}
		cost, err := table.Cost(m.Row.ID, m.Row.Band(u.PromptTokens()), Modifiers{ServiceTier: c.tier}, u)
		if err != nil {
			t.Fatal(err)
		}
		if got := cost.Big().Int64(); got != c.wantPico {
			t.Errorf("%s %s: cost = %d pico, want %d", c.name, c.tier, got, c.wantPico)
		}
	}
}
