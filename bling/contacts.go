package bling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// Get fetches one contact's detail (e-mail, endereco.geral, tipo,
// tiposContato). A missing id is an error matching ErrNotFound.
func (c *Client) Get(ctx context.Context, id int64) (Contact, error) {
	if id <= 0 {
		return Contact{}, fmt.Errorf("bling: contact id %d is not valid", id)
	}
	resp, err := c.do(ctx, request{method: http.MethodGet, path: contactPath(id)})
	if err != nil {
		return Contact{}, err
	}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(resp.Body, &env); err != nil || len(env.Data) == 0 || string(env.Data) == "null" {
		return Contact{}, fmt.Errorf("bling: GET /contatos/%d: response is not a {data:{...}} envelope", id)
	}
	contact, err := decodeDetail(env.Data)
	if err != nil {
		return Contact{}, fmt.Errorf("bling: GET /contatos/%d: decoding the contact: %w", id, err)
	}
	return contact, nil
}

// Create adds a contact and returns it as sent, with the ID Bling assigned
// (Bling answers only the id, and reading it back would spend the daily
// budget: Get it for what Bling fills in). Name, Status and Type are
// required (Status defaults to A when empty). A create is never resent after
// an unanswered attempt: a *NetworkError with Uncertain set means it may
// exist, so search by document or code before trying again.
func (c *Client) Create(ctx context.Context, contact Contact) (Contact, error) {
	if contact.Status == "" {
		contact.Status = StatusActive
	}
	if err := contact.checkWritable(); err != nil {
		return Contact{}, err
	}
	body, err := contact.createBody()
	if err != nil {
		return Contact{}, fmt.Errorf("bling: encoding the contact: %w", err)
	}
	resp, err := c.do(ctx, request{method: http.MethodPost, path: "/contatos", body: body})
	if err != nil {
		return Contact{}, err
	}
	var env struct {
		Data struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(resp.Body, &env); err != nil || env.Data.ID <= 0 {
		return Contact{}, errors.New("bling: POST /contatos: the answer carries no contact id; search before creating again")
	}
	// The new contact has no detail read yet; an Update of it reads first.
	contact.ID, contact.raw = env.Data.ID, nil
	return contact, nil
}

// Update writes the whole contact (PUT replaces it: the vendor package
// shape's Update). Every modelled field of
// contact is written as it is, so start from Get and change what you need.
// Fields this package does not model (vendedor, financeiro,
// endereco.cobranca, ...) are taken from the detail contact was read with;
// when contact did not come from Get (a summary or a hand-built value) the
// current detail is read first, which costs one request.
func (c *Client) Update(ctx context.Context, contact Contact) error {
	if contact.ID <= 0 {
		return fmt.Errorf("bling: contact id %d is not valid", contact.ID)
	}
	if err := contact.checkWritable(); err != nil {
		return err
	}
	base := contact.raw
	if base == nil {
		current, err := c.Get(ctx, contact.ID)
		if err != nil {
			return fmt.Errorf("bling: reading contact %d before replacing it: %w", contact.ID, err)
		}
		base = current.raw
	}
	body, err := contact.updateBody(base)
	if err != nil {
		return fmt.Errorf("bling: encoding the contact: %w", err)
	}
	_, err = c.do(ctx, request{method: http.MethodPut, path: contactPath(contact.ID), body: body, idempotent: true})
	return err
}

// Modify reads contact id, lets change edit it, and writes it back (read,
// merge, write). change returning an error stops before the write.
func (c *Client) Modify(ctx context.Context, id int64, change func(*Contact) error) error {
	contact, err := c.Get(ctx, id)
	if err != nil {
		return err
	}
	if err := change(&contact); err != nil {
		return err
	}
	contact.ID = id
	return c.Update(ctx, contact)
}

// SetStatus changes only the situacao (PATCH /contatos/{id}/situacoes).
func (c *Client) SetStatus(ctx context.Context, id int64, status string) error {
	if id <= 0 {
		return fmt.Errorf("bling: contact id %d is not valid", id)
	}
	if !validStatus(status) {
		return fmt.Errorf("bling: situacao %q must be A, I, E or S", status)
	}
	body, _ := json.Marshal(map[string]string{"situacao": status})
	_, err := c.do(ctx, request{method: http.MethodPatch, path: contactPath(id) + "/situacoes", body: body, idempotent: true})
	return err
}

func contactPath(id int64) string { return "/contatos/" + strconv.FormatInt(id, 10) }
