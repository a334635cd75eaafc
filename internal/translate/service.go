package translate

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
)

// Store is what the service reads and writes directly; articles are
// written through editorial.
type Store interface {
	store.Store
	store.TranslationStore
}

// Notifier tells a staff user that a translation they made went out of
// date. The notice is already recorded; Notify delivers it (by mail).
type Notifier interface {
	Notify(ctx context.Context, n *store.TranslationNotice) error
}

// Service translates articles and keeps their translation status.
type Service struct {
	ed        *editorial.Service
	st        Store
	providers map[string]Provider
	def       string
	notifier  Notifier
	log       *slog.Logger
	queue     Queue

	// inflight makes concurrent requests for the same translation share
	// one run: the on-demand path must translate once however many
	// readers ask at the same moment.
	mu       sync.Mutex
	inflight map[string]*call
	limiter  *limiter
}

type call struct {
	done chan struct{}
	a    *content.Article
	err  error
}

// Option configures a Service.
type Option func(*Service)

// WithNotifier delivers outdated-translation notices (by mail); without it
// they are recorded and logged only.
func WithNotifier(n Notifier) Option { return func(s *Service) { s.notifier = n } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithQueue runs Request through a durable job queue (see Worker).
func WithQueue(q Queue) Option { return func(s *Service) { s.queue = q } }

// New returns a service that writes through ed and uses the providers
// given, the first being the default. It registers itself with ed so an
// edit of a source flags its translations outdated; build one Service per
// editorial.Service, or each would flag and notify on its own.
func New(ed *editorial.Service, st Store, providers []Provider, opts ...Option) *Service {
	s := &Service{ed: ed, st: st, providers: map[string]Provider{}, log: slog.Default(),
		inflight: map[string]*call{}, limiter: newLimiter(onDemandPerMinute)}
	for i, p := range providers {
		if i == 0 {
			s.def = p.Name()
		}
		s.providers[p.Name()] = p
	}
	for _, o := range opts {
		o(s)
	}
	ed.OnArticleUpdated(s.sourceChanged)
	return s
}

// Provider returns the named provider, or the default for "".
func (s *Service) Provider(name string) (Provider, error) {
	if name == "" {
		name = s.def
	}
	p := s.providers[name]
	if p == nil {
		names := make([]string, 0, len(s.providers))
		for n := range s.providers {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, content.Errorf(content.EINVALID, "translation provider %q is not configured (have: %s)", name, strings.Join(names, ", "))
	}
	return p, nil
}

// SourceVersion is the hash of the text of a that a translation is made
// from: title, deck, excerpt, body and image texts. A translation whose
// SourceVersion differs from its source's is outdated.
func SourceVersion(a *content.Article) string {
	parts := []string{a.Title, a.Deck, a.Excerpt, a.BodyMarkdown}
	if a.Image != nil {
		parts = append(parts, a.Image.Alt, a.Image.Caption)
	}
	return hashText(strings.Join(parts, "\x00"))[:32]
}

// Options adjust one translation run.
type Options struct {
	Provider string // "" for the default
	UserID   int64  // who asked; 0 for the system
	// Force replaces a translation a person wrote or reviewed. Without it
	// such a translation is never overwritten by a machine.
	Force bool
	// Progress, when set, is told how many segments are done.
	Progress func(done, total int)
	// OnDemand marks a translation a reader asked for: it mirrors the
	// source's status even when the site holds machine translations for
	// review, so the reader gets it at its own address (labelled, noindexed,
	// and kept off listings until reviewed).
	OnDemand bool
}

// articleDoc cuts an article's texts into one list of segments.
type articleDoc struct {
	fields []*Doc // title, deck, excerpt, body, alt, caption
	segs   []Segment
}

const (
	fTitle = iota
	fDeck
	fExcerpt
	fBody
	fAlt
	fCaption
)

func splitArticle(a *content.Article) *articleDoc {
	ad := &articleDoc{fields: make([]*Doc, 6)}
	plain := func(kind, s string) *Doc {
		d := &Doc{}
		d.AddPlain(kind, s)
		return d
	}
	ad.fields[fTitle] = plain("title", a.Title)
	ad.fields[fDeck] = plain("deck", a.Deck)
	ad.fields[fExcerpt] = plain("excerpt", a.Excerpt)
	ad.fields[fBody] = SplitMarkdown(a.BodyMarkdown)
	ad.fields[fAlt], ad.fields[fCaption] = &Doc{}, &Doc{}
	if a.Image != nil {
		ad.fields[fAlt] = plain("image alt", a.Image.Alt)
		ad.fields[fCaption] = plain("image caption", a.Image.Caption)
	}
	for _, d := range ad.fields {
		ad.segs = append(ad.segs, d.Segments...)
	}
	return ad
}

// join returns the translated texts of each field.
func (ad *articleDoc) join(out []string) []string {
	res := make([]string, len(ad.fields))
	off := 0
	for i, d := range ad.fields {
		res[i] = d.Join(out[off : off+len(d.Segments)])
		off += len(d.Segments)
	}
	return res
}

// memoryBatch is the number of segments sent to a provider at once; the
// memory and the progress are updated after each batch, so a failed run
// resumes where it stopped.
const memoryBatch = 20

// translateSegments translates segs through the memory: segments already
// translated by the same provider for the same pair are reused, and only
// the others go to the provider, each distinct text once.
func (s *Service) translateSegments(ctx context.Context, p Provider, from, to string, segs []Segment, progress func(done, total int)) ([]string, error) {
	hashes := make([]string, len(segs))
	for i, sg := range segs {
		hashes[i] = hashText(sg.Text)
	}
	known, err := s.st.LookupMemory(ctx, from, to, p.Name(), uniq(hashes))
	if err != nil {
		return nil, fmt.Errorf("translate: %w", err)
	}
	var todo []Segment
	var todoHash []string
	queued := map[string]bool{}
	for i, h := range hashes {
		if _, ok := known[h]; !ok && !queued[h] {
			queued[h] = true
			todo = append(todo, segs[i])
			todoHash = append(todoHash, h)
		}
	}
	total := len(segs)
	done := total - len(todo)
	if progress != nil {
		progress(done, total)
	}
	for start := 0; start < len(todo); start += memoryBatch {
		end := min(start+memoryBatch, len(todo))
		out, err := p.Translate(ctx, from, to, todo[start:end])
		if err != nil {
			return nil, err
		}
		entries := make([]*store.MemoryEntry, len(out))
		for i, t := range out {
			h := todoHash[start+i]
			known[h] = t
			entries[i] = &store.MemoryEntry{SourceLang: from, TargetLang: to, Provider: p.Name(),
				SourceHash: h, SourceText: todo[start+i].Text, TargetText: t}
		}
		if err := s.st.PutMemory(ctx, entries); err != nil {
			return nil, fmt.Errorf("translate: %w", err)
		}
		done += end - start
		if progress != nil {
			progress(done, total)
		}
	}
	res := make([]string, len(segs))
	for i, h := range hashes {
		res[i] = known[h]
	}
	return res, nil
}

func uniq(ss []string) []string {
	seen := map[string]bool{}
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// TranslateArticle machine-translates the article into lang and stores the
// result as the lang member of its translation group: created, or updated
// when a machine translation is already there. It is all or nothing: the
// article is written only once every segment is translated, so a provider
// failure, a timeout or a missing pair leaves what readers see unchanged.
//
// The translation mirrors the source's status (a published source gives a
// published translation with the same publish time), carries
// Translation{Machine: true} so pages label it and keep it out of search
// indexes until a person reviews it. Errors: not_found, invalid (same
// language, bad tag, unsupported pair, unknown provider), conflict (a
// translation a person wrote or reviewed exists and Force is off), and
// provider failures whose message names the provider and the pair.
func (s *Service) TranslateArticle(ctx context.Context, articleID int64, lang string, o Options) (*content.Article, error) {
	src, err := s.st.FindArticleByID(ctx, articleID)
	if err != nil {
		return nil, fmt.Errorf("translate article %d: %w", articleID, err)
	}
	// Translate from the original, never from another machine's output.
	if src.Translation != nil && src.Translation.SourceID != 0 {
		if orig, err := s.st.FindArticleByID(ctx, src.Translation.SourceID); err == nil {
			src = orig
		}
	}
	if !content.ValidLanguageTag(lang) {
		return nil, content.Errorf(content.EINVALID, "%q is not a BCP 47 language tag", lang)
	}
	if strings.EqualFold(lang, src.Language) {
		return nil, content.Errorf(content.EINVALID, "article %d is already in %s", src.ID, lang)
	}
	p, err := s.Provider(o.Provider)
	if err != nil {
		return nil, err
	}
	if !p.Supports(src.Language, lang) {
		return nil, unsupported(p.Name(), src.Language, lang)
	}
	existing, err := s.findInGroup(ctx, src.TranslationGroup, lang)
	if err != nil {
		return nil, err
	}
	if existing != nil && !o.Force {
		if t := existing.Translation; t == nil || !t.Machine || t.Reviewed {
			return nil, content.Errorf(content.ECONFLICT,
				"article %d already has a translation in %s written or reviewed by a person (article %d); a machine translation would replace it",
				src.ID, lang, existing.ID)
		}
	}

	ad := splitArticle(src)
	out, err := s.translateSegments(ctx, p, src.Language, lang, ad.segs, o.Progress)
	if err != nil {
		return nil, fmt.Errorf("translate article %d to %s: %w", src.ID, lang, err)
	}
	texts := ad.join(out)

	a := &content.Article{
		Language: lang, TranslationGroup: src.TranslationGroup,
		Title: texts[fTitle], Deck: texts[fDeck], Excerpt: texts[fExcerpt], BodyMarkdown: texts[fBody],
		Status: src.Status, PublishedAt: src.PublishedAt, Featured: src.Featured,
		License: src.License, SourceURL: src.SourceURL, SourceName: src.SourceName,
		Authors: src.Authors, Terms: src.Terms,
		Type: src.Type, ParentID: src.ParentID, Template: src.Template,
		Translation: &content.TranslationInfo{SourceID: src.ID, SourceLang: src.Language, Machine: true,
			Provider: p.Name(), SourceVersion: SourceVersion(src)},
	}
	// A source published for a future time is scheduled by editorial, and
	// so is its translation. An archived source gets a draft: nothing new
	// goes public from an article taken down.
	if src.Status == content.StatusArchived {
		a.Status = content.StatusDraft
	}
	// Held for review: unless the site publishes machine output as it is,
	// a translation of a published or scheduled source waits in review
	// (MarkReviewed publishes it).
	if held, err := s.holdsMachineTranslations(ctx); err != nil {
		return nil, fmt.Errorf("translate article %d to %s: %w", src.ID, lang, err)
	} else if held && !o.OnDemand && (a.Status == content.StatusPublished || a.Status == content.StatusScheduled) {
		a.Status = content.StatusReview
	}
	if src.Image != nil {
		im := *src.Image
		im.Alt, im.Caption = texts[fAlt], texts[fCaption]
		a.Image = &im
	}
	if existing != nil {
		a.ID, a.Slug = existing.ID, existing.Slug
		if err := s.ed.System("translation").UpdateArticle(ctx, a); err != nil {
			return nil, fmt.Errorf("translate article %d to %s: %w", src.ID, lang, err)
		}
		return a, nil
	}
	// Keep the source's slug, so /es/{slug}/ mirrors /{slug}/; a clash in
	// the target language falls back to a fresh slug.
	if taken, err := s.st.SlugTaken(ctx, lang, src.Slug, 0); err != nil {
		return nil, fmt.Errorf("translate article %d to %s: %w", src.ID, lang, err)
	} else if !taken {
		a.Slug = src.Slug
	}
	if err := s.ed.System("translation").CreateArticle(ctx, a); err != nil {
		return nil, fmt.Errorf("translate article %d to %s: %w", src.ID, lang, err)
	}
	return a, nil
}

// holdsMachineTranslations reports whether the site holds unreviewed
// machine translations for review (the default).
func (s *Service) holdsMachineTranslations(ctx context.Context) (bool, error) {
	st, err := s.st.Settings(ctx)
	if err != nil {
		return false, err
	}
	return !st.PublishMachineTranslations, nil
}

// Supports reports whether the default provider translates from one
// language to another, for the site's "translate this for me" button.
func (s *Service) Supports(from, to string) bool {
	p, err := s.Provider("")
	return err == nil && p.Supports(from, to)
}

// findInGroup returns the group's article in lang, or nil.
func (s *Service) findInGroup(ctx context.Context, group int64, lang string) (*content.Article, error) {
	as, _, err := s.st.FindArticles(ctx, store.ArticleFilter{TranslationGroup: group, Language: lang, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("translate: find %s translation: %w", lang, err)
	}
	if len(as) == 0 {
		return nil, nil
	}
	return as[0], nil
}

// MarkReviewed records that user checked the translation id against its
// source as it is now: it is no longer an unreviewed machine translation
// nor outdated, and user is the one told when the source changes next.
// Editors and above may review; not_found, invalid for an original.
func (s *Service) MarkReviewed(ctx context.Context, id int64, user *content.User) (*content.Article, error) {
	if user == nil || !user.Role.Can(content.ActEditAnyArticle) {
		return nil, content.Errorf(content.EFORBIDDEN, "only editors may mark a translation reviewed")
	}
	a, err := s.st.FindArticleByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("mark translation %d reviewed: %w", id, err)
	}
	if a.Translation == nil {
		return nil, content.Errorf(content.EINVALID, "article %d is an original, not a translation", id)
	}
	t := *a.Translation
	t.Reviewed, t.Outdated, t.TranslatedBy = true, false, user.ID
	if src, err := s.st.FindArticleByID(ctx, t.SourceID); err == nil {
		t.SourceVersion = SourceVersion(src)
		// A machine translation held for review goes out with its source.
		if a.Status == content.StatusReview && t.Machine &&
			(src.Status == content.StatusPublished || src.Status == content.StatusScheduled) {
			a.Status, a.PublishedAt = src.Status, src.PublishedAt
		}
	}
	a.Translation = &t
	if err := s.ed.System("translation").UpdateArticle(ctx, a); err != nil {
		return nil, fmt.Errorf("mark translation %d reviewed: %w", id, err)
	}
	return a, nil
}

// sourceChanged runs after every article edit. When the text of a source
// changed, each translation made from it is flagged outdated (or un-flagged
// when the text is back to what was translated), and the people who
// translated or reviewed it, or asked for it, are told.
func (s *Service) sourceChanged(ctx context.Context, old, updated *content.Article) {
	if SourceVersion(old) == SourceVersion(updated) {
		return
	}
	if err := s.flagTranslations(ctx, updated); err != nil {
		s.log.ErrorContext(ctx, "flag outdated translations", "article_id", updated.ID, "err", err)
	}
}

func (s *Service) flagTranslations(ctx context.Context, src *content.Article) error {
	group, _, err := s.st.FindArticles(ctx, store.ArticleFilter{TranslationGroup: src.TranslationGroup})
	if err != nil {
		return err
	}
	version := SourceVersion(src)
	for _, a := range group {
		t := a.Translation
		if t == nil || t.SourceID != src.ID {
			continue
		}
		outdated := t.SourceVersion != version
		if outdated == t.Outdated {
			continue
		}
		nt := *t
		nt.Outdated = outdated
		a.Translation = &nt
		if err := s.ed.System("translation").UpdateArticle(ctx, a); err != nil {
			return fmt.Errorf("flag translation %d: %w", a.ID, err)
		}
		if outdated {
			s.tellTranslators(ctx, src, a)
		}
	}
	return nil
}

// tellTranslators records a notice for everyone responsible for tr and
// delivers it when a notifier is set.
func (s *Service) tellTranslators(ctx context.Context, src, tr *content.Article) {
	users := map[int64]bool{}
	if tr.Translation.TranslatedBy != 0 {
		users[tr.Translation.TranslatedBy] = true
	}
	// A machine translation has no translator; whoever asked for it is the
	// person who cares.
	if jobs, err := s.st.FindTranslationJobs(ctx, src.ID); err == nil {
		for _, j := range jobs {
			if j.ResultID == tr.ID && j.RequestedBy != 0 {
				users[j.RequestedBy] = true
			}
		}
	}
	ids := make([]int64, 0, len(users))
	for id := range users {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, uid := range ids {
		n := &store.TranslationNotice{UserID: uid, ArticleID: tr.ID, SourceID: src.ID,
			Message: fmt.Sprintf("The %s original of %q (article %d) changed; its %s translation (article %d) is out of date.",
				src.Language, src.Title, src.ID, tr.Language, tr.ID)}
		if err := s.st.CreateTranslationNotice(ctx, n); err != nil {
			s.log.ErrorContext(ctx, "record translation notice", "article_id", tr.ID, "user_id", uid, "err", err)
			continue
		}
		s.log.InfoContext(ctx, "translation outdated", "article_id", tr.ID, "source_id", src.ID, "user_id", uid)
		if s.notifier == nil {
			continue
		}
		if err := s.notifier.Notify(ctx, n); err != nil {
			s.log.ErrorContext(ctx, "deliver translation notice", "notice_id", n.ID, "err", err)
			continue
		}
		if err := s.st.MarkTranslationNoticeDelivered(ctx, n.ID); err != nil {
			s.log.ErrorContext(ctx, "mark translation notice delivered", "notice_id", n.ID, "err", err)
		}
	}
}
