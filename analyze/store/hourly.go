package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/costctl/costctl/analyze"
)

// timeBoundsSQL reads the first and last request time. It uses two
// subqueries, not one SELECT of MIN and MAX, because SQLite reads a lone
// MIN or MAX with one lookup in the requests_time index but scans the
// whole index for both at once.
const timeBoundsSQL = `SELECT (SELECT MIN(time_ms) FROM requests), (SELECT MAX(time_ms) FROM requests)`

// choosePlan picks the coarsest rollup table that gives the same cells as
// the 15-minute rollup and, for time dimensions on the 15-minute rollup or
// raw rows, whether to group by hour in SQL.
func (s *Store) choosePlan(ctx context.Context, p *plan) error {
	var window *zoneWindow
	if p.rollup {
		if err := s.chooseRollup(ctx, p, &window); err != nil {
			return err
		}
		if p.table != quarterRollup {
			return nil
		}
	}

	if p.bucket && len(p.q.SplitAt) == 0 {
		if err := s.loadZoneWindow(ctx, p.q, &window); err != nil {
			return err
		}
		if !window.empty {
			p.hourShift, p.hourly = hourShift(p.q.Loc, window.lo, window.hi)
		}
		// On the 15-minute rollup a shifted hour costs SQLite a sort of
		// every row. That took a report by model and day in Asia/Kolkata
		// over 10M requests from 0.34 to 1.7 s, so there only whole-hour
		// zones group by hour in SQL. Raw rows are sorted for grouping
		// anyway.
		if p.rollup && p.hourShift != 0 {
			p.hourly = false
		}
	}
	return nil
}

// hourShift returns the number of 15-minute buckets by which loc's hours
// start before UTC hours, when every offset loc uses from lo to hi gives
// the same one. A zone with offsets of different fractions of an hour in
// the window, or an offset that is not a whole number of quarter hours,
// gives false.
func hourShift(loc *time.Location, lo, hi time.Time) (int64, bool) {
	if loc == nil {
		loc = time.UTC
	}
	shift := int64(-1)
	for t := lo.In(loc); t.Before(hi); {
		_, offset := t.Zone()
		rest := ((int64(offset) % 3600) + 3600) % 3600
		if rest%bucketSeconds != 0 || (shift >= 0 && rest/bucketSeconds != shift) {
			return 0, false
		}
		shift = rest / bucketSeconds
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.After(t) {
			break
		}
		t = end.In(loc)
	}
	return max(shift, 0), true
}

// chooseRollup sets p.table to the coarsest rollup table that fits p and,
// unless that is the day rollup, which is small enough to read in full,
// finds the columns the query need not read.
func (s *Store) chooseRollup(ctx context.Context, p *plan, window **zoneWindow) error {
	for _, t := range []rollupTable{dayRollup, hourRollup} {
		ok, err := s.rollupFits(ctx, p, t, window)
		if err != nil {
			return err
		}
		if ok {
			p.table = t
			break
		}
	}
	if p.table == dayRollup {
		return nil
	}
	return s.findConstants(ctx, p)
}

// rollupFits reports whether t gives the same cells as the 15-minute
// rollup: the window bounds and adjustment dates fall on t's bucket bounds,
// and every day or hour label of the query is a union of t's buckets.
func (s *Store) rollupFits(ctx context.Context, p *plan, t rollupTable, window **zoneWindow) (bool, error) {
	if !alignedTo(p.q.Since, t.seconds) || !alignedTo(p.q.Until, t.seconds) {
		return false, nil
	}
	for _, at := range p.q.SplitAt {
		if !alignedTo(at, t.seconds) {
			return false, nil
		}
	}

	hours := slices.Contains(p.q.By, analyze.DimHour) || slices.Contains(p.q.By, analyze.DimHourOfDay)
	switch {
	case hours && t.seconds > 3600:
		return false, nil
	case !hours && !slices.Contains(p.q.By, analyze.DimDay):
		return true, nil
	}
	return s.offsetsDivide(ctx, p.q, t.seconds, window)
}

// zoneWindow is the span whose zone offsets decide which buckets a query
// may use: the query's window, with the store's first and last request in
// place of an open bound. empty is set for a store with no requests.
type zoneWindow struct {
	lo, hi time.Time
	empty  bool
}

// offsetsDivide reports whether every UTC offset q.Loc uses in the window
// is a whole multiple of seconds. It reads the store's bounds once per
// query, into *window.
func (s *Store) offsetsDivide(ctx context.Context, q analyze.Query, seconds int64, window **zoneWindow) (bool, error) {
	if err := s.loadZoneWindow(ctx, q, window); err != nil {
		return false, err
	}
	if (*window).empty {
		return false, nil
	}
	return offsetsDivisible(q.Loc, (*window).lo, (*window).hi, seconds), nil
}

// loadZoneWindow sets *window once per query.
func (s *Store) loadZoneWindow(ctx context.Context, q analyze.Query, window **zoneWindow) error {
	if *window != nil {
		return nil
	}
	w, err := s.zoneWindow(ctx, q)
	if err != nil {
		return err
	}
	*window = w
	return nil
}

func (s *Store) zoneWindow(ctx context.Context, q analyze.Query) (*zoneWindow, error) {
	w := &zoneWindow{lo: q.Since, hi: q.Until}
	if !w.lo.IsZero() && !w.hi.IsZero() {
		return w, nil
	}

	var first, last sql.NullInt64
	if err := s.db.QueryRowContext(ctx, timeBoundsSQL).Scan(&first, &last); err != nil {
		return nil, fmt.Errorf("read store bounds: %w", err)
	}
	if !first.Valid {
		return &zoneWindow{empty: true}, nil
	}
	if w.lo.IsZero() {
		w.lo = time.UnixMilli(first.Int64)
	}
	if w.hi.IsZero() {
		w.hi = time.UnixMilli(last.Int64 + 1)
	}
	return w, nil
}

// offsetsDivisible walks the zone's periods from lo to hi.
func offsetsDivisible(loc *time.Location, lo, hi time.Time, seconds int64) bool {
	if loc == nil {
		loc = time.UTC
	}
	for t := lo.In(loc); t.Before(hi); {
		if _, offset := t.Zone(); int64(offset)%seconds != 0 {
			return false
		}
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.After(t) {
			return true
		}
		t = end.In(loc)
	}
	return true
}
