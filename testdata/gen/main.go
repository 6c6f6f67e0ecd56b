// Command gen writes costctl's bundled sample: one week of production LLM
// traffic of an imaginary fitness-coaching app, in two log formats.
//
// The output is deterministic (fixed seed, fixed start, integer arithmetic
// only), so `go run ./testdata/gen -out testdata/sample` reproduces the
// committed files byte for byte on every platform.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	out := flag.String("out", "testdata/sample", "directory to write the sample files into")
	flag.Parse()

	if err := generate(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// generate simulates the week and writes both sample files into dir.
func generate(dir string) error {
	calls := simulateWeek()

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := writeAppRequests(dir, calls); err != nil {
		return err
	}
	return writeOpenAIResponses(dir, calls)
}
