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
	if len(p.Terms) != 1 || p.Terms[0].Slug != pageTag {
		t.Errorf("page terms %+v", p.Terms)
	}
	if !hasWarning(rep, 2, "missing.jpg is missing") || !hasWarning(rep, 2, "author u9 is not in the export") {
		t.Errorf("warnings %+v", rep.Warnings)
	}
	before := s.counts(t)
	rep, err = ImportGhost(ctx, open(t, "ghost-5.json"), opt)
	if err != nil {
		t.Fatal(err)
	}
	if s.counts(t) != before || rep.Counts[kindArticle].Unchanged != 2 {
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
