package analyze

import (
	"time"

	"github.com/costctl/costctl/pricing"
)

// AdjustmentSplits returns the instants a cell query must split cells at
// (Query.SplitAt) so that the table's discounts apply to whole cells.
func AdjustmentSplits(t *pricing.Table) []time.Time {
	return t.Adjustments().Boundaries()
}

// discount returns the cell's negotiated discount in millionths of a
// percent. Cells carry list prices in documents; only the tallies, and so
// the totals and groups, are discounted.
//
// NOTE: a cell's period is read against the table's adjustment boundaries,
// so the cells must come from a query with SplitAt = AdjustmentSplits(table).
// Without it every cell is in period 0, and only discounts without a start
// date apply.
func (p *cellPricer) discount(c *Cell) int64 {
	adj := p.table.Adjustments()
	if len(adj.Discounts) == 0 {
		return 0
	}
	start := PeriodStart(adj.Boundaries(), c.Period)
	return adj.DiscountAt(c.Provider, c.ModelID, start)
}
