package store

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
)

// verifiedStore writes the fixture's requests into a new store and checks
// that it verifies before a test damages it.
func verifiedStore(t *testing.T) (*Store, string) {
	t.Helper()
	path := tempStorePath(t)
	s := openTestStore(t, path)
	writeAll(t, s, "v", 7, v1Requests())
	expectSound(t, s, "before any damage")
	return s, path
}

func mustExec(t *testing.T, s *Store, query string) {
	t.Helper()
	if _, err := s.db.Exec(query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func verifyOf(t *testing.T, s *Store) *Verification {
	t.Helper()
	v, err := s.Verify(context.Background())
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return v
}

func TestVerifyCountsRows(t *testing.T) {
	s, _ := verifiedStore(t)
	v := verifyOf(t, s)
	if v.Requests != 40 {
		t.Errorf("requests = %d, want 40", v.Requests)
	}
	if v.RollupRows == 0 || v.RollupRows > 40 {
		t.Errorf("rollup rows = %d, want between 1 and 40", v.RollupRows)
	}
}

// TestVerifyRollupDamage changes one rollup row and deletes another: two
// keys differ, and a rebuild repairs both.
func TestVerifyRollupDamage(t *testing.T) {
	s, _ := verifiedStore(t)
	mustExec(t, s, `UPDATE rollup SET output = output + 1 WHERE bucket = (SELECT min(bucket) FROM rollup)`)
	mustExec(t, s, `DELETE FROM rollup WHERE bucket = (SELECT max(bucket) FROM rollup)`)

	if v := verifyOf(t, s); v.RollupMismatches != 2 || v.OK() {
		t.Errorf("rollup mismatches = %d (ok %v), want 2", v.RollupMismatches, v.OK())
	}
	if _, err := s.RebuildRollup(context.Background()); err != nil {
		t.Fatal(err)
	}
	expectSound(t, s, "after rebuilding the rollup")
}

// TestVerifyNegativeTimes checks that the bucket of a time before 1970 is
// recomputed as the writer computes it, rounding down.
func TestVerifyNegativeTimes(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	old := request("msg_1969", time.Date(1969, 12, 31, 23, 59, 0, 0, time.UTC), 1, 1)
	writeAll(t, s, "v", 10, []analyze.Request{old})
	expectSound(t, s, "with a request before 1970")
}

func TestVerifyDuplicateKey(t *testing.T) {
	s, _ := verifiedStore(t)
	// A second row under another id with the same dedup key is what a
	// double-counting bug would leave.
	mustExec(t, s, `INSERT INTO requests SELECT NULL, id + 1, dedup_key, time_ms, provider, model, model_id, price_row_id, endpoint, tier, customer, user, session, workspace, project, api_key, service_tier, inference_geo, speed, source, source_sort_key, format, price_table, context_band, status, line, turn, attempt, latency_ms, ttft_ms, prefix_tokens, input, cache_read, cache_write_5m, cache_write_1h, output, audio_in, audio_out, image_in, reasoning, web_searches, sample_rate, logged_cost, prefix_hash, retry_of, request_id FROM requests ORDER BY id LIMIT 1`)

	v := verifyOf(t, s)
	if v.DuplicateKeys != 1 {
		t.Errorf("duplicate keys = %d, want 1", v.DuplicateKeys)
	}
	if v.RollupMismatches == 0 {
		t.Error("rollup mismatches = 0, want the extra row to show in the recomputed rollup")
	}
}

func TestVerifyDanglingDictionary(t *testing.T) {
	s, _ := verifiedStore(t)
	mustExec(t, s, `DELETE FROM dict WHERE value = '/chat/1'`)

	v := verifyOf(t, s)
	for _, column := range []string{"requests.endpoint", "rollup.endpoint", "rollup_hour.endpoint", "rollup_day.endpoint"} {
		if v.DanglingRefs[column] == 0 {
			t.Errorf("dangling references = %v, want %s", v.DanglingRefs, column)
		}
	}
	if len(v.DanglingRefs) != 4 {
		t.Errorf("dangling references = %v, want only the endpoint columns", v.DanglingRefs)
	}
}

// TestVerifyDamagedFile overwrites pages in the middle of the file, as a
// failing disk might, and expects the integrity check to report them.
func TestVerifyDamagedFile(t *testing.T) {
	s, path := verifiedStore(t)
	mustExec(t, s, `PRAGMA wal_checkpoint(TRUNCATE)`)
	s.Close()

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const pageSize = 4096
	if len(data) < 4*pageSize {
		t.Fatalf("store is %d bytes, want at least 4 pages to damage one", len(data))
	}
	for i := 2 * pageSize; i < 3*pageSize; i++ {
		data[i] = 0x5a
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}

	damaged, err := Open(context.Background(), path, Options{ReadOnly: true})
	if err != nil {
		t.Logf("open of the damaged store failed, which also reports the damage: %v", err)
		return
	}
	defer damaged.Close()
	v, err := damaged.Verify(context.Background())
	if err != nil {
		t.Fatalf("verify of a damaged store: %v, want the damage reported as integrity problems", err)
	}
	t.Logf("integrity problems: %q", v.Integrity)
	if len(v.Integrity) == 0 || v.OK() {
		t.Errorf("verification of a damaged file = %+v, want integrity problems", v)
	}
}
