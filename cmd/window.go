package cmd

import "time"

// parseWindow reads --since/--until (RFC 3339, or a date taken as midnight
// in loc) into a half-open window [since, until); empty ends stay open.
func parseWindow(since, until string, loc *time.Location) (s, u time.Time, err error) {
	if s, err = parseBound("--since", since, loc); err != nil {
		return
	}
	if u, err = parseBound("--until", until, loc); err != nil {
		return
	}
	if !s.IsZero() && !u.IsZero() && !u.After(s) {
		err = usageErrorf("--until %s is not after --since %s", until, since)
	}
	return
}

func parseBound(flag, v string, loc *time.Location) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, usageErrorf("%s %q: want an RFC 3339 time or a date YYYY-MM-DD", flag, v)
}

// loadZone loads an IANA zone name for --tz.
func loadZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, usageErrorf("--tz %q: not an IANA time zone such as Europe/Berlin: %v", name, err)
	}
	return loc, nil
}

// timePtr is nil for an open end, for the window of JSON documents.
func timePtr(t time.Time, loc *time.Location) *time.Time {
	if t.IsZero() {
		return nil
	}
	v := t.In(loc)
	return &v
}
