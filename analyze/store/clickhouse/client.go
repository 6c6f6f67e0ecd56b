package clickhouse

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// client sends SQL to ClickHouse's HTTP interface.
type client struct {
	http     *http.Client
	endpoint endpoint
	user     string
	password string
}

// exec runs a statement that returns no rows.
func (c *client) exec(ctx context.Context, query string) error {
	body, err := c.post(ctx, nil, strings.NewReader(query))
	if err != nil {
		return err
	}
	return body.Close()
}

// insert sends data, in the format the INSERT statement names, as the
// request body. Into a Distributed table, the insert returns only once
// every shard has the rows (insert_distributed_sync), rather than when
// they are queued on this node: a file state saved after it must never
// claim rows that a lost queue could drop.
func (c *client) insert(ctx context.Context, insert string, data io.Reader) error {
	params := url.Values{"query": {insert}, "insert_distributed_sync": {"1"}}
	body, err := c.post(ctx, params, data)
	if err != nil {
		return err
	}
	return body.Close()
}

// query runs a SELECT and returns its TabSeparated output rows.
func (c *client) query(ctx context.Context, query string) (*rows, error) {
	body, err := c.post(ctx, nil, strings.NewReader(query+" FORMAT TabSeparated"))
	if err != nil {
		return nil, err
	}
	return newRows(body), nil
}

func (c *client) post(ctx context.Context, params url.Values, body io.Reader) (io.ReadCloser, error) {
	if params == nil {
		params = url.Values{}
	}
	if params.Get("database") == "" {
		params.Set("database", c.endpoint.database)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint.base+"?"+params.Encode(), body)
	if err != nil {
		return nil, err
	}
	if c.user != "" || c.password != "" {
		req.SetBasicAuth(c.user, c.password)
	}

	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("clickhouse %s: %w", c.endpoint.base, err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return nil, fmt.Errorf("clickhouse: HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(msg)))
	}
	return resp.Body, nil
}

// execIn runs a statement in another database, for CREATE DATABASE.
func (c *client) execIn(ctx context.Context, database, query string) error {
	body, err := c.post(ctx, url.Values{"database": {database}}, strings.NewReader(query))
	if err != nil {
		return err
	}
	return body.Close()
}
