package ingest

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/logs"
)

// rejectCounter is a sink that stores nothing: it only counts rejected
// lines and keeps the first ones, for the strict pre-check.
type rejectCounter struct {
	rejected int64
	first    []string
}

func (c *rejectCounter) Request(*analyze.Request) error { return nil }

func (c *rejectCounter) Reject(rej logs.Rejection) error {
	c.rejected++
	if len(c.first) < maxExamples {
		c.first = append(c.first, rej.Error())
	}
	return nil
}

// strictCheck reads the input once without storing anything; an input with
// a rejected line is refused whole, so --strict never stores part of it.
func strictCheck(ctx context.Context, in Input, opts logs.Options) (bool, *rejectCounter, error) {
	c := &rejectCounter{}
	if _, err := in.read(ctx, opts, c); err != nil {
		if err = withoutBillingExports(err, opts); err != nil {
			return false, c, err
		}
	}
	return c.rejected == 0, c, nil
}

// spool copies a stream to a temporary file so that strict mode can read
// it twice; the caller removes the file.
func spool(r io.Reader) (string, error) {
	f, err := os.CreateTemp("", "costctl-stdin-*")
	if err != nil {
		return "", fmt.Errorf("spool standard input: %w", err)
	}
	defer f.Close()

	if _, err := io.Copy(f, r); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("spool standard input: %w", err)
	}
	return f.Name(), nil
}

// reopenSpool reads a spooled stream again under its original name, so
// provenance and dedup keys are those of the stream.
func reopenSpool(path, name string) (Input, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return Input{}, nil, fmt.Errorf("spool standard input: %w", err)
	}
	return Input{Path: name, Reader: f}, func() { f.Close() }, nil
}
