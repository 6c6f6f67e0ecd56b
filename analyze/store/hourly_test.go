package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
)

// TestHourlyCellsMatchBuckets compares cells grouped by hour in SQL with
// cells merged from 15-minute buckets, on the rollup and on raw rows.
func TestHourlyCellsMatchBuckets(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	start := mustTime(t, "1969-12-31T22:05:00Z") // before 1970 too: floor division
	var reqs []analyze.Request
	for i := range 400 {
		r := request(fmt.Sprintf("msg_%d", i), start.Add(time.Duration(i)*7*time.Minute), int64(10+i), int64(1+i%7))
		r.Endpoint = []string{"/a", "/b", "/c"}[i%3]
		reqs = append(reqs, r)
	}
	writeAll(t, s, "v1", 64, reqs)

	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	for _, by := range [][]string{{"hour"}, {"endpoint", "day"}, {"hour_of_day", "user"}} {
		for _, loc := range []*time.Location{time.UTC, ny} {
			q := analyze.Query{By: by, Loc: loc}
			hourly, bucketed := cellsWith(t, s, q, true), cellsWith(t, s, q, false)
			if len(hourly) == 0 {
				t.Fatalf("by %v in %s: no cells", by, loc)
			}
			if n, m := groupCount(t, s, q, true), groupCount(t, s, q, false); n >= m {
				t.Errorf("by %v in %s: %d hourly groups, want fewer than %d bucket groups", by, loc, n, m)
			}
			if !reflect.DeepEqual(hourly, bucketed) {
				t.Errorf("by %v in %s: hourly cells differ from bucketed cells", by, loc)
			}
		}
	}
}

func cellsWith(t *testing.T, s *Store, q analyze.Query, hourly bool) []analyze.Cell {
	t.Helper()
	p, err := newPlan(q)
	if err != nil {
		t.Fatal(err)
	}
	p.hourly = hourly
	groups, err := s.groups(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	names, err := s.decode(context.Background(), p, groups)
	if err != nil {
		t.Fatal(err)
	}
	return buildCells(p, groups, names)
}

func TestWholeHourZone(t *testing.T) {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	lo, hi := mustTime(t, "2026-01-01T00:00:00Z"), mustTime(t, "2026-12-31T00:00:00Z")
	if !offsetsDivisible(time.UTC, lo, hi, 3600) {
		t.Error("UTC: want whole hours")
	}
	if offsetsDivisible(kolkata, lo, hi, 3600) {
		t.Error("Asia/Kolkata (+05:30): want not whole hours")
	}
	if offsetsDivisible(time.FixedZone("x", 45*60), lo, hi, 3600) {
		t.Error("+00:45: want not whole hours")
	}
}

func groupCount(t *testing.T, s *Store, q analyze.Query, hourly bool) int {
	t.Helper()
	p, err := newPlan(q)
	if err != nil {
		t.Fatal(err)
	}
	p.hourly = hourly
	groups, err := s.groups(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return countGroups(groups)
}
