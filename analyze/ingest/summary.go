package ingest

import (
	"sort"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/logs"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// maxExamples is how many rejected lines the summary quotes in full.
const maxExamples = 5

// Summary is the account of one ingest, printed at its end.
type Summary struct {
	Kind  string            `json:"kind"`
	Files []logs.FileResult `json:"files"`
	// Unchanged counts files skipped because they are as a previous ingest
	// read them.
	Unchanged  int64            `json:"files_unchanged"`
	FileErrors []string         `json:"file_errors"`
	Lines      int64            `json:"lines"`
	Requests   int64            `json:"requests_read"`
	Stored     int64            `json:"stored"`
	Merged     int64            `json:"duplicates_merged"`
	Write      store.WriteStats `json:"-"`
	Rejected   map[string]int64 `json:"rejected_by_reason"`
	Examples   []string         `json:"rejected_examples"`
	Unpriced   []UnpricedModel  `json:"unpriced_models"`
	Billing    []BillingFile    `json:"billing_files"`
	// Truncated describes each compressed file that ends early. The
	// requests on its whole lines were stored.
	Truncated []string `json:"truncated_files"`
	// WithoutID counts requests read with no provider response id. Their
	// store identity includes the source file and line, so a renamed or
	// copied file stores them again.
	WithoutID int64 `json:"requests_without_id"`

	unpriced map[[2]string]*UnpricedModel
}

// UnpricedModel is a model the price table has no price for at the time
// of some of its requests.
type UnpricedModel struct {
	Provider string `json:"provider"`
	Model    string `json:"model"`
	Requests int64  `json:"requests"`
	// First and Last are the times of the earliest and latest of those
	// requests.
	First time.Time `json:"-"`
	Last  time.Time `json:"-"`
	// Known is set when the table lists the model but has no row in
	// effect at those times. PricesStart is then the first day of the
	// model's first row.
	Known       bool      `json:"-"`
	PricesStart time.Time `json:"-"`
}

func newSummary() *Summary {
	return &Summary{
		Kind: "ingest", Files: []logs.FileResult{}, FileErrors: []string{}, Truncated: []string{}, Examples: []string{},
		Rejected: map[string]int64{}, Unpriced: []UnpricedModel{}, Billing: []BillingFile{}, unpriced: map[[2]string]*UnpricedModel{},
	}
}

// RejectedLines is the number of lines rejected for any reason.
func (s *Summary) RejectedLines() int64 {
	var n int64
	for _, c := range s.Rejected {
		n += c
	}
	return n
}

func (s *Summary) noteRejection(rej logs.Rejection) {
	s.Rejected[string(rej.Kind)]++
	if len(s.Examples) < maxExamples {
		s.Examples = append(s.Examples, rej.Error())
	}
}

func (s *Summary) noteUnpriced(r *analyze.Request) {
	k := [2]string{r.Provider, r.Model}
	m, ok := s.unpriced[k]
	if !ok {
		m = &UnpricedModel{Provider: r.Provider, Model: r.Model, First: r.Time, Last: r.Time}
		s.unpriced[k] = m
	}
	m.Requests++
	if r.Time.Before(m.First) {
		m.First = r.Time
	}
	if r.Time.After(m.Last) {
		m.Last = r.Time
	}
}

// finish totals the per-file results and orders the unpriced models,
// marking those that table lists. Merged counts copies of requests
// already seen: whichever came first, the more complete copy was kept.
func (s *Summary) finish(table *pricing.Table) {
	s.Stored = s.Write.Inserted
	s.Merged = s.Write.Replaced + s.Write.Kept
	for _, f := range s.Files {
		s.Lines += f.Lines
		s.Requests += f.Requests
	}
	for _, m := range s.unpriced {
		if model := analyze.FindModel(table, m.Provider, m.Model); model != nil && len(model.Rows) > 0 {
			m.Known, m.PricesStart = true, model.Rows[0].From
		}
		s.Unpriced = append(s.Unpriced, *m)
	}
	sort.Slice(s.Unpriced, func(i, j int) bool {
		if s.Unpriced[i].Requests != s.Unpriced[j].Requests {
			return s.Unpriced[i].Requests > s.Unpriced[j].Requests
		}
		return s.Unpriced[i].Model < s.Unpriced[j].Model
	})
}
