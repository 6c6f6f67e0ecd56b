package cmd

import (
	"errors"
	"fmt"
)

// Exit codes, part of the command-line contract: scripts and CI rely on them.
const (
	ExitOK         = 0 // success; warnings were printed but do not fail
	ExitRegression = 1 // check found a fail-level regression
	ExitUsage      = 2 // usage, configuration or input error, nothing stored
	ExitPartial    = 3 // partial ingest: some lines rejected, all valid ones stored
	ExitRuntime    = 4 // I/O error, disk full, store locked, store from a newer costctl
)

// exitCodesHelp is appended to every command's help.
const exitCodesHelp = `Exit codes:
  0  success (warnings such as unpriced models do not fail)
  1  check found a fail-level regression
  2  usage, configuration or input error; nothing was stored
  3  partial ingest: some lines were rejected or a compressed file ended early,
     every valid one was stored
  4  runtime failure: I/O error, disk full, store locked, store from a newer costctl`

// ExitError carries the exit code the top level must return for an error.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// withCode wraps err so that the process exits with code.
func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &ExitError{Code: code, Err: err}
}

// usageErrorf is a usage or input error: exit 2.
func usageErrorf(format string, a ...any) error {
	return withCode(ExitUsage, fmt.Errorf(format, a...))
}

// exitCode picks the exit code for an error returned by a command; an
// error that does not say otherwise is a runtime failure.
func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return ExitRuntime
}
