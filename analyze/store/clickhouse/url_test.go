package clickhouse

import (
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		db, base, database, err string
	}{
		{db: "clickhouse://127.0.0.1:9123/costctl", base: "http://127.0.0.1:9123/", database: "costctl"},
		{db: "clickhouse://ch.internal/costs_2026", base: "http://ch.internal:8123/", database: "costs_2026"},
		{db: "clickhouse://127.0.0.1:8123/", err: "expected clickhouse://HOST:PORT/DATABASE"},
		{db: "clickhouse://127.0.0.1:8123/a-b", err: "letters, digits and underscores"},
		{db: "clickhouse://bob:secret@127.0.0.1:8123/x", err: "COSTCTL_CLICKHOUSE_PASSWORD"},
	}
	for _, c := range cases {
		ep, err := parseURL(c.db)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("parseURL(%q) error = %v, want one containing %q", c.db, err, c.err)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("parseURL(%q) error shows the password: %v", c.db, err)
			}
			continue
		}
		if err != nil || ep.base != c.base || ep.database != c.database {
			t.Errorf("parseURL(%q) = %+v, %v; want base %s, database %s", c.db, ep, err, c.base, c.database)
		}
	}
}

func TestUnescapeReversesEscape(t *testing.T) {
	for _, s := range []string{"plain", "tab\there", "new\nline", `back\slash`, "nul\x00key", "\r\\t"} {
		if got := unescape(tsvEscaper.Replace(s)); got != s {
			t.Errorf("unescape(escape(%q)) = %q", s, got)
		}
	}
}
