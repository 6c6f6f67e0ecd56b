package logs

import (
	"context"
	"runtime"
	"sync"

	"github.com/costctl/costctl/analyze"
)

// Parallel parsing of formats whose parse function keeps no state between
// records. One goroutine reads blocks of records and several parse them.
// The caller's goroutine hands the results to the sink in file order, so
// requests, line numbers and rejections are those of the sequential loop.
// Parsing is more than half the CPU of an ingest of long lines (real
// transcripts average about 20 KB per request).

// Block limits: a block ends after this many records or bytes, and at most
// two blocks per worker wait, which bounds the memory held ahead of the sink.
const (
	blockRecords = 256
	blockBytes   = 1 << 20
)

// parsedRecord is one record and what the format's parse function made of it.
type parsedRecord struct {
	rec record
	req *analyze.Request
	err error
}

// parseBlock is a run of consecutive records with copies of their bytes.
type parseBlock struct {
	recs    []parsedRecord
	buf     []byte
	readErr error         // the I/O error that ended the input after recs
	parsed  chan struct{} // closed when every record is parsed
}

// parseWorkers returns how many goroutines may parse the current format's
// records: 1 for formats with state across records or several requests per
// record, else one per CPU but the one left to the store writer.
//
// NOTE: on 2 cores two workers gave no faster ingest and 30% more CPU
// (BENCHMARKS.md), so the parallel path starts at 3 CPUs, where its gain
// has not been measured.
func (fr *fileReader) parseWorkers() int {
	f := fr.fmt
	if f.parse == nil || f.newParse != nil || f.parseParts != nil {
		return 1
	}
	if parseWorkersOverride > 0 {
		return parseWorkersOverride
	}
	return runtime.GOMAXPROCS(0) - 1
}

// parseWorkersOverride, when positive, sets the number of parse workers,
// so that tests run the parallel path on any machine.
var parseWorkersOverride = 0

// convertParallel is convertJSON with the parsing spread over workers.
func (fr *fileReader) convertParallel(src recordSource, workers int) error {
	ctx, cancel := context.WithCancel(fr.ctx)
	ordered := make(chan *parseBlock, 2*workers)
	work := make(chan *parseBlock, 2*workers)
	go readBlocks(ctx, src, ordered, work)

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				parseRecords(fr.parse, b)
			}
		}()
	}

	err := fr.convertBlocks(ordered)
	if err == nil {
		// The reader stops early only when fr.ctx is done: then the blocks
		// ended before the input did.
		err = fr.ctx.Err()
	}

	// On an early return the reader may still be sending: cancel it, and
	// drain so that it and the workers end before the file is closed.
	cancel()
	for range ordered {
	}
	wg.Wait()
	return err
}

// convertBlocks finishes each record in file order.
func (fr *fileReader) convertBlocks(ordered <-chan *parseBlock) error {
	for b := range ordered {
		if err := fr.ctx.Err(); err != nil {
			return err
		}
		<-b.parsed
		for i := range b.recs {
			p := &b.recs[i]
			if err := fr.finish(p.rec, p.req, p.err); err != nil {
				return err
			}
		}
		if b.readErr != nil {
			return fr.wrap(b.readErr)
		}
	}
	return nil
}

// readBlocks reads src into blocks and sends each to the workers and, in
// order, to the converting goroutine.
func readBlocks(ctx context.Context, src recordSource, ordered, work chan<- *parseBlock) {
	defer close(ordered)
	defer close(work)
	for {
		b, last := readBlock(src)
		select {
		case work <- b:
		case <-ctx.Done():
			return
		}
		select {
		case ordered <- b:
		case <-ctx.Done():
			return
		}
		if last {
			return
		}
	}
}

// readBlock reads the next block and reports whether the input ended. The
// records' bytes are copied, because src reuses its buffer.
func readBlock(src recordSource) (*parseBlock, bool) {
	b := &parseBlock{parsed: make(chan struct{})}
	var ends []int
	last := false
	for len(b.recs) < blockRecords && len(b.buf) < blockBytes {
		rec, ok, err := src.next()
		if err != nil {
			b.readErr = err
			last = true
			break
		}
		if !ok {
			last = true
			break
		}
		b.buf = append(b.buf, rec.data...)
		ends = append(ends, len(b.buf))
		b.recs = append(b.recs, parsedRecord{rec: rec})
	}

	// Slice the copies only now: appending may have moved the buffer.
	start := 0
	for i, end := range ends {
		b.recs[i].rec.data = b.buf[start:end:end]
		start = end
	}
	return b, last
}

// parseRecords parses every readable record of b.
func parseRecords(parse parseFunc, b *parseBlock) {
	for i := range b.recs {
		p := &b.recs[i]
		if p.rec.err == nil {
			p.req, p.err = parse(p.rec.data)
		}
	}
	close(b.parsed)
}
