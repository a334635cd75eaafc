package admin

import (
	"context"
	"net/http"
	"strings"

	"folio/internal/content"
	"folio/internal/store"
)

// PagesView lists the pages as a tree: each page after its parent,
// indented by its depth.
type PagesView struct {
	Base
	Pages []PageRow
}

// PageRow is one page in the tree.
type PageRow struct {
	*content.Article
	Depth int
}

// Indent is the row's left padding class, so the tree needs no inline style.
func (p PageRow) Indent() string { return "depth-" + string(rune('0'+min(p.Depth, 5))) }

func (a *Admin) handlePages(w http.ResponseWriter, r *http.Request) error {
	pages, _, err := a.st.FindArticles(r.Context(), store.ArticleFilter{Type: content.TypePage})
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "pages", &PagesView{Base: Base{Title: "Pages"}, Pages: pageTree(pages)})
}

// pageTree orders pages parent first, children by title; a page whose
// parent is gone is shown at the top level.
func pageTree(pages []*content.Article) []PageRow {
	byID := map[int64]bool{}
	kids := map[int64][]*content.Article{}
	for _, p := range pages {
		byID[p.ID] = true
	}
	for _, p := range pages {
		parent := p.ParentID
		if !byID[parent] {
			parent = 0
		}
		kids[parent] = append(kids[parent], p)
	}
	var out []PageRow
	seen := map[int64]bool{}
	var walk func(id int64, depth int)
	walk = func(id int64, depth int) {
		list := kids[id]
		sortByTitle(list)
		for _, p := range list {
			if seen[p.ID] {
				continue
			}
			seen[p.ID] = true
			out = append(out, PageRow{Article: p, Depth: depth})
			walk(p.ID, depth+1)
		}
	}
	walk(0, 0)
	return out
}

// Dashes marks the row's depth in a select, where padding cannot.
func (p PageRow) Dashes() string { return strings.Repeat("– ", p.Depth) }

func sortByTitle(as []*content.Article) {
	for i := 1; i < len(as); i++ {
		for j := i; j > 0 && strings.ToLower(as[j].Title) < strings.ToLower(as[j-1].Title); j-- {
			as[j], as[j-1] = as[j-1], as[j]
		}
	}
}

func (a *Admin) handlePageNew(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if !a.editor(r).Can(content.ActCreateArticle) {
		return content.Errorf(content.EFORBIDDEN, "your role may not create pages")
	}
	st, err := a.st.Settings(ctx)
	if err != nil {
		return err
	}
	art := &content.Article{Type: content.TypePage, Language: st.DefaultLanguage, Status: content.StatusDraft}
	art.ParentID = int64(formIntQ(r.URL.Query(), "parent"))
	v, err := a.editorView(ctx, r, art, 0)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "editor", v)
}

// parentOptions are the pages a page may sit under: any page but itself
// and its descendants (the service refuses a cycle anyway; the list
// should not offer one).
func (a *Admin) parentOptions(ctx context.Context, self int64) ([]PageRow, error) {
	pages, _, err := a.st.FindArticles(ctx, store.ArticleFilter{Type: content.TypePage})
	if err != nil {
		return nil, err
	}
	var out []PageRow
	skip := map[int64]bool{self: self != 0}
	for _, p := range pageTree(pages) {
		if skip[p.ParentID] || skip[p.ID] {
			skip[p.ID] = true
			continue
		}
		out = append(out, p)
	}
	return out, nil
}
