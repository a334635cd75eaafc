package api_test

import (
	"slices"
	"strconv"
	"testing"
)

func TestWebhooks(t *testing.T) {
	e := newEnv(t)
	var created struct {
		ID     int64    `json:"id"`
		Secret string   `json:"secret"`
		Events []string `json:"events"`
	}
	e.call("POST", "/api/v1/webhooks", map[string]any{"url": "https://hooks.example.org/folio",
		"events": []string{"article.published", "article.deleted"}}, 201, &created)
	if created.ID == 0 || len(created.Secret) < 20 || len(created.Events) != 2 {
		t.Fatalf("created %+v", created)
	}
	res := e.request("POST", "/api/v1/webhooks", map[string]any{"url": "https://hooks.example.org/x", "events": []string{"article.exploded"}})
	if body := e.wantError(res, 422, "invalid"); body.Error.Fields["events"] == "" {
		t.Errorf("unknown event: %+v", body)
	}
	var list struct {
		Data []map[string]any `json:"data"`
	}
	e.call("GET", "/api/v1/webhooks", nil, 200, &list)
	if len(list.Data) != 1 || list.Data[0]["secret"] != nil {
		t.Errorf("list %+v (the secret must not be listed)", list.Data)
	}
	e.call("DELETE", "/api/v1/webhooks/"+strconv.FormatInt(created.ID, 10), nil, 204, nil)
	e.wantError(e.request("DELETE", "/api/v1/webhooks/"+strconv.FormatInt(created.ID, 10), nil), 404, "not_found")
}

// TestWebhooks_EventsDocumented: the OpenAPI document lists every event a
// webhook may subscribe to, comment and member events too, and the API
// accepts each.
func TestWebhooks_EventsDocumented(t *testing.T) {
	e := newEnv(t)
	var doc any
	e.call("GET", "/api/v1/openapi.json", nil, 200, &doc)
	var enums [][]any
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if en, ok := x["enum"].([]any); ok && slices.Contains(en, any("article.published")) {
				enums = append(enums, en)
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(doc)
	if len(enums) == 0 {
		t.Fatal("no enum of webhook events in the OpenAPI document")
	}
	for _, ev := range []string{"comment.approved", "comment.deleted", "member.deleted"} {
		if !slices.Contains(enums[0], any(ev)) {
			t.Errorf("the documented events %v lack %s", enums[0], ev)
		}
	}
	var events []string
	for _, ev := range enums[0] {
		events = append(events, ev.(string))
	}
	var created struct {
		Events []string `json:"events"`
	}
	e.call("POST", "/api/v1/webhooks", map[string]any{"url": "https://hooks.example.org/all", "events": events}, 201, &created)
	if len(created.Events) != len(events) {
		t.Errorf("subscribed to %v, want %v", created.Events, events)
	}
}
