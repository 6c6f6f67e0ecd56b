package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// flatModel is a provider and model name that the embedded price table
// knows, with a weight in the traffic mix.
type flatModel struct {
	provider, model string
	weight          int
}

var flatModels = []flatModel{
	{"anthropic", "claude-sonnet-4-5-20250929", 40},
	{"anthropic", "claude-haiku-4-5-20251001", 20},
	{"anthropic", "claude-opus-4-6", 10},
	{"openai", "gpt-4o-2024-08-06", 15},
	{"openai", "gpt-4.1-mini", 15},
}

var tiers = []string{"free", "pro", "team", "enterprise"}

// flatStart is the first request time; requests spread over 30 days.
var flatStart = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// flatRow is one request of the flat format.
type flatRow struct {
	id, time, provider, model, endpoint, tier, session string
	input, cacheRead, output                           int64
}

// writeJSONL writes requests.jsonl and requests.csv holding the same n rows
// with distinct ids, in time order.
func writeJSONL(dir string, n int64, seed uint64) (totals, error) {
	var t totals
	jf, err := os.Create(filepath.Join(dir, "requests.jsonl"))
	if err != nil {
		return t, err
	}
	defer jf.Close()
	cf, err := os.Create(filepath.Join(dir, "requests.csv"))
	if err != nil {
		return t, err
	}
	defer cf.Close()

	jw, cw := bufio.NewWriterSize(jf, 1<<20), bufio.NewWriterSize(cf, 1<<20)
	cw.WriteString("id,time,provider,model,endpoint,tier,session,input,cache_read,output\n")
	rng := rand.New(rand.NewPCG(seed, 1))
	step := 30 * 24 * time.Hour / time.Duration(n)
	var line []byte
	for i := range n {
		r := newFlatRow(rng, i, flatStart.Add(time.Duration(i)*step))
		line = appendFlatJSON(line[:0], &r)
		jw.Write(line)
		t.Bytes += int64(len(line))
		cw.Write(appendFlatCSV(line[:0], &r))
		t.add(r.input, r.cacheRead, 0, 0, r.output)
	}
	t.Lines = n
	if err := jw.Flush(); err != nil {
		return t, err
	}
	return t, cw.Flush()
}

func newFlatRow(rng *rand.Rand, i int64, at time.Time) flatRow {
	m := pickModel(rng)
	return flatRow{
		id:        fmt.Sprintf("req_%012d", i),
		time:      at.Format("2006-01-02T15:04:05.000Z"),
		provider:  m.provider,
		model:     m.model,
		endpoint:  "/v1/" + strconv.Itoa(rng.IntN(20)),
		tier:      tiers[rng.IntN(len(tiers))],
		session:   "s" + strconv.Itoa(rng.IntN(20_000)),
		input:     int64(50 + rng.IntN(4000)),
		cacheRead: int64(rng.IntN(3) * rng.IntN(30_000)),
		output:    int64(1 + rng.IntN(2000)),
	}
}

func pickModel(rng *rand.Rand) flatModel {
	w := rng.IntN(100)
	for _, m := range flatModels {
		if w < m.weight {
			return m
		}
		w -= m.weight
	}
	return flatModels[0]
}

func appendFlatJSON(b []byte, r *flatRow) []byte {
	b = append(b, `{"id":"`...)
	b = append(b, r.id...)
	b = append(b, `","time":"`...)
	b = append(b, r.time...)
	b = append(b, `","provider":"`...)
	b = append(b, r.provider...)
	b = append(b, `","model":"`...)
	b = append(b, r.model...)
	b = append(b, `","endpoint":"`...)
	b = append(b, r.endpoint...)
	b = append(b, `","tier":"`...)
	b = append(b, r.tier...)
	b = append(b, `","session":"`...)
	b = append(b, r.session...)
	b = append(b, `","input":`...)
	b = strconv.AppendInt(b, r.input, 10)
	b = append(b, `,"cache_read":`...)
	b = strconv.AppendInt(b, r.cacheRead, 10)
	b = append(b, `,"output":`...)
	b = strconv.AppendInt(b, r.output, 10)
	return append(b, "}\n"...)
}

func appendFlatCSV(b []byte, r *flatRow) []byte {
	for _, s := range []string{r.id, r.time, r.provider, r.model, r.endpoint, r.tier, r.session} {
		b = append(append(b, s...), ',')
	}
	b = strconv.AppendInt(b, r.input, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, r.cacheRead, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, r.output, 10)
	return append(b, '\n')
}

func (t *totals) add(input, cacheRead, write5m, write1h, output int64) {
	t.Requests++
	t.Input += input
	t.CacheRead += cacheRead
	t.CacheWrite5m += write5m
	t.CacheWrite1h += write1h
	t.Output += output
}
