package translate

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
	"folio/internal/store/sqlite/sqlitetest"
	"folio/internal/store/storetest"
)

// fake is a provider that prefixes "ES:" to character data and records
// every segment it was sent.
type fake struct {
	mu     sync.Mutex
	sent   []string
	calls  int
	failAt int           // fail on this call (1-based); 0 never
	delay  time.Duration // per call
	pairs  map[string]bool
}

func (f *fake) Name() string { return "fake" }

func (f *fake) Supports(from, to string) bool {
	if f.pairs == nil {
		return from != to
	}
	return f.pairs[from+">"+to]
}

func (f *fake) Translate(ctx context.Context, from, to string, segs []Segment) ([]string, error) {
	f.mu.Lock()
	f.calls++
	n := f.calls
	for _, s := range segs {
		f.sent = append(f.sent, s.Text)
	}
	f.mu.Unlock()
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, providerError(f.Name(), from, to, ctx.Err(), "timed out")
		}
	}
	if n == f.failAt {
		return nil, providerError(f.Name(), from, to, errors.New("boom"), "the service answered 500: boom")
	}
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = reAnyTagOrVar.ReplaceAllStringFunc(s.Text, func(m string) string {
			if strings.HasPrefix(m, "<") || strings.TrimSpace(m) == "" {
				return m
			}
			return "ES:" + m
		})
	}
	return out, nil
}

func (f *fake) reset() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.sent
	f.sent, f.calls = nil, 0
	return s
}

type noticeRecorder struct {
	mu sync.Mutex
	ns []*store.TranslationNotice
}

func (r *noticeRecorder) Notify(ctx context.Context, n *store.TranslationNotice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ns = append(r.ns, n)
	return nil
}

func newEnv(t *testing.T, providers []Provider, opts ...Option) (Store, *editorial.Service, *Service) {
	t.Helper()
	db := sqlitetest.New(t)
	ed := editorial.New(db)
	return db, ed, New(ed, db, providers, opts...)
}

const sourceBody = `The government announced a **new plan** for the city.

## The old port

- The first house is *red*.
- Read [the full report](https://example.org/report_2024?id=7) today.

> The river is very long.

Run ` + "`folio translate`" + ` to see the result.

![A black dog in the garden](/media/dog.jpg "Dog")

` + "```sh\necho \"the house\"\n```\n"

func mustSource(t *testing.T, st Store, ed *editorial.Service) *content.Article {
	t.Helper()
	au := storetest.MustCreateAuthor(t, st, "Ana Ruiz")
	a := &content.Article{Language: "en", Title: "The new plan", Deck: "The city has a new port.",
		Excerpt: "A short summary of the plan.", BodyMarkdown: sourceBody, Status: content.StatusPublished,
		Authors: []*content.Author{{ID: au.ID}},
		Image:   &content.Image{URL: "/media/port.jpg", Alt: "The old port at night", Caption: "The port in winter", Credit: "Ana Ruiz"}}
	if err := ed.System("test").CreateArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestTranslateArticle_Apertium(t *testing.T) {
	ap := needApertium(t, "en", "es")
	ctx := context.Background()
	st, ed, svc := newEnv(t, []Provider{ap})
	src := mustSource(t, st, ed)

	tr, err := svc.TranslateArticle(ctx, src.ID, "es", Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.FindArticleByID(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("title %q deck %q\n%s", got.Title, got.Deck, got.BodyMarkdown)
	// Held for review by default (see TestMachineTranslation_HoldRules).
	if got.Language != "es" || got.TranslationGroup != src.TranslationGroup || got.Status != content.StatusReview ||
		!got.PublishedAt.Equal(src.PublishedAt) || got.Slug != src.Slug {
		t.Fatalf("translation = %+v", got)
	}
	want := content.TranslationInfo{SourceID: src.ID, SourceLang: "en", Machine: true, Provider: "apertium", SourceVersion: SourceVersion(src)}
	if *got.Translation != want {
		t.Fatalf("Translation = %+v, want %+v", got.Translation, want)
	}
	if !strings.Contains(got.Title, "plan") || !strings.Contains(got.Deck, "ciudad") || got.Image.Credit != "Ana Ruiz" ||
		!strings.Contains(got.Image.Caption, "puerto") || !strings.Contains(got.Image.Alt, "puerto") {
		t.Errorf("plain fields: title %q deck %q image %+v", got.Title, got.Deck, got.Image)
	}
	for _, part := range []string{
		"**", "\n\n## ", "\n- ", "](https://example.org/report_2024?id=7)", "\n> ", "`folio translate`",
		"](/media/dog.jpg \"Dog\")", "```sh\necho \"the house\"\n```\n", "ciudad", "perro",
	} {
		if !strings.Contains(got.BodyMarkdown, part) {
			t.Errorf("body lacks %q", part)
		}
	}
	if !strings.Contains(got.BodyHTML, `<a href="https://example.org/report_2024?id=7">`) || !strings.Contains(got.BodyHTML, "<strong>") ||
		!strings.Contains(got.BodyHTML, "<h2") || !strings.Contains(got.BodyHTML, "<blockquote>") {
		t.Errorf("rendered body lost structure:\n%s", got.BodyHTML)
	}
	if len(got.Authors) != 1 || got.Authors[0].ID != src.Authors[0].ID {
		t.Errorf("authors = %+v", got.Authors)
	}
}

func TestTranslateArticle_Memory(t *testing.T) {
	ctx := context.Background()
	f := &fake{}
	st, ed, svc := newEnv(t, []Provider{f})
	src := mustSource(t, st, ed)

	tr, err := svc.TranslateArticle(ctx, src.ID, "es", Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := f.reset()
	if len(first) < 10 {
		t.Fatalf("sent %d segments, want every segment once: %q", len(first), first)
	}

	// Edit one paragraph: only it goes to the provider next time.
	src, _ = st.FindArticleByID(ctx, src.ID)
	src.BodyMarkdown = strings.Replace(src.BodyMarkdown, "The river is very long.", "The river is short.", 1)
	if err := ed.System("test").UpdateArticle(ctx, src); err != nil {
		t.Fatal(err)
	}
	tr2, err := svc.TranslateArticle(ctx, src.ID, "es", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tr2.ID != tr.ID {
		t.Fatalf("retranslation created article %d, want update of %d", tr2.ID, tr.ID)
	}
	if second := f.reset(); len(second) != 1 || second[0] != "The river is short." {
		t.Fatalf("second run sent %q, want only the edited paragraph", second)
	}
	if !strings.Contains(tr2.BodyMarkdown, "> ES:The river is short.") || tr2.Translation.Outdated {
		t.Fatalf("retranslation body:\n%s\ninfo %+v", tr2.BodyMarkdown, tr2.Translation)
	}

	// A third run sends nothing; each unchanged segment has been reused twice.
	if _, err := svc.TranslateArticle(ctx, src.ID, "es", Options{}); err != nil {
		t.Fatal(err)
	}
	if third := f.reset(); len(third) != 0 {
		t.Fatalf("third run sent %q, want nothing", third)
	}
	e, err := st.FindMemory(ctx, "en", "es", "fake", hashText("The new plan"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Hits != 2 || e.TargetText != "ES:The new plan" {
		t.Fatalf("title entry = %+v, want 2 hits", e)
	}
	e, err = st.FindMemory(ctx, "en", "es", "fake", hashText("The river is short."))
	if err != nil {
		t.Fatal(err)
	}
	if e.Hits != 1 {
		t.Fatalf("edited paragraph hits = %d, want 1", e.Hits)
	}
}

func TestTranslateArticle_Outdated(t *testing.T) {
	ctx := context.Background()
	f := &fake{}
	rec := &noticeRecorder{}
	st, ed, svc := newEnv(t, []Provider{f}, WithNotifier(rec))
	src := mustSource(t, st, ed)
	editor := &content.User{ID: 42, Role: content.RoleEditor}

	job, err := svc.Request(ctx, src.ID, "es", "", &content.User{ID: 7, Role: content.RoleEditor})
	if err != nil {
		t.Fatal(err)
	}
	if job.State != store.JobDone || job.SegmentsDone != job.SegmentsTotal || job.SegmentsTotal == 0 || job.ResultID == 0 {
		t.Fatalf("job = %+v", job)
	}
	trID := job.ResultID

	flag := func() *content.TranslationInfo {
		t.Helper()
		a, err := st.FindArticleByID(ctx, trID)
		if err != nil {
			t.Fatal(err)
		}
		return a.Translation
	}

	// A status-only change is not a text change.
	if _, err := ed.System("test").Unpublish(ctx, src.ID); err != nil {
		t.Fatal(err)
	}
	if flag().Outdated {
		t.Fatal("outdated after unpublish")
	}

	src, _ = st.FindArticleByID(ctx, src.ID)
	orig := src.Title
	src.Title = "The newer plan"
	if err := ed.System("test").UpdateArticle(ctx, src); err != nil {
		t.Fatal(err)
	}
	if !flag().Outdated {
		t.Fatal("not outdated after the source title changed")
	}
	ns, err := st.FindTranslationNotices(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 || ns[0].ArticleID != trID || ns[0].DeliveredAt.IsZero() || len(rec.ns) != 1 {
		t.Fatalf("requester notices = %+v, delivered %d", ns, len(rec.ns))
	}

	// Back to the translated text: current again.
	src.Title = orig
	if err := ed.System("test").UpdateArticle(ctx, src); err != nil {
		t.Fatal(err)
	}
	if flag().Outdated {
		t.Fatal("still outdated after the source text was restored")
	}

	// Reviewed by an editor: the reviewer is told of the next change.
	if _, err := svc.MarkReviewed(ctx, trID, &content.User{ID: 9, Role: content.RoleAuthor}); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Fatalf("author marking reviewed: err = %v", err)
	}
	if _, err := svc.MarkReviewed(ctx, trID, editor); err != nil {
		t.Fatal(err)
	}
	if got := flag(); !got.Reviewed || got.TranslatedBy != 42 || !got.Machine {
		t.Fatalf("after review: %+v", got)
	}
	src.BodyMarkdown += "\nOne more line.\n"
	if err := ed.System("test").UpdateArticle(ctx, src); err != nil {
		t.Fatal(err)
	}
	if !flag().Outdated {
		t.Fatal("reviewed translation not outdated after a body edit")
	}
	if ns, _ := st.FindTranslationNotices(ctx, 42); len(ns) != 1 {
		t.Fatalf("reviewer notices = %+v", ns)
	}

	// The reviewed translation is a person's work: a machine run refuses it.
	if _, err := svc.TranslateArticle(ctx, src.ID, "es", Options{}); content.ErrorCode(err) != content.ECONFLICT {
		t.Fatalf("retranslate reviewed: err = %v, want conflict", err)
	}

	st2, err := svc.Status(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(st2) != 2 || !st2[0].Original || st2[0].Language != "en" || st2[1].Language != "es" ||
		!st2[1].Machine || !st2[1].Reviewed || !st2[1].Outdated || st2[1].Job == nil || st2[1].Job.State != store.JobDone {
		t.Fatalf("status = %+v", st2)
	}
}

func TestTranslateArticle_Failures(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		p       *fake
		opts    Options
		lang    string
		ctx     func() (context.Context, context.CancelFunc)
		code    string
		message string
	}{
		{name: "provider fails", p: &fake{failAt: 1}, lang: "es", code: content.EINTERNAL,
			message: "machine translation with fake from en to es failed: the service answered 500: boom"},
		{name: "fails after the first batch", p: &fake{failAt: 2}, lang: "es", code: content.EINTERNAL,
			message: "failed: the service answered 500: boom"},
		// The deadline is long enough for the store lookups before the
		// provider call on a loaded machine; the provider then outlasts it.
		{name: "timeout", p: &fake{delay: time.Minute}, lang: "es", code: content.EINTERNAL, message: "failed: timed out",
			ctx: func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, 3*time.Second) }},
		{name: "missing pair", p: &fake{pairs: map[string]bool{"en>ca": true}}, lang: "es", code: content.EINVALID,
			message: "machine translation with fake does not support en to es"},
		{name: "same language", p: &fake{}, lang: "en", code: content.EINVALID, message: "already in en"},
		{name: "bad tag", p: &fake{}, lang: "not a tag", code: content.EINVALID, message: "not a BCP 47"},
		{name: "unknown provider", p: &fake{}, lang: "es", opts: Options{Provider: "nope"}, code: content.EINVALID,
			message: `translation provider "nope" is not configured (have: fake)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, ed, svc := newEnv(t, []Provider{tt.p})
			src := mustSource(t, st, ed)
			// A long body makes several provider batches.
			var b strings.Builder
			for i := range 30 {
				b.WriteString("Paragraph number " + strings.Repeat("x", i+1) + " is here.\n\n")
			}
			src.BodyMarkdown = b.String()
			if err := ed.System("test").UpdateArticle(ctx, src); err != nil {
				t.Fatal(err)
			}
			c := ctx
			if tt.ctx != nil {
				var cancel context.CancelFunc
				c, cancel = tt.ctx()
				defer cancel()
			}
			_, err := svc.TranslateArticle(c, src.ID, tt.lang, tt.opts)
			if content.ErrorCode(err) != tt.code || !strings.Contains(content.ErrorMessage(err), tt.message) {
				t.Fatalf("err = %v (code %s, message %q), want %s containing %q", err, content.ErrorCode(err), content.ErrorMessage(err), tt.code, tt.message)
			}
			group, _, err := st.FindArticles(ctx, store.ArticleFilter{TranslationGroup: src.TranslationGroup})
			if err != nil {
				t.Fatal(err)
			}
			if len(group) != 1 {
				t.Fatalf("group has %d articles after a failed translation, want only the original", len(group))
			}
		})
	}

	t.Run("existing translation kept on failure", func(t *testing.T) {
		f := &fake{}
		st, ed, svc := newEnv(t, []Provider{f})
		src := mustSource(t, st, ed)
		tr, err := svc.TranslateArticle(ctx, src.ID, "es", Options{})
		if err != nil {
			t.Fatal(err)
		}
		src.Title, src.Deck = "Changed title", "Changed deck"
		if err := ed.System("test").UpdateArticle(ctx, src); err != nil {
			t.Fatal(err)
		}
		f.reset()
		f.failAt = 1
		if _, err := svc.TranslateArticle(ctx, src.ID, "es", Options{}); err == nil {
			t.Fatal("no error")
		}
		got, err := st.FindArticleByID(ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != tr.Title || got.Status != tr.Status || !got.Translation.Outdated {
			t.Fatalf("translation after failed update: %q %s %+v", got.Title, got.Status, got.Translation)
		}
	})

	t.Run("job records the failure", func(t *testing.T) {
		st, ed, svc := newEnv(t, []Provider{&fake{failAt: 1}})
		src := mustSource(t, st, ed)
		j, err := svc.Request(ctx, src.ID, "es", "", &content.User{ID: 1, Role: content.RoleAdmin})
		if err == nil || j.State != store.JobFailed || !strings.Contains(j.Error, "boom") || j.ResultID != 0 {
			t.Fatalf("job %+v, err %v", j, err)
		}
		if _, err := svc.Request(ctx, src.ID, "es", "", &content.User{ID: 2, Role: content.RoleContributor}); content.ErrorCode(err) != content.EFORBIDDEN {
			t.Fatalf("contributor translating a published article: err = %v", err)
		}
	})
}

// queue records enqueued jobs; the test works them like River would.
type queue struct{ args []JobArgs }

func (q *queue) Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	q.args = append(q.args, args.(JobArgs))
	return nil
}

func TestRequest_Queued(t *testing.T) {
	ctx := context.Background()
	q := &queue{}
	st, ed, svc := newEnv(t, []Provider{&fake{}}, WithQueue(q))
	src := mustSource(t, st, ed)
	j, err := svc.Request(ctx, src.ID, "es", "", &content.User{ID: 3, Role: content.RoleEditor})
	if err != nil {
		t.Fatal(err)
	}
	if j.State != store.JobQueued || len(q.args) != 1 || q.args[0].JobID != j.ID {
		t.Fatalf("job %+v, queued %+v", j, q.args)
	}
	status, err := svc.Status(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(status) != 2 || status[1].ArticleID != 0 || status[1].Job.State != store.JobQueued {
		t.Fatalf("status while queued = %+v", status)
	}
	w := &Worker{S: svc}
	if err := w.Work(ctx, &river.Job[JobArgs]{Args: q.args[0]}); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Job(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != store.JobDone || got.ResultID == 0 || got.SegmentsDone != got.SegmentsTotal {
		t.Fatalf("job after work = %+v", got)
	}
	// A permanent failure cancels rather than retries.
	svc2 := New(ed, st, []Provider{&fake{pairs: map[string]bool{}}})
	j2 := &store.TranslationJob{ArticleID: src.ID, TargetLang: "ca", Provider: "fake"}
	if err := st.CreateTranslationJob(ctx, j2); err != nil {
		t.Fatal(err)
	}
	err = (&Worker{S: svc2}).Work(ctx, &river.Job[JobArgs]{Args: JobArgs{JobID: j2.ID}})
	var cancel *river.JobCancelError
	if !errors.As(err, &cancel) {
		t.Fatalf("missing pair: err = %v, want a cancelled job", err)
	}
}

func TestOnDemand(t *testing.T) {
	ctx := context.Background()
	f := &fake{delay: 50 * time.Millisecond}
	st, ed, svc := newEnv(t, []Provider{f})
	src := mustSource(t, st, ed)

	if _, err := svc.Translate(ctx, src.ID, "es"); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("disabled: err = %v, want not_found", err)
	}
	s, _ := st.Settings(ctx)
	s.TranslateOnDemand = true
	if err := ed.System("test").UpdateSettings(ctx, s); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	ids := make([]int64, 4)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := svc.Translate(ctx, src.ID, "es")
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = a.ID
		}()
	}
	wg.Wait()
	if f.calls != 1 || ids[0] == 0 || ids[0] != ids[1] || ids[1] != ids[2] || ids[2] != ids[3] {
		t.Fatalf("provider calls = %d, ids %v: want one translation shared", f.calls, ids)
	}
	a, err := svc.Translate(ctx, src.ID, "es")
	if err != nil || a.ID != ids[0] || f.calls != 1 {
		t.Fatalf("second request: %v, calls %d", err, f.calls)
	}
	// A reader asked for it: public at once, though the site holds the
	// editors' machine translations for review.
	if a.Translation == nil || !a.Translation.Machine || a.Status != content.StatusPublished {
		t.Fatalf("on-demand translation = %+v", a)
	}
	draft := &content.Article{Language: "en", Title: "Draft", Authors: []*content.Author{{ID: src.Authors[0].ID}}}
	if err := ed.System("test").CreateArticle(ctx, draft); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Translate(ctx, draft.ID, "es"); content.ErrorCode(err) != content.ENOTFOUND {
		t.Fatalf("draft: err = %v, want not_found", err)
	}
}

func TestLimiter(t *testing.T) {
	l := newLimiter(2)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	first, second := l.allow(now), l.allow(now)
	if !first || !second || l.allow(now.Add(time.Second)) {
		t.Fatal("limit of 2 per minute not applied")
	}
	if !l.allow(now.Add(61 * time.Second)) {
		t.Fatal("window did not slide")
	}
}

// TestMachineTranslation_HoldRules: by default a machine translation of a
// published article waits in review, and marking it reviewed publishes it
// with its source's time; a reader's on-demand translation is public at
// once (labelled, noindexed and off listings, see internal/site); with
// PublishMachineTranslations on, machine output is published as made.
func TestMachineTranslation_HoldRules(t *testing.T) {
	ctx := context.Background()
	st, ed, svc := newEnv(t, []Provider{&fake{}})
	src := mustSource(t, st, ed)
	editor := &content.User{ID: 9, Role: content.RoleEditor}

	held, err := svc.TranslateArticle(ctx, src.ID, "es", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if held.Status != content.StatusReview || held.IsPublic(time.Now()) {
		t.Fatalf("default: status %s, want review (held)", held.Status)
	}
	if _, err := svc.MarkReviewed(ctx, held.ID, &content.User{ID: 3, Role: content.RoleAuthor}); content.ErrorCode(err) != content.EFORBIDDEN {
		t.Fatalf("an author marked a translation reviewed: %v", err)
	}
	rev, err := svc.MarkReviewed(ctx, held.ID, editor)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Status != content.StatusPublished || !rev.PublishedAt.Equal(src.PublishedAt) || !rev.Translation.Reviewed {
		t.Fatalf("reviewed: status %s at %v, reviewed %v; want published with the source", rev.Status, rev.PublishedAt, rev.Translation.Reviewed)
	}

	s, _ := st.Settings(ctx)
	s.TranslateOnDemand = true
	if err := ed.System("test").UpdateSettings(ctx, s); err != nil {
		t.Fatal(err)
	}
	od, err := svc.Translate(ctx, src.ID, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if od.Status != content.StatusPublished || od.Translation.Reviewed {
		t.Fatalf("on demand: status %s reviewed %v; want published, unreviewed", od.Status, od.Translation.Reviewed)
	}

	s.PublishMachineTranslations = true
	if err := ed.System("test").UpdateSettings(ctx, s); err != nil {
		t.Fatal(err)
	}
	pub, err := svc.TranslateArticle(ctx, src.ID, "de", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if pub.Status != content.StatusPublished {
		t.Fatalf("PublishMachineTranslations: status %s, want published", pub.Status)
	}
}
