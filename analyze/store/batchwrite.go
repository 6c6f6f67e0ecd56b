package store

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
)

// rowsPerStatement is how many requests one multi-row statement writes:
// 256 rows × 46 columns stay below SQLite's default limit of 32,766 bound
// parameters. Larger statements spread the per-statement cost of the driver
// over more rows.
const rowsPerStatement = 256

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
	if b.conn != nil {
		return b.conn.Raw(func(dc any) error { return b.writeRowsRaw(dc, verb, rows) })
	}

	var full *sql.Stmt
	shared := findShared(rows)
	args := make([]any, 0, min(len(rows), rowsPerStatement)*len(requestColumns()))
	for start := 0; start < len(rows); start += rowsPerStatement {
		part := rows[start:min(start+rowsPerStatement, len(rows))]
		stmt, err := b.rowsStatement(multiRowSQL(verb, &shared, len(part)), len(part) == rowsPerStatement, &full)
		if err != nil {
			return err
		}
		args = args[:0]
		for _, r := range part {
			args = shared.appendValues(args, r)
		}
		_, err = stmt.ExecContext(b.ctx, args...)
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

// rowsStatement returns the statement for query, preparing the full-size
// one once and caching it in *full.
func (b *batch) rowsStatement(query string, isFull bool, full **sql.Stmt) (*sql.Stmt, error) {
	if isFull && *full != nil {
		return *full, nil
	}
	stmt, err := b.tx.PrepareContext(b.ctx, query)
	if err != nil {
		return nil, err
	}
	if isFull {
		*full = stmt
	}
	return stmt, nil
}

// multiRowSQL writes n rows, with the shared columns as literals.
func multiRowSQL(verb string, shared *sharedValues, n int) string {
	tuple := shared.tuple()
	tuples := strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ")
	return verb + " INTO requests (" + strings.Join(requestColumns(), ", ") + ") VALUES " + tuples
}

// writeRowsRaw writes rows through the driver connection that runs the
// batch's transaction. database/sql would copy the arguments of every
// statement into a new []driver.NamedValue, which was a third of the bytes
// an ingest allocated; here one slice serves every statement.
func (b *batch) writeRowsRaw(dc any, verb string, rows []*row) error {
	conn, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return fmt.Errorf("sqlite driver connection %T cannot prepare statements", dc)
	}

	var full driver.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	shared := findShared(rows)
	args := make([]driver.NamedValue, 0, min(len(rows), rowsPerStatement)*len(requestColumns()))
	for start := 0; start < len(rows); start += rowsPerStatement {
		part := rows[start:min(start+rowsPerStatement, len(rows))]
		args = args[:0]
		for _, r := range part {
			args = shared.appendNamedValues(args, r)
		}
		query := ""
		if full == nil || len(part) < rowsPerStatement {
			query = multiRowSQL(verb, &shared, len(part))
		}
		if err := execRaw(b.ctx, conn, &full, query, len(part) == rowsPerStatement, args); err != nil {
			return err
		}
	}
	return nil
}

// execRaw runs query with args, keeping the prepared statement in *full
// when keep is set and reusing it on the next call.
func execRaw(ctx context.Context, conn driver.ConnPrepareContext, full *driver.Stmt, query string, keep bool, args []driver.NamedValue) error {
	stmt := *full
	if !keep || stmt == nil {
		var err error
		if stmt, err = conn.PrepareContext(ctx, query); err != nil {
			return err
		}
		if keep {
			*full = stmt
		} else {
			defer stmt.Close()
		}
	}

	exec, ok := stmt.(driver.StmtExecContext)
	if !ok {
		return fmt.Errorf("sqlite driver statement %T cannot execute with a context", stmt)
	}
	_, err := exec.ExecContext(ctx, args)
	return err
}
