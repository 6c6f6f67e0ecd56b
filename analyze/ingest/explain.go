package ingest

import (
	"context"
	"errors"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/logs"
)

// explainRecords is how many requests Explain shows.
const explainRecords = 5

// Explanation is the output of `ingest --explain` for one file: the
// detected format, the field mapping in effect, and the first requests as
// they would be stored. A wrong mapping shows before anything is stored.
type Explanation struct {
	Source     string             `json:"source"`
	Format     string             `json:"format"`
	Map        map[string]string  `json:"map"`
	Requests   []*analyze.Request `json:"-"`
	Rejections []string           `json:"rejections"`
	Warnings   []string           `json:"warnings"`
}

// errEnough stops reading once Explain has what it shows.
var errEnough = errors.New("enough records")

// Explain reads the first requests of path without storing anything.
func Explain(ctx context.Context, path string, opts logs.Options) (*Explanation, error) {
	c := &collector{}
	results, err := logs.ReadPath(ctx, path, opts, c)
	if err != nil && !errors.Is(err, errEnough) {
		return nil, err
	}

	e := &Explanation{Source: path, Map: opts.Map, Requests: c.requests, Rejections: c.rejections}
	for _, r := range results {
		if e.Format == "" {
			e.Format = r.Format
		}
		e.Warnings = append(e.Warnings, r.Warnings...)
	}
	return e, nil
}

// collector keeps the first requests and rejections, then stops the read.
type collector struct {
	requests   []*analyze.Request
	rejections []string
}

func (c *collector) Request(r *analyze.Request) error {
	c.requests = append(c.requests, r)
	if len(c.requests) >= explainRecords {
		return errEnough
	}
	return nil
}

func (c *collector) Reject(rej logs.Rejection) error {
	if len(c.rejections) < explainRecords {
		c.rejections = append(c.rejections, rej.Error())
	}
	return nil
}
