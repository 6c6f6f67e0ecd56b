package simulate

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

func TestRouteRatiosRoundHalfAwayFromZero(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `
route:
  - match: {endpoint: [classify]}
    model: claude-3-haiku-20240307
    input_token_ratio: 0.5
    output_token_ratio: 1.1
`)
	r := newRequest(t, table, "claude-3-5-haiku-20241022", "classify", 0, 1001, 15)
	other := newRequest(t, table, "claude-3-5-haiku-20241022", "chat", 0, 1000, 0)
	sim := run(t, table, p, []analyze.Request{r, other}, Options{By: []string{"model"}})

	// 1001 × 0.5 = 500.5 → 501; 15 × 1.1 = 16.5 → 17. chat does not match.
	checkCount(t, "input", sim.Projected.InputTokens, 501+1000)
	checkCount(t, "output", sim.Projected.OutputTokens, 17)
	// claude-3-haiku $0.25 in, $1.25 out: 501 × 0.25 + 17 × 1.25 = 146.5 µ$;
	// chat stays on claude-3-5-haiku: 1000 × 0.8 = 800 µ$.
	checkUSD(t, "projected", sim.Projected.CostUSD, 0.0001465+0.0008)
	if len(sim.Groups) != 2 || sim.Groups[0].Key["model"] != "claude-3-5-haiku" {
		t.Errorf("groups %+v, want claude-3-5-haiku first (highest baseline)", sim.Groups)
	}
}

func TestRouteFirstMatchAndBounds(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `
route:
  - match: {min_input_tokens: 5000}
    model: claude-3-5-sonnet-20241022
  - match: {tier: [free], max_input_tokens: 4999}
    model: claude-3-haiku-20240307
`)
	big := newRequest(t, table, "claude-3-5-haiku-20241022", "a", 0, 5000, 0)
	small := newRequest(t, table, "claude-3-5-haiku-20241022", "a", 0, 4999, 0)
	small.Tier = "free"
	paid := newRequest(t, table, "claude-3-5-haiku-20241022", "a", 0, 4999, 0)
	paid.Tier = "pro"
	sim := run(t, table, p, []analyze.Request{big, small, paid}, Options{})

	// big → sonnet 5000 × 3 = 15000 µ$; small → claude-3-haiku 4999 × 0.25 =
	// 1249.75 µ$; paid matches no rule: 4999 × 0.8 = 3999.2 µ$.
	checkUSD(t, "projected", sim.Projected.CostUSD, 0.015+0.00124975+0.0039992)
}

func TestRouteBelowNewMinimumUncachesLoggedCache(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, "route: [{match: {}, model: claude-3-haiku-20240307}]")
	r := newRequest(t, table, "claude-3-5-sonnet-20241022", "a", 0, 100, 0)
	r.Tokens[pricing.CacheRead] = 1500
	reprice(t, table, &r)
	sim := run(t, table, p, []analyze.Request{r}, Options{})

	// 1600 input tokens < 2048, claude-3-haiku's minimum: all uncached.
	checkCount(t, "input", sim.Projected.InputTokens, 1600)
	checkCount(t, "cache reads", sim.Projected.CacheReadTokens, 0)
	checkUSD(t, "projected", sim.Projected.CostUSD, 0.0004)
}

func TestRouteStartsNewModelCacheCold(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, "route: [{match: {}, model: claude-3-5-sonnet-20241022}]")
	turn := func(session string, offset time.Duration) analyze.Request {
		r := newRequest(t, table, "claude-3-7-sonnet-20250219", "chat", offset, 1000, 100)
		r.Session = session
		r.Tokens[pricing.CacheRead] = 10000
		reprice(t, table, &r)
		return r
	}
	reqs := []analyze.Request{
		turn("s1", 0),              // first use of the key: cold
		turn("s1", time.Minute),    // within 5 minutes of the last use: warm
		turn("s2", 2*time.Minute),  // another session: cold
		turn("s1", 10*time.Minute), // 9 minutes after the last use: cold again
	}
	sim := run(t, table, p, reqs, Options{})

	// claude-3-5-sonnet-20241022 per million tokens: input 3, cache read 0.3, 5-minute
	// write 3.75, output 15. Cold: 1000×3 + 10000×3.75 + 100×15 = 42000 µ$.
	// Warm: 1000×3 + 10000×0.3 + 100×15 = 7500 µ$.
	checkCount(t, "cache reads", sim.Projected.CacheReadTokens, 10000)
	checkCount(t, "cache writes", sim.Projected.CacheWriteTokens, 30000)
	checkUSD(t, "projected", sim.Projected.CostUSD, 3*0.042+0.0075)
}

func TestRouteColdCacheOneHourWrites(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, "route: [{match: {}, model: claude-3-5-sonnet-20241022}]")
	turn := func(offset time.Duration) analyze.Request {
		r := newRequest(t, table, "claude-3-7-sonnet-20250219", "chat", offset, 0, 0)
		r.Session = "s1"
		r.Tokens[pricing.CacheRead] = 10000
		r.Tokens[pricing.CacheWrite1h] = 1000
		reprice(t, table, &r)
		return r
	}
	sim := run(t, table, p, []analyze.Request{turn(0), turn(30 * time.Minute)}, Options{})

	// First turn: 11000 one-hour writes × 6 = 66000 µ$. Second, 30 minutes
	// later and within the hour: 10000 reads × 0.3 + 1000 writes × 6 =
	// 9000 µ$.
	checkUSD(t, "projected", sim.Projected.CostUSD, 0.066+0.009)
}

func TestBatchStacksWithCachePrices(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, "batch: {endpoints: [nightly]}")
	r := newRequest(t, table, "claude-3-5-haiku-20241022", "nightly", 0, 1_000_000, 0)
	r.Tokens[pricing.CacheRead] = 1_000_000
	reprice(t, table, &r)
	day := newRequest(t, table, "claude-3-5-haiku-20241022", "chat", 0, 1_000_000, 0)
	sim := run(t, table, p, []analyze.Request{r, day}, Options{})

	// nightly: (0.80 + 0.08) × 0.5 = 0.44; chat stays 0.80.
	checkUSD(t, "baseline", sim.Baseline.CostUSD, 0.88+0.80)
	checkUSD(t, "projected", sim.Projected.CostUSD, 0.44+0.80)
}

func TestStructuredOutput(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `structured_output: {output_change: {plan: -0.35, "*": 0.1}, input_overhead_tokens: {plan: 150}}`)
	plan := newRequest(t, table, "claude-3-5-haiku-20241022", "plan", 0, 1000, 10)
	chat := newRequest(t, table, "claude-3-5-haiku-20241022", "chat", 0, 1000, 25)
	sim := run(t, table, p, []analyze.Request{plan, chat}, Options{})

	// plan: 10 × 0.65 = 6.5 → 7 output, 1000 + 150 input. chat ("*"):
	// 25 × 1.1 = 27.5 → 28 output, no overhead.
	checkCount(t, "output", sim.Projected.OutputTokens, 7+28)
	checkCount(t, "input", sim.Projected.InputTokens, 2150)
}

func TestWaterfallStandaloneAndCumulative(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `
route: [{match: {}, model: claude-3-haiku-20240307}]
batch: {endpoints: [a]}
`)
	r := newRequest(t, table, "claude-3-5-haiku-20241022", "a", 0, 1_000_000, 0)
	sim := run(t, table, p, []analyze.Request{r}, Options{})

	// Baseline 0.80. Route alone 0.25 (saves 0.55); batch alone 0.40 (saves
	// 0.40); both 0.125 (cumulative savings 0.55, then 0.675).
	want := []LeverResult{
		{Name: "route", StandaloneSavingsUSD: 0.55, CumulativeSavingsUSD: 0.55, CumulativeCostUSD: 0.25},
		{Name: "batch", StandaloneSavingsUSD: 0.40, CumulativeSavingsUSD: 0.675, CumulativeCostUSD: 0.125},
	}
	if len(sim.Levers) != len(want) {
		t.Fatalf("levers %+v, want %+v", sim.Levers, want)
	}
	for i, w := range want {
		got := sim.Levers[i]
		if got.Name != w.Name || !near(got.StandaloneSavingsUSD, w.StandaloneSavingsUSD) ||
			!near(got.CumulativeSavingsUSD, w.CumulativeSavingsUSD) || !near(got.CumulativeCostUSD, w.CumulativeCostUSD) {
			t.Errorf("lever %d = %+v, want %+v", i, got, w)
		}
	}
	checkUSD(t, "savings pct", sim.SavingsPct, 84.375) // 0.675 / 0.80
}

func TestQualityWeightedAndFlagged(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `
route: [{match: {endpoint: [a]}, model: claude-3-haiku-20240307}]
quality:
  scores: {a: {claude-3-5-haiku-20241022: 0.9, claude-3-haiku-20240307: 0.8}}
  min: {a: 0.85}
`)
	reqs := []analyze.Request{
		newRequest(t, table, "claude-3-5-haiku-20241022", "a", 0, 10, 1),
		newRequest(t, table, "claude-3-5-haiku-20241022", "a", time.Hour, 10, 1),
		newRequest(t, table, "claude-3-5-haiku-20241022", "b", 2*time.Hour, 10, 1),
	}
	sim := run(t, table, p, reqs, Options{})

	q := sim.Quality
	checkCount(t, "scored", q.Scored, 2)
	if q.Before == nil || !near(*q.Before, 0.9) || q.After == nil || !near(*q.After, 0.8) {
		t.Errorf("quality before %v after %v, want 0.9 and 0.8", q.Before, q.After)
	}
	if len(q.Endpoints) != 1 || !q.Endpoints[0].BelowMin {
		t.Errorf("endpoints %+v, want a below its minimum", q.Endpoints)
	}
	if len(sim.Warnings) != 1 {
		t.Errorf("warnings %q, want the flagged rule", sim.Warnings)
	}
}

func TestMonthlyProjection(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, "")
	a := newRequest(t, table, "claude-3-5-haiku-20241022", "a", 0, 1_000_000, 0)
	b := newRequest(t, table, "claude-3-5-haiku-20241022", "a", 0, 1_000_000, 0)
	b.Time = a.Time.AddDate(0, 0, 2)
	sim := run(t, table, p, []analyze.Request{a, b}, Options{})

	// $1.60 over 2 days → $24 in 30 days.
	checkUSD(t, "monthly", sim.Monthly.BaselineUSD, 24)
	checkUSD(t, "monthly projected", sim.Monthly.ProjectedUSD, 24)
	checkUSD(t, "per request", sim.PerRequest.BaselineUSD, 0.8)
}

func TestUnpricedAndNoUsagePassThrough(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, "route: [{match: {}, model: claude-3-haiku-20240307}]")
	unknown := analyze.Request{Model: "acme-7b", Endpoint: "a", Time: t0, Status: analyze.StatusOK}
	unknown.Tokens[pricing.Input] = 1000
	noUsage := newRequest(t, table, "claude-3-5-haiku-20241022", "a", 0, 0, 0)
	noUsage.Status = analyze.StatusNoUsage
	sim := run(t, table, p, []analyze.Request{unknown, noUsage}, Options{})

	checkCount(t, "unpriced", sim.Projected.UnpricedRequests, 1)
	checkCount(t, "unknown cost", sim.Projected.UnknownCostRequests, 1)
	checkUSD(t, "projected", sim.Projected.CostUSD, 0)
}

func TestSampledTrafficRejectedByCache(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `cache: {prefix_tokens: {"*": 2048}}`)
	r := newRequest(t, table, "claude-3-5-haiku-20241022", "a", 0, 3000, 0)
	r.SampleRate = 0.1
	scan := func(fn func(*analyze.Request) error) error { return fn(&r) }
	if _, err := Run(scan, p, table, Options{}); err == nil {
		t.Error("run on sampled traffic succeeded, want an error")
	}
}

func TestSameInputSameJSON(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `
route: [{match: {endpoint: [chat]}, model: claude-3-haiku-20240307}]
cache: {prefix_tokens: {"*": 2048}}
structured_output: {output_change: {"*": -0.1}}
`)
	reqs := bursts(t, table)
	for i := range reqs {
		reqs[i].Endpoint = []string{"chat", "plan", "sum"}[i%3]
	}
	encode := func() []byte {
		data, err := json.Marshal(run(t, table, p, reqs, Options{By: []string{"endpoint", "model", "hour"}}))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	if a, b := encode(), encode(); !bytes.Equal(a, b) {
		t.Error("two runs on the same input gave different JSON")
	}
}
