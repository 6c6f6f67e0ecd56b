package clickhouse

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
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
// NOTE: a batch is compared with the stored copies whose time falls in the
// batch's time range only. A stored copy with another time, or one that a
// concurrent writer inserts meanwhile, is not seen: the new copy is then
// inserted beside it and counted as Inserted. Readers pick the most
// complete copy, so reports stay exact, but Replaced and Kept are lower
// bounds.
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

	stored, err := w.s.storedCopies(w.ctx, w.batch)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	for i := range w.batch {
		if !w.againstStored(&w.batch[i], stored) {
			continue
		}
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

// againstStored counts r against the stored copy of its request, if any,
// and reports whether r must be inserted.
func (w *Writer) againstStored(r *analyze.Request, stored map[string]*analyze.Request) bool {
	old, ok := stored[r.DedupKey()]
	if !ok {
		return true
	}
	w.pending.Inserted--
	if analyze.MoreComplete(r, old) {
		w.pending.Replaced++
		return true
	}
	w.pending.Kept++
	return false
}

// storedCopies returns the chosen stored copy of each request of batch
// that has a copy in the batch's time range, with only the fields that
// analyze.MoreComplete compares. The time range keeps the read small for
// logs written in time order, and the table is sorted by time.
func (s *Store) storedCopies(ctx context.Context, batch []analyze.Request) (map[string]*analyze.Request, error) {
	lo, hi := batch[0].Time, batch[0].Time
	keys := make(map[string]bool, len(batch))
	for i := range batch {
		lo, hi = minTime(lo, batch[i].Time), maxTime(hi, batch[i].Time)
		keys[batch[i].DedupKey()] = true
	}
	query := fmt.Sprintf("SELECT dedup_key, output, total, source, line FROM requests WHERE time_ms >= %d AND time_ms <= %d ORDER BY %s LIMIT 1 BY dedup_key",
		lo.UnixMilli(), hi.UnixMilli(), completeFirst)
	r, err := s.c.query(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("write batch: read stored copies: %w", err)
	}
	defer r.close()

	out := map[string]*analyze.Request{}
	for r.next() {
		f := &fieldReader{fields: r.fields}
		key, output, total, source, line := f.text(), f.int(), f.int(), f.text(), f.int()
		if f.err != nil {
			return nil, fmt.Errorf("write batch: read stored copies: %w", f.err)
		}
		if keys[key] {
			out[key] = completeness(output, total, source, line)
		}
	}
	return out, r.close()
}

// completeness builds a request that analyze.MoreComplete compares like
// the stored copy: its total is carried as input beside the output.
func completeness(output, total int64, source string, line int64) *analyze.Request {
	r := &analyze.Request{Source: source, Line: line}
	r.Tokens[pricing.Output], r.Tokens[pricing.Input] = output, total-output
	return r
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
