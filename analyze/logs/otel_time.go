package logs

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// otelTimeFields lists the fields otelStartTimes reads, in its order of
// preference, for the message that rejects a span without a time.
const otelTimeFields = "start_time, startTimeUnixNano, startTime, timestamp or time"

// otelStartTimes holds the fields a flat span may carry its start time in.
// Exporters name it differently. The Python SDK's console exporter writes
// start_time (RFC 3339) and OTLP JSON writes startTimeUnixNano. The
// JavaScript SDK's console exporter writes timestamp in microseconds, and
// JSON.stringify of a JavaScript span writes startTime as [seconds,
// nanoseconds]. The start fields come first, because a timestamp or time
// added by a logger may be when the span was written, after it ended.
type otelStartTimes struct {
	StartTime         spanTime     `json:"start_time"`
	StartTimeUnixNano unixNanoTime `json:"startTimeUnixNano"`
	StartTimeCamel    spanTime     `json:"startTime"`
	Timestamp         spanTime     `json:"timestamp"`
	Time              spanTime     `json:"time"`
}

// start returns the time in the first of the fields that is present, or
// the zero time when none is. An invalid value in that field rejects the
// span rather than fall back to a later field that may mean another time.
func (s *otelStartTimes) start() (time.Time, error) {
	fields := []struct {
		name  string
		value timeValue
	}{
		{"start_time", s.StartTime.timeValue},
		{"startTimeUnixNano", s.StartTimeUnixNano.timeValue},
		{"startTime", s.StartTimeCamel.timeValue},
		{"timestamp", s.Timestamp.timeValue},
		{"time", s.Time.timeValue},
	}
	for _, f := range fields {
		t, err := f.value.check(f.name)
		if err != nil || !t.IsZero() {
			return t, err
		}
	}
	return time.Time{}, nil
}

// unixNanoTime is an OTLP JSON time: Unix nanoseconds as a decimal string
// or a number. It is read as an integer, so no nanosecond is lost to a
// float, and 0 (unset in OTLP) counts as no time.
type unixNanoTime struct{ timeValue }

func (v *unixNanoTime) UnmarshalJSON(b []byte) error {
	v.t, v.bad = time.Time{}, ""
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	text := string(b)
	if len(b) > 0 && b[0] == '"' {
		s, err := unquote(b)
		if err != nil {
			return err
		}
		text = s
	}

	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < 0 {
		v.bad = "invalid Unix nanoseconds " + strconv.Quote(text) + " (want a non-negative integer such as \"1746090000000000000\")"
		return nil
	}
	if n > 0 {
		v.t = time.Unix(0, n).UTC()
	}
	return nil
}

// spanTime is a timeValue that also reads the JavaScript SDK's HrTime, an
// array of [seconds, nanoseconds].
type spanTime struct{ timeValue }

func (v *spanTime) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '[' {
		return v.timeValue.UnmarshalJSON(b)
	}

	v.t, v.bad = time.Time{}, ""
	var hr []int64
	if err := json.Unmarshal(b, &hr); err != nil || len(hr) != 2 || hr[0] < 0 || hr[1] < 0 || hr[1] >= 1e9 {
		v.bad = "invalid timestamp " + string(b) + " (want RFC 3339, Unix time or [seconds, nanoseconds])"
		return nil
	}
	v.t = time.Unix(hr[0], hr[1]).UTC()
	return nil
}
