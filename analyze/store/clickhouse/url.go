package clickhouse

import (
	"fmt"
	"net/url"
	"strings"
)

// scheme prefixes a --db value that names a ClickHouse database.
const scheme = "clickhouse://"

// IsURL reports whether db names a ClickHouse database rather than a SQLite
// file.
func IsURL(db string) bool {
	return strings.HasPrefix(db, scheme)
}

// Redact returns db without any user or password written into it, for
// messages.
func Redact(db string) string {
	u, err := url.Parse(db)
	if err != nil || u.User == nil {
		return db
	}
	u.User = nil
	return u.String()
}

// endpoint is a parsed clickhouse://HOST:PORT/DATABASE address.
type endpoint struct {
	base     string // http://HOST:PORT/
	database string
}

func parseURL(db string) (endpoint, error) {
	u, err := url.Parse(db)
	if err != nil {
		return endpoint{}, fmt.Errorf("invalid ClickHouse address %s: %w", Redact(db), err)
	}
	if u.User != nil {
		return endpoint{}, fmt.Errorf("invalid ClickHouse address %s: put credentials in COSTCTL_CLICKHOUSE_USER and COSTCTL_CLICKHOUSE_PASSWORD, not in the address", Redact(db))
	}
	database := strings.Trim(u.Path, "/")
	if u.Host == "" || database == "" || !validName(database) {
		return endpoint{}, fmt.Errorf("invalid ClickHouse address %s: expected clickhouse://HOST:PORT/DATABASE with a database name of letters, digits and underscores", db)
	}
	host := u.Host
	if u.Port() == "" {
		host += ":8123" // ClickHouse's default HTTP port
	}
	return endpoint{base: "http://" + host + "/", database: database}, nil
}

// validName accepts the identifiers costctl creates without quoting.
func validName(s string) bool {
	for i, r := range s {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return s != ""
}
