package bling_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/bling/blingfake"
)

func Example() {
	clock := blingfake.NewClock(time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC))
	fake := blingfake.New(blingfake.WithClock(clock.Now))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	id := fake.Seed(blingfake.Contact{
		Nome: "Maria Souza", NumeroDocumento: "52998224725", Email: "maria@example.com",
		Endereco: blingfake.Endereco{Geral: blingfake.EnderecoDados{Endereco: "Rua das Flores", Numero: "100", Municipio: "Recife", UF: "PE"}},
	})

	client, err := bling.New(
		bling.WithBaseURL(srv.URL+"/Api/v3"),
		bling.WithCredentials(blingfake.DefaultClientID, blingfake.DefaultClientSecret),
		bling.WithRefreshToken(blingfake.DefaultRefreshToken),
		bling.WithClock(clock.Now),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	// Summaries of the contacts changed since the last run...
	for summary, err := range client.List(ctx, bling.ListOptions{ChangedFrom: clock.Now().Add(-time.Hour)}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(summary.Name, summary.Status, summary.Detailed)
		// ...and the detail when the flow needs e-mail and address.
		detail, err := client.Get(ctx, summary.ID)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(detail.Email, detail.Address.Endereco, detail.Address.Numero, detail.Address.Municipio)
	}

	if err := client.SetStatus(ctx, id, bling.StatusInactive); err != nil {
		fmt.Println(err)
	}
	_, err = client.Get(ctx, id+1)
	fmt.Println(errors.Is(err, bling.ErrNotFound))
	used, limit := client.Budget()
	fmt.Println(used, limit)
	// Output:
	// Maria Souza A false
	// maria@example.com Rua das Flores 100 Recife
	// true
	// 4 120000
}
