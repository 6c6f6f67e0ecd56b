package clickhouse

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze/store"
)

// hostName returns host, or this machine's name when host is empty. It
// returns "" when the name cannot be had: the store then keeps no file
// states, and every ingest reads whole files.
func hostName(host string) string {
	if host != "" {
		return host
	}
	name, err := os.Hostname()
	if err != nil {
		return ""
	}
	return name
}

// Files returns the latest state saved by this host for each path it read.
// Any saved state is safe to resume from, whichever one is latest: each
// was saved only after the requests read from its bytes were inserted,
// and the ingest checks the file's bytes against its hashes before it
// skips any. States of other hosts are left out, because the same path on
// another machine is another file.
func (s *Store) Files(ctx context.Context) (map[string]store.FileState, error) {
	out := map[string]store.FileState{}
	if s.host == "" {
		return out, nil
	}
	var names []string
	for _, c := range fileColumns[1 : len(fileColumns)-1] { // path to options
		names = append(names, c.name)
	}
	query := fmt.Sprintf("SELECT %s FROM files WHERE host = '%s' ORDER BY path, version DESC LIMIT 1 BY path",
		joinQuoted(names), sqlEscaper.Replace(s.host))
	r, err := s.c.query(ctx, query)
	if err != nil && missing(err) {
		return out, nil // a store from before file states: every file is new
	}
	if err != nil {
		return nil, fmt.Errorf("read file states: %w", err)
	}
	defer r.close()

	for r.next() {
		f, err := decodeFileState(r.fields)
		if err != nil {
			return nil, fmt.Errorf("read file states: %w", err)
		}
		out[f.Path] = f
	}
	if err := r.close(); err != nil {
		return nil, fmt.Errorf("read file states: %w", err)
	}
	return out, nil
}

func decodeFileState(fields []string) (store.FileState, error) {
	r := &fieldReader{fields: fields}
	f := store.FileState{Path: r.text()}
	f.Size, f.MTimeNs, f.HeadHash, f.TailHash = r.int(), r.int(), r.int(), r.int()
	f.Offset, f.Lines, f.Format, f.Options = r.int(), r.int(), r.text(), r.int()
	return f, r.err
}

// SaveFiles inserts the states as this host's latest, at a version above
// the states saved before. Call it only after the requests read from
// those bytes are inserted (ingest.Run does): a state saved first would
// make a failed ingest skip lines that were never stored.
//
// NOTE: the version is this machine's clock in nanoseconds. Two processes
// that save the same path in the same nanosecond, or a clock set back, can
// make an older state the latest. That state is true too, so the next
// ingest only reads some lines again and stores nothing twice.
func (s *Store) SaveFiles(ctx context.Context, files []store.FileState) error {
	if len(files) == 0 || s.host == "" {
		return nil
	}
	if s.readOnly {
		return errors.New("save file states: store is open read-only")
	}
	version := strconv.FormatUint(uint64(time.Now().UnixNano()), 10)
	var buf bytes.Buffer
	for _, f := range files {
		fields := []string{tsvEscaper.Replace(s.host), tsvEscaper.Replace(f.Path)}
		for _, n := range []int64{f.Size, f.MTimeNs, f.HeadHash, f.TailHash, f.Offset, f.Lines} {
			fields = append(fields, strconv.FormatInt(n, 10))
		}
		fields = append(fields, tsvEscaper.Replace(f.Format), strconv.FormatInt(f.Options, 10), version)
		buf.WriteString(strings.Join(fields, "\t"))
		buf.WriteByte('\n')
	}

	var names []string
	for _, c := range fileColumns {
		names = append(names, c.name)
	}
	insert := "INSERT INTO files (" + joinQuoted(names) + ") FORMAT TabSeparated"
	if err := s.c.insert(ctx, insert, &buf); err != nil {
		return fmt.Errorf("save file states: %w", err)
	}
	return nil
}
