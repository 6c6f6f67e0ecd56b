package store

import (
	"database/sql"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
)

// storedRow is what TestWriterSharedColumns reads back per request.
type storedRow struct {
	user       string
	reasoning  int64
	sampleRate float64
	loggedCost sql.NullFloat64
	requestID  string
}

// A batch writes the columns that contain one value in all its rows as
// literals and binds the others. The first batch shares every column but
// the keys. In the second, one row differs from the other two in five
// columns, so a literal written for that row would show as a wrong value.
func TestWriterSharedColumns(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	at := mustTime(t, "2025-06-01T10:00:00Z")
	var reqs []analyze.Request
	for i, id := range []string{"a1", "a2", "a3", "b1", "b2", "b3"} {
		r := request("msg_"+id, at.Add(time.Duration(i)*time.Minute), 10, 20)
		r.User = "u1"
		reqs = append(reqs, r)
	}
	// The second batch's middle row differs in five shareable columns.
	odd := &reqs[4]
	odd.User, odd.Reasoning, odd.SampleRate = "u2", 7, 0.25
	odd.HasLoggedCost, odd.LoggedCostUSD, odd.RequestID = true, 0.125, "req_b2"
	writeAll(t, s, "v1", 3, reqs)

	want := map[string]storedRow{
		"a1": {"u1", 0, 0, sql.NullFloat64{}, ""},
		"a3": {"u1", 0, 0, sql.NullFloat64{}, ""},
		"b1": {"u1", 0, 0, sql.NullFloat64{}, ""},
		"b2": {"u2", 7, 0.25, sql.NullFloat64{Float64: 0.125, Valid: true}, "req_b2"},
		"b3": {"u1", 0, 0, sql.NullFloat64{}, ""},
	}
	keys := map[string]string{}
	for i := range reqs {
		keys[reqs[i].ID] = reqs[i].DedupKey()
	}
	for id, w := range want {
		var got storedRow
		err := s.db.QueryRow(`
SELECT dict.value, reasoning, sample_rate, logged_cost, request_id
FROM requests JOIN dict ON dict.id = requests.user WHERE dedup_key = ?`, keys["msg_"+id]).
			Scan(&got.user, &got.reasoning, &got.sampleRate, &got.loggedCost, &got.requestID)
		if err != nil {
			t.Fatalf("read msg_%s: %v", id, err)
		}
		if got != w {
			t.Errorf("msg_%s stored %+v, want %+v", id, got, w)
		}
	}
}
