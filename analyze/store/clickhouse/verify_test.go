package clickhouse_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/billing"
	"github.com/costctl/costctl/analyze/store/clickhouse"
	"github.com/costctl/costctl/analyze/store/clickhouse/chtest"
	"github.com/costctl/costctl/pricing"
)

// soundStore writes copies(12) priced with the embedded table through one
// writer, which keeps one of the 1 + i%6 copies of request i: 12 requests
// in 12 rows. It checks that the store verifies before a test damages it.
func soundStore(t *testing.T) (*clickhouse.Store, string, analyze.Pricer) {
	t.Helper()
	_, ch := openPair(t)
	p := analyze.Pricer{Table: embeddedTable(t)}
	reqs := copies(12)
	for i := range reqs {
		if !p.Price(&reqs[i]) {
			t.Fatalf("the embedded table does not price %s %s", reqs[i].Provider, reqs[i].Model)
		}
	}
	writeVersion(t, ch, p.Table.Version(), reqs)

	v := verifyOf(t, ch, p)
	if !v.OK() || v.Requests != 12 || v.Rows != 12 {
		t.Fatalf("before any damage: ok %v, %d requests in %d rows, want ok, 12 in 12: %+v", v.OK(), v.Requests, v.Rows, v)
	}
	return ch, addresses[ch], p
}

// writeVersion writes reqs with one writer that records version as their
// price table.
func writeVersion(t *testing.T, ch *clickhouse.Store, version string, reqs []analyze.Request) {
	t.Helper()
	w, err := ch.OpenWriter(context.Background(), version)
	if err != nil {
		t.Fatal(err)
	}
	for i := range reqs {
		if err := w.Add(&reqs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func verifyOf(t *testing.T, ch *clickhouse.Store, p analyze.Pricer) *clickhouse.Verification {
	t.Helper()
	v, err := ch.Verify(context.Background(), p, p.Table.Version())
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return v
}

// insertCopy inserts a copy of the stored row of request msg_NNNN that has
// the most output, with the columns in set replaced by SQL expressions.
func insertCopy(t *testing.T, db string, msg int, set map[string]string) {
	t.Helper()
	where := fmt.Sprintf(`dedup_key = 'anthropic\0msg_%04d' ORDER BY output DESC LIMIT 1`, msg)
	insertSelect(t, db, "requests", clickhouse.RequestColumns(), set, where)
}

// insertSelect inserts into table the rows that where selects, with the
// columns in set replaced by SQL expressions.
func insertSelect(t *testing.T, db, table string, columns []string, set map[string]string, where string) {
	t.Helper()
	var exprs []string
	for _, c := range columns {
		e, ok := set[c]
		if !ok {
			e = "`" + c + "`"
		}
		exprs = append(exprs, e)
	}
	chtest.Exec(t, db, fmt.Sprintf("INSERT INTO %s SELECT %s FROM %s WHERE %s", table, strings.Join(exprs, ", "), table, where))
}

func TestVerifyWrongIDCountsRequestTwice(t *testing.T) {
	ch, db, p := soundStore(t)
	insertCopy(t, db, 0, map[string]string{"id": "id + 1"})

	v := verifyOf(t, ch, p)
	if v.MisKeyed != 1 {
		t.Errorf("mis-keyed rows = %d, want 1", v.MisKeyed)
	}
	if v.DuplicateKeys != 1 || v.Requests != 13 {
		t.Errorf("duplicate keys = %d in %d requests read, want 1 in 13", v.DuplicateKeys, v.Requests)
	}
	if v.OK() {
		t.Error("verify passed a store that counts a request twice")
	}
}

func TestVerifyKeyNotMatchingFields(t *testing.T) {
	ch, db, p := soundStore(t)
	insertCopy(t, db, 1, map[string]string{"provider": "'openai'", "output": "output + 100", "total": "total + 100"})

	v := verifyOf(t, ch, p)
	if v.MisKeyed != 1 {
		t.Errorf("mis-keyed rows = %d, want 1", v.MisKeyed)
	}
	if v.DuplicateKeys != 0 || v.Requests != 12 || v.Rows != 13 {
		t.Errorf("duplicate keys = %d, %d requests in %d rows, want 0, 12 in 13", v.DuplicateKeys, v.Requests, v.Rows)
	}
}

func TestVerifyBadTokenCounts(t *testing.T) {
	ch, db, p := soundStore(t)
	insertCopy(t, db, 2, map[string]string{"total": "total + 5"})
	insertCopy(t, db, 3, map[string]string{"cache_read": "-1", "total": "total - 1"})
	insertCopy(t, db, 4, map[string]string{"web_searches": "-2"})

	if v := verifyOf(t, ch, p); v.BadCounts != 3 || v.OK() {
		t.Errorf("bad count rows = %d (ok %v), want 3", v.BadCounts, v.OK())
	}
}

// TestVerifyPriceMismatch stores a copy that readers prefer (a higher
// revision among equally complete copies) with another price row.
func TestVerifyPriceMismatch(t *testing.T) {
	ch, db, p := soundStore(t)
	insertCopy(t, db, 5, map[string]string{"price_row_id": "'bogus@2020-01-01'", "revision": "revision + 1"})
	insertCopy(t, db, 6, map[string]string{"context_band": "context_band + 1", "revision": "revision + 1"})

	v := verifyOf(t, ch, p)
	if v.PriceMismatches != 2 || v.OK() {
		t.Errorf("price mismatches = %d (ok %v), want 2", v.PriceMismatches, v.OK())
	}
	if v.MisKeyed != 0 || v.DuplicateKeys != 0 || v.BadCounts != 0 {
		t.Errorf("other findings: %+v, want none", v)
	}

	stats, err := ch.Reprice(context.Background(), p, p.Table.Version())
	if err != nil {
		t.Fatal(err)
	}
	if stats.Changed != 2 {
		t.Errorf("reprice changed %d requests, want the 2 mismatched", stats.Changed)
	}
	if v := verifyOf(t, ch, p); !v.OK() {
		t.Errorf("after reprice: %+v, want ok", v)
	}
}

func TestVerifyCountsOtherPriceTables(t *testing.T) {
	ch, _, p := soundStore(t)
	old := copies(1)
	old[0].ID = "msg_old"
	old[0].ModelID = "not-checked"
	writeVersion(t, ch, "2025-01-01+old", old)

	v := verifyOf(t, ch, p)
	want := map[string]int64{"2025-01-01+old": 1}
	if !reflect.DeepEqual(v.OtherTables, want) {
		t.Errorf("other tables = %v, want %v", v.OtherTables, want)
	}
	if !v.OK() || v.Requests != 13 {
		t.Errorf("ok %v with %d requests, want ok with 13: requests of another table are not a problem", v.OK(), v.Requests)
	}
}

func TestVerifyBillingIdentity(t *testing.T) {
	ch, db, p := soundStore(t)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	lines := []billing.Line{
		{Provider: "anthropic", Kind: billing.KindCost, Start: start, End: start.Add(24 * time.Hour),
			Model: "claude-sonnet-4-5", CostType: "tokens", Amount: pricing.Pico(1_500_000_000_000), Currency: "usd"},
		{Provider: "anthropic", Kind: billing.KindCost, Start: start, End: start.Add(24 * time.Hour),
			Model: "claude-haiku-4-5", CostType: "tokens", Amount: pricing.Pico(250_000_000_000), Currency: "usd"},
	}
	if _, err := ch.WriteBilling(context.Background(), lines, "costs.json"); err != nil {
		t.Fatal(err)
	}
	if v := verifyOf(t, ch, p); !v.OK() || v.BillLines != 2 {
		t.Fatalf("sound bill lines: ok %v, %d lines, want ok, 2", v.OK(), v.BillLines)
	}

	insertSelect(t, db, "billing", clickhouse.BillingColumns(), map[string]string{"identity": "concat(identity, 'x')"}, "model = 'claude-haiku-4-5'")
	v := verifyOf(t, ch, p)
	if v.MisKeyedBilling != 1 || v.BillLines != 3 || v.OK() {
		t.Errorf("mis-keyed bill lines = %d of %d (ok %v), want 1 of 3", v.MisKeyedBilling, v.BillLines, v.OK())
	}
}

func TestVerifySchemaDifferences(t *testing.T) {
	ch, db, p := soundStore(t)
	chtest.Exec(t, db, "ALTER TABLE requests DROP COLUMN speed")
	chtest.Exec(t, db, "DROP TABLE billing")
	chtest.Exec(t, db, "DROP TABLE files") // optional: not a difference

	v := verifyOf(t, ch, p)
	want := []string{"table requests has no column speed", "table billing is missing"}
	if !reflect.DeepEqual(v.Schema, want) {
		t.Errorf("schema differences = %q, want %q", v.Schema, want)
	}
	if v.Rows != 0 || v.OK() {
		t.Errorf("rows = %d (ok %v): the other checks must be skipped on a differing schema", v.Rows, v.OK())
	}
}
