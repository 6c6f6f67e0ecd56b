package store

import (
	"context"
	"fmt"
)

// FileState is the store's record of a log file it has read, so that
// the next ingest can skip it when unchanged or read only what was
// appended.
type FileState struct {
	Path    string // absolute path, as in analyze.Request.Source
	Size    int64  // bytes in the file when it was read
	MTimeNs int64  // modification time in Unix nanoseconds
	// HeadHash and TailHash are hashes of the first bytes of the file and
	// of the bytes just before Offset. A file whose bytes there differ now
	// was rewritten, not appended to.
	HeadHash, TailHash int64
	Offset             int64  // bytes read: the end of the last whole line
	Lines              int64  // lines before Offset
	Format             string // format the file was read as
	// Options is a hash of the read options that change what a line gives
	// (forced format, field mapping, assumed time, id hashing key).
	Options int64
}

// Files returns the stored state of every file read before, by path.
func (s *Store) Files(ctx context.Context) (map[string]FileState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT path, size, mtime_ns, head_hash, tail_hash, offset, lines, format, options FROM files`)
	if err != nil {
		return nil, fmt.Errorf("read file states: %w", err)
	}
	defer rows.Close()

	out := map[string]FileState{}
	for rows.Next() {
		var f FileState
		if err := rows.Scan(&f.Path, &f.Size, &f.MTimeNs, &f.HeadHash, &f.TailHash, &f.Offset, &f.Lines, &f.Format, &f.Options); err != nil {
			return nil, fmt.Errorf("read file states: %w", err)
		}
		out[f.Path] = f
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read file states: %w", err)
	}
	return out, nil
}

// SaveFiles stores the states in one transaction, replacing earlier ones
// of the same paths. Call it only after the requests read from those bytes
// are committed: a state saved first would make a crash skip lines that
// were never stored.
func (s *Store) SaveFiles(ctx context.Context, files []FileState) error {
	if len(files) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save file states: %w", err)
	}
	defer tx.Rollback()

	stmt, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO files (path, size, mtime_ns, head_hash, tail_hash, offset, lines, format, options) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("save file states: %w", err)
	}
	defer stmt.Close()
	for _, f := range files {
		if _, err := stmt.ExecContext(ctx, f.Path, f.Size, f.MTimeNs, f.HeadHash, f.TailHash, f.Offset, f.Lines, f.Format, f.Options); err != nil {
			return fmt.Errorf("save file states: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save file states: %w", err)
	}
	return nil
}
