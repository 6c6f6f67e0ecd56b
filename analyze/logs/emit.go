package logs

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash/fnv"

	"github.com/costctl/costctl/analyze"
)

// emit completes a parsed request with provenance and the file-wide rules
// (time in UTC, the assumed time, the default status) and passes it to the
// sink.
func (fr *fileReader) emit(req *analyze.Request, line int64) error {
	req.Source = fr.res.Source
	req.SourceSortKey = fr.res.Source
	req.Line = line
	req.Format = fr.fmt.name

	if req.Time.IsZero() {
		if fr.opts.AssumeTime.IsZero() {
			return fr.reject(line, &recordError{kind: RejectNoTimestamp, reason: fr.noTimestampReason()})
		}
		req.Time = fr.opts.AssumeTime
	}
	req.Time = req.Time.UTC()
	if req.Status == "" {
		req.Status = analyze.StatusOK
	}
	req.ReplaceInvalidUTF8()

	if err := fr.sink.Request(req); err != nil {
		return err
	}
	fr.res.Requests++
	return nil
}

// noTimestampReason lists the fields the format reads a time from, when it
// declares them, so that a user can tell a missing field from a misnamed one.
func (fr *fileReader) noTimestampReason() string {
	const fix = "set --assume-time (RFC 3339) to price it at a fixed time"
	if fr.fmt.timeFields == "" {
		return "record has no timestamp; " + fix
	}
	return "record has no timestamp (" + fr.fmt.name + " reads " + fr.fmt.timeFields + "); " + fix
}

// reject turns a record error into a Rejection for the sink. An error that
// is not a recordError is a JSON decode failure: a syntax error makes the
// line malformed, a value of the wrong type makes it invalid.
func (fr *fileReader) reject(line int64, err error) error {
	rej := Rejection{Source: fr.res.Source, Line: line, Kind: RejectMalformed}
	var rec *recordError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &rec):
		rej.Kind, rej.Field, rej.Reason = rec.kind, rec.field, rec.reason
	case errors.As(err, &typ):
		rej.Kind, rej.Field = RejectInvalid, typ.Field
		rej.Reason = "expected a " + typ.Type.String() + ", got a JSON " + typ.Value
	default:
		rej.Reason = "invalid JSON: " + err.Error()
	}

	if err := fr.sink.Reject(rej); err != nil {
		return err
	}
	fr.res.Rejected++
	return nil
}

// recordHasher computes RecordHash, the identity of a record without a
// response id: 64-bit FNV-1a, in hex, of the record's bytes as they appear
// in the file (the CSV fields joined by a unit separator). Re-reading a
// file gives the same hashes; reformatting it gives new ones.
type recordHasher struct {
	buf bytes.Buffer
}

func (h *recordHasher) json(data []byte) string {
	return h.sum(data)
}

func (h *recordHasher) fields(fields []string) string {
	h.buf.Reset()
	for _, f := range fields {
		h.buf.WriteString(f)
		h.buf.WriteByte(0x1f)
	}
	return h.sum(h.buf.Bytes())
}

func (h *recordHasher) sum(b []byte) string {
	f := fnv.New64a()
	f.Write(b)
	return hex.EncodeToString(f.Sum(nil))
}
