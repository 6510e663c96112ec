package contaazul_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/contaazul/contaazulfake"
)

// BenchmarkList10k lists 10,000 people through the fake, as the sync's
// full scan does (client throttle off: this measures our code, not Conta
// Azul's 10 requests per second).
func BenchmarkList10k(b *testing.B) {
	for _, size := range []int{100, 1000} {
		b.Run(fmt.Sprintf("page=%d", size), func(b *testing.B) {
			e := newEnv(b)
			for i := range 10_000 {
				e.fake.Seed(contaazulfake.Person{Name: fmt.Sprintf("Pessoa %05d", i), Document: fmt.Sprintf("%011d", i), Active: true, Profiles: []string{"Cliente"}})
			}
			c := e.client(b)
			b.ResetTimer()
			for b.Loop() {
				n := 0
				for _, err := range c.List(context.Background(), contaazul.ListOptions{PageSize: size}) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n != 10_000 {
					b.Fatalf("listed %d", n)
				}
			}
		})
	}
}
