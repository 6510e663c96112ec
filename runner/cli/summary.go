package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/auvosync/auvosync/runner"
	"github.com/auvosync/auvosync/syncrules"
)

var outcomeOrder = []syncrules.OutcomeKind{
	syncrules.Created, syncrules.Linked, syncrules.Updated, syncrules.Unchanged, syncrules.Skipped, syncrules.Failed,
}

// printCycle writes the human summary of one cycle: per flow a table of
// outcome counts and, when the cycle kept them, one line per record. Every
// free text goes through syncrules.Redact (R-REPORT-2).
func printCycle(w io.Writer, res runner.Cycle, dryRun bool) {
	mode := ""
	if dryRun {
		mode = " (dry run: nothing was written)"
	}
	fmt.Fprintf(w, "Cycle %d at %s took %s%s\n", res.Number, res.Started.UTC().Format(time.RFC3339),
		res.Ended.Sub(res.Started).Round(time.Millisecond), mode)
	for _, s := range res.Summaries {
		fmt.Fprintln(w)
		status := "completed"
		if s.Err != nil {
			status = "STOPPED: " + syncrules.Redact(s.Err.Error())
		} else if s.Stopped != "" { // R-SCHED-3: the next cycle resumes at the checkpoint
			status = "stopped at its " + s.Stopped + ", " + remaining(s.Remaining) + "; resumes next cycle"
		}
		fmt.Fprintf(w, "== %s · %s — %d records, %s, %s\n", s.Connection, s.Flow, s.Seen,
			s.Ended.Sub(s.Started).Round(time.Millisecond), status)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		var head, counts []string
		for _, k := range outcomeOrder {
			head = append(head, string(k))
			counts = append(counts, fmt.Sprint(s.Counts[k]))
		}
		fmt.Fprintf(tw, "   %s\t\n", strings.Join(head, "\t"))
		fmt.Fprintf(tw, "   %s\t\n", strings.Join(counts, "\t"))
		_ = tw.Flush()
		recs := res.Records[runner.FlowKey{Connection: s.Connection, Flow: s.Flow}]
		if len(recs) == 0 {
			continue
		}
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "   source\ttarget\toutcome\trule\treason")
		for _, r := range recs {
			target := r.TargetID
			if target == "" {
				target = "-"
			}
			fmt.Fprintf(tw, "   %s\t%s\t%s\t%s\t%s\n", r.SourceID, target, r.Outcome, r.Rule, oneLine(syncrules.Redact(r.Reason)))
		}
		_ = tw.Flush()
	}
	for _, p := range res.Problems {
		what := p.Connection
		if p.Flow != "" {
			what += " · " + string(p.Flow)
		}
		fmt.Fprintf(w, "\n!! %s did not run: %s\n", what, syncrules.Redact(p.Err.Error()))
	}
	fmt.Fprintln(w)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// remaining says how many records a time-boxed run left (R-SCHED-3).
func remaining(n int) string {
	if n < 0 {
		return "the vendor does not say how many left"
	}
	return fmt.Sprintf("%d left", n)
}
