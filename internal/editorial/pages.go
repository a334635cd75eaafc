package editorial

import (
	"context"
	"fmt"

	"folio/internal/content"
	"folio/internal/store"
)

// maxPageDepth bounds the page tree: About › Team › Desk is deep enough for
// any navigation, and the bound keeps the cycle check short.
const maxPageDepth = 6

// checkParent makes sure a page's parent is a stored page and that hanging
// a under it makes no cycle and no tree deeper than maxPageDepth.
func checkParent(ctx context.Context, a *content.Article, tx store.TxReader) error {
	if !a.IsPage() || a.ParentID == 0 {
		return nil
	}
	id := a.ParentID
	for depth := 1; id != 0; depth++ {
		if a.ID != 0 && id == a.ID {
			return invalidField("parent_id", "page %d is below this page; a page cannot sit under its own child", a.ParentID)
		}
		if depth > maxPageDepth {
			return invalidField("parent_id", "pages nest at most %d levels deep", maxPageDepth)
		}
		p, err := tx.FindArticleByID(ctx, id)
		if content.ErrorCode(err) == content.ENOTFOUND {
			return invalidField("parent_id", "page %d does not exist", id)
		} else if err != nil {
			return fmt.Errorf("editorial: check parent page %d: %w", id, err)
		}
		if !p.IsPage() {
			return invalidField("parent_id", "%d is an article, not a page", id)
		}
		id = p.ParentID
	}
	return nil
}

func invalidField(field, format string, args ...any) error {
	return &content.Error{Code: content.EINVALID, Message: "article is invalid",
		Fields: map[string]string{field: fmt.Sprintf(format, args...)}}
}
