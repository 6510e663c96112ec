package bling_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/auvosync/auvosync/bling"
	"github.com/auvosync/auvosync/bling/blingfake"
)

// BenchmarkListTenThousand pages through 10,000 contacts (100 requests)
// against the fake, without client-side rate limiting.
func BenchmarkListTenThousand(b *testing.B) {
	e := newEnv(b)
	for i := range 10_000 {
		e.fake.Seed(blingfake.Contact{Nome: fmt.Sprint(i), NumeroDocumento: fmt.Sprintf("%011d", i)})
	}
	c := e.client(b, bling.WithDailyBudget(0))
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for _, err := range c.List(context.Background(), bling.ListOptions{}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 10_000 {
			b.Fatalf("listed %d", n)
		}
	}
}
