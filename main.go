// Command costctl shows where a team's LLM API money goes and what it
// would cost under another setup. See README.md.
package main

import (
	"context"
	"os"

	_ "time/tzdata" // --tz must work on machines without a zoneinfo database

	"github.com/costctl/costctl/cmd"
)

func main() {
	os.Exit(cmd.Main(context.Background(), os.Args[1:], cmd.SystemIO()))
}
