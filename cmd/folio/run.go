package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"

	"folio/internal/api"
	"folio/internal/auth"
	"folio/internal/cache"
	"folio/internal/cache/key"
	"folio/internal/changes"
	"folio/internal/config"
	"folio/internal/content"
	"folio/internal/demo"
	"folio/internal/editorial"
	"folio/internal/health"
	"folio/internal/jobs"
	"folio/internal/mail"
	"folio/internal/media"
	"folio/internal/media/s3media"
	"folio/internal/metrics"
	"folio/internal/newsletter"
	"folio/internal/readers"
	"folio/internal/render"
	"folio/internal/search"
	"folio/internal/seed"
	"folio/internal/server"
	"folio/internal/site"
	"folio/internal/translate"
	"folio/internal/webhooks"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usageText = `Folio publishes and serves a newsroom site from one binary.

Usage:
  folio serve [--addr :8080] [--data ./folio-data] [--demo] [flags]
  folio migrate [--data DIR | --database postgres://…]
  folio migrate-db --from sqlite:PATH --to postgres://…
  folio token create --name NAME [--data DIR]
  folio user add --email E --name N --role R [--author-slug S] [--password-stdin]
  folio user list | set-role --email E --role R | reset-password --email E
  folio export-static [--data DIR] [--base-url URL] OUT
  folio import wordpress|ghost FILE [--uploads DIR] [--map MAP] [--dry-run] [--force]
  folio import folio FILE | folio export FILE
  folio backup FILE | folio restore FILE DIR
  folio translate --article ID --to LANG [--provider apertium|libretranslate|deepl] [--force]
  folio search reindex [--data DIR]
  folio version

Run "folio serve -h" for every flag; each also reads a FOLIO_* variable.
`

// run is main without the process: tests call it with their own arguments,
// environment and output, and cancel ctx to stop the server.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], getenv, stdout, stderr, nil)
	case "migrate":
		return cmdMigrate(ctx, args[1:], getenv, stdout, stderr)
	case "migrate-db":
		return cmdMigrateDB(ctx, args[1:], getenv, stdout, stderr)
	case "token":
		return cmdToken(ctx, args[1:], getenv, stdout, stderr)
	case "user":
		return cmdUser(ctx, args[1:], getenv, stdout, stderr)
	case "import":
		return cmdImport(ctx, args[1:], getenv, stdout, stderr)
	case "export":
		return cmdExport(ctx, args[1:], getenv, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, args[1:], getenv, stdout, stderr)
	case "restore":
		return cmdRestore(ctx, args[1:], getenv, stdout, stderr)
	case "export-static":
		return cmdExportStatic(ctx, args[1:], getenv, stdout, stderr)
	case "translate":
		return cmdTranslate(ctx, args[1:], getenv, stdout, stderr)
	case "search":
		return cmdSearch(ctx, args[1:], getenv, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "folio", versionString())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usageText)
		return nil
	}
	fmt.Fprint(stderr, usageText)
	return fmt.Errorf("unknown command %q", args[0])
}

func versionString() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

// loadConfig applies the environment, then the flags of one command.
func loadConfig(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (config.Config, error) {
	cfg, rest, err := loadConfigArgs(name, args, getenv, stderr, extra)
	if err == nil && len(rest) > 0 {
		err = fmt.Errorf("unexpected argument %q", rest[0])
	}
	return cfg, err
}

// loadConfigArgs is loadConfig for commands that take positional arguments.
func loadConfigArgs(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (config.Config, []string, error) {
	cfg := config.Default()
	if err := cfg.LoadEnv(getenv); err != nil {
		return cfg, nil, err
	}
	fs := flag.NewFlagSet("folio "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Bind(fs)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return cfg, nil, err
	}
	return cfg, fs.Args(), cfg.Validate()
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	level, _ := cfg.Level()
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// app is the wired application shared by serve and export-static.
type app struct {
	db      siteStore
	metrics *metrics.Metrics
	svc     *editorial.Service
	cache   *cache.Cache
	site    *site.Site
	// refresh re-renders hot pages after invalidations; serve runs it.
	refresh *site.Refresher
	rnd     *render.Renderer
	media   string // media directory
	jobs    *jobs.Queue
	mail    mail.Sender // queues on jobs; see newMailer
	relay   *changes.Relay
	hooks   *webhooks.Dispatcher // serve runs it
	notices *readers.Notifier    // queues reply notices from this process's comment writes
	tr      *translate.Service
	sends   *newsletter.Sender
	lib     *media.Library
	h       http.Handler
	// republish counts republished views in memory; serve flushes them.
	republish *republishing

	search     search.Index // nil unless opened withSearch
	follow     *search.Follower
	followWG   sync.WaitGroup
	stopFollow context.CancelFunc
}

// newApp opens the store, loads the demo when asked and wires the handlers.
func newApp(ctx context.Context, cfg config.Config, log *slog.Logger, opts ...appOption) (*app, error) {
	var o appOptions
	for _, fn := range opts {
		fn(&o)
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	a := &app{db: db, media: filepath.Join(cfg.DataDir, "media")}
	fail := func(err error) (*app, error) {
		a.closeSearch()
		db.Close()
		return nil, err
	}
	// The job queue keeps its tables in folio.db and shares the store's
	// pool; workers are registered below, serve starts it.
	if a.jobs, err = openJobs(ctx, db, log); err != nil {
		return fail(err)
	}
	a.mail = newMailer(cfg, log, a.jobs)
	if cfg.CacheBytes > 0 {
		a.cache = cache.New(cfg.CacheBytes)
	}
	// Writes drop this process's cached pages at once and go to the change
	// log, through which serve also hears of writes by other processes.
	a.relay = changes.New(db, log)
	if a.cache != nil {
		a.relay.Subscribe(func(ev key.Event) { a.cache.Invalidate(ev.Keys...) })
	}
	// Webhooks follow the change log; serve runs the dispatcher, which a
	// local write nudges. Reply notices follow this process's writes only
	// (another node's comment is that node's to announce).
	a.hooks = newWebhooks(db, a.jobs, log)
	a.relay.Subscribe(func(key.Event) { a.hooks.Nudge() })
	a.notices = &readers.Notifier{Queue: a.jobs, Log: log}
	a.svc = editorial.New(db, editorial.OnChange(a.relay.Publish), editorial.OnChange(a.notices.Consume))
	if o.search {
		if err := a.openSearch(ctx, cfg, log); err != nil {
			return fail(err)
		}
	}
	// Every image saved through lib gets its responsive variants from this
	// worker, which records them through the service (dropping the cached
	// pages showing the image) when done.
	lib, err := newMediaLibrary(cfg, a.svc, db, a.jobs)
	if err != nil {
		return fail(err)
	}
	a.lib = lib
	if a.tr, err = newTranslation(cfg, log, db, a.svc, a.jobs, a.mail); err != nil {
		return fail(err)
	}
	readerKey, err := readers.LoadKey(cfg.DataDir)
	if err != nil {
		return fail(err)
	}
	a.sends = newNewsletters(cfg, log, a, db, readerKey)
	if err := os.MkdirAll(a.media, 0o755); err != nil {
		return fail(fmt.Errorf("media directory: %w", err))
	}
	if cfg.Demo {
		ds, err := demo.Load()
		if err != nil {
			return fail(err)
		}
		// The demo's settings name the address it is served from: the
		// --base-url, else the listen address, never a fixed one.
		base := cfg.BaseURL
		if base == "" {
			base = localBaseURL(cfg.Addr)
		}
		ds.Rebase(base)
		var loaded bool
		// The sample comments are not news to anyone: no reply notices.
		err = a.notices.Quietly(func() (err error) {
			loaded, err = seed.Demo(ctx, a.svc, a.media, ds)
			return err
		})
		if err != nil {
			return fail(err)
		}
		if loaded && lib.Objects != nil {
			if err := uploadDir(ctx, lib.Objects, a.media, "demo"); err != nil {
				return fail(err)
			}
		}
		if loaded {
			log.Info("demo publication loaded", "articles", len(ds.Articles))
		}
	}
	if a.rnd, err = render.New(render.Options{ThemeDir: cfg.ThemeDir}); err != nil {
		return fail(fmt.Errorf("theme: %w", err))
	}
	proxies, err := cfg.TrustedProxyPrefixes()
	if err != nil {
		return fail(err)
	}
	a.metrics = newMetrics(a)
	a.site = site.New(site.Config{Store: db, Renderer: a.rnd, Media: lib.FS(), Logger: log, BaseURL: cfg.BaseURL, Cache: a.cache, StrictI18n: cfg.I18nStrict,
		OnDemand: a.tr, OnRender: a.metrics.ObserveRender, Search: a.searchIndex(), SearchForm: !o.static || o.searchSite != "", SearchSite: o.searchSite,
		ClientIP: func(r *http.Request) string { return auth.RealIP(r, proxies) }})
	if a.refresh = a.site.NewRefresher(); a.refresh != nil {
		// Hot pages a write drops are rendered again at once, by serve's
		// workers, before readers come back for them.
		a.cache.OnDrop(a.refresh.Enqueue)
	}
	mux := http.NewServeMux()
	// Load balancers probe the site's own address; error details are kept
	// for the operator's listener (--metrics-addr).
	mux.Handle("GET /healthz", health.Live())
	mux.Handle("GET /readyz", health.Ready(false, readiness(a)...))
	api.New(api.Config{Store: db, Editorial: a.svc, Media: lib, Logger: log, MaxBody: cfg.MaxBodyBytes, MaxUpload: cfg.MaxUploadBytes, BaseURL: cfg.BaseURL,
		Search: a.searchIndex(), ClientIP: func(r *http.Request) string { return auth.RealIP(r, proxies) }}).Register(mux)
	a.site.Register(mux)
	if a.republish, err = mountRepublish(ctx, mux, a, cfg, log); err != nil {
		return fail(err)
	}
	if err := mountAdmin(ctx, mux, a, cfg, log, lib); err != nil {
		return fail(err)
	}
	if err := mountReaders(ctx, mux, a, db, cfg, log, readerKey); err != nil {
		return fail(err)
	}
	mountMailHooks(mux, a, cfg, log, readerKey)
	a.h = a.metrics.Middleware(server.Chain(a.site.CleanPaths(mux), server.WithRequestID, server.WithLogging(log), server.WithRecover(log), server.WithSecurityHeaders))
	return a, nil
}

// newMediaLibrary returns the media library of a data directory whose
// uploads get responsive variants through the job queue; the variants are
// recorded through svc, which announces their arrival.
//
// The variant job is claimed through the job queue's tables, so on several
// nodes sharing PostgreSQL each image's variants are made once, by one
// node, and (with media-store s3) land in the shared bucket for all.
func newMediaLibrary(cfg config.Config, svc *editorial.Service, db siteStore, q *jobs.Queue) (*media.Library, error) {
	lib := &media.Library{Root: filepath.Join(cfg.DataDir, "media"), MaxBytes: cfg.MaxUploadBytes, Queue: q}
	if cfg.MediaStore == "s3" {
		b, err := s3media.New(s3media.Config{Endpoint: cfg.S3Endpoint, Region: cfg.S3Region, Bucket: cfg.S3Bucket,
			Prefix: cfg.S3Prefix, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey, PathStyle: cfg.S3PathStyle})
		if err != nil {
			return nil, err
		}
		lib.Objects = b
	}
	jobs.Register(q, &media.VariantWorker{Library: lib, Store: db, Record: svc.System("media variants").SetMediaVariants})
	return lib, nil
}

// cliEditorial returns the editorial service for commands that write
// outside serve (imports, translation runs): their changes reach running
// servers through the change log, and their uploads are queued for variants
// that a running server generates.
func cliEditorial(ctx context.Context, cfg config.Config, db siteStore, log *slog.Logger) (*editorial.Service, *media.Library, error) {
	q, err := openJobs(ctx, db, log)
	if err != nil {
		return nil, nil, err
	}
	// The command's writes reach webhooks through the change log too: the
	// serving node's dispatcher reads them there.
	relay := changes.NewCLI(db, log)
	svc := editorial.New(db, editorial.OnChange(relay.Publish))
	lib, err := newMediaLibrary(cfg, svc, db, q)
	if err != nil {
		return nil, nil, err
	}
	return svc, lib, nil
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("migrate", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	db, err := migrateStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	// The job queue's tables are part of the schema too.
	if _, err := openJobs(ctx, db, nil); err != nil {
		return err
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s is at schema version %d\n", describeDatabase(cfg), v)
	return nil
}

func cmdToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New(`usage: folio token create --name NAME`)
	}
	var name string
	cfg, err := loadConfig("token create", args[1:], getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "what the token is for, e.g. \"newsletter sync\"")
	})
	if err != nil {
		return err
	}
	if name == "" {
		return errors.New("token create: --name is required")
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	secret := auth.NewAPITokenSecret()
	tok := &content.Token{Name: name, Hash: auth.HashToken(secret)}
	if err := systemEditor(db, stderr).CreateToken(ctx, tok); err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	fmt.Fprintln(stdout, secret)
	fmt.Fprintf(stderr, "Token %d (%s) created. It is shown once: store it now.\n", tok.ID, name)
	return nil
}

// localBaseURL is the address a browser on this machine reaches addr at
// ("http://localhost:8080" for ":8080"), or "" when the port is chosen at
// listen time (":0").
func localBaseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == "0" {
		return ""
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	if port == "80" {
		return "http://" + host
	}
	return "http://" + net.JoinHostPort(host, port)
}
