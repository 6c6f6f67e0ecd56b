package main

import (
	"bytes"
	"database/sql"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite", to edit a store by hand
)

// mountTmpfs mounts a tmpfs of the given size (mount's syntax, such as 2m)
// on a new directory and unmounts it when the test ends. It skips the test
// when not root or when mount fails, for example in a container without
// the capability.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("mount tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// remount changes the options of a mount made by mountTmpfs.
func remount(t *testing.T, dir, options string) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", "remount,"+options, dir).CombinedOutput(); err != nil {
		t.Fatalf("remount %s with %s: %v: %s", dir, options, err, out)
	}
}

// TestDiskFull ingests into a 2 MB file system until it is full. The
// ingest must exit 4 saying the disk is full, and the store must still
// open and verify with the requests committed before. Once there is space,
// the same ingest completes with exact totals.
func TestDiskFull(t *testing.T) {
	dir := mountTmpfs(t, "2m")
	work := t.TempDir()
	small, large := filepath.Join(work, "small.jsonl"), filepath.Join(work, "large.jsonl")
	writeFlat(t, small, flatGen{first: 1_000_000, count: 100})
	writeFlat(t, large, flatGen{count: 30000})

	if res := runBinary(t, dir, nil, "--db", "full.db", "ingest", small); res.code != 0 {
		t.Fatalf("first ingest: exit %d: %s", res.code, res.stderr)
	}
	res := runBinary(t, dir, nil, "--db", "full.db", "ingest", large)
	t.Logf("ingest into a full disk: exit %d: %s", res.code, strings.TrimSpace(res.stderr))
	if res.code != 4 {
		t.Errorf("ingest into a full disk: exit %d, want 4", res.code)
	}
	if !strings.Contains(res.stderr, "disk is full") || !strings.Contains(res.stderr, "full.db") {
		t.Errorf("ingest into a full disk: stderr %q, want it to name the store and say the disk is full", res.stderr)
	}

	expectVerified(t, dir, "full.db", "after the disk filled up")
	kept := totalsOf(t, dir, "full.db")
	if kept.Requests < 100 {
		t.Errorf("after the disk filled up: %d requests, want at least the first ingest's 100", kept.Requests)
	}
	expectUnitTotals(t, "after the disk filled up", kept, kept.Requests)

	remount(t, dir, "size=64m")
	if res := runBinary(t, dir, nil, "--db", "full.db", "ingest", large); res.code != 0 {
		t.Fatalf("ingest once there is space: exit %d: %s", res.code, res.stderr)
	}
	expectUnitTotals(t, "once there is space", totalsOf(t, dir, "full.db"), 30100)
	expectVerified(t, dir, "full.db", "once there is space")
}

// TestReadOnlyStore makes the file system of a store read-only: ingest must
// exit 4 naming the store, and the file must stay as it was.
func TestReadOnlyStore(t *testing.T) {
	dir := mountTmpfs(t, "8m")
	input := filepath.Join(t.TempDir(), "requests.jsonl")
	writeFlat(t, input, flatGen{count: 50})
	if res := runBinary(t, dir, nil, "--db", "ro.db", "ingest", input); res.code != 0 {
		t.Fatalf("ingest: exit %d: %s", res.code, res.stderr)
	}
	before := readFileOrFail(t, filepath.Join(dir, "ro.db"))
	remount(t, dir, "ro")

	for _, db := range []string{"ro.db", "new.db"} {
		res := runBinary(t, dir, nil, "--db", db, "ingest", input)
		t.Logf("ingest into %s on a read-only file system: exit %d: %s", db, res.code, strings.TrimSpace(res.stderr))
		if res.code != 4 {
			t.Errorf("ingest into %s on a read-only file system: exit %d, want 4", db, res.code)
		}
		if !strings.Contains(res.stderr, db) {
			t.Errorf("ingest into %s on a read-only file system: stderr %q does not name the store", db, res.stderr)
		}
	}
	if after := readFileOrFail(t, filepath.Join(dir, "ro.db")); !bytes.Equal(before, after) {
		t.Error("the store changed on a read-only file system")
	}

	// NOTE: reading a WAL-mode store needs its -shm file, which SQLite
	// cannot create on a read-only file system, so report fails there too.
	res := runBinary(t, dir, nil, "--db", "ro.db", "report")
	t.Logf("report on a read-only file system: exit %d: %s", res.code, strings.TrimSpace(res.stderr))
}

func readFileOrFail(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestNewerStoreRejected marks a store as written by a newer costctl:
// every command that opens it must exit 4 naming both schema versions and
// leave the file as it was.
func TestNewerStoreRejected(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "requests.jsonl")
	writeFlat(t, input, flatGen{count: 10})
	if res := runBinary(t, dir, nil, "--db", "newer.db", "ingest", input); res.code != 0 {
		t.Fatalf("ingest: exit %d: %s", res.code, res.stderr)
	}
	setSchemaVersion(t, filepath.Join(dir, "newer.db"), "99")
	before := readFileOrFail(t, filepath.Join(dir, "newer.db"))

	commands := [][]string{{"ingest", input}, {"report"}, {"verify"}, {"verify", "--repair"}}
	for _, args := range commands {
		res := runBinary(t, dir, nil, append([]string{"--db", "newer.db"}, args...)...)
		if res.code != 4 {
			t.Errorf("%v on a newer store: exit %d, want 4", args, res.code)
		}
		if !strings.Contains(res.stderr, "schema version 99") || !strings.Contains(res.stderr, "supports up to") {
			t.Errorf("%v on a newer store: stderr %q, want both schema versions", args, res.stderr)
		}
	}
	if after := readFileOrFail(t, filepath.Join(dir, "newer.db")); !bytes.Equal(before, after) {
		t.Error("opening a newer store changed it")
	}
}

// setSchemaVersion edits the schema version of a closed store and folds
// the WAL into the file.
func setSchemaVersion(t *testing.T, path, version string) {
	t.Helper()
	execSQL(t, path, `UPDATE meta SET value = '`+version+`' WHERE key = 'schema_version'`)
	execSQL(t, path, `PRAGMA wal_checkpoint(TRUNCATE)`)
}

// TestVerifyRepairsRollup damages the rollup of a store behind costctl's
// back: verify must exit 4 naming the problem and its repair, verify
// --repair must rebuild the rollup, and reports must return to the totals
// from before the damage.
func TestVerifyRepairsRollup(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "requests.jsonl")
	writeFlat(t, input, flatGen{count: 2000, seed: 3})
	if res := runBinary(t, dir, nil, "--db", "r.db", "ingest", input); res.code != 0 {
		t.Fatalf("ingest: exit %d: %s", res.code, res.stderr)
	}
	want := totalsOf(t, dir, "r.db")

	// Reports without --by read the day rollup, so it is damaged too.
	execSQL(t, filepath.Join(dir, "r.db"), `UPDATE rollup SET output = output + 1000 WHERE bucket = (SELECT min(bucket) FROM rollup)`)
	execSQL(t, filepath.Join(dir, "r.db"), `UPDATE rollup_day SET output = output + 1000 WHERE bucket = (SELECT min(bucket) FROM rollup_day)`)
	if got := totalsOf(t, dir, "r.db"); got == want {
		t.Fatal("damaging the rollup did not change the report, so the test cannot see a repair")
	}

	res := runBinary(t, dir, nil, "--db", "r.db", "verify")
	if res.code != 4 || !strings.Contains(res.stdout, "rollup:") || !strings.Contains(res.stdout, "costctl verify --repair") {
		t.Errorf("verify of a damaged rollup: exit %d, stdout %q; want exit 4 naming the rollup and the repair", res.code, res.stdout)
	}
	res = runBinary(t, dir, nil, "--db", "r.db", "verify", "--repair")
	if res.code != 0 || !strings.Contains(res.stdout, "repaired:") {
		t.Errorf("verify --repair: exit %d, stdout %q, stderr %q; want exit 0 and a repair", res.code, res.stdout, res.stderr)
	}
	expectVerified(t, dir, "r.db", "after the repair")
	if got := totalsOf(t, dir, "r.db"); got != want {
		t.Errorf("totals after the repair = %+v, want %+v", got, want)
	}
}

// execSQL runs one statement on a closed store.
func execSQL(t *testing.T, path, query string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// TestRepairKilled sends SIGKILL to verify --repair at seeded random times.
// The rebuild is one transaction, so after each kill the store must be
// either exactly as damaged as before or fully repaired. Long form:
//
//	COSTCTL_REPAIR_KILLS=30 COSTCTL_REPAIR_LINES=200000 go test -run TestRepairKilled -timeout 60m .
func TestRepairKilled(t *testing.T) {
	kills := envInt(t, "COSTCTL_REPAIR_KILLS", 3)
	lines := envInt(t, "COSTCTL_REPAIR_LINES", 10000)
	dir := t.TempDir()
	input := filepath.Join(dir, "requests.jsonl")
	writeFlat(t, input, flatGen{count: lines, seed: 5})
	if res := runBinary(t, dir, nil, "--db", "k.db", "ingest", input); res.code != 0 {
		t.Fatalf("ingest: exit %d: %s", res.code, res.stderr)
	}
	damage := `UPDATE rollup SET output = output + 5 WHERE bucket % 7 = 0`
	execSQL(t, filepath.Join(dir, "k.db"), damage)
	damaged := runBinary(t, dir, nil, "--db", "k.db", "verify").stdout

	began := time.Now()
	runBinary(t, dir, nil, "--db", "k.db", "verify", "--repair")
	repairTime := time.Since(began)

	execSQL(t, filepath.Join(dir, "k.db"), damage)

	rng := rand.New(rand.NewPCG(3, 4))
	for i := range kills {
		delay := time.Duration(rng.Int64N(int64(repairTime)))
		c := exec.Command(costctlBinary(t), "--db", "k.db", "verify", "--repair")
		c.Dir = dir
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		_ = c.Process.Signal(syscall.SIGKILL)
		_ = c.Wait()

		after := runBinary(t, dir, nil, "--db", "k.db", "verify")
		t.Logf("kill %d after %v of %v: %s", i+1, delay.Round(time.Millisecond), repairTime.Round(time.Millisecond), strings.TrimSpace(after.stdout))
		switch {
		case after.stdout == damaged:
		case strings.Contains(after.stdout, ": ok:"):
			execSQL(t, filepath.Join(dir, "k.db"), damage) // damage it again for the next kill
		default:
			t.Errorf("after kill %d: verify printed %q, want the damage as before (%q) or ok", i+1, after.stdout, damaged)
		}
	}
}
