package check

import (
	"math"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
)

// cell builds a priced cell for endpoint ep on model with requests,
// input and output tokens and their costs in USD.
func cell(ep, model string, requests, input int64, inputUSD float64, output int64, outputUSD float64) analyze.CellDoc {
	return analyze.CellDoc{
		Key: map[string]any{"endpoint": ep}, ModelID: model, Model: model, PriceRowID: model + "@2025-01-01",
		ServiceTier: "standard", Requests: requests,
		Tokens:         map[string]int64{"input": input, "output": output},
		CostUSD:        inputUSD + outputUSD,
		CostByClassUSD: map[string]float64{"input": inputUSD, "output": outputUSD},
	}
}

func doc(name string, cells ...analyze.CellDoc) *Document {
	return &Document{Files: []string{name}, Kind: "report", SchemaVersion: 1, By: []string{"endpoint"}, Cells: cells}
}

// The baseline used by most cases: endpoint a on m1 with 10 requests of
// 100 input tokens at $0.001 and 50 output tokens at $0.002 ($2 in all,
// $0.20 a request), endpoint b on m2 with 10 requests of 100 input tokens
// at $0.003 ($3, $0.30 a request). C⁰ = 5, N⁰ = 20.
func baselineDoc() *Document {
	return doc("base.json", cell("a", "m1", 10, 1000, 1.0, 500, 1.0), cell("b", "m2", 10, 1000, 3.0, 0, 0))
}

func TestCompareEffects(t *testing.T) {
	cases := []struct {
		name                          string
		baseline, current             *Document
		change                        float64
		volume, mix, price, tokensEff float64
	}{
		{"unchanged", baselineDoc(), baselineDoc(), 0, 0, 0, 0, 0},
		// Every cell ×1.1: N¹ = 22, C⁰′ = C⁰ = 5, volume = 2·5/20 = 0.5.
		{"ten percent more requests", baselineDoc(),
			doc("cur.json", cell("a", "m1", 11, 1100, 1.1, 550, 1.1), cell("b", "m2", 11, 1100, 3.3, 0, 0)),
			0.5, 0.5, 0, 0, 0},
		// N¹ = N⁰ = 20. a: (5 − 10)·0.20 = −1.0; b: (15 − 10)·0.30 = 1.5.
		{"requests move to the pricier cell", baselineDoc(),
			doc("cur.json", cell("a", "m1", 5, 500, 0.5, 250, 0.5), cell("b", "m2", 15, 1500, 4.5, 0, 0)),
			0.5, 0, 0.5, 0, 0},
		// a's input price doubles: 1000·(0.002 − 0.001) = 1.0.
		{"input price doubles", baselineDoc(),
			doc("cur.json", cell("a", "m1", 10, 1000, 2.0, 500, 1.0), cell("b", "m2", 10, 1000, 3.0, 0, 0)),
			1, 0, 0, 1, 0},
		// a's input per request 100 → 200: 10·100·0.001 = 1.0.
		{"longer prompts", baselineDoc(),
			doc("cur.json", cell("a", "m1", 10, 2000, 2.0, 500, 1.0), cell("b", "m2", 10, 1000, 3.0, 0, 0)),
			1, 0, 0, 0, 1},
		// New cell c: 5 requests, $0.50. N¹ = 25. volume = 5·5/20 = 1.25;
		// mix a = (10 − 12.5)·0.2 = −0.5, b = (10 − 12.5)·0.3 = −0.75,
		// c = 5·0.1 = 0.5 (t⁰ := t¹); mix = −0.75; change 0.5.
		{"new cell", baselineDoc(),
			doc("cur.json", cell("a", "m1", 10, 1000, 1.0, 500, 1.0), cell("b", "m2", 10, 1000, 3.0, 0, 0), cell("c", "m1", 5, 500, 0.5, 0, 0)),
			0.5, 1.25, -0.75, 0, 0},
		// b vanishes: N¹ = 10. volume = −10·5/20 = −2.5; mix a = (10 − 5)·0.2
		// = 1.0, b = (0 − 5)·0.3 = −1.5; mix = −0.5; change −3.
		{"vanished cell", baselineDoc(),
			doc("cur.json", cell("a", "m1", 10, 1000, 1.0, 500, 1.0)),
			-3, -2.5, -0.5, 0, 0},
		// A summariser cell s (no request, 100 input tokens at $0.01 each,
		// $1) beside twice the traffic: N¹/N⁰ = 2. Regular cells: volume
		// 5. s: volume (2 − 1)·100·0.01 = 1, tokens 300·0.01 − 2·1 = 1;
		// change 10 + 3 − (5 + 1) = 7.
		{"summariser cell", doc("base.json", cell("a", "m1", 10, 1000, 1.0, 500, 1.0), cell("b", "m2", 10, 1000, 3.0, 0, 0), cell("s", "m1", 0, 100, 1.0, 0, 0)),
			doc("cur.json", cell("a", "m1", 20, 2000, 2.0, 1000, 2.0), cell("b", "m2", 20, 2000, 6.0, 0, 0), cell("s", "m1", 0, 300, 3.0, 0, 0)),
			7, 6, 0, 0, 1},
		// A summariser cell s new in the current side (no request, 100
		// input tokens at $0.01, $1) beside unchanged traffic: N¹/N⁰ = 1,
		// so its volume is 0 and its whole cost is tokens, not mix, since
		// mix counts requests and s has none. Change 1.
		{"new summariser cell", baselineDoc(),
			doc("cur.json", cell("a", "m1", 10, 1000, 1.0, 500, 1.0), cell("b", "m2", 10, 1000, 3.0, 0, 0), cell("s", "m1", 0, 100, 1.0, 0, 0)),
			1, 0, 0, 0, 1},
		// N⁰ = 0: the whole change, C¹ = 5, is volume.
		{"empty baseline", doc("base.json"), baselineDoc(), 5, 5, 0, 0, 0},
		// Everything vanished: N¹ = 0, volume = −20·5/20 = −5.
		{"empty current", baselineDoc(), doc("cur.json"), -5, -5, 0, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Compare(tc.baseline, tc.current, Options{})
			if err != nil {
				t.Fatal(err)
			}
			near(t, "change_usd", r.ChangeUSD, tc.change)
			near(t, "volume_usd", r.Effects.VolumeUSD, tc.volume)
			near(t, "mix_usd", r.Effects.MixUSD, tc.mix)
			near(t, "price_usd", r.Effects.PriceUSD, tc.price)
			near(t, "tokens_usd", r.Effects.TokensUSD, tc.tokensEff)
			near(t, "sum of effects", r.Effects.Sum(), r.ChangeUSD)
		})
	}
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %.12f, want %.12f", what, got, want)
	}
}

// Each cell's effects add up to that cell's change, so group sums do too.
func TestCellEffectsAddUp(t *testing.T) {
	cur := doc("cur.json", cell("a", "m1", 7, 1400, 1.4, 300, 0.9), cell("c", "m3", 4, 900, 2.7, 100, 0.1))
	r, err := Compare(baselineDoc(), cur, Options{By: []string{"endpoint"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Cells {
		near(t, "cell "+c.Model+" effects", c.Effects.Sum(), c.ChangeUSD)
	}
	for _, g := range r.Groups {
		near(t, "group effects", g.Effects.Sum(), g.ChangeUSD)
	}
	// C¹ = 1.4 + 0.9 + 2.7 + 0.1 = 5.1, C⁰ = 5.
	near(t, "change", r.ChangeUSD, 0.1)
	near(t, "sum", r.Effects.Sum(), 0.1)
}

// A price row change between table versions is a price effect, not a cell
// that vanished and another that appeared.
func TestMatchIgnoresPriceRow(t *testing.T) {
	cur := baselineDoc()
	cur.Cells[1].PriceRowID = "m2@2025-06-01"
	cur.Cells[1].CostByClassUSD["input"] = 4.0 // 1000·(0.004 − 0.003) = 1.0
	cur.Cells[1].CostUSD = 4.0
	r, err := Compare(baselineDoc(), cur, Options{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "price_usd", r.Effects.PriceUSD, 1)
	near(t, "mix_usd", r.Effects.MixUSD, 0)
	if len(r.Cells) != 2 {
		t.Errorf("got %d matched cells, want 2", len(r.Cells))
	}
}

func TestUnpricedKeptApart(t *testing.T) {
	cur := baselineDoc()
	unknown := cell("a", "", 7, 700, 0, 70, 0)
	unknown.Model, unknown.PriceRowID = "acme-llm-7b", ""
	cur.Cells = append(cur.Cells, unknown)
	r, err := Compare(baselineDoc(), cur, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Current.UnpricedRequests != 7 {
		t.Errorf("current unpriced = %d, want 7", r.Current.UnpricedRequests)
	}
	near(t, "change_usd", r.ChangeUSD, 0)
	near(t, "current requests", r.CurrentRequests, 20)
}

// A 7-day baseline costing $5 and a 14-day current window costing $10
// are both $5/7 a day: no change.
func TestPerDayBasis(t *testing.T) {
	start := time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC)
	week, fortnight := start.AddDate(0, 0, 7), start.AddDate(0, 0, 14)
	base := baselineDoc()
	base.Window = analyze.Window{Since: &start, Until: &week}
	cur := doc("cur.json", cell("a", "m1", 20, 2000, 2.0, 1000, 2.0), cell("b", "m2", 20, 2000, 6.0, 0, 0))
	cur.Window = analyze.Window{Since: &start, Until: &fortnight}

	r, err := Compare(base, cur, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Basis != BasisPerDay {
		t.Errorf("basis = %q, want %q", r.Basis, BasisPerDay)
	}
	near(t, "baseline per day", r.BaselineCostUSD, 5.0/7)
	near(t, "current per day", r.CurrentCostUSD, 10.0/14)
	near(t, "change", r.ChangeUSD, 0)
}

func TestCostPerRequest(t *testing.T) {
	// $5 over 20 requests; the current side also has 4 requests without
	// usage, which are not in the count.
	cur := baselineDoc()
	cur.Cells[0].Requests, cur.Cells[0].UnknownCostRequests = 14, 4
	r, err := Compare(baselineDoc(), cur, Options{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "baseline cost per request", r.BaselineCostPerRequestUSD, 0.25)
	near(t, "current cost per request", r.CurrentCostPerRequestUSD, 0.25)
}
