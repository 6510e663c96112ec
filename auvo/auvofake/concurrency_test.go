package auvofake_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/auvosync/auvosync/auvo/auvofake"
)

// Run with -race: handlers and helpers share the store.
func TestConcurrentRequestsAndHelpers(t *testing.T) {
	h := newHarness(t)
	h.login()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 20 {
				id := h.fake.Seed(auvofake.Customer{Name: "S", ExternalID: itoa(int64(i*100 + j))})
				h.fake.Update(id, func(c *auvofake.Customer) { c.Note = "u" })
				_ = h.fake.Customers()
				_ = h.fake.Calls(auvofake.EndpointList)
			}
		})
		wg.Go(func() {
			for range 10 {
				h.do(http.MethodPut, "/customers/", `{"externalId":"P`+itoa(int64(i))+`","description":"P"}`)
				h.do(http.MethodGet, "/customers/?pageSize=50", "")
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 8*20+8, h.fake.Len())
	assert.Equal(t, 80, h.fake.Calls(auvofake.EndpointUpsert))
}
