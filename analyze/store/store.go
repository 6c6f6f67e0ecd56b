// Package store keeps canonical requests in one SQLite file. The requests
// table is dictionary-encoded and holds one row per DedupKey. A rollup of
// 15-minute buckets by low-cardinality dimensions serves most reports
// without scanning requests.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/cespare/xxhash/v2"
	"modernc.org/sqlite"
)

// Options tune how a store is opened.
type Options struct {
	// BusyTimeout is how long to wait for another writer's lock before
	// failing with ErrLocked. Zero means 10 seconds.
	BusyTimeout time.Duration
	// ReadOnly opens an existing store without creating, migrating or
	// writing it.
	ReadOnly bool
	// Upgrading, when set, is called before the schema of a store that
	// already has one is migrated. An upgrade can rewrite every stored
	// request, which takes minutes for tens of millions.
	Upgrading func(from, to int)
}

const defaultBusyTimeout = 10 * time.Second

// ErrLocked is wrapped by errors caused by another process holding the
// store's write lock for longer than the busy timeout.
var ErrLocked = errors.New("store is locked by another process")

// NewerSchemaError is returned by Open for a store written by a newer costctl.
// Open leaves such a store untouched.
type NewerSchemaError struct {
	Path      string
	Have      int // schema version of the file
	Supported int // newest schema version this build can read
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("%s has schema version %d, but this costctl supports up to %d: upgrade costctl",
		e.Path, e.Have, e.Supported)
}

// Store is an open costctl store. Its methods are safe for concurrent use.
type Store struct {
	db       *sql.DB
	path     string
	version  int
	readOnly bool

	// busyTimeout bounds the retries of steps SQLite does not retry itself.
	busyTimeout time.Duration

	// hash maps a dedup key to its preferred primary key; tests replace it
	// to force collisions.
	hash func(key string) int64
}

// Open opens the store at path, creating it unless opts.ReadOnly, switching
// it to WAL mode and applying missing schema migrations. A store from a newer
// costctl yields *NewerSchemaError.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = defaultBusyTimeout
	}
	if opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
	}

	dsn, err := dataSourceName(path, opts)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}

	s := &Store{db: db, path: path, readOnly: opts.ReadOnly, hash: hashKey, busyTimeout: opts.BusyTimeout}
	if err := s.prepare(ctx, opts); err != nil {
		db.Close()
		return nil, WithCorruptHelp(err)
	}
	return s, nil
}

// storeCacheKiB is the page cache of each store connection, in KiB.
const storeCacheKiB = 16 * 1024

// dataSourceName builds a file: URI so that SQLite honours mode=ro, with the
// driver's busy timeout and BEGIN IMMEDIATE for every write transaction.
func dataSourceName(path string, opts Options) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("open store: %w", err)
	}
	params := url.Values{}
	params.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", opts.BusyTimeout.Milliseconds()))
	// Write-path settings, measured with BenchmarkIngestJSONL and
	// scripts/bench.sh (BENCHMARKS.md). A 16 MiB page cache holds the pages
	// of the dedup-hash index that random keys touch at 1M requests: 32 MiB
	// ingested 1M requests no faster and used 32 to 36 MB more memory.
	// Statement journals of multi-row statements stay in memory instead of
	// a temporary file.
	//
	// A checkpoint runs every 256 MiB of WAL, so that it writes each page
	// once per several batches. Random keys spread a batch over many pages,
	// and checkpoints every 64 MiB made a 1M-request ingest 10 to 15% slower
	// (measured while the requests table itself was keyed by hash). A 1 GiB
	// WAL was slower again, because every page read searches a larger WAL
	// index. The WAL file can thus take 256 MiB of disk while an ingest
	// runs.
	//
	// In WAL mode, NORMAL keeps the file consistent after a crash, but a
	// power loss can drop the last committed batches.
	params.Add("_pragma", "synchronous(NORMAL)")
	params.Add("_pragma", fmt.Sprintf("cache_size(-%d)", storeCacheKiB))
	params.Add("_pragma", "temp_store("+tempStore(opts)+")")
	params.Add("_pragma", "wal_autocheckpoint(65536)")
	if opts.ReadOnly {
		params.Set("mode", "ro")
	} else {
		params.Set("_txlock", "immediate")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: params.Encode()}
	return u.String(), nil
}

// tempStore keeps SQLite's temporary tables and sorts in memory for a
// writer, which saves a file per statement journal, and in files for a
// reader. A reader's temporary data are the sorts of its queries, which
// grow with the store. verify's count of distinct dedup keys on 1M
// requests peaked at 202 MB of RSS in memory and at 126 MB with files, in
// about the same time, and reports ran as fast or faster.
func tempStore(opts Options) string {
	if opts.ReadOnly {
		return "FILE"
	}
	return "MEMORY"
}

// prepare checks the schema version before anything writes to the file, so a
// newer store is never modified.
func (s *Store) prepare(ctx context.Context, opts Options) error {
	have, err := readSchemaVersion(ctx, s.db)
	if err != nil {
		return fmt.Errorf("open store: %w", lockError(err))
	}
	if have > supportedSchema {
		return &NewerSchemaError{Path: s.path, Have: have, Supported: supportedSchema}
	}
	s.version = have
	if opts.ReadOnly {
		return checkReadable(have)
	}

	if err := s.enableWAL(ctx); err != nil {
		return fmt.Errorf("open store: set WAL mode: %w", err)
	}
	if have == supportedSchema {
		return nil
	}
	if have > 0 && opts.Upgrading != nil {
		opts.Upgrading(have, supportedSchema)
	}
	if err := migrate(ctx, s.db); err != nil {
		return err
	}
	s.version = supportedSchema
	return nil
}

// enableWAL switches the file to WAL mode. SQLite runs no busy handler
// for this pragma, so when several processes create one store at once the
// switch is retried here, with backoff, for up to the busy timeout.
func (s *Store) enableWAL(ctx context.Context) error {
	deadline := time.Now().Add(s.busyTimeout)
	wait := 5 * time.Millisecond
	for {
		_, err := s.db.ExecContext(ctx, `PRAGMA journal_mode = WAL`)
		err = lockError(err)
		if err == nil || !errors.Is(err, ErrLocked) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}

func checkReadable(have int) error {
	if have < supportedSchema {
		return &OlderSchemaError{Have: have, Supported: supportedSchema}
	}
	return nil
}

// Close closes the database. Writers must be closed first.
func (s *Store) Close() error {
	return s.db.Close()
}

// SchemaVersion returns the schema version of the open store.
func (s *Store) SchemaVersion() int {
	return s.version
}

// hashKey is the preferred primary key of a dedup key: its 64-bit xxhash
// reinterpreted as a signed integer.
func hashKey(key string) int64 {
	return int64(xxhash.Sum64String(key))
}

// lockError wraps ErrLocked around SQLite's busy and locked errors, which the
// driver returns once the busy timeout has run out.
func lockError(err error) error {
	const sqliteBusy, sqliteLocked = 5, 6
	var e *sqlite.Error
	if errors.As(err, &e) {
		if code := e.Code() & 0xff; code == sqliteBusy || code == sqliteLocked {
			return fmt.Errorf("%w: %w", ErrLocked, err)
		}
	}
	return err
}
