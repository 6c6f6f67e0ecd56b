package clickhouse

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// tsvEscaper escapes a string for ClickHouse's TabSeparated format. Dedup
// keys contain NUL bytes, which must be escaped too.
var tsvEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`, "\x00", `\0`)

// rows reads TabSeparated output one row at a time.
type rows struct {
	body    io.ReadCloser
	scanner *bufio.Scanner
	fields  []string
	err     error
}

func newRows(body io.ReadCloser) *rows {
	s := bufio.NewScanner(body)
	s.Buffer(make([]byte, 64*1024), 64*1024*1024)
	return &rows{body: body, scanner: s}
}

// next reads the following row into r.fields, unescaped.
func (r *rows) next() bool {
	if !r.scanner.Scan() {
		r.err = r.scanner.Err()
		return false
	}
	r.fields = r.fields[:0]
	for _, f := range strings.Split(r.scanner.Text(), "\t") {
		r.fields = append(r.fields, unescape(f))
	}
	return true
}

func (r *rows) close() error {
	err := r.body.Close()
	if r.err != nil {
		return r.err
	}
	return err
}

// unescape reverses ClickHouse's TabSeparated escaping.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		b.WriteByte(unescapeByte(s[i]))
	}
	return b.String()
}

func unescapeByte(c byte) byte {
	switch c {
	case 't':
		return '\t'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case '0':
		return 0
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	}
	return c
}

// fieldReader parses the fields of one row in order, keeping the first
// error.
type fieldReader struct {
	fields []string
	i      int
	err    error
}

func (f *fieldReader) text() string {
	if f.i >= len(f.fields) {
		f.fail(fmt.Errorf("row has %d fields, expected more", len(f.fields)))
		return ""
	}
	f.i++
	return f.fields[f.i-1]
}

func (f *fieldReader) int() int64 {
	s := f.text()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f.fail(fmt.Errorf("field %d: %w", f.i, err))
	}
	return n
}

func (f *fieldReader) float() float64 {
	s := f.text()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		f.fail(fmt.Errorf("field %d: %w", f.i, err))
	}
	return v
}

func (f *fieldReader) fail(err error) {
	if f.err == nil {
		f.err = err
	}
}
