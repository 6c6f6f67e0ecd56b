package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUsageErrors checks that bad flags and values exit 2 with a message
// that names what was wrong, before anything touches a store.
func TestUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"ingest"}, "needs at least one FILE"},
		{[]string{"ingest", "--assume-time", "yesterday", "a.jsonl"}, "--assume-time"},
		{[]string{"report", "--by", "colour"}, `--by "colour"`},
		{[]string{"report", "--by", "day,day"}, "given twice"},
		{[]string{"report", "--format", "yaml"}, `--format "yaml"`},
		{[]string{"report", "--tz", "Mars/Olympus"}, "--tz"},
		{[]string{"report", "--since", "last week"}, "--since"},
		{[]string{"report", "--since", "2025-02-01", "--until", "2025-01-01"}, "not after"},
		{[]string{"report", "--top", "-1"}, "--top"},
		{[]string{"report", "--no-such-flag"}, "unknown flag"},
		{[]string{"report"}, "does not exist"},
		{[]string{"repor"}, "did you mean report"},
		{[]string{"report", "extra"}, `unknown command "extra"`},
		{[]string{"prices", "bogus"}, `unknown command "bogus" for "costctl prices"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			streams, _, errOut := TestIO("")
			code := Main(context.Background(), append([]string{"--db", db}, tt.args...), streams)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			if !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("stderr %q does not name %q", errOut.String(), tt.want)
			}
		})
	}
}

// TestEnvironmentSetsFlags checks the COSTCTL_<COMMAND>_<KEY> variables.
func TestEnvironmentSetsFlags(t *testing.T) {
	t.Setenv("COSTCTL_REPORT_FORMAT", "yaml")
	streams, _, errOut := TestIO("")
	code := Main(context.Background(), []string{"--db", filepath.Join(t.TempDir(), "x.db"), "report"}, streams)
	if code != ExitUsage || !strings.Contains(errOut.String(), `"yaml"`) {
		t.Errorf("exit %d, stderr %q: want the env format rejected", code, errOut.String())
	}
}

// TestExitCodesInHelp checks that every command's help lists the codes.
func TestExitCodesInHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"report", "--help"}, {"ingest", "--help"}} {
		streams, out, _ := TestIO("")
		if code := Main(context.Background(), args, streams); code != ExitOK {
			t.Fatalf("%v exit %d", args, code)
		}
		if !strings.Contains(out.String(), "Exit codes:") || !strings.Contains(out.String(), "partial ingest") {
			t.Errorf("%v help lacks the exit codes", args)
		}
	}
}

func TestVersionFlag(t *testing.T) {
	streams, out, _ := TestIO("")
	if code := Main(context.Background(), []string{"--version"}, streams); code != ExitOK {
		t.Fatalf("--version exit %d", code)
	}
	if !strings.HasPrefix(out.String(), "costctl version ") {
		t.Errorf("--version printed %q, want it to start with %q", out.String(), "costctl version ")
	}
}

// TestConfigUnknownKey checks that a typo in the config file is an error
// naming the key, not a setting silently ignored.
func TestConfigUnknownKey(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "costctl.yaml")
	if err := os.WriteFile(cfg, []byte("report:\n  formt: json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	streams, _, errOut := TestIO("")
	code := Main(context.Background(), []string{"--config", cfg, "--db", filepath.Join(dir, "x.db"), "report"}, streams)
	if code != ExitUsage || !strings.Contains(errOut.String(), `unknown key "report.formt"`) {
		t.Errorf("exit %d, stderr %q: want the unknown key named", code, errOut.String())
	}
}

// TestReportMigratesOlderStore: a report on a store an older costctl wrote
// migrates it and reads it, rather than asking for a write first. The
// fixture holds 40 requests in schema version 1.
func TestReportMigratesOlderStore(t *testing.T) {
	fixture, err := os.ReadFile(filepath.Join("..", "analyze", "store", "testdata", "schema-v1.db"))
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(db, fixture, 0o644); err != nil {
		t.Fatal(err)
	}

	streams, out, errOut := TestIO("")
	code := Main(context.Background(), []string{"--db", db, "report", "--format", "csv"}, streams)
	if code != ExitOK || !strings.HasPrefix(strings.Split(out.String(), "\n")[1], "40,") {
		t.Errorf("exit %d, stdout %q, stderr %q: want the 40 requests reported", code, out.String(), errOut.String())
	}
}
