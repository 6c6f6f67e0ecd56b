// Package check compares a current cost document with a baseline: it
// splits the change in cost into volume, mix, price and tokens-per-request
// effects cell by cell, and evaluates warn and fail thresholds on it. It
// takes and returns plain values; reading files and exit codes are the
// caller's business.
package check

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
)

// SupportedSchemaVersion is the report and simulation schema_version this
// package reads. A document of another version is rejected, because its
// cells may mean something else.
const SupportedSchemaVersion = 1

// Document is the part of a report or simulation document that a check
// reads: its window, its dimensions and its cells.
type Document struct {
	Files         []string // paths the document was read from, several after Merge
	Kind          string
	SchemaVersion int
	PriceTables   []string // price_table_version of each document, without repeats
	Window        analyze.Window
	By            []string
	Cells         []analyze.CellDoc
}

// rawDocument has pointers where a missing field must be distinguished
// from a zero value.
type rawDocument struct {
	Kind          *string            `json:"kind"`
	SchemaVersion *int               `json:"schema_version"`
	PriceTable    string             `json:"price_table_version"`
	Window        *analyze.Window    `json:"window"`
	By            []string           `json:"by"`
	Cells         *[]analyze.CellDoc `json:"cells"`
}

// Parse reads a document written by `costctl report` or `costctl
// simulate`. Errors name the file and what is wrong with it.
func Parse(name string, data []byte) (*Document, error) {
	var raw rawDocument
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: not a costctl JSON document: %w", name, err)
	}
	if err := checkHeader(raw); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}

	doc := &Document{Files: []string{name}, Kind: *raw.Kind, SchemaVersion: *raw.SchemaVersion, By: raw.By, Cells: *raw.Cells}
	if raw.Window != nil {
		doc.Window = *raw.Window
	}
	if raw.PriceTable != "" {
		doc.PriceTables = []string{raw.PriceTable}
	}
	if doc.By == nil {
		doc.By = keyDims(doc.Cells)
	}
	if err := checkCells(doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return doc, nil
}

func checkHeader(raw rawDocument) error {
	switch {
	case raw.Kind == nil:
		return fmt.Errorf("missing kind: want a document written by costctl report or simulate with --format json")
	case *raw.Kind != "report" && *raw.Kind != "simulation":
		return fmt.Errorf("kind %q: want \"report\" or \"simulation\"", *raw.Kind)
	case raw.SchemaVersion == nil:
		return fmt.Errorf("missing schema_version")
	case *raw.SchemaVersion != SupportedSchemaVersion:
		return fmt.Errorf("schema_version %d is not supported: this costctl reads schema_version %d; write both documents with the same costctl", *raw.SchemaVersion, SupportedSchemaVersion)
	case raw.Cells == nil:
		return fmt.Errorf("missing cells: the change cannot be explained without them; write the document again with costctl report --format json")
	}
	return nil
}

// keyDims is the dimension list of a document that has no by field: the
// key names of its first cell, sorted.
func keyDims(cells []analyze.CellDoc) []string {
	if len(cells) == 0 {
		return []string{}
	}
	dims := make([]string, 0, len(cells[0].Key))
	for d := range cells[0].Key {
		dims = append(dims, d)
	}
	sort.Strings(dims)
	return dims
}

// checkCells rejects cells whose keys disagree with the dimension list,
// negative counts, and tokens without a request that could carry them,
// because any of them would break the exact split of the change.
func checkCells(doc *Document) error {
	for i, c := range doc.Cells {
		if len(c.Key) != len(doc.By) {
			return fmt.Errorf("cells[%d]: key has %d dimensions, want %d (%s)", i, len(c.Key), len(doc.By), strings.Join(doc.By, ", "))
		}
		for _, d := range doc.By {
			if _, ok := c.Key[d]; !ok {
				return fmt.Errorf("cells[%d]: key has no dimension %q", i, d)
			}
		}
		if err := checkCounts(c); err != nil {
			return fmt.Errorf("cells[%d]: %w", i, err)
		}
	}
	return nil
}

func checkCounts(c analyze.CellDoc) error {
	if c.Requests < 0 || c.UnknownCostRequests < 0 || c.UnknownCostRequests > c.Requests {
		return fmt.Errorf("invalid request counts: requests %d, unknown_cost_requests %d", c.Requests, c.UnknownCostRequests)
	}
	var total int64
	for class, n := range c.Tokens {
		if n < 0 {
			return fmt.Errorf("negative %s tokens %d", class, n)
		}
		total += n
	}
	if c.WebSearches < 0 {
		return fmt.Errorf("negative web_searches %d", c.WebSearches)
	}
	// A cell of no request may carry tokens: simulate bills its summariser
	// calls that way. Requests that all lack usage cannot.
	if total+c.WebSearches > 0 && c.Requests > 0 && c.Requests == c.UnknownCostRequests {
		return fmt.Errorf("has tokens but no request with usage")
	}
	return nil
}

// Merge combines documents of one side of the comparison, such as shards
// written by parallel CI jobs. They must share schema_version and
// dimensions; the merged window runs from the earliest start to the latest
// end, and stays open when any document's is.
func Merge(docs []*Document) (*Document, error) {
	if len(docs) == 0 {
		return nil, fmt.Errorf("merge: no documents")
	}
	first := docs[0]
	out := &Document{Kind: first.Kind, SchemaVersion: first.SchemaVersion, Window: first.Window, By: first.By}
	for _, d := range docs {
		if !sameDims(d.By, first.By) {
			return nil, fmt.Errorf("%s: by [%s] differs from [%s] in %s; write every shard with the same --by",
				d.Files[0], strings.Join(d.By, ", "), strings.Join(first.By, ", "), first.Files[0])
		}
		if d.Kind != first.Kind {
			return nil, fmt.Errorf("%s: kind %q differs from %q in %s", d.Files[0], d.Kind, first.Kind, first.Files[0])
		}
		out.Files = append(out.Files, d.Files...)
		out.Cells = append(out.Cells, d.Cells...)
		for _, v := range d.PriceTables {
			if !slices.Contains(out.PriceTables, v) {
				out.PriceTables = append(out.PriceTables, v)
			}
		}
		out.Window = widen(out.Window, d.Window)
	}
	return out, nil
}

func sameDims(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

func widen(a, b analyze.Window) analyze.Window {
	if a.Since == nil || b.Since == nil {
		a.Since = nil
	} else if b.Since.Before(*a.Since) {
		a.Since = b.Since
	}
	if a.Until == nil || b.Until == nil {
		a.Until = nil
	} else if b.Until.After(*a.Until) {
		a.Until = b.Until
	}
	return a
}

// Days is the length of a closed window in days, or 0 when an end is open.
func Days(w analyze.Window) float64 {
	if w.Since == nil || w.Until == nil {
		return 0
	}
	return w.Until.Sub(*w.Since).Hours() / 24
}

// FromReport turns a report built in this process into a Document, so the
// store mode reads exactly what `report --format json` would have written.
func FromReport(name string, rep *analyze.Report) *Document {
	return &Document{
		Files: []string{name}, Kind: rep.Kind, SchemaVersion: rep.SchemaVersion, PriceTables: []string{rep.PriceTableVersion},
		Window: rep.Window, By: rep.By, Cells: rep.Cells,
	}
}

// sameLength reports whether two window lengths in days are equal to
// within a second.
func sameLength(a, b float64) bool {
	d := (a - b) * 24 * float64(time.Hour/time.Second)
	return d < 1 && d > -1
}
