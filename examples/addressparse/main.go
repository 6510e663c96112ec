// Command addressparse splits Auvo one-line addresses read on stdin into
// the structured fields partners expect, writing one JSON object per input
// line on stdout (CONTRACTS.md §2):
//
//	go run ./examples/addressparse [-target omie|contaazul|any] < lines.txt
//
// Exit status: 0 when all input was read (even if some lines did not
// parse), 1 when reading or writing failed, 2 on bad usage.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/auvosync/auvosync/address"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// parsedLine and failedLine fix the key order of the contract.
type parsedLine struct {
	Input      string `json:"input"`
	OK         bool   `json:"ok"`
	Pattern    string `json:"pattern"`
	Street     string `json:"street"`
	Number     string `json:"number"`
	Complement string `json:"complement"`
	District   string `json:"district"`
	City       string `json:"city"`
	State      string `json:"state"`
	ZIP        string `json:"zip"`
	Country    string `json:"country"`
}

type failedLine struct {
	Input string `json:"input"`
	OK    bool   `json:"ok"`
	Error string `json:"error"`
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("addressparse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	targetName := fs.String("target", "any", "accepted catalogue: omie, contaazul or any")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: addressparse [-target omie|contaazul|any] < lines")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "addressparse: unexpected argument %q (lines are read from stdin)\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	target, err := address.ParseTarget(*targetName)
	if err != nil {
		fmt.Fprintln(stderr, "addressparse:", err)
		return 2
	}

	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	in := bufio.NewReader(stdin)
	first := true
	for {
		line, readErr := in.ReadString('\n')
		if readErr != nil && readErr != io.EOF {
			fmt.Fprintln(stderr, "addressparse: reading stdin:", readErr)
			out.Flush()
			return 1
		}
		if line == "" && readErr == io.EOF {
			break
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if first {
			line = strings.TrimPrefix(line, "\uFEFF")
			first = false
		}
		if err := enc.Encode(result(line, target)); err != nil {
			fmt.Fprintln(stderr, "addressparse: writing stdout:", err)
			return 1
		}
		if readErr == io.EOF {
			break
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(stderr, "addressparse: writing stdout:", err)
		return 1
	}
	return 0
}

func result(line string, target address.Target) any {
	p, err := address.Parse(line, target)
	if err != nil {
		return failedLine{Input: line, OK: false, Error: err.Error()}
	}
	return parsedLine{
		Input: line, OK: true, Pattern: p.Pattern,
		Street: p.Street, Number: p.Number, Complement: p.Complement, District: p.District,
		City: p.City, State: p.State, ZIP: p.ZIP, Country: p.Country,
	}
}
