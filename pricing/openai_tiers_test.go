package pricing

import (
	"testing"
	"time"
)

// The sums below are in $/MTok·tokens, as in more_models_test.go: one
// $/MTok·token is 10^6 picodollars. A web search fee of $10 per 1,000 calls
// is $0.01, or 10^10 picodollars, per call.

func TestOpenAIPriorityPrices(t *testing.T) {
	at := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	checkCosts(t, []costCase{
		// 10,000 × 4.25 + 40,000 × 2.125 + 2,000 × 17 = 42,500 + 85,000 +
		// 34,000 = 161,500 → 161,500,000,000 pico.
		{"openai", "gpt-4o", "priority", at, u, 161_500_000_000},
		{"openai", "gpt-4o-2024-08-06", "priority", at, u, 161_500_000_000},
		{"openai", "gpt-4o-2024-11-20", "Priority", at, u, 161_500_000_000},
		// No cached-input price, so cached tokens pay the priority input
		// price: 50,000 × 8.75 + 2,000 × 26.25 = 437,500 + 52,500 = 490,000.
		{"openai", "gpt-4o-2024-05-13", "priority", at, u, 490_000_000_000},
		// 10,000 × 0.25 + 40,000 × 0.125 + 2,000 × 1 = 2,500 + 5,000 +
		// 2,000 = 9,500 → 9,500,000,000 pico.
		{"openai", "gpt-4o-mini-2024-07-18", "priority", at, u, 9_500_000_000},
		// 10,000 × 0.20 + 40,000 × 0.05 + 2,000 × 0.80 = 2,000 + 2,000 +
		// 1,600 = 5,600 → 5,600,000,000 pico.
		{"openai", "gpt-4.1-nano", "priority", at, u, 5_600_000_000},
		// 10,000 × 3.50 + 40,000 × 0.875 + 2,000 × 14 = 35,000 + 35,000 +
		// 28,000 = 98,000 → 98,000,000,000 pico.
		{"openai", "o3-2025-04-16", "priority", at, u, 98_000_000_000},
		// 10,000 × 2 + 40,000 × 0.50 + 2,000 × 8 = 20,000 + 20,000 + 16,000
		// = 56,000 → 56,000,000,000 pico.
		{"openai", "o4-mini", "priority", at, u, 56_000_000_000},
		// gpt-5-nano has no priority tier, so it is billed at standard:
		// 10,000 × 0.05 + 40,000 × 0.005 + 2,000 × 0.40 = 500 + 200 + 800.
		{"openai", "gpt-5-nano", "priority", at, u, 1_500_000_000},
	})
}

func TestPriorityOnlyAfterLaunch(t *testing.T) {
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	o3Cut := time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)
	checkCosts(t, []costCase{
		// The gpt-4o alias's first row has no priority tier (and no cached
		// price): 50,000 × 5 + 2,000 × 15 = 250,000 + 30,000 = 280,000.
		{"openai", "gpt-4o", "priority", time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), u, 280_000_000_000},
		// o3 before its cut bills priority at standard: 10,000 × 10 +
		// 40,000 × 2.50 + 2,000 × 40 = 100,000 + 100,000 + 80,000 = 280,000.
		{"openai", "o3", "priority", o3Cut.Add(-time.Second), u, 280_000_000_000},
		// From the cut: 35,000 + 35,000 + 28,000 = 98,000.
		{"openai", "o3", "priority", o3Cut, u, 98_000_000_000},
	})
}

func TestOpenAIWebSearchFees(t *testing.T) {
	at := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	u := Usage{Tokens: [NumClasses]int64{Input: 1_000, Output: 100}, WebSearches: 3}
	const fees = 3 * 10_000_000_000 // 3 calls × $10 / 1,000
	checkCosts(t, []costCase{
		// 1,000 × 2 + 100 × 8 = 2,800 → 2,800,000,000 pico, plus the fees.
		{"openai", "o3", "", at, u, 2_800_000_000 + fees},
		// 1,000 × 1.10 + 100 × 4.40 = 1,100 + 440 = 1,540.
		{"openai", "o4-mini-2025-04-16", "", at, u, 1_540_000_000 + fees},
		// batch halves the tokens (770) but not the per-call fee.
		{"openai", "o4-mini", "batch", at, u, 770_000_000 + fees},
		// 1,000 × 1.25 + 100 × 10 = 1,250 + 1,000 = 2,250.
		{"openai", "gpt-5", "", at, u, 2_250_000_000 + fees},
		// priority replaces the token prices only: 1,000 × 2.50 + 100 × 20
		// = 2,500 + 2,000 = 4,500.
		{"openai", "gpt-5-2025-08-07", "priority", at, u, 4_500_000_000 + fees},
		// 1,000 × 0.25 + 100 × 2 = 250 + 200 = 450.
		{"openai", "gpt-5-mini", "", at, u, 450_000_000 + fees},
		// 1,000 × 0.05 + 100 × 0.40 = 50 + 40 = 90.
		{"openai", "gpt-5-nano", "", at, u, 90_000_000 + fees},
		// Non-reasoning models carry no fee, because it depends on the tool
		// version, which the logs do not record: 1,000 × 2 + 100 × 8 = 2,800.
		{"openai", "gpt-4.1", "", at, u, 2_800_000_000},
	})
}

func TestO3WebSearchFeeStartsWithCut(t *testing.T) {
	cut := time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)
	u := Usage{Tokens: [NumClasses]int64{Input: 1_000, Output: 100}, WebSearches: 3}
	checkCosts(t, []costCase{
		// Before the cut o3 could not search, so the row has no fee:
		// 1,000 × 10 + 100 × 40 = 10,000 + 4,000 = 14,000.
		{"openai", "o3", "", cut.Add(-time.Second), u, 14_000_000_000},
		// From the cut: 2,800 + 3 × $0.01.
		{"openai", "o3", "", cut, u, 2_800_000_000 + 30_000_000_000},
	})
}
