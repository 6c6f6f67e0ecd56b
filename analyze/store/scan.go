package store

import (
	"context"
	"fmt"

	"github.com/costctl/costctl/analyze"
)

// Scan calls fn with every stored request in q's window [Since, Until), in
// time order, ties broken by primary key so two scans give the same order.
// q.By and q.Loc are ignored. Rows are decoded a batch at a time and the
// batches are reused, so memory does not grow with the number of requests,
// and fn must copy what it keeps. The dictionary is read into memory first: it
// grows with distinct values (users, sessions, sources), not with requests.
// An error from fn stops the scan and is returned as is.
func (s *Store) Scan(ctx context.Context, q analyze.Query, fn func(*analyze.Request) error) error {
	return s.scanRows(ctx, q, false, func(r *scannedRow) error {
		return fn(&r.req)
	})
}

// scannedRow is one decoded requests row. key and priceTable are set only
// by a priced scan.
type scannedRow struct {
	req        analyze.Request
	key        string
	priceTable string
}

// scanBatchRows is the number of rows per batch; scanBatches batches exist,
// so at most that many rows are decoded ahead of the callback.
const (
	scanBatchRows = 256
	scanBatches   = 3
)

// scanRows decodes the rows of q's window in time order on other
// goroutines and calls each with them on the caller's goroutine, so that
// on two cores decoding overlaps the caller's work. Scan and ScanPriced
// differ only in what they pass on.
func (s *Store) scanRows(ctx context.Context, q analyze.Query, priced bool, each func(*scannedRow) error) error {
	dict, err := s.readDictionary(ctx)
	if err != nil {
		return err
	}
	plans, err := s.planScans(ctx, q, priced)
	if err != nil {
		return err
	}
	since, until := windowMillis(q)
	return s.runWithFallback(ctx, plans, scanQuery(since, until, priced, false), dict, each)
}

// runWithFallback runs plans, and runs fallback instead when plans fail
// before any row reached each. A sorted plan needs temporary files, so it
// fails where SQLite finds no writable temporary directory; the time index
// needs none.
func (s *Store) runWithFallback(ctx context.Context, plans []scanPlan, fallback scanPlan, dict *dictionary, each func(*scannedRow) error) error {
	called := false
	err := s.runScans(ctx, plans, dict, func(r *scannedRow) error {
		called = true
		return each(r)
	})
	if err == nil || called || !plans[0].sorted || ctx.Err() != nil {
		return err
	}
	if fallbackErr := s.runScans(ctx, []scanPlan{fallback}, dict, each); fallbackErr != nil {
		return fmt.Errorf("%w (and through the time index: %w)", err, fallbackErr)
	}
	return nil
}

// scanStream is one plan being decoded: batches arrive on full and go
// back on free, and done receives the plan's error once full is closed.
type scanStream struct {
	full, free chan []scannedRow
	done       chan error
}

// runScans starts every plan at once, each on its own goroutine and
// connection, and calls each with their rows in plan order. A plan that
// SQLite sorts does all of its sorting before its first row, so a later
// plan sorts while the caller works through the rows of an earlier one.
func (s *Store) runScans(ctx context.Context, plans []scanPlan, dict *dictionary, each func(*scannedRow) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	streams := make([]scanStream, len(plans))
	for i := range plans {
		streams[i] = s.startScan(ctx, plans[i], dict)
	}

	var firstErr error
	for _, st := range streams {
		if err := consumeBatches(st.full, st.free, each, firstErr != nil); err != nil && firstErr == nil {
			firstErr = err
		}
		// full is closed, so the decoding goroutine has sent its error.
		if err := <-st.done; err != nil && firstErr == nil {
			firstErr = err
		}
		if firstErr != nil {
			cancel()
		}
	}
	return firstErr
}

// startScan decodes plan on a new goroutine.
func (s *Store) startScan(ctx context.Context, plan scanPlan, dict *dictionary) scanStream {
	st := scanStream{
		full: make(chan []scannedRow, scanBatches),
		free: make(chan []scannedRow, scanBatches),
		done: make(chan error, 1),
	}
	for range scanBatches {
		st.free <- make([]scannedRow, 0, scanBatchRows)
	}
	go func() {
		defer close(st.full)
		st.done <- s.decodeRows(ctx, plan, dict, st.free, st.full)
	}()
	return st
}

// consumeBatches calls each with every row of the batches received from
// full, until full is closed, and hands every batch back through free.
// When skip is set, or after the first error, it only drains full.
func consumeBatches(full <-chan []scannedRow, free chan<- []scannedRow, each func(*scannedRow) error, skip bool) error {
	var err error
	for batch := range full {
		for i := 0; !skip && err == nil && i < len(batch); i++ {
			err = each(&batch[i])
		}
		free <- batch[:0]
	}
	return err
}

// decodeRows runs the scan query and sends its rows in batches to full,
// taking empty batches from free.
func (s *Store) decodeRows(ctx context.Context, plan scanPlan, dict *dictionary, free <-chan []scannedRow, full chan<- []scannedRow) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("scan requests: %w", err)
	}
	defer conn.Close()
	if plan.sorted {
		restore, err := setSortPragmas(ctx, conn)
		if err != nil {
			return err
		}
		defer restore()
	}

	rows, err := conn.QueryContext(ctx, plan.query, plan.args...)
	if err != nil {
		return fmt.Errorf("scan requests: %w", err)
	}
	defer rows.Close()

	var cols packedColumns
	dest := cols.dest(plan.priced)
	batch := <-free
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("scan requests: %w", err)
		}
		batch = batch[:len(batch)+1]
		if err := cols.decode(dict, &batch[len(batch)-1]); err != nil {
			return err
		}
		if len(batch) == cap(batch) {
			full <- batch
			batch = <-free
		}
	}
	if len(batch) > 0 {
		full <- batch
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan requests: %w", err)
	}
	return nil
}
