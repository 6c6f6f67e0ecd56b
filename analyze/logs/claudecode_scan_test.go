package logs

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/costctl/costctl/analyze"
)

// parseClaudeCodeFull is parseClaudeCode without the fast path.
func parseClaudeCodeFull(data []byte) (*analyze.Request, error) {
	var line claudeCodeLine
	if err := json.Unmarshal(data, &line); err != nil {
		return nil, err
	}
	return claudeCodeRequest(&line)
}

var claudeCodeScanSeeds = []string{
	`{"type":"assistant","timestamp":"2026-01-05T09:00:09.000Z","sessionId":"s","requestId":"r","message":{"id":"msg_1","model":"claude-opus-4-6","content":[{"type":"text","text":"a \"quoted\" } ] text\\"}],"usage":{"input_tokens":3,"output_tokens":240}}}`,
	`{"type":"user","sessionId":"s","uuid":"u","message":{"role":"user","content":"hi"}}`,
	`{"type":"user","message":{"role":"user","usage":{"input_tokens":-1}}}`,
	`{"type":"assistant","message":{"id":"m","model":"<synthetic>","usage":{"input_tokens":0}}}`,
	`{"type":"assistant","costUSD":0.25,"timestamp":"2026-01-05T09:00:09Z","message":{"id":"m","model":"x","usage":{"output_tokens":1}}}`,
	`{"type":"assistant","costUSD":"x","message":{"id":"m","model":"x","usage":{"output_tokens":1}}}`,
	`{"type":"assistant","Message":{"id":"m","model":"x","usage":{"output_tokens":1}}}`,
	`{"type":"assistant","message":{"id":"m","model":"x","Usage":{"output_tokens":1}}}`,
	`{"type":"assistant","message":{"id":"m","id":"n","model":"x","usage":{"output_tokens":1}}}`,
	`{"type":"assistant","message":{"id":"m","model":"x","usage":{"output_tokens":1.5}}}`,
	`{"type":"assistant","message":"text"}`,
	`{"type":5}`,
	`{"type":"assistant","message":{"model":"x","usage":{"output_tokens":1}}`,
	`{"type":"assistant","timestamp":"not a time","message":{"id":"m","model":"x","usage":{"output_tokens":1}}}`,
	`{"type":"progress","data":{"usage":[1,2,{"a":"}"}]},"message":null}`,
	`{"t\u0079pe":"assistant","message":{"id":"m","model":"x","usage":{"output_tokens":1}}}`,
	`{"type":"assistant","message":{"id":"m","model":"x","usage":{"input_tokens":null,"cache_creation":{"ephemeral_5m_input_tokens":5,"ephemeral_1h_input_tokens":"7"},"server_tool_use":{"web_search_requests":2},"service_tier":"batch","speed":"fast"}}}`,
	`{"type":"assistant","message":{"id":"m","model":"x","usage":{"cache_creation":null,"server_tool_use":[1],"output_tokens":1}}}`,
	`{"type":"assistant","message":{"id":"m","model":"x","usage":{"cache_creation":{"Ephemeral_5m_input_tokens":1},"output_tokens":1}}}`,
	`{"type":"assistant","message":{"id":"m","model":"x","usage":null}}`,
	`[1]`, `null`, `{}`, ` {"type" : "assistant" , "message" : { "id" : "m" , "model":"x", "usage" : { "output_tokens" : 7 } } } `,
}

// FuzzClaudeCodeScan checks that the fast path returns what decoding the
// whole line returns: the same request, or the same error.
func FuzzClaudeCodeScan(f *testing.F) {
	for _, s := range claudeCodeScanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, gotErr := parseClaudeCode(data)
		want, wantErr := parseClaudeCodeFull(data)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Fatalf("error = %v, want %v", gotErr, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("request = %+v, want %+v", got, want)
		}
	})
}

// BenchmarkClaudeCodeLines parses every line of the files under
// COSTCTL_BENCH_TREE with and without the fast path.
func BenchmarkClaudeCodeLines(b *testing.B) {
	lines := benchTreeLines(b, 20_000)
	for _, c := range []struct {
		name  string
		parse func([]byte) (*analyze.Request, error)
	}{{"scan", parseClaudeCode}, {"unmarshal", parseClaudeCodeFull}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				for _, l := range lines {
					if _, err := c.parse(l); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/line")
		})
	}
}

// benchTreeLines reads up to n lines of the .jsonl files under
// COSTCTL_BENCH_TREE.
func benchTreeLines(b *testing.B, n int) [][]byte {
	tree := os.Getenv("COSTCTL_BENCH_TREE")
	if tree == "" {
		b.Skip("set COSTCTL_BENCH_TREE to a Claude Code tree")
	}
	var lines [][]byte
	err := filepath.WalkDir(tree, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".jsonl") || len(lines) >= n {
			return err
		}
		data, err := os.ReadFile(path)
		lines = append(lines, bytes.Split(bytes.TrimSpace(data), []byte("\n"))...)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return lines
}

// FuzzValidJSON checks that validJSON accepts only what json.Valid
// accepts, and everything it accepts below maxScanDepth.
func FuzzValidJSON(f *testing.F) {
	for _, s := range claudeCodeScanSeeds {
		f.Add([]byte(s))
	}
	for _, s := range []string{`1`, `-0.5e+3`, `01`, `1.`, `"\u00e9\ud800"`, "\"\x01\"", `"\x"`, `[1,]`, `{"a":1,}`, `tru`, ` [ ] `, `{"a" 1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, want := validJSON(data), json.Valid(data)
		if !got && want && bytes.Count(data, []byte("[")) > maxScanDepth {
			return // deeper than validJSON goes
		}
		if got != want {
			t.Fatalf("validJSON(%q) = %v, json.Valid = %v", data, got, want)
		}
	})
}

func TestHasSpecialByteEveryByte(t *testing.T) {
	for b := 0; b < 256; b++ {
		want := b == '"' || b == '\\' || b < 0x20
		for pos := 0; pos < 8; pos++ {
			word := []byte("aaaaaaaa")
			word[pos] = byte(b)
			got := hasSpecialByte(binary.LittleEndian.Uint64(word))
			if got != want {
				t.Errorf("hasSpecialByte(%q) = %v, want %v", word, got, want)
			}
		}
	}
}

func TestValidStringLongText(t *testing.T) {
	plain := strings.Repeat("héllo wörld 0123", 100)
	cases := []struct {
		name string
		text string
		ok   bool
	}{
		{"plain", `"` + plain + `"`, true},
		{"escape at end", `"` + plain + `\n"`, true},
		{"escaped quote", `"` + plain + `\"` + plain + `"`, true},
		{"control character", `"` + plain + "\t" + plain + `"`, false},
		{"bad escape", `"` + plain + `\x"`, false},
		{"unterminated", `"` + plain, false},
	}
	for _, c := range cases {
		end, ok := validString([]byte(c.text), 0)
		if ok != c.ok {
			t.Errorf("%s: ok = %v, want %v", c.name, ok, c.ok)
		}
		if c.ok && end != len(c.text) {
			t.Errorf("%s: end = %d, want %d", c.name, end, len(c.text))
		}
	}
}
