package main

import (
	"fmt"
	"time"
)

// usage is one assistant line's token counts.
type usage struct {
	input, cacheRead, write5m, write1h, output int64
}

const stamp = "2006-01-02T15:04:05.000Z"

// envelope is the start of every conversation line, before its own fields.
func (g *codeGen) envelope(s *session, sidechain bool) string {
	return fmt.Sprintf(`{"parentUuid":"%s","isSidechain":%t,"userType":"external","cwd":"%s","sessionId":"%s","version":"2.1.39","gitBranch":"main"`,
		g.uuid(), sidechain, s.cwd, s.id)
}

func (g *codeGen) userLine(s *session, sidechain bool, size int) []byte {
	return fmt.Appendf(nil, `%s,"type":"user","message":{"role":"user","content":[{"type":"text","text":"%s"}]},"uuid":"%s","timestamp":"%s"}`+"\n",
		g.envelope(s, sidechain), g.text(size), g.uuid(), s.at.Format(stamp))
}

func (g *codeGen) progressLine(s *session, sidechain bool) []byte {
	return fmt.Appendf(nil, `%s,"type":"progress","data":{"type":"hook_progress","hookEvent":"PostToolUse","command":"%s"},"toolUseID":"toolu_%s","timestamp":"%s","uuid":"%s"}`+"\n",
		g.envelope(s, sidechain), g.text(g.sz.progress), g.uuid()[:13], s.at.Add(time.Millisecond).Format(stamp), g.uuid())
}

func (g *codeGen) historyLine(s *session) []byte {
	id := g.uuid()
	return fmt.Appendf(nil, `{"type":"file-history-snapshot","messageId":"%s","snapshot":{"messageId":"%s","trackedFileBackups":{},"timestamp":"%s"},"isSnapshotUpdate":false}`+"\n",
		id, id, s.at.Format(stamp))
}

// assistantLine is one snapshot of a message; Claude Code 2.1 writes one per
// content block, each repeating the message's usage so far.
func (g *codeGen) assistantLine(s *session, sidechain bool, model, msgID, reqID string, u *usage) []byte {
	return fmt.Appendf(nil, `%s,"message":{"model":"%s","id":"%s","type":"message","role":"assistant","content":[%s],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":%d,"cache_creation_input_tokens":%d,"cache_read_input_tokens":%d,"cache_creation":{"ephemeral_5m_input_tokens":%d,"ephemeral_1h_input_tokens":%d},"output_tokens":%d,"service_tier":"standard","inference_geo":"not_available"}},"requestId":"%s","type":"assistant","uuid":"%s","timestamp":"%s"}`+"\n",
		g.envelope(s, sidechain), model, msgID, g.content(), u.input, u.write5m+u.write1h, u.cacheRead,
		u.write5m, u.write1h, u.output, reqID, g.uuid(), s.at.Format(stamp))
}

// content is one content block: text, thinking or a tool call, in the real
// transcripts' proportions (292, 52 and 567 lines).
func (g *codeGen) content() string {
	body := g.text(g.sz.assistant)
	switch w := g.rng.IntN(911); {
	case w < 292:
		return fmt.Sprintf(`{"type":"text","text":"%s"}`, body)
	case w < 344:
		return fmt.Sprintf(`{"type":"thinking","thinking":"%s","signature":"[REDACTED_SIGNATURE]"}`, body)
	default:
		return fmt.Sprintf(`{"type":"tool_use","id":"toolu_%s","name":"Bash","input":{"command":"%s"}}`, g.uuid()[:13], body)
	}
}
