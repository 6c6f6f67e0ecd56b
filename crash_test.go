package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The crash test's long form, with 50 kills, each into a new store of
// 200,000 requests:
//
//	COSTCTL_CRASH_KILLS=50 COSTCTL_CRASH_LINES=200000 go test -run TestCrashResume -timeout 60m .
//
// COSTCTL_CRASH_SEED picks another kill schedule; the default is 1.

var built struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// costctlBinary builds costctl once per test process, so that crash and
// concurrency tests run the real program in separate processes that can be
// killed.
func costctlBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "costctl-bin-")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "costctl")
		out, err := exec.Command("go", "build", "-o", built.path, ".").CombinedOutput()
		if err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// binResult is the outcome of one costctl process.
type binResult struct {
	code           int
	stdout, stderr string
}

// runBinary runs costctl with args in dir and waits for it.
func runBinary(t *testing.T, dir string, env []string, args ...string) binResult {
	t.Helper()
	c := exec.Command(costctlBinary(t), args...)
	c.Dir = dir
	c.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	c.Stdout, c.Stderr = &out, &errOut

	err := c.Run()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatalf("run costctl %v: %v", args, err)
	}
	return binResult{code: c.ProcessState.ExitCode(), stdout: out.String(), stderr: errOut.String()}
}

// flatGen describes a costctl JSONL file of requests with distinct ids.
type flatGen struct {
	first, count int   // ids first .. first+count-1
	seed         int64 // 0: every request has the same usage
	customer     string
}

// unit usage of a request when flatGen.seed is 0.
const (
	unitInput     = 1200
	unitCacheRead = 3000
	unitOutput    = 400
)

// writeFlat writes g's requests to path and returns the sums of their
// token counts, computed here and not by costctl.
func writeFlat(t *testing.T, path string, g flatGen) (sums [3]int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)

	rng := rand.New(rand.NewPCG(uint64(g.seed), 7))
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for i := g.first; i < g.first+g.count; i++ {
		in, cr, out := int64(unitInput), int64(unitCacheRead), int64(unitOutput)
		if g.seed != 0 {
			in, cr, out = 1+rng.Int64N(5000), rng.Int64N(40000), 1+rng.Int64N(3000)
		}
		at := start.Add(time.Duration(i) * 7 * time.Second).Format(time.RFC3339)
		fmt.Fprintf(w, `{"id":"req-%09d","time":"%s","provider":"anthropic","model":"claude-haiku-4-5-20251001","endpoint":"/e%d","tier":"t%d","customer":%q,"user":"u%d","input":%d,"cache_read":%d,"output":%d}`+"\n",
			i, at, i%13, i%4, g.customer, i%97, in, cr, out)
		sums[0], sums[1], sums[2] = sums[0]+in, sums[1]+cr, sums[2]+out
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return sums
}

// storeTotals is the totals object of a report document.
type storeTotals struct {
	Requests        int64   `json:"requests"`
	InputTokens     int64   `json:"input_tokens"`
	CacheReadTokens int64   `json:"cache_read_tokens"`
	OutputTokens    int64   `json:"output_tokens"`
	CostUSD         float64 `json:"cost_usd"`
}

// totalsOf runs report --format json on db and returns its totals.
func totalsOf(t *testing.T, dir, db string) storeTotals {
	t.Helper()
	res := runBinary(t, dir, nil, "--db", db, "report", "--format", "json")
	if res.code != 0 {
		t.Fatalf("report on %s: exit %d: %s", db, res.code, res.stderr)
	}
	var doc struct {
		Totals storeTotals `json:"totals"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatalf("report on %s: %v", db, err)
	}
	return doc.Totals
}

// expectVerified runs costctl verify on db and fails unless it passes.
func expectVerified(t *testing.T, dir, db, when string) {
	t.Helper()
	res := runBinary(t, dir, nil, "--db", db, "verify")
	if res.code != 0 || !strings.Contains(res.stdout, ": ok:") {
		t.Errorf("verify %s: exit %d\n%s%s", when, res.code, res.stdout, res.stderr)
	}
}

// envInt reads a positive integer from the environment, else def.
func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive integer", name, s)
	}
	return n
}

// TestCrashResume kills ingest with SIGKILL at seeded random times, each
// time into a new store, and checks the store the kill left. It then runs
// the ingest again to completion and expects exactly the totals of a clean
// ingest: no request lost, none counted twice.
func TestCrashResume(t *testing.T) {
	kills, lines := 3, 30000
	if testing.Short() {
		kills, lines = 1, 10000
	}
	kills = envInt(t, "COSTCTL_CRASH_KILLS", kills)
	lines = envInt(t, "COSTCTL_CRASH_LINES", lines)
	seed := envInt(t, "COSTCTL_CRASH_SEED", 1)
	dir := t.TempDir()
	input := filepath.Join(dir, "requests.jsonl")
	sums := writeFlat(t, input, flatGen{count: lines, seed: int64(seed)})

	// The second clean ingest, with the binary and input in the page
	// cache, times the run that the kills are spread over.
	var cleanTime time.Duration
	for _, db := range []string{"clean.db", "clean-again.db"} {
		began := time.Now()
		if res := runBinary(t, dir, nil, "--db", db, "ingest", input); res.code != 0 {
			t.Fatalf("clean ingest into %s: exit %d: %s", db, res.code, res.stderr)
		}
		cleanTime = time.Since(began)
	}
	want := totalsOf(t, dir, "clean.db")
	expectTokenSums(t, "clean ingest", want, int64(lines), sums)
	if again := totalsOf(t, dir, "clean-again.db"); again != want {
		t.Errorf("a second clean ingest gives totals %+v, want the first's %+v", again, want)
	}

	rng := rand.New(rand.NewPCG(uint64(seed), 11))
	for i := range kills {
		db := fmt.Sprintf("crashed-%d.db", i)
		delay := time.Duration(rng.Int64N(int64(cleanTime)))
		left := killIngestAfter(t, dir, db, input, delay)
		t.Logf("kill %d/%d after %v (clean ingest took %v): %s", i+1, kills, delay.Round(time.Millisecond), cleanTime.Round(time.Millisecond), left)

		if res := runBinary(t, dir, nil, "--db", db, "ingest", input); res.code != 0 {
			t.Fatalf("ingest after kill %d: exit %d: %s", i+1, res.code, res.stderr)
		}
		if got := totalsOf(t, dir, db); got != want {
			t.Errorf("totals after kill %d and a resumed ingest = %+v, want the clean ingest's %+v", i+1, got, want)
		}
		expectVerified(t, dir, db, fmt.Sprintf("after kill %d and a resumed ingest", i+1))
		os.Remove(filepath.Join(dir, db))
		os.Remove(filepath.Join(dir, db+"-wal"))
		os.Remove(filepath.Join(dir, db+"-shm"))
	}
}

// killIngestAfter starts an ingest, sends SIGKILL after delay and verifies
// the store it left, if any. It returns what verify printed.
func killIngestAfter(t *testing.T, dir, db, input string, delay time.Duration) string {
	t.Helper()
	c := exec.Command(costctlBinary(t), "--db", db, "ingest", input)
	c.Dir = dir
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(delay)
	_ = c.Process.Signal(syscall.SIGKILL)
	_ = c.Wait()

	if _, err := os.Stat(filepath.Join(dir, db)); err != nil {
		return "killed before the store file existed"
	}
	res := runBinary(t, dir, nil, "--db", db, "verify")
	if res.code != 0 && strings.Contains(res.stderr, "is older than") {
		// Killed between two schema migrations, each its own transaction:
		// the next ingest applies the rest.
		return "killed before the schema was complete: " + strings.TrimSpace(res.stderr)
	}
	if res.code != 0 {
		t.Errorf("verify after a kill at %v: exit %d\n%s%s", delay, res.code, res.stdout, res.stderr)
	}
	return strings.TrimSpace(res.stdout + res.stderr)
}

// expectTokenSums compares a store's totals with sums computed while
// writing the input.
func expectTokenSums(t *testing.T, what string, got storeTotals, requests int64, sums [3]int64) {
	t.Helper()
	if got.Requests != requests {
		t.Errorf("%s: requests = %d, want %d", what, got.Requests, requests)
	}
	if got.InputTokens != sums[0] {
		t.Errorf("%s: input tokens = %d, want %d", what, got.InputTokens, sums[0])
	}
	if got.CacheReadTokens != sums[1] {
		t.Errorf("%s: cache read tokens = %d, want %d", what, got.CacheReadTokens, sums[1])
	}
	if got.OutputTokens != sums[2] {
		t.Errorf("%s: output tokens = %d, want %d", what, got.OutputTokens, sums[2])
	}
}
