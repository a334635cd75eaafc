package api_test

import (
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
