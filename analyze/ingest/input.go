package ingest

import (
	"context"
	"io"

	"github.com/costctl/costctl/analyze/logs"
)

// Input is one thing to ingest: a path (file or directory) or a stream.
type Input struct {
	Path   string    // "-" with Reader set for stdin
	Reader io.Reader // set for a stream
}

// Name returns the input's name in messages.
func (in Input) Name() string { return in.Path }

func (in Input) read(ctx context.Context, opts logs.Options, sink logs.Sink) ([]logs.FileResult, error) {
	if in.Reader != nil {
		res, err := logs.ReadReader(ctx, in.Path, in.Reader, opts, sink)
		return []logs.FileResult{res}, err
	}
	return logs.ReadPath(ctx, in.Path, opts, sink)
}
