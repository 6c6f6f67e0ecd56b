package logs

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/costctl/costctl/analyze"
)

const (
	// readBufferBytes is the read-ahead of the content buffer; the first
	// line must fit in it to tell JSON Lines from a pretty-printed document.
	readBufferBytes = 1 << 20
	// detectRecords and detectBytes bound the records buffered while the
	// format is being detected. Claude Code files can open with dozens of
	// progress and snapshot lines before the first usage line.
	detectRecords = 200
	detectBytes   = 16 << 20
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ReadReader reads one log stream and passes its requests and rejections to
// sink. name is the Source given to requests ("-" for stdin). Gzip and
// zstd content is decompressed by its magic bytes. An empty stream gives an
// empty result; content that matches no format gives a *NotALogError and
// nothing is sent to sink.
func ReadReader(ctx context.Context, name string, r io.Reader, opts Options, sink Sink) (FileResult, error) {
	forced, err := lookupFormat(opts.Format)
	if err != nil {
		return FileResult{Source: name}, err
	}

	content, closeContent, err := decompress(r)
	if err != nil {
		return FileResult{Source: name}, fmt.Errorf("%s: %w", name, err)
	}
	defer closeContent()

	fr := newFileReader(ctx, name, opts, sink)
	defer fr.release()
	err = fr.read(content, forced)
	fr.res.Lines = fr.tr.lines()
	var cut *truncatedStream
	if errors.As(err, &cut) {
		err = &TruncatedError{Source: name, Compression: cut.compression, Lines: fr.tr.wholeLines()}
	}
	if fr.mapper != nil {
		fr.res.Warnings = append(fr.res.Warnings, fr.mapper.missing(name, true)...)
	}
	return fr.res, err
}

// fileReader holds the state of reading one file.
type fileReader struct {
	ctx   context.Context
	opts  Options
	sink  Sink
	res   FileResult
	tr    *lineTracker
	br    *bufio.Reader
	fmt   *format
	parse parseFunc
	hash  recordHasher
	// mapper applies Options.Map; nil without a mapping.
	mapper *fieldMapper
	// csvHeader is the normalised header of a CSV file, for the mapping.
	csvHeader []string
}

func newFileReader(ctx context.Context, name string, opts Options, sink Sink) *fileReader {
	return &fileReader{ctx: ctx, opts: opts, sink: sink, res: FileResult{Source: name}, mapper: newFieldMapper(opts.Map)}
}

func (fr *fileReader) read(content io.Reader, forced *format) error {
	fr.tr = &lineTracker{r: content}
	fr.br = contentReaders.Get().(*bufio.Reader)
	fr.br.Reset(fr.tr)

	base, err := skipBOM(fr.br)
	if err != nil {
		return fr.wrap(err)
	}
	first, err := firstByte(fr.br)
	if err != nil {
		return fr.wrap(err)
	}

	switch {
	case first == 0:
		if forced != nil {
			fr.res.Format = forced.name
		}
		return nil
	case first == '{' || first == '[':
		return fr.readJSON(first, base, forced)
	default:
		return fr.readText(forced)
	}
}

// contentReaders keeps the 1 MiB read buffers between files: a directory
// of small transcripts would otherwise allocate and zero one per file, and
// the kernel would fault in fresh pages for every read into it.
var contentReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, readBufferBytes) }}

// release returns the read buffer to the pool. Every record handed to the
// sink has been copied out of it by then.
func (fr *fileReader) release() {
	if fr.br == nil {
		return
	}
	fr.br.Reset(nil)
	contentReaders.Put(fr.br)
	fr.br = nil
}

func (fr *fileReader) wrap(err error) error {
	return fmt.Errorf("%s: %w", fr.res.Source, err)
}

func skipBOM(br *bufio.Reader) (int64, error) {
	head, err := br.Peek(len(utf8BOM))
	if err != nil && err != io.EOF {
		return 0, err
	}
	if !bytes.Equal(head, utf8BOM) {
		return 0, nil
	}
	_, err = br.Discard(len(utf8BOM))
	return int64(len(utf8BOM)), err
}

// firstByte returns the first non-space byte without consuming it, or 0
// when the content is empty or blank.
func firstByte(br *bufio.Reader) (byte, error) {
	for n := 1; ; n *= 2 {
		buf, err := br.Peek(min(n, br.Size()))
		if i := bytes.IndexFunc(buf, func(r rune) bool { return !isSpace(r) }); i >= 0 {
			return buf[i], nil
		}
		if err != nil || len(buf) == br.Size() {
			return 0, ignoreEOF(err)
		}
	}
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\n' }

// readJSON picks how the JSON values are laid out, chooses the format and
// converts every record.
func (fr *fileReader) readJSON(first byte, base int64, forced *format) error {
	src, err := fr.jsonSource(first, base)
	if err != nil {
		return fr.wrap(err)
	}
	if forced != nil && !forced.readsJSON() {
		return fr.wrap(fmt.Errorf("content is JSON but format %s reads CSV", forced.name))
	}

	fr.fmt = forced
	if fr.fmt == nil {
		if src, err = fr.detectJSON(src); err != nil {
			return err
		}
	}
	fr.res.Format = fr.fmt.name
	if fr.fmt.stream != nil {
		return fr.mergeJSON(src)
	}
	fr.parse = fr.fmt.fileParser(fr.res.Source)
	return fr.convertJSON(src)
}

func (fr *fileReader) jsonSource(first byte, base int64) (recordSource, error) {
	if first == '[' {
		return newDocSource(fr.br, fr.tr, base, true)
	}
	if fr.firstLineIsJSON() {
		return &lineSource{br: fr.br, tr: fr.tr, off: base}, nil
	}
	return newDocSource(fr.br, fr.tr, base, false)
}

// firstLineIsJSON reports whether the first line is a whole JSON value, which
// makes the file JSON Lines. A first line longer than the read buffer is
// taken as JSON Lines too: pretty-printed documents break lines early.
func (fr *fileReader) firstLineIsJSON() bool {
	buf, _ := fr.br.Peek(fr.br.Size())
	i := bytes.IndexByte(buf, '\n')
	if i < 0 && len(buf) == fr.br.Size() {
		return true
	}
	if i < 0 {
		i = len(buf)
	}
	return json.Valid(bytes.TrimSpace(buf[:i]))
}

// detectJSON buffers the first records, gives the file to the first format
// that claims one of them and returns a source that replays them.
func (fr *fileReader) detectJSON(src recordSource) (recordSource, error) {
	var sample []record
	var seen int
	for len(sample) < detectRecords && seen < detectBytes {
		rec, ok, err := src.next()
		if err != nil {
			return nil, fr.wrap(err)
		}
		if !ok {
			break
		}
		rec.data = bytes.Clone(rec.data)
		sample = append(sample, rec)
		seen += len(rec.data)
		if f := claim(rec); f != nil {
			fr.fmt = f
			return &replaySource{buffered: sample, rest: src}, nil
		}
	}
	return nil, &NotALogError{Source: fr.res.Source, Seen: describeJSON(sample)}
}

func claim(rec record) *format {
	if rec.err != nil {
		return nil
	}
	p := newProbe(rec.data)
	if p == nil {
		return nil
	}
	for _, f := range registry {
		if f.detect != nil && f.detect(p) {
			return f
		}
	}
	return nil
}

// describeJSON summarises unclaimed JSON records for NotALogError.
func describeJSON(sample []record) string {
	for _, rec := range sample {
		if p := newProbe(rec.data); p != nil {
			return "JSON objects with keys " + keyList(p.top)
		}
	}
	if len(sample) == 0 {
		return "no JSON records"
	}
	return "JSON that is not a list of objects"
}

func keyList(m map[string]json.RawMessage) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 8 {
		keys = append(keys[:8], "…")
	}
	return "[" + strings.Join(keys, " ") + "]"
}

// describeText summarises content that is neither JSON nor a known CSV.
func describeText(head []byte) string {
	if bytes.IndexByte(head, 0) >= 0 || !utf8.Valid(head) {
		return "binary data"
	}
	line, _, _ := bytes.Cut(head, []byte("\n"))
	line = bytes.TrimSpace(line)
	if len(line) > 60 {
		line = append(bytes.Clone(line[:60]), "…"...)
	}
	return fmt.Sprintf("text starting %q", line)
}

func (fr *fileReader) convertJSON(src recordSource) error {
	if workers := fr.parseWorkers(); workers > 1 {
		return fr.convertParallel(src, workers)
	}
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := fr.ctx.Err(); err != nil {
				return err
			}
		}
		rec, ok, err := src.next()
		if err != nil {
			return fr.wrap(err)
		}
		if !ok {
			return nil
		}
		if err := fr.convert(rec); err != nil {
			return err
		}
	}
}

func (fr *fileReader) convert(rec record) error {
	if rec.err != nil {
		return fr.reject(rec.line, rec.err)
	}
	if fr.fmt.parseParts != nil {
		return fr.convertParts(rec)
	}
	req, err := fr.parse(rec.data)
	return fr.finish(rec, req, err)
}

// finish rejects, skips or emits a parsed record.
func (fr *fileReader) finish(rec record, req *analyze.Request, err error) error {
	if rec.err != nil {
		return fr.reject(rec.line, rec.err)
	}
	if err != nil {
		return fr.reject(rec.line, err)
	}
	if req == nil {
		fr.res.Skipped++
		return nil
	}
	if req.ID == "" {
		req.RecordHash = fr.hash.json(rec.data)
	}
	return fr.emitMapped(req, rec.data, rec.line)
}
