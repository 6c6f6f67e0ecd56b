package ingest

import (
	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
)

// copyMerger merges consecutive copies of one request before they reach the
// store writer. Claude Code writes an assistant message once per content
// block, each line repeating the usage so far (446 of the 911 usage lines in
// one set of real transcripts were such copies). Keeping the most complete of a run of copies
// (analyze.MoreComplete) stores the same row as handing every copy to the
// store, which applies the same rule, but costs one lookup instead of one
// per line.
type copyMerger struct {
	held    analyze.Request
	holding bool
	merged  int64 // copies dropped here, counted as merged duplicates
}

// add holds r, or merges it into the held request when both carry the same
// provider response id, and hands the previously held request to w
// otherwise. Records without an id are never merged: their store identity
// includes the line, so no two of them are copies.
func (m *copyMerger) add(w store.RequestWriter, r *analyze.Request) error {
	if m.holding && sameRequest(&m.held, r) {
		if analyze.MoreComplete(r, &m.held) {
			m.held = *r
		}
		m.merged++
		return nil
	}

	if err := m.flush(w); err != nil {
		return err
	}
	m.held = *r
	m.holding = true
	return nil
}

// flush hands the held request, if any, to w.
func (m *copyMerger) flush(w store.RequestWriter) error {
	if !m.holding {
		return nil
	}
	m.holding = false
	return w.Add(&m.held)
}

func sameRequest(a, b *analyze.Request) bool {
	return a.ID != "" && a.ID == b.ID && a.Provider == b.Provider
}
