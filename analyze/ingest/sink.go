package ingest

import (
	"io"
	"sync/atomic"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/logs"
	"github.com/costctl/costctl/analyze/store"
)

// progressEvery is how many lines pass between two progress callbacks.
const progressEvery = 4096

// sink prices each parsed request and hands it to the store writer.
type sink struct {
	w        store.RequestWriter
	store    store.Backend // for billing exports, which bypass the writer
	pricer   analyze.Pricer
	hasher   *idHasher // nil keeps ids as logged
	files    *fileTracker
	progress func(Counts)
	counts   Counts
	// bytesRead is Counts.Bytes, kept apart because the goroutine that
	// reads a file ahead of the parsers adds to it.
	bytesRead atomic.Int64
	summary   *Summary
	// lineBase is the number of lines before the offset the current file
	// is read from, added to line numbers so they count from its start.
	lineBase int64
	copies   copyMerger
}

func newSink(w store.RequestWriter, p analyze.Pricer, opts Options) *sink {
	return &sink{w: w, pricer: p, progress: opts.Progress, summary: newSummary()}
}

// Request implements logs.Sink.
func (s *sink) Request(r *analyze.Request) error {
	r.Line += s.lineBase
	s.hasher.apply(r)
	billed := r.Total() > 0 || r.WebSearches > 0
	if !s.pricer.Price(r) && billed {
		s.summary.noteUnpriced(r)
	}
	if err := s.copies.add(s.w, r); err != nil {
		return &storeError{err}
	}
	if r.ID == "" {
		s.summary.WithoutID++
	}
	s.counts.Requests++
	s.tick()
	return nil
}

// Reject implements logs.Sink.
func (s *sink) Reject(rej logs.Rejection) error {
	rej.Line += s.lineBase
	s.summary.noteRejection(rej)
	s.counts.Rejected++
	s.tick()
	return nil
}

func (s *sink) tick() {
	if s.progress != nil && (s.counts.Requests+s.counts.Rejected)%progressEvery == 0 {
		c := s.counts
		c.Bytes = s.bytesRead.Load()
		s.progress(c)
	}
}

// countBytes returns r counting the bytes read through it into bytesRead.
func (s *sink) countBytes(r io.Reader) io.Reader {
	return byteCounter{r: r, n: &s.bytesRead}
}

type byteCounter struct {
	r io.Reader
	n *atomic.Int64
}

func (c byteCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
