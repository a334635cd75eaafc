package site

import (
	"io/fs"
	"net/http"
	"strings"
)

// staticHandler serves theme files. Their URLs carry a content hash, so
// they may be cached for a long time.
func (s *Site) staticHandler() http.Handler {
	fsrv := http.FileServerFS(noDirs{s.render.Static()})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		fsrv.ServeHTTP(w, r)
	})
}

// mediaHandler serves uploaded files. Media is never rendered inline as
// active content: uploads are checked at upload time (SVG drawings are
// rewritten without script and served sandboxed, PDFs are downloads), and
// nosniff keeps browsers from guessing otherwise.
func (s *Site) mediaHandler() http.Handler {
	if s.media == nil {
		return http.NotFoundHandler()
	}
	fsrv := http.FileServerFS(noDirs{s.media})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") || r.URL.Path == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		switch {
		case strings.HasSuffix(r.URL.Path, ".svg"):
			w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
		case strings.HasSuffix(r.URL.Path, ".pdf"):
			// A PDF is a download: the reader's own viewer opens it, not a
			// tab of this origin that runs the document's scripts.
			w.Header().Set("Content-Disposition", "attachment")
			w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
		}
		fsrv.ServeHTTP(w, r)
	})
}

// noDirs hides directory listings.
type noDirs struct{ fsys fs.FS }

func (n noDirs) Open(name string) (fs.File, error) {
	f, err := n.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.IsDir() {
		f.Close()
		return nil, fs.ErrNotExist
	}
	return f, nil
}
