package logs

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// hostileGood is a valid costctl JSONL line, put first in each hostile file
// so that detection settles on the format and the bad line is line 2.
const hostileGood = `{"id":"ok-1","time":"2026-01-01T00:00:00Z","provider":"anthropic","model":"claude-haiku-4-5","input":10,"output":5}` + "\n"

// hostileLine returns a costctl JSONL record whose input field is the given
// JSON text, followed by a newline.
func hostileLine(input string) string {
	return `{"id":"bad","time":"2026-01-01T00:00:00Z","provider":"anthropic","model":"claude-haiku-4-5","input":` + input + `,"output":5}` + "\n"
}

// readHostile reads path with a deadline, failing the test if the read
// hangs instead of returning.
func readHostile(t *testing.T, path string) (*collectSink, []FileResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	type outcome struct {
		results []FileResult
		err     error
	}
	sink := &collectSink{}
	done := make(chan outcome, 1)
	go func() {
		results, err := ReadPath(ctx, path, Options{}, sink)
		done <- outcome{results, err}
	}()
	select {
	case o := <-done:
		return sink, o.results, o.err
	case <-time.After(2 * time.Minute):
		t.Fatalf("reading %s did not return within 2 minutes", path)
		return nil, nil, nil
	}
}

// TestHostileLines feeds files whose second line is bad in one way and
// expects that line rejected with its file, line and field, and the good
// line stored.
func TestHostileLines(t *testing.T) {
	cases := []struct {
		name, line, field, reason string
	}{
		{"truncated JSON", strings.TrimSuffix(hostileLine("10"), `,"output":5}`+"\n"), "", "JSON"},
		{"int64 max plus one", hostileLine("9223372036854775808"), "input", "out of range"},
		{"twenty digits", hostileLine("99999999999999999999"), "input", "out of range"},
		{"negative beyond int64", hostileLine("-99999999999999999999"), "input", ""},
		{"float count", hostileLine("12.5"), "input", "fractional"},
		{"float overflow", hostileLine("1e400"), "input", ""},
		{"string count", hostileLine(`"ten"`), "input", ""},
		{"nested 100k levels", nestedLine(100000), "", ""},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "hostile.jsonl")
			writeFile(t, path, []byte(hostileGood+c.line))

			sink, _, err := readHostile(t, path)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if len(sink.requests) != 1 {
				t.Errorf("requests = %d, want the 1 good line", len(sink.requests))
			}
			expectRejection(t, sink, path, 2, c.field, c.reason)
		})
	}
}

// nestedLine is a valid record with depth levels of arrays in an unknown
// field.
func nestedLine(depth int) string {
	nested := strings.Repeat("[", depth) + strings.Repeat("]", depth)
	return strings.Replace(hostileLine("1"), `"output":5`, `"output":5,"x":`+nested, 1)
}

// expectRejection wants exactly one rejection, of line in path, naming field
// and containing reason ("" accepts any field or reason).
func expectRejection(t *testing.T, sink *collectSink, path string, line int64, field, reason string) {
	t.Helper()
	if len(sink.rejections) != 1 {
		t.Fatalf("rejections = %+v, want 1", sink.rejections)
	}
	rej := sink.rejections[0]
	t.Logf("rejection: %s", rej.Error())
	if rej.Source != path {
		t.Errorf("rejection source = %q, want %q", rej.Source, path)
	}
	if rej.Line != line {
		t.Errorf("rejection line = %d, want %d", rej.Line, line)
	}
	if field != "" && rej.Field != field {
		t.Errorf("rejection field = %q, want %q (%s)", rej.Field, field, rej.Error())
	}
	if !strings.Contains(rej.Reason, reason) {
		t.Errorf("rejection reason = %q, want it to mention %q", rej.Reason, reason)
	}
	if rej.Reason == "" {
		t.Errorf("rejection of line %d has no reason", line)
	}
}

// TestHostileInvalidUTF8 puts bytes that are not UTF-8 in a string field.
// Either the line is rejected naming the field, or the stored value is
// valid UTF-8; the raw bytes must not reach the store.
func TestHostileInvalidUTF8(t *testing.T) {
	path := filepath.Join(t.TempDir(), "latin1.jsonl")
	bad := strings.Replace(hostileLine("10"), "claude-haiku-4-5", "claude-\xff\xfe", 1)
	writeFile(t, path, []byte(hostileGood+bad))

	sink, _, err := readHostile(t, path)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if len(sink.rejections) == 1 {
		expectRejection(t, sink, path, 2, "model", "")
		return
	}
	for _, r := range sink.requests {
		if !utf8.ValidString(r.Model) {
			t.Errorf("line %d keeps model %q, which is not UTF-8", r.Line, r.Model)
		}
	}
	if len(sink.requests) != 2 || !strings.Contains(sink.requests[1].Model, "\uFFFD") {
		t.Errorf("requests %d; want 2, the second with its bad bytes replaced by U+FFFD", len(sink.requests))
	}
}

// TestHostileFiles covers inputs that are not logs at all.
func TestHostileFiles(t *testing.T) {
	dir := t.TempDir()

	t.Run("empty file", func(t *testing.T) {
		path := filepath.Join(dir, "empty.jsonl")
		writeFile(t, path, nil)
		sink, results, err := readHostile(t, path)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if len(results) != 1 || results[0].Lines != 0 || len(sink.requests)+len(sink.rejections) != 0 {
			t.Errorf("results = %+v, requests %d, rejections %d; want one file of 0 lines and nothing else",
				results, len(sink.requests), len(sink.rejections))
		}
	})

	t.Run("binary file", func(t *testing.T) {
		path := filepath.Join(dir, "random.bin")
		data := make([]byte, 1<<20)
		if _, err := rand.Read(data); err != nil {
			t.Fatal(err)
		}
		writeFile(t, path, data)
		_, _, err := readHostile(t, path)
		if !errors.Is(err, ErrNotALog) || !strings.Contains(err.Error(), path) {
			t.Errorf("error = %v, want ErrNotALog naming %s", err, path)
		}
	})
}

// TestHostileSymlinkLoops walks a tree whose links point at each other and
// at their own parents; the walk must end and read the one log once.
func TestHostileSymlinkLoops(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "a", "log.jsonl"), []byte(hostileGood))
	if err := os.MkdirAll(filepath.Join(root, "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		filepath.Join(root, "a", "to-b"):   filepath.Join(root, "b"),
		filepath.Join(root, "b", "to-a"):   filepath.Join(root, "a"),
		filepath.Join(root, "b", "self"):   filepath.Join(root, "b"),
		filepath.Join(root, "b", "up"):     "..",
		filepath.Join(root, "b", "broken"): filepath.Join(root, "missing"),
	}
	for link, target := range links {
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}

	sink, results, _ := readHostile(t, root)
	if len(results) != 1 {
		t.Errorf("results = %+v, want the one log", results)
	}
	if len(sink.requests) != 1 {
		t.Errorf("requests = %d, want 1", len(sink.requests))
	}
}

// TestHostileLongLines reads a line of 50 MB, below the 64 MB line limit, and
// one of 70 MB, above it. The first is parsed, the second rejected naming
// file and line, and the heap stays within a few copies of the line.
func TestHostileLongLines(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads 120 MB")
	}
	cases := []struct {
		name     string
		mb       int
		requests int
	}{
		{"50 MB line", 50, 3},
		{"70 MB line", 70, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "long.jsonl")
			pad := `"pad":"` + strings.Repeat("x", c.mb<<20) + `",`
			long := strings.Replace(hostileLine("7"), `"input":`, pad+`"input":`, 1)
			writeFile(t, path, []byte(hostileGood+long+hostileGood))

			var sink *collectSink
			var err error
			peak := peakHeapDuring(func() { sink, _, err = readHostile(t, path) })
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if len(sink.requests) != c.requests {
				t.Errorf("requests = %d, want %d", len(sink.requests), c.requests)
			}
			if c.requests == 2 {
				expectRejection(t, sink, path, 2, "", "longer than")
			}
			// Measured with go1.26.8 on linux/amd64: 137 MB for the 50 MB
			// line and 207 MB for the rejected 70 MB line.
			limit := uint64(5 * min(c.mb, 64) << 20)
			t.Logf("peak heap %d MB for a %d MB line", peak>>20, c.mb)
			if peak > limit {
				t.Errorf("peak heap %d MB, want at most %d MB", peak>>20, limit>>20)
			}
		})
	}
}

// peakHeapDuring runs f and returns the largest heap in use, sampled every
// few milliseconds, above the heap in use before f.
func peakHeapDuring(f func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse

	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var s runtime.MemStats
		for {
			runtime.ReadMemStats(&s)
			if s.HeapInuse > base && s.HeapInuse-base > peak.Load() {
				peak.Store(s.HeapInuse - base)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	f()
	close(stop)
	<-sampled
	return peak.Load()
}

// TestHostileLongLineBytes checks that the 50 MB line's request kept its
// usage: the padding is an unknown field, not a reason to lose the request.
func TestHostileLongLineBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads 50 MB")
	}
	path := filepath.Join(t.TempDir(), "long.jsonl")
	var b bytes.Buffer
	b.WriteString(strings.Replace(hostileLine("7"), `"input":`, `"pad":"`+strings.Repeat("y", 50<<20)+`","input":`, 1))
	writeFile(t, path, b.Bytes())

	sink, _, err := readHostile(t, path)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if len(sink.requests) != 1 {
		t.Fatalf("requests = %d, want 1", len(sink.requests))
	}
	if got := bucketsOf(sink.requests[0]); got.in != 7 || got.out != 5 {
		t.Errorf("usage = %+v, want input 7 and output 5", got)
	}
}

// TestHostileCountsAllFormats takes every line-oriented fixture, replaces
// its first token count with a value beyond int64, a fraction and a
// negative number, and expects that line rejected by every parser with the
// field's path and the reason.
func TestHostileCountsAllFormats(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "logs", "*", "*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	count := regexp.MustCompile(`"(\w*[tT]oken\w*|\w*Count)"\s*:\s*([0-9]+)`)
	values := map[string]string{"99999999999999999999": "out of range", "12.5": "fractional", "-3": "negative"}

	tested := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		loc := count.FindSubmatchIndex(data)
		if loc == nil || strings.Contains(f, "invalid") {
			continue // no token count, or already holds bad counts
		}
		field := string(data[loc[2]:loc[3]])
		line := 1 + int64(bytes.Count(data[:loc[4]], []byte("\n")))
		tested++
		for value, reason := range values {
			name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f) + " " + field + "=" + value
			t.Run(name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), filepath.Base(f))
				writeFile(t, path, slices.Concat(data[:loc[4]], []byte(value), data[loc[5]:]))
				sink, _, err := readHostile(t, path)
				if err != nil {
					t.Fatalf("read: %v", err)
				}
				expectRejectionOf(t, sink, line, field, reason)
			})
		}
	}
	if tested < 15 {
		t.Errorf("tested %d fixtures, want at least 15: did testdata/logs move?", tested)
	}
}

// expectRejectionOf wants a rejection of line whose field path ends in field
// and whose reason contains reason.
func expectRejectionOf(t *testing.T, sink *collectSink, line int64, field, reason string) {
	t.Helper()
	for _, rej := range sink.rejections {
		if rej.Line != line {
			continue
		}
		if !strings.HasSuffix(rej.Field, field) || !strings.Contains(rej.Reason, reason) {
			t.Errorf("rejection %q, want field %s and a reason with %q", rej.Error(), field, reason)
		}
		return
	}
	t.Errorf("no rejection of line %d among %+v", line, sink.rejections)
}
