package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// damageStore overwrites every page of the store file after the first,
// which keeps the SQLite header, so SQLite opens the file and then reports
// it malformed.
func damageStore(t *testing.T, path string) {
	t.Helper()
	s := openTestStore(t, path)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const pageSize = 4096
	if len(data) <= pageSize {
		t.Fatalf("store is %d bytes, want more than one page", len(data))
	}
	for i := pageSize; i < len(data); i++ {
		data[i] = 0xde
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOpenDamagedStore(t *testing.T) {
	path := tempStorePath(t)
	damageStore(t, path)

	for _, readOnly := range []bool{false, true} {
		_, err := Open(context.Background(), path, Options{ReadOnly: readOnly})
		var corrupt *CorruptError
		if !errors.As(err, &corrupt) {
			t.Fatalf("read-only %v: error = %v, want a *CorruptError", readOnly, err)
		}
		for _, next := range []string{"restore it from a copy", "ingest the logs again into a new store", "costctl verify"} {
			if !strings.Contains(err.Error(), next) {
				t.Errorf("read-only %v: message %q does not say %q", readOnly, err, next)
			}
		}
	}
}

func TestWithCorruptHelp(t *testing.T) {
	path := tempStorePath(t)
	damageStore(t, path)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, queryErr := db.Exec(`SELECT count(*) FROM requests`)
	if sqliteCode(queryErr) != sqliteCorrupt {
		t.Fatalf("query on the damaged file: %v, want SQLITE_CORRUPT", queryErr)
	}

	// An error from reading or writing a store that opened gets the next step once.
	wrapped := WithCorruptHelp(fmt.Errorf("insert requests: %w", queryErr))
	var corrupt *CorruptError
	if !errors.As(wrapped, &corrupt) {
		t.Fatalf("error = %v, want a *CorruptError", wrapped)
	}
	if again := WithCorruptHelp(wrapped); again != wrapped {
		t.Errorf("wrapped twice: %v", again)
	}

	other := errors.New("disk full")
	if got := WithCorruptHelp(other); got != other {
		t.Errorf("another error became %v, want it unchanged", got)
	}
	if WithCorruptHelp(nil) != nil {
		t.Error("nil became an error")
	}
}
