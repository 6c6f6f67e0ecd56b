package simulate

import (
	"slices"
	"strconv"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// cellSet accumulates the projected traffic into report cells.
type cellSet struct {
	by    []string
	loc   *time.Location
	cells map[string]*analyze.Cell
	id    []byte // identity of the cell being looked up
}

func newCellSet(by []string, loc *time.Location) *cellSet {
	return &cellSet{by: by, loc: loc, cells: map[string]*analyze.Cell{}}
}

// add counts r in the cell of key (r's values of the --by dimensions) and
// r's price fields. A summariser call adds tokens to a cell of the
// summariser model without adding a request.
func (s *cellSet) add(key []string, r *analyze.Request, isRequest bool) {
	s.id = appendKey(s.id[:0], key)
	for _, v := range [...]string{r.Provider, r.Model, r.ModelID, r.PriceRowID} {
		s.id = append(append(s.id, 0), v...)
	}
	s.id = strconv.AppendInt(append(s.id, 0), int64(r.ContextBand), 10)
	for _, v := range [...]string{r.ServiceTier, r.InferenceGeo, r.Speed} {
		s.id = append(append(s.id, 0), v...)
	}

	cur, ok := s.cells[string(s.id)]
	if !ok {
		cur = &analyze.Cell{
			Key: key, Provider: r.Provider, Model: r.Model, ModelID: r.ModelID,
			PriceRowID: r.PriceRowID, ContextBand: r.ContextBand, ServiceTier: r.ServiceTier,
			InferenceGeo: r.InferenceGeo, Speed: r.Speed,
		}
		s.cells[string(s.id)] = cur
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
