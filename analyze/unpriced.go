package analyze

import (
	"sort"
	"time"

	"github.com/costctl/costctl/pricing"
)

// UnpricedCauses splits the unpriced requests of one model by the fix each
// needs. ExplainUnpriced fills it. Until it runs, and for the requests it
// does not count, the active table has no model of that name at all.
type UnpricedCauses struct {
	// Repriceable counts requests that the active table prices at their
	// time: they were stored before it did, so costctl reprice prices them.
	Repriceable int64
	// PriceOrigin names the price file of the model that prices the
	// Repriceable requests (pricing.EmbeddedName for the built-in table).
	PriceOrigin string
	// NoRow counts requests of a model that the table has, on days when
	// none of its rows is in effect. FirstDay and LastDay are the first and
	// last such days (UTC).
	NoRow             int64
	FirstDay, LastDay time.Time
	// PricesStart is the first day of the model's first row when every
	// NoRow request predates it, else zero (a gap between rows, or after
	// the last row ends).
	PricesStart time.Time
}

// Unknown returns the requests of a model the active table does not know.
func (m *UnpricedModel) Unknown() int64 {
	return m.Requests - m.StalePrices - m.Causes.Repriceable - m.Causes.NoRow
}

// ExplainUnpriced sorts the unpriced requests of rep's models by cause,
// from dayCells: the cells of the report's window grouped by day only, in
// UTC. Price rows start and end at 00:00 UTC, so a whole day resolves
// to one row or to none.
func ExplainUnpriced(rep *Report, dayCells []Cell, table *pricing.Table) {
	index := map[[2]string]*UnpricedModel{}
	for i := range rep.UnpricedModels {
		m := &rep.UnpricedModels[i]
		index[[2]string{m.Model, m.Provider}] = m
	}

	finder := newModelFinder(table)
	for i := range dayCells {
		c := &dayCells[i]
		m := index[[2]string{c.Model, c.Provider}]
		if m == nil || c.PriceRowID != "" || len(c.Key) != 1 {
			continue
		}
		if c.Usage.Total() == 0 && c.Usage.WebSearches == 0 {
			continue // billed nothing, so BuildReport does not count it unpriced
		}
		day, err := time.Parse(time.DateOnly, c.Key[0])
		if err != nil {
			continue
		}
		m.Causes.add(finder, c, day, c.Requests-c.NoUsage)
	}
}

func (u *UnpricedCauses) add(finder *modelFinder, c *Cell, day time.Time, n int64) {
	if match, ok := finder.table.Resolve(c.Provider, c.Model, day); ok {
		u.Repriceable += n
		u.PriceOrigin = match.Model.Origin
		return
	}
	model := finder.find(c.Provider, c.Model)
	if model == nil || len(model.Rows) == 0 {
		return
	}

	if u.NoRow == 0 || day.Before(u.FirstDay) {
		u.FirstDay = day
	}
	if u.NoRow == 0 || day.After(u.LastDay) {
		u.LastDay = day
	}
	first := model.Rows[0].From
	if u.NoRow == 0 || !u.PricesStart.IsZero() {
		u.PricesStart = first
	}
	if !day.Before(first) {
		u.PricesStart = time.Time{}
	}
	u.NoRow += n
}

// modelFinder finds the model a logged name refers to whatever the date.
// The table resolves names only at an instant, so it tries the first day
// of every row: a model that has any row resolves at that row's first day.
type modelFinder struct {
	table  *pricing.Table
	starts []time.Time
	found  map[[2]string]*pricing.Model
}

func newModelFinder(table *pricing.Table) *modelFinder {
	seen := map[time.Time]bool{}
	var starts []time.Time
	for _, m := range table.Models() {
		for _, r := range m.Rows {
			if !seen[r.From] {
				seen[r.From] = true
				starts = append(starts, r.From)
			}
		}
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	return &modelFinder{table: table, starts: starts, found: map[[2]string]*pricing.Model{}}
}

// find returns the model of provider and name, or nil when no row of the
// table matches them.
func (f *modelFinder) find(provider, name string) *pricing.Model {
	k := [2]string{provider, name}
	if m, ok := f.found[k]; ok {
		return m
	}

	var model *pricing.Model
	for _, at := range f.starts {
		if match, ok := f.table.Resolve(provider, name, at); ok {
			model = match.Model
			break
		}
	}
	f.found[k] = model
	return model
}

// FindModel returns the model that provider and name resolve to on some
// date, or nil when the table has no model of that name.
func FindModel(table *pricing.Table, provider, name string) *pricing.Model {
	return newModelFinder(table).find(provider, name)
}
