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

	var zones []*time.Location
	for _, name := range []string{"UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Skip("no zone database:", err)
		}
		zones = append(zones, loc)
	}
	for _, by := range [][]string{{"hour"}, {"endpoint", "day"}, {"hour_of_day", "user"}} {
		for _, loc := range zones {
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
	setHourly(t, s, p, hourly)
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

// setHourly makes p group by local hour in SQL, with the shift of q.Loc
// over the stored requests, or by 15-minute bucket.
func setHourly(t *testing.T, s *Store, p *plan, hourly bool) {
	t.Helper()
	p.hourly = hourly
	if !hourly {
		return
	}
	first, last, _, err := s.Bounds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	shift, ok := hourShift(p.q.Loc, first, last.Add(time.Millisecond))
	if !ok {
		t.Fatalf("%s: no single hour shift over the stored requests", p.q.Loc)
	}
	p.hourShift = shift
}

// TestHourShift checks the quarter-hour shifts by hand. Local hours start
// two quarters before UTC hours at +05:30 and three at +05:45 (at :15 UTC).
// Newfoundland's -03:30 and -02:30 both give two, and Lord Howe's +10:30
// and +11:00 differ.
func TestHourShift(t *testing.T) {
	lo, hi := mustTime(t, "2026-01-01T00:00:00Z"), mustTime(t, "2026-12-31T00:00:00Z")
	cases := []struct {
		zone  string
		shift int64
		ok    bool
	}{
		{"UTC", 0, true},
		{"America/New_York", 0, true},
		{"Asia/Kolkata", 2, true},
		{"Asia/Kathmandu", 3, true},
		{"America/St_Johns", 2, true},
		{"Australia/Lord_Howe", 0, false},
	}
	for _, c := range cases {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			t.Skip("no zone database:", err)
		}
		shift, ok := hourShift(loc, lo, hi)
		if shift != c.shift || ok != c.ok {
			t.Errorf("%s: hourShift = %d, %v, want %d, %v", c.zone, shift, ok, c.shift, c.ok)
		}
	}
	if _, ok := hourShift(time.FixedZone("x", 20*60), lo, hi); ok {
		t.Error("+00:20: want no shift, the offset is not whole quarter hours")
	}
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

// groupCount returns the number of rows p's query returns.
func groupCount(t *testing.T, s *Store, q analyze.Query, hourly bool) int {
	t.Helper()
	p, err := newPlan(q)
	if err != nil {
		t.Fatal(err)
	}
	setHourly(t, s, p, hourly)

	// The rows of the query itself: groups merges rows of one cell as it
	// reads them.
	query, args := p.sql()
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM ("+query+")", args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestGroupsMergeCells reads quarter-hour rows for hours of Asia/Kolkata,
// which cannot be grouped by hour in SQL on the rollup, and expects one
// group per cell: the rows of a cell are added up as they are read.
func TestGroupsMergeCells(t *testing.T) {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	s := openTestStore(t, tempStorePath(t))
	start := mustTime(t, "2026-03-01T10:00:00Z")
	var reqs []analyze.Request
	for i := range 8 { // two requests in each quarter from 10:00 to 11:00 UTC
		reqs = append(reqs, request(fmt.Sprintf("msg_%d", i), start.Add(time.Duration(i)*450*time.Second), 10, 1))
	}
	writeAll(t, s, "v1", 100, reqs)

	p, err := newPlan(analyze.Query{By: []string{analyze.DimHour}, Loc: kolkata})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.choosePlan(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	chunks, err := s.groups(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}

	// 10:00 to 11:00 UTC is 15:30 to 16:30 in Kolkata: the local hours 15:00
	// (10:00 to 10:30 UTC) and 16:00 (10:30 to 11:00 UTC), 4 requests each.
	if n := countGroups(chunks); n != 2 {
		t.Fatalf("groups = %d, want 2, one per local hour", n)
	}
	for _, chunk := range chunks {
		for _, g := range chunk {
			if g.values[vRequests] != 4 || g.values[vTokens] != 40 {
				t.Errorf("group at bucket %d: %d requests, %d input, want 4 and 40", g.bucket, g.values[vRequests], g.values[vTokens])
			}
		}
	}
}

// TestRowsAsGroups reads the hour rollup without GROUP BY only when every
// key column the query does not group by holds one value: two customers in
// one hour must still give one cell with both requests.
func TestRowsAsGroups(t *testing.T) {
	at := mustTime(t, "2026-03-01T10:05:00Z")
	for _, customers := range [][]string{{"acme", "acme"}, {"acme", "globex"}} {
		s := openTestStore(t, tempStorePath(t))
		var reqs []analyze.Request
		for i, customer := range customers {
			r := request(fmt.Sprintf("msg_%d", i), at.Add(time.Duration(i)*time.Minute), 10, 1)
			r.Endpoint, r.Customer = "/chat", customer
			reqs = append(reqs, r)
		}
		writeAll(t, s, "v1", 100, reqs)

		q := analyze.Query{By: []string{analyze.DimEndpoint, analyze.DimHour}, Loc: time.UTC}
		p, err := newPlan(q)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.choosePlan(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		if want := customers[0] == customers[1]; p.readsRowsAsGroups() != want {
			t.Errorf("customers %v: rows read as groups = %v, want %v", customers, p.readsRowsAsGroups(), want)
		}

		cells := cellsOf(t, s, q)
		if len(cells) != 1 || cells[0].Requests != 2 || cells[0].Usage.Tokens[0] != 20 {
			t.Errorf("customers %v: cells = %+v, want one cell with 2 requests and 20 input tokens", customers, cells)
		}
	}
}
