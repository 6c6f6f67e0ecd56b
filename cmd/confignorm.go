package cmd

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// normalizeConfig makes the config file's flag settings read as the flags
// would read them. checkConfigKeys accepts a key written with dashes, as
// --help spells the flag (check: {fail-increase-pct: 5}), but viper looks
// the key up with underscores only, so the setting was silently ignored.
// Each setting is merged in again under its underscore name, as the text
// the user wrote: an unquoted date (since: 2025-09-02) otherwise reached
// viper as a YAML timestamp that no flag parser accepts. A value the flag's
// type cannot hold (top: lots) is an error naming the file and line, where
// viper would have read it as zero.
func (a *app) normalizeConfig(path string, doc *yaml.Node) error {
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}

	merged := map[string]any{}
	top := doc.Content[0].Content
	for i := 0; i+1 < len(top); i += 2 {
		section, body := normalKey(top[i].Value), top[i+1]
		if body.Kind != yaml.MappingNode || slices.Contains(configSections, section) {
			continue
		}
		out, err := a.normalizeSection(path, section, body)
		if err != nil {
			return err
		}
		merged[section] = out
	}
	if err := a.v.MergeConfigMap(merged); err != nil {
		return usageErrorf("config %s: %w", path, err)
	}
	return nil
}

// normalizeSection returns the section's flag settings under their
// underscore names, each as the text the user wrote.
func (a *app) normalizeSection(path, section string, body *yaml.Node) (map[string]any, error) {
	out := map[string]any{}
	for i := 0; i+1 < len(body.Content); i += 2 {
		name, value := normalKey(body.Content[i].Value), body.Content[i+1]
		key := section + "." + name
		flag := a.known[key]
		if flag == nil {
			continue // a nested section or an unknown key, which checkConfigKeys handles
		}
		text, err := settingText(value)
		if err != nil {
			return nil, usageErrorf("config file %s: line %d: %s: %v", path, value.Line, key, err)
		}
		if err := checkSettingType(flag, text); err != nil {
			return nil, usageErrorf("config file %s: line %d: %s %q: %v", path, value.Line, key, text, err)
		}
		out[name] = text
	}
	return out, nil
}

func normalKey(k string) string { return strings.ToLower(strings.ReplaceAll(k, "-", "_")) }

// settingText returns a config value as written, the way the flag would
// receive it on the command line: a list joined with commas.
func settingText(value *yaml.Node) (string, error) {
	switch value.Kind {
	case yaml.ScalarNode:
		return value.Value, nil
	case yaml.SequenceNode:
		parts := make([]string, len(value.Content))
		for i, item := range value.Content {
			if item.Kind != yaml.ScalarNode {
				return "", fmt.Errorf("a list of plain values is expected")
			}
			parts[i] = item.Value
		}
		return strings.Join(parts, ","), nil
	}
	return "", fmt.Errorf("a value is expected, not a section")
}

// checkSettingType rejects a value the flag's type cannot parse.
func checkSettingType(flag *pflag.Flag, text string) error {
	switch flag.Value.Type() {
	case "int", "int64":
		if _, err := strconv.ParseInt(text, 10, 64); err != nil {
			return fmt.Errorf("want a whole number")
		}
	case "float64":
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			return fmt.Errorf("want a number")
		}
	case "bool":
		if _, err := strconv.ParseBool(text); err != nil {
			return fmt.Errorf("want true or false")
		}
	case "duration":
		if _, err := time.ParseDuration(text); err != nil {
			return fmt.Errorf("want a duration such as 90s or 2h")
		}
	}
	return nil
}
