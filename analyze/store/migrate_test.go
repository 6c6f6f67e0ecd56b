package store

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// v1Fixture is a store written with schema version 1 (migration step 1
// only). Regenerate it, which should never be needed, with
//
//	go test ./analyze/store -run TestWriteV1Fixture -write-v1-fixture
var v1Fixture = filepath.Join("testdata", "schema-v1.db")

var writeV1Fixture = flag.Bool("write-v1-fixture", false, "write "+v1Fixture+" with migration step 1 only")

// v1Requests are the requests in the fixture: 40 requests over two days,
// two models, every third one with a customer and user.
func v1Requests() []analyze.Request {
	start := time.Date(2025, 11, 3, 8, 0, 0, 0, time.UTC)
	reqs := make([]analyze.Request, 40)
	for i := range reqs {
		r := request(fmt.Sprintf("msg_v1_%02d", i), start.Add(time.Duration(i)*73*time.Minute), int64(100+i), int64(10+2*i))
		r.Tokens[pricing.CacheRead] = int64(1000 * (i % 5))
		r.Endpoint = fmt.Sprintf("/chat/%d", i%3)
		if i%3 == 0 {
			r.Customer, r.User = "cust-a", fmt.Sprintf("user-%d", i)
		}
		if i%4 == 0 {
			r.Model, r.ModelID, r.PriceRowID = "claude-haiku-4-5", "claude-haiku-4-5", "claude-haiku-4-5@2025-10-15"
		}
		reqs[i] = r
	}
	return reqs
}

// v1Sums are the fixture's totals, summed here from v1Requests.
func v1Sums() (requests int64, input, cacheRead, output int64) {
	for _, r := range v1Requests() {
		requests++
		input += r.Tokens[pricing.Input]
		cacheRead += r.Tokens[pricing.CacheRead]
		output += r.Tokens[pricing.Output]
	}
	return requests, input, cacheRead, output
}

// TestWriteV1Fixture writes the fixture when -write-v1-fixture is set. It
// limits the migrations to step 1 for the duration, so the file is what a
// build with schema version 1 would have written.
func TestWriteV1Fixture(t *testing.T) {
	if !*writeV1Fixture {
		t.Skip("set -write-v1-fixture to regenerate " + v1Fixture)
	}
	saved, savedSupported := migrations, supportedSchema
	migrations, supportedSchema = migrations[:1], 1
	defer func() { migrations, supportedSchema = saved, savedSupported }()

	os.Remove(v1Fixture)
	s, err := Open(context.Background(), v1Fixture, Options{})
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, s, "2025-11-01+v1fixture", 16, v1Requests())
	// A checkpoint folds the WAL into the file, so the fixture is one file.
	if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	os.Remove(v1Fixture + "-wal")
	os.Remove(v1Fixture + "-shm")
}

// copyFixture copies the fixture into a temporary directory, because
// opening it migrates it in place.
func copyFixture(t *testing.T) string {
	t.Helper()
	src, err := os.Open(v1Fixture)
	if err != nil {
		t.Fatalf("open fixture: %v", err)
	}
	defer src.Close()
	path := tempStorePath(t)
	dst, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestV1FixtureIsVersion1(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+v1Fixture+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	version, err := readSchemaVersion(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if version != 1 {
		t.Errorf("fixture schema version = %d, want 1", version)
	}
}

// TestMigrateV1 opens the version 1 fixture with this build: it must be
// migrated to the current schema with every request and total kept, pass
// Verify, and accept new requests.
func TestMigrateV1(t *testing.T) {
	path := copyFixture(t)
	s := openTestStore(t, path)
	if s.SchemaVersion() != supportedSchema {
		t.Errorf("schema version after open = %d, want %d", s.SchemaVersion(), supportedSchema)
	}

	wantRequests, wantInput, wantCacheRead, wantOutput := v1Sums()
	requests, u := total(t, s)
	if requests != wantRequests {
		t.Errorf("requests = %d, want %d", requests, wantRequests)
	}
	if u.Tokens[pricing.Input] != wantInput || u.Tokens[pricing.CacheRead] != wantCacheRead || u.Tokens[pricing.Output] != wantOutput {
		t.Errorf("input, cache read, output = %d, %d, %d, want %d, %d, %d",
			u.Tokens[pricing.Input], u.Tokens[pricing.CacheRead], u.Tokens[pricing.Output], wantInput, wantCacheRead, wantOutput)
	}
	expectSound(t, s, "after migrating the fixture")
	checkCoarseFill(t, s)
	checkSeqOrder(t, s)

	// The same requests again are duplicates; one new request is added.
	more := append(v1Requests(), request("msg_after_migration", time.Date(2025, 11, 6, 0, 0, 0, 0, time.UTC), 5, 6))
	stats := writeAll(t, s, "2025-11-01+v1fixture", 100, more)
	if stats.Inserted != 1 || stats.Kept != wantRequests {
		t.Errorf("write after migration = %+v, want 1 inserted and %d kept", stats, wantRequests)
	}
	expectSound(t, s, "after writing to the migrated store")
}

// checkSeqOrder expects migration step 5 to have rewritten the requests in
// time order, and their hash ids to stay unique.
func checkSeqOrder(t *testing.T, s *Store) {
	t.Helper()
	var outOfOrder int
	err := s.db.QueryRow(`SELECT count(*) FROM (
	SELECT time_ms, lag(time_ms) OVER (ORDER BY seq) AS previous FROM requests
) WHERE previous > time_ms`).Scan(&outOfOrder)
	if err != nil {
		t.Fatal(err)
	}
	if outOfOrder != 0 {
		t.Errorf("%d requests follow a later one in seq order, want 0", outOfOrder)
	}

	_, err = s.db.Exec(`INSERT INTO requests SELECT NULL, id, 'another key', time_ms, provider, model, model_id, price_row_id, endpoint, tier, customer, user, session, workspace, project, api_key, service_tier, inference_geo, speed, source, source_sort_key, format, price_table, context_band, status, line, turn, attempt, latency_ms, ttft_ms, prefix_tokens, input, cache_read, cache_write_5m, cache_write_1h, output, audio_in, audio_out, image_in, reasoning, web_searches, sample_rate, logged_cost, prefix_hash, retry_of, request_id FROM requests LIMIT 1`)
	if err == nil || !strings.Contains(err.Error(), "UNIQUE") {
		t.Errorf("insert of a second row with a stored id: error = %v, want a UNIQUE constraint error", err)
	}
}

// checkCoarseFill compares the hour and day rollups that migration step 4
// filled with totals and key counts computed here from v1Requests.
func checkCoarseFill(t *testing.T, s *Store) {
	t.Helper()
	wantRequests, wantInput, _, _ := v1Sums()
	for _, table := range []rollupTable{hourRollup, dayRollup} {
		keys := map[string]bool{}
		for _, r := range v1Requests() {
			keys[fmt.Sprint(r.Time.Unix()/table.seconds, r.Model, r.Endpoint, r.Customer)] = true
		}

		var rows, requests, input int64
		err := s.db.QueryRow("SELECT count(*), sum(requests), sum(input) FROM "+table.name).Scan(&rows, &requests, &input)
		if err != nil {
			t.Fatal(err)
		}
		if rows != int64(len(keys)) {
			t.Errorf("%s rows = %d, want %d", table.name, rows, len(keys))
		}
		if requests != wantRequests || input != wantInput {
			t.Errorf("%s requests, input = %d, %d, want %d, %d", table.name, requests, input, wantRequests, wantInput)
		}
	}
}

// expectSound fails the test unless Verify finds nothing wrong.
func expectSound(t *testing.T, s *Store, when string) {
	t.Helper()
	v, err := s.Verify(context.Background())
	if err != nil {
		t.Fatalf("verify %s: %v", when, err)
	}
	if !v.OK() {
		t.Errorf("verify %s: %+v", when, v)
	}
}

// TestMigrateV1ReadOnly expects a read-only open of an old store to fail
// with an error that tells how to migrate it.
func TestMigrateV1ReadOnly(t *testing.T) {
	path := copyFixture(t)
	_, err := Open(context.Background(), path, Options{ReadOnly: true})
	if err == nil {
		t.Fatal("read-only open of a version 1 store succeeded, want an error asking to migrate")
	}
	want := fmt.Sprintf("schema version 1 is older than %d", supportedSchema)
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "without read-only") {
		t.Errorf("error = %q, want it to contain %q and say how to migrate", err, want)
	}
}
