package translate

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"folio/internal/content"
)

// onDemandPerMinute caps the translations readers can start: each costs
// engine time, and anyone can ask.
const onDemandPerMinute = 20

// Translate implements the site's on-demand hook: the article's
// translation into lang, made by machine on first request when the site
// enables TranslateOnDemand and the default provider supports the pair.
// The result is stored, so it is made once and then served (and cached)
// like any page. Concurrent requests for the same translation share one
// run. Errors: not_found when disabled, not public, or unsupported (the
// site then shows the original with a notice); too_large when readers
// start more translations than the rate allows.
func (s *Service) Translate(ctx context.Context, articleID int64, lang string) (*content.Article, error) {
	st, err := s.st.Settings(ctx)
	if err != nil {
		return nil, fmt.Errorf("translate on demand: %w", err)
	}
	notAvailable := content.Errorf(content.ENOTFOUND, "no %s translation of article %d", lang, articleID)
	if !st.TranslateOnDemand {
		return nil, notAvailable
	}
	src, err := s.st.FindArticleByID(ctx, articleID)
	if err != nil {
		return nil, fmt.Errorf("translate on demand: %w", err)
	}
	if !src.IsPublic(time.Now()) {
		return nil, notAvailable
	}
	if have, err := s.findInGroup(ctx, src.TranslationGroup, lang); err != nil {
		return nil, err
	} else if have != nil {
		return have, nil
	}
	p, err := s.Provider("")
	if err != nil || !p.Supports(src.Language, lang) {
		return nil, notAvailable
	}

	key := strconv.FormatInt(src.TranslationGroup, 10) + "/" + lang
	s.mu.Lock()
	if c := s.inflight[key]; c != nil {
		s.mu.Unlock()
		select {
		case <-c.done:
			return c.a, c.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if !s.limiter.allow(time.Now()) {
		s.mu.Unlock()
		return nil, content.Errorf(content.ETOOLARGE, "too many translations requested; try again in a minute")
	}
	c := &call{done: make(chan struct{})}
	s.inflight[key] = c
	s.mu.Unlock()

	// The run outlives a reader who gives up: the next one gets the result.
	c.a, c.err = s.TranslateArticle(context.WithoutCancel(ctx), src.ID, lang, Options{OnDemand: true})
	s.mu.Lock()
	delete(s.inflight, key)
	s.mu.Unlock()
	close(c.done)
	return c.a, c.err
}

// limiter allows n events per minute, in a sliding window.
type limiter struct {
	mu    sync.Mutex
	n     int
	times []time.Time
}

func newLimiter(n int) *limiter { return &limiter{n: n} }

func (l *limiter) allow(now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	cut := now.Add(-time.Minute)
	i := 0
	for i < len(l.times) && l.times[i].Before(cut) {
		i++
	}
	l.times = l.times[i:]
	if len(l.times) >= l.n {
		return false
	}
	l.times = append(l.times, now)
	return true
}
