package logs

import (
	"errors"
	"fmt"
	"time"

	"github.com/costctl/costctl/analyze"
)

// Options controls how logs are read.
type Options struct {
	// Format forces a format by name; empty means detect it per file.
	Format string
	// AssumeTime is the time given to records without a timestamp. When it
	// is zero such records are rejected with kind no_timestamp.
	AssumeTime time.Time
	// Map sets request dimensions from the raw records: dimension name
	// (endpoint, customer, …) to a dotted path into each record's JSON
	// object, or to a lower-cased column name in CSV. A value found there
	// wins over the one the format gives.
	Map map[string]string
	// Files, when set, is consulted for each file ReadPath reads; it is
	// not used for streams given to ReadReader.
	Files FileHook
}

// RejectKind classifies why a line was not turned into a request.
type RejectKind string

// The rejection kinds reported by the ingest summary.
const (
	// RejectMalformed is a line that cannot be parsed at all.
	RejectMalformed RejectKind = "malformed"
	// RejectInvalid is a parseable line with a bad value: a negative,
	// fractional, non-numeric or out-of-range count, or a bad timestamp.
	RejectInvalid RejectKind = "invalid"
	// RejectNoTimestamp is a record without a time while Options.AssumeTime is zero.
	RejectNoTimestamp RejectKind = "no_timestamp"
)

// Rejection is one line that produced no request.
type Rejection struct {
	Source string // as in analyze.Request.Source
	Line   int64  // 1-based
	Field  string // the offending field as named in the log; empty when none applies
	Kind   RejectKind
	Reason string
}

// Error formats the rejection as "source:line: field: reason".
func (r Rejection) Error() string {
	if r.Field == "" {
		return fmt.Sprintf("%s:%d: %s", r.Source, r.Line, r.Reason)
	}
	return fmt.Sprintf("%s:%d: %s: %s", r.Source, r.Line, r.Field, r.Reason)
}

// Sink receives what a parser produces, in input order. An error from the
// sink stops reading and is returned by ReadPath or ReadReader.
type Sink interface {
	// Request takes ownership of r: the parser never reuses it.
	Request(r *analyze.Request) error
	Reject(rej Rejection) error
}

// FileResult counts what one file produced.
type FileResult struct {
	Source   string `json:"source"`   // absolute cleaned path, or "-" for stdin
	Format   string `json:"format"`   // detected or forced format; empty for an empty file
	Lines    int64  `json:"lines"`    // physical lines of the decompressed content
	Requests int64  `json:"requests"` // requests passed to the sink
	Rejected int64  `json:"rejected"` // rejections passed to the sink
	Skipped  int64  `json:"skipped"`  // records that carry no usage, skipped silently
	// Warnings name the field mapping paths not found in the first records.
	Warnings []string `json:"warnings,omitempty"`
}

// FormatInfo describes one supported format for --list-formats.
type FormatInfo struct {
	Name, Description string
}

// ErrNotALog is wrapped by NotALogError when a file matches no format.
var ErrNotALog = errors.New("not a recognised log")

// ErrUnknownFormat is wrapped by the error for a forced format name that
// does not exist.
var ErrUnknownFormat = errors.New("unknown log format")

// NotALogError names a file whose content matches no known format.
type NotALogError struct {
	Source string
	Seen   string // a short description of the content, e.g. "binary data"
}

// Error names what was seen and how to force a format.
func (e *NotALogError) Error() string {
	return fmt.Sprintf("%s: %v (saw %s); force a format with --input-format NAME, see --list-formats",
		e.Source, ErrNotALog, e.Seen)
}

// Unwrap returns ErrNotALog so callers can test with errors.Is.
func (e *NotALogError) Unwrap() error { return ErrNotALog }

// TruncatedError names a compressed file that ends before its compressed
// stream does. The requests on its whole lines were passed to the sink
// before the error was returned; a last line cut in two was not.
type TruncatedError struct {
	Source      string
	Compression string // gzip or zstd
	Lines       int64  // whole lines read before the end
}

// Error names the file and the number of whole lines before its end.
func (e *TruncatedError) Error() string {
	return fmt.Sprintf("%s: the file ends early (truncated %s archive) after %d whole lines", e.Source, e.Compression, e.Lines)
}
