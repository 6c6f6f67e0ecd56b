package analyze

import (
	"fmt"
	"sort"

	"github.com/costctl/costctl/pricing"
)

// CellDoc is a cell as report and simulate documents carry it, so that
// check can explain a change cell by cell.
type CellDoc struct {
	Key                 map[string]any     `json:"key"`
	ModelID             string             `json:"model_id"`
	Model               string             `json:"model"`
	Provider            string             `json:"provider"`
	PriceRowID          string             `json:"price_row_id"`
	ServiceTier         string             `json:"service_tier"`
	ContextBand         int                `json:"context_band"`
	InferenceGeo        string             `json:"inference_geo"`
	Speed               string             `json:"speed"`
	Requests            int64              `json:"requests"`
	UnknownCostRequests int64              `json:"unknown_cost_requests"`
	Tokens              map[string]int64   `json:"tokens"`
	WebSearches         int64              `json:"web_searches"`
	CostUSD             float64            `json:"cost_usd"`
	CostByClassUSD      map[string]float64 `json:"cost_by_class_usd"`
}

// cellPricer prices cells with one table, remembering unit prices per
// (row, band, modifiers) and rows the table no longer has.
type cellPricer struct {
	table   *pricing.Table
	units   map[unitKey]pricing.UnitPrices
	missing map[string]bool
}

type unitKey struct {
	row  string
	band int
	mods pricing.Modifiers
}

func newCellPricer(table *pricing.Table) *cellPricer {
	return &cellPricer{table: table, units: map[unitKey]pricing.UnitPrices{}, missing: map[string]bool{}}
}

// price returns the cell's tally and its document form.
func (p *cellPricer) price(c *Cell, by []string) (tally, CellDoc, error) {
	doc := newCellDoc(c, by)
	t, err := p.priceInto(c, &doc)
	return t, doc, err
}

// priceInto returns the cell's tally and fills doc's cost fields when doc
// is not nil. Building no document saves two maps per cell for output that
// prints no cells.
func (p *cellPricer) priceInto(c *Cell, doc *CellDoc) (tally, error) {
	t := tally{requests: c.Requests, noUsage: c.NoUsage, usage: c.Usage}

	units, ok, err := p.unitPrices(c)
	if err != nil {
		return t, err
	}
	if !ok {
		// A row the active table no longer has prices nothing: the cell
		// shows it by an empty row id, as an unknown model's does. Requests
		// that billed no token and no call (refused before any work) cost
		// $0 whatever the price, so they are not unpriced.
		if doc != nil {
			doc.PriceRowID = ""
		}
		if c.Usage.Total() > 0 || c.Usage.WebSearches > 0 {
			t.unpriced = c.Requests - c.NoUsage
		}
		return t, nil
	}

	for cl := pricing.Class(0); cl < pricing.NumClasses; cl++ {
		var m pricing.Money
		m.AddTokens(c.Usage.Tokens[cl], units.PerToken[cl])
		t.cost.Add(m)
		if doc != nil {
			doc.CostByClassUSD[cl.String()] = m.USD()
		}
	}
	var fees pricing.Money
	fees.AddTokens(c.Usage.WebSearches, units.WebSearch)
	t.cost.Add(fees)
	if doc != nil {
		doc.CostByClassUSD["web_search"] = fees.USD()
		doc.CostUSD = t.cost.USD()
	}

	t.list = t.cost
	t.cost = pricing.Discounted(t.list, p.discount(c))
	return t, nil
}

func (p *cellPricer) unitPrices(c *Cell) (pricing.UnitPrices, bool, error) {
	if c.PriceRowID == "" {
		return pricing.UnitPrices{}, false, nil
	}
	k := unitKey{c.PriceRowID, c.ContextBand, pricing.Modifiers{ServiceTier: c.ServiceTier, InferenceGeo: c.InferenceGeo, Speed: c.Speed}}
	if u, ok := p.units[k]; ok {
		return u, true, nil
	}
	if _, ok := p.table.Row(c.PriceRowID); !ok {
		p.missing[c.PriceRowID] = true
		return pricing.UnitPrices{}, false, nil
	}
	u, err := p.table.UnitPrices(k.row, k.band, k.mods)
	if err != nil {
		return u, false, fmt.Errorf("price row %s: %w", c.PriceRowID, err)
	}
	p.units[k] = u
	return u, true, nil
}

func (p *cellPricer) warnings() []string {
	rows := make([]string, 0, len(p.missing))
	for r := range p.missing {
		rows = append(rows, r)
	}
	sort.Strings(rows)

	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("price row %s is not in the active price table: its requests are shown as unpriced (run costctl reprice)", r))
	}
	return out
}

func newCellDoc(c *Cell, by []string) CellDoc {
	doc := CellDoc{
		Key: KeyObject(by, c.Key), ModelID: c.ModelID, Model: c.Model, Provider: c.Provider,
		PriceRowID: c.PriceRowID, ServiceTier: c.ServiceTier, ContextBand: c.ContextBand,
		InferenceGeo: c.InferenceGeo, Speed: c.Speed,
		Requests: c.Requests, UnknownCostRequests: c.NoUsage, WebSearches: c.Usage.WebSearches,
		Tokens: map[string]int64{}, CostByClassUSD: map[string]float64{},
	}
	for cl := pricing.Class(0); cl < pricing.NumClasses; cl++ {
		doc.Tokens[cl.String()] = c.Usage.Tokens[cl]
		doc.CostByClassUSD[cl.String()] = 0
	}
	doc.CostByClassUSD["web_search"] = 0
	return doc
}
