// Package chtest starts a throwaway ClickHouse server on loopback for
// tests. Tests call Database, which skips them with a message when no
// server can be had, unless COSTCTL_REQUIRE_CLICKHOUSE=1 makes that a
// failure (as CI does once it has installed ClickHouse).
//
// COSTCTL_TEST_CLICKHOUSE=HOST:PORT uses a running server instead of
// starting one; its credentials come from COSTCTL_CLICKHOUSE_USER and
// COSTCTL_CLICKHOUSE_PASSWORD.
package chtest

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

var (
	once     sync.Once
	address  string // HOST:PORT of the HTTP interface
	startErr error
	server   *exec.Cmd
	dataDir  string
	counter  atomic.Int64
)

// Database returns the clickhouse:// address of a new, empty database on
// the test server, dropped when t ends.
func Database(t testing.TB) string {
	t.Helper()
	once.Do(start)
	if startErr != nil {
		if os.Getenv("COSTCTL_REQUIRE_CLICKHOUSE") == "1" {
			t.Fatalf("ClickHouse is required (COSTCTL_REQUIRE_CLICKHOUSE=1): %v", startErr)
		}
		t.Skipf("no ClickHouse server: %v (install clickhouse-server, or set COSTCTL_TEST_CLICKHOUSE=HOST:PORT)", startErr)
	}
	name := fmt.Sprintf("costctl_test_%d_%d", os.Getpid(), counter.Add(1))
	t.Cleanup(func() { _ = exec1(address, "DROP DATABASE IF EXISTS "+name) })
	return "clickhouse://" + address + "/" + name
}

// Stop stops the server Database started, if any. Call it from TestMain
// after m.Run.
func Stop() {
	if server != nil && server.Process != nil {
		_ = server.Process.Kill()
		_ = server.Wait()
		os.RemoveAll(dataDir)
	}
}

func start() {
	if addr := os.Getenv("COSTCTL_TEST_CLICKHOUSE"); addr != "" {
		address = addr
		startErr = waitReady(addr, 5*time.Second)
		return
	}
	bin, err := exec.LookPath("clickhouse-server")
	if err != nil {
		startErr = fmt.Errorf("clickhouse-server not found in PATH")
		return
	}
	startErr = launch(bin)
}

// launch runs the server with its own data folder and config, listening
// on loopback ports the kernel picked as free.
func launch(bin string) error {
	dir, err := os.MkdirTemp("", "costctl-clickhouse-")
	if err != nil {
		return err
	}
	dataDir = dir
	httpPort, err := freePort()
	if err != nil {
		return err
	}
	tcpPort, err := freePort()
	if err != nil {
		return err
	}
	if err := writeConfig(dir, httpPort, tcpPort); err != nil {
		return err
	}

	server = exec.Command(bin, "--config-file="+filepath.Join(dir, "config.xml"))
	server.Dir = dir
	// The server dies with the test binary even when Stop is not reached.
	server.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := server.Start(); err != nil {
		return fmt.Errorf("start clickhouse-server: %w", err)
	}
	address = fmt.Sprintf("127.0.0.1:%d", httpPort)
	if err := waitReady(address, 30*time.Second); err != nil {
		return fmt.Errorf("%w (log: %s)", err, filepath.Join(dir, "server.log"))
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitReady(addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := exec1(addr, "SELECT 1")
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// exec1 runs one statement with the credentials from the environment.
func exec1(addr, query string) error {
	_, err := query1(addr, query)
	return err
}

// query1 runs one statement and returns its output.
func query1(addr, query string) (string, error) {
	target := "http://" + addr
	if !strings.Contains(addr, "/") {
		target += "/"
	}
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(query))
	if err != nil {
		return "", err
	}
	if user := os.Getenv("COSTCTL_CLICKHOUSE_USER"); user != "" {
		req.SetBasicAuth(user, os.Getenv("COSTCTL_CLICKHOUSE_PASSWORD"))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("clickhouse %s: HTTP %d on %q: %s", addr, resp.StatusCode, query, strings.TrimSpace(string(body)))
	}
	return string(body), err
}

// ClusterName is a cluster of two shards in the config of the server that
// Database starts. Both shards are that server itself, each with its own
// default database (shardDatabases), so that a Distributed table with an
// empty database name splits its rows between two databases as it would
// between two nodes.
const ClusterName = "costctl_two_shards"

var shardDatabases = [2]string{"costctl_shard_1", "costctl_shard_2"}

// Shards returns the clickhouse:// addresses of the shard databases of
// ClusterName, created empty and dropped when t ends. It skips t when the
// server is not one Database started, because another server has no such
// cluster. Tests that call it must not run in parallel.
func Shards(t testing.TB) [2]string {
	t.Helper()
	Database(t) // starts the server, or skips
	if server == nil {
		t.Skipf("the server at %s was not started by the tests, so it has no cluster %s", address, ClusterName)
	}
	var out [2]string
	for i, name := range shardDatabases {
		for _, q := range []string{"DROP DATABASE IF EXISTS " + name, "CREATE DATABASE " + name} {
			if err := exec1(address, q); err != nil {
				t.Fatal(err)
			}
		}
		t.Cleanup(func() { _ = exec1(address, "DROP DATABASE IF EXISTS "+name) })
		out[i] = "clickhouse://" + address + "/" + name
	}
	return out
}

func writeConfig(dir string, httpPort, tcpPort int) error {
	config := fmt.Sprintf(`<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>%[1]s/server.log</log><errorlog>%[1]s/server.err.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>%[2]d</http_port>
  <tcp_port>%[3]d</tcp_port>
  <path>%[1]s/data/</path>
  <tmp_path>%[1]s/tmp/</tmp_path>
  <user_files_path>%[1]s/user_files/</user_files_path>
  <format_schema_path>%[1]s/format_schemas/</format_schema_path>
  <mark_cache_size>268435456</mark_cache_size>
  <users_config>%[1]s/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <remote_servers>
    <%[4]s>
      <shard><replica><host>127.0.0.1</host><port>%[3]d</port><default_database>%[5]s</default_database></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>%[3]d</port><default_database>%[6]s</default_database></replica></shard>
    </%[4]s>
  </remote_servers>
</yandex>
`, dir, httpPort, tcpPort, ClusterName, shardDatabases[0], shardDatabases[1])
	users := `<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
`
	if err := os.WriteFile(filepath.Join(dir, "config.xml"), []byte(config), 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "users.xml"), []byte(users), 0o600)
}

// Exec runs one statement in the database at db, a clickhouse:// address
// from Database.
func Exec(t testing.TB, db, query string) {
	t.Helper()
	Query(t, db, query)
}

// Query runs one statement in the database at db and returns its output,
// TabSeparated unless the statement names another format.
func Query(t testing.TB, db, query string) string {
	t.Helper()
	rest := strings.TrimPrefix(db, "clickhouse://")
	addr, name, _ := strings.Cut(rest, "/")
	out, err := query1(addr+"/?database="+name, query)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
