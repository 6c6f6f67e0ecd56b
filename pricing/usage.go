package pricing

// Class is a billed token class. Every token of a request sits in exactly
// one class, so a request's cost is the sum over classes of tokens × price.
type Class int

// The token classes in the order they are stored, summed and printed.
const (
	Input Class = iota
	CacheRead
	CacheWrite5m
	CacheWrite1h
	Output
	AudioIn
	AudioOut
	ImageIn
	NumClasses
)

var classNames = [NumClasses]string{
	"input", "cache_read", "cache_write_5m", "cache_write_1h",
	"output", "audio_in", "audio_out", "image_in",
}

// String returns the class name used in price files and JSON documents.
func (c Class) String() string { return classNames[c] }

// ClassByName maps a price-file or JSON name back to its class.
func ClassByName(name string) (Class, bool) {
	for i, n := range classNames {
		if n == name {
			return Class(i), true
		}
	}
	return 0, false
}

// Usage holds a request's billed token counts in exclusive buckets: no token
// is counted in two classes. Reasoning is the part of Output spent thinking,
// kept for display only. WebSearches counts billed server-side tool calls.
type Usage struct {
	Tokens      [NumClasses]int64
	Reasoning   int64
	WebSearches int64
}

// PromptTokens is every token sent to the model: the quantity long-context
// bands and minimum cacheable lengths are measured on.
func (u Usage) PromptTokens() int64 {
	t := u.Tokens
	return t[Input] + t[CacheRead] + t[CacheWrite5m] + t[CacheWrite1h] + t[AudioIn] + t[ImageIn]
}

// Total is every billed token of the request.
func (u Usage) Total() int64 {
	return u.PromptTokens() + u.Tokens[Output] + u.Tokens[AudioOut]
}

// Add adds v's counts to u.
func (u *Usage) Add(v Usage) {
	for c := range u.Tokens {
		u.Tokens[c] += v.Tokens[c]
	}
	u.Reasoning += v.Reasoning
	u.WebSearches += v.WebSearches
}
