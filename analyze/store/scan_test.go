package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

func scanRequest(id, at string, input int64) analyze.Request {
	tm, _ := time.Parse(time.RFC3339Nano, at)
	r := analyze.Request{
		ID: id, Provider: "anthropic", Model: "claude-3-5-haiku-20241022", Time: tm,
		Endpoint: "chat", Session: "s1", Turn: 2, Status: analyze.StatusOK,
		TTFTMS: 450, PrefixTokens: 2048, PrefixHash: "abc", Source: "a.jsonl", Line: 7,
		ModelID: "claude-3-5-haiku", PriceRowID: "claude-3-5-haiku@2024-10-22",
	}
	r.Tokens[pricing.Input] = input
	r.Tokens[pricing.CacheRead] = 2 * input
	return r
}

func scanAll(t *testing.T, s *Store, q analyze.Query) []analyze.Request {
	t.Helper()
	var out []analyze.Request
	err := s.Scan(context.Background(), q, func(r *analyze.Request) error {
		out = append(out, *r)
		return nil
	})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return out
}

func TestScanTimeOrderAndFields(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 10, []analyze.Request{
		scanRequest("msg_c", "2025-01-01T00:00:03Z", 30),
		scanRequest("msg_a", "2025-01-01T00:00:01Z", 10),
		scanRequest("msg_b", "2025-01-01T00:00:02.5Z", 20),
	})

	got := scanAll(t, s, analyze.Query{})
	if len(got) != 3 {
		t.Fatalf("scanned %d requests, want 3", len(got))
	}
	for i, want := range []int64{10, 20, 30} {
		if got[i].Tokens[pricing.Input] != want {
			t.Errorf("request %d: input %d, want %d (time order)", i, got[i].Tokens[pricing.Input], want)
		}
	}

	r := got[1]
	if !r.Time.Equal(time.Date(2025, 1, 1, 0, 0, 2, 500e6, time.UTC)) {
		t.Errorf("time %v, want 00:00:02.5", r.Time)
	}
	if r.Endpoint != "chat" || r.Session != "s1" || r.Turn != 2 {
		t.Errorf("dimensions %q %q %d, want chat s1 2", r.Endpoint, r.Session, r.Turn)
	}
	if r.TTFTMS != 450 || r.PrefixTokens != 2048 || r.PrefixHash != "abc" {
		t.Errorf("prefix fields %d %d %q, want 450 2048 abc", r.TTFTMS, r.PrefixTokens, r.PrefixHash)
	}
	if r.Tokens[pricing.CacheRead] != 40 || r.Status != analyze.StatusOK {
		t.Errorf("cache read %d status %q, want 40 ok", r.Tokens[pricing.CacheRead], r.Status)
	}
	if r.PriceRowID != "claude-3-5-haiku@2024-10-22" || r.ModelID != "claude-3-5-haiku" {
		t.Errorf("price fields %q %q", r.ModelID, r.PriceRowID)
	}
}

func TestScanWindow(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 10, []analyze.Request{
		scanRequest("msg_a", "2025-01-01T00:00:01Z", 10),
		scanRequest("msg_b", "2025-01-01T00:00:02Z", 20),
		scanRequest("msg_c", "2025-01-01T00:00:03Z", 30),
	})

	// [00:00:02, 00:00:03) holds only msg_b: since is inclusive, until exclusive.
	got := scanAll(t, s, analyze.Query{
		Since: time.Date(2025, 1, 1, 0, 0, 2, 0, time.UTC),
		Until: time.Date(2025, 1, 1, 0, 0, 3, 0, time.UTC),
	})
	if len(got) != 1 || got[0].Tokens[pricing.Input] != 20 {
		t.Fatalf("window scan = %d requests, want only the one with input 20", len(got))
	}
}

func TestScanStopsOnCallbackError(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 10, []analyze.Request{
		scanRequest("msg_a", "2025-01-01T00:00:01Z", 10),
		scanRequest("msg_b", "2025-01-01T00:00:02Z", 20),
	})

	stop := errors.New("stop")
	calls := 0
	err := s.Scan(context.Background(), analyze.Query{}, func(*analyze.Request) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) {
		t.Errorf("scan error %v, want the callback's error", err)
	}
	if calls != 1 {
		t.Errorf("callback ran %d times, want 1", calls)
	}
}

// tiedRequests returns n requests with every field set, four to a
// millisecond, so that the scan order depends on the primary key.
func tiedRequests(n int) []analyze.Request {
	start := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	out := make([]analyze.Request, n)
	for i := range out {
		r := &out[i]
		*r = analyze.Request{
			ID: fmt.Sprintf("msg_%05d", i), Time: start.Add(time.Duration(i/4) * time.Millisecond),
			Provider: "anthropic", Model: fmt.Sprintf("model %d", i%3), ModelID: fmt.Sprintf("m%d", i%3),
			PriceRowID: fmt.Sprintf("m%d@2025", i%3), Endpoint: fmt.Sprintf("/v1/%d", i%7), Tier: "pro",
			Customer: "c, with comma", User: fmt.Sprintf("u%d", i), Session: fmt.Sprintf("s%d", i%11),
			Workspace: "w", Project: "p", APIKey: "k", ServiceTier: "batch", InferenceGeo: "us", Speed: "fast",
			Status: []analyze.Status{analyze.StatusOK, analyze.StatusError, analyze.StatusRejected, analyze.StatusIncomplete, analyze.StatusNoUsage}[i%5],
			Turn:   int64(i % 9), Attempt: int64(i % 2), RetryOf: fmt.Sprintf("retry %d", i%2),
			SampleRate: 0.25 * float64(i%4), LatencyMS: int64(i * 3), TTFTMS: int64(i), PrefixTokens: int64(i * 100),
			PrefixHash: "hash with spaces 1 2 3", RequestID: fmt.Sprintf("req_%d", i),
			LoggedCostUSD: 0.1 * float64(i%2*i), HasLoggedCost: i%2 == 1,
			Format: "anthropic", Source: "logs/a b.jsonl", SourceSortKey: "logs/a b.jsonl", Line: int64(i + 1),
			ContextBand: i % 2,
		}
		for c := range pricing.NumClasses {
			r.Tokens[c] = int64(i)*1_000_003 + int64(c)<<40
		}
		r.Reasoning, r.WebSearches = int64(i/2), int64(i%3)
	}
	return out
}

// inScanOrder returns the requests as Scan returns them: sorted by time,
// then by primary key, without the fields Scan does not restore.
func inScanOrder(reqs []analyze.Request) []analyze.Request {
	out := slices.Clone(reqs)
	slices.SortStableFunc(out, func(a, b analyze.Request) int {
		if c := cmp.Compare(a.Time.UnixMilli(), b.Time.UnixMilli()); c != 0 {
			return c
		}
		return cmp.Compare(hashKey(a.DedupKey()), hashKey(b.DedupKey()))
	})
	for i := range out {
		out[i].ID, out[i].RecordHash = "", ""
	}
	return out
}

func checkSameRequests(t *testing.T, got, want []analyze.Request) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("scanned %d requests, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("request %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestScanAllFieldsInKeyOrder(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	reqs := tiedRequests(600)
	writeAll(t, s, "v1", 128, reqs)

	checkSameRequests(t, scanAll(t, s, analyze.Query{}), inScanOrder(reqs))
}

// TestScanPlansAgree reads one window through the time index, sorted
// whole and sorted in two parts, and expects the same requests from each.
func TestScanPlansAgree(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	reqs := tiedRequests(600)
	writeAll(t, s, "v1", 128, reqs)
	since, until := reqs[100].Time, reqs[400].Time
	var want []analyze.Request
	for _, r := range inScanOrder(reqs) {
		if !r.Time.Before(since) && r.Time.Before(until) {
			want = append(want, r)
		}
	}

	dict, err := s.readDictionary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := since.UnixMilli(), until.UnixMilli()
	mid := reqs[250].Time.UnixMilli()
	plans := map[string][]scanPlan{
		"index":        {scanQuery(lo, hi, false, false)},
		"sorted":       {scanQuery(lo, hi, false, true)},
		"sorted parts": {scanQuery(lo, mid, false, true), scanQuery(mid, hi, false, true)},
	}
	for name, p := range plans {
		var got []analyze.Request
		err := s.runScans(context.Background(), p, dict, func(r *scannedRow) error {
			got = append(got, r.req)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Run(name, func(t *testing.T) { checkSameRequests(t, got, want) })
	}
}

func TestPlanScans(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	day := func(d int) time.Time { return time.Date(2025, 1, d, 0, 0, 0, 0, time.UTC) }
	plans, err := s.planScans(context.Background(), analyze.Query{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) != 1 || plans[0].sorted {
		t.Errorf("empty store: %d plans, sorted %v, want one through the index", len(plans), plans[0].sorted)
	}

	writeAll(t, s, "v1", 10, []analyze.Request{
		scanRequest("msg_a", "2025-01-01T00:00:00Z", 10),
		scanRequest("msg_b", "2025-01-11T00:00:00Z", 20),
	})
	cases := []struct {
		name   string
		q      analyze.Query
		sorted bool
	}{
		{"whole store", analyze.Query{}, true},
		{"one day of ten", analyze.Query{Since: day(3), Until: day(4)}, false},
		{"half", analyze.Query{Since: day(6)}, true},
		{"outside the stored span", analyze.Query{Since: day(20)}, false},
	}
	for _, c := range cases {
		plans, err := s.planScans(context.Background(), c.q, false)
		if err != nil {
			t.Fatal(err)
		}
		want := 1
		if c.sorted {
			want = sortedParts
		}
		if len(plans) != want {
			t.Errorf("%s: %d plans, want %d", c.name, len(plans), want)
			continue
		}
		if plans[0].sorted != c.sorted {
			t.Errorf("%s: sorted = %v, want %v", c.name, plans[0].sorted, c.sorted)
		}
	}
}

// TestScanRestoresPragmas checks that the connection a sorted scan used
// goes back to the pool with the store's page cache and temp store.
func TestScanRestoresPragmas(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 10, tiedRequests(20))
	s.db.SetMaxOpenConns(1)
	scanAll(t, s, analyze.Query{})

	var cacheSize, tempStore int64
	if err := s.db.QueryRow("PRAGMA cache_size").Scan(&cacheSize); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow("PRAGMA temp_store").Scan(&tempStore); err != nil {
		t.Fatal(err)
	}
	if cacheSize != -storeCacheKiB {
		t.Errorf("cache_size after scan = %d, want %d", cacheSize, -storeCacheKiB)
	}
	if tempStore != 2 {
		t.Errorf("temp_store after scan = %d, want 2 (memory)", tempStore)
	}
}

func TestParseInts(t *testing.T) {
	got := make([]int64, 4)
	if err := parseInts([]byte("0 -9223372036854775808 9223372036854775807 -17"), got); err != nil {
		t.Fatal(err)
	}
	if want := []int64{0, math.MinInt64, math.MaxInt64, -17}; !slices.Equal(got, want) {
		t.Errorf("parsed %v, want %v", got, want)
	}

	for _, bad := range []string{"1 2 3", "1 2 3 4 5", "1 2 x 4", "1  2 3 4", "9223372036854775808 0 0 0", "-9223372036854775809 0 0 0", "- 1 2 3"} {
		if err := parseInts([]byte(bad), got); err == nil {
			t.Errorf("parseInts(%q) = nil error, want one", bad)
		}
	}
}

func TestScanPricedKeysAndTable(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	reqs := tiedRequests(50)
	reqs[7].ID, reqs[7].RecordHash = "", "rec7"
	writeAll(t, s, "table-v2", 16, reqs)

	want := map[string]bool{}
	for i := range reqs {
		want[reqs[i].DedupKey()] = true
	}
	err := s.ScanPriced(context.Background(), analyze.Query{}, func(r *analyze.Request, table string) error {
		if table != "table-v2" {
			t.Errorf("price table %q, want table-v2", table)
		}
		if !want[r.DedupKey()] {
			t.Errorf("dedup key %q was not written", r.DedupKey())
		}
		delete(want, r.DedupKey())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 0 {
		t.Errorf("%d written keys not scanned", len(want))
	}
}

// TestScanFallsBackToIndex gives the scan a sorted plan that fails before
// its first row, as one does without a writable temporary directory, and
// expects the rows through the time index instead.
func TestScanFallsBackToIndex(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	reqs := tiedRequests(40)
	writeAll(t, s, "v1", 16, reqs)
	dict, err := s.readDictionary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	failing := scanQuery(math.MinInt64, math.MaxInt64, false, true)
	failing.query = strings.Replace(failing.query, "FROM requests", "FROM no_such_table", 1)

	var got []analyze.Request
	err = s.runWithFallback(context.Background(), []scanPlan{failing}, scanQuery(math.MinInt64, math.MaxInt64, false, false), dict, func(r *scannedRow) error {
		got = append(got, r.req)
		return nil
	})
	if err != nil {
		t.Fatalf("scan with a failing sorted plan: %v", err)
	}
	checkSameRequests(t, got, inScanOrder(reqs))
}

// TestScanCallbackErrorNoFallback checks that an error of the callback is
// returned as is, without a second scan through the index.
func TestScanCallbackErrorNoFallback(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 16, tiedRequests(40))

	stop := errors.New("stop")
	calls := 0
	err := s.Scan(context.Background(), analyze.Query{}, func(*analyze.Request) error {
		calls++
		return stop
	})
	if err != stop {
		t.Errorf("scan error %v, want the callback's error as is", err)
	}
	if calls != 1 {
		t.Errorf("callback ran %d times, want 1", calls)
	}
}
