package procid

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func requireLinux(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("process start times are read on Linux only")
	}
}

func TestCheck_SelfIsAlive(t *testing.T) {
	requireLinux(t)
	self := Self()
	require.Equal(t, os.Getpid(), self.PID)
	require.NotEmpty(t, self.Started)
	assert.Equal(t, Alive, Check(self))
	assert.Equal(t, self, Self(), "the same process always gets the same id")
}

func TestCheck_ExitedProcessIsDead(t *testing.T) {
	requireLinux(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	require.NoError(t, cmd.Run())
	// Its start token is unknown once it is gone; any token of this boot
	// and namespace will do, since the PID no longer exists (or, reused,
	// has another start).
	assert.Equal(t, Dead, Check(ID{PID: cmd.Process.Pid, Started: Self().Started}))
}

func TestCheck_ReusedPIDIsDead(t *testing.T) {
	requireLinux(t)
	self := Self()
	i := strings.LastIndexByte(self.Started, '/')
	earlier := ID{PID: self.PID, Started: self.Started[:i+1] + "1"}
	assert.Equal(t, Dead, Check(earlier), "same PID, another start time: another process")
}

func TestCheck_UnknownWhenItCannotTell(t *testing.T) {
	self := Self()
	for name, id := range map[string]ID{
		"no start token":         {PID: self.PID},
		"no PID":                 {Started: self.Started},
		"another boot":           {PID: self.PID, Started: "00000000-0000-0000-0000-000000000000/4026531836/1"},
		"token of another shape": {PID: self.PID, Started: "12345"},
	} {
		assert.Equal(t, Unknown, Check(id), name)
	}
}
