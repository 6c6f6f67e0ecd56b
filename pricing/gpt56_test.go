package pricing

import (
	"testing"
	"time"
)

// GPT-5.6 Sol, Terra and Luna launched on 2026-07-09. Terra and Luna were cut
// on 2026-07-30 and Sol on 2026-08-21. Costs are hand-computed in
// $/MTok·tokens, as in current_lineup_test.go.

func TestGPT56PriceRows(t *testing.T) {
	launch, terraLunaCut, solCut := day(2026, 7, 9), day(2026, 7, 30), day(2026, 8, 21)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	checkCosts(t, []costCase{
		// Sol at launch: 10,000 × 5 + 40,000 × 0.50 + 2,000 × 30 = 50,000 +
		// 20,000 + 60,000 = 130,000, unchanged until 2026-08-21.
		{"openai", "gpt-5.6-sol", "", launch, u, 130_000_000_000},
		{"openai", "gpt-5.6-sol", "", solCut.Add(-time.Second), u, 130_000_000_000},
		// Sol from the cut: 10,000 × 4 + 40,000 × 0.40 + 2,000 × 20 = 40,000 +
		// 16,000 + 40,000 = 96,000.
		{"openai", "gpt-5.6-sol", "", solCut, u, 96_000_000_000},
		// Terra at launch: 10,000 × 2.50 + 40,000 × 0.25 + 2,000 × 15 = 25,000
		// + 10,000 + 30,000 = 65,000.
		{"openai", "gpt-5.6-terra", "", terraLunaCut.Add(-time.Second), u, 65_000_000_000},
		// Terra from the cut: 10,000 × 2 + 40,000 × 0.20 + 2,000 × 12 = 20,000
		// + 8,000 + 24,000 = 52,000.
		{"openai", "openai/gpt-5.6-terra", "", terraLunaCut, u, 52_000_000_000},
		// Luna at launch: 10,000 × 1 + 40,000 × 0.10 + 2,000 × 6 = 10,000 +
		// 4,000 + 12,000 = 26,000.
		{"openai", "gpt-5.6-luna", "", launch, u, 26_000_000_000},
		// Luna from the cut: 10,000 × 0.20 + 40,000 × 0.02 + 2,000 × 1.20 =
		// 2,000 + 800 + 2,400 = 5,200.
		{"openai", "gpt-5.6-luna", "", terraLunaCut, u, 5_200_000_000},
	})
}

func TestGPT56ServiceTiers(t *testing.T) {
	fastModeLaunch := day(2026, 7, 30)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	checkCosts(t, []costCase{
		// Before fast mode the Sol row has no priority price, so priority
		// bills the standard 130,000 (see TestGPT56PriceRows).
		{"openai", "gpt-5.6-sol", "priority", fastModeLaunch.Add(-time.Second), u, 130_000_000_000},
		// From 2026-07-30 fast mode (priority) is 2x: 260,000.
		{"openai", "gpt-5.6-sol", "priority", fastModeLaunch, u, 260_000_000_000},
		// Terra from the cut is 52,000: priority 2x = 104,000, flex and batch
		// 0.5x = 26,000.
		{"openai", "gpt-5.6-terra", "priority", fastModeLaunch, u, 104_000_000_000},
		{"openai", "gpt-5.6-terra", "flex", fastModeLaunch, u, 26_000_000_000},
		{"openai", "gpt-5.6-terra", "batch", fastModeLaunch, u, 26_000_000_000},
		// Luna at launch is 26,000: flex halves it to 13,000.
		{"openai", "gpt-5.6-luna", "flex", day(2026, 7, 10), u, 13_000_000_000},
	})
}

func TestGPT56LongContextBand(t *testing.T) {
	at := day(2026, 9, 1)
	atThreshold := Usage{Tokens: [NumClasses]int64{Input: 272_000, Output: 1_000}}
	overThreshold := atThreshold
	overThreshold.Tokens[Input]++
	cachedOver := Usage{Tokens: [NumClasses]int64{Input: 100_000, CacheRead: 200_000, Output: 1_000}}
	checkCosts(t, []costCase{
		// Exactly 272,000 prompt tokens is base: 272,000 × 2 + 1,000 × 12 =
		// 544,000 + 12,000 = 556,000.
		{"openai", "gpt-5.6-terra", "", at, atThreshold, 556_000_000_000},
		// One more moves every class to the band: 272,001 × 4 + 1,000 × 18 =
		// 1,088,004 + 18,000 = 1,106,004.
		{"openai", "gpt-5.6-terra", "", at, overThreshold, 1_106_004_000_000},
		// Cached tokens count toward the threshold (300,000 > 272,000):
		// 100,000 × 4 + 200,000 × 0.40 + 1,000 × 18 = 400,000 + 80,000 +
		// 18,000 = 498,000.
		{"openai", "gpt-5.6-terra", "", at, cachedOver, 498_000_000_000},
		// Sol's band from 2026-08-21: 100,000 × 8 + 200,000 × 0.80 + 1,000 ×
		// 30 = 800,000 + 160,000 + 30,000 = 990,000.
		{"openai", "gpt-5.6-sol", "", at, cachedOver, 990_000_000_000},
		// Luna's band: 100,000 × 0.40 + 200,000 × 0.04 + 1,000 × 1.80 =
		// 40,000 + 8,000 + 1,800 = 49,800.
		{"openai", "gpt-5.6-luna", "", at, cachedOver, 49_800_000_000},
	})
}

func TestGPT56AliasIsSol(t *testing.T) {
	m, ok := embedded(t).Resolve("openai", "gpt-5.6", day(2026, 9, 1))
	if !ok {
		t.Fatal("gpt-5.6 at 2026-09-01 not resolved")
	}
	if m.Model.ID != "gpt-5.6-sol" {
		t.Errorf("gpt-5.6 resolves to %s, want gpt-5.6-sol", m.Model.ID)
	}
}
