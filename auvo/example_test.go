package auvo_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/auvosync/auvosync/auvo"
	"github.com/auvosync/auvosync/auvo/auvofake"
)

func Example() {
	fake := auvofake.New(auvofake.WithCredentials("my-key", "my-token"))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.Seed(auvofake.Customer{ExternalID: "OMIE:1", Name: "Padaria Pão Quente", CpfCnpj: "11222333000181", Active: true})
	fake.Seed(auvofake.Customer{Name: "Oficina do Zé", CpfCnpj: "52998224725", Active: false})

	client, err := auvo.New(auvo.WithBaseURL(srv.URL), auvo.WithCredentials("my-key", "my-token"))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	active := true
	for c, err := range client.List(ctx, auvo.ListOptions{Active: &active}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("active: %s (%s)\n", c.Name, c.ExternalID)
	}

	c, created, err := client.Upsert(ctx, auvo.Customer{
		ExternalID: "BLING:7", Name: "Mercado Bom Preço", Document: "52998224725", Active: true,
		Address: "Av. Goiás, 100, Centro - Goiânia - GO", AddressComplement: "Loja 2",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("created:", created, c.Name, "/", c.AddressComplement)

	_, created, _ = client.Upsert(ctx, auvo.Customer{ExternalID: "BLING:7", Name: "Mercado Bom Preço Ltda", Active: true})
	fmt.Println("created again:", created)
	// Output:
	// active: Padaria Pão Quente (OMIE:1)
	// created: true Mercado Bom Preço / Loja 2
	// created again: false
}
