package cmd

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// configSections are the config file's own sections, each read and checked
// by the code that uses it, beside the per-command flag keys.
var configSections = []string{"db", "prices", "verbose", "hash_key", "dimensions", "adjustments", "budgets"}

// readConfigDoc parses the config file once for checkConfigKeys and
// normalizeConfig, which need its keys as written and their lines.
func readConfigDoc(path string) (*yaml.Node, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usageErrorf("config %s: %w", path, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, usageErrorf("config %s: %w", path, err)
	}
	return &doc, nil
}

// checkConfigKeys rejects a config key that no setting reads, so that a
// typo such as report.formt is an error rather than silently ignored.
func (a *app) checkConfigKeys(path string, doc *yaml.Node) error {
	var tree map[string]any
	if err := doc.Decode(&tree); err != nil {
		return usageErrorf("config %s: %w", path, err)
	}

	for _, key := range leafKeys("", tree) {
		if a.known[key] != nil || slices.Contains(configSections, strings.SplitN(key, ".", 2)[0]) {
			continue
		}
		return usageErrorf("config %s: unknown key %q; settings are the flags of each command, such as %s", path, key, a.example(key))
	}
	return nil
}

// leafKeys lists the dotted paths of a config tree down to its values.
func leafKeys(prefix string, tree map[string]any) []string {
	var out []string
	for k, v := range tree {
		key := strings.ToLower(strings.ReplaceAll(k, "-", "_"))
		if prefix != "" {
			key = prefix + "." + key
		}
		if sub, ok := v.(map[string]any); ok {
			out = append(out, leafKeys(key, sub)...)
			continue
		}
		out = append(out, key)
	}
	sort.Strings(out)
	return out
}

// example names the valid keys of key's command, or a few keys.
func (a *app) example(key string) string {
	command := strings.SplitN(key, ".", 2)[0] + "."
	var keys []string
	for k := range a.known {
		if strings.HasPrefix(k, command) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return fmt.Sprintf("report.format; sections %s", strings.Join(configSections, ", "))
	}
	return strings.Join(keys, ", ")
}
