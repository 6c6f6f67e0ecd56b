package logs

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// flushingWriter is a compressor that can end a block on demand.
type flushingWriter interface {
	io.WriteCloser
	Flush() error
}

// cutArchive compresses lines and cuts the result where the compressor was
// flushed after line cutAfter, so the cut archive decodes to exactly its
// first cutAfter lines and then ends without an end marker.
func cutArchive(t *testing.T, newWriter func(io.Writer) flushingWriter, lines, cutAfter int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := newWriter(&buf)
	cut := 0
	for i := 1; i <= lines; i++ {
		fmt.Fprintf(zw, `{"time":"2026-03-01T10:00:00Z","provider":"anthropic","model":"claude-sonnet-4-5-20250929","input":%d,"output":10}`+"\n", i)
		if i == cutAfter {
			if err := zw.Flush(); err != nil {
				t.Fatal(err)
			}
			cut = buf.Len()
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()[:cut]
}

func newGzip(w io.Writer) flushingWriter { return gzip.NewWriter(w) }

func newZstd(w io.Writer) flushingWriter {
	zw, err := zstd.NewWriter(w)
	if err != nil {
		panic(err)
	}
	return zw
}

func TestTruncatedArchive(t *testing.T) {
	for _, tt := range []struct {
		compression string
		newWriter   func(io.Writer) flushingWriter
	}{{"gzip", newGzip}, {"zstd", newZstd}} {
		t.Run(tt.compression, func(t *testing.T) {
			data := cutArchive(t, tt.newWriter, 5000, 3000)
			var sink collectSink
			res, err := ReadReader(context.Background(), "logs.jsonl.cut", bytes.NewReader(data), Options{}, &sink)

			var cut *TruncatedError
			if !errors.As(err, &cut) {
				t.Fatalf("error = %v, want a *TruncatedError", err)
			}
			want := TruncatedError{Source: "logs.jsonl.cut", Compression: tt.compression, Lines: 3000}
			if *cut != want {
				t.Errorf("error = %+v, want %+v", *cut, want)
			}
			if res.Requests != 3000 || len(sink.requests) != 3000 {
				t.Errorf("%d requests in the result, %d in the sink, want the 3000 before the cut", res.Requests, len(sink.requests))
			}
			if len(sink.rejections) != 0 {
				t.Errorf("rejections = %v, want none", sink.rejections)
			}
		})
	}
}

func TestTruncatedArchiveMessage(t *testing.T) {
	err := &TruncatedError{Source: "a.jsonl.gz", Compression: "gzip", Lines: 12202}
	const want = "a.jsonl.gz: the file ends early (truncated gzip archive) after 12202 whole lines"
	if err.Error() != want {
		t.Errorf("message = %q, want %q", err.Error(), want)
	}
}

// A line cut in two by the end of the archive is neither a request nor a
// rejection: the rest of it is in the complete file.
func TestTruncatedArchiveMidLine(t *testing.T) {
	line := []byte(`{"time":"2026-03-01T10:00:00Z","provider":"anthropic","model":"claude-sonnet-4-5-20250929","input":7,"output":1}` + "\n")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(line)
	zw.Write(line[:40])
	if err := zw.Flush(); err != nil {
		t.Fatal(err)
	}

	var sink collectSink
	_, err := ReadReader(context.Background(), "-", bytes.NewReader(buf.Bytes()), Options{}, &sink)
	var cut *TruncatedError
	if !errors.As(err, &cut) || cut.Lines != 1 {
		t.Fatalf("error = %v, want a *TruncatedError after 1 whole line", err)
	}
	if len(sink.requests) != 1 || len(sink.rejections) != 0 {
		t.Errorf("%d requests, %d rejections, want 1 and 0", len(sink.requests), len(sink.rejections))
	}
}

func TestWalkContinuesPastTruncatedArchive(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "a.jsonl.gz"), cutArchive(t, newGzip, 20, 10))
	writeFile(t, filepath.Join(root, "b.jsonl"), []byte(`{"time":"2026-03-01T10:00:00Z","provider":"anthropic","model":"claude-sonnet-4-5-20250929","input":1,"output":1}`+"\n"))

	var sink collectSink
	results, err := ReadPath(context.Background(), root, Options{}, &sink)
	var cut *TruncatedError
	if !errors.As(err, &cut) || cut.Source != filepath.Join(root, "a.jsonl.gz") {
		t.Errorf("error = %v, want a *TruncatedError for a.jsonl.gz", err)
	}
	if len(results) != 2 {
		t.Errorf("%d results, want both files", len(results))
	}
	if len(sink.requests) != 11 {
		t.Errorf("%d requests, want 10 from a.jsonl.gz and 1 from b.jsonl", len(sink.requests))
	}
}
