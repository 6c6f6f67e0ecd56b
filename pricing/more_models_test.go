package pricing

import (
	"testing"
	"time"
)

// costCase is one priced request: a model name resolved at a time, a
// service tier, a usage and the expected cost in picodollars.
type costCase struct {
	provider, name, tier string
	at                   time.Time
	usage                Usage
	wantPico             int64
}

func checkCosts(t *testing.T, cases []costCase) {
	t.Helper()
	table, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		m, ok := table.Resolve(c.provider, c.name, c.at)
		if !ok {
			t.Errorf("%s at %s not resolved", c.name, c.at.Format(time.DateOnly))
			continue
		}
		cost, err := table.Cost(m.Row.ID, m.Row.Band(c.usage.PromptTokens()), Modifiers{ServiceTier: c.tier}, c.usage)
		if err != nil {
			t.Errorf("%s %s: %v", c.name, c.tier, err)
			continue
		}
		if got := cost.Big().Int64(); got != c.wantPico {
			t.Errorf("%s %s: cost = %d pico, want %d", c.name, c.tier, got, c.wantPico)
		}
	}
}

// The sums below are in $/MTok·tokens. One $/MTok·token is 10^-6 USD, which
// is 10^6 picodollars.

func TestOpenAISmallAndReasoningModelsCost(t *testing.T) {
	at := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	checkCosts(t, []costCase{
		// 10,000 × 0.10 + 40,000 × 0.025 + 2,000 × 0.40 = 1,000 + 1,000 +
		// 800 = 2,800 → 2,800,000,000 pico.
		{"openai", "gpt-4.1-nano-2025-04-14", "", at, u, 2_800_000_000},
		// batch halves every class: 1,400 → 1,400,000,000 pico.
		{"openai", "gpt-4.1-nano", "batch", at, u, 1_400_000_000},
		// 10,000 × 0.05 + 40,000 × 0.005 + 2,000 × 0.40 = 500 + 200 + 800 =
		// 1,500 → 1,500,000,000 pico.
		{"openai", "gpt-5-nano", "", at, u, 1_500_000_000},
		// flex is billed at the batch price: 750 → 750,000,000 pico.
		{"openai", "openai/gpt-5-nano-2025-08-07", "flex", at, u, 750_000_000},
		// 10,000 × 15 + 40,000 × 7.50 + 2,000 × 60 = 150,000 + 300,000 +
		// 120,000 = 570,000 → 570,000,000,000 pico.
		{"openai", "o1-2024-12-17", "", at, u, 570_000_000_000},
		{"openai", "o1", "batch", at, u, 285_000_000_000},
		// 10,000 × 1.10 + 40,000 × 0.55 + 2,000 × 4.40 = 11,000 + 22,000 +
		// 8,800 = 41,800 → 41,800,000,000 pico.
		{"openai", "o3-mini-2025-01-31", "", at, u, 41_800_000_000},
		// batch: 5,500 + 11,000 + 4,400 = 20,900 → 20,900,000,000 pico.
		{"openai", "o3-mini", "batch", at, u, 20_900_000_000},
	})
}

func TestEmbedding3LargeCost(t *testing.T) {
	at := time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC)
	u := Usage{Tokens: [NumClasses]int64{Input: 8_000}}
	checkCosts(t, []costCase{
		// 8,000 × 0.13 = 1,040 → 1,040,000,000 pico.
		{"openai", "text-embedding-3-large", "", at, u, 1_040_000_000},
		{"openai", "text-embedding-3-large", "batch", at, u, 520_000_000},
	})
}

func TestGeminiFlashLiteCost(t *testing.T) {
	at := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	withAudio := u
	withAudio.Tokens[AudioIn] = 1_000
	checkCosts(t, []costCase{
		// 10,000 × 0.075 + 40,000 × 0.01875 + 2,000 × 0.30 = 750 + 750 +
		// 600 = 2,100 → 2,100,000,000 pico.
		{"google", "gemini-2.0-flash-lite-001", "", at, u, 2_100_000_000},
		{"google", "gemini-2.0-flash-lite", "batch", at, u, 1_050_000_000},
		// 10,000 × 0.10 + 40,000 × 0.01 + 2,000 × 0.40 + 1,000 × 0.30 =
		// 1,000 + 400 + 800 + 300 = 2,500 → 2,500,000,000 pico.
		{"google", "models/gemini-2.5-flash-lite", "", at, withAudio, 2_500_000_000},
		{"vertex_ai", "gemini-2.5-flash-lite", "batch", at, withAudio, 1_250_000_000},
	})
}

func TestGemini15ProLaunchBand(t *testing.T) {
	at := time.Date(2024, 8, 1, 0, 0, 0, 0, time.UTC)
	checkCosts(t, []costCase{
		// 100,000 × 3.50 + 2,000 × 10.50 = 350,000 + 21,000 = 371,000 →
		// 371,000,000,000 pico.
		{"google", "gemini-1.5-pro-001", "", at,
			Usage{Tokens: [NumClasses]int64{Input: 100_000, Output: 2_000}}, 371_000_000_000},
		// A prompt of exactly 128,000 tokens is still base:
		// 128,000 × 3.50 + 1,000 × 10.50 = 448,000 + 10,500 = 458,500.
		{"google", "gemini-1.5-pro", "", at,
			Usage{Tokens: [NumClasses]int64{Input: 128_000, Output: 1_000}}, 458_500_000_000},
		// One token more moves every class to the band:
		// 128,001 × 7 + 1,000 × 21 = 896,007 + 21,000 = 917,007.
		{"google", "gemini-1.5-pro", "", at,
			Usage{Tokens: [NumClasses]int64{Input: 128_001, Output: 1_000}}, 917_007_000_000},
		// The row has no context-caching price, so cached tokens are billed
		// as input: 50,000 × 3.50 + 2,000 × 10.50 = 175,000 + 21,000 = 196,000.
		{"google", "gemini-1.5-pro-002", "", at,
			Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}, 196_000_000_000},
	})
}

func TestGemini15ProPriceCut(t *testing.T) {
	cut := time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)
	before := cut.Add(-time.Second)
	plain := Usage{Tokens: [NumClasses]int64{Input: 100_000, Output: 2_000}}
	checkCosts(t, []costCase{
		// The last second before the cut is at launch prices:
		// 100,000 × 3.50 + 2,000 × 10.50 = 371,000 → 371,000,000,000 pico.
		{"google", "gemini-1.5-pro", "", before, plain, 371_000_000_000},
		// From the cut: 100,000 × 1.25 + 2,000 × 5 = 125,000 + 10,000 =
		// 135,000 → 135,000,000,000 pico.
		{"google", "gemini-1.5-pro", "", cut, plain, 135_000_000_000},
		// batch halves every class: 67,500 → 67,500,000,000 pico.
		{"google", "gemini-1.5-pro-002", "batch", cut, plain, 67_500_000_000},
		// Exactly 128,000 prompt tokens is still base:
		// 128,000 × 1.25 + 1,000 × 5 = 160,000 + 5,000 = 165,000.
		{"google", "gemini-1.5-pro", "", cut,
			Usage{Tokens: [NumClasses]int64{Input: 128_000, Output: 1_000}}, 165_000_000_000},
		// 128,001 moves every class to the band:
		// 128,001 × 2.50 + 1,000 × 10 = 320,002.5 + 10,000 = 330,002.5.
		{"google", "gemini-1.5-pro", "", cut,
			Usage{Tokens: [NumClasses]int64{Input: 128_001, Output: 1_000}}, 330_002_500_000},
		// Context caching: 10,000 × 1.25 + 40,000 × 0.3125 + 2,000 × 5 =
		// 12,500 + 12,500 + 10,000 = 35,000.
		{"vertex_ai", "gemini-1.5-pro-002", "", cut,
			Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}, 35_000_000_000},
		// Cached tokens count toward the band: the prompt is 30,000 + 100,000
		// = 130,000 > 128,000, so 30,000 × 2.50 + 100,000 × 0.625 +
		// 1,000 × 10 = 75,000 + 62,500 + 10,000 = 147,500.
		{"google", "models/gemini-1.5-pro", "", cut,
			Usage{Tokens: [NumClasses]int64{Input: 30_000, CacheRead: 100_000, Output: 1_000}}, 147_500_000_000},
	})
}

func TestGemini15ProRowBoundary(t *testing.T) {
	table, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2024, 5, 30, 0, 0, 0, 0, time.UTC), "gemini-1.5-pro@2024-05-30"},
		{time.Date(2024, 9, 30, 23, 59, 59, 0, time.UTC), "gemini-1.5-pro@2024-05-30"},
		{time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), "gemini-1.5-pro@2024-10-01"},
		{time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), "gemini-1.5-pro@2024-10-01"},
	}
	for _, tc := range tests {
		m, ok := table.Resolve("google", "gemini-1.5-pro", tc.at)
		if !ok {
			t.Errorf("gemini-1.5-pro at %s not resolved", tc.at.Format(time.RFC3339))
			continue
		}
		if m.Row.ID != tc.want {
			t.Errorf("gemini-1.5-pro at %s: row %s, want %s", tc.at.Format(time.RFC3339), m.Row.ID, tc.want)
		}
	}
	if _, ok := table.Resolve("google", "gemini-1.5-pro", time.Date(2024, 5, 29, 23, 0, 0, 0, time.UTC)); ok {
		t.Error("gemini-1.5-pro resolved on 2024-05-29, before paid use started")
	}
}

func TestO1StartsWithSnapshot(t *testing.T) {
	table, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := table.Resolve("openai", "o1", time.Date(2024, 12, 16, 12, 0, 0, 0, time.UTC)); ok {
		t.Error("o1 resolved on 2024-12-16, before the o1-2024-12-17 snapshot")
	}
	m, ok := table.Resolve("openai", "o1-mini", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	if !ok {
		t.Fatal("o1-mini not resolved")
	}
	if m.Model.ID != "o1-mini" {
		t.Errorf("o1-mini resolved to %s; prefix matching must not map it to o1", m.Model.ID)
	}
}

func TestO1MiniPriceCut(t *testing.T) {
	cut := time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)
	before := cut.Add(-time.Second)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	checkCosts(t, []costCase{
		// Launch prices: 10,000 × 3 + 40,000 × 1.50 + 2,000 × 12 = 30,000 +
		// 60,000 + 24,000 = 114,000 → 114,000,000,000 pico.
		{"openai", "o1-mini-2024-09-12", "", before, u, 114_000_000_000},
		// The launch row has no batch price, so batch is billed at standard.
		{"openai", "o1-mini", "batch", before, u, 114_000_000_000},
		// From the cut: 10,000 × 1.10 + 40,000 × 0.55 + 2,000 × 4.40 =
		// 11,000 + 22,000 + 8,800 = 41,800 → 41,800,000,000 pico.
		{"openai", "openai/o1-mini", "", cut, u, 41_800_000_000},
		// batch halves every class: 5,500 + 11,000 + 4,400 = 20,900.
		{"openai", "o1-mini-2024-09-12", "batch", cut, u, 20_900_000_000},
	})
}

func TestO1MiniRowsAndCacheMinimum(t *testing.T) {
	table, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2024, 9, 12, 0, 0, 0, 0, time.UTC), "o1-mini@2024-09-12"},
		{time.Date(2025, 1, 30, 23, 59, 59, 0, time.UTC), "o1-mini@2024-09-12"},
		{time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC), "o1-mini@2025-01-31"},
	}
	for _, tc := range tests {
		m, ok := table.Resolve("openai", "o1-mini-2024-09-12", tc.at)
		if !ok {
			t.Errorf("o1-mini at %s not resolved", tc.at.Format(time.RFC3339))
			continue
		}
		if m.Row.ID != tc.want {
			t.Errorf("o1-mini at %s: row %s, want %s", tc.at.Format(time.RFC3339), m.Row.ID, tc.want)
		}
		if m.Model.MinCacheTokens != 1024 {
			t.Errorf("o1-mini min_cache_tokens = %d, want 1024", m.Model.MinCacheTokens)
		}
	}
	if _, ok := table.Resolve("openai", "o1-mini", time.Date(2024, 9, 11, 12, 0, 0, 0, time.UTC)); ok {
		t.Error("o1-mini resolved on 2024-09-11, before its launch")
	}
}
