package pricing

import (
	"testing"
	"time"
)

func TestCodexModelsCost(t *testing.T) {
	at := day(2026, 1, 15)
	u := Usage{Tokens: [NumClasses]int64{Input: 10_000, CacheRead: 40_000, Output: 2_000}}
	searches := Usage{Tokens: [NumClasses]int64{Input: 1_000, Output: 100}, WebSearches: 3}
	const fees = 3 * 10_000_000_000 // 3 calls × $10 / 1,000
	checkCosts(t, []costCase{
		// 10,000 × 1.25 + 40,000 × 0.125 + 2,000 × 10 = 12,500 + 5,000 +
		// 20,000 = 37,500.
		{"openai", "gpt-5-codex", "", at, u, 37_500_000_000},
		{"openai", "openai/gpt-5-codex", "", at, u, 37_500_000_000},
		{"openai", "gpt-5.1-codex", "", at, u, 37_500_000_000},
		// 10,000 × 1.50 + 40,000 × 0.375 + 2,000 × 6 = 15,000 + 15,000 +
		// 12,000 = 42,000.
		{"openai", "codex-mini-latest", "", at, u, 42_000_000_000},
		// No batch price is listed, so batch bills at standard rates.
		{"openai", "gpt-5-codex", "batch", at, u, 37_500_000_000},
		// 1,000 × 1.25 + 100 × 10 = 1,250 + 1,000 = 2,250, plus the fees.
		{"openai", "gpt-5-codex", "", at, searches, 2_250_000_000 + fees},
		// 1,000 × 1.50 + 100 × 6 = 1,500 + 600 = 2,100, plus the fees.
		{"openai", "codex-mini-latest", "", at, searches, 2_100_000_000 + fees},
	})
}

func TestCodexModelsUnpricedBeforeRelease(t *testing.T) {
	tests := []struct {
		name  string
		first time.Time
	}{
		{"gpt-5-codex", day(2025, 9, 15)},
		{"gpt-5.1-codex", day(2025, 11, 12)},
		{"codex-mini-latest", day(2025, 5, 16)},
	}
	for _, tc := range tests {
		checkUnpriced(t, "openai", tc.name, tc.first.Add(-time.Second))
		if _, ok := embedded(t).Resolve("openai", tc.name, tc.first); !ok {
			t.Errorf("%s not priced on its first day %s", tc.name, tc.first.Format(time.DateOnly))
		}
	}
}
