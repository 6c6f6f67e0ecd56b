package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"

	"github.com/costctl/costctl/analyze"
)

// scanPlan is the scan query of one window.
type scanPlan struct {
	query  string
	args   []any
	sorted bool // SQLite sorts a pass over the whole table
	priced bool // the query also selects dedup_key
}

// narrowWindowShare decides how a window is read. A window under
// 1/narrowWindowShare of the stored time span is read through the
// requests_time index, with one row lookup per request. A wider one is
// read in table order and sorted by SQLite, in parts on both cores. On
// the 1M-request store of BENCHMARKS.md, a simulation of every row took
// 2.4 to 2.5 s sorted and 3.9 to 4.2 s through the index, even with the
// rows stored in time order.
//
// NOTE: 10 is an estimate that assumes requests spread evenly over time.
// Both plans return the same rows in the same order.
const narrowWindowShare = 10

// sortedParts is the number of parts a sorted scan is split into, at
// equal times. The parts are sorted at once, so both cores sort before the
// first row comes out. Each part costs one more pass over the table.
const sortedParts = 2

// planScans returns the queries that read q's window, in time order:
// one through the time index for a narrow window, else sortedParts
// sorted ones, each for a part of the window.
//
// NOTE: each part reads its own snapshot of the store, so a scan that
// runs while another process commits may see the parts at different
// commits. The parts cover disjoint time ranges, but a request whose
// stored copy is replaced meanwhile by a copy with another time can be
// read in both parts or in neither.
func (s *Store) planScans(ctx context.Context, q analyze.Query, priced bool) ([]scanPlan, error) {
	since, until := windowMillis(q)
	first, last, ok, err := s.storedSpan(ctx)
	if err != nil {
		return nil, err
	}
	from, to := max(since, first), min(until, last+1)
	if !ok || to <= from || (to-from)*narrowWindowShare < last+1-first {
		return []scanPlan{scanQuery(since, until, priced, false)}, nil
	}

	var plans []scanPlan
	start := since
	for i := 1; i < sortedParts; i++ {
		end := from + (to-from)*int64(i)/sortedParts
		plans = append(plans, scanQuery(start, end, priced, true))
		start = end
	}
	return append(plans, scanQuery(start, until, priced, true)), nil
}

// windowMillis returns q's window in Unix milliseconds, with the minimum
// and maximum int64 for an open end.
func windowMillis(q analyze.Query) (since, until int64) {
	since, until = math.MinInt64, math.MaxInt64
	if !q.Since.IsZero() {
		since = ceilMilli(q.Since)
	}
	if !q.Until.IsZero() {
		until = ceilMilli(q.Until)
	}
	return since, until
}

// storedSpan returns the times of the first and last stored request, and
// false for an empty store.
func (s *Store) storedSpan(ctx context.Context) (first, last int64, ok bool, err error) {
	var lo, hi sql.NullInt64
	// Two subqueries, because SQLite reads MIN or MAX from one end of the
	// time index only when the aggregate is alone in its SELECT.
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT MIN(time_ms) FROM requests), (SELECT MAX(time_ms) FROM requests)`).Scan(&lo, &hi)
	if err != nil {
		return 0, 0, false, fmt.Errorf("scan requests: %w", err)
	}
	return lo.Int64, hi.Int64, lo.Valid, nil
}

// scanQuery builds the query for the rows with since ≤ time_ms < until,
// sorted by SQLite or read through the time index. The minimum and
// maximum int64 leave that end of the window open.
func scanQuery(since, until int64, priced, sorted bool) scanPlan {
	plan := scanPlan{priced: priced, sorted: sorted}
	var conds []string
	if since != math.MinInt64 {
		conds = append(conds, "time_ms >= ?")
		plan.args = append(plan.args, since)
	}
	if until != math.MaxInt64 {
		conds = append(conds, "time_ms < ?")
		plan.args = append(plan.args, until)
	}

	var b strings.Builder
	b.WriteString("SELECT " + packedSelect)
	if priced {
		b.WriteString(", dedup_key")
	}
	b.WriteString(" FROM requests")
	if plan.sorted {
		b.WriteString(" NOT INDEXED")
	}
	if len(conds) > 0 {
		b.WriteString(" WHERE " + strings.Join(conds, " AND "))
	}
	b.WriteString(" ORDER BY time_ms, id")
	plan.query = b.String()
	return plan
}

// sortCacheKiB is the page cache, in KiB, of the connection that runs a
// sorted scan. SQLite's sorter (vdbesort.c) also fills that much memory
// before it writes a sorted run to a temporary file, so the setting bounds
// the memory of a sorted scan of any size. A pass in table order needs no
// larger page cache. With two parts sorted at once, 8 MiB kept the peak
// RSS of a 1M-request simulation at about 135 MB, against 190 MB with
// 16 MiB, and its time within the noise of a shared 2-core machine.
const sortCacheKiB = 8 * 1024

// setSortPragmas makes conn's sorter write its runs to temporary files
// instead of memory and caps its memory at sortCacheKiB. The returned
// function restores both settings before conn goes back to the pool.
//
// NOTE: the runs take disk space in SQLite's temporary directory that
// grows with the window: 162 MB in two files for 1M generated requests.
// SQLite deletes them when the query ends.
func setSortPragmas(ctx context.Context, conn *sql.Conn) (func(), error) {
	var cacheSize, tempStore int64
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cacheSize); err != nil {
		return nil, fmt.Errorf("scan requests: read cache_size: %w", err)
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&tempStore); err != nil {
		return nil, fmt.Errorf("scan requests: read temp_store: %w", err)
	}
	set := func(ctx context.Context, cache, temp int64) error {
		_, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d; PRAGMA temp_store = %d", cache, temp))
		return err
	}
	const tempStoreFile = 1
	if err := set(ctx, -sortCacheKiB, tempStoreFile); err != nil {
		return nil, fmt.Errorf("scan requests: set sort pragmas: %w", err)
	}
	// The restore must run even when ctx was cancelled, or the pooled
	// connection would keep the small cache.
	return func() { set(context.WithoutCancel(ctx), cacheSize, tempStore) }, nil
}
