package importer

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
)

func TestImportGhost(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	opt := s.opts()
	opt.Uploads = filepath.Join("testdata", "ghost-images")
	rep, err := ImportGhost(ctx, open(t, "ghost-5.json"), opt)
	if err != nil {
		t.Fatal(err)
	}
	a := s.article(t, "en", "mapping-the-river-delta")
	if a.Status != content.StatusPublished || !a.Featured || !a.PublishedAt.Equal(time.Date(2023, 4, 26, 8, 15, 0, 0, time.UTC)) {
		t.Errorf("status %q featured %v published %v", a.Status, a.Featured, a.PublishedAt)
	}
	if len(a.Authors) != 2 || a.Authors[0].Name != "Juno Achterberg" || a.Authors[1].Name != "Sami Okafor" {
		t.Errorf("authors %+v", a.Authors)
	}
	if len(a.Terms) != 2 || a.Terms[0].Slug != "rivers" || a.Terms[1].Slug != "fieldwork" {
		t.Errorf("terms (internal tag left out, sort order kept) %+v %+v", a.Terms[0], a.Terms)
	}
	if a.Excerpt != "Two weeks on the water with a notebook." {
		t.Errorf("excerpt %q", a.Excerpt)
	}
	for _, want := range []string{"<h2>Channels that move</h2>", "<em>two hundred metres</em>", "<figcaption>Sandbanks at the mouth.</figcaption>", "<p>Data on request.</p>"} {
		if !strings.Contains(a.BodyHTML, want) {
			t.Errorf("body lacks %q:\n%s", want, a.BodyHTML)
		}
	}
	if strings.Contains(a.BodyHTML, "onclick") {
		t.Error("event handler survived")
	}
	if a.Image == nil || a.Image.Alt != "A rowing boat on brown water" || a.Image.Caption != "Photo: Juno Achterberg" || a.Image.MediaID == 0 {
		t.Errorf("image %+v", a.Image)
	}
	au, _ := s.db.FindAuthorBySlug(ctx, "juno")
	if au == nil || au.Bio != "Hydrographer." || len(au.Links) != 1 {
		t.Errorf("author %+v", au)
	}
	d := s.article(t, "en", "tide-tables-annotated")
	if d.Status != content.StatusDraft || d.Image != nil || len(d.Authors) != 0 {
		t.Errorf("draft %+v", d)
	}
	p := s.article(t, "en", "contact")
	if !p.IsPage() || len(p.Terms) != 0 {
		t.Errorf("Ghost page: type %q terms %+v, want a page", p.Type, p.Terms)
	}
	if !hasWarning(rep, 2, "missing.jpg is missing") || !hasWarning(rep, 2, "author u9 is not in the export") {
		t.Errorf("warnings %+v", rep.Warnings)
	}
	before := s.counts(t)
	rep, err = ImportGhost(ctx, open(t, "ghost-5.json"), opt)
	if err != nil {
		t.Fatal(err)
	}
	if s.counts(t) != before || rep.Counts[kindArticle].Unchanged != 4 {
		t.Errorf("re-run changed counts %+v → %+v, report %+v", before, s.counts(t), *rep.Counts[kindArticle])
	}
}

func TestImportGhost_Malformed(t *testing.T) {
	s := newSite(t)
	_, err := ImportGhost(context.Background(), open(t, "ghost-malformed.json"), s.opts())
	var ge *GhostError
	if !errors.As(err, &ge) || ge.Line != 7 {
		t.Fatalf("err = %v, want a GhostError on line 7", err)
	}
	if (s.counts(t) != counts{}) {
		t.Errorf("counts %+v after a failed import", s.counts(t))
	}
}

// TestImportGhost_Versions imports real exports of Ghost 0.x, 2.x and 4.x
// (testdata/README.md) and a 5.x lexical post: each post becomes what its
// source says, whatever the wrapper, id and time formats.
func TestImportGhost_Versions(t *testing.T) {
	for _, tt := range []struct {
		file, slug string
		published  time.Time
		author     string
		body       []string // fragments the rendered body holds
		warnings   []string
	}{
		{"ghost-0.json", "welcome-to-ghost", time.UnixMilli(1388318310783).UTC(), "Joe Bloggs",
			[]string{"<p>You&#39;re live! Nice.</p>"}, nil},
		{"ghost-2.json", "publishing-options", time.Date(2021, 3, 24, 5, 57, 59, 0, time.UTC), "Ghost",
			[]string{"<blockquote>Access the post settings menu", "<h2>Structured data &amp; SEO</h2>",
				`<a href="https://schema.org/">schema</a>`, "<pre><code>{\n    &#34;@context&#34;",
				"<strong>To add code site-wide</strong>"}, nil},
		{"ghost-4.json", "design", time.Date(2021, 3, 24, 4, 34, 13, 0, time.UTC), "Ghost",
			[]string{`<img src="https://static.ghost.org/v4.0.0/images/brandsettings.png"`,
				"<figcaption>Ghost Admin → Settings → Branding</figcaption>", `<a href="/welcome/">introduction</a>`,
				"<li><strong>Casper</strong> <em>(default)</em> — Made for all sorts", "<h2>Installing Ghost themes</h2>"}, nil},
		{"ghost-5.json", "gauges-upstream", time.Date(2023, 5, 2, 6, 0, 0, 0, time.UTC), "",
			[]string{"Gauges <strong>upstream</strong> read", `<em>every hour</em></a>`, "<h2>What the cards hold</h2>",
				"A <em>markdown</em> card", "<td>Station</td>", `alt="The delta from above"`, "<figcaption>Low tide.</figcaption>",
				`alt="First"`, `alt="Second"`, "<figcaption>Two banks</figcaption>",
				`<iframe src="https://www.youtube.com/embed/abc123"`, `data-embed-provider="X"`,
				"Delta report 2022", "Bring <b>boots</b>.", "<ol><li>One</li><li>Two</li></ol>"},
			[]string{"title markup removed: <em>", "product card left out"}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			s := newSite(t)
			opt := s.opts()
			opt.Uploads = filepath.Join("testdata", "ghost-images")
			rep, err := ImportGhost(context.Background(), open(t, tt.file), opt)
			if err != nil {
				t.Fatal(err)
			}
			a := s.article(t, "en", tt.slug)
			if a.Status != content.StatusPublished || !a.PublishedAt.Equal(tt.published) {
				t.Errorf("status %q published %v, want published %v", a.Status, a.PublishedAt, tt.published)
			}
			if tt.author != "" && (len(a.Authors) != 1 || a.Authors[0].Name != tt.author) {
				t.Errorf("authors %+v", a.Authors)
			}
			for _, want := range tt.body {
				if !strings.Contains(a.BodyHTML, want) {
					t.Errorf("body lacks %q:\n%s", want, a.BodyHTML)
				}
			}
			for _, w := range tt.warnings {
				if !hasWarning(rep, -1, w) {
					t.Errorf("no warning %q in %v", w, rep.Warnings)
				}
			}
			if strings.Contains(a.Title, "<") {
				t.Errorf("title %q keeps markup", a.Title)
			}
		})
	}
}

// TestImportGhost_MembersOnly: a post Ghost showed to members only stays
// members-only: published with the members' access level (the public page
// shows the lede and a call to join), and listed as withheld from the public.
func TestImportGhost_MembersOnly(t *testing.T) {
	s := newSite(t)
	opt := s.opts()
	opt.Uploads = filepath.Join("testdata", "ghost-images")
	rep, err := ImportGhost(context.Background(), open(t, "ghost-5.json"), opt)
	if err != nil {
		t.Fatal(err)
	}
	a := s.article(t, "en", "members-survey")
	if a.Status != content.StatusPublished || a.Access != content.AccessMembers {
		t.Errorf("members-only post: status %q, access %q", a.Status, a.Access)
	}
	if a.PublicFullText(time.Now()) {
		t.Error("the members-only post is readable in full by everyone")
	}
	if len(rep.Withheld) != 1 || rep.Withheld[0].ID != "6448a1f0c2b7a10001a1b005" {
		t.Errorf("withheld %+v", rep.Withheld)
	}
}
