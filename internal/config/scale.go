package config

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// Scale holds the settings of a site on several nodes: shared media in an
// S3-compatible bucket, public media URLs on a CDN, and CDN purges.
type Scale struct {
	// MediaStore is "local" (files under the data directory, the default)
	// or "s3". FOLIO_MEDIA_STORE
	MediaStore  string
	S3Endpoint  string // http(s) URL of the S3 API, FOLIO_S3_ENDPOINT
	S3Region    string // FOLIO_S3_REGION
	S3Bucket    string // FOLIO_S3_BUCKET
	S3Prefix    string // key prefix inside the bucket, FOLIO_S3_PREFIX
	S3AccessKey string // FOLIO_S3_ACCESS_KEY
	S3SecretKey string // FOLIO_S3_SECRET_KEY or _FILE; never printed
	S3PathStyle bool   // bucket in the path, for self-hosted servers; FOLIO_S3_PATH_STYLE
	// MediaBaseURL, when set, replaces "/media/" in public media URLs
	// ("https://cdn.example.org/media"). FOLIO_MEDIA_BASE_URL
	MediaBaseURL string

	// CDNPurge names the purger fed by change events: none, fastly,
	// cloudflare or webhook. FOLIO_CDN_PURGE
	CDNPurge         string
	FastlyServiceID  string // FOLIO_FASTLY_SERVICE_ID
	FastlyToken      string // FOLIO_FASTLY_TOKEN or _FILE; never printed
	CloudflareZoneID string // FOLIO_CLOUDFLARE_ZONE_ID
	CloudflareToken  string // FOLIO_CLOUDFLARE_TOKEN or _FILE; never printed
	PurgeWebhookURL  string // FOLIO_PURGE_WEBHOOK_URL
	// PurgeWebhookSecret signs webhook bodies (HMAC-SHA256).
	// FOLIO_PURGE_WEBHOOK_SECRET or _FILE; never printed
	PurgeWebhookSecret string

	// SearchBackend picks the reader search index: auto (PostgreSQL
	// full-text search with the PostgreSQL store, bleve otherwise), bleve
	// or postgres. FOLIO_SEARCH_BACKEND
	SearchBackend string
}

var scaleFields = []Field{
	{"media-store", "FOLIO_MEDIA_STORE", "where media files live: local (the data directory) or s3"},
	{"s3-endpoint", "FOLIO_S3_ENDPOINT", "S3 API URL with media-store s3, e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:8333"},
	{"s3-region", "FOLIO_S3_REGION", "S3 region (default us-east-1)"},
	{"s3-bucket", "FOLIO_S3_BUCKET", "S3 bucket holding the media"},
	{"s3-prefix", "FOLIO_S3_PREFIX", "key prefix inside the bucket (optional)"},
	{"s3-access-key", "FOLIO_S3_ACCESS_KEY", "S3 access key id"},
	{"s3-secret-key", "FOLIO_S3_SECRET_KEY", "S3 secret key; prefer FOLIO_S3_SECRET_KEY_FILE"},
	{"s3-path-style", "FOLIO_S3_PATH_STYLE", "address the bucket in the URL path (SeaweedFS, MinIO, Garage)"},
	{"media-base-url", "FOLIO_MEDIA_BASE_URL", "public base URL of media files, e.g. https://cdn.example.org/media (default: /media on this site)"},
	{"cdn-purge", "FOLIO_CDN_PURGE", "purge a CDN by surrogate key on every change: none, fastly, cloudflare or webhook"},
	{"fastly-service-id", "FOLIO_FASTLY_SERVICE_ID", "Fastly service id (cdn-purge fastly)"},
	{"fastly-token", "FOLIO_FASTLY_TOKEN", "Fastly API token with purge rights; prefer FOLIO_FASTLY_TOKEN_FILE"},
	{"cloudflare-zone-id", "FOLIO_CLOUDFLARE_ZONE_ID", "Cloudflare zone id (cdn-purge cloudflare)"},
	{"cloudflare-token", "FOLIO_CLOUDFLARE_TOKEN", "Cloudflare API token with Cache Purge; prefer FOLIO_CLOUDFLARE_TOKEN_FILE"},
	{"purge-webhook-url", "FOLIO_PURGE_WEBHOOK_URL", "URL that receives the keys to purge as JSON (cdn-purge webhook)"},
	{"search-backend", "FOLIO_SEARCH_BACKEND", "reader search index: auto (postgres with a PostgreSQL database, bleve otherwise), bleve (embedded, one node) or postgres (full-text search in the shared database)"},
	{"purge-webhook-secret", "FOLIO_PURGE_WEBHOOK_SECRET", "HMAC-SHA256 key signing webhook bodies; prefer FOLIO_PURGE_WEBHOOK_SECRET_FILE"},
}

func init() { Fields = append(Fields, scaleFields...) }

func (c *Config) bindScale(fs *flag.FlagSet) {
	s := &c.Scale
	for _, f := range []struct {
		name string
		p    *string
	}{
		{"media-store", &s.MediaStore}, {"s3-endpoint", &s.S3Endpoint}, {"s3-region", &s.S3Region},
		{"s3-bucket", &s.S3Bucket}, {"s3-prefix", &s.S3Prefix}, {"s3-access-key", &s.S3AccessKey},
		{"s3-secret-key", &s.S3SecretKey}, {"media-base-url", &s.MediaBaseURL}, {"cdn-purge", &s.CDNPurge},
		{"fastly-service-id", &s.FastlyServiceID}, {"fastly-token", &s.FastlyToken},
		{"cloudflare-zone-id", &s.CloudflareZoneID}, {"cloudflare-token", &s.CloudflareToken},
		{"purge-webhook-url", &s.PurgeWebhookURL}, {"purge-webhook-secret", &s.PurgeWebhookSecret},
		{"search-backend", &s.SearchBackend},
	} {
		fs.StringVar(f.p, f.name, *f.p, usage(f.name))
	}
	fs.BoolVar(&s.S3PathStyle, "s3-path-style", s.S3PathStyle, usage("s3-path-style"))
}

func (c *Config) loadScaleEnv(getenv func(string) string) []error {
	var errs []error
	s := &c.Scale
	for key, dst := range map[string]*string{
		"FOLIO_MEDIA_STORE": &s.MediaStore, "FOLIO_S3_ENDPOINT": &s.S3Endpoint, "FOLIO_S3_REGION": &s.S3Region,
		"FOLIO_S3_BUCKET": &s.S3Bucket, "FOLIO_S3_PREFIX": &s.S3Prefix, "FOLIO_S3_ACCESS_KEY": &s.S3AccessKey,
		"FOLIO_S3_SECRET_KEY": &s.S3SecretKey, "FOLIO_MEDIA_BASE_URL": &s.MediaBaseURL, "FOLIO_CDN_PURGE": &s.CDNPurge,
		"FOLIO_FASTLY_SERVICE_ID": &s.FastlyServiceID, "FOLIO_FASTLY_TOKEN": &s.FastlyToken,
		"FOLIO_CLOUDFLARE_ZONE_ID": &s.CloudflareZoneID, "FOLIO_CLOUDFLARE_TOKEN": &s.CloudflareToken,
		"FOLIO_PURGE_WEBHOOK_URL": &s.PurgeWebhookURL, "FOLIO_PURGE_WEBHOOK_SECRET": &s.PurgeWebhookSecret,
		"FOLIO_SEARCH_BACKEND": &s.SearchBackend,
	} {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	for key, dst := range map[string]*string{
		"FOLIO_S3_SECRET_KEY_FILE": &s.S3SecretKey, "FOLIO_FASTLY_TOKEN_FILE": &s.FastlyToken,
		"FOLIO_CLOUDFLARE_TOKEN_FILE": &s.CloudflareToken, "FOLIO_PURGE_WEBHOOK_SECRET_FILE": &s.PurgeWebhookSecret,
	} {
		if path := getenv(key); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", key, err))
			}
			*dst = strings.TrimSpace(string(b))
		}
	}
	if v := getenv("FOLIO_S3_PATH_STYLE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("FOLIO_S3_PATH_STYLE: %q is not true or false", v))
		}
		s.S3PathStyle = b
	}
	switch s.SearchBackend {
	case "", "auto", "bleve":
	case "postgres":
		if kind, _, err := c.DatabaseKind(); err == nil && kind != Postgres {
			errs = append(errs, errors.New("search-backend: postgres needs a postgres:// database"))
		}
	default:
		errs = append(errs, fmt.Errorf("search-backend: %q must be auto, bleve or postgres", s.SearchBackend))
	}
	return errs
}

// SearchOnPostgres reports whether the search index is PostgreSQL's
// full-text search rather than the embedded bleve index.
func (c *Config) SearchOnPostgres() bool {
	kind, _, err := c.DatabaseKind()
	if err != nil || kind != Postgres {
		return false
	}
	return c.SearchBackend != "bleve"
}

func (c *Config) validateScale() []error {
	var errs []error
	s := &c.Scale
	httpURL := func(v string) bool {
		u, err := url.Parse(v)
		return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	}
	switch s.MediaStore {
	case "", "local":
	case "s3":
		if !httpURL(s.S3Endpoint) {
			errs = append(errs, fmt.Errorf("s3-endpoint: %q must be an http(s) URL (required with media-store s3)", s.S3Endpoint))
		}
		if s.S3Bucket == "" {
			errs = append(errs, errors.New("s3-bucket: required with media-store s3"))
		}
	default:
		errs = append(errs, fmt.Errorf("media-store: %q must be local or s3", s.MediaStore))
	}
	if s.MediaBaseURL != "" && !httpURL(s.MediaBaseURL) {
		errs = append(errs, fmt.Errorf("media-base-url: %q must be an absolute http(s) URL", s.MediaBaseURL))
	}
	switch s.CDNPurge {
	case "", "none":
	case "fastly":
		if s.FastlyServiceID == "" || s.FastlyToken == "" {
			errs = append(errs, errors.New("fastly-service-id and fastly-token: required with cdn-purge fastly"))
		}
	case "cloudflare":
		if s.CloudflareZoneID == "" || s.CloudflareToken == "" {
			errs = append(errs, errors.New("cloudflare-zone-id and cloudflare-token: required with cdn-purge cloudflare"))
		}
	case "webhook":
		if !httpURL(s.PurgeWebhookURL) {
			errs = append(errs, fmt.Errorf("purge-webhook-url: %q must be an http(s) URL (required with cdn-purge webhook)", s.PurgeWebhookURL))
		}
	default:
		errs = append(errs, fmt.Errorf("cdn-purge: %q must be none, fastly, cloudflare or webhook", s.CDNPurge))
	}
	return errs
}
