package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Line mix of the Claude Code transcripts this follows (three real sessions
// with their subagents, 465 requests): per request about 2 assistant lines
// (snapshots of one message that repeat its usage, the last with the final
// output count), 1.3 user lines, 8 progress lines and a few file-history
// snapshots; about 17% of assistant lines are sidechain lines in subagent
// files; a mean of 20 KB per request.
const (
	projects        = 20
	sidechainShare  = 0.17 // requests written to a subagent file
	replayShare     = 0.05 // requests copied again into a compact agent's file
	toolResultShare = 0.55 // requests followed by a tool result line
	historyShare    = 0.12 // requests preceded by a file-history snapshot
)

// snapshotCounts is the distribution of assistant lines per message in the
// real transcripts: 174 of 465 messages had one line, 199 two, and so on.
var snapshotCounts = []struct{ lines, weight int }{{1, 174}, {2, 199}, {3, 58}, {4, 23}, {5, 7}, {6, 4}}

var codeModels = []string{"claude-opus-4-6", "claude-sonnet-4-5-20250929"}

const subagentModel = "claude-haiku-4-5-20251001"

var codeStart = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// sizes are the padding lengths of the text in each kind of line.
type sizes struct {
	prompt, toolResult, assistant, progress int
	progressLines                           int
}

var (
	smallSizes = sizes{prompt: 150, toolResult: 280, assistant: 110, progress: 40, progressLines: 1}
	realSizes  = sizes{prompt: 2000, toolResult: 9500, assistant: 700, progress: 500, progressLines: 8}
)

// codeGen writes one tree; sessions follow each other in time.
type codeGen struct {
	dir    string
	rng    *rand.Rand
	sz     sizes
	filler string
	t      totals
	msgSeq int64
	seed   uint64 // part of every message id, so trees of two seeds can be merged
}

// writeClaudeCode writes DIR/projects/<project>/<session>.jsonl files with
// their subagents until n distinct requests are written.
func writeClaudeCode(dir string, n int64, seed uint64, realSize bool) (totals, error) {
	g := &codeGen{dir: dir, rng: rand.New(rand.NewPCG(seed, 2)), sz: smallSizes, filler: makeFiller(), seed: seed}
	if realSize {
		g.sz = realSizes
	}
	for s := 0; g.t.Requests < n; s++ {
		count := min(int64(50+g.rng.IntN(350)), n-g.t.Requests)
		if err := g.session(s, count); err != nil {
			return g.t, err
		}
	}
	return g.t, nil
}

// session is one transcript and its subagent files.
type session struct {
	id, project, cwd string
	main, agent      *lineFile
	replays          [][]byte
	at               time.Time
	cacheRead        int64
}

func (g *codeGen) session(index int, count int64) error {
	s := &session{id: g.uuid(), project: fmt.Sprintf("proj-%02d", index%projects)}
	s.cwd = "/home/dev/projects/" + s.project
	s.at = codeStart.Add(time.Duration(g.rng.Int64N(int64(30 * 24 * time.Hour))))
	base := filepath.Join(g.dir, "projects", s.project)
	var err error
	if s.main, err = openLineFile(filepath.Join(base, s.id+".jsonl"), &g.t); err != nil {
		return err
	}
	if s.agent, err = openLineFile(filepath.Join(base, s.id, "subagents", "agent-a"+s.id[:7]+".jsonl"), &g.t); err != nil {
		return err
	}

	for range count {
		g.request(s)
	}
	return g.closeSession(s, base)
}

// closeSession writes the replayed lines to a compact agent's file, as
// Claude Code does when it summarises a conversation.
func (g *codeGen) closeSession(s *session, base string) error {
	if len(s.replays) > 0 {
		f, err := openLineFile(filepath.Join(base, s.id, "subagents", "agent-acompact-"+s.id[9:15]+".jsonl"), &g.t)
		if err != nil {
			return err
		}
		for _, l := range s.replays {
			f.write(l)
		}
		if err := f.close(); err != nil {
			return err
		}
	}
	if err := s.main.close(); err != nil {
		return err
	}
	return s.agent.close()
}

// request writes one request's lines: the prompt or tool result, progress,
// and the assistant snapshots, to the main file or a subagent's.
func (g *codeGen) request(s *session) {
	f, model, sidechain := s.main, codeModels[g.rng.IntN(100)/70], false
	if g.rng.Float64() < sidechainShare {
		f, model, sidechain = s.agent, subagentModel, true
	}
	s.at = s.at.Add(time.Duration(2+g.rng.IntN(40)) * time.Second)

	if g.rng.Float64() < historyShare {
		f.write(g.historyLine(s))
	}
	f.write(g.userLine(s, sidechain, g.sz.prompt))
	for range g.sz.progressLines {
		f.write(g.progressLine(s, sidechain))
	}

	last := g.assistant(s, f, model, sidechain)
	if g.rng.Float64() < replayShare {
		s.replays = append(s.replays, replayOf(last))
	}
	if g.rng.Float64() < toolResultShare {
		f.write(g.userLine(s, sidechain, g.sz.toolResult))
	}
}

// assistant writes the snapshots of one message and adds its final usage to
// the totals. It returns the last line.
func (g *codeGen) assistant(s *session, f *lineFile, model string, sidechain bool) []byte {
	g.msgSeq++
	u := usage{input: int64(1 + g.rng.IntN(8)), cacheRead: s.cacheRead}
	write := int64(200 + g.rng.IntN(6000))
	if model == subagentModel {
		u.write5m = write
	} else {
		u.write1h = write
	}
	s.cacheRead += write
	if s.cacheRead > 180_000 {
		s.cacheRead = 20_000
	}

	lines := g.snapshotCount()
	msgID := fmt.Sprintf("msg_01%04d%018d", g.seed%10000, g.msgSeq)
	reqID := fmt.Sprintf("req_011%04d%017d", g.seed%10000, g.msgSeq)
	var line []byte
	for i := range lines {
		u.output = int64(1 + g.rng.IntN(12))
		if i == lines-1 {
			u.output = int64(20 + g.rng.IntN(1500))
		}
		s.at = s.at.Add(time.Duration(300+g.rng.IntN(2000)) * time.Millisecond)
		line = g.assistantLine(s, sidechain, model, msgID, reqID, &u)
		f.write(line)
	}
	g.t.add(u.input, u.cacheRead, u.write5m, u.write1h, u.output)
	return line
}

func (g *codeGen) snapshotCount() int {
	w := g.rng.IntN(465)
	for _, c := range snapshotCounts {
		if w < c.weight {
			return c.lines
		}
		w -= c.weight
	}
	return 1
}

// replayOf copies a sidechain replay of a line: the same message and request
// ids with a new uuid, so it is a duplicate that readers must not count twice.
func replayOf(line []byte) []byte {
	l := strings.Replace(string(line), `"isSidechain":false`, `"isSidechain":true`, 1)
	return []byte(strings.Replace(l, `"uuid":"`, `"uuid":"r`, 1))
}

func (g *codeGen) uuid() string {
	a, b := g.rng.Uint64(), g.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", a>>32, a>>16&0xffff, a&0xfff, b>>52&0xfff, b&0xffffffffffff)
}

// text returns n bytes of JSON-safe prose from the filler.
func (g *codeGen) text(n int) string {
	n = n/2 + g.rng.IntN(n+1)
	start := g.rng.IntN(len(g.filler) - n)
	return g.filler[start : start+n]
}

func makeFiller() string {
	words := strings.Fields(`the function returns an error when the file is missing so we read the
	config first and then parse each line of the log into a request record with its usage
	tokens cache reads and writes let me check the test output and fix the failing case`)
	var b strings.Builder
	for i := 0; b.Len() < 64<<10; i++ {
		b.WriteString(words[(i*7+i/13)%len(words)])
		b.WriteByte(' ')
	}
	return b.String()
}

// lineFile is a buffered transcript file, created with its directory on
// first write so that sessions without subagent requests get no file.
type lineFile struct {
	path string
	f    *os.File
	w    *bufio.Writer
	t    *totals
}

func openLineFile(path string, t *totals) (*lineFile, error) {
	return &lineFile{path: path, t: t}, nil
}

func (l *lineFile) write(line []byte) {
	if l.f == nil {
		if err := os.MkdirAll(filepath.Dir(l.path), 0o755); err != nil {
			panic(err)
		}
		f, err := os.Create(l.path)
		if err != nil {
			panic(err)
		}
		l.f, l.w = f, bufio.NewWriterSize(f, 256<<10)
	}
	l.w.Write(line)
	l.t.Lines++
	l.t.Bytes += int64(len(line))
}

func (l *lineFile) close() error {
	if l.f == nil {
		return nil
	}
	if err := l.w.Flush(); err != nil {
		return err
	}
	return l.f.Close()
}
