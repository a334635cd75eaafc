package importer

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"folio/internal/content"
	"folio/internal/store"
)

// An import is all or nothing: every write is journaled with how to undo
// it, and a failed run undoes them newest first. Steps are data, not
// closures, so that all but the newest journalChunk of them wait in a temp
// file: the journal of a 1 GB export must not grow the heap with it.

// Undo operations.
const (
	undoArticleNew = "article-created" // delete article ID and the gone marker at Path
	undoArticleOld = "article-updated" // put Article back
	undoRecord     = "record"          // put Record back, or delete Key's record when Record is nil
	undoRedirect   = "redirect"        // put Redirect back, or delete Path's redirect when Redirect is nil
	undoCommentNew = "comment-created" // delete comment ID
	undoCommentOld = "comment-updated" // put Comment back
	undoAuthor     = "author-created"  // delete author ID
	undoTerm       = "term-created"    // delete term ID
	undoMedia      = "media-created"   // delete media ID and its file
)

// undoStep is how to undo one write.
type undoStep struct {
	Op        string              `json:"op"`
	ID        int64               `json:"id,omitempty"`
	ArticleID int64               `json:"article_id,omitempty"` // a new comment's article
	Path      string              `json:"path,omitempty"`
	Key       *store.ImportRecord `json:"key,omitempty"`
	Record    *store.ImportRecord `json:"record,omitempty"`
	Redirect  *content.Redirect   `json:"redirect,omitempty"`
	Comment   *store.Comment      `json:"comment,omitempty"`
	Article   *content.Article    `json:"article,omitempty"`
}

// journalChunk is how many steps stay in memory before they go to disk.
const journalChunk = 1024

// journal holds the undo steps of a run: the newest in mem, older ones in
// segments of file.
type journal struct {
	chunk int // journalChunk when 0
	mem   []undoStep
	file  *os.File
	segs  [][2]int64 // [start, end) of each spilled chunk, oldest first
	size  int64
}

func (j *journal) add(steps ...undoStep) error {
	for _, st := range steps {
		j.mem = append(j.mem, st)
		limit := j.chunk
		if limit <= 0 {
			limit = journalChunk
		}
		if len(j.mem) >= limit {
			if err := j.spill(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (j *journal) spill() error {
	if j.file == nil {
		f, err := os.CreateTemp("", "folio-import-undo-*.jsonl")
		if err != nil {
			return fmt.Errorf("importer: undo journal: %w", err)
		}
		j.file = f
	}
	bw := bufio.NewWriter(io.NewOffsetWriter(j.file, j.size))
	cw := &countWriter{w: bw}
	enc := json.NewEncoder(cw)
	for i := range j.mem {
		if err := enc.Encode(&j.mem[i]); err != nil {
			return fmt.Errorf("importer: undo journal: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("importer: undo journal: %w", err)
	}
	j.segs = append(j.segs, [2]int64{j.size, j.size + cw.n})
	j.size += cw.n
	clear(j.mem)
	j.mem = j.mem[:0]
	return nil
}

// replay calls fn on every step, newest first, and returns every error.
func (j *journal) replay(fn func(undoStep) error) []error {
	var errs []error
	apply := func(steps []undoStep) {
		for i := len(steps) - 1; i >= 0; i-- {
			if err := fn(steps[i]); err != nil {
				errs = append(errs, err)
			}
		}
	}
	apply(j.mem)
	for i := len(j.segs) - 1; i >= 0; i-- {
		seg := j.segs[i]
		dec := json.NewDecoder(io.NewSectionReader(j.file, seg[0], seg[1]-seg[0]))
		var steps []undoStep
		for {
			var st undoStep
			if err := dec.Decode(&st); err == io.EOF {
				break
			} else if err != nil {
				errs = append(errs, fmt.Errorf("importer: undo journal: %w", err))
				break
			}
			steps = append(steps, st)
		}
		apply(steps)
	}
	return errs
}

func (j *journal) close() {
	if j.file != nil {
		j.file.Close()
		os.Remove(j.file.Name())
	}
	*j = journal{chunk: j.chunk}
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// undo reverses one journaled write, on the store directly: the batch it
// was made in has committed.
func (r *run) undoOne(ctx context.Context, st undoStep) error {
	notFoundOK := func(err error) error {
		if content.ErrorCode(err) == content.ENOTFOUND {
			return nil
		}
		return err
	}
	switch st.Op {
	case undoArticleNew:
		if err := notFoundOK(r.ed.DeleteArticle(ctx, st.ID)); err != nil {
			return err
		}
		return notFoundOK(r.ed.DeleteRedirect(ctx, st.Path))
	case undoArticleOld:
		return r.ed.UpdateArticle(ctx, st.Article)
	case undoRecord:
		if st.Record != nil {
			return r.ed.PutImportRecord(ctx, st.Record)
		}
		return r.ed.DeleteImportRecord(ctx, st.Key.Kind, st.Key.SourceID, st.Key.EntityKind)
	case undoRedirect:
		if st.Redirect != nil {
			return r.ed.PutRedirect(ctx, st.Redirect)
		}
		return r.ed.DeleteRedirect(ctx, st.Path)
	case undoCommentNew:
		return notFoundOK(r.ed.DeleteComment(ctx, st.ArticleID, st.ID))
	case undoCommentOld:
		return r.ed.PutComment(ctx, st.Comment)
	case undoAuthor:
		return r.ed.DeleteAuthor(ctx, st.ID)
	case undoTerm:
		return r.ed.DeleteTerm(ctx, st.ID)
	case undoMedia:
		return r.ed.DeleteMedia(ctx, r.opt.Media, st.ID)
	}
	return fmt.Errorf("importer: unknown undo step %q", st.Op)
}
