package logs

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// readText reads content that does not start like JSON: a Server-Sent
// Events stream, a CSV file with a header row, or something that is not a
// log.
func (fr *fileReader) readText(forced *format) error {
	head, _ := fr.br.Peek(min(4096, fr.br.Size()))
	if isSSE(head) {
		return fr.readSSE(forced)
	}
	notALog := &NotALogError{Source: fr.res.Source, Seen: describeText(head)}
	if forced == nil && describeText(head) == "binary data" {
		return notALog
	}
	if forced != nil && forced.newCSV == nil {
		return fr.wrap(fmt.Errorf("content is not JSON (%s) but format %s reads JSON", notALog.Seen, forced.name))
	}

	cr := csv.NewReader(fr.br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return notALog
	}
	header = normaliseHeader(header)
	fr.csvHeader = header

	fr.fmt = forced
	if fr.fmt == nil {
		fr.fmt = claimCSV(header)
	}
	if fr.fmt == nil {
		return notALog
	}
	fr.res.Format = fr.fmt.name

	parseRow, err := fr.fmt.newCSV(header)
	if err != nil {
		return fr.wrap(err)
	}
	cr.ReuseRecord = true
	return fr.convertCSV(cr, len(header), parseRow)
}

func normaliseHeader(header []string) []string {
	out := make([]string, len(header))
	for i, h := range header {
		out[i] = strings.ToLower(strings.TrimSpace(h))
	}
	return out
}

func claimCSV(header []string) *format {
	for _, f := range registry {
		if f.detectCSV != nil && f.detectCSV(header) {
			return f
		}
	}
	return nil
}

func (fr *fileReader) convertCSV(cr *csv.Reader, width int, parseRow csvRowParser) error {
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := fr.ctx.Err(); err != nil {
				return err
			}
		}
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		fr.tr.lineAt(cr.InputOffset()) // releases the tracker's newline offsets
		if err := fr.convertRow(cr, row, err, width, parseRow); err != nil {
			return err
		}
	}
}

func (fr *fileReader) convertRow(cr *csv.Reader, row []string, readErr error, width int, parseRow csvRowParser) error {
	var pe *csv.ParseError
	if errors.As(readErr, &pe) {
		return fr.reject(int64(pe.StartLine), malformed("invalid CSV: %v", pe.Err))
	}
	if readErr != nil {
		return fr.wrap(readErr)
	}

	line, _ := cr.FieldPos(0)
	if len(row) != width {
		return fr.reject(int64(line), malformed("row has %d fields, the header has %d", len(row), width))
	}
	req, err := parseRow(row)
	if err != nil {
		return fr.reject(int64(line), err)
	}
	if req == nil {
		fr.res.Skipped++
		return nil
	}
	if req.ID == "" {
		req.RecordHash = fr.hash.fields(row)
	}
	return fr.emitMapped(req, fr.csvRecordJSON(row), int64(line))
}
