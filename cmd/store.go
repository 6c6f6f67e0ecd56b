package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/analyze/store/clickhouse"
	"github.com/costctl/costctl/pricing"
)

// Environment variables with the ClickHouse credentials, kept out of --db so
// that they never appear in a process list, a config file or a message.
const (
	envClickHouseUser     = "COSTCTL_CLICKHOUSE_USER"
	envClickHousePassword = "COSTCTL_CLICKHOUSE_PASSWORD"
)

// openBackend opens the store named by --db: clickhouse://HOST:PORT/DATABASE
// selects ClickHouse, sqlite://FILE or a plain path selects SQLite.
func (a *app) openBackend(ctx context.Context, readOnly bool) (store.Backend, error) {
	return a.openBackendAt(ctx, a.v.GetString("db"), readOnly)
}

func (a *app) openBackendAt(ctx context.Context, db string, readOnly bool) (store.Backend, error) {
	if !clickhouse.IsURL(db) {
		return a.openSQLite(ctx, sqlitePath(db), readOnly)
	}
	st, err := clickhouse.Open(ctx, db, clickhouse.Options{
		User:     os.Getenv(envClickHouseUser),
		Password: os.Getenv(envClickHousePassword),
		ReadOnly: readOnly,
	})
	if readOnly && errors.Is(err, clickhouse.ErrNotExist) {
		return nil, usageErrorf("store %s does not exist: run costctl ingest first, or pass --db", clickhouse.Redact(db))
	}
	if err != nil {
		return nil, withCode(ExitRuntime, fmt.Errorf("store %s: %w", clickhouse.Redact(db), err))
	}
	return st, nil
}

// openStore opens the SQLite store named by --db, for the commands that
// only SQLite supports.
func (a *app) openStore(ctx context.Context, readOnly bool) (*store.Store, error) {
	db := a.v.GetString("db")
	if clickhouse.IsURL(db) {
		return nil, usageErrorf("store %s: this command supports only SQLite stores", clickhouse.Redact(db))
	}
	return a.openSQLite(ctx, sqlitePath(db), readOnly)
}

// openSQLite opens a SQLite store. Failures are runtime errors (exit 4): a
// locked store, one from a newer costctl, an unwritable path.
func (a *app) openSQLite(ctx context.Context, path string, readOnly bool) (*store.Store, error) {
	if readOnly {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, usageErrorf("store %s does not exist: run costctl ingest first, or pass --db", path)
		}
	}
	if !readOnly {
		if err := checkStoreFolder(path); err != nil {
			return nil, err
		}
	}
	upgrading := a.upgradeNotice(path)
	st, err := store.Open(ctx, path, store.Options{ReadOnly: readOnly, Upgrading: upgrading})
	var older *store.OlderSchemaError
	if errors.As(err, &older) {
		st, err = migrateThenOpen(ctx, path, upgrading)
	}
	switch {
	case err == nil:
		return st, nil
	case store.IsNotAStore(err):
		return nil, usageErrorf("store %s is not a costctl store (%v): pass the --db of a store costctl wrote, or a new file name", path, err)
	case store.IsAccessDenied(err):
		return nil, withCode(ExitRuntime, fmt.Errorf("store %s: %w; costctl needs write access to the file and its folder, even to read it, because SQLite keeps -wal and -shm files beside it: copy the store to a writable folder", path, err))
	}
	return nil, withCode(ExitRuntime, fmt.Errorf("store %s: %w", path, err))
}

// migrateThenOpen brings a store written by an older costctl up to date,
// so that a report after an upgrade just works, then opens it read-only.
func migrateThenOpen(ctx context.Context, path string, upgrading func(from, to int)) (*store.Store, error) {
	st, err := store.Open(ctx, path, store.Options{Upgrading: upgrading})
	if err != nil {
		return nil, err
	}
	if err := st.Close(); err != nil {
		return nil, err
	}
	return store.Open(ctx, path, store.Options{ReadOnly: true})
}

// upgradeNotice returns the callback that prints on stderr that a store
// written by an older costctl is being upgraded, so that a long first run
// after an upgrade is not mistaken for a hang.
func (a *app) upgradeNotice(path string) func(from, to int) {
	return func(from, to int) {
		fmt.Fprintf(a.io.Err, "upgrading store %s from schema %d to %d; on a store of millions of requests this takes minutes, once\n", path, from, to)
	}
}

// checkStoreFolder reports plainly when the folder of a new or written store
// is missing, rather than SQLite's "unable to open database file".
func checkStoreFolder(path string) error {
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return usageErrorf("store %s: folder %s does not exist: create it or pass another --db", path, dir)
	}
	if err == nil && !info.IsDir() {
		return usageErrorf("store %s: %s is not a folder", path, dir)
	}
	return nil
}

// sqlitePath strips the optional sqlite:// scheme.
func sqlitePath(db string) string {
	return strings.TrimPrefix(db, "sqlite://")
}

// priceTable is the table every command prices with; see activeTable.
func (a *app) priceTable() (*pricing.Table, error) {
	return a.activeTable()
}

// readStore returns the active price table and the store opened for
// reading: what every command that reports on stored requests needs. The
// caller closes the store.
func (a *app) readStore(ctx context.Context) (*pricing.Table, store.Backend, error) {
	table, err := a.priceTable()
	if err != nil {
		return nil, nil, err
	}
	st, err := a.openBackend(ctx, true)
	if err != nil {
		return nil, nil, err
	}
	return table, st, nil
}
