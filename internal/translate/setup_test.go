package translate

import (
	"context"
	"strings"
	"testing"

	"folio/internal/config"
	"folio/internal/content"
	"folio/internal/mail"
	"folio/internal/mail/mailtest"
)

func TestFromConfig(t *testing.T) {
	tests := []struct {
		name     string
		cfg      func(c *config.Config)
		override string
		want     []string
		wantErr  string
	}{
		{name: "default", want: []string{"apertium"}},
		{name: "deepl first", cfg: func(c *config.Config) { c.TranslateProvider, c.DeepLKey = "deepl", "k" }, want: []string{"deepl", "apertium"}},
		{name: "override", cfg: func(c *config.Config) { c.LibreTranslateURL = "http://lt" }, override: "libretranslate",
			want: []string{"libretranslate", "apertium"}},
		{name: "ErrNotConfigured", override: "deepl", wantErr: "needs FOLIO_DEEPL_KEY"},
		{name: "ErrUnknown", override: "babel", wantErr: `unknown translation provider "babel"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := config.Default()
			if tt.cfg != nil {
				tt.cfg(&c)
			}
			ps, err := FromConfig(c, tt.override)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range ps {
				names = append(names, p.Name())
			}
			if strings.Join(names, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("providers = %v, want %v", names, tt.want)
			}
		})
	}
}

// The notice of an outdated translation reaches the translator through a
// real SMTP server.
func TestMailNotifier(t *testing.T) {
	srv := mailtest.Start(t)
	ctx := context.Background()
	n := &MailNotifier{SiteName: func() string { return "The Review" },
		Mail: &mail.SMTP{Host: srv.SMTPHost, Port: srv.SMTPPort, From: "news@example.org", TLS: mail.TLSNone}}
	st, ed, svc := newEnv(t, []Provider{&fake{}}, WithNotifier(n))
	users := st.(interface {
		CreateUser(context.Context, *content.User) error
		FindUserByID(context.Context, int64) (*content.User, error)
	})
	n.Users = users
	u := &content.User{Email: "tr@example.org", Name: "Tere", Role: content.RoleEditor}
	if err := users.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	src := mustSource(t, st, ed)
	tr, err := svc.TranslateArticle(ctx, src.ID, "es", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MarkReviewed(ctx, tr.ID, u); err != nil {
		t.Fatal(err)
	}
	src.Deck = "A different deck."
	if err := ed.System("test").UpdateArticle(ctx, src); err != nil {
		t.Fatal(err)
	}
	m := srv.Last(t, "tr@example.org")
	if !strings.Contains(m.Subject, "[The Review] A translation is out of date") || !strings.Contains(m.Text, "Hello Tere") ||
		!strings.Contains(m.Text, "es translation (article") {
		t.Fatalf("mail = %+v", m)
	}
	ns, err := st.FindTranslationNotices(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 || ns[0].DeliveredAt.IsZero() {
		t.Fatalf("notices = %+v", ns)
	}
}
