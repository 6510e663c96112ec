package auvo

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/auvosync/auvosync/internal/transport"
)

const customersPath = "/customers/"

func customerPath(id int64) string { return customersPath + strconv.FormatInt(id, 10) }

func checkID(op string, id int64) error {
	if id <= 0 {
		return errorf("%s: customer id %d must be positive", op, id)
	}
	return nil
}

// Get reads one customer. A missing customer is an error matching
// ErrNotFound.
func (c *Client) Get(ctx context.Context, id int64) (Customer, error) {
	if err := checkID("Get", id); err != nil {
		return Customer{}, err
	}
	var out Customer
	_, err := c.call(ctx, transport.Request{Method: http.MethodGet, Path: customerPath(id)}, &out)
	return out, err
}

// Create adds a customer (POST, 201) and returns it as Auvo stored it, with
// its new ID. A create is never resent after an answer that may mean it was
// applied (a 5xx, a lost connection: *NetworkError with Uncertain set): look
// the customer up by ExternalID before trying again. Rate-limit refusals are
// retried, since Auvo did not act on them.
func (c *Client) Create(ctx context.Context, cust Customer) (Customer, error) {
	if strings.TrimSpace(cust.Name) == "" {
		return Customer{}, &ValidationError{Op: "Create", Field: FieldName, Problem: "is required (customer name)"}
	}
	if err := validateCustomer("Create", cust); err != nil {
		return Customer{}, err
	}
	cust.ID = 0
	body, err := json.Marshal(cust.out(nameOnly))
	if err != nil {
		return Customer{}, errorf("Create: encoding customer: %w", err)
	}
	var out Customer
	_, err = c.call(ctx, transport.Request{Method: http.MethodPost, Path: customersPath, Body: body}, &out)
	return out, err
}

// Upsert creates or updates a customer with PUT /customers/, keyed by ID
// when it is set, otherwise by ExternalID. created reports Auvo's answer:
// 201 created, 200 updated. Keyed writes are idempotent, so Upsert is
// resent after server errors and lost connections.
func (c *Client) Upsert(ctx context.Context, cust Customer) (Customer, bool, error) {
	if strings.TrimSpace(cust.Name) == "" {
		return Customer{}, false, &ValidationError{Op: "Upsert", Field: FieldName, Problem: "is required (customer name)"}
	}
	if err := validateCustomer("Upsert", cust); err != nil {
		return Customer{}, false, err
	}
	if cust.ID < 0 {
		return Customer{}, false, errorf("Upsert: customer id %d is negative", cust.ID)
	}
	if cust.ID == 0 && strings.TrimSpace(cust.ExternalID) == "" {
		return Customer{}, false, errorf("Upsert: needs an ID or an ExternalID to key on")
	}
	body, err := json.Marshal(cust.out(nameAndDescription))
	if err != nil {
		return Customer{}, false, errorf("Upsert: encoding customer: %w", err)
	}
	var out Customer
	resp, err := c.call(ctx, transport.Request{Method: http.MethodPut, Path: customersPath, Body: body, Idempotent: true}, &out)
	if err != nil {
		return Customer{}, false, err
	}
	return out, resp.Status == http.StatusCreated, nil
}

// Patch changes chosen fields with a JSON Patch document, e.g.
// Patch(ctx, id, Replace(FieldAddress, "Rua X, 1"), Replace(FieldEmail, []string{"a@b.c"})).
// It is not resent after a server error (a remove of a list item would not
// be idempotent); rate-limit refusals are retried.
func (c *Client) Patch(ctx context.Context, id int64, ops ...PatchOp) (Customer, error) {
	if err := checkID("Patch", id); err != nil {
		return Customer{}, err
	}
	if len(ops) == 0 {
		return Customer{}, errorf("Patch: no operations")
	}
	for i, op := range ops {
		if err := op.validate(i); err != nil {
			return Customer{}, err
		}
		if err := op.validateValue(); err != nil {
			return Customer{}, err
		}
	}
	body, err := json.Marshal(ops)
	if err != nil {
		return Customer{}, errorf("Patch: encoding operations: %w", err)
	}
	var out Customer
	_, err = c.call(ctx, transport.Request{Method: http.MethodPatch, Path: customerPath(id), Body: body}, &out)
	return out, err
}

// Delete removes a customer (204). Deleting a missing customer is an error
// matching ErrNotFound.
func (c *Client) Delete(ctx context.Context, id int64) error {
	if err := checkID("Delete", id); err != nil {
		return err
	}
	_, err := c.call(ctx, transport.Request{Method: http.MethodDelete, Path: customerPath(id), Idempotent: true}, nil)
	return err
}
