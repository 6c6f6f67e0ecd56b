package simulate

import (
	"fmt"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// unitKey identifies the unit prices of one (row, band, modifiers).
type unitKey struct {
	row  string
	band int
	mods pricing.Modifiers
}

// unitPrices returns the request's unit prices, or false when it is
// unpriced (no row, or a row the active table no longer has).
func (e *engine) unitPrices(r *analyze.Request) (pricing.UnitPrices, bool, error) {
	if r.PriceRowID == "" {
		return pricing.UnitPrices{}, false, nil
	}
	k := unitKey{r.PriceRowID, r.ContextBand, pricing.Modifiers{ServiceTier: r.ServiceTier, InferenceGeo: r.InferenceGeo, Speed: r.Speed}}
	if u, ok := e.units[k]; ok {
		return u, true, nil
	}
	if _, ok := e.table.Row(r.PriceRowID); !ok {
		e.warnf("price row %s is not in the active price table: its requests are shown as unpriced (run costctl reprice)", r.PriceRowID)
		return pricing.UnitPrices{}, false, nil
	}

	u, err := e.table.UnitPrices(k.row, k.band, k.mods)
	if err != nil {
		return u, false, fmt.Errorf("price row %s: %w", r.PriceRowID, err)
	}
	e.units[k] = u
	return u, true, nil
}

// reband re-checks the long-context band of a request a lever changed.
func (e *engine) reband(w *work) {
	if !w.changed || w.PriceRowID == "" {
		return
	}
	if row, ok := e.table.Row(w.PriceRowID); ok {
		w.ContextBand = row.Band(w.PromptTokens())
	}
}

// cost returns the exact cost of a request, and false when it is unpriced.
func (e *engine) cost(r *analyze.Request) (pricing.Money, bool, error) {
	var m pricing.Money
	u, ok, err := e.unitPrices(r)
	if err != nil || !ok {
		return m, false, err
	}
	for c := range pricing.NumClasses {
		m.AddTokens(r.Tokens[c], u.PerToken[c])
	}
	m.AddTokens(r.WebSearches, u.WebSearch)
	return m, true, nil
}

// tally accumulates requests, tokens and exact money.
type tally struct {
	requests int64
	priced   int64
	unpriced int64
	noUsage  int64
	usage    pricing.Usage
	cost     pricing.Money
}

// add counts one billed item. Summariser calls add tokens and cost but are
// not requests.
func (t *tally) add(r *analyze.Request, cost pricing.Money, priced, isRequest bool) {
	t.usage.Add(r.Usage)
	t.cost.Add(cost)
	if !isRequest {
		return
	}
	t.requests++
	switch {
	case r.Status == analyze.StatusNoUsage:
		t.noUsage++
	case !priced:
		t.unpriced++
	default:
		t.priced++
	}
}

// figures is the document form, with the same rules as report totals.
func (t *tally) figures() analyze.Figures {
	tok := t.usage.Tokens
	f := analyze.Figures{
		Requests: t.requests, InputTokens: tok[pricing.Input], CacheReadTokens: tok[pricing.CacheRead],
		CacheWrite5mTokens: tok[pricing.CacheWrite5m], CacheWrite1hTokens: tok[pricing.CacheWrite1h],
		CacheWriteTokens: tok[pricing.CacheWrite5m] + tok[pricing.CacheWrite1h],
		OutputTokens:     tok[pricing.Output], ReasoningTokens: t.usage.Reasoning,
		AudioInTokens: tok[pricing.AudioIn], AudioOutTokens: tok[pricing.AudioOut], ImageInTokens: tok[pricing.ImageIn],
		WebSearches: t.usage.WebSearches, CostUSD: t.cost.USD(),
		UnpricedRequests: t.unpriced, UnknownCostRequests: t.noUsage,
	}
	f.ListCostUSD, f.EffectiveCostUSD = f.CostUSD, f.CostUSD
	if prompt := t.usage.PromptTokens(); prompt > 0 {
		f.CacheHitRatio = float64(tok[pricing.CacheRead]) / float64(prompt)
	}
	if t.priced > 0 {
		f.CostPerRequestUSD = t.cost.USD() / float64(t.priced)
	}
	return f
}
