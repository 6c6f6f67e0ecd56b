package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

func loadZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

// generated returns n requests spread over 2025-11-01..04 UTC, across the
// America/New_York fall-back at 2025-11-02 06:00 UTC, with duplicates whose
// more complete copies change dimensions.
func generated(n int) []analyze.Request {
	rng := rand.New(rand.NewPCG(42, 7))
	start := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	pick := func(values ...string) string { return values[rng.IntN(len(values))] }

	var out []analyze.Request
	for i := range n {
		at := start.Add(time.Duration(rng.Int64N(int64(72 * time.Hour))))
		r := request(fmt.Sprintf("msg_%d", rng.IntN(n*3/4)), at, rng.Int64N(5000), rng.Int64N(2000))
		r.Model = pick("claude-sonnet-4-5-20250929", "gpt-4o-2024-08-06", "mystery-1")
		r.ModelID = r.Model[:8] // a stand-in canonical id
		if r.Model == "mystery-1" {
			r.ModelID = "" // unpriced
		}
		r.Endpoint, r.Customer = pick("chat", "search", ""), pick("acme", "globex")
		r.User, r.Session = pick("u1", "u2", "u3", ""), fmt.Sprintf("s%d", rng.IntN(20))
		r.Source, r.Line = pick("logs/a.jsonl", "logs/b.jsonl"), int64(i)
		r.ServiceTier, r.ContextBand = pick("standard", "batch"), rng.IntN(2)
		r.Tokens[pricing.CacheRead] = rng.Int64N(10000)
		r.WebSearches = rng.Int64N(3)
		if rng.IntN(10) == 0 {
			r.Status = analyze.StatusNoUsage
		}
		out = append(out, r)
	}
	return out
}

func TestCellsRollupMatchesRaw(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 500, generated(3000))

	zones := []*time.Location{time.UTC, loadZone(t, "Asia/Kolkata"), loadZone(t, "America/New_York")}
	bys := [][]string{
		nil,
		{analyze.DimDay},
		{analyze.DimHour},
		{analyze.DimHourOfDay},
		{analyze.DimModel, analyze.DimDay},
		{analyze.DimEndpoint, analyze.DimCustomer, analyze.DimHour},
		{analyze.DimProvider, analyze.DimServiceTier, analyze.DimTier},
	}
	windows := [][2]time.Time{
		{},
		{mustTime(t, "2025-11-01T18:30:00Z"), mustTime(t, "2025-11-02T07:15:00Z")},
	}
	for _, loc := range zones {
		for _, by := range bys {
			for _, w := range windows {
				q := analyze.Query{Since: w[0], Until: w[1], Loc: loc, By: by}
				t.Run(fmt.Sprintf("%s/%v/%v", loc, by, !w[0].IsZero()), func(t *testing.T) {
					compareRollupRaw(t, s, q)
				})
			}
		}
	}
}

func compareRollupRaw(t *testing.T, s *Store, q analyze.Query) {
	t.Helper()
	p, err := newPlan(q)
	if err != nil {
		t.Fatal(err)
	}
	if !p.rollup {
		t.Fatalf("query %v does not use the rollup", q.By)
	}
	fromRollup, err := s.cells(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	p.rollup = false
	fromRaw, err := s.cells(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}

	if len(fromRollup) == 0 {
		t.Fatal("no cells")
	}
	if !reflect.DeepEqual(fromRollup, fromRaw) {
		t.Errorf("rollup cells differ from raw cells:\nrollup %+v\nraw    %+v", fromRollup, fromRaw)
	}
}

func TestCellsTimeLabels(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 100, []analyze.Request{
		request("msg_1", mustTime(t, "2025-11-01T18:29:00Z"), 1, 0), // Kolkata 23:59 on the 1st
		request("msg_2", mustTime(t, "2025-11-01T18:30:00Z"), 2, 0), // Kolkata 00:00 on the 2nd
		request("msg_3", mustTime(t, "2025-11-02T05:30:00Z"), 4, 0), // New York 01:30 EDT
		request("msg_4", mustTime(t, "2025-11-02T06:30:00Z"), 8, 0), // New York 01:30 EST
	})

	tests := []struct {
		zone, by string
		want     map[string]int64 // key → input tokens
	}{
		// 1 | 2 + 4 + 8 = 14
		{"Asia/Kolkata", analyze.DimDay, map[string]int64{"2025-11-01": 1, "2025-11-02": 14}},
		// 18:29Z and 18:30Z are 23:59 and 00:00 in Kolkata; 05:30Z and
		// 06:30Z are 11:00 and 12:00.
		{"Asia/Kolkata", analyze.DimHour, map[string]int64{
			"2025-11-01T23:00:00+05:30": 1, "2025-11-02T00:00:00+05:30": 2,
			"2025-11-02T11:00:00+05:30": 4, "2025-11-02T12:00:00+05:30": 8}},
		// New York: 14:29 and 14:30 EDT on the 1st, then 01:30 twice on the 2nd.
		{"America/New_York", analyze.DimDay, map[string]int64{"2025-11-01": 3, "2025-11-02": 12}},
		{"America/New_York", analyze.DimHour, map[string]int64{
			"2025-11-01T14:00:00-04:00": 3,
			"2025-11-02T01:00:00-04:00": 4, "2025-11-02T01:00:00-05:00": 8}},
		// The two 01:00 hours share hour_of_day 1: 4 + 8 = 12.
		{"America/New_York", analyze.DimHourOfDay, map[string]int64{"14": 3, "1": 12}},
		{"UTC", analyze.DimHourOfDay, map[string]int64{"18": 3, "5": 4, "6": 8}},
	}
	for _, tt := range tests {
		t.Run(tt.zone+"/"+tt.by, func(t *testing.T) {
			cells := cellsOf(t, s, analyze.Query{Loc: loadZone(t, tt.zone), By: []string{tt.by}})
			got := map[string]int64{}
			for _, c := range cells {
				got[c.Key[0]] += c.Usage.Tokens[pricing.Input]
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("input by %s = %v, want %v", tt.by, got, tt.want)
			}
		})
	}
}

func TestCellsUnalignedWindowUsesRaw(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 100, []analyze.Request{
		request("msg_1", mustTime(t, "2025-06-01T10:00:00Z"), 1, 0),
		request("msg_2", mustTime(t, "2025-06-01T10:07:00Z"), 2, 0),
		request("msg_3", mustTime(t, "2025-06-01T10:20:00.001Z"), 4, 0),
	})

	tests := []struct {
		since, until string
		rollup       bool
		input        int64
	}{
		{"2025-06-01T10:00:00Z", "2025-06-01T10:15:00Z", true, 3},       // 1 + 2
		{"2025-06-01T10:05:00Z", "2025-06-01T10:30:00Z", false, 6},      // 2 + 4
		{"2025-06-01T10:00:00Z", "2025-06-01T10:20:00.001Z", false, 3},  // until is exclusive
		{"2025-06-01T10:20:00.0005Z", "2025-06-01T11:00:00Z", false, 4}, // rounds up to .001
		{"2025-06-01T10:20:00.0015Z", "2025-06-01T11:00:00Z", false, 0}, // rounds up to .002
	}
	for _, tt := range tests {
		q := analyze.Query{Since: mustTime(t, tt.since), Until: mustTime(t, tt.until)}
		p, err := newPlan(q)
		if err != nil {
			t.Fatal(err)
		}
		if p.rollup != tt.rollup {
			t.Errorf("[%s, %s): rollup = %v, want %v", tt.since, tt.until, p.rollup, tt.rollup)
		}
		var input int64
		for _, c := range cellsOf(t, s, q) {
			input += c.Usage.Tokens[pricing.Input]
		}
		if input != tt.input {
			t.Errorf("[%s, %s): input = %d, want %d", tt.since, tt.until, input, tt.input)
		}
	}
}

func TestCellsModelKeyAndSort(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	at := mustTime(t, "2025-06-01T10:00:00Z")
	priced := request("msg_1", at, 1, 0)
	unpriced := request("msg_2", at, 2, 0)
	unpriced.Model, unpriced.ModelID, unpriced.PriceRowID = "zz-local-model", "", ""
	writeAll(t, s, "v1", 100, []analyze.Request{unpriced, priced})

	cells := cellsOf(t, s, analyze.Query{By: []string{analyze.DimModel}})
	var keys []string
	for _, c := range cells {
		keys = append(keys, c.Key[0])
	}
	if want := []string{"claude-sonnet-4-5", "zz-local-model"}; !slices.Equal(keys, want) {
		t.Errorf("model keys = %q, want %q", keys, want)
	}
	if len(cells) == 2 && cells[0].Model != "claude-sonnet-4-5-20250929" {
		t.Errorf("priced cell model = %q, want the logged name", cells[0].Model)
	}
}

func TestCellsUnknownDimension(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	if _, err := s.Cells(context.Background(), analyze.Query{By: []string{"colour"}}); err == nil {
		t.Error("unknown dimension returned no error")
	}
}
