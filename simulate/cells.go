package simulate

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// keyOf returns a request's value of each --by dimension, labelled as the
// store labels them: model is the canonical id when priced, day and hour
// are taken in loc.
func keyOf(by []string, r *analyze.Request, loc *time.Location) []string {
	key := make([]string, len(by))
	for i, dim := range by {
		key[i] = dimValue(dim, r, loc)
	}
	return key
}

func dimValue(dim string, r *analyze.Request, loc *time.Location) string {
	switch dim {
	case analyze.DimEndpoint:
		return r.Endpoint
	case analyze.DimTier:
		return r.Tier
	case analyze.DimCustomer:
		return r.Customer
	case analyze.DimUser:
		return r.User
	case analyze.DimSession:
		return r.Session
	case analyze.DimModel:
		return cmp.Or(r.ModelID, r.Model)
	case analyze.DimProvider:
		return r.Provider
	case analyze.DimServiceTier:
		return r.ServiceTier
	case analyze.DimWorkspace:
		return r.Workspace
	case analyze.DimProject:
		return r.Project
	case analyze.DimAPIKey:
		return r.APIKey
	case analyze.DimSource:
		return r.Source
	}
	return timeLabel(dim, r.Time.In(loc))
}

// timeLabel labels day, hour_of_day and hour. The hour starts by
// subtracting minutes, so the two 01:00 hours of a fall-back stay apart.
func timeLabel(dim string, t time.Time) string {
	switch dim {
	case analyze.DimDay:
		return t.Format(time.DateOnly)
	case analyze.DimHourOfDay:
		return strconv.Itoa(t.Hour())
	}
	into := time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond())
	return t.Add(-into).Format(time.RFC3339)
}

// keyObject maps each dimension to its value; hour_of_day is a number.
func keyObject(by, key []string) map[string]any {
	obj := make(map[string]any, len(by))
	for i, d := range by {
		if d == analyze.DimHourOfDay {
			h, _ := strconv.Atoi(key[i])
			obj[d] = h
			continue
		}
		obj[d] = key[i]
	}
	return obj
}

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
		Key: keyOf(s.by, r, s.loc), Provider: r.Provider, Model: r.Model, ModelID: r.ModelID,
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
	slices.SortFunc(cells, func(a, b *analyze.Cell) int { return compareCells(s.by, a, b) })

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

func compareCells(by []string, a, b *analyze.Cell) int {
	for i, dim := range by {
		if n := compareKey(dim, a.Key[i], b.Key[i]); n != 0 {
			return n
		}
	}
	return cmp.Or(
		cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.Model, b.Model),
		cmp.Compare(a.ModelID, b.ModelID), cmp.Compare(a.PriceRowID, b.PriceRowID),
		cmp.Compare(a.ContextBand, b.ContextBand), cmp.Compare(a.ServiceTier, b.ServiceTier),
		cmp.Compare(a.InferenceGeo, b.InferenceGeo), cmp.Compare(a.Speed, b.Speed),
	)
}

func compareKey(dim, a, b string) int {
	if dim == analyze.DimHourOfDay {
		x, _ := strconv.Atoi(a)
		y, _ := strconv.Atoi(b)
		return cmp.Compare(x, y)
	}
	return cmp.Compare(a, b)
}

// cellDoc prices one cell class by class, as report does.
func cellDoc(e *engine, c *analyze.Cell, by []string) (analyze.CellDoc, error) {
	d := analyze.CellDoc{
		Key: keyObject(by, c.Key), ModelID: c.ModelID, Model: c.Model, Provider: c.Provider,
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
