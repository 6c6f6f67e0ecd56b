package cmd

import (
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/costctl/costctl/cmd/render"
)

// minRateElapsed is how long a run goes before its rate is shown. The
// first update comes after a few thousand requests, which can take
// microseconds, and a rate over so short a time is meaningless.
const minRateElapsed = 500 * time.Millisecond

// progress is a bar (or a spinner when the input size is unknown) with
// counts on stderr. It is shown only when stderr is a terminal, and
// elsewhere every method does nothing.
type progress struct {
	bar         *progressbar.ProgressBar
	description string
	totalBytes  int64
	start       time.Time
}

// newProgress shows a bar filling with the bytes read when totalBytes is
// known, else a spinner. The counts and the rate are computed here and
// shown in the description. The library's own rate is not used because on
// the first update it divides by a few microseconds.
func newProgress(streams *IO, description string, totalBytes int64, quiet bool) *progress {
	if !streams.ErrIsTerminal || quiet {
		return &progress{}
	}
	barMax := int64(-1)
	if totalBytes > 0 {
		barMax = totalBytes
	}
	bar := progressbar.NewOptions64(barMax,
		progressbar.OptionSetWriter(streams.Err),
		progressbar.OptionSetDescription(description),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return &progress{bar: bar, description: description, totalBytes: totalBytes, start: time.Now()}
}

// set shows the requests and input bytes read so far.
func (p *progress) set(requests, bytesRead int64) {
	if p.bar == nil {
		return
	}
	if p.totalBytes > 0 {
		_ = p.bar.Set64(min(bytesRead, p.totalBytes))
	}
	text := progressText(progressState{
		requests: requests, bytesRead: bytesRead, totalBytes: p.totalBytes, elapsed: time.Since(p.start),
	})
	p.bar.Describe(p.description + " " + text + " ")
}

// stop clears the line so results print on a clean terminal.
func (p *progress) stop() {
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}

// progressState is the content of one progress update.
type progressState struct {
	requests   int64
	bytesRead  int64
	totalBytes int64 // 0 when unknown
	elapsed    time.Duration
}

// progressText formats an update, such as "12.3 MB of 45.6 MB, 10,000
// requests, 5,000 requests/s". The rate is left out until minRateElapsed
// has passed.
func progressText(s progressState) string {
	var parts []string
	switch {
	case s.totalBytes > 0:
		parts = append(parts, formatBytes(s.bytesRead)+" of "+formatBytes(s.totalBytes))
	case s.bytesRead > 0:
		parts = append(parts, formatBytes(s.bytesRead)+" read")
	}
	parts = append(parts, render.Plural(s.requests, "request"))
	if s.elapsed >= minRateElapsed {
		rate := int64(math.Round(float64(s.requests) / s.elapsed.Seconds()))
		parts = append(parts, render.Count(rate)+" requests/s")
	}
	return strings.Join(parts, ", ")
}

// formatBytes writes a size in decimal units (1 MB = 1,000,000 bytes).
func formatBytes(n int64) string {
	units := []string{"kB", "MB", "GB", "TB"}
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	v := float64(n) / 1000
	unit := 0
	for v >= 999.95 && unit < len(units)-1 {
		v /= 1000
		unit++
	}
	return fmt.Sprintf("%.1f %s", v, units[unit])
}

// inputBytes returns the total size of the inputs when every one is a
// regular file, else 0: a directory walk or standard input has no size
// known before it is read.
func inputBytes(paths []string) int64 {
	var total int64
	for _, p := range paths {
		if p == "-" {
			return 0
		}
		info, err := os.Stat(p)
		if err != nil || !info.Mode().IsRegular() {
			return 0
		}
		total += info.Size()
	}
	return total
}
