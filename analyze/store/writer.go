package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/costctl/costctl/analyze"
)

// Batch limits: a batch is committed once it is this old or this large, so a
// crash loses at most about a second of requests and the write lock is held
// only while a batch is written.
const (
	maxBatchAge  = time.Second
	maxBatchRows = 10000
)

// WriteStats counts what a writer did with the requests it was given.
type WriteStats struct {
	Inserted int64 // new requests
	Replaced int64 // a more complete copy replaced the stored one
	Kept     int64 // duplicates no more complete than the stored copy, ignored
}

func (s *WriteStats) add(o WriteStats) {
	s.Inserted += o.Inserted
	s.Replaced += o.Replaced
	s.Kept += o.Kept
}

// Writer adds requests to a store in batches. A Writer is not safe for
// concurrent use, but several writers, in one process or many, may write one
// store at a time: each batch takes the write lock with BEGIN IMMEDIATE.
type Writer struct {
	s          *Store
	ctx        context.Context
	priceTable string
	dict       *dictCache

	batch      []analyze.Request
	batchStart time.Time
	maxRows    int
	stats      WriteStats
	closed     bool
}

// NewWriter returns a writer that records priceTableVersion as the table that
// priced every request it stores. ctx bounds every batch it commits.
func (s *Store) NewWriter(ctx context.Context, priceTableVersion string) (*Writer, error) {
	if s.readOnly {
		return nil, errors.New("new writer: store is open read-only")
	}
	w := &Writer{
		s:          s,
		ctx:        ctx,
		priceTable: priceTableVersion,
		dict:       newDictCache(),
		maxRows:    maxBatchRows,
	}
	return w, nil
}

// Add buffers a copy of r and commits the batch when it is about a second old
// or full. On error the batch in flight, r included, is not stored.
func (w *Writer) Add(r *analyze.Request) error {
	if w.closed {
		return errors.New("add request: writer is closed")
	}
	if len(w.batch) == 0 {
		w.batchStart = time.Now()
	}
	w.batch = append(w.batch, *r)

	// NOTE: the age is checked only here, so a batch waits in memory while
	// the caller adds nothing, for example while a followed log is idle.
	if len(w.batch) >= w.maxRows || time.Since(w.batchStart) >= maxBatchAge {
		return w.flush()
	}
	return nil
}

// Close commits the buffered requests and returns what the writer did.
func (w *Writer) Close() (WriteStats, error) {
	if w.closed {
		return w.stats, nil
	}
	w.closed = true
	err := w.flush()
	return w.stats, err
}

// flush writes the batch in one transaction. Statistics and the dictionary
// cache only take the batch's effects once it has committed.
func (w *Writer) flush() error {
	if len(w.batch) == 0 {
		return nil
	}
	defer func() { w.batch = w.batch[:0] }()

	stats, err := w.writeBatch()
	if err != nil {
		w.dict.reset()
		return err
	}
	w.stats.add(stats)
	return nil
}

func (w *Writer) writeBatch() (WriteStats, error) {
	tx, err := w.s.db.BeginTx(w.ctx, nil)
	if err != nil {
		return WriteStats{}, fmt.Errorf("write batch: %w", lockError(err))
	}
	defer tx.Rollback()

	b, err := newBatch(w.ctx, tx, w.s.hash, w.dict)
	if err != nil {
		return WriteStats{}, err
	}
	defer b.close()

	priceTable, err := b.dictID(w.priceTable)
	if err != nil {
		return WriteStats{}, err
	}
	if err := b.run(w.batch, priceTable); err != nil {
		return WriteStats{}, err
	}
	if err := tx.Commit(); err != nil {
		return WriteStats{}, fmt.Errorf("write batch: commit: %w", lockError(err))
	}
	return b.stats, nil
}
