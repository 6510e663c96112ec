package auvo_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/auvosync/auvosync/auvo"
)

func FuzzCustomerUnmarshal(f *testing.F) {
	for _, seed := range []string{
		`{"id":42,"description":"T","adressComplement":"x","creationDate":"2019-04-15T15:00:00"}`,
		`{"customerId":"7","name":"N","AdressComplement":"y","latitude":"-1,5","phoneNumber":"1"}`,
		`{"email":null,"active":null,"dateLastUpdate":"2024-01-02T03:04:05Z"}`,
		`{"id":1e3,"externalId":12}`,
		`null`, `{}`, `[]`, `"x"`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		var c auvo.Customer
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			return
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("a decoded customer must encode: %v", err)
		}
		var back auvo.Customer
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if back.ID != c.ID || back.Name != c.Name || back.AddressComplement != c.AddressComplement {
			t.Fatalf("round trip changed the customer: %+v vs %+v", c, back)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, seed := range []string{"2019-04-15T15:00:00", "2019-05-08 16:15:59", "2024-01-02T03:04:05.5Z", "0001-01-01T00:00:00", "", "x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := auvo.ParseTime(s)
		if err != nil || got.IsZero() || got.Year() < 1 || got.Year() > 9999 {
			return
		}
		back, err := auvo.ParseTime(auvo.FormatTime(got))
		if err != nil {
			t.Fatalf("FormatTime(%v) does not parse: %v", got, err)
		}
		if !back.Equal(got.Truncate(time.Second)) {
			t.Fatalf("round trip %q: %v != %v", s, back, got.Truncate(time.Second))
		}
	})
}
