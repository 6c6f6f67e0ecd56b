package clickhouse

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Meta returns the value stored under key in the meta table; ok is false
// when the key has none. FINAL applies the table's replacing merge, so
// the value inserted last wins.
func (s *Store) Meta(ctx context.Context, key string) (value string, ok bool, err error) {
	query := fmt.Sprintf("SELECT value FROM meta FINAL WHERE key = '%s' LIMIT 1", sqlEscaper.Replace(key))
	r, err := s.c.query(ctx, query)
	if err != nil {
		return "", false, fmt.Errorf("read store setting %s: %w", key, err)
	}
	defer r.close()

	if !r.next() || len(r.fields) != 1 {
		return "", false, r.close()
	}
	return r.fields[0], true, nil
}

// SetMeta inserts value under key in the meta table, replacing an earlier
// value once the table merges; Meta reads the latest already.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	if s.readOnly {
		return errors.New("save store setting: store is open read-only")
	}
	row := tsvEscaper.Replace(key) + "\t" + tsvEscaper.Replace(value) + "\n"
	if err := s.c.insert(ctx, "INSERT INTO meta (key, value) FORMAT TabSeparated", strings.NewReader(row)); err != nil {
		return fmt.Errorf("save store setting %s: %w", key, err)
	}
	return nil
}
