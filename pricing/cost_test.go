package pricing

import (
	"strings"
	"testing"
)

func TestRowBand(t *testing.T) {
	table := embedded(t)
	sonnet, _ := table.Row("claude-sonnet-4-5@2025-09-29")
	tests := []struct {
		prompt int64
		want   int
	}{
		{0, 0},
		{199_999, 0},
		{200_000, 0}, // exactly the threshold is still base
		{200_001, 1},
		{1_000_000, 1},
	}
	for _, tc := range tests {
		if got := sonnet.Band(tc.prompt); got != tc.want {
			t.Errorf("Band(%d) = %d, want %d", tc.prompt, got, tc.want)
		}
	}
}

func TestRowBandSeveralThresholds(t *testing.T) {
	table := mustParse(t, `
date: 2026-01-01
models:
  - id: m
    provider: google
    rows:
      - from: 2025-01-01
        prices: {input: 1, output: 2}
        bands:
          - {above: 100, prices: {input: 2, output: 4}}
          - {above: 200, prices: {input: 3, output: 6}}
`)
	row, _ := table.Row("m@2025-01-01")
	tests := []struct {
		prompt int64
		want   int
	}{{100, 0}, {101, 1}, {200, 1}, {201, 2}}
	for _, tc := range tests {
		if got := row.Band(tc.prompt); got != tc.want {
			t.Errorf("Band(%d) = %d, want %d", tc.prompt, got, tc.want)
		}
	}
}

func TestBandUsesWholePrompt(t *testing.T) {
	table := embedded(t)
	row, _ := table.Row("claude-sonnet-4-5@2025-09-29")
	// 20,000 + 170,000 + 5,000 + 5,000 = 200,000: base.
	u := tokens(Input, 20_000, CacheRead, 170_000, CacheWrite5m, 5_000, CacheWrite1h, 5_000)
	if got := row.Band(u.PromptTokens()); got != 0 {
		t.Errorf("band at 200,000 prompt tokens = %d, want 0", got)
	}

	u.Tokens[CacheRead]++
	if got := row.Band(u.PromptTokens()); got != 1 {
		t.Errorf("band at 200,001 prompt tokens = %d, want 1", got)
	}
}

func TestUnitPricesModifiers(t *testing.T) {
	table := embedded(t)
	const sonnet, opus, gpt5 = "claude-sonnet-4-5@2025-09-29", "claude-opus-4-6@2026-03-13", "gpt-5@2025-08-07"
	tests := []struct {
		name  string
		row   string
		band  int
		mods  Modifiers
		class Class
		want  Pico
	}{
		{"base input", sonnet, 0, Modifiers{}, Input, 3_000_000},
		{"standard tier is base", sonnet, 0, Modifiers{ServiceTier: "standard"}, Input, 3_000_000},
		{"unknown tier is base", sonnet, 0, Modifiers{ServiceTier: "flex"}, Input, 3_000_000},
		// $3 × 0.5 = $1.50
		{"batch input", sonnet, 0, Modifiers{ServiceTier: "batch"}, Input, 1_500_000},
		{"batch is case-insensitive", sonnet, 0, Modifiers{ServiceTier: "BATCH"}, Input, 1_500_000},
		// $0.30 × 0.5 = $0.15: batch stacks with the cache price
		{"batch cache read", sonnet, 0, Modifiers{ServiceTier: "batch"}, CacheRead, 150_000},
		// $3.75 × 0.5 = $1.875
		{"batch 5m write", sonnet, 0, Modifiers{ServiceTier: "batch"}, CacheWrite5m, 1_875_000},
		// band $0.60 × 0.5 = $0.30
		{"batch band cache read", sonnet, 1, Modifiers{ServiceTier: "batch"}, CacheRead, 300_000},
		// band $22.50 × 0.5 = $11.25
		{"batch band output", sonnet, 1, Modifiers{ServiceTier: "batch"}, Output, 11_250_000},
		{"band 1h write", sonnet, 1, Modifiers{}, CacheWrite1h, 12_000_000},
		// $5 × 1.1 = $5.50
		{"us inference", opus, 0, Modifiers{InferenceGeo: "us"}, Input, 5_500_000},
		{"US inference", opus, 0, Modifiers{InferenceGeo: "US"}, Input, 5_500_000},
		{"global inference", opus, 0, Modifiers{InferenceGeo: "global"}, Input, 5_000_000},
		{"inference not available", opus, 0, Modifiers{InferenceGeo: "not_available"}, Input, 5_000_000},
		// $0.50 × 0.5 × 1.1 = $0.275
		{"batch then us", opus, 0, Modifiers{ServiceTier: "batch", InferenceGeo: "us"}, CacheRead, 275_000},
		// $25 × 6 = $150
		{"fast output", opus, 0, Modifiers{Speed: "fast"}, Output, 150_000_000},
		{"standard speed", opus, 0, Modifiers{Speed: "standard"}, Output, 25_000_000},
		// $25 × 1.1 × 6 = $165
		{"us and fast", opus, 0, Modifiers{InferenceGeo: "us", Speed: "fast"}, Output, 165_000_000},
		{"no geo uplift on sonnet 4.5", sonnet, 0, Modifiers{InferenceGeo: "us"}, Input, 3_000_000},
		{"priority explicit input", gpt5, 0, Modifiers{ServiceTier: "priority"}, Input, 2_500_000},
		{"priority explicit cached", gpt5, 0, Modifiers{ServiceTier: "priority"}, CacheRead, 250_000},
		// $1.25 × 0.5 = $0.625
		{"flex", gpt5, 0, Modifiers{ServiceTier: "flex"}, Input, 625_000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			up, err := table.UnitPrices(tc.row, tc.band, tc.mods)
			if err != nil {
				t.Fatal(err)
			}
			if got := up.PerToken[tc.class]; got != tc.want {
				t.Errorf("%s price = %d pico, want %d", tc.class, got, tc.want)
			}
		})
	}
}

func TestUnpricedClassFallsBackToInput(t *testing.T) {
	table := embedded(t)
	row, _ := table.Row("gpt-4o-2024-05-13@2024-05-13")
	if row.Prices.Billed[CacheRead] {
		t.Fatal("gpt-4o-2024-05-13 lists a cache price, want none")
	}

	up, err := table.UnitPrices(row.ID, 0, Modifiers{})
	if err != nil {
		t.Fatal(err)
	}
	// $5 per MTok, the input price.
	if got := up.PerToken[CacheRead]; got != 5_000_000 {
		t.Errorf("cache_read = %d pico, want 5000000", got)
	}
}

func TestCostWebSearchFee(t *testing.T) {
	table := embedded(t)
	u := tokens(Input, 1000, Output, 100)
	u.WebSearches = 3

	// batch: 1,000 × $1.50 + 100 × $7.50 per MTok = 0.0015 + 0.00075;
	// searches are not discounted: 3 × $10 / 1,000 = 0.03; total 0.03225
	cost, err := table.Cost("claude-sonnet-4-5@2025-09-29", 0, Modifiers{ServiceTier: "batch"}, u)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cost.Big().Int64(), int64(32_250_000_000); got != want {
		t.Errorf("cost = %d pico, want %d", got, want)
	}
}

func TestCostErrors(t *testing.T) {
	table := embedded(t)
	tests := []struct {
		row     string
		band    int
		wantErr string
	}{
		{"no-such-model@2025-01-01", 0, "not found"},
		{"claude-sonnet-4-5@2025-09-29", 2, "band 2 out of range"},
		{"claude-sonnet-4-5@2025-09-29", -1, "band -1 out of range"},
		{"claude-opus-4-5@2025-11-24", 1, "band 1 out of range"},
	}
	for _, tc := range tests {
		_, err := table.Cost(tc.row, tc.band, Modifiers{}, Usage{})
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("Cost(%q, %d) error = %v, want it to contain %q", tc.row, tc.band, err, tc.wantErr)
		}
	}
}

// The embedded factors must not round, so listed prices stay exact under
// every tier, region and speed modifier.
func TestEmbeddedFactorsExact(t *testing.T) {
	for _, m := range embedded(t).Models() {
		for _, r := range m.Rows {
			for _, f := range rowFactors(r) {
				for _, ps := range rowPriceSets(r) {
					for c, p := range ps.PerToken {
						if (int64(p)*int64(f))%int64(one) != 0 {
							t.Errorf("row %s: %s × %s is not a whole picodollar", r.ID, Class(c), f)
						}
					}
				}
			}
		}
	}
}

func rowFactors(r *Row) []Multiplier {
	var fs []Multiplier
	for _, tier := range r.ServiceTiers {
		fs = append(fs, tier.Multiplier)
	}
	for _, f := range r.InferenceGeo {
		fs = append(fs, f)
	}
	for _, f := range r.Speed {
		fs = append(fs, f)
	}
	return fs
}

func rowPriceSets(r *Row) []PriceSet {
	sets := []PriceSet{r.Prices}
	for _, b := range r.Bands {
		sets = append(sets, b.Prices)
	}
	return sets
}
