package flows_test

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/internal/document"
	"github.com/auvosync/auvosync/syncrules"
)

// benchSize is the number of customers per flow; AUVOSYNC_BENCH_N shrinks it
// for a quick look.
func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("AUVOSYNC_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 10000
}

// validCPF builds the i-th valid CPF (check digits computed).
func validCPF(i int) string {
	body := fmt.Sprintf("%09d", 100000000+i)
	dv, _ := document.CheckDigits(body)
	return body + dv
}

// heapPeak samples the live heap while a run goes on.
func heapPeak(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// BenchmarkSync10k syncs benchSize() new customers through each flow, then
// runs twice more: the first re-reads the overlap window (echoes), the
// second is a cycle in which nothing changed. It reports API calls per
// created record (all of them; the source listing's; the target's listings,
// which are the matching index's first full listing and its refreshes), calls of the no-change cycle,
// the flows' own time per record (user CPU minus time inside the fakes;
// system CPU apart), and the peak heap.
//
// Every request moves the fakes' clock by benchPace, Auvo's per-IP budget
// (400/min), so modification times spread as in a real backlog.
func BenchmarkSync10k(b *testing.B) {
	n := benchSize()
	for _, flow := range syncrules.AllFlows() {
		b.Run(string(flow), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				h := newHarness(b)
				seed(h, flow, n)
				h.pace(benchPace)
				runtime.GC()
				h.meter.reset()
				h.resetCalls()
				stop := make(chan struct{})
				peak := heapPeak(stop)
				b.StartTimer()
				user0, sys0 := processCPU()
				created, err := runToEnd(h, flow)
				user1, sys1 := processCPU()
				b.StopTimer()
				close(stop)
				if err != nil || created != n {
					b.Fatalf("backlog: %v, %d of %d created", err, created, n)
				}
				createCalls := h.meter.calls.Load()
				sourceLists, targetLists := h.listCalls(benchVendor(flow, true)), h.listCalls(benchVendor(flow, false))
				// The fakes run in this process: take their handler time out.
				// System time is mostly the ledger's fsyncs (durable commits).
				own := user1 - user0 - time.Duration(h.meter.serving.Load())
				sys := sys1 - sys0
				if _, err := runToEnd(h, flow); err != nil { // overlap re-read
					b.Fatal(err)
				}
				h.meter.reset()
				h.resetCalls()
				h.run(flow)
				if h.writeCalls() != 0 {
					b.Fatalf("no-change cycle wrote %d times", h.writeCalls())
				}
				b.ReportMetric(float64(createCalls)/float64(n), "calls/created")
				b.ReportMetric(float64(sourceLists)/float64(n), "source-list-calls/created")
				b.ReportMetric(float64(targetLists)/float64(n), "index-list-calls/created")
				b.ReportMetric(float64(h.meter.calls.Load()), "calls/no-change-run")
				b.ReportMetric(float64(own.Microseconds())/float64(n), "µs-user-cpu-own/record")
				b.ReportMetric(float64(sys.Microseconds())/float64(n), "µs-sys-cpu/record")
				b.ReportMetric(float64(<-peak)/(1<<20), "MB-peak-heap")
			}
		})
	}
}

// runToEnd runs flow slot after slot until its pass reads the whole
// listing (a 10k backlog outlasts one time box, R-SCHED-3), and returns how
// many records it created on the way.
func runToEnd(h *harness, flow syncrules.Flow) (created int, err error) {
	for range 1000 {
		sums := h.run(flow)
		if err := sums[0].Err; err != nil {
			return created, err
		}
		created += sums[0].Counts[syncrules.Created]
		if sums[0].Completed() {
			return created, nil
		}
	}
	return created, errors.New("the backlog did not drain in 1000 slots")
}

// benchPace is the time one request takes on the fakes' clock.
const benchPace = 150 * time.Millisecond

// benchVendor names a flow's source or target vendor as listCalls does.
func benchVendor(flow syncrules.Flow, source bool) string {
	if flow.Outbound() == source {
		return "auvo"
	}
	return string(flow.Partner())
}

// processCPU is the user and system CPU time this process has used.
func processCPU() (user, sys time.Duration) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}

func seed(h *harness, flow syncrules.Flow, n int) {
	var wg sync.WaitGroup
	var next atomic.Int64
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				doc := validCPF(i)
				name := fmt.Sprintf("Cliente %05d", i)
				switch flow {
				case syncrules.AuvoToOmie, syncrules.AuvoToContaAzul:
					h.auvo.Seed(auvoCustomer(name, doc))
				case syncrules.OmieToAuvo:
					h.omie.Seed(omieCliente(name, doc))
				case syncrules.ContaAzulToAuvo:
					h.ca.Seed(caPerson(name, doc, "Cliente"))
				case syncrules.BlingToAuvo:
					h.bling.Seed(blingContact(name, doc))
				}
			}
		}()
	}
	wg.Wait()
	_ = auvofake.Customer{}
}
