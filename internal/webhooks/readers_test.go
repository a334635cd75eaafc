package webhooks_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"encoding/json"

	"folio/internal/changes"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/jobs"
	"folio/internal/store"
	"folio/internal/store/sqlite/sqlitetest"
	"folio/internal/webhooks"
)

// bodies is a receiver that keeps every signed delivery's raw body.
type bodies struct {
	mu     sync.Mutex
	secret string
	raw    map[string][]byte // event id → body
	bad    int
}

func (b *bodies) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := webhooks.Verify(b.secret, r.Header.Get(webhooks.SignatureHeader), raw, webhooks.DefaultTolerance, time.Now()); err != nil {
		b.bad++
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	b.raw[r.Header.Get("Folio-Event-Id")] = raw
}

// TestDispatcher_CommentAndMemberEvents: moderation and membership send
// their own events, and no payload carries a member's address, name or
// words.
func TestDispatcher_CommentAndMemberEvents(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.New(t)
	q, err := jobs.Open(ctx, db.SQL(), nil, jobs.Options{PollInterval: 50 * time.Millisecond, RetryPolicy: fastRetry{}})
	if err != nil {
		t.Fatal(err)
	}
	d := node(t, db, q)
	if err := d.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	svc := editorial.New(db, editorial.OnChange(changes.New(db, slog.New(slog.DiscardHandler)).Publish))
	ed := svc.System("test")
	rc := &bodies{raw: map[string][]byte{}}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	var events []string
	for _, ev := range content.WebhookEvents {
		if strings.HasPrefix(ev, "comment.") || strings.HasPrefix(ev, "member.") {
			events = append(events, ev)
		}
	}
	h := &store.Webhook{URL: srv.URL + "/in", Active: true, AllowPrivate: true, Events: events}
	if err := ed.CreateWebhook(ctx, h); err != nil {
		t.Fatal(err)
	}
	rc.mu.Lock()
	rc.secret = h.Secret
	rc.mu.Unlock()

	au := &content.Author{Name: "Leyla Hosseini", Slug: "leyla"}
	if err := ed.CreateAuthor(ctx, au); err != nil {
		t.Fatal(err)
	}
	art := &content.Article{Language: "en", Title: "Water and power", BodyMarkdown: "Low.", Authors: []*content.Author{au}}
	if err := ed.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	if _, err := ed.Publish(ctx, art.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	const email, name, words = "amina.rahimi@example.org", "Amina Rahimi", "The river kept its own counsel"
	m, err := ed.JoinMember(ctx, email, []string{"en"}) // member.created
	if err != nil {
		t.Fatal(err)
	}
	me := svc.AsMember(m)
	if m, err = me.UpdateProfile(ctx, editorial.Profile{Name: name, Languages: []string{"en"}}); err != nil { // member.updated
		t.Fatal(err)
	}
	me = svc.AsMember(m)
	c, err := me.PostComment(ctx, editorial.NewComment{ArticleID: art.ID, Body: words}) // comment.created
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range []string{editorial.ModApprove, editorial.ModHold, editorial.ModSpam, editorial.ModDelete} {
		if err := ed.Moderate(ctx, c.ID, act); err != nil {
			t.Fatalf("%s: %v", act, err)
		}
	}
	for _, blocked := range []bool{true, false} { // member.blocked, member.unblocked
		if _, err := ed.SetMemberBlocked(ctx, m.ID, blocked); err != nil {
			t.Fatal(err)
		}
	}
	if err := me.DeleteAccount(ctx); err != nil { // member.deleted
		t.Fatal(err)
	}
	if err := d.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}

	want := []string{content.EventMemberCreated, content.EventMemberUpdated, content.EventCommentCreated,
		content.EventCommentApproved, content.EventCommentHeld, content.EventCommentSpam, content.EventCommentDeleted,
		content.EventMemberBlocked, content.EventMemberUnblocked, content.EventMemberDeleted}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		rc.mu.Lock()
		n := len(rc.raw)
		rc.mu.Unlock()
		if n >= len(want) {
			break
		}
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	type got struct {
		id  string
		typ string
	}
	var order []got
	for id, raw := range rc.raw {
		for _, secret := range []string{email, "amina", "Amina", words, "river"} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("payload %s carries %q: %s", id, secret, raw)
			}
		}
		var p webhooks.Payload
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		order = append(order, got{id, p.Type})
		if strings.HasPrefix(p.Type, "comment.") {
			cd, _ := p.Data["comment"].(map[string]any)
			if cd["id"] != float64(c.ID) || (p.Type != content.EventCommentDeleted && cd["article_id"] != float64(art.ID)) {
				t.Errorf("%s data %v", p.Type, p.Data)
			}
		}
	}
	// Event IDs follow the log, so sorting them gives the order of writes.
	slices.SortFunc(order, func(a, b got) int { return strings.Compare(a.id, b.id) })
	var types []string
	for _, g := range order {
		types = append(types, g.typ)
	}
	if !slices.Equal(types, want) || rc.bad != 0 {
		t.Errorf("events %v (%d bad signatures), want %v", types, rc.bad, want)
	}
}
