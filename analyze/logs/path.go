package logs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// logExtensions are the names a directory walk reads, before an optional
// compression suffix. A file named explicitly is read whatever its name.
var logExtensions = []string{".jsonl", ".json", ".csv", ".ndjson"}

// ReadPath reads a file, or every log file under a directory, walked
// recursively in lexical order. Symbolic links are followed; a directory
// reached twice (a link loop) is read once. In a directory walk a file
// that is no log, or a compressed file cut off early, does not stop the
// walk: its *NotALogError or *TruncatedError is joined into the returned
// error after every other file was read. Any other error stops the walk at
// once.
func ReadPath(ctx context.Context, path string, opts Options, sink Sink) ([]FileResult, error) {
	if _, err := lookupFormat(opts.Format); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", path, err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("read logs: %w", err)
	}
	if !info.IsDir() {
		res, err := readFile(ctx, abs, opts, sink)
		if errors.Is(err, errSkipped) {
			return nil, nil
		}
		return []FileResult{res}, err
	}

	w := walker{ctx: ctx, opts: opts, sink: sink, visited: map[string]bool{}}
	err = w.walk(abs)
	errs := append([]error{err}, w.notLogs...)
	return w.results, errors.Join(append(errs, w.truncated...)...)
}

func readFile(ctx context.Context, path string, opts Options, sink Sink) (FileResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileResult{Source: path}, fmt.Errorf("read logs: %w", err)
	}
	defer f.Close()
	if opts.Files == nil {
		return ReadReader(ctx, path, f, opts, sink)
	}
	return readHooked(ctx, path, f, opts, sink)
}

// readHooked reads f as opts.Files decides. A skipped file gives a result
// with only its Source set and errSkipped.
func readHooked(ctx context.Context, path string, f *os.File, opts Options, sink Sink) (FileResult, error) {
	r, format, skip, err := opts.Files.Open(path, f)
	if err != nil {
		return FileResult{Source: path}, fmt.Errorf("read logs: %w", err)
	}
	if skip {
		return FileResult{Source: path}, errSkipped
	}
	if format != "" {
		opts.Format = format
	}
	res, err := ReadReader(ctx, path, r, opts, sink)
	opts.Files.Done(path, &res, err)
	return res, err
}

// errSkipped marks a file the FileHook left out.
var errSkipped = errors.New("skipped")

type walker struct {
	ctx     context.Context
	opts    Options
	sink    Sink
	visited map[string]bool // directories read, by their resolved path
	results []FileResult
	notLogs []error
	// truncated holds the *TruncatedError of each cut-off compressed file,
	// which does not stop the walk either.
	truncated []error
}

func (w *walker) walk(dir string) error {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return fmt.Errorf("read logs: %w", err)
	}
	if w.visited[real] {
		return nil
	}
	w.visited[real] = true

	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read logs: %w", err)
	}
	for _, e := range entries {
		if err := w.visit(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func (w *walker) visit(path string) error {
	info, err := os.Stat(path) // follows links
	if errors.Is(err, fs.ErrNotExist) {
		return nil // a dangling link
	}
	if err != nil {
		return fmt.Errorf("read logs: %w", err)
	}
	if info.IsDir() {
		return w.walk(path)
	}
	if !info.Mode().IsRegular() || !isLogName(path) {
		return nil
	}

	res, err := readFile(w.ctx, path, w.opts, w.sink)
	if errors.Is(err, errSkipped) {
		return nil
	}
	if errors.Is(err, ErrNotALog) {
		w.notLogs = append(w.notLogs, err)
		return nil
	}
	w.results = append(w.results, res)
	var cut *TruncatedError
	if errors.As(err, &cut) {
		w.truncated = append(w.truncated, err)
		return nil
	}
	return err
}

func isLogName(path string) bool {
	name := strings.ToLower(filepath.Base(path))
	name = strings.TrimSuffix(name, ".gz")
	name = strings.TrimSuffix(name, ".zst")
	for _, ext := range logExtensions {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}
