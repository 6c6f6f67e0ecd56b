package html_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/costctl/costctl/cmd"
	"github.com/costctl/costctl/cmd/render/html"
	"github.com/costctl/costctl/simulate"
)

// chromium finds Debian's Chromium. Without it the browser test skips,
// unless COSTCTL_REQUIRE_BROWSER=1 makes it mandatory (as CI does).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("COSTCTL_REQUIRE_BROWSER") == "1" {
		t.Fatal("COSTCTL_REQUIRE_BROWSER=1 but no chromium on PATH; install it with: apt-get install -y chromium")
	}
	t.Skip("skipping the browser test: no chromium on PATH (apt-get install -y chromium, or set COSTCTL_REQUIRE_BROWSER=1 to make this test mandatory)")
	return ""
}

// costctl runs the command line in-process and fails the test on a
// non-zero exit.
func costctl(t *testing.T, args ...string) string {
	t.Helper()
	streams, out, errb := cmd.TestIO("")
	if code := cmd.Main(context.Background(), args, streams); code != 0 {
		t.Fatalf("costctl %s: exit %d\n%s", strings.Join(args, " "), code, errb)
	}
	return out.String()
}

// samplePages writes the report and simulate pages of the bundled sample.
func samplePages(t *testing.T, dir string) (report, sim string) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "sample.db")
	costctl(t, "--db", db, "ingest", filepath.Join(root, "testdata", "sample"))

	report = filepath.Join(dir, "report.html")
	costctl(t, "--db", db, "report", "--format", "html", "--tz", "Europe/London", "-o", report)

	doc := costctl(t, "--db", db, "simulate", "--by", "endpoint", "--format", "json", "--policy", filepath.Join(root, "testdata", "policies", "production-stack.yaml"))
	var s simulate.Simulation
	if err := json.Unmarshal([]byte(doc), &s); err != nil {
		t.Fatalf("simulation JSON: %v", err)
	}
	// Show the policy as a user at the repository root names it, so that
	// screenshots do not carry this machine's paths.
	s.Policy.File = "testdata/policies/production-stack.yaml"
	var b bytes.Buffer
	if err := html.Simulation(&b, &s); err != nil {
		t.Fatal(err)
	}
	sim = filepath.Join(dir, "simulation.html")
	if err := os.WriteFile(sim, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return report, sim
}

// newBrowser starts headless Chromium with its networking cut off: every
// host name fails to resolve and any connection would go to a closed port.
func newBrowser(t *testing.T, exe string) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		chromedp.Flag("proxy-server", "127.0.0.1:9"),
		chromedp.Flag("allow-file-access-from-files", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return ctx
}

// chartState is what the page reports of one figure.chart element.
type chartState struct {
	Name   string  `json:"name"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	Marks  int     `json:"marks"`
	Texts  int     `json:"texts"`
}

// chartsJS measures every chart. A data mark is a path drawn in a colour:
// gonum/plot draws axes and ticks in black (#000000) and the grid in grey
// (#808080), so an empty chart has no marks.
const chartsJS = `const isMark = p => ((p.getAttribute("style") || "").match(/#[0-9A-F]{6}/gi) || [])
	.some(c => !["#000000", "#808080"].includes(c.toUpperCase()));
[...document.querySelectorAll("figure.chart")].map(f => {
	const svg = f.querySelector("svg"), r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
	return {name: f.dataset.chart, width: r.width, height: r.height,
		marks: [...f.querySelectorAll("svg path")].filter(isMark).length, texts: f.querySelectorAll("svg text").length};
})`

// loadMillisJS is the time from navigation start to the end of the load
// event, in milliseconds.
const loadMillisJS = `(() => { const n = performance.getEntriesByType("navigation")[0]; return n.loadEventEnd - n.startTime; })()`

func TestPagesInBrowser(t *testing.T) {
	exe := chromium(t)
	dir := t.TempDir()
	report, sim := samplePages(t, dir)
	ctx := newBrowser(t, exe)

	cases := []struct {
		file   string
		charts []string
	}{
		{report, []string{"cost-over-time", "cost-by-hour", "top-endpoints", "tiers", "model-mix", "cache-hit-ratio"}},
		{sim, []string{"savings-waterfall", "before-after"}},
	}
	// COSTCTL_BROWSER_PAGE adds a report page made elsewhere, such as one
	// of a large store, to measure its load time with the same checks.
	if extra := os.Getenv("COSTCTL_BROWSER_PAGE"); extra != "" {
		cases = append(cases, struct {
			file   string
			charts []string
		}{extra, cases[0].charts})
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			checkPage(t, ctx, c.file, c.charts)
		})
	}
}

func checkPage(t *testing.T, ctx context.Context, file string, want []string) {
	pageURL := "file://" + file
	var mu sync.Mutex
	var requests []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
		t.Fatal(err)
	}

	charts, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartState](chartsJS))
	if err != nil {
		t.Fatal(err)
	}
	checkCharts(t, charts, want)

	loadMS, err := chromedp.Run(ctx, chromedp.Evaluate[float64](loadMillisJS))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: loaded in %.0f ms", filepath.Base(file), loadMS)
	if loadMS > 1000 {
		t.Errorf("page took %.0f ms to load, want under 1000", loadMS)
	}

	name := strings.TrimSuffix(filepath.Base(file), ".html")
	saveScreenshot(t, ctx, name+".png")
	checkColorSchemes(t, ctx, name)

	mu.Lock()
	defer mu.Unlock()
	sawPage := false
	for _, u := range requests {
		sawPage = sawPage || u == pageURL
		if u != pageURL {
			t.Errorf("the page requested %s; it must load nothing besides itself", u)
		}
	}
	// The page's own load proves that requests were being recorded.
	if !sawPage {
		t.Errorf("no request for %s was recorded, so other requests would not be either", pageURL)
	}
}

// checkColorSchemes switches the page to dark mode and to print, checks
// the background each one sets, and saves a dark-mode screenshot.
func checkColorSchemes(t *testing.T, ctx context.Context, name string) {
	cases := []struct {
		media, scheme, background string
	}{
		{"screen", "dark", "rgb(21, 24, 28)"},
		{"print", "dark", "rgb(255, 255, 255)"},
		{"screen", "light", "rgb(255, 255, 255)"},
	}
	for _, c := range cases {
		params := emulation.SetEmulatedMediaParams{Media: c.media, Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: c.scheme}}}
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, params); err != nil {
			t.Fatal(err)
		}
		bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`))
		if err != nil {
			t.Fatal(err)
		}
		if bg != c.background {
			t.Errorf("%s media, %s scheme: background %s, want %s", c.media, c.scheme, bg, c.background)
		}
		if c.media == "screen" && c.scheme == "dark" {
			saveScreenshot(t, ctx, name+"-dark.png")
		}
	}
}

func checkCharts(t *testing.T, got []chartState, want []string) {
	t.Helper()
	byName := map[string]chartState{}
	for _, c := range got {
		byName[c.Name] = c
	}
	for _, name := range want {
		c, ok := byName[name]
		if !ok {
			t.Errorf("chart %s is missing", name)
			continue
		}
		if c.Width < 200 || c.Height < 80 {
			t.Errorf("chart %s is drawn %.0f×%.0f px, want at least 200×80", name, c.Width, c.Height)
		}
		if c.Marks == 0 {
			t.Errorf("chart %s has no data marks", name)
		}
		if c.Texts < 3 {
			t.Errorf("chart %s has %d text labels, want at least 3", name, c.Texts)
		}
	}
}

// saveScreenshot writes a full-page screenshot into the test's temp dir,
// and also into COSTCTL_SCREENSHOT_DIR when that is set.
func saveScreenshot(t *testing.T, ctx context.Context, name string) {
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	dirs := []string{t.TempDir()}
	if d := os.Getenv("COSTCTL_SCREENSHOT_DIR"); d != "" {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		path := filepath.Join(d, name)
		if err := os.WriteFile(path, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}
}
