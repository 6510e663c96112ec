package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/auvosync/auvosync/ledger"
)

// With a PostgreSQL state the runner is one of any number of replicas
// (CONTRACTS.md §4) and the schedule is River's, not schedule's:
//
//   - Time is cut into slots of Interval aligned to the wall clock
//     (multiples of Interval since the epoch), so every replica agrees on
//     which slot it is without talking to the others.
//   - Each slot has one River job per connection, args {connection, slot},
//     unique by args: however many replicas insert it, it exists once. The
//     elected leader's periodic jobs insert them at each slot's start (one
//     periodic job per connection); every replica also inserts the slot's
//     jobs when it starts and as each slot starts, so a slot is not missed
//     while a new leader is being elected (River waits out a dead leader's
//     term, some seconds).
//   - Any replica's worker runs a job: the connection's Run, under its lease
//     (R-SCHED-2), with a deadline at the slot's end. A run still going
//     there finishes the record in hand and checkpoints; the next slot's run
//     resumes from the checkpoint. A job whose lease is held by a live run
//     (the previous slot's, finishing its record) waits for it until its own
//     slot ends, then ends as "skipped: the lease was held all slot".
//   - A job is attempted once (MaxAttempts 1): a replica killed mid-run
//     loses that run, and River's rescuer later discards its job instead of
//     running the connection a second time in the slot. The next slot's job
//     runs on any live replica; the dead run's lease is taken over at once
//     on the same host, or lasts flows.LeaseTTL (2 min) elsewhere, well
//     inside a slot.
//
// River's tables live in the state's database, in the same schema
// (search_path), migrated by rivermigrate when the runner opens the state.

// slotJobKind is the River job kind of one connection's run in one slot.
const slotJobKind = "auvosync_connection_slot"

// replicaQueue is the River queue of the slot jobs.
const replicaQueue = "auvosync"

// riverMigrateLock is the advisory lock under which replicas starting at
// once migrate River's tables one at a time.
const riverMigrateLock = 0x6175766f72697672 // "auvorivr"

// slotArgs is one connection's run in one slot.
type slotArgs struct {
	Connection string    `json:"connection"`
	Slot       time.Time `json:"slot"` // the slot's start, UTC
}

func (slotArgs) Kind() string { return slotJobKind }

func (slotArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: replicaQueue, MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// slotOf is the start of the slot t is in.
func slotOf(t time.Time, every time.Duration) time.Time { return t.UTC().Truncate(every) }

// slotSchedule fires at every slot's start.
type slotSchedule struct{ every time.Duration }

func (s slotSchedule) Next(t time.Time) time.Time { return slotOf(t, s.every).Add(s.every) }

// replicas is a Runner's part in the replicas of one PostgreSQL state.
type replicas struct {
	r      *Runner
	pool   *pgxpool.Pool
	client *river.Client[pgx.Tx]
	every  time.Duration
}

// River's timeouts for a slot of length every: a job's own deadline is
// its slot's end, JobTimeout is a backstop just past it, and a job still
// "running" a half slot later has lost its replica, so the rescuer may
// finalise it (discarded, never retried: MaxAttempts 1).
func riverTimeouts(every time.Duration) (jobTimeout, rescueAfter time.Duration) {
	return every + every/10, every + every/2
}

// openReplicas connects River to the state's database, migrates River's
// tables and builds the client; nothing runs until start.
func openReplicas(ctx context.Context, r *Runner, url string, every time.Duration) (*replicas, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("replicas: connect to %s: %w", ledger.RedactPostgresURL(url), err)
	}
	rep := &replicas{r: r, pool: pool, every: every}
	if err := rep.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &slotWorker{rep: rep}); err != nil {
		pool.Close()
		return nil, fmt.Errorf("replicas: %w", err)
	}
	var periodic []*river.PeriodicJob
	for _, c := range r.conns {
		name := c.Name()
		periodic = append(periodic, river.NewPeriodicJob(slotSchedule{every},
			func() (river.JobArgs, *river.InsertOpts) {
				return slotArgs{Connection: name, Slot: slotOf(time.Now(), every)}, nil
			},
			&river.PeriodicJobOpts{ID: "auvosync-slot-" + name, RunOnStart: true}))
	}
	jobTimeout, rescueAfter := riverTimeouts(every)
	rep.client, err = river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:               map[string]river.QueueConfig{replicaQueue: {MaxWorkers: replicaWorkers(len(r.conns), r.cfg.BudgetShare)}},
		Workers:              workers,
		PeriodicJobs:         periodic,
		JobTimeout:           jobTimeout,
		RescueStuckJobsAfter: rescueAfter,
		Logger:               r.set.logger,
	})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("replicas: %w", err)
	}
	return rep, nil
}

// migrate brings River's tables up to this River version, one replica at a
// time.
func (rep *replicas) migrate(ctx context.Context) error {
	m, err := rivermigrate.New(riverpgxv5.New(rep.pool), &rivermigrate.Config{Logger: rep.r.set.logger})
	if err != nil {
		return fmt.Errorf("replicas: River migrations: %w", err)
	}
	// Each migration is its own transaction (one of them adds an enum value,
	// which PostgreSQL will not use in the transaction that added it), so
	// the lock is a session's, held on a connection of its own.
	lock, err := rep.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("replicas: lock for River's migrations: %w", err)
	}
	defer lock.Release()
	if _, err := lock.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(riverMigrateLock)); err != nil {
		return fmt.Errorf("replicas: lock for River's migrations: %w", err)
	}
	defer func() {
		_, _ = lock.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(riverMigrateLock))
	}()
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("replicas: River migrations: %w", err)
	}
	return nil
}

// start joins the replicas: River's client (workers, and the periodic jobs
// once elected leader) and the current slot's jobs. It returns the slot.
func (rep *replicas) start(ctx context.Context) (time.Time, error) {
	if err := rep.client.Start(ctx); err != nil {
		return time.Time{}, fmt.Errorf("replicas: starting River: %w", err)
	}
	slot := slotOf(time.Now(), rep.every)
	if err := rep.insertSlot(ctx, slot); err != nil {
		rep.stop()
		return time.Time{}, err
	}
	return slot, nil
}

// insertSlot inserts slot's job of every configured connection; a job that
// exists already (the leader's, another replica's) is left as it is. One
// insert at a time: a batch would lock the jobs' unique keys in a row and
// deadlock with the leader's batch of the same jobs.
func (rep *replicas) insertSlot(ctx context.Context, slot time.Time) error {
	for _, c := range rep.r.conns {
		if _, err := rep.client.Insert(ctx, slotArgs{Connection: c.Name(), Slot: slot}, nil); err != nil {
			return fmt.Errorf("replicas: inserting the job of connection %q in slot %s: %w", c.Name(), slot.Format(time.RFC3339), err)
		}
	}
	return nil
}

// stop leaves the replicas: running jobs are cancelled, so each finishes
// the record in hand and checkpoints (a signal), and River's client ends.
func (rep *replicas) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := rep.client.StopAndCancel(ctx); err != nil {
		rep.r.set.logger.Warn("stopping River", "error", err)
	}
}

func (rep *replicas) close() { rep.pool.Close() }

// run takes part in every slot until ctx ends. Besides the leader's
// periodic jobs, each replica inserts every slot's jobs itself as the slot
// starts (the same unique jobs): when the leader dies, River elects another
// only once the dead one's leadership expires, some seconds, and a slot
// starting meanwhile still gets its jobs on time.
func (rep *replicas) run(ctx context.Context) error {
	slot, err := rep.start(ctx)
	if err != nil {
		return err
	}
	defer rep.stop()
	for {
		slot = slot.Add(rep.every)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Until(slot) + rep.every/100): // the leader first
		}
		if err := rep.insertSlot(ctx, slotOf(time.Now(), rep.every)); err != nil && ctx.Err() == nil {
			rep.r.set.logger.Warn("the leader's periodic jobs insert this slot's jobs", "error", err)
		}
	}
}

// once takes part in the current slot until every connection's job for it
// has ended, on whichever replica ran it, and returns the slot as a Cycle
// read from the state's runs: a flow that did not finish a run in the slot
// without error is a Problem. A job of a replica that died mid-run never
// ends by itself, so once waits at most until the slot's end and a grace.
func (rep *replicas) once(ctx context.Context) Cycle {
	started := rep.r.set.clock.Now()
	slot, err := rep.start(ctx)
	if err != nil {
		return Cycle{Started: started, Ended: rep.r.set.clock.Now(), Problems: []Problem{{Err: err}}}
	}
	defer rep.stop()
	_, grace := riverTimeouts(rep.every)
	deadline := slot.Add(grace)
	poll := min(max(rep.every/600, 50*time.Millisecond), time.Second)
	for {
		ended, err := rep.slotEnded(ctx, slot)
		if err != nil {
			return Cycle{Started: started, Ended: rep.r.set.clock.Now(), Problems: []Problem{{Err: err}}}
		}
		if ended || !time.Now().Before(deadline) {
			break
		}
		select {
		case <-ctx.Done():
			return Cycle{Started: started, Ended: rep.r.set.clock.Now()}
		case <-time.After(poll):
		}
	}
	c := rep.slotCycle(ctx, slot)
	c.Started = started
	c.Ended = rep.r.set.clock.Now()
	return c
}

// finalJobStates are the states of a job that will not run again.
var finalJobStates = []rivertype.JobState{rivertype.JobStateCompleted, rivertype.JobStateDiscarded, rivertype.JobStateCancelled}

// slotEnded reports whether every configured connection's job of slot is
// in a final state.
func (rep *replicas) slotEnded(ctx context.Context, slot time.Time) (bool, error) {
	res, err := rep.client.JobList(ctx, river.NewJobListParams().Kinds(slotJobKind).
		Where("args->>'slot' = @slot", river.NamedArgs{"slot": slotJSON(slot)}).First(10*max(len(rep.r.conns), 1)))
	if err != nil {
		return false, fmt.Errorf("replicas: listing the slot's jobs: %w", err)
	}
	done := map[string]bool{}
	for _, j := range res.Jobs {
		var a slotArgs
		if json.Unmarshal(j.EncodedArgs, &a) == nil && slices.Contains(finalJobStates, j.State) {
			done[a.Connection] = true
		}
	}
	for _, c := range rep.r.conns {
		if !done[c.Name()] {
			return false, nil
		}
	}
	return true, nil
}

// slotJSON is the slot as it stands in a job's args.
func slotJSON(slot time.Time) string {
	b, _ := json.Marshal(slot.UTC())
	var s string
	_ = json.Unmarshal(b, &s)
	return s
}

// slotCycle is the slot as the runs table tells it: every configured flow
// of every connection must have a run that started in the slot and
// finished without error.
func (rep *replicas) slotCycle(ctx context.Context, slot time.Time) Cycle {
	var c Cycle
	end := slot.Add(rep.every)
	for _, conn := range rep.r.conns {
		runs, err := rep.r.store.Runs(ctx, conn.Name(), 10*len(conn.cfg.Flows)+10)
		if err != nil {
			c.Problems = append(c.Problems, Problem{Connection: conn.Name(), Err: err})
			continue
		}
		for _, f := range conn.cfg.Flows {
			i := slices.IndexFunc(runs, func(run ledger.Run) bool {
				return run.Flow == string(f) && !run.DryRun && !run.StartedAt.Before(slot) && run.StartedAt.Before(end)
			})
			switch {
			case i < 0:
				c.Problems = append(c.Problems, Problem{Connection: conn.Name(), Flow: f, Err: errors.New("no run in this slot")})
			case !runs[i].Finished():
				c.Problems = append(c.Problems, Problem{Connection: conn.Name(), Flow: f, Err: errors.New("its run in this slot did not finish (its replica stopped or died)")})
			case runs[i].Error != "":
				c.Problems = append(c.Problems, Problem{Connection: conn.Name(), Flow: f, Err: errors.New(runs[i].Error)})
			}
		}
	}
	return c
}

// slotWorker runs one connection's job of one slot.
type slotWorker struct {
	river.WorkerDefaults[slotArgs]
	rep *replicas
}

func (w *slotWorker) Work(ctx context.Context, job *river.Job[slotArgs]) error {
	rep := w.rep
	i := slices.IndexFunc(rep.r.conns, func(c *Connection) bool { return c.Name() == job.Args.Connection })
	if i < 0 {
		// Replicas with different configs: another replica knows it.
		return river.JobSnooze(rep.every / 10)
	}
	conn := rep.r.conns[i]
	log := rep.r.set.logger.With("connection", conn.Name(), "slot", job.Args.Slot.Format(time.RFC3339))
	end := job.Args.Slot.Add(rep.every)
	if !time.Now().Before(end) {
		log.Info("the slot is over before its run began; the next slot runs the connection")
		return nil
	}
	// The flows' time box ends before this deadline (flows.Connection.Run),
	// so a run stops at a checkpoint near the slot's end; the deadline a
	// tenth of a slot past it only cuts a run that cannot stop.
	ctx, cancel := context.WithDeadline(ctx, end.Add(rep.every/10))
	defer cancel()
	c := runCycle(ctx, []*Connection{conn}, rep.r.set.clock)
	if len(c.Summaries) == 0 && len(c.Problems) == 1 && errors.Is(c.Problems[0].Err, context.DeadlineExceeded) {
		log.Info("another run held the connection's lease for the whole slot; this slot's run is skipped")
		return nil
	}
	rep.r.finishCycle(c)
	return nil
}

// replicaWorkers is how many connections one replica runs at once: its
// budget_share of them (rounded up), so that replicas sharing one IP also
// share the work instead of the first to fetch taking a whole slot's jobs
// (a replica killed then loses fewer connections' runs). With the default
// share of 1 it may run every connection.
func replicaWorkers(conns int, share float64) int {
	if share <= 0 || share > 1 {
		share = 1
	}
	return max(int(math.Ceil(float64(conns)*share)), 1)
}
