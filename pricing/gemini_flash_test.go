package pricing

import (
	"testing"
	"time"
)

// Gemini 3.6 Flash launched at $1.50 / $7.50, was cut to an introductory
// half price on 2026-08-13, and returns to the launch price on 2027-01-01.
// Costs are hand-computed in $/MTok·tokens, as in current_lineup_test.go.

func TestGemini36FlashPriceRows(t *testing.T) {
	promoStart, promoEnd := day(2026, 8, 13), day(2027, 1, 1)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	checkCosts(t, []costCase{
		// Launch price: 10,000 × 1.50 + 40,000 × 0.15 + 2,000 × 7.50 =
		// 15,000 + 6,000 + 15,000 = 36,000.
		{"google", "gemini-3.6-flash", "", day(2026, 7, 21), u, 36_000_000_000},
		{"google", "gemini-3.6-flash", "", promoStart.Add(-time.Second), u, 36_000_000_000},
		// Introductory price: 10,000 × 0.75 + 40,000 × 0.075 + 2,000 × 3.75 =
		// 7,500 + 3,000 + 7,500 = 18,000.
		{"google", "gemini-3.6-flash", "", promoStart, u, 18_000_000_000},
		{"vertex_ai", "gemini-3.6-flash", "", promoEnd.Add(-time.Second), u, 18_000_000_000},
		// From 2027 the launch price again, cache reads included: 36,000.
		{"google", "models/gemini-3.6-flash", "", promoEnd, u, 36_000_000_000},
	})
}

func TestGemini36FlashBatchAndFlex(t *testing.T) {
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	checkCosts(t, []costCase{
		// Half of the launch price's 36,000: 18,000.
		{"google", "gemini-3.6-flash", "batch", day(2026, 8, 1), u, 18_000_000_000},
		// Half of the introductory price's 18,000: 9,000.
		{"google", "gemini-3.6-flash", "flex", day(2026, 11, 1), u, 9_000_000_000},
		{"vertex_ai", "gemini-3.6-flash", "batch", day(2026, 11, 1), u, 9_000_000_000},
		// The row has no priority price, so priority bills the standard 18,000.
		{"google", "gemini-3.6-flash", "priority", day(2026, 11, 1), u, 18_000_000_000},
	})
}

func TestGemini36FlashAudioIsInput(t *testing.T) {
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, AudioIn: 4_000, Output: 2_000}}
	// No audio price, so audio bills as input: (10,000 + 4,000) × 0.75 +
	// 2,000 × 3.75 = 10,500 + 7,500 = 18,000.
	checkCosts(t, []costCase{
		{"google", "gemini-3.6-flash", "", day(2026, 11, 1), u, 18_000_000_000},
	})
}

func TestGemini36FlashMillionTokens(t *testing.T) {
	u := Usage{Tokens: [NumClasses]int64{Input: 1_000_000, Output: 1_000_000}}
	checkCosts(t, []costCase{
		// 1,000,000 × 0.75 + 1,000,000 × 3.75 = 4,500,000 $/MTok·tokens =
		// $4.50 during the introductory price.
		{"google", "gemini-3.6-flash", "", day(2026, 12, 1), u, 4_500_000_000_000},
		// 1,000,000 × 1.50 + 1,000,000 × 7.50 = $9.00 at launch.
		{"google", "gemini-3.6-flash", "", day(2026, 7, 21), u, 9_000_000_000_000},
	})
}

func TestGemini36FlashMinCacheTokens(t *testing.T) {
	m, ok := embedded(t).Resolve("google", "gemini-3.6-flash", day(2026, 11, 1))
	if !ok {
		t.Fatal("gemini-3.6-flash at 2026-11-01 not resolved")
	}
	if m.Model.MinCacheTokens != 4096 {
		t.Errorf("gemini-3.6-flash min_cache_tokens = %d, want 4096", m.Model.MinCacheTokens)
	}
}

// Gemini 3.7 Flash launched on 2026-08-13 at the introductory price, and the
// standard $1.50 / $7.50 applies from 2027-01-01.

func TestGemini37FlashPriceRows(t *testing.T) {
	promoEnd := day(2027, 1, 1)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, AudioIn: 1_000, Output: 2_000}}
	checkCosts(t, []costCase{
		// Audio bills as input: (10,000 + 1,000) × 0.75 + 40,000 × 0.075 +
		// 2,000 × 3.75 = 8,250 + 3,000 + 7,500 = 18,750.
		{"google", "gemini-3.7-flash", "", day(2026, 8, 13), u, 18_750_000_000},
		{"vertex_ai", "gemini-3.7-flash", "", promoEnd.Add(-time.Second), u, 18_750_000_000},
		// Batch halves every class: 9,375.
		{"google", "gemini-3.7-flash", "batch", day(2026, 9, 1), u, 9_375_000_000},
		// From 2027: (10,000 + 1,000) × 1.50 + 40,000 × 0.15 + 2,000 × 7.50 =
		// 16,500 + 6,000 + 15,000 = 37,500.
		{"google", "gemini-3.7-flash", "", promoEnd, u, 37_500_000_000},
	})
}

func TestGemini37FlashMinCacheTokens(t *testing.T) {
	m, ok := embedded(t).Resolve("google", "gemini-3.7-flash", day(2026, 9, 1))
	if !ok {
		t.Fatal("gemini-3.7-flash at 2026-09-01 not resolved")
	}
	if m.Model.MinCacheTokens != 4096 {
		t.Errorf("gemini-3.7-flash min_cache_tokens = %d, want 4096", m.Model.MinCacheTokens)
	}
}
