package logs

import (
	"encoding/json"

	"github.com/costctl/costctl/analyze"
)

var claudeCodeFormat = &format{
	name:        "claude-code",
	description: "Claude Code transcripts (~/.claude/projects/**/*.jsonl): one request per assistant line with usage",
	detect:      detectClaudeCode,
	parse:       parseClaudeCode,
}

// claudeCodeLineTypes are the line types Claude Code writes to a transcript.
var claudeCodeLineTypes = map[string]bool{
	"assistant": true, "user": true, "summary": true, "progress": true,
	"file-history-snapshot": true, "system": true, "queue-operation": true,
}

func detectClaudeCode(p *probe) bool {
	typ := str(p.top, "type")
	switch {
	case !claudeCodeLineTypes[typ]:
		return false
	case typ == "file-history-snapshot":
		return has(p.top, "snapshot")
	case typ == "summary":
		return has(p.top, "leafUuid") || has(p.top, "sessionId")
	}
	return has(p.top, "sessionId", "uuid")
}

// claudeCodeSynthetic is the model Claude Code writes on messages it makes
// up itself (an API error shown in the transcript, an interrupted turn).
// No API call was made and usage is zero, so such lines are skipped.
const claudeCodeSynthetic = "<synthetic>"

type claudeCodeLine struct {
	Type      string             `json:"type"`
	Timestamp timeValue          `json:"timestamp"`
	SessionID flexString         `json:"sessionId"`
	RequestID flexString         `json:"requestId"`
	CostUSD   *float64           `json:"costUSD"`
	Message   *claudeCodeMessage `json:"message"`
}

// claudeCodeMessage is an alias, not a named type, so that a type error
// names the same struct type as it always did.
type claudeCodeMessage = struct {
	ID    flexString      `json:"id"`
	Model flexString      `json:"model"`
	Usage *anthropicUsage `json:"usage"`
}

// parseClaudeCode converts an assistant line with usage. One API response
// is written on several lines (one per content block, partial snapshots
// while streaming, sidechain replays under another requestId). Every line
// becomes a request with the message id as ID: the store keeps the most
// complete copy. Every other line is skipped.
func parseClaudeCode(data []byte) (*analyze.Request, error) {
	line, ok := scanClaudeCode(data)
	if !ok {
		line = claudeCodeLine{}
		if err := json.Unmarshal(data, &line); err != nil {
			return nil, err
		}
	}
	return claudeCodeRequest(&line)
}

func claudeCodeRequest(line *claudeCodeLine) (*analyze.Request, error) {
	msg := line.Message
	if line.Type != "assistant" || msg == nil || msg.Usage == nil || msg.Model == claudeCodeSynthetic {
		return nil, nil
	}

	t, err := line.Timestamp.check("timestamp")
	if err != nil {
		return nil, err
	}
	r := &analyze.Request{
		ID: string(msg.ID), RequestID: string(line.RequestID), Time: t,
		Provider: "anthropic", Model: string(msg.Model), Session: string(line.SessionID),
	}
	if err := msg.Usage.fill(r, "message.usage."); err != nil {
		return nil, err
	}
	// Older Claude Code versions logged costUSD, their own cost estimate.
	if line.CostUSD != nil {
		r.LoggedCostUSD, r.HasLoggedCost = *line.CostUSD, true
	}
	return r, nil
}
