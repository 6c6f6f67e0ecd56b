package clickhouse

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
)

// Batch limits. ClickHouse makes one data part per INSERT and merges them
// in the background, so batches are larger than the SQLite store's: about
// one INSERT a second per writer keeps the part count low.
const (
	maxBatchAge  = time.Second
	maxBatchRows = 100000
)

// Writer inserts requests in batches. It is not safe for concurrent use,
// but any number of writers may insert into one database at once.
//
// NOTE: copies of one request are merged within a batch only. A copy
// already stored by an earlier batch or another writer is inserted beside
// it and counted as Inserted; readers pick the most complete copy, so the
// figures are exact but the Replaced and Kept counts are lower bounds.
type Writer struct {
	s          *Store
	ctx        context.Context
	priceTable string

	keys       map[string]int // dedup key to index in batch
	batch      []analyze.Request
	batchStart time.Time
	pending    store.WriteStats // of the batch in flight
	stats      store.WriteStats // of the inserted batches
	closed     bool
}

// OpenWriter returns a writer that records priceTableVersion as the table
// that priced every request it stores.
func (s *Store) OpenWriter(ctx context.Context, priceTableVersion string) (store.RequestWriter, error) {
	if s.readOnly {
		return nil, errors.New("new writer: store is open read-only")
	}
	return &Writer{s: s, ctx: ctx, priceTable: priceTableVersion, keys: map[string]int{}}, nil
}

// Add buffers a copy of r, keeping the more complete of two copies in the
// batch, and inserts the batch when it is about a second old or full.
func (w *Writer) Add(r *analyze.Request) error {
	if w.closed {
		return errors.New("add request: writer is closed")
	}
	if len(w.batch) == 0 {
		w.batchStart = time.Now()
	}
	w.merge(r)

	if len(w.batch) >= maxBatchRows || time.Since(w.batchStart) >= maxBatchAge {
		return w.flush()
	}
	return nil
}

func (w *Writer) merge(r *analyze.Request) {
	key := r.DedupKey()
	i, ok := w.keys[key]
	switch {
	case !ok:
		w.keys[key] = len(w.batch)
		w.batch = append(w.batch, *r)
		w.pending.Inserted++
	case analyze.MoreComplete(r, &w.batch[i]):
		w.batch[i] = *r
		w.pending.Replaced++
	default:
		w.pending.Kept++
	}
}

// Close inserts the buffered requests and returns what the writer did.
func (w *Writer) Close() (store.WriteStats, error) {
	if w.closed {
		return w.stats, nil
	}
	w.closed = true
	err := w.flush()
	return w.stats, err
}

func (w *Writer) flush() error {
	if len(w.batch) == 0 {
		return nil
	}
	defer func() {
		w.batch, w.pending = w.batch[:0], store.WriteStats{}
		clear(w.keys)
	}()

	var buf bytes.Buffer
	for i := range w.batch {
		if err := appendRow(&buf, &w.batch[i], w.priceTable, 0); err != nil {
			return err
		}
	}
	if err := w.s.insertRequests(w.ctx, &buf); err != nil {
		return err
	}
	w.stats.Inserted += w.pending.Inserted
	w.stats.Replaced += w.pending.Replaced
	w.stats.Kept += w.pending.Kept
	return nil
}

func (s *Store) insertRequests(ctx context.Context, rows *bytes.Buffer) error {
	insert := "INSERT INTO requests (" + joinQuoted(requestColumns()) + ") FORMAT TabSeparated"
	if err := s.c.insert(ctx, insert, rows); err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	return nil
}
