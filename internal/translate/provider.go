package translate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"

	"folio/internal/content"
)

// Segment is one unit sent to a provider: a title, a paragraph, a list
// item, an image caption. Text is inline HTML: character data escaped as
// HTML, with only the tags b, strong, i, em, a (href holds a placeholder
// number, never the URL) and var (an opaque placeholder number for code,
// images, raw HTML and line breaks). Providers translate it in HTML mode,
// which keeps the tags and leaves the placeholders alone.
type Segment struct {
	Kind string // what the segment is (title, paragraph, heading, ...); for logs and progress
	Text string
}

// Provider is a machine-translation engine.
type Provider interface {
	// Translate returns the translation of every segment, in order. It
	// returns all of them or an error; an error names the provider and pair.
	Translate(ctx context.Context, from, to string, segments []Segment) ([]string, error)
	// Supports reports whether the engine can translate from one BCP 47
	// language to another.
	Supports(from, to string) bool
	// Name identifies the provider in settings, logs and the translation memory.
	Name() string
}

// ProviderError is a failure of a provider: unreachable, refused, timed out,
// or an answer that does not fit the request. Message is safe to show.
type ProviderError struct {
	Provider string
	From, To string
	Message  string
	Err      error // the cause, for logs
}

func (e *ProviderError) Error() string {
	s := fmt.Sprintf("translate: %s %s→%s: %s", e.Provider, e.From, e.To, e.Message)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *ProviderError) Unwrap() error { return e.Err }

// As lets content.ErrorCode and content.ErrorMessage see a provider failure
// as an internal error whose message names the provider and the pair: the
// failure is not the caller's, but the admin and the CLI must say what failed.
func (e *ProviderError) As(target any) bool {
	t, ok := target.(**content.Error)
	if !ok {
		return false
	}
	*t = content.Errorf(content.EINTERNAL, "machine translation with %s from %s to %s failed: %s",
		e.Provider, e.From, e.To, e.Message)
	return true
}

// providerError wraps a failed provider call; a deadline reads "timed out".
func providerError(p, from, to string, err error, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if errors.Is(err, context.DeadlineExceeded) {
		msg = "timed out"
	}
	return &ProviderError{Provider: p, From: from, To: to, Message: msg, Err: err}
}

// unsupported is the error for a pair a provider cannot translate.
func unsupported(p, from, to string) error {
	return content.Errorf(content.EINVALID, "machine translation with %s does not support %s to %s", p, from, to)
}

// baseLang returns the primary language subtag, lower-cased: "pt-BR" → "pt".
func baseLang(tag string) string {
	tag = strings.ToLower(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		return tag[:i]
	}
	return tag
}

// hashText returns the hex SHA-256 of s.
func hashText(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// Pair is a language pair a provider translates, as BCP 47 tags.
type Pair struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// PairLister is a provider that can list its pairs (Apertium from
// "apertium -l", LibreTranslate and DeepL from their /languages), so forms
// offer only what works.
type PairLister interface {
	Pairs() ([]Pair, error)
}

func sortPairs(ps []Pair) {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].From != ps[j].From {
			return ps[i].From < ps[j].From
		}
		return ps[i].To < ps[j].To
	})
}
