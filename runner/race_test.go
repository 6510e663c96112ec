//go:build race

package runner

// raceEnabled: the race detector slows the replica processes several
// times over, so the replica test's slots are longer under it.
const raceEnabled = true
