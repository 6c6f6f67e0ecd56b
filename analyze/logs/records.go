package logs

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxLineBytes bounds one line or JSON element. Claude Code writes lines of
// several megabytes (pasted files, images as base64); a longer line is
// rejected as malformed rather than held in memory.
const maxLineBytes = 64 << 20

// lineTracker counts the newlines in the bytes read through it and maps
// byte offsets to line numbers. It keeps only the newlines that were read
// ahead of the last offset asked about, so its memory is bounded by the
// read-ahead of the buffers above it.
type lineTracker struct {
	r       io.Reader
	pos     int64   // bytes read so far
	last    byte    // last byte read
	pending []int64 // offsets of newlines not yet passed by lineAt
	head    int
	passed  int64 // newlines before the last offset given to lineAt
}

func (t *lineTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexByte(p[i:n], '\n')
		if j < 0 {
			break
		}
		t.pending = append(t.pending, t.pos+int64(i+j))
		i += j + 1
	}
	if n > 0 {
		t.pos += int64(n)
		t.last = p[n-1]
	}
	return n, err
}

// lineAt returns the 1-based line holding byte offset off. Offsets must be
// asked about in increasing order.
func (t *lineTracker) lineAt(off int64) int64 {
	for t.head < len(t.pending) && t.pending[t.head] < off {
		t.head++
		t.passed++
	}
	if t.head > 4096 && t.head*2 > len(t.pending) {
		t.pending = append(t.pending[:0], t.pending[t.head:]...)
		t.head = 0
	}
	return t.passed + 1
}

// wholeLines returns the number of lines read up to and including their
// newline.
func (t *lineTracker) wholeLines() int64 {
	return t.passed + int64(len(t.pending)-t.head)
}

// lines returns the number of lines read, counting a last line without a
// newline.
func (t *lineTracker) lines() int64 {
	n := t.wholeLines()
	if t.pos > 0 && t.last != '\n' {
		n++
	}
	return n
}

// record is one JSON value of a file: a line, an array element or a
// top-level document. data is valid until the next call to next.
type record struct {
	line int64
	data []byte
	err  *recordError // set when the record could not be read
}

type recordSource interface {
	// next returns false at the end of the input; an error is an I/O failure.
	next() (record, bool, error)
}

// lineSource yields the non-blank lines of a JSON Lines file.
type lineSource struct {
	br   *bufio.Reader
	tr   *lineTracker
	off  int64 // offset of the next line in the tracker's stream
	long []byte
}

func (s *lineSource) next() (record, bool, error) {
	for {
		start := s.off
		line, tooLong, err := s.readLine()
		if err != nil && !errors.Is(err, io.EOF) {
			return record{}, false, err
		}
		if len(line) == 0 && !tooLong && err != nil {
			return record{}, false, nil
		}
		rec := record{line: s.tr.lineAt(start), data: bytes.TrimSpace(line)}
		if tooLong {
			rec.err = malformed("line longer than %d bytes", maxLineBytes)
			return rec, true, nil
		}
		if len(rec.data) > 0 {
			return rec, true, nil
		}
	}
}

// readLine returns the next line with its newline. A line longer than
// maxLineBytes is consumed and reported as tooLong.
func (s *lineSource) readLine() ([]byte, bool, error) {
	frag, err := s.br.ReadSlice('\n')
	s.off += int64(len(frag))
	if !errors.Is(err, bufio.ErrBufferFull) {
		return frag, false, err
	}
	s.long = append(s.long[:0], frag...)
	for errors.Is(err, bufio.ErrBufferFull) {
		frag, err = s.br.ReadSlice('\n')
		s.off += int64(len(frag))
		if len(s.long) <= maxLineBytes {
			s.long = append(s.long, frag...)
		}
	}
	if len(s.long) > maxLineBytes {
		s.long = s.long[:0]
		return nil, true, ignoreEOF(err)
	}
	return s.long, false, err
}

func ignoreEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// docSource yields the elements of a top-level JSON array, or a sequence
// of top-level JSON values (one pretty-printed response per file). A syntax
// error ends the file because a JSON document has no point to resume from.
type docSource struct {
	dec     *json.Decoder
	tr      *lineTracker
	base    int64 // bytes consumed before the decoder's input began
	inArray bool
	done    bool
	raw     json.RawMessage
}

func newDocSource(r io.Reader, tr *lineTracker, base int64, array bool) (*docSource, error) {
	s := &docSource{dec: json.NewDecoder(r), tr: tr, base: base, inArray: array}
	if array {
		if _, err := s.dec.Token(); err != nil {
			return nil, fmt.Errorf("read array start: %w", err)
		}
	}
	return s, nil
}

func (s *docSource) next() (record, bool, error) {
	if s.done || (s.inArray && !s.dec.More()) {
		return record{}, false, nil
	}
	s.raw = s.raw[:0]
	err := s.dec.Decode(&s.raw)
	if errors.Is(err, io.EOF) && !s.inArray {
		return record{}, false, nil
	}
	if err != nil {
		return s.syntaxError(err)
	}
	start := s.base + s.dec.InputOffset() - int64(len(s.raw))
	return record{line: s.tr.lineAt(start), data: s.raw}, true, nil
}

func (s *docSource) syntaxError(err error) (record, bool, error) {
	s.done = true
	var syn *json.SyntaxError
	if !errors.As(err, &syn) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return record{}, false, err
	}
	// A syntax error's offset counts from the start of the decoder's input;
	// a truncated document ends where the decoder stopped.
	off := s.dec.InputOffset()
	if syn != nil {
		off = max(syn.Offset-1, 0)
	}
	line := s.tr.lineAt(s.base + off)
	return record{line: line, err: malformed("invalid JSON: %v; the rest of the file is skipped", err)}, true, nil
}

// replaySource yields records buffered during detection, then the rest.
type replaySource struct {
	buffered []record
	rest     recordSource
}

func (s *replaySource) next() (record, bool, error) {
	if len(s.buffered) > 0 {
		r := s.buffered[0]
		s.buffered = s.buffered[1:]
		return r, true, nil
	}
	return s.rest.next()
}
