package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
)

// Verification is the result of Verify. A store is sound when every field
// except the row counts is empty or zero.
type Verification struct {
	// Integrity holds the messages of SQLite's PRAGMA integrity_check
	// other than "ok": damaged pages, records or indexes.
	Integrity []string
	// RollupMismatches counts rollup keys whose stored counters differ
	// from the counters recomputed from the requests table, including
	// keys missing on either side. It includes CoarseMismatches, so that
	// one count decides whether the rollups need a rebuild.
	RollupMismatches int64
	// CoarseMismatches counts, per hour or day rollup table, the keys
	// whose counters differ from the 15-minute rollup summed into that
	// table's buckets. They are compared only when the 15-minute rollup
	// matches the requests table, because a rebuild replaces all of them.
	CoarseMismatches map[string]int64
	// DuplicateKeys counts requests rows that repeat another row's dedup
	// key, which would count a request twice.
	DuplicateKeys int64
	// DanglingRefs counts, per "table.column", the rows whose dictionary
	// id has no dict row.
	DanglingRefs map[string]int64
	Requests     int64 // rows in the requests table
	RollupRows   int64 // rows in the rollup table
}

// OK reports whether Verify found nothing wrong.
func (v *Verification) OK() bool {
	return len(v.Integrity) == 0 && v.RollupMismatches == 0 && v.DuplicateKeys == 0 && len(v.DanglingRefs) == 0
}

// Verify checks the store: SQLite's integrity check, the rollup against the
// raw requests, dedup keys and dictionary references. It only reads. When
// the integrity check fails, the other checks are skipped because their
// queries would read damaged pages.
func (s *Store) Verify(ctx context.Context) (*Verification, error) {
	v := &Verification{DanglingRefs: map[string]int64{}, CoarseMismatches: map[string]int64{}}
	if err := s.checkIntegrity(ctx, v); err != nil {
		return nil, err
	}
	if len(v.Integrity) > 0 {
		return v, nil
	}

	steps := []func(context.Context, *Verification) error{
		s.countRows, s.checkRollup, s.checkCoarseRollups, s.checkDedupKeys, s.checkDictRefs,
	}
	for _, step := range steps {
		if err := step(ctx, v); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// checkIntegrity runs PRAGMA integrity_check. SQLite may also fail the
// pragma itself on a badly damaged file. That error is a finding too, so
// that verify prints its repair.
func (s *Store) checkIntegrity(ctx context.Context, v *Verification) error {
	messages, err := s.integrityMessages(ctx)
	if isCorrupt(err) {
		v.Integrity = append(messages, err.Error())
		return nil
	}
	if err != nil {
		return fmt.Errorf("verify: integrity check: %w", lockError(err))
	}
	v.Integrity = messages
	return nil
}

// integrityMessages returns the pragma's messages other than "ok".
func (s *Store) integrityMessages(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var messages []string
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return messages, err
		}
		if msg != "ok" {
			messages = append(messages, msg)
		}
	}
	return messages, rows.Err()
}

// isCorrupt reports whether err is SQLite's SQLITE_CORRUPT or SQLITE_NOTADB.
func isCorrupt(err error) bool {
	const sqliteCorrupt, sqliteNotADB = 11, 26
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	code := e.Code() & 0xff
	return code == sqliteCorrupt || code == sqliteNotADB
}

func (s *Store) countRows(ctx context.Context, v *Verification) error {
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM requests), (SELECT count(*) FROM rollup)`).
		Scan(&v.Requests, &v.RollupRows)
	if err != nil {
		return fmt.Errorf("verify: count rows: %w", err)
	}
	return nil
}

// checkRollup compares the 15-minute rollup with the rollup recomputed
// from the requests table.
func (s *Store) checkRollup(ctx context.Context, v *Verification) error {
	n, err := s.countDiffering(ctx, quarterRollup.name, recomputedRollupSQL())
	if err != nil {
		return fmt.Errorf("verify: compare rollup with requests: %w", err)
	}
	v.RollupMismatches = n
	return nil
}

// recomputedRollupSQL selects the rollup rows the requests table implies, in
// rollupKeyColumns then rollupValueColumns order. The bucket expression
// rounds down for negative times as bucketOf does: SQLite's integer division
// truncates toward zero.
func recomputedRollupSQL() string {
	bucket := fmt.Sprintf("(time_ms / %[1]d) - (time_ms %% %[1]d < 0)", bucketSeconds*1000)
	dims := strings.Join(rollupDimColumns, ", ")

	values := []string{"count(*)", fmt.Sprintf("sum(status = %d)", statusNoUsage)}
	for _, c := range rollupValueColumns[vTokens:] {
		values = append(values, "sum("+c+")")
	}
	return fmt.Sprintf("SELECT %s AS bucket, %s, %s FROM requests GROUP BY bucket, %s",
		bucket, dims, strings.Join(values, ", "), dims)
}

// checkCoarseRollups compares each hour and day rollup table with the
// 15-minute rollup summed into its buckets. The 15-minute rollup is checked
// against the requests table, so a coarse table that matches it matches
// the requests too, and this reads about a million rollup rows at 10M
// requests instead of every request again.
func (s *Store) checkCoarseRollups(ctx context.Context, v *Verification) error {
	if v.RollupMismatches > 0 {
		return nil
	}
	for _, t := range rollupTables[1:] {
		n, err := s.countDiffering(ctx, t.name, coarseRollupSQL(t))
		if err != nil {
			return fmt.Errorf("verify: compare %s with rollup: %w", t.name, err)
		}
		if n > 0 {
			v.CoarseMismatches[t.name] = n
			v.RollupMismatches += n
		}
	}
	return nil
}

// countDiffering counts the distinct keys whose rows differ between table
// and the rows that expected selects, in both directions: a key with
// other counters shows up on both sides but counts once. The expected rows
// are computed once (AS MATERIALIZED, SQLite 3.35 and later), not once per
// direction.
func (s *Store) countDiffering(ctx context.Context, table, expected string) (int64, error) {
	keys := strings.Join(rollupKeyColumns(), ", ")
	cols := strings.Join(append(rollupKeyColumns(), rollupValueColumns...), ", ")
	query := fmt.Sprintf(`WITH expected AS MATERIALIZED (%[3]s)
	SELECT count(*) FROM (SELECT %[1]s FROM (
	SELECT * FROM (SELECT * FROM expected EXCEPT SELECT %[2]s FROM %[4]s)
	UNION ALL
	SELECT * FROM (SELECT %[2]s FROM %[4]s EXCEPT SELECT * FROM expected)) GROUP BY %[1]s)`, keys, cols, expected, table)
	var n int64
	err := s.db.QueryRowContext(ctx, query).Scan(&n)
	return n, err
}

// coarseRollupSQL selects the rows of t that the 15-minute rollup implies,
// in rollupKeyColumns then rollupValueColumns order.
func coarseRollupSQL(t rollupTable) string {
	per := t.seconds / bucketSeconds
	bucket := fmt.Sprintf("(bucket - (((bucket %% %[1]d) + %[1]d) %% %[1]d)) / %[1]d", per)
	dims := strings.Join(rollupDimColumns, ", ")
	values := make([]string, len(rollupValueColumns))
	for i, c := range rollupValueColumns {
		values[i] = "sum(" + c + ")"
	}
	// The GROUP BY repeats the expression because the alias, bucket, would
	// name the rollup's own column there.
	return fmt.Sprintf("SELECT %[1]s AS bucket, %[2]s, %[3]s FROM rollup GROUP BY %[1]s, %[2]s",
		bucket, dims, strings.Join(values, ", "))
}

func (s *Store) checkDedupKeys(ctx context.Context, v *Verification) error {
	err := s.db.QueryRowContext(ctx, `SELECT count(*) - count(DISTINCT dedup_key) FROM requests`).Scan(&v.DuplicateKeys)
	if err != nil {
		return fmt.Errorf("verify: check dedup keys: %w", err)
	}
	return nil
}

// checkDictRefs counts, per dictionary-encoded column of requests and the
// rollup tables, the ids missing from dict, in one scan of each table.
func (s *Store) checkDictRefs(ctx context.Context, v *Verification) error {
	rollupDict := make([]string, 0, len(rollupDimColumns))
	for _, c := range rollupDimColumns {
		if c != "context_band" { // an integer, not a dictionary id
			rollupDict = append(rollupDict, c)
		}
	}
	if err := s.countDangling(ctx, "requests", dictColumns[:], v); err != nil {
		return err
	}
	for _, t := range rollupTables {
		if err := s.countDangling(ctx, t.name, rollupDict, v); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) countDangling(ctx context.Context, table string, cols []string, v *Verification) error {
	sums := make([]string, len(cols))
	for i, c := range cols {
		sums[i] = fmt.Sprintf("coalesce(sum(%s NOT IN (SELECT id FROM dict)), 0)", c)
	}
	query := "SELECT " + strings.Join(sums, ", ") + " FROM " + table

	counts := make([]int64, len(cols))
	dest := make([]any, len(cols))
	for i := range counts {
		dest[i] = &counts[i]
	}
	if err := s.db.QueryRowContext(ctx, query).Scan(dest...); err != nil {
		return fmt.Errorf("verify: check dictionary references of %s: %w", table, err)
	}
	for i, n := range counts {
		if n > 0 {
			v.DanglingRefs[table+"."+cols[i]] = n
		}
	}
	return nil
}

// RebuildRollup replaces the rollup tables with the ones recomputed from the
// requests table, in one write transaction, so a reader sees either the old
// rollups or the new ones. It returns the number of 15-minute rollup rows
// written.
func (s *Store) RebuildRollup(ctx context.Context) (int64, error) {
	if s.readOnly {
		return 0, fmt.Errorf("rebuild rollup: store is open read-only")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("rebuild rollup: %w", lockError(err))
	}
	defer tx.Rollback()

	cols := strings.Join(append(rollupKeyColumns(), rollupValueColumns...), ", ")
	var n int64
	for i, t := range rollupTables {
		rows := recomputedRollupSQL()
		if i > 0 {
			rows = coarseRollupSQL(t)
		}
		written, err := refill(ctx, tx, t, cols, rows)
		if err != nil {
			return 0, fmt.Errorf("rebuild rollup: %w", err)
		}
		if i == 0 {
			n = written
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("rebuild rollup: commit: %w", lockError(err))
	}
	return n, nil
}

// refill replaces the rows of t with the rows that query selects. The
// coarse tables are refilled from the 15-minute rollup, so it must come
// first.
func refill(ctx context.Context, tx *sql.Tx, t rollupTable, cols, query string) (int64, error) {
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+t.name); err != nil {
		return 0, fmt.Errorf("delete %s: %w", t.name, err)
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO "+t.name+" ("+cols+") "+query)
	if err != nil {
		return 0, fmt.Errorf("insert %s: %w", t.name, err)
	}
	return res.RowsAffected()
}
