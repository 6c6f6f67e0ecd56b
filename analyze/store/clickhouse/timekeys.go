package clickhouse

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
)

// The SQLite store groups by 15-minute bucket and labels each bucket in
// Go, from the bucket's start in the query's zone. Sending every bucket to
// the client is slow on a large store, because a month has 2,880 of them
// per group. So the server groups buckets whose labels are certain to be
// equal, and returns the first bucket of each group for Go to label. Buckets share a label when their starts have the same zone
// offset and fall in the same local day (day), local hour of the day
// (hour_of_day) or local hour (hour). The offsets come from Go's zone
// data as a piecewise-constant function of time, so the server never
// uses its own zone data.

// maxTransitions bounds the offset expression; a zone changes offset about
// twice a year.
const maxTransitions = 512

// timeKeysSQL returns the GROUP BY keys that stand in for the bucket
// when q groups by time dimensions, or nil when the query needs each
// bucket (a split into periods, or a zone with too many transitions in
// [lo, hi)).
func timeKeysSQL(q analyze.Query, lo, hi time.Time) []string {
	if len(q.SplitAt) > 0 {
		return nil
	}
	offset, ok := offsetSQL(q.Loc, lo, hi)
	if !ok {
		return nil
	}
	local := fmt.Sprintf("(%s * 900000 + %s)", bucketSQL, offset)
	keys := []string{offset}
	for _, dim := range q.By {
		switch dim {
		case analyze.DimDay:
			keys = append(keys, floorDiv(local, 86400000))
		case analyze.DimHourOfDay:
			keys = append(keys, floorDiv(floorMod(local, 86400000), 3600000))
		case analyze.DimHour:
			keys = append(keys, floorDiv(local, 3600000))
		}
	}
	return keys
}

// offsetSQL is the zone offset in milliseconds at the start of each
// request's bucket, for buckets starting in [lo, hi).
func offsetSQL(loc *time.Location, lo, hi time.Time) (string, bool) {
	if loc == nil {
		loc = time.UTC
	}
	start := bucketSQL + " * 900000"
	var parts []string
	t := lo
	for range maxTransitions {
		_, off := t.In(loc).Zone()
		_, end := t.In(loc).ZoneBounds()
		if end.IsZero() || !end.Before(hi) {
			if len(parts) == 0 {
				return strconv.Itoa(off * 1000), true
			}
			parts = append(parts, strconv.Itoa(off*1000))
			return "multiIf(" + strings.Join(parts, ", ") + ")", true
		}
		parts = append(parts, fmt.Sprintf("%s < %d", start, end.UnixMilli()), strconv.Itoa(off*1000))
		t = end
	}
	return "", false
}

func floorMod(x string, m int64) string {
	return fmt.Sprintf("((%s %% %d + %d) %% %d)", x, m, m, m)
}

func floorDiv(x string, m int64) string {
	return fmt.Sprintf("intDiv(%s - %s, %d)", x, floorMod(x, m), m)
}

// rawBounds returns the span of the stored copies' bucket starts: every
// chosen copy lies in it.
func (s *Store) rawBounds(ctx context.Context) (lo, hi time.Time, err error) {
	r, err := s.c.query(ctx, "SELECT min("+bucketSQL+"), max("+bucketSQL+") FROM requests")
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("query cells: %w", err)
	}
	defer r.close()
	if !r.next() {
		return time.Time{}, time.Time{}, fmt.Errorf("query cells: %w", r.close())
	}
	f := &fieldReader{fields: r.fields}
	first, last := f.int(), f.int()
	return time.Unix(first*900, 0), time.Unix((last+1)*900, 0), f.err
}
