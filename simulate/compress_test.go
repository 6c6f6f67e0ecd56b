package simulate

import (
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// conversationTurns returns one chat session on claude-3-5-haiku: turns
// with total input in_k, each 100 uncached and the rest cache reads, and
// 50 output tokens, a minute apart.
func conversationTurns(t *testing.T, ins ...int64) []analyze.Request {
	table := embeddedTable(t)
	var reqs []analyze.Request
	for k, in := range ins {
		r := newRequest(t, table, "claude-3-5-haiku-20241022", "chat", time.Duration(k)*time.Minute, 100, 50)
		r.Tokens[pricing.CacheRead] = in - 100
		r.Session = "s1"
		reprice(t, table, &r)
		reqs = append(reqs, r)
	}
	return reqs
}

func TestCompressEveryFiveTurns(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `compress: {every_turns: 5, summary_tokens: 200, model: claude-3-5-haiku-20241022}`)

	// in_k = 1000 + 500(k-1) for k = 1..11, then 800: a drop, so turn 12
	// starts a new segment and is billed as logged.
	ins := []int64{1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 5500, 6000, 800}
	sim := run(t, table, p, conversationTurns(t, ins...), Options{})

	// c = 5: H_6 = 3500 - 1000 = 2500, R = 0, h = 2500 > 200: summary call
	// with input 2500, output 200. Turns 6..10 are billed in_k - 2500 + 200.
	// c = 10: H_11 = 5000, R = 2500 - 200 = 2300, h = 2700 > 200: a second
	// call with input 2700. Turn 11 is billed 6000 - 5000 + 200 = 1200.
	//
	// Cache reads: turns 1-5 Σ(in_k - 100) = 9500; turns 6-10
	// Σ(in_k - 100 - 2500) = 900+1400+1900+2400+2900 = 9500; turn 11
	// 6000 - 100 - 5000 = 900; turn 12 700. Total 20600.
	// Input: 5 × 100 + 6 × (100 + 200) + 100 + summaries 2500 + 2700 = 7600.
	// Output: 12 × 50 + 2 × 200 = 1000.
	checkCount(t, "cache reads", sim.Projected.CacheReadTokens, 20600)
	checkCount(t, "input", sim.Projected.InputTokens, 7600)
	checkCount(t, "output", sim.Projected.OutputTokens, 1000)
	checkCount(t, "requests", sim.Projected.Requests, 12)

	// 7600 × 0.8 + 20600 × 0.08 + 1000 × 4 = 6080 + 1648 + 4000 µ$.
	checkUSD(t, "projected", sim.Projected.CostUSD, 0.011728)

	// Baseline: input 12 × 100 = 1200, cache reads Σ in_k - 1200 = 39300 -
	// 1200 = 38100, output 600: 960 + 3048 + 2400 = 6408 µ$. The history
	// was cache reads, so compression costs 5320 µ$ more, with a warning.
	checkUSD(t, "baseline", sim.Baseline.CostUSD, 0.006408)
	checkUSD(t, "savings", sim.SavingsUSD, -0.00532)
	if len(sim.Warnings) != 1 || !strings.Contains(sim.Warnings[0], "compress: on its own this lever raises the cost by $0.005320") {
		t.Errorf("warnings %q, want one saying compression raises the cost", sim.Warnings)
	}
}

func TestCompressSkipsShortHistory(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `compress: {every_turns: 5, summary_tokens: 200, model: claude-3-5-haiku-20241022}`)

	// in_k = 1000 + 30(k-1). c = 5: h = H_6 = 150 <= 200, no call. c = 10:
	// h = H_11 = 300 > 200: one call with input 300; turn 11 is billed
	// 1300 - 300 + 200 = 1200.
	var ins []int64
	for k := range 11 {
		ins = append(ins, 1000+30*int64(k))
	}
	sim := run(t, table, p, conversationTurns(t, ins...), Options{})

	// Logged total input Σ in_k = 11000 + 30 × 55 = 12650; turn 11 sheds
	// 100; the call adds 300 input. Output 11 × 50 + 200.
	checkCount(t, "prompt tokens", sim.Projected.InputTokens+sim.Projected.CacheReadTokens, 12650-100+300)
	checkCount(t, "output", sim.Projected.OutputTokens, 750)
}

func TestCompressOnlyListedEndpointsWithSession(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `compress: {every_turns: 1, summary_tokens: 10, model: claude-3-5-haiku-20241022, endpoints: [chat]}`)
	reqs := conversationTurns(t, 1000, 2000, 3000)
	other := conversationTurns(t, 1000, 2000, 3000)
	for i := range other {
		other[i].Endpoint = "plan"
	}
	noSession := conversationTurns(t, 1000, 2000, 3000)
	for i := range noSession {
		noSession[i].Session = ""
	}
	sim := run(t, table, p, append(append(reqs, other...), noSession...), Options{})

	// Only the chat session compresses. Turn 2: h = 1000 > 10, call input
	// 1000, billed 2000 - 1000 + 10 = 1010. Turn 3: h = 2000 - 990 = 1010,
	// call input 1010, billed 3000 - 2000 + 10 = 1010. The other six turns
	// stay 2 × 6000. Prompt tokens: 1000 + 1010 + 1010 + 12000 + calls 2010.
	checkCount(t, "prompt tokens", sim.Projected.InputTokens+sim.Projected.CacheReadTokens, 1000+1010+1010+12000+2010)
}
