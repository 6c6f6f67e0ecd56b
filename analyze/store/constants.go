package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// findConstants reads the day rollup over the days that cover p's window
// and records the group columns that hold one value there and the counters
// that are zero there, so that the query of p reads neither. It is worth
// its cost on the hour and 15-minute rollups, whose queries read up to 24
// and 96 times more rows than the day rollup.
//
// A dimension that holds one value in every day row holds it in every
// request of those days. A counter that is zero in every day row is zero in
// every request only because counts are never negative, which the writer
// enforces (batch.encode).
func (s *Store) findConstants(ctx context.Context, p *plan) error {
	var cols []string
	for _, c := range p.columns {
		cols = append(cols, fmt.Sprintf("min(%[1]s), max(%[1]s)", c.name))
	}
	for _, c := range rollupValueColumns {
		cols = append(cols, fmt.Sprintf("min(%[1]s), max(%[1]s)", c))
	}
	others := p.ungroupedKeyColumns()
	for _, c := range others {
		cols = append(cols, fmt.Sprintf("min(%[1]s), max(%[1]s)", c))
	}
	where, args := dayRange(p)
	query := "SELECT " + strings.Join(cols, ", ") + " FROM rollup_day WHERE " + where

	bounds := make([]sql.NullInt64, 2*(len(p.columns)+len(rollupValueColumns)+len(others)))
	dest := make([]any, len(bounds))
	for i := range bounds {
		dest[i] = &bounds[i]
	}
	if err := s.db.QueryRowContext(ctx, query, args...).Scan(dest...); err != nil {
		return fmt.Errorf("query cells: read constant columns: %w", err)
	}

	p.constant = map[int]int64{}
	for i := range p.columns {
		if lo, hi := bounds[2*i], bounds[2*i+1]; lo.Valid && lo == hi {
			p.constant[i] = lo.Int64
		}
	}
	values := bounds[2*len(p.columns):]
	for i := range rollupValueColumns {
		lo, hi := values[2*i], values[2*i+1]
		p.zero[i] = lo.Valid && lo.Int64 == 0 && hi.Int64 == 0
	}

	p.rowPerGroup = true
	rest := values[2*len(rollupValueColumns):]
	for i := range others {
		if lo, hi := rest[2*i], rest[2*i+1]; !lo.Valid || lo != hi {
			p.rowPerGroup = false
		}
	}
	return nil
}

// ungroupedKeyColumns returns the rollup key columns, besides bucket, that
// p does not group by.
func (p *plan) ungroupedKeyColumns() []string {
	var out []string
	for _, c := range rollupDimColumns {
		if !slices.ContainsFunc(p.columns, func(g groupColumn) bool { return g.name == c }) {
			out = append(out, c)
		}
	}
	return out
}

// dayRange returns the condition on rollup_day buckets that covers p's
// window: from the day of Since to the day of the last instant before
// Until.
func dayRange(p *plan) (string, []any) {
	var conds []string
	var args []any
	if !p.q.Since.IsZero() {
		conds = append(conds, "bucket >= ?")
		args = append(args, floorDiv(p.q.Since.Unix(), dayRollup.seconds))
	}
	if !p.q.Until.IsZero() {
		conds = append(conds, "bucket <= ?")
		args = append(args, floorDiv(p.q.Until.Unix()-1, dayRollup.seconds))
	}
	if len(conds) == 0 {
		return "1", nil
	}
	return strings.Join(conds, " AND "), args
}
