package cli

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/internal/testkit/runnertest"
	"github.com/auvosync/auvosync/runner"
)

// CONTRACTS.md §6: the doctor checks every connection of the demo's world
// (Omie, Conta Azul and Bling), prints a table per connection with a line
// per check, or JSON with -json, masks personal data, shows no secret and
// writes nothing to any vendor.
func TestDoctorChecksEveryConnectionAndWritesNothing(t *testing.T) {
	t.Parallel()
	w := runnertest.NewWorld(t)
	before := writeCalls(w)

	res := runCLI(t, w.Vars, "doctor", "-config", w.Config)
	require.Contains(t, []int{0, 1}, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	for _, want := range []string{"Connection acme", "Connection beta", "Connection gamma", runner.ProbeAuvoLogin,
		runner.ProbeOmieWindow, runner.ProbeContaAzulWindow, runner.ProbeBlingWindow, runner.ProbeContaAzulToken,
		"First sync (dry run):", "auvo-to-omie", "Address fit for omie"} {
		assert.Contains(t, res.stdout, want)
	}

	res = runCLI(t, w.Vars, "doctor", "-config", w.Config, "-connection", "gamma", "-json")
	var d runner.Diagnosis
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &d), res.stdout)
	require.Len(t, d.Connections, 1)
	assert.Equal(t, "gamma", d.Connections[0].Connection)
	for _, c := range d.Connections[0].Checks {
		assert.NotEqual(t, runner.CheckFail, c.Status, "%s: %s", c.Name, c.Evidence)
	}
	assert.Equal(t, 0, res.code, res.stderr)

	assert.Equal(t, before, writeCalls(w), "the doctor wrote to a vendor")
	runnertest.AssertNoPersonalData(t, w.Demo, res.stdout, res.stderr)
	w.AssertNoSecrets(t, res.stdout, res.stderr)
}

func writeCalls(w *runnertest.World) map[string]int {
	n := map[string]int{"omie": w.Demo.Omie.WriteCalls(), "contaazul": w.Demo.ContaAzul.WriteCalls(), "bling": w.Demo.Bling.WriteCalls()}
	for name, a := range w.Demo.Auvo {
		n["auvo "+name] = a.WriteCalls()
	}
	return n
}

func TestDoctorUsageErrorsExitTwo(t *testing.T) {
	t.Parallel()
	w := runnertest.NewWorld(t)
	for name, args := range map[string][]string{
		"no -config":         {"doctor"},
		"unknown connection": {"doctor", "-config", w.Config, "-connection", "nope"},
		"a stray argument":   {"doctor", "-config", w.Config, "extra"},
		"no calls":           {"doctor", "-config", w.Config, "-calls", "0"},
		"an unknown flag":    {"doctor", "-bogus"},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, 2, runCLI(t, w.Vars, args...).code)
		})
	}
}
