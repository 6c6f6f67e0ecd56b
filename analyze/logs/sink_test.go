package logs

import (
	"github.com/costctl/costctl/analyze"
)

// collectSink keeps everything it is given.
type collectSink struct {
	requests   []*analyze.Request
	rejections []Rejection
}

func (s *collectSink) Request(r *analyze.Request) error {
	s.requests = append(s.requests, r)
	return nil
}

func (s *collectSink) Reject(rej Rejection) error {
	s.rejections = append(s.rejections, rej)
	return nil
}

// distinctIDs counts the distinct non-empty request ids.
func (s *collectSink) distinctIDs() int {
	ids := map[string]bool{}
	for _, r := range s.requests {
		if r.ID != "" {
			ids[r.ID] = true
		}
	}
	return len(ids)
}
