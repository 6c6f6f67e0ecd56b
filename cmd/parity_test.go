package cmd_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costctl/costctl/analyze/store/clickhouse/chtest"
	"github.com/costctl/costctl/cmd"
)

func TestMain(m *testing.M) {
	code := m.Run()
	chtest.Stop()
	os.Exit(code)
}

// run runs costctl with args and returns its standard output with db
// replaced by STORE, failing the test on an exit code other than want.
func run(t *testing.T, db string, want int, args ...string) string {
	t.Helper()
	streams, out, errb := cmd.TestIO("")
	code := cmd.Main(context.Background(), append([]string{"--db", db}, args...), streams)
	if code != want {
		t.Fatalf("costctl %s on %s: exit %d, want %d\n%s", strings.Join(args, " "), db, code, want, errb)
	}
	return strings.ReplaceAll(out.String(), db, "STORE")
}

// parityCommands are the reading commands compared on both backends, as
// argument lists; each prints one JSON document.
var parityCommands = [][]string{
	{"report", "--format", "json"},
	{"report", "--by", "endpoint,tier,hour_of_day", "--tz", "America/New_York", "--format", "json"},
	{"report", "--by", "day,model", "--tz", "Asia/Kolkata", "--format", "json"},
	{"report", "--by", "hour", "--tz", "Europe/London", "--since", "2025-11-03T10:07:00Z", "--until", "2025-11-05T00:00:00Z", "--format", "json"},
	{"report", "--by", "customer,user,session", "--top", "5", "--format", "json"},
	{"report", "--by", "endpoint", "--month-to-date", "--as-of", "2025-11-05T12:00:00Z", "--format", "json"},
	{"simulate", "--policy", filepath.Join("..", "testdata", "policies", "production-stack.yaml"), "--format", "json"},
	{"check", "--since", "2025-11-03", "--until", "2025-11-06", "--by", "endpoint", "--format", "json"},
}

func TestBackendsGiveSameDocuments(t *testing.T) {
	ch := chtest.Database(t)
	dir := t.TempDir()
	lite := filepath.Join(dir, "s.db")
	sample := filepath.Join("..", "testdata", "sample")
	baseline := filepath.Join(dir, "baseline.json")

	run(t, lite, 0, "ingest", sample)
	run(t, ch, 0, "ingest", sample)
	run(t, lite, 0, "report", "--by", "endpoint", "--format", "json", "-o", baseline)

	for _, args := range parityCommands {
		if args[0] == "check" {
			args = append(args, "--baseline", baseline)
		}
		compareOutputs(t, lite, ch, 0, args...)
	}
}

func TestBackendsAgreeAfterReprice(t *testing.T) {
	ch := chtest.Database(t)
	dir := t.TempDir()
	lite := filepath.Join(dir, "s.db")
	prices := filepath.Join(dir, "over.yaml")
	if err := os.WriteFile(prices, []byte(overPrices), 0o600); err != nil {
		t.Fatal(err)
	}
	sample := filepath.Join("..", "testdata", "sample")
	run(t, lite, 0, "ingest", sample)
	run(t, ch, 0, "ingest", sample)

	stale := []string{"--prices", prices, "report", "--by", "model", "--format", "json"}
	compareOutputs(t, lite, ch, 0, stale...)
	if got, want := run(t, ch, 0, "--prices", prices, "reprice"), run(t, lite, 0, "--prices", prices, "reprice"); got != want {
		t.Errorf("reprice output:\nclickhouse: %s\nsqlite:     %s", got, want)
	}
	compareOutputs(t, lite, ch, 0, stale...)
	compareOutputs(t, lite, ch, 0, "--prices", prices, "simulate", "--policy", filepath.Join("..", "testdata", "policies", "production-stack.yaml"), "--format", "json")
}

func TestBackendsAgreeOnReconcile(t *testing.T) {
	for _, provider := range []string{"anthropic-nov", "openai-nov"} {
		ch := chtest.Database(t)
		lite := filepath.Join(t.TempDir(), "r.db")
		bill := filepath.Join("..", "testdata", "billing", provider)
		run(t, lite, 0, "ingest", bill)
		run(t, ch, 0, "ingest", bill)
		run(t, ch, 0, "ingest", bill) // a re-download keeps one copy of each line
		compareOutputs(t, lite, ch, 0, "reconcile", "--format", "json")
		compareOutputs(t, lite, ch, 0, "reconcile", "--by", "day", "--format", "json")
	}
}

func TestMigrateCopiesStore(t *testing.T) {
	dir := t.TempDir()
	lite := filepath.Join(dir, "s.db")
	run(t, lite, 0, "ingest", filepath.Join("..", "testdata", "sample"))
	run(t, lite, 0, "ingest", filepath.Join("..", "testdata", "billing", "anthropic-nov"))
	ch := chtest.Database(t)

	out := run(t, lite, 0, "migrate", "--from", "sqlite://"+lite, "--to", ch)
	if !strings.Contains(out, "copied ") {
		t.Errorf("migrate printed %q, want a count of copied requests", out)
	}
	compareOutputs(t, lite, ch, 0, "report", "--by", "endpoint,day", "--format", "json")
	compareOutputs(t, lite, ch, 0, "reconcile", "--format", "json")

	// Ingesting the same logs into the copy adds nothing: the dedup keys
	// survived the copy.
	run(t, ch, 0, "ingest", filepath.Join("..", "testdata", "sample"))
	compareOutputs(t, lite, ch, 0, "report", "--by", "source", "--format", "json")

	back := filepath.Join(dir, "back.db")
	run(t, lite, 0, "migrate", "--from", ch, "--to", back)
	compareOutputs(t, lite, back, 0, "simulate", "--policy", filepath.Join("..", "testdata", "policies", "production-stack.yaml"), "--format", "json")
}

func TestClickHouseAddressRejectsCredentials(t *testing.T) {
	streams, _, errb := cmd.TestIO("")
	code := cmd.Main(context.Background(), []string{"--db", "clickhouse://bob:secret@127.0.0.1:1/x", "report"}, streams)
	if code != 4 {
		t.Errorf("exit %d, want 4", code)
	}
	if strings.Contains(errb.String(), "secret") {
		t.Errorf("error output shows the password: %s", errb)
	}
	if !strings.Contains(errb.String(), "COSTCTL_CLICKHOUSE_PASSWORD") {
		t.Errorf("error output does not name the variable to use: %s", errb)
	}
}

// compareOutputs runs args on both stores and compares standard output
// byte for byte.
func compareOutputs(t *testing.T, lite, ch string, want int, args ...string) {
	t.Helper()
	w := run(t, lite, want, args...)
	g := run(t, ch, want, args...)
	if len(w) < 50 {
		t.Fatalf("costctl %s printed only %q", strings.Join(args, " "), w)
	}
	if g != w {
		t.Errorf("costctl %s differs between backends:\n%s", strings.Join(args, " "), firstDifference(g, w))
	}
}

func firstDifference(got, want string) string {
	g, w := []byte(got), []byte(want)
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	from := max(0, i-200)
	return "clickhouse: ..." + string(g[from:min(len(g), i+200)]) + "\nsqlite:     ..." + string(w[from:min(len(w), i+200)])

}

const overPrices = `date: 2026-12-04
models:
  - id: claude-sonnet-4-5
    provider: anthropic
    names: [claude-sonnet-4-5-20250929]
    rows:
      - from: 2025-09-29
        prices: {input: 3, output: 15}
      - from: 2025-11-04
        prices: {input: 4, output: 20}
`

func TestBackendsAgreeOnBudgets(t *testing.T) {
	ch := chtest.Database(t)
	dir := t.TempDir()
	lite := filepath.Join(dir, "b.db")
	config := filepath.Join(dir, "fail.yaml")
	if err := os.WriteFile(config, []byte("budgets:\n  monthly:\n    total: {fail: 3.0}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sample := filepath.Join("..", "testdata", "sample")
	run(t, lite, 0, "ingest", sample)
	run(t, ch, 0, "ingest", sample)
	compareOutputs(t, lite, ch, 1, "--config", config, "check", "--month-to-date", "--as-of", "2025-11-05T00:00:00Z", "--format", "json")
}
