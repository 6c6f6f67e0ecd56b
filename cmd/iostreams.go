package cmd

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// IO is the set of streams a command reads and writes. Results go to Out, progress and
// diagnostics to Err; progress is shown only when Err is a terminal.
type IO struct {
	In            io.Reader
	Out           io.Writer
	Err           io.Writer
	OutIsTerminal bool
	ErrIsTerminal bool
}

// SystemIO is the process's standard streams.
func SystemIO() *IO {
	return &IO{
		In:            os.Stdin,
		Out:           os.Stdout,
		Err:           os.Stderr,
		OutIsTerminal: term.IsTerminal(int(os.Stdout.Fd())),
		ErrIsTerminal: term.IsTerminal(int(os.Stderr.Fd())),
	}
}

// TestIO returns streams backed by buffers, as a pipe: no terminal.
func TestIO(stdin string) (*IO, *bytes.Buffer, *bytes.Buffer) {
	out, errb := &bytes.Buffer{}, &bytes.Buffer{}
	return &IO{In: bytes.NewBufferString(stdin), Out: out, Err: errb}, out, errb
}
