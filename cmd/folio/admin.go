package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"folio/internal/admin"
	"folio/internal/auth"
	"folio/internal/config"
	"folio/internal/media"
)

// mountAdmin wires staff sign-in and the editorial admin into mux.
func mountAdmin(ctx context.Context, mux *http.ServeMux, a *app, cfg config.Config, log *slog.Logger, lib *media.Library) error {
	key, err := admin.LoadPreviewKey(cfg.DataDir)
	if err != nil {
		return err
	}
	baseURL := func() string {
		if cfg.BaseURL != "" {
			return strings.TrimRight(cfg.BaseURL, "/")
		}
		st, err := a.db.Settings(context.WithoutCancel(ctx))
		if err != nil {
			return ""
		}
		return st.BaseURL
	}
	siteName := func() string {
		st, err := a.db.Settings(context.WithoutCancel(ctx))
		if err != nil {
			return "Folio"
		}
		return st.Title
	}
	proxies, err := cfg.TrustedProxyPrefixes()
	if err != nil {
		return err
	}
	au := auth.New(auth.Config{Users: a.db, Sessions: a.db, Audit: a.db, Mailer: a.mail, BaseURL: baseURL,
		SiteName: siteName, Logger: log, SecureCookies: cfg.CookiesSecure(), TrustedProxies: proxies})
	if a.svc == nil || a.rnd == nil {
		return fmt.Errorf("admin: editorial service and renderer must be built first")
	}
	admin.New(admin.Config{Store: a.db, Editorial: a.svc, Auth: au, Media: lib, Renderer: a.rnd, Logger: log,
		PreviewKey: key, MaxUpload: cfg.MaxUploadBytes, MaxBody: cfg.MaxBodyBytes, BaseURL: cfg.BaseURL, Translate: a.tr,
		RepublishPending: a.republish.counter.Pending}).Register(mux)
	return nil
}
