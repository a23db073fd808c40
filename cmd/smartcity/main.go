// Command smartcity runs the study's data, index and estimation steps from
// the shell. Each subcommand lives in a file of its own and registers itself
// in an init function; results go to stdout, progress and errors to stderr.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand: its name, a one-line summary, and the function
// that runs it on its arguments, writing results to stdout.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

// register adds a subcommand; it is called from init functions.
func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("smartcity: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// usageError marks an error in the command line itself; main exits with
// status 2 for it, and 1 for any other error.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// newFlags returns a flag set for a subcommand that reports errors instead of
// exiting, and prints its usage to stderr.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("smartcity "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses a subcommand's arguments. A bad flag becomes a
// usageError; -h passes flag.ErrHelp through; positional arguments are
// refused, since no subcommand but validate takes any.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected arguments %q", fs.Args())}
	}
	return nil
}

// requireFlags takes pairs of a flag's name and its value and fails with a
// usageError that names every required flag left empty.
func requireFlags(pairs ...string) error {
	if len(pairs)%2 != 0 {
		panic("smartcity: requireFlags takes name, value pairs")
	}
	var missing []string
	for i := 0; i < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			missing = append(missing, pairs[i])
		}
	}
	if len(missing) > 0 {
		return usageError{strings.Join(missing, ", ") + " required"}
	}
	return nil
}

// checkFormat fails with a usageError unless format is one of allowed.
func checkFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return usageError{fmt.Sprintf("unknown --format %q: want %s", format,
		strings.Join(allowed, ", "))}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: smartcity COMMAND [flags]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'smartcity COMMAND -h' for the flags of one command.")
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "smartcity: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	err := c.run(args[1:], stdout, stderr)
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "smartcity %s: %v\n", c.name, err)
	if _, ok := err.(usageError); ok {
		return 2
	}
	return 1
}
