package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"folio/internal/config"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/jobs"
	"folio/internal/mail"
	"folio/internal/translate"
)

// cmdTranslate machine-translates one article in the foreground:
//
//	folio translate --article ID --to LANG [--provider P] [--force]
//
// It prints progress to stderr and the result to stdout. On any failure
// nothing is written, so the original (and any earlier translation) stays
// served. A running server's page cache drops the pages it changed on
// its next write or restart; use the admin to translate on a live site.
func cmdTranslate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var id int64
	var to, provider string
	var force bool
	cfg, err := loadConfig("translate", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.Int64Var(&id, "article", 0, "ID of the article to translate")
		fs.StringVar(&to, "to", "", "target language (BCP 47), e.g. es")
		fs.StringVar(&provider, "provider", "", "apertium, libretranslate or deepl (default: FOLIO_TRANSLATE_PROVIDER)")
		fs.BoolVar(&force, "force", false, "replace a translation a person wrote or reviewed")
	})
	if err != nil {
		return err
	}
	if id <= 0 || to == "" {
		return errors.New("usage: folio translate --article ID --to LANG [--provider P] [--force]")
	}
	providers, err := translate.FromConfig(cfg, provider)
	if err != nil {
		return fmt.Errorf("translate: %s", content.ErrorMessage(err))
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	log := newLogger(cfg, stderr)
	ed, _, err := cliEditorial(ctx, cfg, db, log)
	if err != nil {
		return err
	}
	svc := translate.New(ed, db, providers, translate.WithLogger(log))
	last := -1
	a, err := svc.TranslateArticle(ctx, id, to, translate.Options{Force: force, Progress: func(done, total int) {
		if done != last {
			last = done
			fmt.Fprintf(stderr, "translating article %d to %s with %s: %d/%d segments\n", id, to, providers[0].Name(), done, total)
		}
	}})
	if err != nil {
		// The message names the provider and the pair; the cause (engine
		// output, HTTP status) is for logs.
		return fmt.Errorf("translate: %s (nothing was changed)", content.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "article %d translated to %s as article %d (%s, %s, machine translation via %s)\n",
		id, to, a.ID, a.Slug, a.Status, a.Translation.Provider)
	return nil
}

// newTranslation builds the translation service of a serving process:
// jobs run on the durable queue and translators of outdated translations
// are mailed (or, without SMTP, the notice is logged and kept).
func newTranslation(cfg config.Config, log *slog.Logger, db siteStore, ed *editorial.Service, q *jobs.Queue, sender mail.Sender) (*translate.Service, error) {
	providers, err := translate.FromConfig(cfg, "")
	if err != nil {
		return nil, fmt.Errorf("translation: %s", content.ErrorMessage(err))
	}
	siteName := func() string {
		if st, err := db.Settings(context.Background()); err == nil {
			return st.Title
		}
		return "Folio"
	}
	svc := translate.New(ed, db, providers, translate.WithLogger(log), translate.WithQueue(q),
		translate.WithNotifier(&translate.MailNotifier{Users: db, Mail: sender, SiteName: siteName}))
	jobs.Register(q, &translate.Worker{S: svc})
	return svc, nil
}
