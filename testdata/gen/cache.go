package main

import "time"

// Cache lifetimes. OpenAI's automatic cache is cleared after 5 to 10
// minutes of inactivity (Azure OpenAI's prompt caching page), and the
// sample takes the lower bound.
const (
	ttl5m = 5 * time.Minute
	ttl1h = time.Hour

	// openAIPrefix is the step in which OpenAI's cached_tokens grows. The
	// value follows OpenAI's description of its cache and is not checked
	// against live responses.
	openAIPrefix = 128
)

// chatState is the cache's record of one conversation: the start of its
// last turn and the length of the prefix that turn cached.
type chatState struct {
	last   time.Time
	cached int64
}

// cacheState tracks, in start order, which prefixes are warm. Prefix keys
// are (model, prefix hash): a system prompt is shared by all users.
type cacheState struct {
	prefixUse map[string]time.Time
	sessions  map[string]chatState
}

// assignCache splits each call's prompt into input and cache buckets.
// calls must be sorted by start.
func assignCache(calls []*call) {
	s := cacheState{prefixUse: map[string]time.Time{}, sessions: map[string]chatState{}}
	for _, c := range calls {
		switch c.cache {
		case cacheAnthropic:
			s.anthropicChat(c)
		case cacheOpenAI:
			s.openAIAuto(c)
		default:
			c.input = c.prompt
		}
	}
}

func (s *cacheState) warm(key string, at time.Time, ttl time.Duration) bool {
	last, ok := s.prefixUse[key]
	return ok && at.Sub(last) <= ttl
}

// openAIAuto models automatic caching: a prompt of at least 1,024 tokens
// whose static prefix was used recently reads that prefix, rounded down
// to a multiple of 128 tokens.
func (s *cacheState) openAIAuto(c *call) {
	c.input = c.prompt
	if c.prompt < c.model.minCache {
		return
	}

	key := c.model.name + "/" + c.prefixHash
	if s.warm(key, c.start, ttl5m) {
		c.cacheRead = c.prefix / openAIPrefix * openAIPrefix
		c.input -= c.cacheRead
	}
	s.prefixUse[key] = c.start
}

// anthropicChat models two cache breakpoints: one after the system prompt
// and one on the last user message. The conversation's own cache entry is
// read when the previous turn is recent enough. Otherwise the shared
// system prompt may still be warm from another user. A breakpoint whose
// prefix is shorter than the model's minimum caches nothing.
func (s *cacheState) anthropicChat(c *call) {
	ttl := ttl5m
	if c.ttl1h {
		ttl = ttl1h
	}
	// The shared system prompt is checked at 5 minutes whatever the call's
	// own lifetime, because most of its users write it with that TTL.
	key := c.model.name + "/" + c.prefixHash
	systemWarm := c.prefix >= c.model.minCache && s.warm(key, c.start, ttl5m)
	prev, seen := s.sessions[c.session]
	sessionWarm := seen && prev.cached > 0 && c.start.Sub(prev.last) <= ttl
	cacheable := c.prompt - c.tail

	var read, write int64
	switch {
	case cacheable < c.model.minCache && c.prefix >= c.model.minCache:
		read, write = splitPrefix(systemWarm, c.prefix)
	case cacheable < c.model.minCache:
		// Nothing reaches the minimum: the whole prompt is input.
	case sessionWarm:
		read, write = prev.cached, cacheable-prev.cached
	case systemWarm:
		read, write = c.prefix, cacheable-c.prefix
	default:
		write = cacheable
	}
	s.bill(c, read, write)

	if c.prefix >= c.model.minCache {
		s.prefixUse[key] = c.start
	}
	s.sessions[c.session] = chatState{last: c.start, cached: read + write}
}

// splitPrefix returns the read and write of a prefix that is warm or not.
func splitPrefix(warm bool, prefix int64) (read, write int64) {
	if warm {
		return prefix, 0
	}
	return 0, prefix
}

// bill stores the split, writing at the call's cache lifetime.
func (s *cacheState) bill(c *call, read, write int64) {
	c.cacheRead = read
	if c.ttl1h {
		c.cacheWrite1h = write
	} else {
		c.cacheWrite5m = write
	}
	c.input = c.prompt - read - write
}
