package logs

import (
	"io"
	"os"
)

// FileHook lets a caller decide how much of each file ReadPath reads:
// incremental ingest skips unchanged files and reads only the bytes
// appended to a grown one.
type FileHook interface {
	// Open is called with each opened file before it is read. It returns
	// the reader to read the content from (for example f after a seek),
	// the format to force ("" detects), or skip=true to leave the file
	// out of the results.
	Open(path string, f *os.File) (r io.Reader, format string, skip bool, err error)
	// Done is called after the file was read with its result, which it may
	// adjust, and the read error.
	Done(path string, res *FileResult, err error)
}
