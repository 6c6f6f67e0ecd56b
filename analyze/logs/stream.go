package logs

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/costctl/costctl/analyze"
)

// streamRules describe a format whose responses can arrive as several
// chunks (a streamed response logged chunk by chunk). The chunks of one
// response share a key and become one request.
type streamRules struct {
	// chunk converts one chunk. It returns nil and no error to skip it.
	chunk func(data []byte) (*streamChunk, error)
	// needsDone makes a Server-Sent Events stream complete only when a
	// "data: [DONE]" line closes it, as OpenAI ends its streams.
	needsDone bool
}

// streamChunk is one converted chunk.
type streamChunk struct {
	// key is the response id. A chunk without one is a request by itself.
	key string
	// req holds the chunk's fields, and its usage when hasUsage is set.
	req      *analyze.Request
	hasUsage bool
	// finished is set by a chunk that carries a finish reason.
	finished bool
}

// openStream is a response whose chunks are still being read.
type openStream struct {
	key        string
	req        *analyze.Request
	line       int64 // line of the first chunk
	hash       string
	hasUsage   bool
	finished   bool
	doneMarker bool
	queued     bool // in streamMerger.ready
}

// streamMerger joins the chunks of each response of one file. A stream
// stays open until a chunk of another response arrives after it has
// finished, or until the end of the file, so memory grows only with the
// number of responses that are interleaved or never finish.
type streamMerger struct {
	fr    *fileReader
	sse   bool
	open  map[string]*openStream
	ready []*openStream // finished streams, in the order they finished
	last  *openStream   // the stream a [DONE] line closes
}

func newStreamMerger(fr *fileReader, sse bool) *streamMerger {
	return &streamMerger{fr: fr, sse: sse, open: map[string]*openStream{}}
}

// add converts one record and merges it into its stream.
func (m *streamMerger) add(rec record) error {
	if rec.err != nil {
		return m.fr.reject(rec.line, rec.err)
	}
	if m.sse && bytes.Equal(rec.data, sseDone) {
		if m.last != nil {
			m.last.doneMarker = true
			m.queue(m.last)
		}
		return nil
	}
	c, err := m.fr.fmt.stream.chunk(rec.data)
	if err != nil {
		return m.fr.reject(rec.line, err)
	}
	if c == nil {
		m.fr.res.Skipped++
		return nil
	}

	s, err := m.streamOf(c, rec)
	if err != nil {
		return err
	}
	s.merge(c)
	m.last = s
	if c.key == "" {
		return m.emit(s)
	}
	if s.finished {
		m.queue(s)
	}
	return nil
}

// streamOf returns the open stream of a chunk, or starts one. A new stream
// first emits the streams that have finished.
func (m *streamMerger) streamOf(c *streamChunk, rec record) (*openStream, error) {
	if s := m.open[c.key]; s != nil && c.key != "" {
		return s, nil
	}
	if err := m.flushFinished(); err != nil {
		return nil, err
	}

	s := &openStream{key: c.key, req: c.req, line: rec.line}
	if c.req.ID == "" {
		s.hash = m.fr.hash.json(rec.data)
	}
	if c.key != "" {
		m.open[c.key] = s
	}
	return s, nil
}

// queue marks a stream as ready to emit once another stream starts.
func (m *streamMerger) queue(s *openStream) {
	if !s.queued {
		s.queued = true
		m.ready = append(m.ready, s)
	}
}

// merge takes the chunk's usage, which is a running total in Gemini
// streams and the only usage in OpenAI streams, and fills fields the
// first chunk lacked.
func (s *openStream) merge(c *streamChunk) {
	if c.hasUsage {
		s.req.Usage = c.req.Usage
		s.req.Reasoning = c.req.Reasoning
		s.hasUsage = true
	}
	if s.req.Model == "" {
		s.req.Model = c.req.Model
	}
	if s.req.Time.IsZero() {
		s.req.Time = c.req.Time
	}
	s.finished = s.finished || c.finished
}

// flushFinished emits the queued streams that are still open. Only
// finished streams are queued, so starting a stream costs no scan of the
// streams that never finish.
func (m *streamMerger) flushFinished() error {
	var done []*openStream
	for _, s := range m.ready {
		if m.open[s.key] == s {
			done = append(done, s)
		}
	}
	m.ready = m.ready[:0]
	return m.emitAll(done)
}

// close emits every stream still open at the end of the file.
func (m *streamMerger) close() error {
	all := make([]*openStream, 0, len(m.open))
	for _, s := range m.open {
		all = append(all, s)
	}
	return m.emitAll(all)
}

func (m *streamMerger) emitAll(streams []*openStream) error {
	sort.Slice(streams, func(i, j int) bool { return streams[i].line < streams[j].line })
	for _, s := range streams {
		if err := m.emit(s); err != nil {
			return err
		}
	}
	return nil
}

// emit sets the stream's status and passes it to the sink. A stream
// without usage has an unknown cost, and one with usage that did not
// finish is a lower bound.
func (m *streamMerger) emit(s *openStream) error {
	if m.open[s.key] == s {
		delete(m.open, s.key)
	}
	if m.last == s {
		m.last = nil
	}

	complete := s.doneMarker || (s.finished && !(m.sse && m.fr.fmt.stream.needsDone))
	switch {
	case !s.hasUsage:
		s.req.Status = analyze.StatusNoUsage
	case !complete && s.req.Status == "":
		s.req.Status = analyze.StatusIncomplete
	}
	s.req.RecordHash = s.hash
	return m.fr.emit(s.req, s.line)
}

// mergeJSON converts the records of a JSON file whose format is streamed.
func (fr *fileReader) mergeJSON(src recordSource) error {
	return fr.mergeRecords(src, newStreamMerger(fr, false))
}

func (fr *fileReader) mergeRecords(src recordSource, m *streamMerger) error {
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
			return m.close()
		}
		if err := m.add(rec); err != nil {
			return err
		}
	}
}

var (
	sseDone   = []byte("[DONE]")
	sseData   = []byte("data:")
	sseFields = [][]byte{[]byte("event:"), []byte("id:"), []byte("retry:"), []byte(":")}
)

// isSSE reports whether text content is a Server-Sent Events stream: its
// first line is a data or event field.
func isSSE(head []byte) bool {
	return bytes.HasPrefix(head, sseData) || bytes.HasPrefix(head, []byte("event:"))
}

// sseSource yields the payloads of the data lines of a Server-Sent Events
// stream, skipping the other fields. Each payload must be on one data line,
// as the providers send JSON.
type sseSource struct {
	lines *lineSource
}

func (s *sseSource) next() (record, bool, error) {
	for {
		rec, ok, err := s.lines.next()
		if !ok || err != nil || rec.err != nil {
			return rec, ok, err
		}
		if payload, found := bytes.CutPrefix(rec.data, sseData); found {
			rec.data = bytes.TrimSpace(payload)
			return rec, true, nil
		}
		if !hasAnyPrefix(rec.data, sseFields) {
			rec.err = malformed("not a Server-Sent Events line (want data:, event:, id:, retry: or a : comment)")
			return rec, true, nil
		}
	}
}

func hasAnyPrefix(b []byte, prefixes [][]byte) bool {
	for _, p := range prefixes {
		if bytes.HasPrefix(b, p) {
			return true
		}
	}
	return false
}

// readSSE reads a Server-Sent Events stream of JSON chunks.
func (fr *fileReader) readSSE(forced *format) error {
	if forced != nil && forced.stream == nil {
		return fr.wrap(fmt.Errorf("content is a Server-Sent Events stream but format %s does not read streamed chunks", forced.name))
	}
	// The next unread byte is past a byte order mark, if any.
	start := fr.tr.pos - int64(fr.br.Buffered())
	var src recordSource = &sseSource{lines: &lineSource{br: fr.br, tr: fr.tr, off: start}}

	fr.fmt = forced
	if fr.fmt == nil {
		var err error
		if src, err = fr.detectJSON(src); err != nil {
			return err
		}
	}
	if fr.fmt.stream == nil {
		return &NotALogError{Source: fr.res.Source, Seen: "a Server-Sent Events stream of " + fr.fmt.name + " records"}
	}
	fr.res.Format = fr.fmt.name
	return fr.mergeRecords(src, newStreamMerger(fr, true))
}
