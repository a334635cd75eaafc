package admin

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/render"
	"folio/internal/urls"
)

// PreviewLifetime is how long a signed draft preview link works.
const PreviewLifetime = 7 * 24 * time.Hour

// LoadPreviewKey returns the secret that signs preview links, kept in
// dir/preview.key and created (32 random bytes, mode 0600) on first use,
// so links survive restarts and never depend on the database.
func LoadPreviewKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, "preview.key")
	b, err := os.ReadFile(path)
	if err == nil {
		key, derr := hex.DecodeString(strings.TrimSpace(string(b)))
		if derr != nil || len(key) < 32 {
			return nil, fmt.Errorf("admin: preview key %s is malformed", path)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("admin: read preview key: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("admin: make preview key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return LoadPreviewKey(dir) // another process made it first
	} else if err != nil {
		return nil, fmt.Errorf("admin: write preview key: %w", err)
	}
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("admin: write preview key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("admin: write preview key: %w", err)
	}
	return key, nil
}

// previewSig signs the article, the version shared and the expiry.
func (a *Admin) previewSig(id int64, version int, exp int64) string {
	m := hmac.New(sha256.New, a.cfg.PreviewKey)
	fmt.Fprintf(m, "preview\x00%d\x00%d\x00%d", id, version, exp)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (a *Admin) previewPath(art *content.Article, until time.Time) string {
	exp := until.Unix()
	return fmt.Sprintf("/preview/%d?v=%d&exp=%d&sig=%s", art.ID, art.Version, exp, a.previewSig(art.ID, art.Version, exp))
}

var errBadPreview = content.Errorf(content.ENOTFOUND, "This preview link is invalid or has expired. Ask for a new one.")

// handleSignedPreview shows a draft to anyone holding a valid link, with
// the public theme, marked noindex. The link names a version; later edits
// show too, since reviewers want the current text.
func (a *Admin) handleSignedPreview(w http.ResponseWriter, r *http.Request) error {
	if len(a.cfg.PreviewKey) == 0 {
		return errBadPreview
	}
	ctx := r.Context()
	q := r.URL.Query()
	id, err1 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	version, err2 := strconv.Atoi(q.Get("v"))
	exp, err3 := strconv.ParseInt(q.Get("exp"), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return errBadPreview
	}
	want := a.previewSig(id, version, exp)
	if !hmac.Equal([]byte(want), []byte(q.Get("sig"))) || a.now().Unix() > exp {
		return errBadPreview
	}
	art, err := a.st.FindArticleByID(ctx, id)
	if content.ErrorCode(err) == content.ENOTFOUND {
		return errBadPreview
	} else if err != nil {
		return err
	}
	return a.previewPage(w, r, art)
}

// previewPage renders art with the public theme, as readers will see it
// (the body's library figures with their variants), marked noindex.
func (a *Admin) previewPage(w http.ResponseWriter, r *http.Request, art *content.Article) error {
	ctx := r.Context()
	st, err := a.st.Settings(ctx)
	if err != nil {
		return err
	}
	if a.cfg.BaseURL != "" {
		cp := *st
		cp.BaseURL = strings.TrimRight(a.cfg.BaseURL, "/")
		st = &cp
	}
	if art.PublishedAt.IsZero() {
		art.PublishedAt = a.now()
	}
	s := render.Site{Settings: st, URLs: urls.New(st), Lang: art.Language, Now: a.now()}
	if s.Variants, err = a.bodyVariants(ctx, art.BodyHTML); err != nil {
		return err
	}
	v := render.NewArticleViewWith(s, art, nil, nil, render.ArticleOptions{FullText: true}) // staff see the whole text
	v.NoIndex = true
	v.Title = "Preview: " + v.Title
	var buf bytes.Buffer
	if err := a.cfg.Renderer.Article(&buf, v); err != nil {
		return fmt.Errorf("admin: render preview of article %d: %w", art.ID, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err = w.Write(buf.Bytes())
	return err
}

// bodyVariants loads the variants of the media items body shows, and of
// the featured image the preview shows.
func (a *Admin) bodyVariants(ctx context.Context, body string) (map[int64][]content.MediaVariant, error) {
	ids := render.BodyMediaIDs(body)
	if len(ids) == 0 {
		return nil, nil
	}
	vs, err := a.st.FindMediaVariants(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("admin: variants for a preview: %w", err)
	}
	return vs, nil
}
