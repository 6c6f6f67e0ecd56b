package simulate

import (
	"fmt"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// leverSet marks the levers a scenario applies.
type leverSet uint8

const (
	useRoute leverSet = 1 << iota
	useCompress
	useCache
	useBatch
	useStructured
)

var leverBits = map[string]leverSet{
	LeverRoute: useRoute, LeverCompress: useCompress, LeverCache: useCache,
	LeverBatch: useBatch, LeverStructuredOutput: useStructured,
}

// defaultTTFT is the time to first token assumed when a request logs none:
// a cache entry becomes readable this long after the request that wrote it.
const defaultTTFT = 2 * time.Second

// work is one request as a scenario bills it.
type work struct {
	analyze.Request
	changed bool           // a lever changed tokens, model or tier: re-check the band
	rules   *endpointRules // the policy's settings for w's endpoint; nil until resolved
}

// endpointRules are the policy's settings for one endpoint, resolved once
// per endpoint instead of once per request and lever.
type endpointRules struct {
	compress, cache, batch bool  // the lever lists the endpoint
	prefix                 int64 // the cache lever's prefix size from the policy, 0 when none
	factor                 ratio // structured output's factor on output tokens
	hasFactor              bool
	overhead               int64 // structured output's schema tokens added to the input
}

// rulesOf returns the settings for w's endpoint.
func (e *engine) rulesOf(w *work) *endpointRules {
	if w.rules == nil {
		w.rules = e.rulesFor(w.Endpoint)
	}
	return w.rules
}

func (e *engine) rulesFor(endpoint string) *endpointRules {
	if r, ok := e.rules[endpoint]; ok {
		return r
	}
	p := e.policy
	r := &endpointRules{}
	if p.Compress != nil {
		r.compress = p.Compress.Endpoints.contains(endpoint)
	}
	if p.Cache != nil {
		r.cache = p.Cache.Endpoints.contains(endpoint)
		r.prefix, _ = lookup(p.Cache.PrefixTokens, endpoint)
	}
	if p.Batch != nil {
		r.batch = p.Batch.Endpoints.contains(endpoint)
	}
	if so := p.StructuredOutput; so != nil {
		r.factor, r.hasFactor = lookup(so.factors, endpoint)
		r.overhead, _ = lookup(so.InputOverheadTokens, endpoint)
	}
	e.rules[endpoint] = r
	return r
}

// untouched reports whether lever alone leaves a request of this endpoint
// and session as logged and keeps no state for it.
func (r *endpointRules) untouched(lever leverSet, session string) bool {
	switch lever {
	case useCompress:
		return !r.compress || session == ""
	case useCache:
		return !r.cache
	case useBatch:
		return !r.batch
	case useStructured:
		return !r.hasFactor && r.overhead <= 0
	}
	return false
}

// scenario is one replay of the traffic with some levers. Its state grows
// with conversations and cache keys, never with requests.
type scenario struct {
	levers leverSet
	cache  map[cacheKey]*cacheEntry
	convs  map[conversationKey]*conversation
	total  tally
}

func newScenario(levers leverSet) *scenario {
	return &scenario{levers: levers, cache: map[cacheKey]*cacheEntry{}, convs: map[conversationKey]*conversation{}}
}

// cacheKey identifies a cached prefix: the model, and the logged prefix
// hash or else the endpoint. Kind keeps the cache lever's keys apart from
// the keys of routed requests' logged cache tokens.
type cacheKey struct {
	modelID        string
	kind           cacheKeyKind
	value, session string
}

type cacheKeyKind uint8

const (
	keyEndpoint cacheKeyKind = iota
	keyHash
	keyRoutedHash
	keyRoutedSession
	keyRoutedEndpoint
)

// conversationKey is the (endpoint, session) that compression follows.
type conversationKey struct {
	endpoint, session string
}

type cacheEntry struct {
	lastUse     time.Time
	visibleFrom time.Time
}

// conversation is the compression state of one (endpoint, session).
type conversation struct {
	turn       int64 // turn number within the current segment, from 1
	firstIn    int64 // in_1 of the segment
	prevIn     int64
	compressed bool
	removed    int64 // H_{c+1} at the last point c that compressed
}

// leverable reports whether levers may change a request: its cost must be
// known and priced.
func leverable(r *analyze.Request) bool {
	return r.Status != analyze.StatusNoUsage && r.PriceRowID != ""
}

// inputTokens is the total input the policy rules measure: uncached input
// plus cache reads and writes.
func inputTokens(u *pricing.Usage) int64 {
	t := u.Tokens
	return t[pricing.Input] + t[pricing.CacheRead] + t[pricing.CacheWrite5m] + t[pricing.CacheWrite1h]
}

// takeTokens removes n tokens from cache reads, then cache writes (5m, then
// 1h), then uncached input, never below zero, and returns how many it took.
func takeTokens(u *pricing.Usage, n int64) int64 {
	taken := int64(0)
	for _, c := range []pricing.Class{pricing.CacheRead, pricing.CacheWrite5m, pricing.CacheWrite1h, pricing.Input} {
		d := min(n-taken, u.Tokens[c])
		u.Tokens[c] -= d
		taken += d
	}
	return taken
}

func (e *engine) route(s *scenario, w *work) {
	rule := e.matchRule(w)
	if rule == nil {
		return
	}
	moved := rule.model.ID != w.ModelID
	if moved && !e.moveModel(w, rule.model, rule.Model) {
		return
	}

	for _, c := range []pricing.Class{pricing.Input, pricing.CacheRead, pricing.CacheWrite5m, pricing.CacheWrite1h} {
		w.Tokens[c] = rule.inputRatio.apply(w.Tokens[c])
	}
	w.Tokens[pricing.Output] = rule.outputRatio.apply(w.Tokens[pricing.Output])
	w.Reasoning = min(rule.outputRatio.apply(w.Reasoning), w.Tokens[pricing.Output])
	if moved {
		s.coldCache(w)
	}
	w.changed = true
}

// Time to live of the new model's cache for routed requests: 1 hour when
// the request itself writes 1-hour entries, else the default 5 minutes.
const (
	routedTTL   = 5 * time.Minute
	routedTTL1h = time.Hour
)

// coldCache bills a routed request's logged cache reads as cache writes
// when the new model's cache has not seen the request's prefix key within
// the TTL. The reads were hits in the old model's cache, which the new
// model does not share. The key is the logged prefix hash, else the
// session, else the endpoint. So a conversation warms the new model's
// cache on its first routed turn and reads from it after that.
func (s *scenario) coldCache(w *work) {
	reads := w.Tokens[pricing.CacheRead]
	writes := w.Tokens[pricing.CacheWrite5m] + w.Tokens[pricing.CacheWrite1h]
	if reads == 0 && writes == 0 {
		return
	}

	ttl, class := routedTTL, pricing.CacheWrite5m
	if w.Tokens[pricing.CacheWrite1h] > 0 {
		ttl, class = routedTTL1h, pricing.CacheWrite1h
	}
	if s.lookupCache(routedKey(w), w, ttl) {
		return
	}
	w.Tokens[pricing.CacheRead] = 0
	w.Tokens[class] += reads
}

// routedKey is the cache key of a routed request's logged cache tokens.
// It is apart from the cache lever's keys, which cover only its prefix.
func routedKey(w *work) cacheKey {
	switch {
	case w.PrefixHash != "":
		return cacheKey{modelID: w.ModelID, kind: keyRoutedHash, value: w.PrefixHash}
	case w.Session != "":
		return cacheKey{modelID: w.ModelID, kind: keyRoutedSession, value: w.Endpoint, session: w.Session}
	default:
		return cacheKey{modelID: w.ModelID, kind: keyRoutedEndpoint, value: w.Endpoint}
	}
}

func (e *engine) matchRule(w *work) *RouteRule {
	in := inputTokens(&w.Usage)
	for i := range e.policy.Route {
		r := &e.policy.Route[i]
		m := &r.Match
		if !m.Endpoint.contains(w.Endpoint) || !m.Tier.contains(w.Tier) {
			continue
		}
		if len(m.modelIDs) > 0 && !containsString(m.modelIDs, w.ModelID) {
			continue
		}
		if (m.MinInputTokens != nil && in < *m.MinInputTokens) || (m.MaxInputTokens != nil && in > *m.MaxInputTokens) {
			continue
		}
		return r
	}
	return nil
}

// moveModel re-prices w with another model's row at w's time. Logged cache
// tokens stay in their classes (the application sends the same cache
// breakpoints), except when the prompt is below the new model's minimum
// cacheable length: then they become uncached input.
func (e *engine) moveModel(w *work, m *pricing.Model, name string) bool {
	row, ok := m.RowAt(w.Time)
	if !ok {
		e.warnf("route: model %s has no price on %s; requests of that day keep their model", m.ID, w.Time.Format(time.DateOnly))
		return false
	}
	w.Provider, w.Model, w.ModelID, w.PriceRowID = m.Provider, name, m.ID, row.ID
	if inputTokens(&w.Usage) < m.MinCacheTokens {
		cached := w.Tokens[pricing.CacheRead] + w.Tokens[pricing.CacheWrite5m] + w.Tokens[pricing.CacheWrite1h]
		w.Tokens[pricing.CacheRead], w.Tokens[pricing.CacheWrite5m], w.Tokens[pricing.CacheWrite1h] = 0, 0, 0
		w.Tokens[pricing.Input] += cached
	}
	return true
}

// compress applies the compression lever to one turn and returns the
// summariser call it triggers, if any.
func (e *engine) compress(s *scenario, w *work) (*work, error) {
	c := e.policy.Compress
	if w.Session == "" || !e.rulesOf(w).compress {
		return nil, nil
	}
	if err := refuseSampled(w, LeverCompress); err != nil {
		return nil, err
	}

	conv := s.conversation(w)
	in := inputTokens(&w.Usage)
	var summary *work
	if k := conv.turn; k > 1 && (k-1)%c.EveryTurns == 0 {
		summary = e.compressAt(conv, w, in-conv.firstIn)
	}

	if conv.compressed {
		takeTokens(&w.Usage, conv.removed)
		w.Tokens[pricing.Input] += c.SummaryTokens
		w.changed = true
	}
	return summary, nil
}

// conversation advances the (endpoint, session) state to w's turn. A turn
// whose input drops below the previous one's starts a new segment.
func (s *scenario) conversation(w *work) *conversation {
	key := conversationKey{w.Endpoint, w.Session}
	in := inputTokens(&w.Usage)
	conv, ok := s.convs[key]
	switch {
	case !ok:
		conv = &conversation{firstIn: in}
		s.convs[key] = conv
	case in < conv.prevIn:
		*conv = conversation{firstIn: in}
	}
	conv.turn++
	conv.prevIn = in
	return conv
}

// compressAt handles the point c = turn−1: history as billed so far is
// h = H − R, with R = removed − S after an earlier compression. It is
// replaced by the summary only when h > S.
func (e *engine) compressAt(conv *conversation, w *work, history int64) *work {
	c := e.policy.Compress
	billed := history
	if conv.compressed {
		billed = history - (conv.removed - c.SummaryTokens)
	}
	if billed <= c.SummaryTokens {
		return nil
	}
	conv.compressed, conv.removed = true, history
	return e.summaryCall(w, billed)
}

// summaryCall is the summariser request: uncached input h, output S, on
// the compress model at w's time, attributed to w's dimensions.
func (e *engine) summaryCall(w *work, history int64) *work {
	c := e.policy.Compress
	row, ok := c.model.RowAt(w.Time)
	if !ok {
		e.warnf("compress: model %s has no price on %s; its summaries are not in the cost", c.model.ID, w.Time.Format(time.DateOnly))
		return nil
	}
	s := &work{Request: w.Request, changed: true}
	s.Provider, s.Model, s.ModelID, s.PriceRowID = c.model.Provider, c.Model, c.model.ID, row.ID
	s.ServiceTier, s.InferenceGeo, s.Speed = "", "", ""
	s.Usage = pricing.Usage{}
	s.Tokens[pricing.Input] = history
	s.Tokens[pricing.Output] = c.SummaryTokens
	return s
}

func refuseSampled(w *work, lever string) error {
	if w.SampleRate != 0 && w.SampleRate != 1 {
		return fmt.Errorf("%s lever needs every request, but %s:%d was sampled at rate %v", lever, w.Source, w.Line, w.SampleRate)
	}
	return nil
}

// cachePrefix returns the prefix size and key the cache lever uses for w,
// or 0 when w has none.
func (e *engine) cachePrefix(w *work) (int64, cacheKey) {
	p := w.PrefixTokens
	if p <= 0 {
		p = e.rulesOf(w).prefix
	}
	key := cacheKey{modelID: w.ModelID, kind: keyEndpoint, value: w.Endpoint}
	if w.PrefixHash != "" {
		key.kind, key.value = keyHash, w.PrefixHash
	}
	return min(p, inputTokens(&w.Usage)), key
}

// cache applies the prompt-cache lever: the prefix is read when the key was
// used at most TTL ago and the last write is visible, else written.
func (e *engine) cache(s *scenario, w *work) error {
	if !e.rulesOf(w).cache {
		return nil
	}
	if err := refuseSampled(w, LeverCache); err != nil {
		return err
	}
	p, key := e.cachePrefix(w)
	if p <= 0 || !e.cacheable(w, p) {
		return nil
	}

	takeTokens(&w.Usage, p)
	if s.lookupCache(key, w, e.ttl) {
		w.Tokens[pricing.CacheRead] += p
	} else {
		w.Tokens[e.ttlClass] += p
	}
	w.changed = true
	return nil
}

// cacheable checks the model's minimum cacheable length and warns, once
// per endpoint, model and length, when the prefix is too short.
func (e *engine) cacheable(w *work, p int64) bool {
	m, ok := e.table.Model(w.ModelID)
	if !ok || p >= m.MinCacheTokens {
		return ok
	}
	e.noteShortPrefix(w, p, m.MinCacheTokens)
	return false
}

// shortPrefixKey is an endpoint and model with prefixes too short to cache.
type shortPrefixKey struct{ endpoint, model string }

// shortPrefixes is the range of prefix lengths below the model's minimum.
type shortPrefixes struct{ min, max, minCache int64 }

// noteShortPrefix records a prefix below the model's minimum cacheable
// length. One warning per endpoint and model gives the range of lengths, so
// the warnings do not grow with the number of distinct prompt sizes.
func (e *engine) noteShortPrefix(w *work, p, minCache int64) {
	k := shortPrefixKey{endpoint: w.Endpoint, model: w.ModelID}
	sp, ok := e.short[k]
	if !ok {
		e.short[k] = &shortPrefixes{min: p, max: p, minCache: minCache}
		return
	}
	sp.min, sp.max = min(sp.min, p), max(sp.max, p)
}

// warnShortPrefixes turns the recorded short prefixes into warnings.
func (e *engine) warnShortPrefixes() {
	for k, sp := range e.short {
		if sp.min == sp.max {
			e.warnf("cache: endpoint %s on %s: the prefix of %d tokens is below the model's minimum cacheable length of %d tokens, so it is not cached",
				k.endpoint, k.model, sp.min, sp.minCache)
			continue
		}
		e.warnf("cache: endpoint %s on %s: prefixes of %d to %d tokens are below the model's minimum cacheable length of %d tokens, so they are not cached",
			k.endpoint, k.model, sp.min, sp.max, sp.minCache)
	}
}

// lookupCache reports a hit and updates the key's entry. A hit needs
// start ≤ last use + TTL and start strictly after the entry became visible;
// a miss makes w the entry, visible after its time to first token.
func (s *scenario) lookupCache(key cacheKey, w *work, ttl time.Duration) bool {
	start := w.Time
	ent, ok := s.cache[key]
	if ok && !start.After(ent.lastUse.Add(ttl)) && start.After(ent.visibleFrom) {
		ent.lastUse = start
		return true
	}

	ttft := defaultTTFT
	if w.TTFTMS > 0 {
		ttft = time.Duration(w.TTFTMS) * time.Millisecond
	}
	if !ok {
		ent = &cacheEntry{}
		s.cache[key] = ent
	}
	ent.lastUse, ent.visibleFrom = start, start.Add(ttft)
	return false
}

func (e *engine) batch(w *work) {
	if !e.rulesOf(w).batch {
		return
	}
	if row, ok := e.table.Row(w.PriceRowID); ok {
		if _, listed := row.ServiceTiers["batch"]; !listed && e.firstWarning(warningKey{kind: warnNoBatchPrice, endpoint: w.Endpoint, model: w.ModelID}) {
			e.warnf("batch: %s has no batch price in the price table; endpoint %s stays at its logged prices", w.ModelID, w.Endpoint)
		}
	}
	w.ServiceTier = "batch"
	w.changed = true
}

func (e *engine) structured(w *work) {
	r := e.rulesOf(w)
	if r.hasFactor {
		w.Tokens[pricing.Output] = r.factor.apply(w.Tokens[pricing.Output])
		w.Reasoning = min(w.Reasoning, w.Tokens[pricing.Output])
		w.changed = true
	}
	if r.overhead > 0 {
		w.Tokens[pricing.Input] += r.overhead
		w.changed = true
	}
}

// pipeline lists the levers in the order they apply.
var pipeline = [...]leverSet{useRoute, useCompress, useCache, useBatch, useStructured}

// apply runs the scenario's levers on w in pipeline order and returns the
// summariser call compression added, if any.
func (e *engine) apply(s *scenario, w *work) (*work, error) {
	if !leverable(&w.Request) {
		return nil, nil
	}
	var summary *work
	for _, lever := range pipeline {
		if s.levers&lever == 0 {
			continue
		}
		_, sum, err := e.applyStep(s, lever, w)
		if err != nil {
			return nil, err
		}
		if sum != nil {
			summary = sum
		}
	}
	return summary, nil
}

// applyStep applies one lever to w, keeping the lever's state in s. It
// reports whether that lever changed w, and returns the summariser call
// compression added, if any.
func (e *engine) applyStep(s *scenario, lever leverSet, w *work) (bool, *work, error) {
	before := w.changed
	w.changed = false
	var summary *work
	var err error
	switch lever {
	case useRoute:
		e.route(s, w)
	case useCompress:
		summary, err = e.compress(s, w)
	case useCache:
		err = e.cache(s, w)
	case useBatch:
		e.batch(w)
	case useStructured:
		e.structured(w)
	}
	changed := w.changed
	w.changed = before || changed
	return changed, summary, err
}

func containsString(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// warningKey identifies a warning that the replay would otherwise format
// again for every request it applies to.
type warningKey struct {
	kind            uint8
	endpoint, model string
}

const warnNoBatchPrice uint8 = 0

// firstWarning reports whether k is new, and records it.
func (e *engine) firstWarning(k warningKey) bool {
	if e.warned[k] {
		return false
	}
	e.warned[k] = true
	return true
}

func (e *engine) warnf(format string, args ...any) {
	e.warnings[strings.TrimSpace(fmt.Sprintf(format, args...))] = true
}
