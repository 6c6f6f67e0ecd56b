package pricing

import (
	"testing"
	"time"
)

// GPT-6 models price prompts over 272k input tokens at 2x input and cached
// input and 1.5x output. Costs are hand-computed in $/MTok·tokens, as in
// current_lineup_test.go.

// gpt6Usage is a short prompt: 10,000 input, 40,000 cached and 2,000
// output tokens.
var gpt6Usage = Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}

// gpt6LongUsage is a 300,000-token prompt, over the 272k threshold.
var gpt6LongUsage = Usage{Tokens: [NumClasses]int64{Input: 100_000, CacheRead: 200_000, Output: 1_000}}

func TestGPT6AstraCost(t *testing.T) {
	release := day(2026, 9, 3)
	checkUnpriced(t, "openai", "gpt-6-astra", release.Add(-time.Second))
	checkCosts(t, []costCase{
		// 10,000 × 10 + 40,000 × 1 + 2,000 × 50 = 100,000 + 40,000 +
		// 100,000 = 240,000.
		{"openai", "gpt-6-astra", "", release, gpt6Usage, 240_000_000_000},
		// Batch and flex halve it: 120,000. Fast mode doubles it: 480,000.
		{"openai", "gpt-6-astra", "batch", release, gpt6Usage, 120_000_000_000},
		{"openai", "gpt-6-astra", "flex", release, gpt6Usage, 120_000_000_000},
		{"openai", "gpt-6-astra", "priority", release, gpt6Usage, 480_000_000_000},
		// Band: 100,000 × 20 + 200,000 × 2 + 1,000 × 75 = 2,000,000 +
		// 400,000 + 75,000 = 2,475,000.
		{"openai", "gpt-6-astra", "", release, gpt6LongUsage, 2_475_000_000_000},
	})
}

func TestGPT6SolAndLunaCost(t *testing.T) {
	release := day(2026, 9, 22)
	checkUnpriced(t, "openai", "gpt-6-sol", release.Add(-time.Second))
	checkUnpriced(t, "openai", "gpt-6-luna", release.Add(-time.Second))
	checkCosts(t, []costCase{
		// Sol: 10,000 × 2 + 40,000 × 0.20 + 2,000 × 10 = 20,000 + 8,000 +
		// 20,000 = 48,000. Batch halves it: 24,000.
		{"openai", "gpt-6-sol", "", release, gpt6Usage, 48_000_000_000},
		{"openai", "gpt-6-sol", "batch", release, gpt6Usage, 24_000_000_000},
		// No flex price, so flex bills the standard 48,000.
		{"openai", "gpt-6-sol", "flex", release, gpt6Usage, 48_000_000_000},
		// Sol's band: 100,000 × 4 + 200,000 × 0.40 + 1,000 × 15 = 400,000 +
		// 80,000 + 15,000 = 495,000.
		{"openai", "gpt-6-sol", "", release, gpt6LongUsage, 495_000_000_000},
		// Luna: 10,000 × 0.10 + 40,000 × 0.01 + 2,000 × 0.50 = 1,000 + 400 +
		// 1,000 = 2,400. Fast mode doubles it: 4,800.
		{"openai", "gpt-6-luna", "", release, gpt6Usage, 2_400_000_000},
		{"openai", "gpt-6-luna", "priority", release, gpt6Usage, 4_800_000_000},
		// Luna's band: 100,000 × 0.20 + 200,000 × 0.02 + 1,000 × 0.75 =
		// 20,000 + 4,000 + 750 = 24,750.
		{"openai", "gpt-6-luna", "", release, gpt6LongUsage, 24_750_000_000},
	})
}

func TestGPT61SolCost(t *testing.T) {
	release := day(2026, 9, 29)
	checkUnpriced(t, "openai", "gpt-6.1-sol", release.Add(-time.Second))
	checkCosts(t, []costCase{
		// 10,000 × 2 + 40,000 × 0.10 + 2,000 × 10 = 20,000 + 4,000 + 20,000
		// = 44,000. Batch halves it: 22,000.
		{"openai", "gpt-6.1-sol", "", release, gpt6Usage, 44_000_000_000},
		{"openai", "gpt-6.1-sol", "batch", release, gpt6Usage, 22_000_000_000},
		// Band: 100,000 × 4 + 200,000 × 0.20 + 1,000 × 15 = 400,000 + 40,000
		// + 15,000 = 455,000.
		{"openai", "gpt-6.1-sol", "", release, gpt6LongUsage, 455_000_000_000},
	})
}

func TestGPT61TerraCost(t *testing.T) {
	release := day(2026, 10, 26)
	checkUnpriced(t, "openai", "gpt-6.1-terra", release.Add(-time.Second))
	checkCosts(t, []costCase{
		// 10,000 × 1 + 40,000 × 0.05 + 2,000 × 5 = 10,000 + 2,000 + 10,000 =
		// 22,000. Flex halves it: 11,000. Fast mode doubles it: 44,000.
		{"openai", "gpt-6.1-terra", "", release, gpt6Usage, 22_000_000_000},
		{"openai", "gpt-6.1-terra", "flex", release, gpt6Usage, 11_000_000_000},
		{"openai", "gpt-6.1-terra", "priority", release, gpt6Usage, 44_000_000_000},
		// Band: 100,000 × 2 + 200,000 × 0.10 + 1,000 × 7.50 = 200,000 +
		// 20,000 + 7,500 = 227,500.
		{"openai", "gpt-6.1-terra", "", release, gpt6LongUsage, 227_500_000_000},
	})
}

func TestGPT62Cost(t *testing.T) {
	release := day(2026, 11, 17)
	checkUnpriced(t, "openai", "gpt-6.2-astra", release.Add(-time.Second))
	checkUnpriced(t, "openai", "gpt-6.2-sol", release.Add(-time.Second))
	checkCosts(t, []costCase{
		// Astra: 10,000 × 8 + 40,000 × 0.40 + 2,000 × 40 = 80,000 + 16,000 +
		// 80,000 = 176,000. Batch halves it: 88,000.
		{"openai", "gpt-6.2-astra", "", release, gpt6Usage, 176_000_000_000},
		{"openai", "gpt-6.2-astra", "batch", release, gpt6Usage, 88_000_000_000},
		// Astra's band: 100,000 × 16 + 200,000 × 0.80 + 1,000 × 60 =
		// 1,600,000 + 160,000 + 60,000 = 1,820,000.
		{"openai", "gpt-6.2-astra", "", release, gpt6LongUsage, 1_820_000_000_000},
		// Sol: 10,000 × 2 + 40,000 × 0.10 + 2,000 × 10 = 20,000 + 4,000 +
		// 20,000 = 44,000. Fast mode doubles it: 88,000. No flex price, so
		// flex bills the standard 44,000.
		{"openai", "gpt-6.2-sol", "", release, gpt6Usage, 44_000_000_000},
		{"openai", "gpt-6.2-sol", "priority", release, gpt6Usage, 88_000_000_000},
		{"openai", "gpt-6.2-sol", "flex", release, gpt6Usage, 44_000_000_000},
		// Sol's band: 100,000 × 4 + 200,000 × 0.20 + 1,000 × 15 = 400,000 +
		// 40,000 + 15,000 = 455,000.
		{"openai", "gpt-6.2-sol", "", release, gpt6LongUsage, 455_000_000_000},
	})
}
