package cmd_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costctl/costctl/analyze/store/clickhouse/chtest"
)

// twoRequests is a log of two requests with ids, so that their dedup keys
// are known: the provider, a NUL byte and the id.
const twoRequests = `{"id":"msg_v1","time":"2025-11-05T10:00:00Z","provider":"anthropic","model":"claude-sonnet-4-5-20250929","endpoint":"chat","input":1000,"output":100}
{"id":"msg_v2","time":"2025-11-05T11:00:00Z","provider":"anthropic","model":"claude-sonnet-4-5-20250929","endpoint":"chat","input":2000,"output":200}
`

// ingestedDatabase returns a ClickHouse database holding twoRequests,
// checked sound by verify.
func ingestedDatabase(t *testing.T) string {
	t.Helper()
	db := chtest.Database(t)
	log := filepath.Join(t.TempDir(), "two.jsonl")
	if err := os.WriteFile(log, []byte(twoRequests), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, db, 0, "ingest", log)
	if out := run(t, db, 0, "verify"); !strings.Contains(out, "store STORE: ok: 2 requests in 2 rows, 0 bill lines") {
		t.Fatalf("sound store: verify printed\n%s", out)
	}
	return db
}

// insertCopy inserts a copy of the row of request id with the columns in
// set replaced by SQL expressions.
func insertCopy(t *testing.T, db, id string, set map[string]string) {
	t.Helper()
	cols := strings.Fields(chtest.Query(t, db, "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = 'requests'"))
	for i, c := range cols {
		if e, ok := set[c]; ok {
			cols[i] = e
		} else {
			cols[i] = "`" + c + "`"
		}
	}
	chtest.Exec(t, db, fmt.Sprintf(`INSERT INTO requests SELECT %s FROM requests WHERE dedup_key = 'anthropic\0%s'`, strings.Join(cols, ", "), id))
}

func expectLines(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("verify output lacks %q:\n%s", w, out)
		}
	}
}

func TestVerifyClickHouseRejectsRepair(t *testing.T) {
	db := ingestedDatabase(t)
	run(t, db, 2, "verify", "--repair")
}

func TestVerifyClickHouseWrongID(t *testing.T) {
	db := ingestedDatabase(t)
	insertCopy(t, db, "msg_v1", map[string]string{"id": "id + 1"})

	out := run(t, db, 4, "verify")
	expectLines(t, out,
		"dedup keys: 1 rows have an id that is not the hash of their dedup key",
		"dedup keys: 1 requests are read more than once by reports",
		"repair: ingest the logs again into a new database")
}

// TestVerifyClickHousePriceRow stores a copy of msg_v2 with another price
// row at a higher revision, which readers prefer; reprice repairs it.
func TestVerifyClickHousePriceRow(t *testing.T) {
	db := ingestedDatabase(t)
	insertCopy(t, db, "msg_v2", map[string]string{"price_row_id": "'bogus@2020-01-01'", "revision": "revision + 1"})

	out := run(t, db, 4, "verify")
	expectLines(t, out, "prices: 1 requests recorded as priced by the active price table", "repair: costctl reprice")
	run(t, db, 0, "reprice")
	expectLines(t, run(t, db, 0, "verify"), "ok: 2 requests")
}
