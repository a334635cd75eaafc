package editorial

import (
	"context"
	"fmt"

	"folio/internal/content"
	"folio/internal/render/markdown"
	"folio/internal/store"
)

// RenderedBody is an article body rendered to sanitized HTML, with the
// excerpt it yields, ahead of the write that stores it. Rendering and
// sanitizing are CPU-bound and depend on nothing stored, so a bulk writer
// renders on every core while one goroutine writes.
type RenderedBody struct {
	markdown, html, excerpt string
	err                     error
}

// RenderBody renders md as CreateArticle and UpdateArticle would. It is
// safe to call from many goroutines.
func RenderBody(md string) *RenderedBody {
	h, err := markdown.ToHTML(md)
	if err != nil {
		return &RenderedBody{markdown: md, err: err}
	}
	return &RenderedBody{markdown: md, html: h, excerpt: markdown.Excerpt(h, excerptLen)}
}

// Batch writes many articles in one store transaction and tells OnChange
// listeners once, after the commit, with every dependency key the batch
// touched. Rules are those of CreateArticle and UpdateArticle.
type Batch struct {
	s       *Service
	tx      store.BatchTx
	deps    []string
	seen    map[string]bool
	updated [][2]*content.Article // old, new: for OnArticleUpdated after the commit
}

// Batch runs fn with a Batch bound to one transaction of bs. Nothing is
// kept, and nobody is notified, unless fn returns nil and the commit
// succeeds. fn may read and write import bookkeeping through b.Tx().
func (s *Service) Batch(ctx context.Context, bs store.BatchStore, fn func(b *Batch) error) error {
	var b *Batch
	err := bs.Batch(ctx, func(tx store.BatchTx) error {
		b = &Batch{s: s, tx: tx, seen: map[string]bool{}}
		return fn(b)
	})
	if err != nil {
		return err
	}
	s.notify(b.deps...)
	for _, u := range b.updated {
		s.articleUpdated(ctx, u[0], u[1])
	}
	return nil
}

// Tx is the batch's transaction, for the writes that are not articles.
func (b *Batch) Tx() store.BatchTx { return b.tx }

// CreateArticle is Service.CreateArticle inside the batch. pre, when it was
// rendered from a.BodyMarkdown, saves rendering again; nil renders here.
func (b *Batch) CreateArticle(ctx context.Context, a *content.Article, pre *RenderedBody) error {
	a.ID = 0
	if err := b.s.prepareWith(ctx, a, a.Slug == "", pre, b.tx.SlugTaken); err != nil {
		return err
	}
	if err := b.tx.CreateArticle(ctx, a); err != nil {
		return fmt.Errorf("editorial: create article: %w", err)
	}
	b.changed(a)
	return nil
}

// UpdateArticle is Service.UpdateArticle inside the batch.
func (b *Batch) UpdateArticle(ctx context.Context, a *content.Article, pre *RenderedBody) error {
	old, err := b.tx.FindArticleByID(ctx, a.ID)
	if err != nil {
		return fmt.Errorf("editorial: update article %d: %w", a.ID, err)
	}
	keepStored(a, old)
	if err := b.s.prepareWith(ctx, a, a.Slug == "", pre, b.tx.SlugTaken); err != nil {
		return err
	}
	if err := b.tx.UpdateArticle(ctx, a); err != nil {
		return fmt.Errorf("editorial: update article %d: %w", a.ID, err)
	}
	b.changed(old, a)
	cp := *a
	b.updated = append(b.updated, [2]*content.Article{old, &cp})
	return nil
}

// changed adds the keys articleChanged would notify, once each.
func (b *Batch) changed(states ...*content.Article) {
	add := func(ds ...string) {
		for _, d := range ds {
			if !b.seen[d] {
				b.seen[d] = true
				b.deps = append(b.deps, d)
			}
		}
	}
	for _, a := range states {
		if a.Status == content.StatusPublished {
			add(ArticleDeps(a)...)
		} else {
			add(ArticleDep(a.ID))
		}
	}
}
