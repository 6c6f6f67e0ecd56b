package simulate

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// cellSet accumulates the projected traffic into report cells.
type cellSet struct {
	by    []string
	loc   *time.Location
	cells map[string]*analyze.Cell
}

func newCellSet(by []string, loc *time.Location) *cellSet {
	return &cellSet{by: by, loc: loc, cells: map[string]*analyze.Cell{}}
}

// add counts r in its cell. A summariser call adds tokens to a cell of the
// summariser model without adding a request.
func (s *cellSet) add(r *analyze.Request, isRequest bool) {
	c := analyze.Cell{
		Key: analyze.RequestKey(s.by, r, s.loc), Provider: r.Provider, Model: r.Model, ModelID: r.ModelID,
		PriceRowID: r.PriceRowID, ContextBand: r.ContextBand, ServiceTier: r.ServiceTier,
		InferenceGeo: r.InferenceGeo, Speed: r.Speed,
	}
	id := strings.Join(append(slices.Clone(c.Key), c.Provider, c.Model, c.ModelID, c.PriceRowID,
		strconv.Itoa(c.ContextBand), c.ServiceTier, c.InferenceGeo, c.Speed), "\x00")
	cur, ok := s.cells[id]
	if !ok {
		cur = &c
		s.cells[id] = cur
	}
	cur.Usage.Add(r.Usage)
	if !isRequest {
		return
	}
	cur.Requests++
	if r.Status == analyze.StatusNoUsage {
		cur.NoUsage++
	}
}

// docs prices each cell and returns them sorted by key, then price fields.
func (s *cellSet) docs(e *engine) ([]analyze.CellDoc, error) {
	cells := make([]*analyze.Cell, 0, len(s.cells))
	for _, c := range s.cells {
		cells = append(cells, c)
	}
	slices.SortFunc(cells, func(a, b *analyze.Cell) int { return analyze.CompareCells(s.by, a, b) })

	out := make([]analyze.CellDoc, 0, len(cells))
	for _, c := range cells {
		d, err := cellDoc(e, c, s.by)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// cellDoc prices one cell class by class, as report does.
func cellDoc(e *engine, c *analyze.Cell, by []string) (analyze.CellDoc, error) {
	d := analyze.CellDoc{
		Key: analyze.KeyObject(by, c.Key), ModelID: c.ModelID, Model: c.Model, Provider: c.Provider,
		PriceRowID: c.PriceRowID, ServiceTier: c.ServiceTier, ContextBand: c.ContextBand,
		InferenceGeo: c.InferenceGeo, Speed: c.Speed, Requests: c.Requests,
		UnknownCostRequests: c.NoUsage, WebSearches: c.Usage.WebSearches,
		Tokens: map[string]int64{}, CostByClassUSD: map[string]float64{"web_search": 0},
	}
	for cl := range pricing.NumClasses {
		d.Tokens[cl.String()] = c.Usage.Tokens[cl]
		d.CostByClassUSD[cl.String()] = 0
	}

	req := analyze.Request{PriceRowID: c.PriceRowID, ContextBand: c.ContextBand, ServiceTier: c.ServiceTier, InferenceGeo: c.InferenceGeo, Speed: c.Speed}
	units, ok, err := e.unitPrices(&req)
	if err != nil || !ok {
		return d, err
	}
	var total pricing.Money
	for cl := range pricing.NumClasses {
		var m pricing.Money
		m.AddTokens(c.Usage.Tokens[cl], units.PerToken[cl])
		total.Add(m)
		d.CostByClassUSD[cl.String()] = m.USD()
	}
	var fees pricing.Money
	fees.AddTokens(c.Usage.WebSearches, units.WebSearch)
	total.Add(fees)
	d.CostByClassUSD["web_search"] = fees.USD()
	d.CostUSD = total.USD()
	return d, nil
}
