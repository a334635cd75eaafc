package site_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"folio/internal/cache/key"
	"folio/internal/changes"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/importer"
	"folio/internal/media"
	"folio/internal/store"
)

// TestCache_InvalidationProperty runs sequences of writes through every
// entry of the editorial service — article, author, term, settings, media,
// redirect, comment and import-record writes, batched WordPress and Ghost
// imports, an archive restore and a write by another process reaching this
// one through the change log — and after each checks that every cached page
// equals a fresh render. The first steps make every kind of write once; the
// rest are random. A write entry the test does not make fails it.
func TestCache_InvalidationProperty(t *testing.T) {
	seeds, extra := uint64(3), 20
	if raceEnabled {
		seeds, extra = 1, 2
	}
	covered := map[string]bool{}
	t.Run("archive restore", func(t *testing.T) { checkArchiveRestore(t, covered) })
	for seed := uint64(1); seed <= seeds; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			p := newPropertyRun(t, seed, covered)
			for step := 0; step < len(p.ops)+extra; step++ {
				op := step
				if step >= len(p.ops) {
					op = p.rng.IntN(len(p.ops))
				}
				p.cacheEverything()
				name := p.ops[op].name
				p.ops[op].run()
				p.checkFresh(step, name)
			}
		})
	}
	var missing []string
	for _, m := range editorWrites() {
		if !covered[m] {
			missing = append(missing, m)
		}
	}
	if len(missing) > 0 {
		t.Errorf("editorial write entries the invalidation property test never makes: %v", missing)
	}
}

// editorWrites lists the exported methods of editorial.Editor that write.
func editorWrites() []string {
	reads := map[string]bool{"Actor": true, "Can": true, "CanDelete": true, "CanEdit": true, "CanPublish": true,
		"Owns": true, "Reads": true, "User": true}
	var out []string
	typ := reflect.TypeOf(&editorial.Editor{})
	for i := range typ.NumMethod() {
		if m := typ.Method(i).Name; !reads[m] {
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out
}

type propOp struct {
	name string
	run  func()
}

// propertyRun is one seeded sequence of writes on a fixture.
type propertyRun struct {
	t       *testing.T
	f       *fixture
	ctx     context.Context
	rng     *rand.Rand
	covered map[string]bool
	ed      *editorial.Editor
	lib     *media.Library
	ids     []int64
	media   []int64
	user    *content.User
	spareAu *content.Author
	spareT  *content.Term
	other   *editorial.Editor // another process: its events reach f only through the change log
	ops     []propOp
}

func newPropertyRun(t *testing.T, seed uint64, covered map[string]bool) *propertyRun {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	p := &propertyRun{t: t, f: f, ctx: ctx, rng: rand.New(rand.NewPCG(seed, 99)), covered: covered,
		ed: f.svc.System("test"), lib: &media.Library{Root: t.TempDir()}}
	// This process hears other processes' writes through the change log,
	// as folio serve does; the other process publishes only there.
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	server := changes.New(f.db, log, func(ev key.Event) { f.cache.Invalidate(ev.Keys...) })
	go func() { _ = server.Run(ctx, 5*time.Millisecond) }()
	p.other = editorial.New(f.db, editorial.OnChange(changes.New(f.db, log).Publish),
		editorial.WithClock(func() time.Time { return fixedNow.Add(time.Duration(f.offset.Load())) })).System("cli")

	for i := 0; i < 8; i++ {
		a := f.randomArticle(p.rng, i)
		p.must(p.ed.CreateArticle(ctx, a), "CreateArticle")
		p.ids = append(p.ids, a.ID)
	}
	p.user = &content.User{Email: fmt.Sprintf("editor%d@example.org", seed), Name: "Desk Editor", Role: content.RoleEditor}
	p.must(p.ed.CreateUser(ctx, p.user), "CreateUser")
	p.ops = []propOp{
		{"create", p.create}, {"edit title and slug", p.editTitle}, {"move terms and authors", p.moveTerms},
		{"unpublish", p.unpublish}, {"publish", p.publish}, {"delete", p.delete},
		{"edit author", p.editAuthor}, {"edit term", p.editTerm}, {"edit settings", p.editSettings},
		{"add an author", p.addAuthor}, {"remove the added author", p.removeAuthor},
		{"add a term", p.addTerm}, {"delete the added term", p.deleteTerm},
		{"upload and feature an image", p.uploadImage}, {"edit an image", p.editImage},
		{"record and feature a library image", p.recordImage},
		{"image variants arrive", p.imageVariants}, {"delete an image", p.deleteImage},
		{"review and restore", p.reviewAndRestore}, {"schedule and go live", p.schedule},
		{"redirects, comments, import records", p.bookkeeping}, {"import WordPress", p.importWordPress},
		{"import Ghost", p.importGhost}, {"tokens and users", p.accounts}, {"write by another process", p.otherProcess},
		{"syndication and webhooks", p.syndication},
		{"batch of edits", p.batch}, {"pages", p.pages}, {"correct an article", p.correct},
	}
	return p
}

// must fails the test on err and records which entries ran.
func (p *propertyRun) must(err error, entries ...string) {
	p.t.Helper()
	if err != nil {
		p.t.Fatalf("%v: %v", entries, err)
	}
	for _, e := range entries {
		p.covered[e] = true
	}
}

func (p *propertyRun) pick() int64 { return p.ids[p.rng.IntN(len(p.ids))] }

func (p *propertyRun) article(id int64) *content.Article {
	p.t.Helper()
	a, err := p.f.st.FindArticleByID(p.ctx, id)
	if err != nil {
		p.t.Fatal(err)
	}
	return a
}

// cacheEverything requests every public page, so the cache holds them all.
func (p *propertyRun) cacheEverything() {
	p.t.Helper()
	paths, err := p.f.site.Paths(p.ctx)
	if err != nil {
		p.t.Fatal(err)
	}
	for _, path := range paths {
		get(p.f.cached, path)
	}
}

// stalePages returns the cached pages that differ from a fresh render.
func (p *propertyRun) stalePages() []string {
	return stalePages(p.f)
}

func stalePages(f *fixture) []string {
	var stale []string
	for _, k := range f.cache.Keys() {
		got, want := get(f.cached, k), get(f.fresh, k)
		if got.Code != want.Code || !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
			stale = append(stale, k)
		}
	}
	return stale
}

func (p *propertyRun) checkFresh(step int, op string) {
	p.t.Helper()
	if stale := p.stalePages(); len(stale) > 0 {
		got, want := get(p.f.cached, stale[0]), get(p.f.fresh, stale[0])
		p.t.Fatalf("step %d (%s): cached pages differ from a fresh render: %v\nfirst, cached:\n%s\nfresh:\n%s", step, op, stale,
			got.Body.String(), want.Body.String())
	}
}

func (p *propertyRun) create() {
	a := p.f.randomArticle(p.rng, 100+len(p.ids))
	p.must(p.ed.CreateArticle(p.ctx, a), "CreateArticle")
	p.ids = append(p.ids, a.ID)
}

func (p *propertyRun) editTitle() {
	a := p.article(p.pick())
	a.Title = fmt.Sprintf("Edited title %d", p.rng.IntN(1e6))
	a.Slug = ""
	p.must(p.ed.UpdateArticle(p.ctx, a), "UpdateArticle")
}

func (p *propertyRun) moveTerms() {
	a := p.article(p.pick())
	b := p.f.randomArticle(p.rng, 0)
	a.Terms, a.Authors, a.Featured = b.Terms, b.Authors, b.Featured
	p.must(p.ed.UpdateArticle(p.ctx, a), "UpdateArticle")
}

func (p *propertyRun) unpublish() {
	_, err := p.ed.Unpublish(p.ctx, p.pick())
	p.must(err, "Unpublish")
}

func (p *propertyRun) publish() {
	_, err := p.ed.Publish(p.ctx, p.pick(), time.Time{})
	p.must(err, "Publish")
}

func (p *propertyRun) delete() {
	if len(p.ids) < 4 {
		p.create()
		return
	}
	i := p.rng.IntN(len(p.ids))
	p.must(p.ed.DeleteArticle(p.ctx, p.ids[i]), "DeleteArticle")
	p.ids = slices.Delete(p.ids, i, i+1)
}

func (p *propertyRun) editAuthor() {
	au := p.f.authors[p.rng.IntN(len(p.f.authors))]
	au.Name = fmt.Sprintf("Renamed Author %d", p.rng.IntN(1e6))
	au.Bio = fmt.Sprintf("New bio %d.", p.rng.IntN(1e6))
	p.must(p.ed.UpdateAuthor(p.ctx, au), "UpdateAuthor")
}

func (p *propertyRun) editTerm() {
	term := p.f.terms[p.rng.IntN(len(p.f.terms))]
	term.Name = fmt.Sprintf("Renamed %d", p.rng.IntN(1e6))
	term.Description = fmt.Sprintf("Description %d", p.rng.IntN(1e6))
	if term.Kind == content.KindDossier {
		term.Active = !term.Active
	}
	p.must(p.ed.UpdateTerm(p.ctx, term), "UpdateTerm")
}

func (p *propertyRun) editSettings() {
	s, err := p.f.st.Settings(p.ctx)
	if err != nil {
		p.t.Fatal(err)
	}
	s.Tagline = fmt.Sprintf("Tagline %d", p.rng.IntN(1e6))
	p.must(p.ed.UpdateSettings(p.ctx, s), "UpdateSettings")
}

// removeAuthor deletes the author addAuthor added (adding one first when
// there is none).
func (p *propertyRun) removeAuthor() {
	if p.spareAu == nil {
		p.addAuthor()
		p.checkFresh(-1, "add an author")
		p.cacheEverything()
	}
	// Articles they co-sign lose the byline; sole bylines refuse.
	for _, id := range p.ids {
		a := p.article(id)
		a.Authors = slices.DeleteFunc(a.Authors, func(au *content.Author) bool { return au.ID == p.spareAu.ID })
		if len(a.Authors) == 0 {
			a.Authors = []*content.Author{p.f.authors[0]}
		}
		p.must(p.ed.UpdateArticle(p.ctx, a), "UpdateArticle")
	}
	p.must(p.ed.DeleteAuthor(p.ctx, p.spareAu.ID), "DeleteAuthor")
	p.spareAu = nil
}

// addAuthor adds a new author to an article's byline.
func (p *propertyRun) addAuthor() {
	if p.spareAu != nil {
		p.removeAuthor()
		return
	}
	p.spareAu = &content.Author{Name: fmt.Sprintf("Guest Writer %d", p.rng.IntN(1e6)), Bio: "Guest."}
	p.must(p.ed.CreateAuthor(p.ctx, p.spareAu), "CreateAuthor")
	a := p.article(p.pick())
	a.Authors = append(a.Authors, p.spareAu)
	p.must(p.ed.UpdateArticle(p.ctx, a), "UpdateArticle")
}

// deleteTerm deletes the term addTerm added while articles still carry it
// (adding one first when there is none).
func (p *propertyRun) deleteTerm() {
	if p.spareT == nil {
		p.addTerm()
		p.checkFresh(-1, "add a term")
		p.cacheEverything()
	}
	p.must(p.ed.DeleteTerm(p.ctx, p.spareT.ID), "DeleteTerm")
	p.spareT = nil
}

// addTerm adds a new term to an article.
func (p *propertyRun) addTerm() {
	if p.spareT != nil {
		p.deleteTerm()
		return
	}
	p.spareT = &content.Term{Kind: content.KindTheme, Name: fmt.Sprintf("Glaciers %d", p.rng.IntN(1e6)), Description: "Ice."}
	p.must(p.ed.CreateTerm(p.ctx, p.spareT), "CreateTerm")
	a := p.article(p.pick())
	a.Terms = append(a.Terms, p.spareT)
	p.must(p.ed.UpdateArticle(p.ctx, a), "UpdateArticle")
}

func pngOf(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (p *propertyRun) uploadImage() {
	m, err := p.ed.SaveMedia(p.ctx, p.lib, "harbour.png", bytes.NewReader(pngOf(p.t, 40, 20)), media.Meta{Alt: "The harbour", Credit: "Desk"})
	p.must(err, "SaveMedia")
	p.media = append(p.media, m.ID)
	a := p.article(p.pick())
	a.Image = &content.Image{MediaID: m.ID, URL: "/media/" + m.Path, Alt: m.Alt, Credit: m.Credit}
	p.must(p.ed.UpdateArticle(p.ctx, a), "UpdateArticle")
}

// recordImage adds the record of an image already in the media tree (as
// the demo loader does) and features it.
func (p *propertyRun) recordImage() {
	m := &content.Media{Path: fmt.Sprintf("demo/figure-%d.svg", p.rng.IntN(1e6)), ContentType: "image/svg+xml",
		Alt: "A figure", Credit: "Studio", Republishable: p.rng.IntN(2) == 0}
	p.must(p.ed.RecordMedia(p.ctx, m), "RecordMedia")
	p.media = append(p.media, m.ID)
	a := p.article(p.pick())
	a.Image = &content.Image{MediaID: m.ID, URL: "/media/" + m.Path, Alt: m.Alt, Credit: m.Credit}
	p.must(p.ed.UpdateArticle(p.ctx, a), "UpdateArticle")
}

func (p *propertyRun) editImage() {
	if len(p.media) == 0 {
		p.uploadImage()
	}
	m, err := p.f.st.FindMediaByID(p.ctx, p.media[p.rng.IntN(len(p.media))])
	if err != nil {
		p.t.Fatal(err)
	}
	m.Caption = fmt.Sprintf("Caption %d", p.rng.IntN(1e6))
	p.must(p.ed.UpdateMedia(p.ctx, m), "UpdateMedia")
}

// imageVariants uploads and features an image, caches every page, then
// records the image's variants: the pages showing it must get srcset.
func (p *propertyRun) imageVariants() {
	p.uploadImage()
	p.checkFresh(-1, "upload before variants")
	p.cacheEverything()
	id := p.media[len(p.media)-1]
	m, err := p.f.st.FindMediaByID(p.ctx, id)
	if err != nil {
		p.t.Fatal(err)
	}
	// Asking for the variants again (as after a restore) changes no page.
	p.must(p.ed.QueueMediaVariants(p.ctx, p.lib, id), "QueueMediaVariants")
	p.checkFresh(-1, "variants queued")
	base := strings.TrimSuffix(m.Path, filepath.Ext(m.Path))
	vs := []content.MediaVariant{{MediaID: id, Width: 20, Height: 10, Format: "webp", Path: base + ".w20.webp"},
		{MediaID: id, Width: 20, Height: 10, Format: "png", Path: base + ".w20.png"}}
	p.must(p.ed.SetMediaVariants(p.ctx, id, vs), "SetMediaVariants")
}

func (p *propertyRun) deleteImage() {
	if len(p.media) == 0 {
		p.uploadImage()
	}
	i := p.rng.IntN(len(p.media))
	p.must(p.ed.DeleteMedia(p.ctx, p.lib, p.media[i]), "DeleteMedia")
	p.media = slices.Delete(p.media, i, i+1)
}

func (p *propertyRun) reviewAndRestore() {
	reviewer := p.f.svc.As(p.user)
	draft := p.f.randomArticle(p.rng, 500)
	draft.Status = content.StatusDraft
	p.must(reviewer.CreateArticle(p.ctx, draft), "CreateArticle")
	p.must(reviewer.Autosave(p.ctx, &store.Autosave{ArticleID: draft.ID, Title: "Unsaved", BodyMarkdown: "Unsaved text."}), "Autosave")
	_, err := reviewer.SubmitForReview(p.ctx, draft.ID)
	p.must(err, "SubmitForReview")
	p.must(reviewer.DiscardAutosave(p.ctx, draft.ID), "DiscardAutosave")
	p.ids = append(p.ids, draft.ID)
	// Restore the first version of a public piece: its page changes back.
	id := p.pick()
	revs, err := p.f.db.FindRevisions(p.ctx, id)
	if err != nil || len(revs) == 0 {
		p.t.Fatalf("revisions of %d: %v, %v", id, revs, err)
	}
	_, err = reviewer.RestoreRevision(p.ctx, revs[len(revs)-1].ID)
	p.must(err, "RestoreRevision")
}

func (p *propertyRun) schedule() {
	id := p.pick()
	_, err := p.ed.Publish(p.ctx, id, fixedNow.Add(time.Duration(p.f.offset.Load())+time.Hour))
	p.must(err, "Publish")
	p.checkFresh(-1, "schedule")
	// Time passes: pages that print the time (an empty feed's updated
	// date) are rendered anew, as they would be after their max-age; the
	// scheduled piece is not public until the scheduler's write, which is
	// what must drop every page that now lists it.
	p.f.offset.Add(int64(2 * time.Hour))
	p.f.cache.Invalidate(key.Settings)
	p.cacheEverything()
	_, err = p.f.svc.System("scheduler").PublishDue(p.ctx)
	p.must(err, "PublishDue")
}

func (p *propertyRun) bookkeeping() {
	a := p.article(p.pick())
	rd := &content.Redirect{From: fmt.Sprintf("/old-%d/", p.rng.IntN(1e6)), To: "/" + a.Slug + "/", Status: 301}
	p.must(p.ed.PutRedirect(p.ctx, rd), "PutRedirect")
	p.must(p.ed.DeleteRedirect(p.ctx, rd.From), "DeleteRedirect")
	many := []*content.Redirect{{From: fmt.Sprintf("/older-%d/", p.rng.IntN(1e6)), To: "/" + a.Slug + "/", Status: 301},
		{From: fmt.Sprintf("/gone-%d/", p.rng.IntN(1e6)), Status: 410}}
	p.must(p.ed.PutRedirects(p.ctx, many), "PutRedirects")
	c := &store.Comment{ArticleID: a.ID, AuthorName: "Reader", BodyHTML: "<p>Thanks.</p>"}
	p.must(p.ed.PutComment(p.ctx, c), "PutComment")
	p.must(p.ed.DeleteComment(p.ctx, a.ID, c.ID), "DeleteComment")
	rec := &store.ImportRecord{Kind: "test", SourceID: fmt.Sprint(a.ID), EntityKind: "article", EntityID: a.ID}
	p.must(p.ed.PutImportRecord(p.ctx, rec), "PutImportRecord")
	p.must(p.ed.DeleteImportRecord(p.ctx, rec.Kind, rec.SourceID, rec.EntityKind), "DeleteImportRecord")
	p.readers()
}

func (p *propertyRun) importFile(name string, ghost bool) {
	f, err := os.Open(filepath.Join("..", "importer", "testdata", name))
	if err != nil {
		p.t.Fatal(err)
	}
	defer f.Close()
	opt := importer.Options{Editorial: p.f.svc, Store: p.f.db, Media: p.lib, Force: true,
		Uploads: filepath.Join("..", "importer", "testdata", "uploads")}
	if ghost {
		opt.Uploads = filepath.Join("..", "importer", "testdata", "ghost-images")
		_, err = importer.ImportGhost(p.ctx, f, opt)
	} else {
		_, err = importer.ImportWordPress(p.ctx, f, opt)
	}
	// Imports write their articles in batches: Batch is the entry.
	p.must(err, "Batch")
}

func (p *propertyRun) importWordPress() { p.importFile("wp5-classic.xml", false) }
func (p *propertyRun) importGhost()     { p.importFile("ghost-5.json", true) }

func (p *propertyRun) accounts() {
	tok := &content.Token{Name: "newsletter sync", Hash: fmt.Sprintf("%064d", p.rng.IntN(1e9))}
	p.must(p.ed.CreateToken(p.ctx, tok), "CreateToken")
	p.must(p.ed.DeleteToken(p.ctx, tok.ID), "DeleteToken")
	p.user.Name = fmt.Sprintf("Desk Editor %d", p.rng.IntN(1e6))
	p.must(p.ed.UpdateUser(p.ctx, p.user), "UpdateUser")
}

// otherProcess edits through a service whose events reach this process's
// cache only through the change log, as `folio import` or another node do.
func (p *propertyRun) otherProcess() {
	a := p.article(p.pick())
	a.Deck = fmt.Sprintf("A deck written elsewhere %d", p.rng.IntN(1e6))
	p.must(p.other.UpdateArticle(p.ctx, a), "UpdateArticle")
	deadline := time.Now().Add(10 * time.Second)
	for len(p.stalePages()) > 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
}

// batch makes several edits in one transaction through the batch option.
func (p *propertyRun) batch() {
	err := p.ed.Batch(p.ctx, func(tx *editorial.Editor) error {
		for range 3 {
			a, err := tx.Reads().FindArticleByID(p.ctx, p.pick())
			if err != nil {
				return err
			}
			a.Title = fmt.Sprintf("Batched title %d", p.rng.IntN(1e6))
			if err := tx.UpdateArticle(p.ctx, a); err != nil {
				return err
			}
		}
		return nil
	})
	p.must(err, "Batch", "UpdateArticle")
}

// checkArchiveRestore restores an archive into an empty site whose pages
// are cached: every page must show the restored site at once.
func checkArchiveRestore(t *testing.T, covered map[string]bool) {
	ctx := context.Background()
	src := newFixture(t)
	rng := rand.New(rand.NewPCG(5, 5))
	for i := range 5 {
		if err := src.svc.System("test").CreateArticle(ctx, src.randomArticle(rng, i)); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := importer.Export(ctx, src.db, t.TempDir(), &buf, "test"); err != nil {
		t.Fatal(err)
	}
	dst := newEmptyFixture(t)
	// The settings of an empty site are the defaults: restore into a store
	// that holds nothing, its cached home and feeds included.
	for _, p := range []string{"/", "/feed.xml", "/sitemap.xml"} {
		get(dst.cached, p)
	}
	if _, err := importer.ImportFolio(ctx, dst.svc.System("import folio"), t.TempDir(), bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	covered["Restore"] = true
	if stale := stalePages(dst); len(stale) > 0 {
		t.Fatalf("after an archive restore, cached pages differ from a fresh render: %v", stale)
	}
}
