// Package config holds Folio's runtime configuration: defaults, FOLIO_*
// environment variables, command-line flags and validation.
//
// It imports nothing of Folio's.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the effective configuration of one Folio process.
type Config struct {
	Addr    string // listen address, FOLIO_ADDR
	DataDir string // database, media and indexes, FOLIO_DATA
	// Database selects the store: empty (or "sqlite") for folio.db in
	// DataDir, "sqlite:PATH" for another SQLite file, or a postgres:// URL.
	// FOLIO_DATABASE_URL; see DatabaseKind.
	Database string
	// MetricsAddr is where /metrics, /healthz and /readyz are served apart
	// from the site; empty turns that listener off. FOLIO_METRICS_ADDR
	MetricsAddr string
	// AutoMigrate lets serve apply pending PostgreSQL migrations to a
	// database that already has a schema. FOLIO_AUTO_MIGRATE
	AutoMigrate     bool
	Demo            bool          // load the demo publication into an empty site, FOLIO_DEMO
	I18nStrict      bool          // show interface strings missing from a catalog as [[key]], FOLIO_I18N_STRICT
	BaseURL         string        // public base URL; overrides the stored setting when set, FOLIO_BASE_URL
	ThemeDir        string        // templates and static files overriding the embedded theme, FOLIO_THEME_DIR
	LogLevel        string        // debug, info, warn, error; FOLIO_LOG_LEVEL
	LogFormat       string        // text or json; FOLIO_LOG_FORMAT
	MaxUploadBytes  int64         // largest accepted media upload, FOLIO_MAX_UPLOAD_BYTES
	MaxBodyBytes    int64         // largest accepted JSON body, FOLIO_MAX_BODY_BYTES
	ShutdownTimeout time.Duration // grace period for in-flight requests on SIGTERM, FOLIO_SHUTDOWN_TIMEOUT
	CacheBytes      int64         // memory budget of the rendered-page cache; 0 disables it, FOLIO_CACHE_BYTES
	// TrustedProxies lists, comma-separated, the addresses or CIDR ranges
	// of reverse proxies whose X-Forwarded-For is believed; empty trusts
	// none. FOLIO_TRUSTED_PROXIES; see TrustedProxyPrefixes.
	TrustedProxies string

	// SecureCookies marks admin cookies Secure; nil means "when BaseURL is
	// https" (see CookiesSecure). FOLIO_SECURE_COOKIES
	SecureCookies *bool
	// Outgoing mail for password resets and invitations; no SMTPHost means
	// mail is logged and dropped. FOLIO_SMTP_*
	SMTPHost     string
	SMTPPort     int
	SMTPUsername string
	SMTPPassword string // also FOLIO_SMTP_PASSWORD_FILE; never printed
	SMTPFrom     string
	SMTPTLS      string // none, starttls or tls

	// Machine translation. FOLIO_TRANSLATE_PROVIDER picks the default
	// engine: apertium (local, the default), libretranslate or deepl.
	TranslateProvider string
	LibreTranslateURL string
	LibreTranslateKey string // also FOLIO_LIBRETRANSLATE_KEY_FILE; never printed
	DeepLKey          string // also FOLIO_DEEPL_KEY_FILE; never printed

	// Scale: shared media, CDN base URL and purges (scale.go).
	Scale
	// Mail: the HTTP mail provider and the bounce webhooks (mail.go).
	Mail
	// Paid membership through Stripe; off while StripeKey is empty.
	StripeKey           string // also FOLIO_STRIPE_KEY_FILE; never printed
	StripeWebhookSecret string // also FOLIO_STRIPE_WEBHOOK_SECRET_FILE; never printed
}

// CookiesSecure reports whether admin cookies get the Secure flag.
func (c *Config) CookiesSecure() bool {
	if c.SecureCookies != nil {
		return *c.SecureCookies
	}
	return strings.HasPrefix(strings.ToLower(c.BaseURL), "https://")
}

// Default returns the configuration of `folio serve` with no flags or environment.
func Default() Config {
	return Config{
		Addr:            ":8080",
		DataDir:         "./folio-data",
		LogLevel:        "info",
		LogFormat:       "text",
		MaxUploadBytes:  20 << 20,
		MaxBodyBytes:    2 << 20,
		ShutdownTimeout: 15 * time.Second,
		CacheBytes:      256 << 20,
		SMTPPort:        587,
		SMTPTLS:         "starttls",

		TranslateProvider: "apertium",
	}
}

// Field describes one setting for flags, environment and documentation.
type Field struct {
	Flag, Env, Usage string
}

// Fields lists every setting in the order the README documents them.
var Fields = []Field{
	{"addr", "FOLIO_ADDR", "address to listen on"},
	{"data", "FOLIO_DATA", "data directory (SQLite database, media)"},
	{"database", "FOLIO_DATABASE_URL", "database: empty for folio.db in the data directory, sqlite:PATH, or postgres://user:pass@host/db"},
	{"metrics-addr", "FOLIO_METRICS_ADDR", "address for /metrics, /healthz and /readyz apart from the site, e.g. 127.0.0.1:9090 (empty: off)"},
	{"auto-migrate", "FOLIO_AUTO_MIGRATE", "let serve apply pending migrations to an existing PostgreSQL schema (otherwise run folio migrate)"},
	{"demo", "FOLIO_DEMO", "load the demo publication into an empty site"},
	{"i18n-strict", "FOLIO_I18N_STRICT", "show interface strings missing from a language's catalog as [[key]] instead of English"},
	{"base-url", "FOLIO_BASE_URL", "public base URL, e.g. https://news.example.org (overrides the stored setting)"},
	{"theme", "FOLIO_THEME_DIR", "directory whose templates/ and static/ files override the embedded theme"},
	{"log-level", "FOLIO_LOG_LEVEL", "debug, info, warn or error"},
	{"log-format", "FOLIO_LOG_FORMAT", "text or json"},
	{"max-upload-bytes", "FOLIO_MAX_UPLOAD_BYTES", "largest media upload in bytes"},
	{"max-body-bytes", "FOLIO_MAX_BODY_BYTES", "largest JSON request body in bytes"},
	{"shutdown-timeout", "FOLIO_SHUTDOWN_TIMEOUT", "grace period for requests in flight on SIGTERM"},
	{"cache-bytes", "FOLIO_CACHE_BYTES", "memory budget of the rendered-page cache in bytes (0 turns it off)"},
	{"trusted-proxies", "FOLIO_TRUSTED_PROXIES", "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed (empty: none)"},
	{"secure-cookies", "FOLIO_SECURE_COOKIES", "mark admin cookies Secure (default: when the base URL is https)"},
	{"smtp-host", "FOLIO_SMTP_HOST", "SMTP server for password resets and invitations (unset: mail is logged and dropped)"},
	{"smtp-port", "FOLIO_SMTP_PORT", "SMTP port"},
	{"smtp-username", "FOLIO_SMTP_USERNAME", "SMTP user name (empty: no authentication)"},
	{"smtp-password", "FOLIO_SMTP_PASSWORD", "SMTP password; prefer FOLIO_SMTP_PASSWORD_FILE"},
	{"smtp-from", "FOLIO_SMTP_FROM", "sender address, e.g. \"The Review <news@example.org>\""},
	{"smtp-tls", "FOLIO_SMTP_TLS", "none, starttls or tls"},
	{"translate-provider", "FOLIO_TRANSLATE_PROVIDER", "machine translation engine: apertium, libretranslate or deepl"},
	{"libretranslate-url", "FOLIO_LIBRETRANSLATE_URL", "base URL of a LibreTranslate-compatible API"},
	{"libretranslate-key", "FOLIO_LIBRETRANSLATE_KEY", "LibreTranslate API key; prefer FOLIO_LIBRETRANSLATE_KEY_FILE"},
	{"deepl-key", "FOLIO_DEEPL_KEY", "DeepL API key (\":fx\" keys use the free endpoint); prefer FOLIO_DEEPL_KEY_FILE"},
	{"stripe-key", "FOLIO_STRIPE_KEY", "Stripe secret API key; turns paid membership on; prefer FOLIO_STRIPE_KEY_FILE"},
	{"stripe-webhook-secret", "FOLIO_STRIPE_WEBHOOK_SECRET", "signing secret of the Stripe webhook at /stripe/webhook; prefer FOLIO_STRIPE_WEBHOOK_SECRET_FILE"},
}

// Bind registers the flags of every field on fs, with defaults taken from c
// after the environment has been applied, so flags win over FOLIO_* values.
func (c *Config) Bind(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", c.Addr, usage("addr"))
	fs.StringVar(&c.DataDir, "data", c.DataDir, usage("data"))
	fs.StringVar(&c.Database, "database", c.Database, usage("database"))
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, usage("metrics-addr"))
	fs.BoolVar(&c.AutoMigrate, "auto-migrate", c.AutoMigrate, usage("auto-migrate"))
	fs.BoolVar(&c.Demo, "demo", c.Demo, usage("demo"))
	fs.BoolVar(&c.I18nStrict, "i18n-strict", c.I18nStrict, usage("i18n-strict"))
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, usage("base-url"))
	fs.StringVar(&c.ThemeDir, "theme", c.ThemeDir, usage("theme"))
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, usage("log-level"))
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, usage("log-format"))
	fs.Int64Var(&c.MaxUploadBytes, "max-upload-bytes", c.MaxUploadBytes, usage("max-upload-bytes"))
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", c.MaxBodyBytes, usage("max-body-bytes"))
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, usage("shutdown-timeout"))
	fs.Int64Var(&c.CacheBytes, "cache-bytes", c.CacheBytes, usage("cache-bytes"))
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", c.TrustedProxies, usage("trusted-proxies"))
	fs.Var(optBool{&c.SecureCookies}, "secure-cookies", usage("secure-cookies"))
	fs.StringVar(&c.SMTPHost, "smtp-host", c.SMTPHost, usage("smtp-host"))
	fs.IntVar(&c.SMTPPort, "smtp-port", c.SMTPPort, usage("smtp-port"))
	fs.StringVar(&c.SMTPUsername, "smtp-username", c.SMTPUsername, usage("smtp-username"))
	fs.StringVar(&c.SMTPPassword, "smtp-password", c.SMTPPassword, usage("smtp-password"))
	fs.StringVar(&c.SMTPFrom, "smtp-from", c.SMTPFrom, usage("smtp-from"))
	fs.StringVar(&c.SMTPTLS, "smtp-tls", c.SMTPTLS, usage("smtp-tls"))
	fs.StringVar(&c.TranslateProvider, "translate-provider", c.TranslateProvider, usage("translate-provider"))
	fs.StringVar(&c.LibreTranslateURL, "libretranslate-url", c.LibreTranslateURL, usage("libretranslate-url"))
	fs.StringVar(&c.LibreTranslateKey, "libretranslate-key", c.LibreTranslateKey, usage("libretranslate-key"))
	fs.StringVar(&c.DeepLKey, "deepl-key", c.DeepLKey, usage("deepl-key"))
	c.bindScale(fs)
	c.bindMail(fs)
	fs.StringVar(&c.StripeKey, "stripe-key", c.StripeKey, usage("stripe-key"))
	fs.StringVar(&c.StripeWebhookSecret, "stripe-webhook-secret", c.StripeWebhookSecret, usage("stripe-webhook-secret"))
}

// optBool is a boolean flag whose absence leaves *p nil.
type optBool struct{ p **bool }

func (o optBool) String() string {
	if o.p == nil || *o.p == nil {
		return "auto"
	}
	return strconv.FormatBool(**o.p)
}

func (o optBool) Set(v string) error {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return err
	}
	*o.p = &b
	return nil
}

func (o optBool) IsBoolFlag() bool { return true }

func usage(flag string) string {
	for _, f := range Fields {
		if f.Flag == flag {
			return f.Usage + " (" + f.Env + ")"
		}
	}
	return ""
}

// LoadEnv applies FOLIO_* variables read through getenv. Passing the getter in
// keeps tests parallel-safe.
func (c *Config) LoadEnv(getenv func(string) string) error {
	var errs []error
	str := func(key string, dst *string) {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	str("FOLIO_ADDR", &c.Addr)
	str("FOLIO_DATA", &c.DataDir)
	str("FOLIO_DATABASE_URL", &c.Database)
	str("FOLIO_METRICS_ADDR", &c.MetricsAddr)
	if v := getenv("FOLIO_AUTO_MIGRATE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("FOLIO_AUTO_MIGRATE: %q is not true or false", v))
		}
		c.AutoMigrate = b
	}
	str("FOLIO_BASE_URL", &c.BaseURL)
	str("FOLIO_THEME_DIR", &c.ThemeDir)
	str("FOLIO_LOG_LEVEL", &c.LogLevel)
	str("FOLIO_LOG_FORMAT", &c.LogFormat)
	str("FOLIO_TRUSTED_PROXIES", &c.TrustedProxies)
	if v := getenv("FOLIO_I18N_STRICT"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("FOLIO_I18N_STRICT: %q is not true or false", v))
		}
		c.I18nStrict = b
	}
	if v := getenv("FOLIO_DEMO"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("FOLIO_DEMO: %q is not true or false", v))
		}
		c.Demo = b
	}
	for key, dst := range map[string]*int64{"FOLIO_MAX_UPLOAD_BYTES": &c.MaxUploadBytes, "FOLIO_MAX_BODY_BYTES": &c.MaxBodyBytes, "FOLIO_CACHE_BYTES": &c.CacheBytes} {
		if v := getenv(key); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %q is not a number of bytes", key, v))
			}
			*dst = n
		}
	}
	str("FOLIO_SMTP_HOST", &c.SMTPHost)
	str("FOLIO_SMTP_USERNAME", &c.SMTPUsername)
	str("FOLIO_SMTP_PASSWORD", &c.SMTPPassword)
	str("FOLIO_SMTP_FROM", &c.SMTPFrom)
	str("FOLIO_SMTP_TLS", &c.SMTPTLS)
	if path := getenv("FOLIO_SMTP_PASSWORD_FILE"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, fmt.Errorf("FOLIO_SMTP_PASSWORD_FILE: %w", err))
		}
		c.SMTPPassword = strings.TrimRight(string(b), "\r\n")
	}
	str("FOLIO_TRANSLATE_PROVIDER", &c.TranslateProvider)
	str("FOLIO_LIBRETRANSLATE_URL", &c.LibreTranslateURL)
	str("FOLIO_LIBRETRANSLATE_KEY", &c.LibreTranslateKey)
	str("FOLIO_DEEPL_KEY", &c.DeepLKey)
	str("FOLIO_STRIPE_KEY", &c.StripeKey)
	str("FOLIO_STRIPE_WEBHOOK_SECRET", &c.StripeWebhookSecret)
	for key, dst := range map[string]*string{"FOLIO_LIBRETRANSLATE_KEY_FILE": &c.LibreTranslateKey, "FOLIO_DEEPL_KEY_FILE": &c.DeepLKey,
		"FOLIO_STRIPE_KEY_FILE": &c.StripeKey, "FOLIO_STRIPE_WEBHOOK_SECRET_FILE": &c.StripeWebhookSecret} {
		if path := getenv(key); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", key, err))
			}
			*dst = strings.TrimSpace(string(b))
		}
	}
	if v := getenv("FOLIO_SMTP_PORT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("FOLIO_SMTP_PORT: %q is not a port number", v))
		}
		c.SMTPPort = n
	}
	if v := getenv("FOLIO_SECURE_COOKIES"); v != "" {
		if err := (optBool{&c.SecureCookies}).Set(v); err != nil {
			errs = append(errs, fmt.Errorf("FOLIO_SECURE_COOKIES: %q is not true or false", v))
		}
	}
	if v := getenv("FOLIO_SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("FOLIO_SHUTDOWN_TIMEOUT: %q is not a duration such as 15s", v))
		}
		c.ShutdownTimeout = d
	}
	errs = append(errs, c.loadScaleEnv(getenv)...)
	errs = append(errs, c.loadMailEnv(getenv)...)
	return errors.Join(errs...)
}

// Validate reports every problem at once.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("addr: %q is not host:port", c.Addr))
	}
	if strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, errors.New("data: the data directory is required"))
	}
	if _, _, err := c.DatabaseKind(); err != nil {
		errs = append(errs, err)
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("metrics-addr: %q is not host:port", c.MetricsAddr))
		} else if c.MetricsAddr == c.Addr && !strings.HasSuffix(c.Addr, ":0") {
			errs = append(errs, fmt.Errorf("metrics-addr: %q is the site's own address; metrics need one apart", c.MetricsAddr))
		}
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("base-url: %q must be an absolute http(s) URL", c.BaseURL))
		}
	}
	if _, err := c.Level(); err != nil {
		errs = append(errs, err)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("log-format: %q must be text or json", c.LogFormat))
	}
	if c.MaxUploadBytes < 1024 {
		errs = append(errs, fmt.Errorf("max-upload-bytes: %d is too small", c.MaxUploadBytes))
	}
	if c.MaxBodyBytes < 1024 {
		errs = append(errs, fmt.Errorf("max-body-bytes: %d is too small", c.MaxBodyBytes))
	}
	if c.CacheBytes != 0 && c.CacheBytes < 1<<20 {
		errs = append(errs, fmt.Errorf("cache-bytes: %d is below 1 MiB; use 0 to turn the cache off", c.CacheBytes))
	}
	if c.ShutdownTimeout < 0 {
		errs = append(errs, errors.New("shutdown-timeout: must not be negative"))
	}
	if _, err := c.TrustedProxyPrefixes(); err != nil {
		errs = append(errs, err)
	}
	if c.SMTPHost != "" {
		if c.SMTPPort < 1 || c.SMTPPort > 65535 {
			errs = append(errs, fmt.Errorf("smtp-port: %d is not a port number", c.SMTPPort))
		}
		if _, err := mail.ParseAddress(c.SMTPFrom); err != nil {
			errs = append(errs, fmt.Errorf("smtp-from: %q is not an email address (required with smtp-host)", c.SMTPFrom))
		}
	}
	switch c.SMTPTLS {
	case "none", "starttls", "tls":
	default:
		errs = append(errs, fmt.Errorf("smtp-tls: %q must be none, starttls or tls", c.SMTPTLS))
	}
	switch c.TranslateProvider {
	case "apertium":
	case "libretranslate":
		if u, err := url.Parse(c.LibreTranslateURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("libretranslate-url: %q must be an absolute http(s) URL (required with translate-provider libretranslate)", c.LibreTranslateURL))
		}
	case "deepl":
		if c.DeepLKey == "" {
			errs = append(errs, errors.New("deepl-key: required with translate-provider deepl"))
		}
	default:
		errs = append(errs, fmt.Errorf("translate-provider: %q must be apertium, libretranslate or deepl", c.TranslateProvider))
	}
	errs = append(errs, c.validateScale()...)
	errs = append(errs, c.validateMail()...)
	return errors.Join(errs...)
}

// TrustedProxyPrefixes parses TrustedProxies: each comma-separated item is
// a CIDR ("10.0.0.0/8", "fd00::/8") or a single address, which stands for
// itself alone.
func (c *Config) TrustedProxyPrefixes() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for item := range strings.SplitSeq(c.TrustedProxies, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		addr, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("trusted-proxies: %q is not an IP address or CIDR range", item)
		}
		addr = addr.Unmap()
		out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
	}
	return out, nil
}

// Level parses LogLevel.
func (c *Config) Level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, fmt.Errorf("log-level: %q must be debug, info, warn or error", c.LogLevel)
	}
	return l, nil
}
