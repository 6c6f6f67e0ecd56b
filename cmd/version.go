package cmd

import "runtime/debug"

// generatedBy names this build in documents, so a figure can be traced to
// the costctl that produced it.
func generatedBy() string {
	v := "(devel)"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		v = info.Main.Version
	}
	return "costctl " + v
}

// versionText returns the text --version prints: the module version, and
// for a build from a checkout the commit it was built from.
func versionText() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" {
			v += " commit " + s.Value
		}
		if s.Key == "vcs.modified" && s.Value == "true" {
			v += " with local changes"
		}
	}
	return v
}
