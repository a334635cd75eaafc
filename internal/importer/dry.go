package importer

import (
	"context"
	"io"
	"os"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/media"
	"folio/internal/store"
)

// A dry run takes every step of the real run: the same reads, decisions,
// counts and warnings. Only the last step of each write differs: it is
// checked as the store would check it and kept in this overlay, which
// the run's reads consult first. So a dry run's report is the report the
// real run would print, not an estimate (a test compares them).
type dryState struct {
	nextID    int64
	records   map[[3]string]*store.ImportRecord
	articles  map[int64]*content.Article
	slugs     map[string]int64 // lang + "\x00" + slug → article
	redirects map[string]*content.Redirect
	gone      map[string]bool // redirects deleted
	comments  map[int64][]*store.Comment
	authors   map[int64]*content.Author
	authorBy  map[string]*content.Author
	terms     map[int64]*content.Term
	termBy    map[string]*content.Term
	media     map[int64]*content.Media
	scratch   *media.Library // images are checked by ingesting them here, then discarded
}

func newDryState(lib *media.Library) (*dryState, error) {
	d := &dryState{nextID: 1 << 40, records: map[[3]string]*store.ImportRecord{}, articles: map[int64]*content.Article{},
		slugs: map[string]int64{}, redirects: map[string]*content.Redirect{}, gone: map[string]bool{},
		comments: map[int64][]*store.Comment{}, authors: map[int64]*content.Author{}, authorBy: map[string]*content.Author{},
		terms: map[int64]*content.Term{}, termBy: map[string]*content.Term{}, media: map[int64]*content.Media{}}
	dir, err := os.MkdirTemp("", "folio-dry-run-media-*")
	if err != nil {
		return nil, err
	}
	d.scratch = &media.Library{Root: dir}
	if lib != nil {
		d.scratch.MaxBytes = lib.MaxBytes
	}
	return d, nil
}

func (d *dryState) close() {
	if d != nil && d.scratch != nil {
		os.RemoveAll(d.scratch.Root)
	}
}

func (d *dryState) id() int64 { d.nextID++; return d.nextID }

// Reads: the overlay first, then the store (through the open batch).

func (r *run) readRecord(ctx context.Context, sourceID, entity string) (*store.ImportRecord, error) {
	if r.dry != nil {
		if rec, ok := r.dry.records[[3]string{r.source, sourceID, entity}]; ok {
			return rec, nil
		}
	}
	return r.cur.Reads().FindImportRecord(ctx, r.source, sourceID, entity)
}

func (r *run) readArticle(ctx context.Context, id int64) (*content.Article, error) {
	if r.dry != nil {
		if a, ok := r.dry.articles[id]; ok {
			cp := *a
			return &cp, nil
		}
	}
	return r.cur.Reads().FindArticleByID(ctx, id)
}

func (r *run) slugTaken(ctx context.Context, lang, slug string, except int64) (bool, error) {
	if r.dry != nil {
		if id, ok := r.dry.slugs[lang+"\x00"+slug]; ok && id != except {
			return true, nil
		}
	}
	return r.cur.Reads().SlugTaken(ctx, lang, slug, except)
}

func (r *run) readRedirect(ctx context.Context, from string) (*content.Redirect, error) {
	if r.dry != nil {
		if rd, ok := r.dry.redirects[from]; ok {
			return rd, nil
		}
		if r.dry.gone[from] {
			return nil, store.NotFound("redirect", from)
		}
	}
	return r.cur.Reads().FindRedirect(ctx, from)
}

func (r *run) readComments(ctx context.Context, articleID int64) ([]*store.Comment, error) {
	var out []*store.Comment
	if r.dry == nil || articleID < 1<<40 {
		cs, err := r.cur.Reads().FindArticleComments(ctx, articleID)
		if err != nil {
			return nil, err
		}
		out = cs
	}
	if r.dry != nil {
		out = append(out, r.dry.comments[articleID]...)
	}
	return out, nil
}

func (r *run) readAuthor(ctx context.Context, id int64, slug string) (*content.Author, error) {
	if r.dry != nil {
		if a, ok := r.dry.authors[id]; ok && id != 0 {
			return a, nil
		}
		if a, ok := r.dry.authorBy[slug]; ok && slug != "" {
			return a, nil
		}
	}
	if id != 0 {
		return r.opt.Store.FindAuthorByID(ctx, id)
	}
	return r.opt.Store.FindAuthorBySlug(ctx, slug)
}

func (r *run) readTerm(ctx context.Context, id int64, kind content.TermKind, slug string) (*content.Term, error) {
	if r.dry != nil {
		if t, ok := r.dry.terms[id]; ok && id != 0 {
			return t, nil
		}
		if t, ok := r.dry.termBy[string(kind)+":"+slug]; ok && slug != "" {
			return t, nil
		}
	}
	if id != 0 {
		return r.opt.Store.FindTermByID(ctx, id)
	}
	return r.opt.Store.FindTermBySlug(ctx, kind, slug)
}

func (r *run) readMedia(ctx context.Context, id int64) (*content.Media, error) {
	if r.dry != nil {
		if m, ok := r.dry.media[id]; ok {
			return m, nil
		}
	}
	return r.opt.Store.FindMediaByID(ctx, id)
}

// Writes: through the editorial service, or into the overlay after the
// checks the store would make.

func (r *run) writeArticle(ctx context.Context, a *content.Article, pre *editorial.RenderedBody, create bool) error {
	if r.dry == nil {
		if create {
			return r.cur.CreateArticle(ctx, a, editorial.Prerendered(pre))
		}
		return r.cur.UpdateArticle(ctx, a, editorial.Prerendered(pre))
	}
	if err := a.Validate(); err != nil {
		return err
	}
	if create {
		a.ID = r.dry.id()
	}
	for k, id := range r.dry.slugs {
		if id == a.ID {
			delete(r.dry.slugs, k)
		}
	}
	r.dry.slugs[a.Language+"\x00"+a.Slug] = a.ID
	cp := *a
	r.dry.articles[a.ID] = &cp
	return nil
}

func (r *run) writeRedirect(ctx context.Context, rd *content.Redirect) error {
	if r.dry == nil {
		return r.cur.PutRedirect(ctx, rd)
	}
	if err := store.ValidateRedirect(rd); err != nil {
		return err
	}
	cp := *rd
	r.dry.redirects[rd.From] = &cp
	delete(r.dry.gone, rd.From)
	return nil
}

func (r *run) removeRedirect(ctx context.Context, from string) error {
	if r.dry == nil {
		return r.cur.DeleteRedirect(ctx, from)
	}
	delete(r.dry.redirects, from)
	r.dry.gone[from] = true
	return nil
}

func (r *run) writeRecord(ctx context.Context, rec *store.ImportRecord) error {
	if r.dry == nil {
		return r.cur.PutImportRecord(ctx, rec)
	}
	cp := *rec
	r.dry.records[[3]string{rec.Kind, rec.SourceID, rec.EntityKind}] = &cp
	return nil
}

func (r *run) writeComment(ctx context.Context, c *store.Comment) error {
	if r.dry == nil {
		return r.cur.PutComment(ctx, c)
	}
	if c.ID == 0 {
		c.ID = r.dry.id()
	}
	cs := r.dry.comments[c.ArticleID]
	for i, old := range cs {
		if old.SourceID == c.SourceID && c.SourceID != "" {
			cs[i] = c
			return nil
		}
	}
	r.dry.comments[c.ArticleID] = append(cs, c)
	return nil
}

func (r *run) writeAuthor(ctx context.Context, a *content.Author) error {
	if r.dry == nil {
		return r.ed.CreateAuthor(ctx, a)
	}
	if err := a.Validate(); err != nil {
		return err
	}
	a.ID = r.dry.id()
	r.dry.authors[a.ID] = a
	r.dry.authorBy[a.Slug] = a
	return nil
}

func (r *run) writeTerm(ctx context.Context, t *content.Term) error {
	if r.dry == nil {
		return r.ed.CreateTerm(ctx, t)
	}
	if err := t.Validate(); err != nil {
		return err
	}
	t.ID = r.dry.id()
	r.dry.terms[t.ID] = t
	r.dry.termBy[string(t.Kind)+":"+t.Slug] = t
	return nil
}

func (r *run) writeMedia(ctx context.Context, filename string, src io.Reader, meta media.Meta) (*content.Media, error) {
	if r.dry == nil {
		return r.ed.SaveMedia(ctx, r.opt.Media, filename, src, meta)
	}
	m, err := r.dry.scratch.Ingest(ctx, filename, src, meta)
	if err != nil {
		return nil, err
	}
	r.dry.scratch.Discard(m)
	m.ID = r.dry.id()
	r.dry.media[m.ID] = m
	return m, nil
}
