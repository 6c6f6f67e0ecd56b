package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpgradeNotice reports a store written with schema version 1, the
// fixture of the store package. The first command upgrades it and prints a
// notice on stderr, and the next one finds nothing to upgrade.
func TestUpgradeNotice(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "analyze", "store", "testdata", "schema-v1.db"))
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(db, data, 0o644); err != nil {
		t.Fatal(err)
	}

	streams, out, errOut := TestIO("")
	if code := Main(context.Background(), []string{"--db", db, "report", "--by", "day", "--format", "csv"}, streams); code != ExitOK {
		t.Fatalf("first report: exit %d: %s", code, errOut)
	}
	if want := "upgrading store " + db + " from schema 1 to "; !strings.Contains(errOut.String(), want) {
		t.Errorf("first report: stderr %q does not contain %q", errOut.String(), want)
	}
	// The fixture's requests start on 2025-11-03 and go on to the next days.
	if !strings.Contains(out.String(), "2025-11-03") || !strings.Contains(out.String(), "2025-11-04") {
		t.Errorf("first report: output %q lacks the fixture's first two days", out.String())
	}

	streams, _, errOut = TestIO("")
	if code := Main(context.Background(), []string{"--db", db, "report", "--by", "day"}, streams); code != ExitOK {
		t.Fatalf("second report: exit %d: %s", code, errOut)
	}
	if strings.Contains(errOut.String(), "upgrading") {
		t.Errorf("second report: stderr %q announces another upgrade", errOut.String())
	}
}
