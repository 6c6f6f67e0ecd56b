// Command benchgen writes deterministic request logs for the benchmarks in
// scripts/bench.sh: costctl's flat JSONL (with the same rows as CSV for the
// SQLite reference import) or a Claude Code projects tree.
//
//	go run ./testdata/benchgen -n 1000000 -format jsonl -out DIR
//	go run ./testdata/benchgen -n 100000 -format claude-code [-real-size] -out DIR
//
// Every run writes DIR/totals.json: the request count and token sums after
// deduplication, computed while generating, so a benchmark can check the
// totals that costctl and other tools report.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// totals are the figures a correct reader of the generated logs reports.
type totals struct {
	Requests     int64 `json:"requests"`
	Lines        int64 `json:"lines"`
	Bytes        int64 `json:"bytes"`
	Input        int64 `json:"input"`
	CacheRead    int64 `json:"cache_read"`
	CacheWrite5m int64 `json:"cache_write_5m"`
	CacheWrite1h int64 `json:"cache_write_1h"`
	Output       int64 `json:"output"`
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchgen:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("benchgen", flag.ContinueOnError)
	n := fs.Int64("n", 100_000, "number of distinct requests")
	format := fs.String("format", "jsonl", "output format: jsonl or claude-code")
	realSize := fs.Bool("real-size", false, "claude-code: pad lines to the real transcripts' mean of about 20 KB per request instead of about 3 KB")
	seed := fs.Uint64("seed", 1, "random seed; the same seed and flags give the same files")
	out := fs.String("out", "", "output directory (created)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *n <= 0 {
		return errors.New("-out DIR and a positive -n are required")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", *out, err)
	}

	var t totals
	var err error
	switch *format {
	case "jsonl":
		t, err = writeJSONL(*out, *n, *seed)
	case "claude-code":
		t, err = writeClaudeCode(*out, *n, *seed, *realSize)
	default:
		return fmt.Errorf("unknown -format %q: want jsonl or claude-code", *format)
	}
	if err != nil {
		return err
	}
	return writeTotals(filepath.Join(*out, "totals.json"), t)
}

func writeTotals(path string, t totals) error {
	data, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
