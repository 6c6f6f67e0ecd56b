package store

import (
	"cmp"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// rowsPerStatement is how many requests one multi-row statement writes:
// 64 rows × 46 columns stay well below SQLite's default limit of 32,766
// bound parameters.
const rowsPerStatement = 64

// write stores the batch's changed rows in id order, which keeps B-tree
// inserts local: new rows with INSERT, replaced ones with REPLACE.
func (b *batch) write() error {
	var inserts, replaces []*row
	for _, s := range b.slots {
		switch {
		case s == nil || !s.dirty:
		case s.existed:
			replaces = append(replaces, &s.row)
		default:
			inserts = append(inserts, &s.row)
		}
	}

	if err := b.writeRows("INSERT", inserts); err != nil {
		return fmt.Errorf("insert requests: %w", err)
	}
	if err := b.writeRows("REPLACE", replaces); err != nil {
		return fmt.Errorf("replace requests: %w", err)
	}
	return nil
}

func (b *batch) writeRows(verb string, rows []*row) error {
	slices.SortFunc(rows, func(x, y *row) int { return cmp.Compare(x.id, y.id) })

	var full *sql.Stmt
	for start := 0; start < len(rows); start += rowsPerStatement {
		part := rows[start:min(start+rowsPerStatement, len(rows))]
		stmt, err := b.rowsStatement(verb, len(part), &full)
		if err != nil {
			return err
		}
		_, err = stmt.ExecContext(b.ctx, rowValues(part)...)
		if stmt != full {
			stmt.Close()
		}
		if err != nil {
			return err
		}
	}
	if full != nil {
		full.Close()
	}
	return nil
}

// rowsStatement returns the statement for n rows, preparing the full-size
// one once and caching it in *full.
func (b *batch) rowsStatement(verb string, n int, full **sql.Stmt) (*sql.Stmt, error) {
	if n == rowsPerStatement && *full != nil {
		return *full, nil
	}
	stmt, err := b.tx.PrepareContext(b.ctx, multiRowSQL(verb, n))
	if err != nil {
		return nil, err
	}
	if n == rowsPerStatement {
		*full = stmt
	}
	return stmt, nil
}

func multiRowSQL(verb string, n int) string {
	cols := requestColumns()
	tuple := "(" + placeholders(len(cols)) + ")"
	tuples := strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ")
	return verb + " INTO requests (" + strings.Join(cols, ", ") + ") VALUES " + tuples
}

func rowValues(rows []*row) []any {
	var v []any
	for _, r := range rows {
		v = append(v, r.values()...)
	}
	return v
}
