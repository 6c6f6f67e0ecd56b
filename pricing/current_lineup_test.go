package pricing

import (
	"testing"
	"time"
)

// The expected costs below are hand-computed in $/MTok·tokens: tokens ×
// USD per million tokens, summed over the classes. One $/MTok·token is
// 10^-6 USD, which is 10^6 picodollars.

// modifiedCase is a costCase with every modifier, for rows that price
// inference_geo or speed.
type modifiedCase struct {
	name     string
	at       time.Time
	mods     Modifiers
	usage    Usage
	wantPico int64
}

func checkModifiedCosts(t *testing.T, provider string, cases []modifiedCase) {
	t.Helper()
	table := embedded(t)
	for _, c := range cases {
		m, ok := table.Resolve(provider, c.name, c.at)
		if !ok {
			t.Errorf("%s at %s not resolved", c.name, c.at.Format(time.RFC3339))
			continue
		}
		cost, err := table.Cost(m.Row.ID, m.Row.Band(c.usage.PromptTokens()), c.mods, c.usage)
		if err != nil {
			t.Errorf("%s %+v: %v", c.name, c.mods, err)
			continue
		}
		if got := cost.Big().Int64(); got != c.wantPico {
			t.Errorf("%s %+v at %s: cost = %d pico, want %d", c.name, c.mods, c.at.Format(time.DateOnly), got, c.wantPico)
		}
	}
}

// checkUnpriced asserts that no row prices the name at that time, so a
// request logged before a model's release is stored unpriced.
func checkUnpriced(t *testing.T, provider, name string, at time.Time) {
	t.Helper()
	if m, ok := embedded(t).Resolve(provider, name, at); ok {
		t.Errorf("%s at %s resolved to row %s, want unpriced", name, at.Format(time.RFC3339), m.Row.ID)
	}
}

func day(year int, month time.Month, d int) time.Time {
	return time.Date(year, month, d, 0, 0, 0, 0, time.UTC)
}

func TestClaude5CacheReadExceptions(t *testing.T) {
	at := day(2026, 11, 20)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 200_000, Output: 2_000}}
	checkCosts(t, []costCase{
		// Fable 5 reads the cache at the usual 0.1x: 10,000 × 10 +
		// 200,000 × 1 + 2,000 × 50 = 100,000 + 200,000 + 100,000 = 400,000.
		{"anthropic", "claude-fable-5", "", at, u, 400_000_000_000},
		// Fable 5.1 reads it at 0.025x: 10,000 × 10 + 200,000 × 0.25 +
		// 2,000 × 50 = 100,000 + 50,000 + 100,000 = 250,000.
		{"anthropic", "claude-fable-5-1", "", at, u, 250_000_000_000},
		{"aws_bedrock", "us.anthropic.claude-mythos-5-1", "", at, u, 250_000_000_000},
		// Fable 5.2: 10,000 × 8 + 200,000 × 0.20 + 2,000 × 40 = 80,000 +
		// 40,000 + 80,000 = 200,000.
		{"anthropic", "claude-fable-5-2", "", at, u, 200_000_000_000},
		// Opus 5.5 reads it at 0.05x: 10,000 × 4 + 200,000 × 0.20 +
		// 2,000 × 20 = 40,000 + 40,000 + 40,000 = 120,000.
		{"anthropic", "claude-opus-5-5", "", at, u, 120_000_000_000},
		// batch halves every class, cache reads included: 60,000.
		{"anthropic", "claude-opus-5-5", "batch", at, u, 60_000_000_000},
		// Opus 5 keeps 0.1x: 10,000 × 5 + 200,000 × 0.50 + 2,000 × 25 =
		// 50,000 + 100,000 + 50,000 = 200,000.
		{"vertex_ai", "claude-opus-5", "", at, u, 200_000_000_000},
	})
}

func TestClaudeCacheWritePrices(t *testing.T) {
	at := day(2026, 11, 20)
	u := Usage{Tokens: [NumClasses]int64{Input: 1_000, CacheWrite5m: 40_000, CacheWrite1h: 20_000, Output: 1_000}}
	checkCosts(t, []costCase{
		// 1,000 × 4 + 40,000 × 5 + 20,000 × 8 + 1,000 × 20 = 4,000 +
		// 200,000 + 160,000 + 20,000 = 384,000.
		{"anthropic", "claude-opus-5-5", "", at, u, 384_000_000_000},
		// 1,000 × 2 + 40,000 × 2.50 + 20,000 × 4 + 1,000 × 10 = 2,000 +
		// 100,000 + 80,000 + 10,000 = 192,000.
		{"anthropic", "claude-sonnet-5", "", at, u, 192_000_000_000},
		// 1,000 × 8 + 40,000 × 10 + 20,000 × 16 + 1,000 × 40 = 8,000 +
		// 400,000 + 320,000 + 40,000 = 768,000.
		{"anthropic", "claude-mythos-5-2", "", at, u, 768_000_000_000},
	})
}

func TestHaiku55PromptLengthBand(t *testing.T) {
	at := day(2026, 11, 1)
	atThreshold := Usage{Tokens: [NumClasses]int64{Input: 20_000, CacheRead: 80_000, Output: 1_000}}
	overThreshold := atThreshold
	overThreshold.Tokens[CacheRead]++
	checkCosts(t, []costCase{
		// A prompt of exactly 100,000 tokens is base: 20,000 × 0.10 +
		// 80,000 × 0.01 + 1,000 × 0.50 = 2,000 + 800 + 500 = 3,300.
		{"anthropic", "claude-haiku-5-5", "", at, atThreshold, 3_300_000_000},
		// One cached token more moves every class to the band: 20,000 ×
		// 0.50 + 80,001 × 0.05 + 1,000 × 2.50 = 10,000 + 4,000.05 + 2,500 =
		// 16,500.05.
		{"anthropic", "claude-haiku-5-5", "", at, overThreshold, 16_500_050_000},
		// batch halves the band's prices: 8,250.025.
		{"aws_bedrock", "anthropic.claude-haiku-5-5", "batch", at, overThreshold, 8_250_025_000},
	})
}

func TestSonnet46LongContextUntilGA(t *testing.T) {
	long := Usage{Tokens: [NumClasses]int64{Input: 250_000, Output: 1_000}}
	ga := day(2026, 3, 13)
	checkCosts(t, []costCase{
		// Before 2026-03-13 a 250,000-token prompt is in the band:
		// 250,000 × 6 + 1,000 × 22.50 = 1,500,000 + 22,500 = 1,522,500.
		{"anthropic", "claude-sonnet-4-6", "", ga.Add(-time.Second), long, 1_522_500_000_000},
		// From that day the whole window is at base prices: 250,000 × 3 +
		// 1,000 × 15 = 750,000 + 15,000 = 765,000.
		{"anthropic", "claude-sonnet-4-6", "", ga, long, 765_000_000_000},
	})
}

func TestSonnet55CacheReadCut(t *testing.T) {
	cut := day(2026, 10, 7)
	u := Usage{Tokens: [NumClasses]int64{Input: 1_000, CacheRead: 1_000_000, Output: 1_000}}
	checkCosts(t, []costCase{
		// Launch card: 1,000 × 2 + 1,000,000 × 0.20 + 1,000 × 10 = 2,000 +
		// 200,000 + 10,000 = 212,000.
		{"anthropic", "claude-sonnet-5-5", "", cut.Add(-time.Second), u, 212_000_000_000},
		// From the cut: 2,000 + 1,000,000 × 0.10 + 10,000 = 112,000.
		{"anthropic", "claude-sonnet-5-5", "", cut, u, 112_000_000_000},
	})
}

func TestClaudeFastModeAndInferenceGeo(t *testing.T) {
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 100_000, Output: 2_000}}
	fast := Modifiers{Speed: "fast"}
	checkModifiedCosts(t, "anthropic", []modifiedCase{
		// Opus 5.5 fast is 2x every class: (10,000 × 4 + 100,000 × 0.20 +
		// 2,000 × 20) × 2 = (40,000 + 20,000 + 40,000) × 2 = 200,000.
		{"claude-opus-5-5", day(2026, 11, 1), fast, u, 200_000_000_000},
		// Opus 4.7 fast was 6x until 2026-07-24: (10,000 × 5 + 100,000 ×
		// 0.50 + 2,000 × 25) × 6 = 150,000 × 6 = 900,000.
		{"claude-opus-4-7", day(2026, 7, 23), fast, u, 900_000_000_000},
		// From then the row has no fast mode, so speed "fast" changes
		// nothing: 150,000.
		{"claude-opus-4-7", day(2026, 7, 24), fast, u, 150_000_000_000},
		// inference_geo "us" is 1.1x every class: (10,000 × 2 + 100,000 ×
		// 0.20 + 2,000 × 10) × 1.1 = 60,000 × 1.1 = 66,000.
		{"claude-sonnet-5", day(2026, 8, 1), Modifiers{InferenceGeo: "us"}, u, 66_000_000_000},
		// Stacking order: band, batch 0.5, geo 1.1, fast 2: Fable 5.2
		// (80,000 + 100,000 × 0.20 + 2,000 × 40) = 180,000, × 0.5 × 1.1 × 2 =
		// 198,000.
		{"claude-fable-5-2", day(2026, 12, 1), Modifiers{ServiceTier: "batch", InferenceGeo: "us", Speed: "fast"}, u, 198_000_000_000},
	})
}

func TestClaude3OpusPricesOldLogs(t *testing.T) {
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 20_000, Output: 1_000}}
	checkCosts(t, []costCase{
		// 10,000 × 15 + 20,000 × 1.50 + 1,000 × 75 = 150,000 + 30,000 +
		// 75,000 = 255,000.
		{"anthropic", "claude-3-opus-20240229", "", day(2024, 9, 1), u, 255_000_000_000},
		// Claude 3 Sonnet has no prompt caching, so cache tokens that a log
		// reports anyway are billed as input: 30,000 × 3 + 1,000 × 15 =
		// 90,000 + 15,000 = 105,000.
		{"aws_bedrock", "anthropic.claude-3-sonnet-20240229-v1:0", "", day(2024, 9, 1), u, 105_000_000_000},
	})
}

func TestClaudeUnpricedBeforeRelease(t *testing.T) {
	tests := []struct {
		name    string
		release time.Time
	}{
		{"claude-3-opus-20240229", day(2024, 3, 4)},
		{"claude-sonnet-4-6", day(2026, 2, 17)},
		{"claude-opus-4-7", day(2026, 4, 16)},
		{"claude-opus-4-8", day(2026, 5, 28)},
		{"claude-fable-5", day(2026, 6, 9)},
		{"claude-sonnet-5", day(2026, 6, 30)},
		{"claude-opus-5", day(2026, 7, 24)},
		{"claude-fable-5-1", day(2026, 9, 1)},
		{"claude-opus-5-5", day(2026, 9, 22)},
		{"claude-sonnet-5-5", day(2026, 9, 28)},
		{"claude-haiku-5-5", day(2026, 10, 7)},
		{"claude-fable-5-2", day(2026, 11, 9)},
	}
	for _, tc := range tests {
		checkUnpriced(t, "anthropic", tc.name, tc.release.Add(-time.Second))
		if _, ok := embedded(t).Resolve("anthropic", tc.name, tc.release); !ok {
			t.Errorf("%s not priced on its release day %s", tc.name, tc.release.Format(time.DateOnly))
		}
	}
}

func TestGPT5xCost(t *testing.T) {
	at := day(2026, 11, 1)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	checkCosts(t, []costCase{
		// 10,000 × 1.25 + 40,000 × 0.125 + 2,000 × 10 = 12,500 + 5,000 +
		// 20,000 = 37,500.
		{"openai", "gpt-5.1-2025-11-13", "", at, u, 37_500_000_000},
		// priority is 2x: 75,000.
		{"openai", "gpt-5.1", "priority", at, u, 75_000_000_000},
		// 10,000 × 1.75 + 40,000 × 0.175 + 2,000 × 14 = 17,500 + 7,000 +
		// 28,000 = 52,500.
		{"openai", "gpt-5.2", "", at, u, 52_500_000_000},
		// 10,000 × 2.50 + 40,000 × 0.25 + 2,000 × 15 = 25,000 + 10,000 +
		// 30,000 = 65,000; priority 2x = 130,000; batch 0.5x = 32,500.
		{"openai", "gpt-5.4-2026-03-05", "", at, u, 65_000_000_000},
		{"openai", "gpt-5.4", "priority", at, u, 130_000_000_000},
		{"openai", "openai/gpt-5.4", "batch", at, u, 32_500_000_000},
		// 10,000 × 0.75 + 40,000 × 0.075 + 2,000 × 4.50 = 7,500 + 3,000 +
		// 9,000 = 19,500.
		{"openai", "gpt-5.4-mini", "", at, u, 19_500_000_000},
		// 10,000 × 0.20 + 40,000 × 0.02 + 2,000 × 1.25 = 2,000 + 800 +
		// 2,500 = 5,300.
		{"openai", "gpt-5.4-nano-2026-03-17", "", at, u, 5_300_000_000},
		// 10,000 × 5 + 40,000 × 0.50 + 2,000 × 30 = 50,000 + 20,000 +
		// 60,000 = 130,000; priority 2.5x = 325,000; flex 0.5x = 65,000.
		{"openai", "gpt-5.5", "", at, u, 130_000_000_000},
		{"openai", "gpt-5.5-2026-04-23", "priority", at, u, 325_000_000_000},
		{"openai", "gpt-5.5", "flex", at, u, 65_000_000_000},
		// No cached-input price, so cached tokens are input: 50,000 × 30 +
		// 2,000 × 180 = 1,500,000 + 360,000 = 1,860,000.
		{"openai", "gpt-5.5-pro", "", at, u, 1_860_000_000_000},
	})
}

func TestGPT55LongContextBand(t *testing.T) {
	at := day(2026, 11, 1)
	atThreshold := Usage{Tokens: [NumClasses]int64{Input: 272_000, Output: 1_000}}
	overThreshold := atThreshold
	overThreshold.Tokens[Input]++
	cachedOver := Usage{Tokens: [NumClasses]int64{Input: 100_000, CacheRead: 200_000, Output: 1_000}}
	checkCosts(t, []costCase{
		// Exactly 272,000 prompt tokens is base: 272,000 × 5 + 1,000 × 30 =
		// 1,360,000 + 30,000 = 1,390,000.
		{"openai", "gpt-5.5", "", at, atThreshold, 1_390_000_000_000},
		// One more moves every class to the band: 272,001 × 10 + 1,000 ×
		// 45 = 2,720,010 + 45,000 = 2,765,010.
		{"openai", "gpt-5.5", "", at, overThreshold, 2_765_010_000_000},
		// batch halves the band's prices: 1,382,505.
		{"openai", "gpt-5.5", "batch", at, overThreshold, 1_382_505_000_000},
		// Cached tokens count toward the threshold (300,000 > 272,000):
		// 100,000 × 10 + 200,000 × 1 + 1,000 × 45 = 1,000,000 + 200,000 +
		// 45,000 = 1,245,000.
		{"openai", "gpt-5.5", "", at, cachedOver, 1_245_000_000_000},
		// GPT-5.4's band: 100,000 × 5 + 200,000 × 0.50 + 1,000 × 22.50 =
		// 500,000 + 100,000 + 22,500 = 622,500.
		{"openai", "gpt-5.4", "", at, cachedOver, 622_500_000_000},
	})
}

func TestGPT5xUnpricedBeforeRelease(t *testing.T) {
	tests := []struct {
		name    string
		release time.Time
	}{
		{"gpt-5.1", day(2025, 11, 13)},
		{"gpt-5.2", day(2025, 12, 11)},
		{"gpt-5.4", day(2026, 3, 5)},
		{"gpt-5.4-mini", day(2026, 3, 17)},
		{"gpt-5.4-nano", day(2026, 3, 17)},
		{"gpt-5.5", day(2026, 4, 23)},
		{"gpt-5.6-sol", day(2026, 7, 9)},
		{"gpt-5.6", day(2026, 7, 9)},
		{"gpt-5.6-terra", day(2026, 7, 9)},
		{"gpt-5.6-luna", day(2026, 7, 9)},
	}
	for _, tc := range tests {
		checkUnpriced(t, "openai", tc.name, tc.release.Add(-time.Second))
		if _, ok := embedded(t).Resolve("openai", tc.name, tc.release); !ok {
			t.Errorf("%s not priced on its release day %s", tc.name, tc.release.Format(time.DateOnly))
		}
	}
}

func TestGemini3Cost(t *testing.T) {
	at := day(2026, 11, 1)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	withAudio := u
	withAudio.Tokens[AudioIn] = 1_000
	checkCosts(t, []costCase{
		// 10,000 × 0.50 + 40,000 × 0.05 + 2,000 × 3 + 1,000 × 1.00 =
		// 5,000 + 2,000 + 6,000 + 1,000 = 14,000.
		{"google", "gemini-3-flash-preview", "", at, withAudio, 14_000_000_000},
		{"vertex_ai", "gemini-3-flash-preview", "batch", at, withAudio, 7_000_000_000},
		// 10,000 × 2 + 40,000 × 0.20 + 2,000 × 12 = 20,000 + 8,000 +
		// 24,000 = 52,000.
		{"google", "models/gemini-3.1-pro-preview", "", at, u, 52_000_000_000},
		// No caching price on 3 Pro, so cached tokens are input: 50,000 × 2
		// + 2,000 × 12 = 100,000 + 24,000 = 124,000.
		{"google", "gemini-3-pro-preview", "", day(2026, 1, 10), u, 124_000_000_000},
		// 10,000 × 0.75 + 40,000 × 0.075 + 2,000 × 3.75 = 7,500 + 3,000 +
		// 7,500 = 18,000; flex halves it: 9,000.
		{"google", "gemini-3.8-flash", "", at, u, 18_000_000_000},
		{"google", "gemini-3.8-flash", "flex", at, u, 9_000_000_000},
		// 10,000 × 0.25 + 40,000 × 0.025 + 2,000 × 1.50 + 1,000 × 0.50 =
		// 2,500 + 1,000 + 3,000 + 500 = 7,000. Batch halves it: 3,500.
		{"google", "gemini-3.1-flash-lite", "", at, withAudio, 7_000_000_000},
		{"vertex_ai", "gemini-3.1-flash-lite", "batch", at, withAudio, 3_500_000_000},
		// 3.5 Flash has no audio price, so audio is input: 10,000 × 1.50 +
		// 40,000 × 0.15 + 2,000 × 9 + 1,000 × 1.50 = 15,000 + 6,000 +
		// 18,000 + 1,500 = 40,500. Batch halves it: 20,250.
		{"google", "gemini-3.5-flash", "", at, withAudio, 40_500_000_000},
		{"vertex_ai", "gemini-3.5-flash", "batch", at, withAudio, 20_250_000_000},
		// 3.5 Flash-Lite bills audio at its one input price: (10,000 +
		// 1,000) × 0.30 + 40,000 × 0.03 + 2,000 × 2.50 = 3,300 + 1,200 +
		// 5,000 = 9,500.
		// Batch halves it: 4,750.
		{"google", "gemini-3.5-flash-lite", "", at, withAudio, 9_500_000_000},
		{"vertex_ai", "gemini-3.5-flash-lite", "batch", at, withAudio, 4_750_000_000},
	})
}

func TestGemini35FlashMillionTokens(t *testing.T) {
	u := Usage{Tokens: [NumClasses]int64{Input: 1_000_000, Output: 1_000_000}}
	// 1,000,000 × 1.50 + 1,000,000 × 9 = 10,500,000 $/MTok·tokens =
	// $10.50 on the release day.
	checkCosts(t, []costCase{
		{"google", "gemini-3.5-flash", "", day(2026, 5, 19), u, 10_500_000_000_000},
	})
	m, ok := embedded(t).Resolve("google", "gemini-3.5-flash", day(2026, 6, 1))
	if !ok {
		t.Fatal("gemini-3.5-flash at 2026-06-01 not resolved")
	}
	if m.Model.MinCacheTokens != 4096 {
		t.Errorf("gemini-3.5-flash min_cache_tokens = %d, want 4096", m.Model.MinCacheTokens)
	}
}

func TestGemini31FlashLitePreviewName(t *testing.T) {
	preview := day(2026, 4, 1)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	// Before GA the preview name is priced like the GA model: 10,000 ×
	// 0.25 + 40,000 × 0.025 + 2,000 × 1.50 = 2,500 + 1,000 + 3,000 = 6,500.
	// Batch halves it: 3,250.
	checkCosts(t, []costCase{
		{"google", "gemini-3.1-flash-lite-preview", "", preview, u, 6_500_000_000},
		{"google", "models/gemini-3.1-flash-lite-preview", "batch", preview, u, 3_250_000_000},
	})
	for _, name := range []string{"gemini-3.1-flash-lite-preview", "gemini-3.1-flash-lite"} {
		m, ok := embedded(t).Resolve("google", name, preview)
		if !ok {
			t.Errorf("%s at %s not resolved", name, preview.Format(time.DateOnly))
			continue
		}
		if m.Model.ID != "gemini-3.1-flash-lite" {
			t.Errorf("%s resolves to %s, want gemini-3.1-flash-lite", name, m.Model.ID)
		}
	}
}

func TestGemini31ProLongContextBand(t *testing.T) {
	at := day(2026, 11, 1)
	checkCosts(t, []costCase{
		// Exactly 200,000 prompt tokens is base: 150,000 × 2 + 50,000 ×
		// 0.20 + 1,000 × 12 = 300,000 + 10,000 + 12,000 = 322,000.
		{"google", "gemini-3.1-pro-preview", "", at,
			Usage{Tokens: [NumClasses]int64{Input: 150_000, CacheRead: 50_000, Output: 1_000}}, 322_000_000_000},
		// 200,001 moves every class to the band, whose cached tokens are
		// billed at its input price: 150,001 × 4 + 50,000 × 4 + 1,000 × 18 =
		// 600,004 + 200,000 + 18,000 = 818,004.
		{"google", "gemini-3.1-pro-preview", "", at,
			Usage{Tokens: [NumClasses]int64{Input: 150_001, CacheRead: 50_000, Output: 1_000}}, 818_004_000_000},
		// batch halves the band: 409,002.
		{"google", "gemini-3.1-pro-preview", "batch", at,
			Usage{Tokens: [NumClasses]int64{Input: 150_001, CacheRead: 50_000, Output: 1_000}}, 409_002_000_000},
	})
}

func TestGemini38FlashPromotionEnds(t *testing.T) {
	end := day(2027, 1, 1)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	checkCosts(t, []costCase{
		// Last second of the promotion: 18,000 (see TestGemini3Cost).
		{"google", "gemini-3.8-flash", "", end.Add(-time.Second), u, 18_000_000_000},
		// From 2027 there is no caching price, so cached tokens are input:
		// 50,000 × 1.50 + 2,000 × 7.50 = 75,000 + 15,000 = 90,000.
		{"google", "gemini-3.8-flash", "", end, u, 90_000_000_000},
	})
}

func TestGemini3UnpricedBeforeRelease(t *testing.T) {
	tests := []struct {
		name    string
		release time.Time
	}{
		{"gemini-3-pro-preview", day(2025, 11, 18)},
		{"gemini-3-flash-preview", day(2025, 12, 17)},
		{"gemini-3.1-pro-preview", day(2026, 2, 19)},
		{"gemini-3.1-flash-lite-preview", day(2026, 3, 3)},
		{"gemini-3.5-flash", day(2026, 5, 19)},
		{"gemini-3.5-flash-lite", day(2026, 7, 21)},
		{"gemini-3.6-flash", day(2026, 7, 21)},
		{"gemini-3.7-flash", day(2026, 8, 13)},
		{"gemini-3.8-flash", day(2026, 9, 2)},
	}
	for _, tc := range tests {
		checkUnpriced(t, "google", tc.name, tc.release.Add(-time.Second))
		if _, ok := embedded(t).Resolve("google", tc.name, tc.release); !ok {
			t.Errorf("%s not priced on its release day %s", tc.name, tc.release.Format(time.DateOnly))
		}
	}
}
