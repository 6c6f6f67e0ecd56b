// Package ingest reads request logs, prices each request and stores it:
// the pipeline behind `costctl ingest`, kept apart from the command line
// so it can be tested and reused.
package ingest

import (
	"context"
	"errors"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/logs"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// Options control one ingest run.
type Options struct {
	Format     string    // forced input format; "" detects per file
	AssumeTime time.Time // time for records without one; zero rejects them
	Strict     bool      // a file with any rejected line stores nothing
	// Progress, when set, is called now and then with the running counts.
	Progress func(Counts)
}

// Counts are the running totals of an ingest.
type Counts struct {
	Lines, Requests, Rejected int64
}

// Run reads every input into st. Inputs that cannot be read at all (not a
// log, unreadable) are recorded in the summary and the run goes on, so
// that one bad file never costs the good ones.
func Run(ctx context.Context, st *store.Store, table *pricing.Table, inputs []Input, opts Options) (*Summary, error) {
	w, err := st.NewWriter(ctx, table.Version())
	if err != nil {
		return nil, err
	}
	sink := newSink(w, analyze.Pricer{Table: table}, opts)

	for _, in := range inputs {
		if err := sink.readInput(ctx, in, opts); err != nil {
			_, _ = w.Close()
			return sink.summary, err
		}
	}

	stats, err := w.Close()
	sink.summary.Write = stats
	sink.summary.finish()
	return sink.summary, err
}

// readInput reads one path (or stdin) and records what happened.
func (s *sink) readInput(ctx context.Context, in Input, opts Options) error {
	results, err := in.read(ctx, logs.Options{Format: opts.Format, AssumeTime: opts.AssumeTime}, s)
	s.summary.Files = append(s.summary.Files, results...)
	if err == nil {
		return nil
	}
	if isStoreError(err) || ctx.Err() != nil {
		return err
	}
	s.summary.FileErrors = append(s.summary.FileErrors, err.Error())
	return nil
}

// isStoreError tells a failure of the store (fatal for the run) from a
// failure of one input (recorded, the run goes on).
func isStoreError(err error) bool {
	var se *storeError
	return errors.As(err, &se)
}

// storeError marks an error that came from writing the store.
type storeError struct{ err error }

func (e *storeError) Error() string { return e.err.Error() }
func (e *storeError) Unwrap() error { return e.err }
