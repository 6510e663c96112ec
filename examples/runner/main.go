// Command runner keeps customers in sync between Auvo and Omie, Conta Azul
// and Bling, running every configured flow every 10 minutes
// (CONTRACTS.md §3). It is a main over package
// github.com/auvosync/auvosync/runner/cli (flags, commands, output and exit
// status), itself over package runner, which does the work:
//
//	go run ./examples/runner                 # demo on in-process fakes; every 10 min
//	go run ./examples/runner -once           # demo, one cycle
//	go run ./examples/runner -config sync.yaml [-once] [-dry-run] [-report out.jsonl]
//
// plus the analyst's commands locks, release, explain, runs and backup
// (see -h). Exit status: 0 when every configured flow completed its cycle
// (or a signal stopped the runner), 1 when some flow could not run, 2 on
// bad usage or an invalid config file.
package main

import (
	"context"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/auvosync/auvosync/runner/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal the run finishes the record in hand; a
		// second one kills the process the usual way.
		<-ctx.Done()
		stop()
	}()
	var opts []cli.Option
	if len(os.Args) == 0 || os.Args[0] == "" || strings.Contains(os.Args[0], "go-build") {
		// go run built the program into a temporary directory (or the path
		// is unknown): the commands it prints to be pasted start the way
		// the analyst started it.
		opts = append(opts, cli.WithInvocation("go run ./examples/runner"))
	}
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, opts...)
	stop()
	os.Exit(code)
}
