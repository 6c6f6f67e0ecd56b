package simulate

import (
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// ttlLogs returns 80 requests whose logged caching follows a 5-minute TTL:
// a 2,048-token prefix is read when the previous request came at most 5
// minutes before, else written.
func ttlLogs(t *testing.T, table *pricing.Table) []analyze.Request {
	gaps := []time.Duration{30 * time.Second, 2 * time.Minute, 4 * time.Minute, 6 * time.Minute,
		10 * time.Minute, time.Minute, 5*time.Minute - time.Second, 5*time.Minute + time.Second}
	var reqs []analyze.Request
	at := time.Duration(0)
	for i := range 80 {
		gap := gaps[i%len(gaps)]
		if i > 0 {
			at += gap
		}
		r := newRequest(t, table, "claude-3-5-haiku-20241022", "chat", at, 300, 20)
		r.PrefixTokens, r.PrefixHash, r.TTFTMS = 2048, "p", 400
		if i > 0 && gap <= 5*time.Minute {
			r.Tokens[pricing.CacheRead] = 2048
		} else {
			r.Tokens[pricing.CacheWrite5m] = 2048
		}
		reprice(t, table, &r)
		reqs = append(reqs, r)
	}
	return reqs
}

func TestBacktestMatchesFiveMinuteLogs(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, "cache: {ttl: 5m}")
	sim := run(t, table, p, ttlLogs(t, table), Options{Backtest: true})

	bt := sim.Backtest
	if bt == nil || len(bt.Endpoints) != 1 {
		t.Fatalf("backtest %+v, want one endpoint", bt)
	}
	got := bt.Endpoints[0]
	checkCount(t, "logged writes", got.LoggedCacheWriteTokens, got.SimulatedCacheWriteTokens)
	checkCount(t, "logged reads", got.LoggedCacheReadTokens, got.SimulatedCacheReadTokens)
	checkCount(t, "error tokens", got.ErrorTokens, 0)
	if got.ErrorPct == nil || *got.ErrorPct >= 1 {
		t.Errorf("error %v%%, want under 1%%", got.ErrorPct)
	}
}

func TestBacktestOneHourOverestimatesReads(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, "cache: {ttl: 1h}")
	sim := run(t, table, p, ttlLogs(t, table), Options{Backtest: true})

	// Gaps of 6m, 10m and 5m1s are logged as writes but read under a 1h TTL.
	// Request i (1..79) follows gaps[i % 8]; indexes 3, 4 and 7 each occur
	// 10 times (3..75, 4..76, 7..79): 30 flips, each 2,048 tokens off in
	// reads and 2,048 in writes.
	got := sim.Backtest.Total
	checkCount(t, "error tokens", got.ErrorTokens, 2*2048*30)
	// Logged: 31 writes at $1/M (the first request and the 30 flips).
	// Simulated: 1 write at the 1h price, $1.6/M, and 30 more reads at
	// $0.08/M. Difference: (1.6 - 31 + 30 × 0.08) × 2048 µ$ = -27 × 2048 µ$.
	checkUSD(t, "error usd", got.ErrorUSD, -27*2048e-6)
}

func TestBacktestFreeWritesCountUncachedPrefix(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `cache: {prefix_tokens: {"*": 1024}}`)

	// gpt-4o-mini bills cache writes at the input price. The first request
	// sends its 1,024-token prefix uncached (a write); the second, a minute
	// later, reads 1,024 tokens from the cache.
	first := newRequest(t, table, "gpt-4o-mini-2024-07-18", "plan", 0, 1500, 10)
	second := newRequest(t, table, "gpt-4o-mini-2024-07-18", "plan", time.Minute, 476, 10)
	second.Tokens[pricing.CacheRead] = 1024
	reprice(t, table, &second)
	sim := run(t, table, p, []analyze.Request{first, second}, Options{Backtest: true})

	got := sim.Backtest.Total
	checkCount(t, "logged writes", got.LoggedCacheWriteTokens, 1024)
	checkCount(t, "logged reads", got.LoggedCacheReadTokens, 1024)
	checkCount(t, "error tokens", got.ErrorTokens, 0)
	checkUSD(t, "error usd", got.ErrorUSD, 0)
}
