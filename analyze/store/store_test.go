package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

func TestOpenNewerSchemaRejected(t *testing.T) {
	path := tempStorePath(t)
	s := openTestStore(t, path)
	if _, err := s.db.Exec(`UPDATE meta SET value = '99' WHERE key = 'schema_version'`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	for _, readOnly := range []bool{false, true} {
		_, err = Open(context.Background(), path, Options{ReadOnly: readOnly})
		var newer *NewerSchemaError
		if !errors.As(err, &newer) {
			t.Fatalf("read-only %v: open error = %v, want *NewerSchemaError", readOnly, err)
		}
		if newer.Have != 99 || newer.Supported != supportedSchema {
			t.Errorf("have, supported = %d, %d, want 99, %d", newer.Have, newer.Supported, supportedSchema)
		}
		if msg := err.Error(); !strings.Contains(msg, "99") || !strings.Contains(msg, strconv.Itoa(supportedSchema)) {
			t.Errorf("message %q does not name both versions", msg)
		}
	}

	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("open modified a store with a newer schema")
	}
}

func TestOpenReopenKeepsData(t *testing.T) {
	path := tempStorePath(t)
	s := openTestStore(t, path)
	writeAll(t, s, "v1", 100, []analyze.Request{request("msg_1", mustTime(t, "2025-06-01T00:00:00Z"), 11, 22)})
	s.Close()

	s = openTestStore(t, path)
	if got := s.SchemaVersion(); got != supportedSchema {
		t.Errorf("schema version = %d, want %d", got, supportedSchema)
	}
	requests, u := total(t, s)
	if requests != 1 || u.Tokens[pricing.Input] != 11 || u.Tokens[pricing.Output] != 22 {
		t.Errorf("requests, input, output = %d, %d, %d, want 1, 11, 22", requests, u.Tokens[pricing.Input], u.Tokens[pricing.Output])
	}
}

func TestOpenWALAndMeta(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	var mode, createdBy string
	if err := s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal mode = %q, want wal", mode)
	}
	if err := s.db.QueryRow(`SELECT value FROM meta WHERE key = 'created_by'`).Scan(&createdBy); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(createdBy, "costctl ") {
		t.Errorf("created_by = %q, want a costctl version", createdBy)
	}
}

func TestOpenReadOnly(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.db")
	if _, err := Open(context.Background(), missing, Options{ReadOnly: true}); err == nil {
		t.Error("read-only open of a missing store succeeded")
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("read-only open created %s", missing)
	}

	path := tempStorePath(t)
	writeAll(t, openTestStore(t, path), "v1", 100, []analyze.Request{request("msg_1", mustTime(t, "2025-06-01T00:00:00Z"), 1, 2)})
	s, err := Open(context.Background(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if requests, _ := total(t, s); requests != 1 {
		t.Errorf("read-only store has %d requests, want 1", requests)
	}
	if _, err := s.NewWriter(context.Background(), "v1"); err == nil {
		t.Error("read-only store returned a writer")
	}
}

func TestOpenForeignDatabaseRejected(t *testing.T) {
	path := tempStorePath(t)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE notes (body TEXT)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	if _, err := Open(context.Background(), path, Options{}); err == nil || !strings.Contains(err.Error(), "not a costctl store") {
		t.Errorf("open error = %v, want not a costctl store", err)
	}
}

// The statements are generated from the column lists; the migration is
// literal SQL. Both must name the same columns in the same order.
func TestSchemaColumnsMatchTables(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	wantRollup := append(rollupKeyColumns(), rollupValueColumns...)
	// seq, the insertion order, is the rowid and never written by name.
	tables := map[string][]string{"requests": append([]string{"seq"}, requestColumns()...)}
	for _, r := range rollupTables {
		tables[r.name] = wantRollup
	}
	for table, want := range tables {
		if got := tableColumns(t, s, table); !slices.Equal(got, want) {
			t.Errorf("%s columns = %v, want %v", table, got, want)
		}
	}
}

func tableColumns(t *testing.T, s *Store, table string) []string {
	t.Helper()
	rows, err := s.db.Query(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	return names
}

func TestBoundsAndPriceTableVersions(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	first, last, requests, err := s.Bounds(context.Background())
	if err != nil || !first.IsZero() || !last.IsZero() || requests != 0 {
		t.Errorf("empty store bounds = %v, %v, %d, %v, want zero", first, last, requests, err)
	}

	early, late := mustTime(t, "2025-06-01T08:00:00.250Z"), mustTime(t, "2025-06-03T17:45:00Z")
	writeAll(t, s, "2025-06-01+bbb", 100, []analyze.Request{request("msg_1", late, 1, 1)})
	writeAll(t, s, "2025-05-01+aaa", 100, []analyze.Request{request("msg_2", early, 1, 1), request("msg_3", early.Add(time.Hour), 1, 1)})
	writeAll(t, s, "", 100, []analyze.Request{request("msg_4", early.Add(2*time.Hour), 1, 1)})

	first, last, requests, err = s.Bounds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !first.Equal(early) || !last.Equal(late) || requests != 4 {
		t.Errorf("bounds = %v, %v, %d, want %v, %v, 4", first, last, requests, early, late)
	}

	versions, err := s.PriceTableVersions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2025-05-01+aaa", "2025-06-01+bbb"}; !slices.Equal(versions, want) {
		t.Errorf("price table versions = %q, want %q", versions, want)
	}
}

// A reader keeps SQLite's temporary data in files (temp_store 1), a writer
// in memory (2).
func TestTempStoreByMode(t *testing.T) {
	path := tempStorePath(t)
	for _, c := range []struct {
		readOnly bool
		want     int
	}{{false, 2}, {true, 1}} {
		s, err := Open(context.Background(), path, Options{ReadOnly: c.readOnly})
		if err != nil {
			t.Fatal(err)
		}
		var got int
		if err := s.db.QueryRow("PRAGMA temp_store").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("read-only %v: temp_store = %d, want %d", c.readOnly, got, c.want)
		}
		s.Close()
	}
}
