package cmd

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestProgressText(t *testing.T) {
	tests := []struct {
		name  string
		state progressState
		want  string
	}{
		// 4096 requests after 8 µs would be 512,000,000 requests/s.
		{"no rate before half a second",
			progressState{requests: 4096, elapsed: 8 * time.Microsecond}, "4,096 requests"},
		// 10,000 requests in 2 s = 5,000 requests/s.
		{"bytes of total and rate",
			progressState{requests: 10_000, bytesRead: 12_345_678, totalBytes: 45_600_000, elapsed: 2 * time.Second},
			"12.3 MB of 45.6 MB, 10,000 requests, 5,000 requests/s"},
		// 3 requests in 0.5 s = 6 requests/s.
		{"rate at half a second",
			progressState{requests: 3, elapsed: 500 * time.Millisecond}, "3 requests, 6 requests/s"},
		{"bytes without a total",
			progressState{requests: 1, bytesRead: 2_500, elapsed: time.Millisecond}, "2.5 kB read, 1 request"},
		{"gigabytes",
			progressState{requests: 0, bytesRead: 999_950_000, totalBytes: 3_000_000_000}, "1.0 GB of 3.0 GB, 0 requests"},
		{"bytes under a kilobyte",
			progressState{requests: 2, bytesRead: 999}, "999 B read, 2 requests"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := progressText(tt.state); got != tt.want {
				t.Errorf("progressText = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestInputBytes(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	if err := os.WriteFile(a, make([]byte, 10), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, make([]byte, 20), 0o644); err != nil {
		t.Fatal(err)
	}

	if got := inputBytes([]string{a, b}); got != 30 {
		t.Errorf("two files: %d bytes, want 30", got)
	}
	if got := inputBytes([]string{a, dir}); got != 0 {
		t.Errorf("a file and a directory: %d bytes, want 0 (unknown)", got)
	}
	if got := inputBytes([]string{a, "-"}); got != 0 {
		t.Errorf("a file and standard input: %d bytes, want 0 (unknown)", got)
	}
	if got := inputBytes([]string{filepath.Join(dir, "missing.jsonl")}); got != 0 {
		t.Errorf("a missing file: %d bytes, want 0 (unknown)", got)
	}
}
