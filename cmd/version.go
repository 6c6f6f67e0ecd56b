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
