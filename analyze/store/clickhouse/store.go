// Package clickhouse keeps canonical requests in a ClickHouse database,
// reached over its HTTP interface, for teams whose traffic outgrows one
// SQLite file. It implements store.Backend and returns the same cells,
// requests and bill lines as the SQLite store for the same input.
//
// Writers take no lock, so any number of them, on any number of machines,
// can ingest at once. A copy of a stored request may therefore be stored
// beside it, and readers keep the most complete copy of each dedup key
// (see dedupSQL).
// Tested against ClickHouse 18.16.
package clickhouse

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/costctl/costctl/analyze/store"
)

// schemaVersion is the newest ClickHouse schema this build reads and writes.
const schemaVersion = 1

// Options tune how a store is opened.
type Options struct {
	User, Password string
	// ReadOnly opens an existing database without creating tables.
	ReadOnly bool
	// HTTPClient replaces http.DefaultClient.
	HTTPClient *http.Client
	// Host names the machine whose log files this process reads, in the
	// file states it saves and reads; os.Hostname() when empty.
	Host string
}

// ErrNotExist is wrapped by Open's error for a read-only open of a
// database or table that does not exist.
var ErrNotExist = errors.New("database does not exist")

// missing reports whether err is ClickHouse's error for an unknown
// database (code 81) or table (code 60).
func missing(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Code: 81,") || strings.Contains(msg, "Code: 60,")
}

// Store is an open ClickHouse store. Its methods are safe for concurrent
// use.
type Store struct {
	c        *client
	readOnly bool
	version  int
	host     string // see Options.Host
}

// Open connects to the database named by db (clickhouse://HOST:PORT/DATABASE),
// creating the database and its tables unless opts.ReadOnly.
func Open(ctx context.Context, db string, opts Options) (*Store, error) {
	ep, err := parseURL(db)
	if err != nil {
		return nil, err
	}
	httpClient := opts.HTTPClient
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	s := &Store{
		c:        &client{http: httpClient, endpoint: ep, user: opts.User, password: opts.Password},
		readOnly: opts.ReadOnly,
		host:     hostName(opts.Host),
	}
	if !opts.ReadOnly {
		if err := s.create(ctx); err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
	}
	if err := s.readVersion(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// create makes the database and tables when missing. Every statement is
// idempotent, so concurrent first ingests are safe.
func (s *Store) create(ctx context.Context) error {
	if err := s.c.execIn(ctx, "default", "CREATE DATABASE IF NOT EXISTS "+s.c.endpoint.database); err != nil {
		return err
	}
	for _, ddl := range schema {
		if err := s.c.exec(ctx, ddl); err != nil {
			return err
		}
	}
	return nil
}

// readVersion checks that the database holds a schema this build reads.
func (s *Store) readVersion(ctx context.Context) error {
	r, err := s.c.query(ctx, "SELECT max(toInt64(value)) FROM meta WHERE key = 'schema_version'")
	if err != nil && missing(err) {
		return fmt.Errorf("open store: %w", ErrNotExist)
	}
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer r.close()

	if !r.next() || len(r.fields) != 1 {
		return errors.New("open store: no schema version found in the meta table")
	}
	have, err := strconv.Atoi(r.fields[0])
	if err != nil {
		return fmt.Errorf("open store: schema version %q: %w", r.fields[0], err)
	}
	if have > schemaVersion {
		return fmt.Errorf("open store: database has schema version %d, but this costctl supports up to %d: upgrade costctl", have, schemaVersion)
	}
	if have == 0 {
		return errors.New("open store: no costctl schema version found in the database: run costctl ingest first")
	}
	s.version = have
	return nil
}

// SchemaVersion returns the schema version of the open store.
func (s *Store) SchemaVersion() int {
	return s.version
}

// Close releases nothing: each call is one HTTP request.
func (s *Store) Close() error {
	return nil
}

var _ store.Backend = (*Store)(nil)
