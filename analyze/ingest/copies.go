package ingest

import (
	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
)

// copyMerger merges consecutive copies of one request before they reach the
// store writer. Claude Code writes an assistant message once per content
// block, each line repeating the usage so far: 446 of the 911 usage lines
// in one set of real transcripts were such copies. Keeping the most complete
// of a run of copies (analyze.MoreComplete) stores the same row as handing
// every copy to the store, which applies the same rule, but it costs one
// lookup instead of one per line.
type copyMerger struct {
	pending    analyze.Request // the request not yet handed to the writer
	hasPending bool
	merged     int64 // copies dropped here, counted as merged duplicates
}

// add merges r into the pending request when both carry the same provider
// response id. Otherwise it hands the pending request to w and keeps r as
// the new one. Records without an id are never merged, because their store
// identity includes the line, so no two of them are copies.
func (m *copyMerger) add(w store.RequestWriter, r *analyze.Request) error {
	if m.hasPending && sameRequest(&m.pending, r) {
		if analyze.MoreComplete(r, &m.pending) {
			m.pending = *r
		}
		m.merged++
		return nil
	}

	if err := m.flush(w); err != nil {
		return err
	}
	m.pending = *r
	m.hasPending = true
	return nil
}

// flush hands the pending request, if any, to w.
func (m *copyMerger) flush(w store.RequestWriter) error {
	if !m.hasPending {
		return nil
	}
	m.hasPending = false
	return w.Add(&m.pending)
}

func sameRequest(a, b *analyze.Request) bool {
	return a.ID != "" && a.ID == b.ID && a.Provider == b.Provider
}
