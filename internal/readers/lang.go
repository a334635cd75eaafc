package readers

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strings"

	"folio/internal/content"
	"folio/internal/i18n"
	"folio/internal/urls"
)

// The reader pages speak the language of their /{lang} prefix, as the
// articles do: /fa/members/signin is the Persian sign-in page and every
// link, form and redirect it makes keeps /fa. Without a prefix they speak
// the site's default language.

const langKey ctxKey = 100

// withLang serves next under /{tag}: the prefix is taken off the path and
// the language put in the context.
func (h *Readers) withLang(tag string, next http.Handler) http.Handler {
	strip := http.StripPrefix("/"+tag, next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		strip.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), langKey, tag)))
	})
}

// lang is the language of the request's page.
func (h *Readers) lang(ctx context.Context) string {
	if l, ok := ctx.Value(langKey).(string); ok {
		return l
	}
	return h.settings(ctx).DefaultLanguage
}

// loc is the interface locale of the request's page.
func (h *Readers) loc(ctx context.Context) *i18n.Locale {
	l := i18n.For(h.lang(ctx))
	if h.settings(ctx).LatinDigits {
		l = l.LatinDigits()
	}
	return l
}

// path is the reader path p in the request's language: /fa/members/... on
// a Persian page, the path itself in the default language.
func (h *Readers) path(ctx context.Context, p string) string {
	return urls.New(h.settings(ctx)).Reader(h.lang(ctx), p)
}

// next is where a flow returns to: a path on this site, else the home
// page of the request's language.
func (h *Readers) next(ctx context.Context, raw string) string {
	if n := safeNext(raw); n != "/" {
		return n
	}
	return h.path(ctx, "/")
}

// localError is an error whose message is already in the page's language.
type localError struct{ e *content.Error }

func (l *localError) Error() string { return l.e.Error() }
func (l *localError) Unwrap() error { return l.e }

// errT is an error of code with the catalog message key in the request's
// language, and the same message on fields.
func (h *Readers) errT(ctx context.Context, code, key string, fields ...string) error {
	e := &content.Error{Code: code, Message: h.loc(ctx).T(key)}
	for _, f := range fields {
		if e.Fields == nil {
			e.Fields = map[string]string{}
		}
		e.Fields[f] = e.Message
	}
	return &localError{e: e}
}

// fieldKeys are the messages shown for a problem with a form field, in the
// page's language; the English pages keep the validator's own words, which
// name the value.
var fieldKeys = map[string]string{
	"email":     "members.error.email",
	"name":      "members.error.name",
	"languages": "members.error.languages",
	"body":      "members.error.body",
	"confirm":   "members.profile.confirm_error",
	"tier":      "members.error.invalid",
}

// codeKeys say what went wrong, by error code, on pages in another
// language than the validators' English.
var codeKeys = map[string]string{
	content.EINVALID:      "members.error.invalid",
	content.ENOTFOUND:     "members.error.not_found",
	content.EUNAUTHORIZED: "members.error.signin",
	content.EFORBIDDEN:    "members.error.forbidden",
	content.ECONFLICT:     "members.error.invalid",
	ETOOMANY:              "members.error.too_many",
}

// withError fills the page's error message and field problems from err,
// in the page's language.
func (p *page) withError(err error) *page {
	var le *localError
	if errors.As(err, &le) {
		p.Error, p.Fields = le.e.Message, le.e.Fields
		return p
	}
	var ce *content.Error
	if !errors.As(err, &ce) || ce.Code == content.EINTERNAL {
		p.Error = p.T("members.error.internal")
		return p
	}
	if p.Lang == i18n.Reference {
		p.Error, p.Fields = ce.Message, ce.Fields
		return p
	}
	var msgs []string
	p.Fields = map[string]string{}
	fields := make([]string, 0, len(ce.Fields))
	for f := range ce.Fields {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		if k, ok := fieldKeys[f]; ok {
			p.Fields[f] = p.T(k)
			msgs = append(msgs, p.Fields[f])
		}
	}
	if len(msgs) == 0 {
		k, ok := codeKeys[ce.Code]
		if !ok {
			k = "members.error.internal"
		}
		msgs = append(msgs, p.T(k))
	}
	p.Error = strings.Join(msgs, " ")
	return p
}
