package api

import (
	"net/http"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
)

const webhooksPath = "/api/v1/webhooks"

// Webhook subscriptions; their routes join the table at start.
func init() {
	routes = append(routes,
		route{Method: "GET", Path: webhooksPath, Handle: (*API).handleWebhooks, OpID: "listWebhooks",
			Summary: "List webhook subscriptions (secrets are not shown).", Status: 200, Resp: webhookList{}},
		route{Method: "POST", Path: webhooksPath, Handle: (*API).handleWebhookCreate, OpID: "createWebhook",
			Summary: "Subscribe a URL to events; the response carries the signing secret, once.", Body: webhookInput{},
			Status: 201, Resp: webhookCreated{}, Errors: []int{400, 413, 415, 422}},
		route{Method: "DELETE", Path: webhooksPath + "/{id}", Handle: (*API).handleWebhookDelete, OpID: "deleteWebhook",
			Summary: "Delete a webhook subscription and its delivery log.", Status: 204, Errors: []int{404}},
	)
}

type webhookInput struct {
	URL          string         `json:"url"`
	Events       []webhookEvent `json:"events"`
	AllowPrivate bool           `json:"allow_private"`
}

// webhookEvent is an event name; the schema lists content.WebhookEvents.
type webhookEvent string

type webhookList struct {
	Data []*store.Webhook `json:"data"`
}

type webhookCreated struct {
	*store.Webhook
	Secret string `json:"secret"`
}

func (a *API) syndication() (editorial.SyndicationStore, error) {
	ss, ok := a.store.(editorial.SyndicationStore)
	if !ok {
		return nil, content.Errorf(content.EINTERNAL, "this store keeps no webhooks")
	}
	return ss, nil
}

func (a *API) handleWebhooks(w http.ResponseWriter, r *http.Request) error {
	ss, err := a.syndication()
	if err != nil {
		return err
	}
	hs, err := ss.FindWebhooks(r.Context())
	if err != nil {
		return err
	}
	if hs == nil {
		hs = []*store.Webhook{}
	}
	writeJSON(w, http.StatusOK, webhookList{Data: hs})
	return nil
}

func (a *API) handleWebhookCreate(w http.ResponseWriter, r *http.Request) error {
	raw, err := a.readBody(w, r, false)
	if err != nil {
		return err
	}
	var in webhookInput
	if err := decodeInto(raw, &in); err != nil {
		return err
	}
	events := make([]string, len(in.Events))
	for i, ev := range in.Events {
		events[i] = string(ev)
	}
	h := &store.Webhook{URL: in.URL, Events: events, AllowPrivate: in.AllowPrivate, Active: true}
	if err := a.ed().CreateWebhook(r.Context(), h); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, webhookCreated{Webhook: h, Secret: h.Secret})
	return nil
}

func (a *API) handleWebhookDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "webhook")
	if err != nil {
		return err
	}
	if err := a.ed().DeleteWebhook(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
