package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/costctl/costctl/analyze/store/clickhouse/chtest"
)

// envScriptDB is set inside scripts run by TestScriptsClickHouse: the
// clickhouse:// address prefix that the costctl command puts in place of
// each --db path.
const envScriptDB = "COSTCTL_TEST_SCRIPT_CLICKHOUSE"

// init runs in the costctl processes that scripts start, before TestMain
// hands os.Args to cmd.Main, so that the unchanged scripts run against
// ClickHouse: every --db PATH becomes a database named after PATH.
func init() {
	prefix := os.Getenv(envScriptDB)
	if prefix == "" || filepath.Base(os.Args[0]) != "costctl" {
		return
	}
	os.Args = append(os.Args[:1], scriptDBArgs(os.Args[1:], prefix)...)
}

var nonName = regexp.MustCompile(`[^A-Za-z0-9_]`)

func scriptDBArgs(args []string, prefix string) []string {
	out := append([]string(nil), args...)
	for i := 0; i+1 < len(out); i++ {
		if out[i] == "--db" {
			out[i+1] = prefix + nonName.ReplaceAllString(out[i+1], "_")
		}
	}
	return out
}

// scriptCounter numbers the databases of each script run.
var scriptCounter atomic.Int64

// TestScriptsClickHouse runs the end-to-end scripts again with every store
// in ClickHouse, when a server is available (see chtest).
func TestScriptsClickHouse(t *testing.T) {
	db := chtest.Database(t) // skips the test without a server
	// No other test of this package uses the server, so it stops here and
	// its data folder goes with it.
	t.Cleanup(chtest.Stop)
	server := strings.TrimSuffix(db, db[strings.LastIndex(db, "/")+1:])
	testscript.Run(t, scriptParams(t, "clickhouse", func(env *testscript.Env) {
		env.Setenv(envScriptDB, fmt.Sprintf("%scostctl_script_%d_%d_", server, os.Getpid(), scriptCounter.Add(1)))
	}))
}
