package contaazul_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
)

func Example() {
	// An in-memory Conta Azul: token endpoint and /v1/pessoas on one server.
	fake := contaazulfake.New(
		contaazulfake.WithCredentials("my-app", "my-secret"),
		contaazulfake.WithRefreshToken("first-refresh-token"),
	)
	fake.Seed(contaazulfake.Person{Name: "Maria Souza", Document: "12345678909", Active: true, Profiles: []string{"Cliente"}})
	fake.Seed(contaazulfake.Person{Name: "Transportes Rápidos", Document: "11222333000181", Active: true, Profiles: []string{"Transportadora"}})
	srv := httptest.NewServer(fake)
	defer srv.Close()

	// In production a durable store keeps the rotated refresh token.
	store := &contaazul.MemoryTokenStore{}
	client, err := contaazul.New(
		contaazul.WithBaseURL(srv.URL),
		contaazul.WithTokenURL(srv.URL+"/oauth2/token"),
		contaazul.WithCredentials("my-app", "my-secret"),
		contaazul.WithRefreshToken("first-refresh-token"),
		contaazul.WithTokenStore(store),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	for p, err := range client.List(ctx, contaazul.ListOptions{ChangedFrom: time.Now().Add(-24 * time.Hour)}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s (%s) %s cliente=%v\n", p.Name, p.PersonType, p.Document, p.HasProfile(contaazul.ProfileCustomer))
	}

	created, err := client.Create(ctx, contaazul.NewPerson{Name: "João Lima", Document: "987.654.321-00", Profiles: []string{"Cliente"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := client.Patch(ctx, created.ID, contaazul.PersonPatch{Email: contaazul.Ptr("joao@example.com")}); err != nil {
		fmt.Println(err)
		return
	}
	joao, err := client.Get(ctx, created.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(joao.Name, joao.Document, joao.Email, joao.Profiles)

	saved, _ := store.Load(ctx)
	fmt.Println("rotated refresh token saved:", saved.RefreshToken == fake.CurrentRefreshToken())
	// Output:
	// Maria Souza (Física) 123.456.789-09 cliente=true
	// Transportes Rápidos (Jurídica) 11.222.333/0001-81 cliente=false
	// João Lima 987.654.321-00 joao@example.com [Cliente]
	// rotated refresh token saved: true
}
