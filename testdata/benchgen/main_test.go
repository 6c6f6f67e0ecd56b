package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestClaudeCodeTotals rereads a generated tree, keeps the final snapshot of
// each message id, and compares the sums with the totals the generator wrote.
func TestClaudeCodeTotals(t *testing.T) {
	dir := t.TempDir()
	if err := run([]string{"-n", "700", "-format", "claude-code", "-out", dir}); err != nil {
		t.Fatal(err)
	}
	want := readTotals(t, dir)
	got := totals{Lines: want.Lines, Bytes: want.Bytes}
	best := map[string]usage{}
	walkLines(t, filepath.Join(dir, "projects"), func(line []byte) {
		var l struct {
			Type    string
			Message struct {
				ID    string
				Usage struct {
					InputTokens         int64 `json:"input_tokens"`
					CacheReadTokens     int64 `json:"cache_read_input_tokens"`
					CacheCreationTokens struct {
						M5 int64 `json:"ephemeral_5m_input_tokens"`
						H1 int64 `json:"ephemeral_1h_input_tokens"`
					} `json:"cache_creation"`
					OutputTokens int64 `json:"output_tokens"`
				}
			}
		}
		if err := json.Unmarshal(line, &l); err != nil {
			t.Fatalf("invalid line %q: %v", line, err)
		}
		if l.Type != "assistant" {
			return
		}
		u := l.Message.Usage
		if prev, ok := best[l.Message.ID]; !ok || u.OutputTokens > prev.output {
			best[l.Message.ID] = usage{u.InputTokens, u.CacheReadTokens, u.CacheCreationTokens.M5, u.CacheCreationTokens.H1, u.OutputTokens}
		}
	})
	for _, u := range best {
		got.add(u.input, u.cacheRead, u.write5m, u.write1h, u.output)
	}
	if got != want {
		t.Errorf("reread totals = %+v, generator wrote %+v", got, want)
	}
}

func TestJSONLMatchesCSV(t *testing.T) {
	dir := t.TempDir()
	if err := run([]string{"-n", "500", "-format", "jsonl", "-out", dir}); err != nil {
		t.Fatal(err)
	}
	jsonl, _ := os.ReadFile(filepath.Join(dir, "requests.jsonl"))
	csv, _ := os.ReadFile(filepath.Join(dir, "requests.csv"))
	jl := strings.Split(strings.TrimSpace(string(jsonl)), "\n")
	cl := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if len(jl) != 500 || len(cl) != 501 {
		t.Fatalf("lines: jsonl %d, csv %d (with header), want 500 and 501", len(jl), len(cl))
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(jl[0]), &first); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cl[1], first["id"].(string)+","+first["time"].(string)+",") {
		t.Errorf("csv row %q does not start with the JSON row's id and time %v", cl[1], first)
	}
}

func readTotals(t *testing.T, dir string) totals {
	data, err := os.ReadFile(filepath.Join(dir, "totals.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tot totals
	if err := json.Unmarshal(data, &tot); err != nil {
		t.Fatal(err)
	}
	return tot
}

func walkLines(t *testing.T, root string, fn func([]byte)) {
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			fn(sc.Bytes())
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
