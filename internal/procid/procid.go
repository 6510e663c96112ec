// Package procid names a process so that another process on the same
// machine can later tell whether it still runs: a process ID alone is not
// enough, since the kernel reuses IDs, so the name also carries the
// process's start time and the boot and PID namespace it was counted in.
//
// It only answers Dead when it is sure. Whatever it cannot tell (another
// operating system, another machine, a reboot, a permission problem) is
// Unknown, and a caller must treat Unknown as alive.
package procid

import "os"

// ID names one process.
type ID struct {
	PID int
	// Started is an opaque token of when and where the process started;
	// "" when this system cannot tell. Compare tokens only with Check.
	Started string
}

// Liveness is what Check knows about a process.
type Liveness int

const (
	// Unknown: it may be running; treat it as alive.
	Unknown Liveness = iota
	// Alive: the process runs (it is the same process, not a reused PID).
	Alive
	// Dead: no process with that PID and start runs on this machine.
	Dead
)

func (l Liveness) String() string {
	switch l {
	case Alive:
		return "alive"
	case Dead:
		return "dead"
	}
	return "unknown"
}

// Self names the calling process.
func Self() ID {
	pid := os.Getpid()
	return ID{PID: pid, Started: started(pid)}
}

// Check reports whether the process id names still runs. Only an id made by
// Self on this machine, in this boot and PID namespace, can be Dead or
// Alive; any other id is Unknown.
func Check(id ID) Liveness {
	if id.PID <= 0 || id.Started == "" {
		return Unknown
	}
	return check(id)
}
