package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"

	"github.com/costctl/costctl/analyze/billing"
	"github.com/costctl/costctl/analyze/logs"
)

// BillingFile is a billing export an ingest stored in the billing table.
// Its lines never count as requests.
type BillingFile struct {
	Source   string `json:"source"`
	Shape    string `json:"shape"`
	Pages    int    `json:"pages"`
	Lines    int    `json:"lines"`
	Inserted int64  `json:"lines_stored"`
	Replaced int64  `json:"lines_replaced"`
	Kept     int64  `json:"lines_already_stored"`
}

// readBillingExports takes the files the request parsers did not recognise
// and stores those that are billing exports. It returns the error left
// after removing theirs, and drops their empty entries from the summary.
// NOTE: this relies on no request format claiming a billing page. The
// pages' top level (data, has_more, next_page) matches none today. A
// billing export on standard input is not recognised: the stream is gone.
func (s *sink) readBillingExports(ctx context.Context, err error) error {
	var rest []error
	for _, e := range leafErrors(err) {
		var nl *logs.NotALogError
		if !errors.As(e, &nl) || nl.Source == "-" {
			rest = append(rest, e)
			continue
		}
		ok, berr := s.readBillingFile(ctx, nl.Source)
		if berr != nil {
			return berr
		}
		if !ok {
			rest = append(rest, e)
		}
	}
	return errors.Join(rest...)
}

// withoutBillingExports drops the errors of files that are billing exports
// (valid or not) from a request reader's error, for the strict pre-check:
// the exports are stored, or rejected, when the input is read for real.
func withoutBillingExports(err error, opts logs.Options) error {
	if opts.Format != "" {
		return err
	}
	var rest []error
	for _, e := range leafErrors(err) {
		var nl *logs.NotALogError
		if errors.As(e, &nl) && nl.Source != "-" {
			if _, perr := parseBillingFile(nl.Source); !errors.Is(perr, billing.ErrNotBilling) {
				continue
			}
		}
		rest = append(rest, e)
	}
	return errors.Join(rest...)
}

// leafErrors unwraps the joined errors of a directory walk.
func leafErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leafErrors(e)...)
		}
		return out
	}
	return []error{err}
}

// readBillingFile stores path when it is a billing export and returns
// false for any other file. An export with an invalid value is recorded as
// a file error and returns true, because no request parser can read it.
func (s *sink) readBillingFile(ctx context.Context, path string) (bool, error) {
	exp, err := parseBillingFile(path)
	if errors.Is(err, billing.ErrNotBilling) {
		return false, nil
	}
	s.dropFile(path)
	if err != nil {
		s.summary.FileErrors = append(s.summary.FileErrors, fmt.Sprintf("%s: billing export: %v", path, err))
		return true, nil
	}

	stats, err := s.store.WriteBilling(ctx, exp.Lines, path)
	if err != nil {
		return true, &storeError{err}
	}
	s.summary.Billing = append(s.summary.Billing, BillingFile{
		Source: path, Shape: string(exp.Shape), Pages: exp.Pages, Lines: len(exp.Lines),
		Inserted: stats.Inserted, Replaced: stats.Replaced, Kept: stats.Kept,
	})
	return true, nil
}

// dropFile removes the empty result the request reader left for path.
func (s *sink) dropFile(path string) {
	files := s.summary.Files[:0]
	for _, f := range s.summary.Files {
		if f.Source != path || f.Format != "" {
			files = append(files, f)
		}
	}
	s.summary.Files = files
}

func parseBillingFile(path string) (*billing.Export, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	r, closeReader, err := decompressed(f)
	if err != nil {
		return nil, err
	}
	defer closeReader()
	return billing.Parse(r)
}

// decompressed reads gzip and zstd content by its magic bytes, as request
// logs are read.
func decompressed(r io.Reader) (io.Reader, func(), error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, err
		}
		return zr, func() { zr.Close() }, nil
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br)
		if err != nil {
			return nil, nil, err
		}
		return zr, zr.Close, nil
	}
	return br, func() {}, nil
}
