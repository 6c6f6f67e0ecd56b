package simulate

import (
	"testing"

	"github.com/costctl/costctl/analyze"
)

// "*" in a list of endpoints means every endpoint, the empty one included.
// claude-3-5-haiku: input $0.80 per million, batch half that. Three
// requests of 1,000,000 input tokens: baseline 3 × 0.80 = $2.40, all
// batched 3 × 0.40 = $1.20, savings $1.20.
func TestBatchStarEndpointList(t *testing.T) {
	table := embeddedTable(t)
	for _, policy := range []string{
		`batch: {endpoints: ["*"]}`,
		`batch: {endpoints: "*"}`,
		`batch: {endpoints: [nightly, "*"]}`,
	} {
		t.Run(policy, func(t *testing.T) {
			p := mustPolicy(t, table, policy)
			var reqs []analyze.Request
			for _, ep := range []string{"nightly", "chat", ""} {
				reqs = append(reqs, newRequest(t, table, "claude-3-5-haiku-20241022", ep, 0, 1_000_000, 0))
			}
			sim := run(t, table, p, reqs, Options{})

			checkUSD(t, "baseline", sim.Baseline.CostUSD, 2.40)
			checkUSD(t, "projected", sim.Projected.CostUSD, 1.20)
			checkUSD(t, "savings", sim.SavingsUSD, 1.20)
		})
	}
}

// The bursts of TestCacheBursts, cached with endpoints: ["*"], save what
// they save with no endpoint list: $1.286144.
func TestCacheStarEndpointList(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `cache: {ttl: 5m, prefix_tokens: {"*": 2048}, endpoints: ["*"]}`)
	sim := run(t, table, p, bursts(t, table), Options{})

	checkCount(t, "cache reads", sim.Projected.CacheReadTokens, 900*2048)
	checkUSD(t, "projected", sim.Projected.CostUSD, 0.472256)
	checkUSD(t, "savings", sim.SavingsUSD, 1.286144)
}

// A route rule matching endpoint "*" moves 1,000,000 input tokens from
// claude-3-5-haiku ($0.80) to claude-3-haiku ($0.25): savings $0.55.
func TestRouteStarEndpointMatch(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `route: [{match: {endpoint: ["*"]}, model: claude-3-haiku-20240307}]`)
	r := newRequest(t, table, "claude-3-5-haiku-20241022", "chat", 0, 1_000_000, 0)
	sim := run(t, table, p, []analyze.Request{r}, Options{})

	checkUSD(t, "projected", sim.Projected.CostUSD, 0.25)
	checkUSD(t, "savings", sim.SavingsUSD, 0.55)
}

// A list without "*" still selects only the endpoints it names: chat is
// batched, $0.40, and the other two stay $0.80 each.
func TestBatchNamedEndpointsOnly(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `batch: {endpoints: [chat]}`)
	var reqs []analyze.Request
	for _, ep := range []string{"nightly", "chat", ""} {
		reqs = append(reqs, newRequest(t, table, "claude-3-5-haiku-20241022", ep, 0, 1_000_000, 0))
	}
	sim := run(t, table, p, reqs, Options{})

	checkUSD(t, "projected", sim.Projected.CostUSD, 0.40+0.80+0.80)
}
