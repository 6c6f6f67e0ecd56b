package logs

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

func TestNotALog(t *testing.T) {
	tests := []struct {
		file string
		seen string
	}{
		{"notalog/README.md", `text starting "# My project"`},
		{"notalog/image.png", "binary data"},
		{"notalog/package.json", "JSON objects with keys [dependencies name version]"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var sink collectSink
			_, err := ReadPath(context.Background(), fixture(t, tt.file), Options{}, &sink)

			var nl *NotALogError
			if !errors.Is(err, ErrNotALog) || !errors.As(err, &nl) {
				t.Fatalf("error = %v, want a NotALogError", err)
			}
			if nl.Seen != tt.seen || nl.Source != fixture(t, tt.file) {
				t.Errorf("seen %q in %s, want %q", nl.Seen, nl.Source, tt.seen)
			}
			for _, want := range []string{"--input-format", "--list-formats"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message %q does not mention %s", err, want)
				}
			}
			if len(sink.requests)+len(sink.rejections) != 0 {
				t.Errorf("sink got %d requests and %d rejections, want none", len(sink.requests), len(sink.rejections))
			}
		})
	}
}

func TestEmptyFile(t *testing.T) {
	sink, res := readFixture(t, "empty.jsonl", Options{})
	if res.Format != "" || res.Lines != 0 || res.Requests != 0 || len(sink.requests) != 0 {
		t.Errorf("result = %+v, want an empty result", res)
	}
}

func TestUnknownForcedFormat(t *testing.T) {
	_, err := ReadReader(context.Background(), "-", strings.NewReader("{}"), Options{Format: "nope"}, &collectSink{})
	if !errors.Is(err, ErrUnknownFormat) {
		t.Fatalf("error = %v, want ErrUnknownFormat", err)
	}
	for _, f := range Formats() {
		if !strings.Contains(err.Error(), f.Name) {
			t.Errorf("message %q does not list %s", err, f.Name)
		}
	}
}

func TestForcedFormat(t *testing.T) {
	// Forced to claude-code, a Messages response is not an assistant line.
	sink, res := readFixture(t, "cases/C02.json", Options{Format: "claude-code"})
	if res.Format != "claude-code" || res.Skipped != 1 || len(sink.requests) != 0 {
		t.Errorf("result = %+v, want 1 skipped record as claude-code", res)
	}
}

func TestNoTimestamp(t *testing.T) {
	sink, res := readFixture(t, "cases/C02.json", Options{})
	if res.Rejected != 1 || len(sink.rejections) != 1 {
		t.Fatalf("result = %+v, want 1 rejection", res)
	}
	rej := sink.rejections[0]
	if rej.Kind != RejectNoTimestamp || rej.Line != 1 || !strings.Contains(rej.Reason, "--assume-time") {
		t.Errorf("rejection = %+v, want no_timestamp on line 1 naming --assume-time", rej)
	}
}

func TestListFormatsSorted(t *testing.T) {
	got := Formats()
	if len(got) != len(registry) {
		t.Fatalf("%d formats listed, want the %d registered", len(got), len(registry))
	}
	for i, f := range got {
		if f.Description == "" {
			t.Errorf("format %s has no description", f.Name)
		}
		if i > 0 && got[i-1].Name >= f.Name {
			t.Errorf("format %q listed after %q, want strictly ascending names", f.Name, got[i-1].Name)
		}
	}

	listed := map[string]bool{}
	for _, f := range got {
		listed[f.Name] = true
	}
	for _, name := range []string{"anthropic-messages", "claude-code", "costctl-csv", "costctl-jsonl", "openai-chat"} {
		if !listed[name] {
			t.Errorf("format %s is not listed", name)
		}
	}
}

func TestStdinGzip(t *testing.T) {
	data, err := os.ReadFile(fixture(t, "cases/C03.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var sink collectSink
	res, err := ReadReader(context.Background(), "-", bytes.NewReader(gzipBytes(t, data)), Options{}, &sink)
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "claude-code" || res.Requests != 3 || res.Lines != 3 || sink.requests[2].Source != "-" {
		t.Errorf("result = %+v, want 3 claude-code requests from -", res)
	}
}

func gzipBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPrettyDocumentSyntaxError(t *testing.T) {
	in := "{\n  \"id\": \"msg_1\",\n  \"type\": \"message\",\n  \"usage\": {\"input_tokens\": 1, \"output_tokens\": 2}\n}\n{\n  \"id\": \"msg_2\",\n  \"type\": \"message\",\n  \"usage\": {\"input_tokens\": 1,, }\n}\n"
	var sink collectSink
	opts := Options{AssumeTime: mustTime(t, "2025-01-01T00:00:00Z")}
	res, err := ReadReader(context.Background(), "-", strings.NewReader(in), opts, &sink)
	if err != nil {
		t.Fatal(err)
	}

	if res.Requests != 1 || res.Rejected != 1 || res.Lines != 10 {
		t.Errorf("result = %+v, want 10 lines, 1 request, 1 rejection", res)
	}
	// The second document's syntax error is on its 4th line, line 9.
	if len(sink.rejections) == 1 && (sink.rejections[0].Line != 9 || sink.rejections[0].Kind != RejectMalformed) {
		t.Errorf("rejection = %+v, want malformed on line 9", sink.rejections[0])
	}
}

func TestCRLFAndBOM(t *testing.T) {
	in := "\xEF\xBB\xBF" + `{"time":"2025-01-01","model":"m","input":1,"output":2}` + "\r\n\r\n" + `{"time":"2025-01-02","model":"m","input":3,"output":4}` + "\r\n"
	var sink collectSink
	res, err := ReadReader(context.Background(), "-", strings.NewReader(in), Options{}, &sink)
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "costctl-jsonl" || res.Requests != 2 || res.Lines != 3 {
		t.Fatalf("result = %+v, want 3 lines and 2 costctl-jsonl requests", res)
	}
	if sink.requests[1].Line != 3 {
		t.Errorf("second request line = %d, want 3", sink.requests[1].Line)
	}
}

// TestWalkDirectory builds a tree with a nested directory, a gzip file,
// files of other types and a symbolic link back to the root.
func TestWalkDirectory(t *testing.T) {
	root := t.TempDir()
	c03, err := os.ReadFile(fixture(t, "cases/C03.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	c05, err := os.ReadFile(fixture(t, "cases/C05.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "b", "c05.JSONL.gz"), gzipBytes(t, c05))
	writeFile(t, filepath.Join(root, "a.jsonl"), c03)
	writeFile(t, filepath.Join(root, "notes.txt"), []byte("not read"))
	writeFile(t, filepath.Join(root, "b", "image.png"), []byte("\x89PNG\r\n"))
	if err := os.Symlink(root, filepath.Join(root, "b", "loop")); err != nil {
		t.Fatal(err)
	}

	var sink collectSink
	results, err := ReadPath(context.Background(), root, Options{}, &sink)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(root, "a.jsonl"), filepath.Join(root, "b", "c05.JSONL.gz")}
	if len(results) != len(want) {
		t.Fatalf("results = %+v, want %v", results, want)
	}
	for i, w := range want {
		if results[i].Source != w {
			t.Errorf("file %d = %s, want %s", i, results[i].Source, w)
		}
	}
	// C03 has 3 lines of one message, C05 one line.
	if len(sink.requests) != 4 {
		t.Errorf("requests = %d, want 4", len(sink.requests))
	}
}

func TestWalkContinuesPastNonLog(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "a.json"), []byte(`{"name":"x"}`))
	c05, err := os.ReadFile(fixture(t, "cases/C05.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "b.jsonl"), c05)

	var sink collectSink
	results, err := ReadPath(context.Background(), root, Options{}, &sink)
	if !errors.Is(err, ErrNotALog) {
		t.Errorf("error = %v, want ErrNotALog for a.json", err)
	}
	if len(results) != 1 || len(sink.requests) != 1 {
		t.Errorf("results = %+v with %d requests, want b.jsonl with 1", results, len(sink.requests))
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ReadPath(ctx, fixture(t, "cases/C03.jsonl"), Options{}, &collectSink{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

func TestStdinZstd(t *testing.T) {
	data, err := os.ReadFile(fixture(t, "cases/C05.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	zw, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	compressed := zw.EncodeAll(data, nil)

	var sink collectSink
	res, err := ReadReader(context.Background(), "-", bytes.NewReader(compressed), Options{}, &sink)
	if err != nil {
		t.Fatal(err)
	}
	// C05 is one line: input 10, writes 10000 (5m) + 30000 (1h), output 800.
	if res.Requests != 1 || bucketsOf(sink.requests[0]) != (buckets{in: 10, write5m: 10000, write1h: 30000, out: 800}) {
		t.Errorf("result = %+v, want the one C05 request", res)
	}
}
