package store

import (
	"time"

	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestCellsSplitAtInstants(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "v1", 100, []analyze.Request{
		request("a", mustTime(t, "2025-10-31T23:59:59Z"), 10, 1),
		request("b", mustTime(t, "2025-11-01T00:00:00Z"), 10, 1),
		request("c", mustTime(t, "2025-11-15T12:00:00Z"), 10, 1),
		request("d", mustTime(t, "2025-12-01T00:00:00Z"), 10, 1),
	})
	split := []analyze.Query{}
	nov, dec := mustTime(t, "2025-11-01T00:00:00Z"), mustTime(t, "2025-12-01T00:00:00Z")
	for _, by := range [][]string{nil, {analyze.DimSession}} { // rollup, then raw rows
		split = append(split, analyze.Query{By: by, SplitAt: []time.Time{nov, dec}})
	}

	for _, q := range split {
		got := map[int]int64{}
		for _, c := range cellsOf(t, s, q) {
			got[c.Period] += c.Requests
		}
		// a before November, b and c in November (b on the boundary), d from December.
		if got[0] != 1 || got[1] != 2 || got[2] != 1 {
			t.Errorf("query by %v: requests per period = %v, want 0:1 1:2 2:1", q.By, got)
		}
	}
}
