// Package cmd holds costctl's commands: flag parsing, configuration and
// output. The work itself lives in pricing, analyze and simulate.
package cmd

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/costctl/costctl/analyze/store"
)

// app is the state every command shares: the streams and the one viper instance
// of the process, built by the root command.
type app struct {
	io *IO
	v  *viper.Viper

	// known maps every key a flag is bound to to its flag, to catch typos
	// and values of the wrong type in the config file.
	known map[string]*pflag.Flag
}

// Main runs costctl with args and returns the process exit code.
func Main(ctx context.Context, args []string, streams *IO) int {
	root := newRootCmd(streams)
	root.SetArgs(args)

	// A store found damaged after it opened (an insert or a query failed)
	// gets the same next step as one that failed to open.
	err := store.WithCorruptHelp(root.ExecuteContext(ctx))
	if err != nil {
		fmt.Fprintf(streams.Err, "costctl: %v\n", err)
	}
	return exitCode(err)
}

func newRootCmd(streams *IO) *cobra.Command {
	a := &app{io: streams, v: newViper(), known: map[string]*pflag.Flag{}}
	root := &cobra.Command{
		Use:           "costctl",
		Short:         "Where your LLM API money goes, and what it would cost under another setup",
		Version:       versionText(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(c *cobra.Command, _ []string) error {
			return a.loadConfig(c)
		},
	}
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return withCode(ExitUsage, err)
	})

	a.declareGlobalFlags(root)
	root.AddCommand(newIngestCmd(a), newReportCmd(a), newPricesCmd(a), newRepriceCmd(a), newCheckCmd(a), newSimulateCmd(a), newReconcileCmd(a), newVerifyCmd(a), newMigrateCmd(a))
	addExitCodes(root)
	argsAreUsage(root)
	return root
}

// declareGlobalFlags declares the flags every command takes and binds them
// to their viper keys (COSTCTL_DB, COSTCTL_PRICES, ...).
func (a *app) declareGlobalFlags(root *cobra.Command) {
	f := root.PersistentFlags()
	f.String("db", "costctl.db", "store: a SQLite file path")
	f.String("prices", "", "price file (YAML) merged over the built-in table")
	f.String("config", "", "config file (default ./costctl.yaml, then the user config dir)")
	f.BoolP("verbose", "v", false, "print diagnostics to stderr")
	for _, name := range []string{"db", "prices", "config", "verbose"} {
		_ = a.v.BindPFlag(name, f.Lookup(name))
	}
}

func newViper() *viper.Viper {
	v := viper.New()
	v.SetEnvPrefix("COSTCTL")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_", "-", "_"))
	v.AutomaticEnv()
	return v
}

// loadConfig reads the config file, if any, and sets up logging.
func (a *app) loadConfig(_ *cobra.Command) error {
	path := a.v.GetString("config")
	if path == "" {
		path = defaultConfigPath()
	}
	if path != "" {
		a.v.SetConfigFile(path)
		if err := a.v.ReadInConfig(); err != nil {
			return usageErrorf("config %s: %w", path, err)
		}
		doc, err := readConfigDoc(path)
		if err != nil {
			return err
		}
		if err := a.checkConfigKeys(path, doc); err != nil {
			return err
		}
		if err := a.normalizeConfig(path, doc); err != nil {
			return err
		}
	}

	level := slog.LevelWarn
	if a.v.GetBool("verbose") {
		level = slog.LevelDebug
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(a.io.Err, &slog.HandlerOptions{Level: level})))
	return nil
}

// defaultConfigPath is ./costctl.yaml when it exists, else the one in the
// user config dir when that exists, else "" (no config file).
func defaultConfigPath() string {
	candidates := []string{"costctl.yaml"}
	if dir, err := os.UserConfigDir(); err == nil {
		candidates = append(candidates, filepath.Join(dir, "costctl", "costctl.yaml"))
	}
	for _, p := range candidates {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// bindFlags binds each named flag of c to the key "<command>.<flag>", with
// dashes turned into underscores, so that commands sharing a flag name
// never clobber each other.
func (a *app) bindFlags(c *cobra.Command, command string, names ...string) {
	for _, name := range names {
		key := command + "." + strings.ReplaceAll(name, "-", "_")
		if err := a.v.BindPFlag(key, c.Flags().Lookup(name)); err != nil {
			panic(fmt.Sprintf("bind %s: %v", key, err)) // a programming error: the flag must exist
		}
		a.known[key] = c.Flags().Lookup(name)
	}
}

// addExitCodes lists the exit codes in the help of root and, through the
// inherited template, of every subcommand.
func addExitCodes(root *cobra.Command) {
	root.SetUsageTemplate(root.UsageTemplate() + "\n" + exitCodesHelp + "\n")
}

// argsAreUsage makes every argument error a usage error (exit 2): an
// unknown command, or the wrong number of arguments. A command that only
// groups others gets the same check, since cobra would print its help and
// exit 0 on an unknown subcommand.
func argsAreUsage(c *cobra.Command) {
	if c.HasSubCommands() && c.Args == nil {
		c.Args = unknownCommand
		c.RunE = func(c *cobra.Command, _ []string) error { return c.Help() }
	}
	if orig := c.Args; orig != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			return withCode(ExitUsage, orig(cmd, args))
		}
	}
	for _, sub := range c.Commands() {
		argsAreUsage(sub)
	}
}

// unknownCommand rejects any argument of a command that only groups
// others, suggesting the nearest command names.
func unknownCommand(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return fmt.Errorf("%s (see %s --help)", msg, c.CommandPath())
}
