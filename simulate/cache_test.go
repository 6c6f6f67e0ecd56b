package simulate

import (
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// bursts returns 1,000 requests of 2,148 uncached input tokens and 10 output
// tokens: 100 bursts 30 minutes apart, each of 10 requests a minute apart.
func bursts(t *testing.T, table *pricing.Table) []analyze.Request {
	var reqs []analyze.Request
	for b := range 100 {
		for i := range 10 {
			at := time.Duration(b)*30*time.Minute + time.Duration(i)*time.Minute
			reqs = append(reqs, newRequest(t, table, "claude-3-5-haiku-20241022", "chat", at, 2148, 10))
		}
	}
	return reqs
}

func TestCacheBursts(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `cache: {ttl: 5m, prefix_tokens: {"*": 2048}}`)
	sim := run(t, table, p, bursts(t, table), Options{})

	// The first request of a burst comes 21 minutes after the last use, past
	// the 5m TTL: a write. The next nine come a minute after a visible entry:
	// reads. 100 writes and 900 reads of 2,048 tokens.
	checkCount(t, "cache writes", sim.Projected.CacheWrite5mTokens, 100*2048)
	checkCount(t, "cache reads", sim.Projected.CacheReadTokens, 900*2048)
	checkCount(t, "input", sim.Projected.InputTokens, 1000*100)
	checkCount(t, "requests", sim.Projected.Requests, 1000)

	// claude-3-5-haiku: input $0.80, cache read $0.08, 5m write $1, output $4
	// per million. Baseline 2,148,000 × 0.8 + 10,000 × 4 = 1.7184 + 0.04.
	// Projected 100,000 × 0.8 + 1,843,200 × 0.08 + 204,800 × 1 + 10,000 × 4
	// = 0.08 + 0.147456 + 0.2048 + 0.04 = 0.472256.
	checkUSD(t, "baseline", sim.Baseline.CostUSD, 1.7584)
	checkUSD(t, "projected", sim.Projected.CostUSD, 0.472256)
	checkUSD(t, "savings", sim.SavingsUSD, 1.286144)
	checkUSD(t, "cache standalone", sim.Levers[0].StandaloneSavingsUSD, 1.286144)
	if len(sim.Warnings) != 0 {
		t.Errorf("warnings %q, want none", sim.Warnings)
	}
}

func TestCacheBelowMinimum(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `cache: {ttl: 5m, prefix_tokens: {"*": 2000}}`)
	sim := run(t, table, p, bursts(t, table), Options{})

	// 2,000 < 2,048, the minimum of claude-3-5-haiku: nothing is cached.
	checkCount(t, "cache reads", sim.Projected.CacheReadTokens, 0)
	checkCount(t, "cache writes", sim.Projected.CacheWriteTokens, 0)
	checkUSD(t, "savings", sim.SavingsUSD, 0)
	if len(sim.Warnings) != 1 || !strings.Contains(sim.Warnings[0], "chat on claude-3-5-haiku: the prefix of 2000 tokens is below the model's minimum cacheable length of 2048") {
		t.Errorf("warnings %q, want one naming the endpoint, model and both lengths", sim.Warnings)
	}
}

func TestCacheShortPrefixesOneWarning(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `cache: {ttl: 5m}`)
	var reqs []analyze.Request
	for i, prefix := range []int64{900, 100, 2047, 500} {
		r := newRequest(t, table, "claude-3-5-haiku-20241022", "chat", time.Duration(i)*time.Minute, 3000, 1)
		r.PrefixTokens = prefix
		reqs = append(reqs, r)
	}
	sim := run(t, table, p, reqs, Options{})

	want := "cache: endpoint chat on claude-3-5-haiku: prefixes of 100 to 2047 tokens are below the model's minimum cacheable length of 2048 tokens, so they are not cached"
	if len(sim.Warnings) != 1 || sim.Warnings[0] != want {
		t.Errorf("warnings %q, want only %q", sim.Warnings, want)
	}
}

func TestCacheSimultaneousRequestsAllWrite(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `cache: {prefix_tokens: {"*": 2048}}`)
	var reqs []analyze.Request
	for range 10 {
		reqs = append(reqs, newRequest(t, table, "claude-3-5-haiku-20241022", "chat", 0, 3000, 1))
	}
	sim := run(t, table, p, reqs, Options{})

	// No entry is visible before its writer's first token: ten writes.
	checkCount(t, "cache writes", sim.Projected.CacheWrite5mTokens, 10*2048)
	checkCount(t, "cache reads", sim.Projected.CacheReadTokens, 0)
}

func TestCacheBoundaries(t *testing.T) {
	table := embeddedTable(t)
	cases := []struct {
		name      string
		ttl       string
		ttftMS    int64
		second    time.Duration // start of the second request after the first
		wantReads int64
	}{
		{"at ttl is a read", "5m", 500, 5 * time.Minute, 2048},
		{"past ttl is a write", "5m", 500, 5*time.Minute + time.Millisecond, 0},
		{"one hour ttl", "1h", 500, 59 * time.Minute, 2048},
		{"at first token is a write", "5m", 500, 500 * time.Millisecond, 0},
		{"after first token is a read", "5m", 500, 501 * time.Millisecond, 2048},
		{"default ttft is 2 seconds", "5m", 0, 2 * time.Second, 0},
		{"after default ttft", "5m", 0, 2001 * time.Millisecond, 2048},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := mustPolicy(t, table, `cache: {ttl: `+tc.ttl+`, prefix_tokens: {"*": 2048}}`)
			a := newRequest(t, table, "claude-3-5-haiku-20241022", "chat", 0, 3000, 1)
			b := newRequest(t, table, "claude-3-5-haiku-20241022", "chat", tc.second, 3000, 1)
			a.TTFTMS = tc.ttftMS
			sim := run(t, table, p, []analyze.Request{a, b}, Options{})
			checkCount(t, "cache reads", sim.Projected.CacheReadTokens, tc.wantReads)
			checkCount(t, "cache writes", sim.Projected.CacheWriteTokens, 2*2048-tc.wantReads)
		})
	}
}

func TestCacheTakesPrefixFromLoggedBuckets(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `cache: {prefix_tokens: {"*": 999}}`)

	// Logged: 1,200 reads, 300 writes, 500 input; prefix from the log 1,024
	// (sonnet's minimum), key by hash. The first request writes: 1,024 come
	// out of the reads, leaving 176 reads, 300 + 1,024 writes and 500 input.
	r := newRequest(t, table, "claude-3-5-sonnet-20241022", "chat", 0, 500, 0)
	r.Tokens[pricing.CacheRead], r.Tokens[pricing.CacheWrite5m] = 1200, 300
	r.PrefixTokens, r.PrefixHash = 1024, "h1"
	reprice(t, table, &r)
	sim := run(t, table, p, []analyze.Request{r}, Options{})

	checkCount(t, "cache reads", sim.Projected.CacheReadTokens, 176)
	checkCount(t, "cache writes", sim.Projected.CacheWrite5mTokens, 1324)
	checkCount(t, "input", sim.Projected.InputTokens, 500)
}

func TestCacheKeyPerModelAndHash(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `cache: {prefix_tokens: {"*": 2048}}`)
	a := newRequest(t, table, "claude-3-5-haiku-20241022", "chat", 0, 3000, 1)
	b := newRequest(t, table, "claude-3-5-haiku-20241022", "chat", time.Minute, 3000, 1)
	c := newRequest(t, table, "claude-3-5-haiku-20241022", "chat", 2*time.Minute, 3000, 1)
	a.PrefixHash, b.PrefixHash, c.PrefixHash = "x", "y", "x"
	sim := run(t, table, p, []analyze.Request{a, b, c}, Options{})

	// a writes x, b writes y (another prefix), c reads x.
	checkCount(t, "cache writes", sim.Projected.CacheWrite5mTokens, 2*2048)
	checkCount(t, "cache reads", sim.Projected.CacheReadTokens, 2048)
}
