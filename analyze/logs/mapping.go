package logs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/costctl/costctl/analyze"
)

// mapCheckRecords is how many records of a file a field mapping's path
// must be found in, at least once, before its absence is reported.
const mapCheckRecords = 200

// mappedDimensions are the request dimensions a field mapping can set.
var mappedDimensions = map[string]func(r *analyze.Request, v string) error{
	"endpoint":  func(r *analyze.Request, v string) error { r.Endpoint = v; return nil },
	"tier":      func(r *analyze.Request, v string) error { r.Tier = v; return nil },
	"customer":  func(r *analyze.Request, v string) error { r.Customer = v; return nil },
	"user":      func(r *analyze.Request, v string) error { r.User = v; return nil },
	"session":   func(r *analyze.Request, v string) error { r.Session = v; return nil },
	"workspace": func(r *analyze.Request, v string) error { r.Workspace = v; return nil },
	"project":   func(r *analyze.Request, v string) error { r.Project = v; return nil },
	"api_key":   func(r *analyze.Request, v string) error { r.APIKey = v; return nil },
	"turn":      setMappedTurn,
}

func setMappedTurn(r *analyze.Request, v string) error {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("turn %q is not a non-negative integer", v)
	}
	r.Turn = n
	return nil
}

// CheckMap validates a field mapping: every key must be a dimension a
// mapping can set and every path non-empty.
func CheckMap(m map[string]string) error {
	for dim, path := range m {
		if mappedDimensions[dim] == nil {
			return fmt.Errorf("field mapping %s=%s: %q is not a mappable dimension; use any of %s",
				dim, path, dim, strings.Join(MappableDimensions(), ", "))
		}
		if strings.Trim(path, ". ") == "" {
			return fmt.Errorf("field mapping %s: empty path; write a dotted path such as metadata.%s", dim, dim)
		}
	}
	return nil
}

// MappableDimensions lists the dimensions a field mapping can set, sorted.
func MappableDimensions() []string {
	out := make([]string, 0, len(mappedDimensions))
	for d := range mappedDimensions {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// fieldMapper applies Options.Map to the records of one file and notes the
// paths that are not found in the first records.
type fieldMapper struct {
	dims    []string // sorted, so warnings come in a stable order
	paths   map[string]string
	found   map[string]bool
	records int
	checked bool
}

func newFieldMapper(m map[string]string) *fieldMapper {
	if len(m) == 0 {
		return nil
	}
	fm := &fieldMapper{paths: m, found: map[string]bool{}}
	for d := range m {
		fm.dims = append(fm.dims, d)
	}
	sort.Strings(fm.dims)
	return fm
}

// apply sets each mapped dimension whose path is in the record, over the
// value the format gave it. raw is the record's JSON object.
func (fm *fieldMapper) apply(r *analyze.Request, raw []byte) error {
	fm.records++
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil // the format parsed it, so only a part is unreadable here
	}

	for _, dim := range fm.dims {
		v, ok := lookupPath(doc, fm.paths[dim])
		if !ok {
			continue
		}
		fm.found[dim] = true
		if err := mappedDimensions[dim](r, mappedString(v)); err != nil {
			return invalid(fm.paths[dim], "%v", err)
		}
	}
	return nil
}

// missing returns a warning for each path not found, once per file: after
// mapCheckRecords records, or at the end of a shorter file (final).
func (fm *fieldMapper) missing(source string, final bool) []string {
	if fm.checked || (!final && fm.records < mapCheckRecords) || fm.records == 0 {
		return nil
	}
	fm.checked = true

	var out []string
	for _, dim := range fm.dims {
		if !fm.found[dim] {
			out = append(out, fmt.Sprintf("%s: field mapping %s=%s: path not found in the first %d records; %s stays empty",
				source, dim, fm.paths[dim], fm.records, dim))
		}
	}
	return out
}

// lookupPath follows a dotted path through objects and arrays (a segment
// that is a number indexes an array). Keys may contain dots themselves, as
// OpenTelemetry attribute names do, so at each object the longest key that
// matches a prefix of the path is tried first.
func lookupPath(v any, path string) (any, bool) {
	if path == "" {
		return v, v != nil
	}
	switch x := v.(type) {
	case map[string]any:
		for end := len(path); end > 0; end = strings.LastIndexByte(path[:end], '.') {
			child, ok := x[path[:end]]
			if !ok {
				continue
			}
			if got, ok := lookupPath(child, strings.TrimPrefix(path[end:], ".")); ok {
				return got, true
			}
		}
	case []any:
		head, rest, _ := strings.Cut(path, ".")
		i, err := strconv.Atoi(head)
		if err == nil && i >= 0 && i < len(x) {
			return lookupPath(x[i], rest)
		}
	}
	return nil, false
}

// mappedString renders a found value: strings as they are, numbers and
// booleans as literals, objects and arrays as compact JSON.
func mappedString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// emitMapped applies the field mapping to req from its raw record, then
// emits it. A mapped value that does not fit its dimension (a turn that is
// no integer) rejects the record.
func (fr *fileReader) emitMapped(req *analyze.Request, raw []byte, line int64) error {
	if fr.mapper != nil {
		if err := fr.mapper.apply(req, raw); err != nil {
			return fr.reject(line, err)
		}
		fr.res.Warnings = append(fr.res.Warnings, fr.mapper.missing(fr.res.Source, false)...)
	}
	return fr.emit(req, line)
}

// csvRecordJSON returns a CSV row as a JSON object keyed by the header, or
// nil when there is no field mapping to apply to it.
func (fr *fileReader) csvRecordJSON(row []string) []byte {
	if fr.mapper == nil {
		return nil
	}
	obj := make(map[string]json.RawMessage, len(fr.csvHeader))
	for i, name := range fr.csvHeader {
		obj[name] = csvCellJSON(row[i])
	}
	data, _ := json.Marshal(obj)
	return data
}
