package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/costctl/costctl/analyze/logs"
	"github.com/costctl/costctl/analyze/store"
)

// hashWindow is how many bytes at the head of a file, and before its read
// offset, are hashed to tell an appended file from a rewritten one.
const hashWindow = 4096

// fileTracker implements logs.FileHook with the file states of a store.
// It reads a file from the stored offset when the bytes at its head and
// before that offset are unchanged, skips it when nothing was added, and
// otherwise lets it be read whole: the dedup rule makes a second read of
// the same lines store nothing new.
//
// NOTE: only uncompressed files whose content starts with '{' (JSON Lines
// or concatenated JSON documents) are tracked. CSV needs its header and
// compressed files cannot be read from an offset, so those are read whole
// every time.
type fileTracker struct {
	known   map[string]store.FileState
	options int64 // optionsHash of the run
	sink    *sink // gets the line number the read starts after

	saved     []store.FileState // states to save once the requests are committed
	unchanged int64
	cur       *trackedRead
}

// trackedRead is the state of the file being read.
type trackedRead struct {
	f       *os.File
	mtimeNs int64
	start   store.FileState // offset and line the read starts at
	count   *newlineCounter
}

func newFileTracker(known map[string]store.FileState, opts Options, s *sink) *fileTracker {
	return &fileTracker{known: known, options: optionsHash(opts), sink: s}
}

// optionsHash hashes the options that change what a line gives, so that a
// file read before with other options is read again whole.
func optionsHash(opts Options) int64 {
	h := sha256.New()
	fmt.Fprintf(h, "format=%q\x00assume=%s\x00", opts.Format, opts.AssumeTime.UTC().Format(time.RFC3339Nano))
	keys := slices.Sorted(maps.Keys(opts.Map))
	for _, k := range keys {
		fmt.Fprintf(h, "map=%q=%q\x00", k, opts.Map[k])
	}
	if len(opts.HashKey) > 0 {
		key := sha256.Sum256(opts.HashKey)
		h.Write(key[:])
	}
	return int64(binary.BigEndian.Uint64(h.Sum(nil)[:8]))
}

// Open implements logs.FileHook.
func (t *fileTracker) Open(path string, f *os.File) (io.Reader, string, bool, error) {
	t.cur = nil
	info, err := f.Stat()
	if err != nil {
		return nil, "", false, err
	}
	head, err := readRange(f, 0, hashWindow)
	if err != nil || !trackable(head) {
		return t.sink.countBytes(f), "", false, err
	}

	start, unchanged := t.resumePoint(path, f, info)
	if unchanged {
		t.unchanged++
		t.sink.bytesRead.Add(info.Size())
		return nil, "", true, nil
	}
	if _, err := f.Seek(start.Offset, io.SeekStart); err != nil {
		return nil, "", false, fmt.Errorf("seek %s: %w", path, err)
	}
	t.cur = &trackedRead{f: f, mtimeNs: info.ModTime().UnixNano(), start: start, count: &newlineCounter{r: f}}
	t.sink.lineBase = start.Lines
	t.sink.bytesRead.Add(start.Offset)
	return t.sink.countBytes(t.cur.count), start.Format, false, nil
}

// trackable reports whether the content starts with '{' after an optional
// byte order mark and whitespace.
func trackable(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	head = bytes.TrimLeft(head, " \t\r\n")
	return len(head) > 0 && head[0] == '{'
}

// resumePoint returns where to start reading path: the stored state when
// the file grew from it, else offset 0. unchanged is true when the file is
// exactly as it was read.
func (t *fileTracker) resumePoint(path string, f *os.File, info os.FileInfo) (start store.FileState, unchanged bool) {
	old, ok := t.known[path]
	if !ok || info.Size() < old.Offset || old.Options != t.options {
		return store.FileState{}, false
	}
	head, tail, err := hashesAt(f, old.Offset)
	if err != nil || head != old.HeadHash || tail != old.TailHash {
		return store.FileState{}, false
	}

	sameTime := info.ModTime().UnixNano() == old.MTimeNs
	if info.Size() == old.Offset && old.Offset == old.Size && sameTime {
		return old, true
	}
	if info.Size() == old.Size && !sameTime {
		return store.FileState{}, false // rewritten in place with the same length
	}
	return old, false
}

// Done implements logs.FileHook. A new state is kept only for a file read
// without error, rejected line or warning, up to its last whole line.
// Otherwise the earlier state stays, so the next ingest reads and reports
// those lines again instead of passing over them.
func (t *fileTracker) Done(path string, res *logs.FileResult, err error) {
	t.sink.lineBase = 0
	cur := t.cur
	t.cur = nil
	if cur == nil || err != nil || res.Format == "" || res.Rejected > 0 || len(res.Warnings) > 0 {
		return
	}

	offset := cur.start.Offset + cur.count.lastLineEnd
	if offset == 0 {
		return
	}
	head, tail, herr := hashesAt(cur.f, offset)
	if herr != nil {
		return
	}
	t.saved = append(t.saved, store.FileState{
		Path: path, Size: cur.start.Offset + cur.count.total, MTimeNs: cur.mtimeNs,
		HeadHash: head, TailHash: tail, Offset: offset,
		Lines: cur.start.Lines + cur.count.newlines, Format: res.Format, Options: t.options,
	})
}

// hashesAt returns the hashes of the first bytes of f and of the bytes
// before offset, each at most hashWindow long.
func hashesAt(f *os.File, offset int64) (head, tail int64, err error) {
	h, err := readRange(f, 0, min(offset, hashWindow))
	if err != nil {
		return 0, 0, err
	}
	from := max(0, offset-hashWindow)
	tl, err := readRange(f, from, offset-from)
	if err != nil {
		return 0, 0, err
	}
	return hash64(h), hash64(tl), nil
}

func readRange(f *os.File, off, n int64) ([]byte, error) {
	buf := make([]byte, n)
	got, err := f.ReadAt(buf, off)
	if err == io.EOF {
		err = nil
	}
	return buf[:got], err
}

func hash64(b []byte) int64 {
	sum := sha256.Sum256(b)
	return int64(binary.BigEndian.Uint64(sum[:8]))
}

// newlineCounter counts the bytes and newlines read through it and where
// the last whole line ends.
type newlineCounter struct {
	r           io.Reader
	total       int64
	newlines    int64
	lastLineEnd int64
}

func (c *newlineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if i := bytes.LastIndexByte(p[:n], '\n'); i >= 0 {
		c.newlines += int64(bytes.Count(p[:n], []byte{'\n'}))
		c.lastLineEnd = c.total + int64(i) + 1
	}
	c.total += int64(n)
	return n, err
}
