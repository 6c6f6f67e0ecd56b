package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// coarseRequests are four requests on 2026-03-01 and 02, before New York
// switches to daylight-saving time on 2026-03-08.
func coarseRequests(t *testing.T) []analyze.Request {
	reqs := []analyze.Request{
		request("r1", mustTime(t, "2026-03-01T10:05:00Z"), 10, 1),
		request("r2", mustTime(t, "2026-03-01T10:50:00Z"), 20, 2),
		request("r3", mustTime(t, "2026-03-01T11:10:00Z"), 40, 4),
		request("r4", mustTime(t, "2026-03-02T00:30:00Z"), 80, 8),
	}
	reqs[3].Endpoint = "/b"
	for i := range 3 {
		reqs[i].Endpoint = "/a"
	}
	return reqs
}

// cellSum is the part of a cell these tests compute by hand.
type cellSum struct {
	key      string
	requests int64
	input    int64
}

func sums(cells []analyze.Cell) []cellSum {
	var out []cellSum
	for _, c := range cells {
		out = append(out, cellSum{fmt.Sprint(c.Key), c.Requests, c.Usage.Tokens[pricing.Input]})
	}
	return out
}

// chosenTable returns the table Cells reads for q: a rollup table's name or
// "requests".
func chosenTable(t *testing.T, s *Store, q analyze.Query) string {
	t.Helper()
	p, err := newPlan(q)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.choosePlan(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p.tableName()
}

// TestCoarseRollupsByHand checks cells of the hour and day rollups, and the
// fallbacks, against sums worked out by hand from coarseRequests.
func TestCoarseRollupsByHand(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 2, coarseRequests(t))
	ny, kolkata := loadZone(t, "America/New_York"), loadZone(t, "Asia/Kolkata")

	cases := []struct {
		name  string
		q     analyze.Query
		table string
		want  []cellSum
	}{
		{"hour in UTC", analyze.Query{By: []string{"hour"}}, "rollup_hour", []cellSum{
			{"[2026-03-01T10:00:00Z]", 2, 30}, {"[2026-03-01T11:00:00Z]", 1, 40}, {"[2026-03-02T00:00:00Z]", 1, 80},
		}},
		{"day in UTC", analyze.Query{By: []string{"day"}}, "rollup_day", []cellSum{
			{"[2026-03-01]", 3, 70}, {"[2026-03-02]", 1, 80},
		}},
		{"endpoint", analyze.Query{By: []string{"endpoint"}}, "rollup_day", []cellSum{
			{"[/a]", 3, 70}, {"[/b]", 1, 80},
		}},
		// r4 is 19:30 on March 1 in New York (UTC-5).
		{"day in New York", analyze.Query{By: []string{"day"}, Loc: ny}, "rollup_hour", []cellSum{
			{"[2026-03-01]", 4, 150},
		}},
		// +05:30: r1 is 15:35, r2 16:20, r3 16:40 and r4 06:00 the next day.
		{"hour in Kolkata", analyze.Query{By: []string{"hour"}, Loc: kolkata}, "rollup", []cellSum{
			{"[2026-03-01T15:00:00+05:30]", 1, 10}, {"[2026-03-01T16:00:00+05:30]", 2, 60}, {"[2026-03-02T06:00:00+05:30]", 1, 80},
		}},
		{"endpoint in Kolkata", analyze.Query{By: []string{"endpoint"}, Loc: kolkata}, "rollup_day", []cellSum{
			{"[/a]", 3, 70}, {"[/b]", 1, 80},
		}},
		// The window starts in the middle of an hour, after r1.
		{"hour from 10:30", analyze.Query{By: []string{"hour"}, Since: mustTime(t, "2026-03-01T10:30:00Z")}, "rollup", []cellSum{
			{"[2026-03-01T10:00:00Z]", 1, 20}, {"[2026-03-01T11:00:00Z]", 1, 40}, {"[2026-03-02T00:00:00Z]", 1, 80},
		}},
		{"endpoint from 11:00", analyze.Query{By: []string{"endpoint"}, Since: mustTime(t, "2026-03-01T11:00:00Z")}, "rollup_hour", []cellSum{
			{"[/a]", 1, 40}, {"[/b]", 1, 80},
		}},
		{"endpoint to 10:07", analyze.Query{By: []string{"endpoint"}, Until: mustTime(t, "2026-03-01T10:07:00Z")}, "requests", []cellSum{
			{"[/a]", 1, 10},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := chosenTable(t, s, c.q); got != c.table {
				t.Errorf("table = %s, want %s", got, c.table)
			}
			if got := sums(cellsOf(t, s, c.q)); !reflect.DeepEqual(got, c.want) {
				t.Errorf("cells = %v, want %v", got, c.want)
			}
		})
	}
}

// TestCoarseRollupRows reads the hour and day rollups directly: bucket is
// floor(unix seconds / width), also before 1970.
func TestCoarseRollupRows(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	reqs := append(coarseRequests(t), request("old", mustTime(t, "1969-12-31T23:59:00Z"), 5, 1))
	writeAll(t, s, "v1", 3, reqs)

	hour := func(at string) int64 { return mustTime(t, at).Unix() / 3600 }
	day := func(at string) int64 { return mustTime(t, at).Unix() / 86400 }
	want := map[string][][3]int64{ // bucket, requests, input
		"rollup_hour": {{-1, 1, 5}, {hour("2026-03-01T10:00:00Z"), 2, 30}, {hour("2026-03-01T11:00:00Z"), 1, 40}, {hour("2026-03-02T00:00:00Z"), 1, 80}},
		"rollup_day":  {{-1, 1, 5}, {day("2026-03-01T00:00:00Z"), 3, 70}, {day("2026-03-02T00:00:00Z"), 1, 80}},
	}
	for table, rows := range want {
		if got := rollupRows(t, s, table); !reflect.DeepEqual(got, rows) {
			t.Errorf("%s rows = %v, want %v", table, got, rows)
		}
	}
}

func rollupRows(t *testing.T, s *Store, table string) [][3]int64 {
	t.Helper()
	rows, err := s.db.Query("SELECT bucket, requests, input FROM " + table + " ORDER BY bucket")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][3]int64
	for rows.Next() {
		var r [3]int64
		if err := rows.Scan(&r[0], &r[1], &r[2]); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// TestCoarseRollupsMatchQuarter compares the cells of every table Cells may
// choose with cells from the 15-minute rollup, bucket by bucket, and from
// raw rows, on a store with replaced copies, across the New York
// fall-back.
func TestCoarseRollupsMatchQuarter(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 300, generated(3000))
	ny, kolkata := loadZone(t, "America/New_York"), loadZone(t, "Asia/Kolkata")
	at := func(s string) time.Time { return mustTime(t, s) }

	cases := []struct {
		q     analyze.Query
		table string
	}{
		{analyze.Query{By: []string{"endpoint", "tier", "hour"}}, "rollup_hour"},
		{analyze.Query{By: []string{"endpoint", "tier", "hour"}, Loc: ny}, "rollup_hour"},
		{analyze.Query{By: []string{"endpoint", "tier", "hour"}, Loc: kolkata}, "rollup"},
		{analyze.Query{By: []string{"hour_of_day"}, Loc: ny}, "rollup_hour"},
		{analyze.Query{By: []string{"day"}}, "rollup_day"},
		{analyze.Query{By: []string{"day", "hour"}}, "rollup_hour"},
		{analyze.Query{By: []string{"day", "customer"}, Loc: ny}, "rollup_hour"},
		{analyze.Query{By: []string{"endpoint", "tier"}, Loc: kolkata}, "rollup_day"},
		{analyze.Query{By: []string{"model", "hour"}, Since: at("2025-11-01T13:00:00Z"), Until: at("2025-11-02T07:00:00Z")}, "rollup_hour"},
		{analyze.Query{By: []string{"model", "hour"}, Since: at("2025-11-01T13:15:00Z"), Until: at("2025-11-02T07:00:00Z")}, "rollup"},
		{analyze.Query{By: []string{"endpoint"}, Since: at("2025-11-02T00:00:00Z"), Until: at("2025-11-03T00:00:00Z")}, "rollup_day"},
		{analyze.Query{By: []string{"endpoint"}, SplitAt: []time.Time{at("2025-11-02T00:00:00Z")}}, "rollup_day"},
		{analyze.Query{By: []string{"endpoint"}, SplitAt: []time.Time{at("2025-11-02T12:00:00Z")}}, "rollup_hour"},
		{analyze.Query{By: []string{"hour"}, SplitAt: []time.Time{at("2025-11-02T12:45:00Z")}}, "rollup"},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%v/%s/%s", c.q.By, c.q.Loc, c.table), func(t *testing.T) {
			if got := chosenTable(t, s, c.q); got != c.table {
				t.Errorf("table = %s, want %s", got, c.table)
			}
			got := cellsOf(t, s, c.q)
			if len(got) == 0 {
				t.Fatal("no cells")
			}
			if quarter := quarterCells(t, s, c.q, true); !reflect.DeepEqual(got, quarter) {
				t.Errorf("cells differ from the 15-minute rollup's:\ngot     %+v\nquarter %+v", got, quarter)
			}
			if raw := quarterCells(t, s, c.q, false); !reflect.DeepEqual(got, raw) {
				t.Errorf("cells differ from raw rows':\ngot %+v\nraw %+v", got, raw)
			}
		})
	}
}

// quarterCells runs q on the 15-minute rollup, or on raw rows, with every
// 15-minute bucket its own group.
func quarterCells(t *testing.T, s *Store, q analyze.Query, rollup bool) []analyze.Cell {
	t.Helper()
	p, err := newPlan(q)
	if err != nil {
		t.Fatal(err)
	}
	p.rollup = p.rollup && rollup
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

// TestCoarseRollupsFollowReplacedCopies replaces stored copies with more
// complete ones in other hours and days, and expects the coarse tables to
// move their counters and drop emptied rows.
func TestCoarseRollupsFollowReplacedCopies(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	first := request("same", mustTime(t, "2026-03-01T10:05:00Z"), 10, 1)
	writeAll(t, s, "v1", 10, []analyze.Request{first})

	// More output makes it the more complete copy; it was logged a day later.
	better := request("same", mustTime(t, "2026-03-02T11:05:00Z"), 10, 5)
	if stats := writeAll(t, s, "v1", 10, []analyze.Request{better}); stats.Replaced != 1 {
		t.Fatalf("write stats = %+v, want 1 replaced", stats)
	}

	wantHour := [][3]int64{{mustTime(t, "2026-03-02T11:00:00Z").Unix() / 3600, 1, 10}}
	if got := rollupRows(t, s, "rollup_hour"); !reflect.DeepEqual(got, wantHour) {
		t.Errorf("rollup_hour rows = %v, want %v", got, wantHour)
	}
	wantDay := [][3]int64{{mustTime(t, "2026-03-02T00:00:00Z").Unix() / 86400, 1, 10}}
	if got := rollupRows(t, s, "rollup_day"); !reflect.DeepEqual(got, wantDay) {
		t.Errorf("rollup_day rows = %v, want %v", got, wantDay)
	}
	expectSound(t, s, "after replacing a copy")
}

// TestVerifyCoarseRollupDamage changes the hour rollup only: verify counts
// one key there, and a rebuild repairs it.
func TestVerifyCoarseRollupDamage(t *testing.T) {
	s, _ := verifiedStore(t)
	mustExec(t, s, `UPDATE rollup_hour SET input = input + 1 WHERE bucket = (SELECT min(bucket) FROM rollup_hour)`)

	v := verifyOf(t, s)
	if v.CoarseMismatches["rollup_hour"] != 1 {
		t.Errorf("coarse mismatches = %v, want rollup_hour: 1", v.CoarseMismatches)
	}
	if v.RollupMismatches != 1 || v.OK() {
		t.Errorf("rollup mismatches = %d (ok %v), want 1", v.RollupMismatches, v.OK())
	}
	if _, err := s.RebuildRollup(context.Background()); err != nil {
		t.Fatal(err)
	}
	expectSound(t, s, "after rebuilding the rollups")
}

// TestSortCellsMatchesCompareCells sorts shuffled cells whose keys and
// price fields differ in every field, including hour_of_day values that
// sort differently as numbers and as text, and expects the order of
// slices.SortFunc with analyze.CompareCells.
func TestSortCellsMatchesCompareCells(t *testing.T) {
	by := []string{analyze.DimHourOfDay, analyze.DimEndpoint}
	var cells []analyze.Cell
	for i := range 500 {
		cells = append(cells, analyze.Cell{
			Key:      []string{fmt.Sprint(i % 24), []string{"/b", "/a", ""}[i%3]},
			Provider: []string{"openai", "anthropic"}[i%2], Model: fmt.Sprintf("m%d", i%5), ModelID: fmt.Sprintf("id%d", i%7),
			PriceRowID: fmt.Sprintf("row%d", i%11), ContextBand: i % 2, ServiceTier: []string{"batch", "standard"}[i/2%2],
			InferenceGeo: []string{"", "us"}[i/3%2], Speed: []string{"", "fast"}[i/5%2], Period: i / 250,
			Requests: int64(i),
		})
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(cells), func(i, j int) { cells[i], cells[j] = cells[j], cells[i] })

	want := slices.Clone(cells)
	slices.SortFunc(want, func(a, b analyze.Cell) int { return analyze.CompareCells(by, &a, &b) })
	sortCells(cells, by)
	if !reflect.DeepEqual(cells, want) {
		t.Errorf("sortCells order differs from analyze.CompareCells:\ngot  %v\nwant %v", sums(cells), sums(want))
	}
}

// TestFindConstants expects the columns with one value in the window's
// days, and the counters that are zero there, from coarseRequests: two
// endpoints on March 1, one on March 2, and no cache reads.
func TestFindConstants(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 10, coarseRequests(t))
	for _, c := range []struct {
		name         string
		since, until string
		want         bool // endpoint constant
	}{
		{"whole store", "", "", false},
		{"from March 2", "2026-03-02T00:00:00Z", "", true},
		{"until 11:00 on March 1", "", "2026-03-01T11:00:00Z", true},
		{"until March 2", "", "2026-03-02T00:00:00Z", true},
		{"until 01:00 on March 2", "", "2026-03-02T01:00:00Z", false},
	} {
		q := analyze.Query{By: []string{analyze.DimEndpoint, analyze.DimHour}}
		if c.since != "" {
			q.Since = mustTime(t, c.since)
		}
		if c.until != "" {
			q.Until = mustTime(t, c.until)
		}
		p, err := newPlan(q)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.findConstants(context.Background(), p); err != nil {
			t.Fatal(err)
		}

		endpoint := slices.IndexFunc(p.columns, func(g groupColumn) bool { return g.name == "endpoint" })
		_, constant := p.constant[endpoint]
		if constant != c.want {
			t.Errorf("%s: endpoint constant = %v, want %v", c.name, constant, c.want)
		}
		if _, ok := p.constant[colModel]; !ok {
			t.Errorf("%s: model not constant, want one model", c.name)
		}
		if !p.zero[vTokens+int(pricing.CacheRead)] || p.zero[vTokens+int(pricing.Input)] {
			t.Errorf("%s: zero counters = %v, want cache_read and not input", c.name, p.zero)
		}
	}
}

// TestWriterRejectsNegativeCounts expects an error for a negative token
// count, because queries skip counters that are zero for a whole day.
func TestWriterRejectsNegativeCounts(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	r := request("msg_negative", mustTime(t, "2026-03-01T10:00:00Z"), 10, 1)
	r.Tokens[pricing.CacheRead] = -5
	w, err := s.NewWriter(context.Background(), "v1")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(&r); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Close(); err == nil || !strings.Contains(err.Error(), "negative cache_read count -5") {
		t.Errorf("close error = %v, want one naming the negative cache_read count", err)
	}
	if requests, _ := total(t, s); requests != 0 {
		t.Errorf("stored %d requests, want 0", requests)
	}
}

// TestSortedOrderPackedAndRows sorts the same rank rows by packed keys and,
// with distinct counts too large to pack, by comparing rows, and expects
// both to match a sort of the rows with the index breaking ties.
func TestSortedOrderPackedAndRows(t *testing.T) {
	const n, width = 1000, 3
	rng := rand.New(rand.NewPCG(3, 4))
	distinct := []int{24, 5, 7}
	ranks := make([]int, n*width)
	for i := range ranks {
		ranks[i] = rng.IntN(distinct[i%width])
	}

	want := make([]int, n)
	for i := range want {
		want[i] = i
	}
	slices.SortStableFunc(want, func(a, b int) int {
		return slices.Compare(ranks[a*width:(a+1)*width], ranks[b*width:(b+1)*width])
	})
	if got := sortedOrder(ranks, width, distinct, n); !slices.Equal(got, want) {
		t.Errorf("packed order = %v, want %v", got[:10], want[:10])
	}
	if got := sortedOrder(ranks, width, []int{1 << 40, 1 << 20, 7}, n); !slices.Equal(got, want) {
		t.Errorf("row order = %v, want %v", got[:10], want[:10])
	}
}

// TestRollupUpsertSQLZeroColumns expects zero columns as literal zeros and
// out of the update, and no update when every counter is zero.
func TestRollupUpsertSQLZeroColumns(t *testing.T) {
	zero := make([]bool, rollupColumnCount)
	keys := len(rollupKeyColumns())
	zero[2] = true              // model
	zero[keys+vTokens+1] = true // cache_read
	zero[keys+vWebSearches] = true
	query := rollupUpsertSQL(hourRollup, 1, zero)

	wantTuple := "(?, ?, 0, " + placeholders(keys-3) + ", ?, ?, ?, 0, " + placeholders(numRollupValues-5) + ", 0)"
	if !strings.Contains(query, "VALUES "+wantTuple+" ON CONFLICT") {
		t.Errorf("query = %s, want the tuple %s", query, wantTuple)
	}
	if strings.Contains(query, "cache_read = ") || strings.Contains(query, "web_searches = ") || !strings.Contains(query, "input = input + excluded.input") {
		t.Errorf("query = %s, want input but not cache_read or web_searches updated", query)
	}

	for i := keys; i < len(zero); i++ {
		zero[i] = true
	}
	if query := rollupUpsertSQL(hourRollup, 1, zero); !strings.HasSuffix(query, "DO NOTHING") {
		t.Errorf("query with zero counters = %s, want DO NOTHING", query)
	}
}

// TestRepriceKeepsCoarseRollups reprices a store so that model ids, price
// rows and table versions change, and expects verify to find the hour and
// day rollups in step with the 15-minute rollup and the requests.
func TestRepriceKeepsCoarseRollups(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "old", 200, generated(1500))
	table, err := pricing.Parse([]byte(repriceTable), "test")
	if err != nil {
		t.Fatal(err)
	}

	stats, err := s.Reprice(context.Background(), analyze.Pricer{Table: table}, table.Version())
	if err != nil {
		t.Fatalf("reprice: %v", err)
	}
	if stats.Changed == 0 {
		t.Fatalf("reprice stats = %+v, want changed requests", stats)
	}
	expectSound(t, s, "after repricing")
}
