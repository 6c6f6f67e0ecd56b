package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestStoreKeepsNoMessageText ingests the real Claude Code transcripts and
// searches the store file and its WAL for 200 phrases of their message
// text: text, thinking, tool inputs and tool results. The store keeps only
// usage and dimensions, so none may appear.
func TestStoreKeepsNoMessageText(t *testing.T) {
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	shared := sharedDir(root)
	transcripts := filepath.Join(shared, "real", "claude-code")
	if _, err := os.Stat(transcripts); shared == "" || err != nil {
		t.Skip("the real Claude Code transcripts are not beside the repository")
	}
	phrases := samplePhrases(t, transcripts, 200, 24)
	if len(phrases) < 200 {
		t.Fatalf("found %d distinct phrases of message text, want 200", len(phrases))
	}

	dir := t.TempDir()
	first := filepath.Join(transcripts, "projects", "spotter", "4d5611e5-241a-462a-8d15-5122611a9569.jsonl")
	if res := runBinary(t, dir, nil, "--db", "cc.db", "ingest", first); res.code != 0 {
		t.Fatalf("ingest %s: exit %d: %s", first, res.code, res.stderr)
	}

	// An open read transaction keeps SQLite from checkpointing past it, so
	// every page the next ingest writes stays in the WAL to be searched.
	reader := holdReadTransaction(t, filepath.Join(dir, "cc.db"))
	if res := runBinary(t, dir, nil, "--db", "cc.db", "ingest", transcripts); res.code != 0 {
		t.Fatalf("ingest: exit %d: %s", res.code, res.stderr)
	}
	during := storeFiles(t, dir, "cc.db")
	if len(during["cc.db-wal"]) == 0 {
		t.Error("the WAL is empty while a reader holds it, want the ingest's pages in it")
	}
	reader()
	after := storeFiles(t, dir, "cc.db")
	if got := totalsOf(t, dir, "cc.db"); got.Requests != 465 {
		t.Errorf("requests = %d, want the 465 of the transcripts' reference", got.Requests)
	}

	for when, files := range map[string]map[string][]byte{"during the ingest": during, "after it": after} {
		// A positive control: the session id is a stored dimension, so the
		// search must find it in the same bytes.
		const session = "4d5611e5-241a-462a-8d15-5122611a9569"
		if !bytes.Contains(bytes.Join(slices.Collect(maps.Values(files)), nil), []byte(session)) {
			t.Errorf("the store files %s do not contain the stored session id %s, so the search cannot be trusted", when, session)
		}
		for name, data := range files {
			for _, p := range phrases {
				if bytes.Contains(data, []byte(p)) {
					t.Errorf("%s %s contains message text %q", name, when, p)
				}
			}
		}
		t.Logf("%s: searched %v for %d phrases", when, slices.Sorted(maps.Keys(files)), len(phrases))
	}
}

// holdReadTransaction opens a read transaction on the store and returns
// the function that ends it.
func holdReadTransaction(t *testing.T, path string) func() {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := tx.QueryRow(`SELECT count(*) FROM requests`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return func() {
		tx.Rollback()
		db.Close()
	}
}

// storeFiles reads the store and every SQLite side file beside it.
func storeFiles(t *testing.T, dir, db string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		data, err := os.ReadFile(filepath.Join(dir, db+suffix))
		if err == nil {
			files[db+suffix] = data
		}
	}
	if len(files) == 0 {
		t.Fatalf("no store files for %s in %s", db, dir)
	}
	return files
}

// samplePhrases returns up to n distinct substrings of length runes taken,
// with a fixed seed, from the message text of every transcript under dir.
func samplePhrases(t *testing.T, dir string, n, length int) []string {
	t.Helper()
	var texts []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".jsonl") {
			return err
		}
		texts = append(texts, messageTexts(t, path)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	rng := rand.New(rand.NewPCG(20, 26))
	seen := map[string]bool{}
	var phrases []string
	for tries := 0; len(phrases) < n && tries < 100*n && len(texts) > 0; tries++ {
		runes := []rune(texts[rng.IntN(len(texts))])
		if len(runes) < length {
			continue
		}
		start := rng.IntN(len(runes) - length + 1)
		p := string(runes[start : start+length])
		if !seen[p] && len(strings.TrimSpace(p)) == len(p) && utf8.ValidString(p) {
			seen[p] = true
			phrases = append(phrases, p)
		}
	}
	return phrases
}

// messageTexts returns the text, thinking, tool input and tool result
// strings of one transcript.
func messageTexts(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var line struct {
			Message struct {
				Content json.RawMessage `json:"content"`
			} `json:"message"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil || line.Message.Content == nil {
			continue
		}
		var content any
		if err := json.Unmarshal(line.Message.Content, &content); err == nil {
			texts = collectStrings(content, texts)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return texts
}

// collectStrings appends every string of at least 40 bytes in v, except the
// values of "type", "id" and "tool_use_id", which name parts rather than
// hold text.
func collectStrings(v any, out []string) []string {
	switch v := v.(type) {
	case string:
		if len(v) >= 40 {
			out = append(out, v)
		}
	case []any:
		for _, e := range v {
			out = collectStrings(e, out)
		}
	case map[string]any:
		for k, e := range v {
			if k != "type" && k != "id" && k != "tool_use_id" && k != "signature" {
				out = collectStrings(e, out)
			}
		}
	}
	return out
}

// TestHashIDs ingests requests with user and customer ids using --hash-ids.
// No raw id may appear in the store files. The stored pseudonym of "Hi
// There" under a key of twenty 0x0b bytes must be the HMAC-SHA256 of RFC
// 4231's test case 1, b0344c61d8db38535ca8afceaf0bf12b..., cut to 128 bits.
func TestHashIDs(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "ids.jsonl")
	var ids []string
	var b strings.Builder
	for i := range 50 {
		user, customer := fmt.Sprintf("alice.%03d@example.org", i), fmt.Sprintf("northwind-trading-%03d", i)
		if i == 0 {
			user = "Hi There"
		}
		ids = append(ids, user, customer)
		fmt.Fprintf(&b, `{"id":"req-%d","time":"2026-01-05T10:%02d:00Z","provider":"anthropic","model":"claude-haiku-4-5","user":%q,"customer":%q,"input":10,"output":2}`+"\n",
			i, i, user, customer)
	}
	if err := os.WriteFile(input, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	key := "COSTCTL_HASH_KEY=" + strings.Repeat("\x0b", 20)
	if res := runBinary(t, dir, nil, "--db", "ids.db", "ingest", "--hash-ids", input); res.code != 2 {
		t.Errorf("--hash-ids without a key: exit %d, want 2", res.code)
	}
	if res := runBinary(t, dir, []string{key}, "--db", "ids.db", "ingest", "--hash-ids", input); res.code != 0 {
		t.Fatalf("ingest --hash-ids: exit %d: %s", res.code, res.stderr)
	}

	for name, data := range storeFiles(t, dir, "ids.db") {
		for _, id := range ids {
			if bytes.Contains(data, []byte(id)) {
				t.Errorf("%s contains the raw id %q", name, id)
			}
		}
	}
	const want = "hmac:b0344c61d8db38535ca8afceaf0bf12b"
	users := groupKeys(t, dir, "ids.db", "user")
	if len(users) != 50 {
		t.Errorf("distinct users = %d, want 50", len(users))
	}
	if !slices.Contains(users, want) {
		t.Errorf("%d users without %s among them", len(users), want)
	}

	// The same key from the config file's hash_key gives the same pseudonyms.
	config := filepath.Join(dir, "hash.yaml")
	if err := os.WriteFile(config, []byte(`hash_key: "`+strings.Repeat(`\v`, 20)+`"`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if res := runBinary(t, dir, nil, "--config", config, "--db", "config.db", "ingest", "--hash-ids", input); res.code != 0 {
		t.Fatalf("ingest --hash-ids with hash_key in the config: exit %d: %s", res.code, res.stderr)
	}
	if fromConfig := groupKeys(t, dir, "config.db", "user"); !slices.Equal(fromConfig, users) {
		t.Errorf("users with the key from the config = %v, want the same as with the key from the environment", fromConfig)
	}
}

// groupKeys returns the sorted values of one dimension in a report by it.
func groupKeys(t *testing.T, dir, db, dim string) []string {
	t.Helper()
	res := runBinary(t, dir, nil, "--db", db, "report", "--by", dim, "--format", "json")
	if res.code != 0 {
		t.Fatalf("report --by %s: exit %d: %s", dim, res.code, res.stderr)
	}
	var doc struct {
		Groups []struct {
			Key map[string]string `json:"key"`
		} `json:"groups"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, g := range doc.Groups {
		keys = append(keys, g.Key[dim])
	}
	slices.Sort(keys)
	return keys
}
