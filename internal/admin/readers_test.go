package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
)

type queuedSends struct{ ids []int64 }

func (q *queuedSends) StartSend(_ context.Context, id int64, _ int) error {
	q.ids = append(q.ids, id)
	return nil
}

func TestAdmin_Readers(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	q := &queuedSends{}
	e.svc.SetSendQueue(q)
	a := e.article(e.users[content.RoleEditor], content.StatusPublished)
	e.clock.add(time.Minute) // the admin's clock is set at the start; the article went live since
	nl := &store.Newsletter{Name: "Weekly digest"}
	if err := e.svc.System("test").CreateNewsletter(ctx, nl); err != nil {
		t.Fatal(err)
	}
	ana, _ := e.svc.System("test").JoinMember(ctx, "ana@example.org", []string{"fa"})
	ben, _ := e.svc.System("test").JoinMember(ctx, "ben@example.org", nil)
	e.svc.AsMember(ana).SetSubscription(ctx, nl.ID, true)
	c, err := e.svc.AsMember(ana).PostComment(ctx, editorial.NewComment{ArticleID: a.ID, Body: "Held <b>first</b>."})
	if err != nil {
		t.Fatal(err)
	}
	ed := e.login(e.users[content.RoleEditor])

	t.Run("Members", func(t *testing.T) {
		_, body := ed.get("/admin/members?newsletter=" + strconv.FormatInt(nl.ID, 10))
		if !strings.Contains(body, "ana@example.org") || strings.Contains(body, "ben@example.org") {
			t.Fatalf("newsletter filter: %s", body)
		}
		_, body = ed.get("/admin/members?lang=fa")
		if !strings.Contains(body, "ana@example.org") || strings.Contains(body, "ben@example.org") {
			t.Fatal("language filter")
		}
		_, body = ed.get("/admin/members?q=BEN")
		if !strings.Contains(body, "ben@example.org") || strings.Contains(body, "ana@example.org") {
			t.Fatal("search")
		}
		resp, _ := ed.post("/admin/members/"+strconv.FormatInt(ben.ID, 10)+"/block", url.Values{"blocked": {"1"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("block: %d", resp.StatusCode)
		}
		if m, _ := e.db.FindMemberByID(ctx, ben.ID); m.Status != store.MemberBlocked {
			t.Fatalf("status %s", m.Status)
		}
		au := e.login(e.users[content.RoleAuthor])
		if resp, _ := au.get("/admin/members"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("author sees members: %d", resp.StatusCode)
		}
	})
	t.Run("Moderation", func(t *testing.T) {
		_, body := ed.get("/admin/comments")
		if !strings.Contains(body, "<p>Held first.</p>") {
			t.Fatalf("queue: %s", body)
		}
		e.mu.Lock()
		e.deps = nil
		e.mu.Unlock()
		resp, _ := ed.post("/admin/comments/"+strconv.FormatInt(c.ID, 10), url.Values{"action": {"approve"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve: %d", resp.StatusCode)
		}
		e.mu.Lock()
		deps := e.deps
		e.mu.Unlock()
		if len(deps) != 1 || deps[0] != key.Comments(a.ID) {
			t.Fatalf("approve dropped %v", deps)
		}
		_, page := e.browser().get("/" + a.Slug + "/")
		if !strings.Contains(page, `id="comment-`+strconv.FormatInt(c.ID, 10)+`"`) {
			t.Fatal("approved comment not on the article page")
		}
		if resp, _ := ed.post("/admin/comments/"+strconv.FormatInt(c.ID, 10), url.Values{"action": {"explode"}}); resp.StatusCode != http.StatusUnprocessableEntity && resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("unknown action: %d", resp.StatusCode)
		}
	})
	t.Run("ModeAndSend", func(t *testing.T) {
		path := "/admin/articles/" + strconv.FormatInt(a.ID, 10)
		_, body := ed.get(path + "/readers")
		if !strings.Contains(body, "Weekly digest (1 subscribers)") {
			t.Fatalf("readers page: %s", body)
		}
		if resp, _ := ed.post(path+"/comments-mode", url.Values{"mode": {"closed"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("mode: %d", resp.StatusCode)
		}
		if m, _ := e.db.CommentMode(ctx, a.ID); m != store.CommentsClosed {
			t.Fatalf("mode %s", m)
		}
		resp, _ := ed.post(path+"/send", url.Values{"newsletter": {strconv.FormatInt(nl.ID, 10)}})
		if resp.StatusCode != http.StatusSeeOther || len(q.ids) != 1 {
			t.Fatalf("send: %d, queued %v", resp.StatusCode, q.ids)
		}
		s, _ := e.db.FindSend(ctx, q.ids[0])
		if s.Total != 1 {
			t.Fatalf("send %+v", s)
		}
		contrib := e.login(e.users[content.RoleContributor])
		contrib.get("/admin/")
		if resp, _ := contrib.post(path+"/send", url.Values{"newsletter": {strconv.FormatInt(nl.ID, 10)}}); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("contributor sends: %d", resp.StatusCode)
		}
	})
	t.Run("Newsletters", func(t *testing.T) {
		resp, body := ed.post("/admin/newsletters", url.Values{"name": {"Farsi weekly"}, "language": {"fa"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("editor creates a newsletter: %d %s", resp.StatusCode, body)
		}
		adm := e.login(e.users[content.RoleAdmin])
		resp, _ = adm.post("/admin/newsletters", url.Values{"name": {"Farsi weekly"}, "language": {"fa"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("admin creates: %d", resp.StatusCode)
		}
		resp, body = adm.post("/admin/newsletters", url.Values{"name": {"Bad"}, "language": {"not a tag"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "is not a language tag") {
			t.Fatalf("bad language: %d", resp.StatusCode)
		}
		resp, _ = adm.post("/admin/newsletters", url.Values{"name": {"Friday digest"}, "schedule": {"weekly:fri"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("admin creates a digest: %d", resp.StatusCode)
		}
		if _, body = adm.get("/admin/newsletters"); !strings.Contains(body, "<td>Friday digest</td><td>friday-digest</td><td>all</td><td>weekly:fri</td>") {
			t.Fatalf("the list does not show the digest:\n%s", body)
		}
		resp, body = adm.post("/admin/newsletters", url.Values{"name": {"Hourly"}, "schedule": {"hourly"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "weekly:DAY") || !strings.Contains(body, `value="weekly:fri"`) {
			t.Fatalf("bad schedule: %d", resp.StatusCode)
		}
	})
}

func TestAdmin_MembersCSV(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	nl := &store.Newsletter{Name: "Weekly digest"}
	if err := e.svc.System("test").CreateNewsletter(ctx, nl); err != nil {
		t.Fatal(err)
	}
	ed := e.login(e.users[content.RoleEditor])
	ed.get("/admin/members")
	ghost := "id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,created_at,deleted_at,labels,tiers\n" +
		"1,ana@example.org,Ana Ruiz,,true,false,,2024-01-02T10:00:00.000Z,,,\n" +
		"2,ben@example.org,Ben,,false,false,,2024-01-02T10:00:00.000Z,,,\n"
	resp, body := ed.upload("/admin/members/import", map[string]string{"newsletter": strconv.FormatInt(nl.ID, 10)}, []byte(ghost))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Imported: 2 new, 0 updated") {
		t.Fatalf("import: %d %s", resp.StatusCode, body)
	}
	ana, _ := e.db.FindMemberByEmail(ctx, "ana@example.org")
	ben, _ := e.db.FindMemberByEmail(ctx, "ben@example.org")
	if len(ana.Newsletters) != 1 || len(ben.Newsletters) != 0 || ana.Name != "Ana Ruiz" {
		t.Fatalf("ana %+v ben %+v", ana, ben)
	}
	resp, body = ed.upload("/admin/members/import", nil, []byte("email\nnope\n"))
	if resp.StatusCode == http.StatusOK || !strings.Contains(body, "line 2") {
		t.Fatalf("bad file: %d %s", resp.StatusCode, body)
	}
	resp, body = ed.get("/admin/members/export.csv")
	if resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(body, "ana@example.org,Ana Ruiz,,weekly-digest,active,") {
		t.Fatalf("export: %s", body)
	}
	au := e.login(e.users[content.RoleAuthor])
	if resp, _ := au.get("/admin/members/export.csv"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("author exports: %d", resp.StatusCode)
	}
}

// TestAdmin_Suppressions: an editor sees the suppressed addresses with
// reason, provider and description, searches them and lifts one, which
// the audit log records without the address; an author sees none.
func TestAdmin_Suppressions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for i, ev := range []editorial.MailEvent{
		{Provider: "postmark", Reason: store.SuppressBounce, Email: "gone@example.org", Detail: "The server was unable to deliver your message"},
		{Provider: "ses", Reason: store.SuppressComplaint, Email: "angry@example.net", Detail: "abuse"},
	} {
		ev.ID = "test:" + strconv.Itoa(i)
		if _, err := e.svc.System(ev.Provider).ApplyMailEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	ed := e.login(e.users[content.RoleEditor])
	resp, body := ed.get("/admin/suppressions")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("list: %d", resp.StatusCode)
	}
	for _, want := range []string{"gone@example.org", "angry@example.net", "complaint", "ses", "The server was unable to deliver your message"} {
		if !strings.Contains(body, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	_, body = ed.get("/admin/suppressions?q=EXAMPLE.NET")
	if !strings.Contains(body, "angry@example.net") || strings.Contains(body, "gone@example.org") {
		t.Fatalf("search: %s", body)
	}
	au := e.login(e.users[content.RoleAuthor])
	if resp, _ := au.get("/admin/suppressions"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("author sees suppressions: %d", resp.StatusCode)
	}
	if resp, _ := au.post("/admin/suppressions/lift", url.Values{"email": {"gone@example.org"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("author lifts: %d", resp.StatusCode)
	}
	if resp, _ := ed.post("/admin/suppressions/lift", url.Values{"email": {"nobody@example.org"}}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("lifting an address not suppressed: %d", resp.StatusCode)
	}
	if resp, _ := ed.post("/admin/suppressions/lift", url.Values{"email": {"gone@example.org"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("lift: %d", resp.StatusCode)
	}
	if _, err := e.db.FindSuppression(ctx, "gone@example.org"); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("still suppressed: %v", err)
	}
	_, body = ed.get("/admin/suppressions")
	if strings.Contains(body, "gone@example.org") || !strings.Contains(body, "angry@example.net") {
		t.Fatalf("after the lift: %s", body)
	}
	entries, _, err := e.db.FindAudit(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range entries {
		if a.Action == "suppression.lift" {
			found = true
			if strings.Contains(a.Summary, "gone@") || !strings.Contains(a.Summary, "bounce") {
				t.Errorf("audit summary %q", a.Summary)
			}
		}
	}
	if !found {
		t.Fatal("no suppression.lift audit entry")
	}
}
