package address_test

import (
	"errors"
	"fmt"

	"github.com/auvosync/auvosync/address"
)

func ExampleParse() {
	p, err := address.Parse("Av. Paulista, 1578, Bela Vista - Sao Paulo - SP, 01310200", address.Omie)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Pattern)
	fmt.Printf("%q %q %q %q %q %q\n", p.Street, p.Number, p.District, p.City, p.State, p.ZIP)

	_, err = address.Parse("Rua das Flores, 123, Centro - Campinas - RJ", address.Any)
	fmt.Println(err)
	fmt.Println(errors.Is(err, address.ErrCityNotInState))
	// Output:
	// omie-3
	// "Av. Paulista" "1578" "Bela Vista" "São Paulo" "SP" "01310-200"
	// address not in an accepted pattern: city "Campinas" is not in RJ (it is in SP)
	// true
}

func ExampleFormat() {
	line := address.Format(address.Address{
		Street: "Rua das Flores", Number: "123", Complement: "Apto 4", District: "Centro",
		City: "Campinas", State: "São Paulo", ZIP: "13010000",
	})
	fmt.Println(line)
	p, _ := address.Parse(line, address.ContaAzul)
	fmt.Println(p.Pattern, p.City, p.State)
	// Output:
	// Rua das Flores, 123 - Centro, Campinas - SP, 13010-000
	// geocoder Campinas SP
}
