package address_test

import (
	"fmt"
	"testing"

	"github.com/auvosync/auvosync/address"
)

func TestZZ(t *testing.T) {
	p, err := address.Parse("Rua das Flores, 123, Apto\x004, Centro, SP", address.Any)
	fmt.Printf("%+v %v\n", p, err)
	p, err = address.Parse("Rua das Flores, 123, Apto 4, Centro, SP", address.Any)
	fmt.Printf("%+v %v\n", p, err)
}

func BenchmarkZZ(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		address.Parse("Rua Uruguai, Quiosque 3, Centro, Balneário Camboriú - SC, 88330-000, Brasil", address.Any)
		address.Parse("SQS 308, Bloco C, Apto 101, Asa Sul, Brasília - DF, 70355-030", address.Any)
	}
}
