package clickhouse_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/analyze/store/clickhouse"
	"github.com/costctl/costctl/analyze/store/clickhouse/chtest"
	"github.com/costctl/costctl/pricing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	chtest.Stop()
	os.Exit(code)
}

func embeddedTable(t *testing.T) *pricing.Table {
	t.Helper()
	table, err := pricing.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return table
}

// openPair opens an empty SQLite store and an empty ClickHouse database.
func openPair(t *testing.T) (*store.Store, *clickhouse.Store) {
	t.Helper()
	ctx := context.Background()
	db := chtest.Database(t)
	ch, err := clickhouse.Open(ctx, db, clickhouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lite, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close() })
	addresses[ch] = db
	return lite, ch
}

// addresses maps the stores openPair opened to their address, for optimize.
var addresses = map[*clickhouse.Store]string{}

// optimize merges every part of the requests table, as the server would
// eventually do by itself.
func optimize(t *testing.T, ch *clickhouse.Store) {
	t.Helper()
	chtest.Exec(t, addresses[ch], "OPTIMIZE TABLE requests FINAL")
}

// ingestBoth reads the same inputs into both stores.
func ingestBoth(t *testing.T, table *pricing.Table, inputs []ingest.Input, stores ...store.Backend) {
	t.Helper()
	for _, st := range stores {
		if _, err := ingest.Run(context.Background(), st, table, inputs, ingest.Options{}); err != nil {
			t.Fatalf("ingest: %v", err)
		}
	}
}

func samplePath() string {
	return filepath.Join("..", "..", "..", "testdata", "sample")
}

func TestCellsMatchSQLiteOnSample(t *testing.T) {
	lite, ch := openPair(t)
	ingestBoth(t, embeddedTable(t), []ingest.Input{{Path: samplePath()}}, lite, ch)

	zones := []string{"UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"}
	bys := [][]string{
		nil, {"endpoint"}, {"endpoint", "tier", "hour_of_day"}, {"day"}, {"hour"},
		{"model", "provider", "service_tier"}, {"customer", "user", "session"}, {"source", "day"},
		{"workspace", "project", "api_key"},
	}
	for _, zone := range zones {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, by := range bys {
			compareCells(t, lite, ch, analyze.Query{By: by, Loc: loc})
		}
	}
}

func TestCellsMatchSQLiteInWindows(t *testing.T) {
	lite, ch := openPair(t)
	ingestBoth(t, embeddedTable(t), []ingest.Input{{Path: samplePath()}}, lite, ch)
	first, last, _, err := lite.Bounds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	mid := first.Add(last.Sub(first) / 2)
	windows := []analyze.Query{
		{Since: mid.Truncate(15 * time.Minute)},              // aligned: SQLite reads its rollup
		{Since: mid, Until: last},                            // unaligned: SQLite reads raw rows
		{Until: mid.Add(1500 * time.Microsecond)},            // fraction of a millisecond
		{SplitAt: []time.Time{mid.Truncate(24 * time.Hour)}}, // periods
		{Since: first, Until: last.Add(time.Hour), By: []string{"day"}},
	}
	for _, q := range windows {
		q.Loc = time.UTC
		compareCells(t, lite, ch, q)
	}
}

func compareCells(t *testing.T, lite, ch store.Backend, q analyze.Query) {
	t.Helper()
	ctx := context.Background()
	want, err := lite.Cells(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ch.Cells(ctx, q)
	if err != nil {
		t.Fatalf("clickhouse cells %v in %v: %v", q.By, q.Loc, err)
	}
	if len(want) == 0 {
		t.Fatalf("sqlite returned no cells for %v in %v", q.By, q.Loc)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("cells by %v in %v, window %v..%v: clickhouse differs from sqlite\n got %d cells: %+v\nwant %d cells: %+v",
			q.By, q.Loc, q.Since, q.Until, len(got), head(got), len(want), head(want))
	}
}

func head(c []analyze.Cell) []analyze.Cell {
	return c[:min(len(c), 3)]
}

func TestBoundsAndVersionsMatchSQLite(t *testing.T) {
	ctx := context.Background()
	lite, ch := openPair(t)
	ingestBoth(t, embeddedTable(t), []ingest.Input{{Path: samplePath()}}, lite, ch)

	f1, l1, n1, err := lite.Bounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f2, l2, n2, err := ch.Bounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !f1.Equal(f2) || !l1.Equal(l2) || n1 != n2 {
		t.Errorf("bounds: clickhouse %v %v %d, sqlite %v %v %d", f2, l2, n2, f1, l1, n1)
	}
	v1, _ := lite.PriceTableVersions(ctx)
	v2, err := ch.PriceTableVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(v1) == 0 || !reflect.DeepEqual(v1, v2) {
		t.Errorf("price table versions: clickhouse %v, sqlite %v", v2, v1)
	}
}

func TestBoundsOfEmptyStore(t *testing.T) {
	_, ch := openPair(t)
	first, last, n, err := ch.Bounds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !first.IsZero() || !last.IsZero() || n != 0 {
		t.Errorf("empty store bounds = %v %v %d, want zero", first, last, n)
	}
}

func TestScanMatchesSQLite(t *testing.T) {
	lite, ch := openPair(t)
	ingestBoth(t, embeddedTable(t), []ingest.Input{{Path: samplePath()}}, lite, ch)
	want := scanAll(t, lite, analyze.Query{})
	got := scanAll(t, ch, analyze.Query{})
	if len(want) == 0 {
		t.Fatal("sqlite scan returned nothing")
	}
	if len(got) != len(want) {
		t.Fatalf("scan: clickhouse %d requests, sqlite %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("scan request %d differs:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func scanAll(t *testing.T, st store.Backend, q analyze.Query) []analyze.Request {
	t.Helper()
	var out []analyze.Request
	err := st.Scan(context.Background(), q, func(r *analyze.Request) error {
		out = append(out, *r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTimeLabelsAcrossOffsetChanges covers daylight-saving changes of an
// hour (New York) and of half an hour (Lord Howe), a zone 45 minutes off
// the hour (Kathmandu), and a window that starts mid-bucket.
func TestTimeLabelsAcrossOffsetChanges(t *testing.T) {
	var reqs []analyze.Request
	for _, start := range []time.Time{
		time.Date(2025, 11, 1, 20, 0, 0, 0, time.UTC), // New York falls back on 2 Nov at 06:00 UTC
		time.Date(2026, 4, 4, 10, 0, 0, 0, time.UTC),  // Lord Howe goes back 30 minutes on 5 Apr at 15:00 UTC
	} {
		for i := range 400 {
			r := analyze.Request{
				ID: fmt.Sprintf("msg_%s_%d", start.Format("0102"), i), Provider: "anthropic", Model: "claude-sonnet-4-5",
				Time: start.Add(time.Duration(i) * 7 * time.Minute), Endpoint: fmt.Sprintf("ep%d", i%3),
				Format: "costctl-jsonl", Source: "a.jsonl", Line: int64(i + 1), Status: analyze.StatusOK, SampleRate: 1,
			}
			r.Tokens[pricing.Input], r.Tokens[pricing.Output] = int64(100+i), int64(i%17)
			reqs = append(reqs, r)
		}
	}
	lite, ch := openPair(t)
	write(t, lite, reqs)
	write(t, ch, reqs)

	for _, zone := range []string{"America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, by := range [][]string{{"day"}, {"hour_of_day"}, {"hour"}, {"endpoint", "hour", "day"}} {
			compareCells(t, lite, ch, analyze.Query{By: by, Loc: loc})
			since := time.Date(2025, 11, 2, 3, 7, 0, 0, time.UTC)
			compareCells(t, lite, ch, analyze.Query{By: by, Loc: loc, Since: since, Until: since.AddDate(0, 6, 0)})
		}
	}
}
