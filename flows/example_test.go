package flows_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
	"github.com/auvosync/auvosync/flows"
	"github.com/auvosync/auvosync/ledger"
	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/omie/omiefake"
	"github.com/auvosync/auvosync/syncrules"
)

// Example runs Auvo → Omie once against the fakes: one customer is created
// in Omie and linked, one is skipped for want of a document.
func Example() {
	ctx := context.Background()
	auvoSrv := auvofake.New()
	omieSrv := omiefake.New()
	a, o := httptest.NewServer(auvoSrv), httptest.NewServer(omieSrv)
	defer a.Close()
	defer o.Close()
	auvoSrv.Seed(auvofake.Customer{Name: "Padaria Central", CpfCnpj: "529.982.247-25", Active: true,
		Address: "Av. Paulista, 1578, Bela Vista - São Paulo - SP"})
	auvoSrv.Seed(auvofake.Customer{Name: "Sem documento", Active: true,
		Address: "Av. Paulista, 1000, Bela Vista - São Paulo - SP"})

	dir, _ := os.MkdirTemp("", "flows-example")
	defer os.RemoveAll(dir)
	store, err := ledger.Open(ctx, filepath.Join(dir, "state.db"))
	if err != nil {
		panic(err)
	}
	defer store.Close()
	ac, _ := auvo.New(auvo.WithBaseURL(a.URL), auvo.WithCredentials(auvofake.DefaultAPIKey, auvofake.DefaultAPIToken))
	oc, _ := omie.New(omie.WithBaseURL(o.URL), omie.WithCredentials(omiefake.DefaultAppKey, omiefake.DefaultAppSecret))

	conn := &flows.Connection{
		Name: "acme", Auvo: flows.NewAuvo(ac), Omie: flows.NewOmie(oc), Ledger: store,
		Sink: flows.SinkFunc(func(r flows.Report) {
			fmt.Printf("%s %s %s %s\n", r.Flow, r.SourceID, r.Outcome, r.Rule)
		}),
	}
	sums, err := conn.Run(ctx, syncrules.AuvoToOmie)
	if err != nil {
		panic(err)
	}
	fmt.Println("completed:", sums[0].Completed(), "omie clients:", omieSrv.Len())
	// Output:
	// auvo-to-omie 1001 created R-OUT-1
	// auvo-to-omie 1002 skipped R-ELIG-2
	// completed: true omie clients: 1
}
