package logs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
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

// withParseWorkers runs the parallel path with n workers for one test.
func withParseWorkers(t *testing.T, n int) {
	t.Helper()
	parseWorkersOverride = n
	t.Cleanup(func() { parseWorkersOverride = 0 })
}

func TestParallelKeepsFileOrder(t *testing.T) {
	withParseWorkers(t, 3)
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
	withParseWorkers(t, 3)
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
	withParseWorkers(t, 3)
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

// TestParallelSameAsSequential reads every log fixture with one parse
// goroutine and with three, and expects the same requests and rejections.
func TestParallelSameAsSequential(t *testing.T) {
	read := func(workers int) (*collectSink, []FileResult) {
		parseWorkersOverride = workers
		defer func() { parseWorkersOverride = 0 }()
		sink := &collectSink{}
		var results []FileResult
		entries, err := os.ReadDir(fixture(t, "."))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.IsDir() || e.Name() == "notalog" {
				continue
			}
			res, err := ReadPath(context.Background(), fixture(t, e.Name()), Options{}, sink)
			if err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
			results = append(results, res...)
		}
		return sink, results
	}

	seq, seqResults := read(1)
	par, parResults := read(3)
	if len(seq.requests) == 0 {
		t.Fatal("the fixtures gave no requests")
	}
	if !reflect.DeepEqual(seqResults, parResults) {
		t.Errorf("file results differ:\n one worker: %+v\n three:      %+v", seqResults, parResults)
	}
	if len(seq.requests) != len(par.requests) {
		t.Fatalf("requests: %d with one worker, %d with three", len(seq.requests), len(par.requests))
	}
	for i := range seq.requests {
		if !reflect.DeepEqual(seq.requests[i], par.requests[i]) {
			t.Fatalf("request %d differs:\n one worker: %+v\n three:      %+v", i, seq.requests[i], par.requests[i])
		}
	}
	if !reflect.DeepEqual(seq.rejections, par.rejections) {
		t.Errorf("rejections differ:\n one worker: %v\n three:      %v", seq.rejections, par.rejections)
	}
}
