package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/costctl/costctl/cmd"
	"github.com/costctl/costctl/testdata/schema"
)

// TestMain lets the test binary act as costctl inside scripts, so every
// script runs the real command line in its own process.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"costctl": func() { os.Exit(cmd.Main(context.Background(), os.Args[1:], cmd.SystemIO())) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script. $SAMPLE is
// the bundled sample and $SHARED the shared real-world files. Scripts that
// need $SHARED skip themselves with [!shared] when it is absent. Steps that
// only a SQLite store has (a --db that is a plain file) are marked [sqlite].
func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams(t, "sqlite", nil))
}

// scriptParams are the script settings both store backends run with;
// setenv adds the backend's own variables.
func scriptParams(t *testing.T, backend string, setenv func(*testscript.Env)) testscript.Params {
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("SAMPLE", filepath.Join(root, "testdata", "sample"))
			env.Setenv("SHARED", sharedDir(root))
			env.Setenv("TZ", "UTC")
			if setenv != nil {
				setenv(env)
			}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "shared":
				return sharedDir(root) != "", nil
			case "sqlite", "clickhouse":
				return cond == backend, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"jsonget":  cmdJSONGet,
			"jsonnear": cmdJSONNear,
			"jsonlen":  cmdJSONLen,
			"exitcode": cmdExitCode,
			"validdoc": cmdValidDoc,
		},
	}
}

// sharedDir is ../shared beside the repository, or "" when it is absent.
func sharedDir(root string) string {
	dir := filepath.Join(filepath.Dir(root), "shared")
	if _, err := os.Stat(dir); err != nil {
		return ""
	}
	return dir
}

// cmdJSONGet: jsonget FILE PATH WANT compares the value at a dotted path
// (numbers index arrays) with WANT as JSON text.
func cmdJSONGet(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: jsonget FILE PATH WANT")
	}
	got := lookupJSON(ts, args[0], args[1])
	text, _ := json.Marshal(got)
	if (string(text) == args[2]) == neg {
		ts.Fatalf("%s %s = %s, want %s%s", args[0], args[1], text, map[bool]string{true: "not "}[neg], args[2])
	}
}

// cmdJSONNear: jsonnear FILE PATH WANT TOL compares a number within TOL.
func cmdJSONNear(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 4 {
		ts.Fatalf("usage: jsonnear FILE PATH WANT TOLERANCE")
	}
	got, ok := lookupJSON(ts, args[0], args[1]).(float64)
	if !ok {
		ts.Fatalf("%s %s is not a number", args[0], args[1])
	}
	want, err1 := strconv.ParseFloat(args[2], 64)
	tol, err2 := strconv.ParseFloat(args[3], 64)
	if err1 != nil || err2 != nil {
		ts.Fatalf("jsonnear: WANT and TOLERANCE must be numbers")
	}
	if (math.Abs(got-want) <= tol) == neg {
		ts.Fatalf("%s %s = %v, want %v ± %v", args[0], args[1], got, want, tol)
	}
}

// cmdJSONLen: jsonlen FILE PATH N checks the length of an array.
func cmdJSONLen(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: jsonlen FILE PATH N")
	}
	arr, ok := lookupJSON(ts, args[0], args[1]).([]any)
	if !ok {
		ts.Fatalf("%s %s is not an array", args[0], args[1])
	}
	if (strconv.Itoa(len(arr)) == args[2]) == neg {
		ts.Fatalf("%s %s has %d elements, want %s", args[0], args[1], len(arr), args[2])
	}
}

// cmdExitCode: exitcode N ARGS... runs costctl ARGS and checks that it
// exits with N; its output is kept for stdout and stderr assertions.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 || neg {
		ts.Fatalf("usage: exitcode N ARGS...")
	}
	err := ts.Exec("costctl", args[1:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("costctl: %v", err)
	}
	if strconv.Itoa(got) != args[0] {
		ts.Fatalf("costctl exited with %d, want %s", got, args[0])
	}
}

// validators checks each kind of JSON document against its schema.
var validators = map[string]func([]byte) error{
	"report":         schema.ValidateReport,
	"simulation":     schema.ValidateSimulation,
	"check":          schema.ValidateCheck,
	"reconciliation": schema.ValidateReconciliation,
}

// cmdValidDoc: validdoc FILE checks a document against the schema of its
// kind (report, simulation, check or reconciliation).
func cmdValidDoc(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: validdoc FILE")
	}
	data := []byte(ts.ReadFile(args[0]))
	var doc struct{ Kind string }
	if err := json.Unmarshal(data, &doc); err != nil && !neg {
		ts.Fatalf("%s: %v", args[0], err)
	}
	validate, ok := validators[doc.Kind]
	if !ok {
		validate = schema.ValidateReport
	}
	if err := validate(data); (err == nil) == neg {
		ts.Fatalf("%s: %s schema validation: %v", args[0], doc.Kind, err)
	}
}

func lookupJSON(ts *testscript.TestScript, file, path string) any {
	var v any
	if err := json.Unmarshal([]byte(ts.ReadFile(file)), &v); err != nil {
		ts.Fatalf("%s: %v", file, err)
	}
	for _, part := range strings.Split(strings.TrimPrefix(path, "."), ".") {
		switch node := v.(type) {
		case map[string]any:
			v = node[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(node) {
				ts.Fatalf("%s: %s: no element %q", file, path, part)
			}
			v = node[i]
		default:
			ts.Fatalf("%s: %s: cannot index %T with %q", file, path, v, part)
		}
	}
	return v
}
