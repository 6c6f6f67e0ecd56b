package logs

import (
	"strconv"

	"github.com/costctl/costctl/analyze"
)

// part is one request, or the error that rejects it, out of a record that
// holds several (an OTLP export holds many spans). raw is the part's own
// JSON object, or nil when it is the whole record.
type part struct {
	req *analyze.Request
	err error
	raw []byte
}

// convertParts converts a record of a format that sets parseParts. Every
// part is emitted or rejected on the record's line. An id-less part gets
// the record hash with its index appended, so two parts of one record stay
// two requests.
func (fr *fileReader) convertParts(rec record) error {
	parts := fr.fmt.parseParts(rec.data)
	if len(parts) == 0 {
		fr.res.Skipped++
		return nil
	}

	for i, p := range parts {
		if p.err != nil {
			if err := fr.reject(rec.line, p.err); err != nil {
				return err
			}
			continue
		}
		if p.req.ID == "" {
			p.req.RecordHash = fr.hash.json(rec.data)
			if len(parts) > 1 {
				p.req.RecordHash += "-" + strconv.Itoa(i)
			}
		}
		raw := p.raw
		if raw == nil {
			raw = rec.data
		}
		if err := fr.emitMapped(p.req, raw, rec.line); err != nil {
			return err
		}
	}
	return nil
}
