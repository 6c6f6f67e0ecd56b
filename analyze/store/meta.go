package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Meta returns the value stored under key in the meta table; ok is false
// when the key has none.
func (s *Store) Meta(ctx context.Context, key string) (value string, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read store setting %s: %w", key, lockError(err))
	}
	return value, true, nil
}

// SetMeta stores value under key in the meta table, replacing an earlier
// value.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
	ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("save store setting %s: %w", key, lockError(err))
	}
	return nil
}
