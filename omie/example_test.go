package omie_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/auvosync/auvosync/omie"
	"github.com/auvosync/auvosync/omie/omiefake"
)

func Example() {
	fake := omiefake.New()
	fake.Seed(omiefake.Cliente{RazaoSocial: "Padaria Pão Quente", CodigoClienteIntegracao: "AUVO-1", Tags: []string{"Cliente"}})
	srv := httptest.NewServer(fake)
	defer srv.Close()

	client, err := omie.New(
		omie.WithBaseURL(srv.URL+"/api/v1"),
		omie.WithCredentials(omiefake.DefaultAppKey, omiefake.DefaultAppSecret),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	// UpsertCliente is keyed by our integration code: the second call
	// changes the record the first one created.
	for _, name := range []string{"Mercado Bom Preco", "Mercado Bom Preço"} {
		if _, err := client.UpsertCliente(ctx, omie.Cliente{CodigoClienteIntegracao: "AUVO-2", RazaoSocial: name}); err != nil {
			fmt.Println(err)
			return
		}
	}
	for c, err := range client.ListarClientes(ctx, omie.ListOptions{Inativo: new(bool)}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(c.CodigoClienteIntegracao, c.RazaoSocial, c.Tags)
	}
	// Output:
	// AUVO-1 Padaria Pão Quente [Cliente]
	// AUVO-2 Mercado Bom Preço []
}
