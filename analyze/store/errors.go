package store

import (
	"errors"
	"strings"

	"modernc.org/sqlite"
)

// SQLite result codes (the low byte of an extended code) that decide what
// a user is told when a store cannot be opened.
const (
	sqliteReadOnly = 8  // SQLITE_READONLY
	sqliteCantOpen = 14 // SQLITE_CANTOPEN
	sqliteNotADB   = 26 // SQLITE_NOTADB
)

// IsNotAStore reports whether err says the file is not a costctl store:
// not a SQLite database at all, or one without costctl's tables.
func IsNotAStore(err error) bool {
	return sqliteCode(err) == sqliteNotADB || strings.Contains(errText(err), "not a costctl store")
}

// IsAccessDenied reports whether err says SQLite could not open or write
// the file: a missing or read-only folder or file. SQLite needs write
// access to the store and its folder, for the -wal and -shm files, even
// to read a store in WAL mode.
func IsAccessDenied(err error) bool {
	code := sqliteCode(err)
	return code == sqliteReadOnly || code == sqliteCantOpen
}

func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code() & 0xff
	}
	return 0
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
