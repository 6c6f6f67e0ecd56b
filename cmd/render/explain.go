package render

import (
	"fmt"
	"io"
	"strconv"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/pricing"
)

// explainDims are the dimensions a field mapping can set, in the order
// --explain shows them.
var explainDims = []string{"endpoint", "tier", "customer", "user", "session", "turn", "workspace", "project", "api_key"}

// Explanation writes what ingest would read from a file: its format, the
// mapping of each dimension and the first requests as they would be stored.
func Explanation(w io.Writer, e *ingest.Explanation) error {
	fmt.Fprintf(w, "%s: format %s\n\n", e.Source, orNone(e.Format))

	g := grid{header: []string{"dimension", "taken from"}}
	for _, d := range explainDims {
		g.rows = append(g.rows, []string{d, mappingSource(e.Map, d)})
	}
	if err := writeTable(w, g); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nfirst %s as they would be stored:\n", plural(int64(len(e.Requests)), "request"))
	if err := writeTable(w, explainRequests(e.Requests)); err != nil {
		return err
	}
	for _, r := range e.Rejections {
		fmt.Fprintf(w, "rejected: %s\n", r)
	}
	for _, warn := range e.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	return nil
}

func mappingSource(m map[string]string, dim string) string {
	if path, ok := m[dim]; ok {
		return "--map / dimensions: " + path
	}
	return "the format's own field"
}

func explainRequests(reqs []*analyze.Request) grid {
	g := grid{header: []string{"line", "id", "time", "provider", "model", "endpoint", "tier", "customer", "user", "session",
		"input", "cache read", "cache write", "output", "status"}}
	g.numeric = make([]bool, len(g.header))
	for _, i := range []int{0, 10, 11, 12, 13} {
		g.numeric[i] = true
	}
	for _, r := range reqs {
		t := r.Tokens
		g.rows = append(g.rows, []string{
			strconv.FormatInt(r.Line, 10), orNone(r.ID), r.Time.Format("2006-01-02T15:04:05Z07:00"), r.Provider, r.Model,
			orNone(r.Endpoint), orNone(r.Tier), orNone(r.Customer), orNone(r.User), orNone(r.Session),
			Count(t[pricing.Input]), Count(t[pricing.CacheRead]), Count(t[pricing.CacheWrite5m] + t[pricing.CacheWrite1h]),
			Count(t[pricing.Output]), string(r.Status),
		})
	}
	return g
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
