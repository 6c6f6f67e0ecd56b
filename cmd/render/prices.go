package render

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/costctl/costctl/pricing"
)

// perMTok shows a per-token price in dollars per million tokens, exactly.
func perMTok(p pricing.Pico) string {
	return "$" + strconv.FormatFloat(float64(p)/1e6, 'f', -1, 64)
}

var listedClasses = []pricing.Class{pricing.Input, pricing.Output, pricing.CacheRead, pricing.CacheWrite5m, pricing.CacheWrite1h}

// PriceList writes one line per model with the row in effect at at.
func PriceList(w io.Writer, t *pricing.Table, at time.Time) error {
	g := grid{header: []string{"model", "provider", "input", "output", "cache read", "cache write 5m", "cache write 1h", "from", "defined in"}}
	g.numeric = []bool{false, false, true, true, true, true, true, false, false}
	for _, m := range t.Models() {
		row := rowAt(m, at)
		if row == nil {
			continue
		}
		cells := []string{m.ID, m.Provider}
		for _, c := range listedClasses {
			cells = append(cells, perMTok(row.Prices.PerToken[c]))
		}
		g.rows = append(g.rows, append(cells, row.From.Format(time.DateOnly), origin(m)))
	}
	fmt.Fprintf(w, "price table %s, prices in USD per million tokens at %s\n", t.Version(), at.Format(time.DateOnly))
	return writeTable(w, g)
}

// origin is "built-in" for the embedded table and the override's file name
// otherwise, so a user can see which prices they replaced.
func origin(m *pricing.Model) string {
	if m.Origin == pricing.EmbeddedName {
		return "built-in"
	}
	return "override: " + m.Origin
}

func rowAt(m *pricing.Model, at time.Time) *pricing.Row {
	for _, r := range m.Rows {
		if !at.Before(r.From) && (r.Until.IsZero() || at.Before(r.Until)) {
			return r
		}
	}
	return nil
}

// PriceShow writes how name resolved and every price of the matched row.
func PriceShow(w io.Writer, t *pricing.Table, m pricing.Match, name string) error {
	fmt.Fprintf(w, "%s resolves to %s (%s), row %s, %s\n", name, m.Model.ID, m.Model.Provider, m.Row.ID, origin(m.Model))
	fmt.Fprintf(w, "in effect from %s%s; minimum cacheable prompt %s tokens\n",
		m.Row.From.Format(time.DateOnly), until(m.Row), Count(m.Model.MinCacheTokens))
	if m.Row.Source != "" {
		fmt.Fprintf(w, "source: %s\n", m.Row.Source)
	}

	g := grid{header: []string{"class", "base"}, numeric: []bool{false, true}}
	for _, b := range m.Row.Bands {
		g.header = append(g.header, fmt.Sprintf("prompt > %s", Count(b.Above)))
		g.numeric = append(g.numeric, true)
	}
	for c := pricing.Class(0); c < pricing.NumClasses; c++ {
		cells := []string{c.String(), perMTok(m.Row.Prices.PerToken[c])}
		for _, b := range m.Row.Bands {
			cells = append(cells, perMTok(b.Prices.PerToken[c]))
		}
		g.rows = append(g.rows, cells)
	}
	if err := writeTable(w, g); err != nil {
		return err
	}
	if m.Row.WebSearch > 0 {
		fmt.Fprintf(w, "web search: $%s per 1,000 calls\n", strconv.FormatFloat(float64(m.Row.WebSearch)*1000/pricing.PicoPerUSD, 'f', -1, 64))
	}
	return nil
}

func until(r *pricing.Row) string {
	if r.Until.IsZero() {
		return ""
	}
	return " until " + r.Until.Format(time.DateOnly)
}

// PriceDiff writes the changes from table a to table b, one line each.
func PriceDiff(w io.Writer, a, b *pricing.Table, changes []pricing.Change) error {
	fmt.Fprintf(w, "price table %s -> %s: %s\n", a.Version(), b.Version(), Plural(int64(len(changes)), "change"))
	if len(changes) == 0 {
		return nil
	}
	g := grid{header: []string{"model", "row", "change", "field", "old", "new"}}
	g.numeric = []bool{false, false, false, false, true, true}
	for _, c := range changes {
		g.rows = append(g.rows, []string{c.ModelID, c.RowID, c.Kind, c.Field, c.Old, c.New})
	}
	return writeTable(w, g)
}
