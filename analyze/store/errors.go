package store

import (
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
)

// SQLite result codes (the low byte of an extended code) that choose the
// message for a store that cannot be opened.
const (
	sqliteReadOnly = 8  // SQLITE_READONLY
	sqliteCorrupt  = 11 // SQLITE_CORRUPT
	sqliteCantOpen = 14 // SQLITE_CANTOPEN
	sqliteNotADB   = 26 // SQLITE_NOTADB
)

// IsNotAStore reports whether err means the file is not a costctl store:
// not a SQLite database at all, or one without costctl's tables.
func IsNotAStore(err error) bool {
	return sqliteCode(err) == sqliteNotADB || strings.Contains(errText(err), "not a costctl store")
}

// IsAccessDenied reports whether SQLite failed to open or write the file
// because of a missing or read-only folder or file. SQLite needs write
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

// OlderSchemaError is a store opened read-only whose schema predates this
// costctl: read-only opens never migrate, so it must be opened for writing
// once.
type OlderSchemaError struct {
	Have, Supported int
}

func (e *OlderSchemaError) Error() string {
	return fmt.Sprintf("open store: schema version %d is older than %d: open it once without read-only mode (for example with costctl ingest) to migrate it",
		e.Have, e.Supported)
}

// CorruptError is a store whose file SQLite reports as damaged
// (SQLITE_CORRUPT, "database disk image is malformed"). Its message gives
// the way to recover, because no costctl command can repair such a file.
type CorruptError struct {
	Err error
}

func (e *CorruptError) Error() string {
	return e.Err.Error() + ": the store file is damaged: restore it from a copy, or ingest the logs again into a new store (--db NEW_PATH); " +
		"costctl verify lists the damage while the store still opens"
}

func (e *CorruptError) Unwrap() error { return e.Err }

// WithCorruptHelp returns err as a *CorruptError when SQLite reported the
// store damaged anywhere in its chain, and err unchanged otherwise. Open
// applies it, and so should a command that prints an error from reading
// or writing a store.
func WithCorruptHelp(err error) error {
	var done *CorruptError
	if sqliteCode(err) != sqliteCorrupt || errors.As(err, &done) {
		return err
	}
	return &CorruptError{Err: err}
}
