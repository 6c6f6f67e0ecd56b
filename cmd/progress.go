package cmd

import (
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress is a spinner with a count on stderr, shown only when stderr is
// a terminal; elsewhere every method does nothing.
type progress struct {
	bar *progressbar.ProgressBar
}

func newProgress(streams *IO, description string, quiet bool) *progress {
	if !streams.ErrIsTerminal || quiet {
		return &progress{}
	}
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(streams.Err),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("requests"),
		progressbar.OptionShowIts(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return &progress{bar: bar}
}

func (p *progress) set(n int64) {
	if p.bar != nil {
		_ = p.bar.Set64(n)
	}
}

// stop clears the line so results print on a clean terminal.
func (p *progress) stop() {
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}
