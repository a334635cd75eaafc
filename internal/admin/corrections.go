package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"folio/internal/content"
)

// addNote publishes the correction or update note typed in the editor, if
// any; it reports whether there was one.
func (a *Admin) addNote(r *http.Request, art *content.Article) (bool, error) {
	text := strings.TrimSpace(r.PostFormValue("note_text"))
	if text == "" {
		return false, nil
	}
	c := &content.Correction{ArticleID: art.ID, Kind: r.PostFormValue("note_kind"), Position: r.PostFormValue("note_position"), Text: text}
	if err := a.editor(r).AddCorrection(r.Context(), c); err != nil {
		return false, err
	}
	a.audit(r, "correction.add", "article", art.ID, fmt.Sprintf("%s on %q", c.Kind, art.Title))
	return true, nil
}

func (a *Admin) handleCorrectionDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	cid, err := strconv.ParseInt(r.PathValue("cid"), 10, 64)
	if err != nil {
		return content.Errorf(content.ENOTFOUND, "no correction %q", r.PathValue("cid"))
	}
	if err := a.editor(r).DeleteCorrection(r.Context(), id, cid); err != nil {
		return err
	}
	a.audit(r, "correction.delete", "article", id, fmt.Sprintf("withdrew note %d", cid))
	return seeOther(w, r, fmt.Sprintf("/admin/articles/%d?done=saved", id))
}

// substantive reports whether an edit of a published body changed more
// than spacing and punctuation: then the editor is asked whether readers
// should get a note.
func substantive(before, after string) bool {
	norm := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, s)
	}
	return norm(before) != norm(after)
}
