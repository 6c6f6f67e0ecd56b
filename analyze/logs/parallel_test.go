package logs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// parallelLog returns n costctl JSONL lines; every 97th is malformed, and
// line 500 is longer than one block's buffer.
func parallelLog(n int) []byte {
	var buf bytes.Buffer
	for i := 1; i <= n; i++ {
		switch {
		case i%97 == 0:
			buf.WriteString("{not json\n")
		case i == 500:
			fmt.Fprintf(&buf, `{"id":"r%d","time":"2025-06-01T10:00:00Z","provider":"openai","model":"gpt-4o","input":%d,"output":1,"endpoint":"%s"}`+"\n", i, i, strings.Repeat("e", blockBytes+10))
		default:
			fmt.Fprintf(&buf, `{"id":"r%d","time":"2025-06-01T10:00:00Z","provider":"openai","model":"gpt-4o","input":%d,"output":1}`+"\n", i, i)
		}
	}
	return buf.Bytes()
}

func TestParallelKeepsFileOrder(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("parsing runs in one goroutine on a single CPU")
	}
	const n = 3000
	sink := &collectSink{}
	res, err := ReadReader(context.Background(), "log.jsonl", bytes.NewReader(parallelLog(n)), Options{Format: "costctl-jsonl"}, sink)
	if err != nil {
		t.Fatal(err)
	}

	malformed := n / 97
	if got, want := len(sink.requests), n-malformed; got != want {
		t.Fatalf("requests = %d, want %d", got, want)
	}
	if res.Rejected != int64(malformed) {
		t.Errorf("rejected = %d, want %d", res.Rejected, malformed)
	}
	line := int64(0)
	for _, r := range sink.requests {
		line++
		if line%97 == 0 {
			line++
		}
		if r.Line != line || r.Tokens[pricing.Input] != line {
			t.Fatalf("request on line %d with input %d, want line and input %d", r.Line, r.Tokens[pricing.Input], line)
		}
	}
	for i, rej := range sink.rejections {
		if want := int64(97 * (i + 1)); rej.Line != want {
			t.Errorf("rejection %d on line %d, want %d", i, rej.Line, want)
		}
	}
}

// failingSink fails on its nth request.
type failingSink struct {
	collectSink
	n int
}

func (s *failingSink) Request(r *analyze.Request) error {
	if len(s.requests)+1 == s.n {
		return errors.New("disk full")
	}
	return s.collectSink.Request(r)
}

func TestParallelStopsOnSinkError(t *testing.T) {
	sink := &failingSink{n: 700}
	_, err := ReadReader(context.Background(), "log.jsonl", bytes.NewReader(parallelLog(3000)), Options{Format: "costctl-jsonl"}, sink)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("error = %v, want the sink's error", err)
	}
	if len(sink.requests) != 699 {
		t.Errorf("requests before the error = %d, want 699", len(sink.requests))
	}
}

// brokenReader returns its data, then an I/O error.
type brokenReader struct{ r io.Reader }

func (b *brokenReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if errors.Is(err, io.EOF) {
		return n, errors.New("input/output error")
	}
	return n, err
}

func TestParallelReportsReadError(t *testing.T) {
	data := parallelLog(1000)
	cut := bytes.LastIndexByte(data[:len(data)/2], '\n') + 1
	sink := &collectSink{}
	_, err := ReadReader(context.Background(), "log.jsonl", &brokenReader{bytes.NewReader(data[:cut])}, Options{Format: "costctl-jsonl"}, sink)
	if err == nil || !strings.Contains(err.Error(), "input/output error") {
		t.Fatalf("error = %v, want the read error", err)
	}
	lines := int64(bytes.Count(data[:cut], []byte("\n")))
	if got := int64(len(sink.requests) + len(sink.rejections)); got != lines {
		t.Errorf("records before the error = %d, want %d", got, lines)
	}
}
