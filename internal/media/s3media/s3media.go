// Package s3media keeps the media library in an S3-compatible bucket
// (Amazon S3, SeaweedFS, Ceph, Garage, R2 …) so that several Folio nodes
// share one set of files. It implements media.Objects with minio-go.
//
// It imports media (the interface) only.
package s3media

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"folio/internal/media"
)

// Config names a bucket and how to reach it.
type Config struct {
	// Endpoint is the server's base URL, http:// or https://
	// ("https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:8333").
	Endpoint  string
	Region    string // "us-east-1" when empty
	Bucket    string
	Prefix    string // optional key prefix, "folio/media"
	AccessKey string
	SecretKey string // never logged
	// PathStyle addresses the bucket in the path (host/bucket/key), as
	// most self-hosted servers need; otherwise the SDK picks.
	PathStyle bool
}

// Bucket is a media.Objects in one bucket.
type Bucket struct {
	c      *minio.Client
	bucket string
	prefix string
}

var _ media.Objects = (*Bucket)(nil)

// New connects to the bucket described by cfg. It does not call the
// server; Ping does.
func New(cfg Config) (*Bucket, error) {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("s3-endpoint: %q must be an http(s) URL such as https://s3.eu-west-1.amazonaws.com", cfg.Endpoint)
	}
	if cfg.Bucket == "" {
		return nil, errors.New("s3-bucket: required with media-store s3")
	}
	region := cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	lookup := minio.BucketLookupAuto
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       u.Scheme == "https",
		Region:       region,
		BucketLookup: lookup,
	})
	if err != nil {
		return nil, fmt.Errorf("s3media: client for %s: %w", u.Host, err)
	}
	prefix := strings.Trim(cfg.Prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	return &Bucket{c: c, bucket: cfg.Bucket, prefix: prefix}, nil
}

// EnsureBucket creates the bucket when it does not exist (tests, first
// start against an empty server).
func (b *Bucket) EnsureBucket(ctx context.Context) error {
	ok, err := b.c.BucketExists(ctx, b.bucket)
	if err != nil {
		return fmt.Errorf("s3media: bucket %s: %w", b.bucket, err)
	}
	if ok {
		return nil
	}
	if err := b.c.MakeBucket(ctx, b.bucket, minio.MakeBucketOptions{}); err != nil {
		return fmt.Errorf("s3media: create bucket %s: %w", b.bucket, err)
	}
	return nil
}

// Put uploads the file local under key. Media names are never reused, so
// the object may be cached forever by browsers and CDNs.
func (b *Bucket) Put(ctx context.Context, key, local, contentType string) error {
	_, err := b.c.FPutObject(ctx, b.bucket, b.prefix+key, local, minio.PutObjectOptions{
		ContentType:  contentType,
		CacheControl: "public, max-age=31536000, immutable",
	})
	if err != nil {
		return fmt.Errorf("s3media: put %s: %w", key, err)
	}
	return nil
}

// Open returns the object under key as a seekable file.
func (b *Bucket) Open(ctx context.Context, key string) (fs.File, error) {
	obj, err := b.c.GetObject(ctx, b.bucket, b.prefix+key, minio.GetObjectOptions{})
	if err != nil {
		return nil, mapErr("open", key, err)
	}
	// GetObject is lazy: Stat makes the request, and reports a missing key.
	info, err := obj.Stat()
	if err != nil {
		obj.Close()
		return nil, mapErr("open", key, err)
	}
	return &file{Object: obj, info: fileInfo{name: path.Base(key), size: info.Size, mod: info.LastModified}}, nil
}

// Exists reports whether key is stored.
func (b *Bucket) Exists(ctx context.Context, key string) (bool, error) {
	_, err := b.c.StatObject(ctx, b.bucket, b.prefix+key, minio.StatObjectOptions{})
	if err == nil {
		return true, nil
	}
	if err = mapErr("stat", key, err); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return false, err
}

// Delete removes key; S3 answers a missing key with success.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	if err := b.c.RemoveObject(ctx, b.bucket, b.prefix+key, minio.RemoveObjectOptions{}); err != nil {
		if errors.Is(mapErr("delete", key, err), fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("s3media: delete %s: %w", key, err)
	}
	return nil
}

// List returns the keys under prefix, without the bucket's own prefix.
func (b *Bucket) List(ctx context.Context, prefix string) ([]string, error) {
	var out []string
	for o := range b.c.ListObjects(ctx, b.bucket, minio.ListObjectsOptions{Prefix: b.prefix + prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, fmt.Errorf("s3media: list %s: %w", prefix, o.Err)
		}
		out = append(out, strings.TrimPrefix(o.Key, b.prefix))
	}
	return out, nil
}

// Ping checks that the bucket exists and the credentials are accepted.
func (b *Bucket) Ping(ctx context.Context) error {
	ok, err := b.c.BucketExists(ctx, b.bucket)
	if err != nil {
		return fmt.Errorf("s3media: bucket %s: %w", b.bucket, err)
	}
	if !ok {
		return fmt.Errorf("s3media: bucket %s does not exist", b.bucket)
	}
	return nil
}

// mapErr turns a missing key into fs.ErrNotExist.
func mapErr(op, key string, err error) error {
	switch minio.ToErrorResponse(err).Code {
	case "NoSuchKey", "NotFound", "NoSuchObject":
		return &fs.PathError{Op: op, Path: key, Err: fs.ErrNotExist}
	}
	return fmt.Errorf("s3media: %s %s: %w", op, key, err)
}

// file is an object opened for reading; minio's Object reads, seeks and
// reads at offsets.
type file struct {
	*minio.Object
	info fileInfo
}

func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }

type fileInfo struct {
	name string
	size int64
	mod  time.Time
}

func (i fileInfo) Name() string       { return i.name }
func (i fileInfo) Size() int64        { return i.size }
func (i fileInfo) Mode() fs.FileMode  { return 0o444 }
func (i fileInfo) ModTime() time.Time { return i.mod }
func (i fileInfo) IsDir() bool        { return false }
func (i fileInfo) Sys() any           { return nil }
