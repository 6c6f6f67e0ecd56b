package render

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/analyze/logs"
)

// IngestSummary writes what an ingest read, stored, merged and rejected.
func IngestSummary(w io.Writer, s *ingest.Summary) error {
	if len(s.Files) == 0 {
		fmt.Fprintln(w, "read no request log")
	} else {
		fmt.Fprintf(w, "read %s (%s): %s, %s\n", plural(int64(len(s.Files)), "file"), formatCounts(s.Files),
			plural(s.Lines, "line"), plural(s.Requests, "request"))
	}
	if s.Unchanged > 0 {
		fmt.Fprintf(w, "skipped %s unchanged since the last ingest\n", plural(s.Unchanged, "file"))
	}
	fmt.Fprintf(w, "stored %s; merged %s (the most complete copy is kept)\n",
		plural(s.Stored, "new request"), plural(s.Merged, "duplicate copy"))
	billingSummary(w, s.Billing)

	if n := s.RejectedLines(); n > 0 {
		fmt.Fprintf(w, "rejected %s: %s\n", plural(n, "line"), reasonCounts(s.Rejected))
		for _, ex := range s.Examples {
			fmt.Fprintf(w, "  %s\n", ex)
		}
	}
	for _, e := range s.FileErrors {
		fmt.Fprintf(w, "not read: %s\n", e)
	}
	for _, t := range s.Truncated {
		fmt.Fprintf(w, "partly read: %s\n", t)
	}
	for _, m := range s.Unpriced {
		unpricedLine(w, m)
	}
	withoutIDNote(w, s.WithoutID)
	return nil
}

// unpricedLine names a model stored without a cost and the fix: a price
// file for a model the table does not know, a dated row for a known one
// used on days that none of its rows covers.
func unpricedLine(w io.Writer, m ingest.UnpricedModel) {
	if !m.Known {
		fmt.Fprintf(w, "unpriced: %s of model %q (provider %q) stored without a cost; add the model with --prices FILE\n",
			plural(m.Requests, "request line"), m.Model, m.Provider)
		return
	}
	start := ""
	if m.Last.Before(m.PricesStart) {
		start = pricesStart(m.PricesStart)
	}
	fmt.Fprintf(w, "unpriced: %s of known model %q (provider %q) stored without a cost: no price row in effect %s%s; add a dated row with --prices FILE if you have the price\n",
		plural(m.Requests, "request line"), m.Model, m.Provider, dayRange(utcDate(m.First), utcDate(m.Last)), start)
}

func utcDate(t time.Time) time.Time {
	y, mo, d := t.UTC().Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// withoutIDNote warns that requests without a response id are identified
// by file and line, which log rotation changes.
func withoutIDNote(w io.Writer, n int64) {
	if n == 0 {
		return
	}
	if n == 1 {
		fmt.Fprintln(w, "note: 1 request had no request id: it is identified by file and line, so ingesting a renamed or copied file stores it again")
		return
	}
	fmt.Fprintf(w, "note: %s requests had no request id: they are identified by file and line, so ingesting a renamed or copied file stores them again\n", Count(n))
}

// billingSummary writes one line per billing export: bills are stored
// apart from requests and never count as requests.
func billingSummary(w io.Writer, files []ingest.BillingFile) {
	for _, b := range files {
		fmt.Fprintf(w, "billing export %s (%s): %s stored, %s replaced by a more complete copy, %s already stored\n",
			b.Source, b.Shape, plural(b.Inserted, "line"), Count(b.Replaced), Count(b.Kept))
	}
}

// Plural writes a count and its noun, adding "s" (or "ies" for "copy")
// unless the count is one, for messages printed outside this package.
func Plural(n int64, noun string) string { return plural(n, noun) }

func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "copy") {
		return Count(n) + " " + strings.TrimSuffix(noun, "y") + "ies"
	}
	return Count(n) + " " + noun + "s"
}

// formatCounts is "claude-code 9, costctl-jsonl 1".
func formatCounts(files []logs.FileResult) string {
	counts := map[string]int{}
	for _, f := range files {
		if f.Format != "" {
			counts[f.Format]++
		}
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)

	parts := make([]string, 0, len(names))
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s %d", n, counts[n]))
	}
	if len(parts) == 0 {
		return "no format detected"
	}
	return strings.Join(parts, ", ")
}

func reasonCounts(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %s", k, Count(m[k])))
	}
	return strings.Join(parts, ", ")
}

// Formats lists the input formats, one per line: the name, then what it
// reads. Lines stay plain so that scripts can take the first word.
func Formats(w io.Writer, formats []logs.FormatInfo) error {
	width := 0
	for _, f := range formats {
		width = max(width, len(f.Name))
	}
	for _, f := range formats {
		if _, err := fmt.Fprintf(w, "%-*s  %s\n", width, f.Name, f.Description); err != nil {
			return err
		}
	}
	return nil
}
