// Package ingest reads request logs, prices each request and stores it:
// the pipeline behind `costctl ingest`, kept apart from the command line
// so it can be tested and reused.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
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
	// Map sets dimensions from paths into the raw records (logs.Options.Map).
	Map map[string]string
	// Progress, when set, is called now and then with the running counts.
	Progress func(Counts)
	// HashKey, when set, stores user and customer ids as HMAC-SHA256
	// pseudonyms keyed with it (see hashids.go).
	HashKey []byte
}

// Counts are the running totals of an ingest.
type Counts struct {
	Lines, Requests, Rejected int64
	// Bytes counts the input bytes read, compressed as stored, with the
	// bytes of unchanged files and of already read heads of grown files
	// that were passed over.
	Bytes int64
}

// Run reads every input into st. Inputs that cannot be read at all (not a
// log, unreadable) are recorded in the summary and the run goes on, so
// that one bad file never costs the good ones.
func Run(ctx context.Context, st store.Backend, table *pricing.Table, inputs []Input, opts Options) (*Summary, error) {
	hasher, err := newIDHasher(opts.HashKey)
	if err != nil {
		return nil, err
	}
	if err := checkIDHashing(ctx, st, opts.HashKey); err != nil {
		return nil, err
	}
	w, err := st.OpenWriter(ctx, table.PricesVersion())
	if err != nil {
		return nil, err
	}
	sink := newSink(w, analyze.Pricer{Table: table}, opts)
	sink.store, sink.hasher = st, hasher
	known, err := st.Files(ctx)
	if err != nil {
		_, _ = w.Close()
		return nil, err
	}
	sink.files = newFileTracker(known, opts, sink)

	for _, in := range inputs {
		if err := sink.readInput(ctx, in, opts); err != nil {
			_, _ = w.Close()
			return sink.summary, err
		}
	}

	err = sink.copies.flush(w)
	stats, closeErr := w.Close()
	if err == nil {
		err = closeErr
	}
	sink.summary.Write = stats
	sink.summary.Write.Kept += sink.copies.merged
	sink.summary.Unchanged = sink.files.unchanged
	sink.summary.finish(table)
	if err != nil {
		return sink.summary, err
	}
	// The file states are saved only now that every request read from
	// those bytes is committed, so a crash before this point makes the
	// next ingest read the bytes again instead of skipping them.
	return sink.summary, st.SaveFiles(ctx, sink.files.saved)
}

// readInput reads one path (or stdin) and records what happened.
func (s *sink) readInput(ctx context.Context, in Input, opts Options) error {
	lopts := logs.Options{Format: opts.Format, AssumeTime: opts.AssumeTime, Map: opts.Map}
	if opts.Strict {
		return s.readStrict(ctx, in, lopts)
	}
	return s.record(ctx, in, lopts)
}

// readStrict stores an input only when no line of it is rejected.
func (s *sink) readStrict(ctx context.Context, in Input, lopts logs.Options) error {
	reopen := func() (Input, func(), error) { return in, func() {}, nil }
	if in.Reader != nil {
		path, err := spool(in.Reader)
		if err != nil {
			return err
		}
		defer os.Remove(path)
		reopen = func() (Input, func(), error) { return reopenSpool(path, in.Path) }
	}

	check, done, err := reopen()
	if err != nil {
		return err
	}
	ok, c, err := strictCheck(ctx, check, lopts)
	done()
	if err == nil && !ok {
		s.summary.Examples = append(s.summary.Examples, c.first...)
		err = fmt.Errorf("%s: --strict: %d %s rejected, nothing stored from this input", in.Name(), c.rejected, lineOrLines(c.rejected))
	}
	var cut *logs.TruncatedError
	if errors.As(err, &cut) {
		err = fmt.Errorf("%w; --strict: nothing stored from %s", err, in.Name())
	}
	if err != nil {
		s.summary.FileErrors = append(s.summary.FileErrors, err.Error())
		return nil
	}

	again, done, err := reopen()
	if err != nil {
		return err
	}
	defer done()
	return s.record(ctx, again, lopts)
}

// record reads an input into the store and notes what happened.
func (s *sink) record(ctx context.Context, in Input, lopts logs.Options) error {
	if s.files != nil {
		lopts.Files = s.files
	}
	if in.Reader != nil {
		in.Reader = s.countBytes(in.Reader)
	}
	results, err := in.read(ctx, lopts, s)
	s.summary.Files = append(s.summary.Files, results...)
	if err != nil && lopts.Format == "" {
		err = s.readBillingExports(ctx, err)
	}
	if err == nil {
		return nil
	}
	if isStoreError(err) || ctx.Err() != nil {
		return err
	}
	if err = s.noteTruncated(err); err != nil {
		s.summary.FileErrors = append(s.summary.FileErrors, err.Error())
	}
	return nil
}

// noteTruncated records each compressed file of err that ends early and
// returns the rest of err. Such a file was read up to its cut, so the next
// ingest of the complete file stores only the requests after it.
func (s *sink) noteTruncated(err error) error {
	var rest []error
	for _, e := range leafErrors(err) {
		var cut *logs.TruncatedError
		if !errors.As(e, &cut) {
			rest = append(rest, e)
			continue
		}
		s.summary.Truncated = append(s.summary.Truncated, cut.Error()+
			"; the requests on those lines were stored, and ingesting the complete file under the same name later adds the rest without counting any twice")
	}
	return errors.Join(rest...)
}

// lineOrLines returns "line" or "lines" for n. It exists because analyze
// packages may not import cmd/render, which has the plural helper.
func lineOrLines(n int64) string {
	if n == 1 {
		return "line"
	}
	return "lines"
}

// isStoreError separates a failure of the store (fatal for the run) from a
// failure of one input (recorded, the run goes on).
func isStoreError(err error) bool {
	var se *storeError
	return errors.As(err, &se)
}

// storeError marks an error that came from writing the store.
type storeError struct{ err error }

func (e *storeError) Error() string { return e.err.Error() }
func (e *storeError) Unwrap() error { return e.err }
