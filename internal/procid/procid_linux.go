package procid

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// On Linux the token is "<boot id>/<pid namespace>/<start>": the start is
// field 22 of /proc/<pid>/stat (clock ticks since boot), which only means
// something within one boot and one PID namespace, so those come with it.

func started(pid int) string {
	space := pidSpace()
	start, _, err := stat(pid)
	if space == "" || err != nil {
		return ""
	}
	return space + "/" + start
}

func check(id ID) Liveness {
	i := strings.LastIndexByte(id.Started, '/')
	if i < 0 || id.Started[:i] != pidSpace() {
		return Unknown // another boot, machine or container: cannot tell
	}
	start := id.Started[i+1:]
	cur, state, err := stat(id.PID)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Dead
	case err != nil:
		return Unknown
	case cur != start:
		return Dead // the PID was reused by a later process
	case state == 'Z' || state == 'X':
		return Dead // exited, not yet reaped: it holds nothing any more
	}
	return Alive
}

// pidSpace names the boot and PID namespace PIDs are counted in.
func pidSpace() string {
	boot, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	ns, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(boot)) + "/" + strings.Trim(strings.TrimPrefix(ns, "pid:"), "[]")
}

// stat returns the start time (field 22) and the state (field 3) of a
// process from /proc/<pid>/stat.
func stat(pid int) (start string, state byte, err error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", 0, err
	}
	return parseStat(b)
}

var errBadStat = errors.New("procid: unreadable /proc/<pid>/stat")

// parseStat reads "pid (comm) state ppid ...": comm may hold spaces and
// parentheses, so the fields are counted from the last ')'.
func parseStat(b []byte) (start string, state byte, err error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return "", 0, errBadStat
	}
	fields := strings.Fields(string(b[i+1:]))
	// fields[0] is field 3 (state); field 22 is fields[19].
	if len(fields) < 20 || len(fields[0]) != 1 {
		return "", 0, errBadStat
	}
	if _, err := strconv.ParseUint(fields[19], 10, 64); err != nil {
		return "", 0, errBadStat
	}
	return fields[19], fields[0][0], nil
}
