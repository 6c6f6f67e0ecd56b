package main

import "path/filepath"

// loggedResponse is one line of the meal-plan service's log: its own fields
// around the unmodified Chat Completions response object.
type loggedResponse struct {
	Timestamp string         `json:"timestamp"`
	Endpoint  string         `json:"endpoint"`
	Tier      string         `json:"tier"`
	User      string         `json:"user"`
	SessionID string         `json:"session_id"`
	Response  chatCompletion `json:"response"`
}

// chatCompletion has the shape of an OpenAI Chat Completions response.
// The logger replaces the message text before writing the line.
type chatCompletion struct {
	ID                string   `json:"id"`
	Object            string   `json:"object"`
	Created           int64    `json:"created"`
	Model             string   `json:"model"`
	Choices           []choice `json:"choices"`
	Usage             usage    `json:"usage"`
	ServiceTier       string   `json:"service_tier"`
	SystemFingerprint string   `json:"system_fingerprint"`
}

type choice struct {
	Index        int     `json:"index"`
	Message      message `json:"message"`
	Logprobs     *string `json:"logprobs"`
	FinishReason string  `json:"finish_reason"`
}

type message struct {
	Role        string   `json:"role"`
	Content     string   `json:"content"`
	Refusal     *string  `json:"refusal"`
	Annotations []string `json:"annotations"`
}

// usage follows OpenAI's convention: prompt_tokens includes cached_tokens
// and completion_tokens includes reasoning_tokens.
type usage struct {
	PromptTokens            int64             `json:"prompt_tokens"`
	CompletionTokens        int64             `json:"completion_tokens"`
	TotalTokens             int64             `json:"total_tokens"`
	PromptTokensDetails     promptDetails     `json:"prompt_tokens_details"`
	CompletionTokensDetails completionDetails `json:"completion_tokens_details"`
}

type promptDetails struct {
	CachedTokens int64 `json:"cached_tokens"`
	AudioTokens  int64 `json:"audio_tokens"`
}

type completionDetails struct {
	ReasoningTokens          int64 `json:"reasoning_tokens"`
	AudioTokens              int64 `json:"audio_tokens"`
	AcceptedPredictionTokens int64 `json:"accepted_prediction_tokens"`
	RejectedPredictionTokens int64 `json:"rejected_prediction_tokens"`
}

// fingerprints are per-model backend configuration ids as OpenAI reports
// them; the values are made up.
var fingerprints = map[string]string{
	gpt4oMini.name: "fp_efad92c60b",
	gpt4o.name:     "fp_a288987b44",
}

func newLoggedResponse(r *rng, c *call) loggedResponse {
	completion := chatCompletion{
		ID:      "chatcmpl-" + r.base62(29),
		Object:  "chat.completion",
		Created: c.start.Unix(),
		Model:   c.model.name,
		Choices: []choice{{
			Message:      message{Role: "assistant", Content: "[redacted]", Annotations: []string{}},
			FinishReason: c.finish,
		}},
		Usage: usage{
			PromptTokens:        c.prompt,
			CompletionTokens:    c.output,
			TotalTokens:         c.prompt + c.output,
			PromptTokensDetails: promptDetails{CachedTokens: c.cacheRead},
		},
		ServiceTier:       "default",
		SystemFingerprint: fingerprints[c.model.name],
	}
	return loggedResponse{
		Timestamp: c.start.Format(timeLayout),
		Endpoint:  c.endpoint, Tier: c.user.tier, User: c.user.id, SessionID: c.session,
		Response: completion,
	}
}

// writeOpenAIResponses writes the meal-plan service's log.
func writeOpenAIResponses(dir string, calls []*call) error {
	r := newRNG(8)
	return writeLines(filepath.Join(dir, openAIResponsesFile), func(emit func(any) error) error {
		for _, c := range calls {
			if !c.raw {
				continue
			}
			if err := emit(newLoggedResponse(r, c)); err != nil {
				return err
			}
		}
		return nil
	})
}
