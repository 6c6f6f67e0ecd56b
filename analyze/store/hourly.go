package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/costctl/costctl/analyze"
)

// wholeHourOffsets reports whether every UTC offset q.Loc uses between the
// window's bounds (the store's first and last request where the window is
// open) is a whole number of hours.
func (s *Store) wholeHourOffsets(ctx context.Context, q analyze.Query) (bool, error) {
	lo, hi := q.Since, q.Until
	if lo.IsZero() || hi.IsZero() {
		var first, last sql.NullInt64
		err := s.db.QueryRowContext(ctx, `SELECT MIN(time_ms), MAX(time_ms) FROM requests`).Scan(&first, &last)
		if err != nil {
			return false, fmt.Errorf("read store bounds: %w", err)
		}
		if !first.Valid {
			return false, nil
		}
		if lo.IsZero() {
			lo = time.UnixMilli(first.Int64)
		}
		if hi.IsZero() {
			hi = time.UnixMilli(last.Int64 + 1)
		}
	}
	return wholeHourZone(q.Loc, lo, hi), nil
}

// wholeHourZone walks the zone's periods from lo to hi.
func wholeHourZone(loc *time.Location, lo, hi time.Time) bool {
	if loc == nil {
		loc = time.UTC
	}
	for t := lo.In(loc); t.Before(hi); {
		if _, offset := t.Zone(); offset%3600 != 0 {
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
