package translate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"folio/internal/content"
	"folio/internal/store"
)

// Queue is the durable job queue (*jobs.Queue): a translation accepted by
// Request survives a restart and is retried with backoff.
type Queue interface {
	Enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
}

// JobArgs is the queued work: one translation_jobs row.
type JobArgs struct {
	JobID int64 `json:"job_id"`
}

// Kind names the job kind in the queue.
func (JobArgs) Kind() string { return "translate_article" }

// InsertOpts gives translation jobs a few attempts: a provider that is down
// for minutes is worth retrying, a missing pair is not (see Work).
func (JobArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 5} }

// Worker works translation jobs; register it with jobs.Register.
type Worker struct {
	river.WorkerDefaults[JobArgs]
	S *Service
}

// Timeout bounds one attempt; long articles on Apertium take seconds.
func (w *Worker) Timeout(*river.Job[JobArgs]) time.Duration { return 10 * time.Minute }

// Work runs the job. Errors a retry cannot fix (invalid, conflict,
// not_found) cancel the job instead of retrying it.
func (w *Worker) Work(ctx context.Context, j *river.Job[JobArgs]) error {
	err := w.S.RunJob(ctx, j.Args.JobID)
	switch content.ErrorCode(err) {
	case "", content.EINTERNAL:
		return err
	}
	return river.JobCancel(err)
}

// Request accepts a translation of the article into lang asked for by
// user and returns its job, whose progress Job and Status report. With a
// queue the work runs in the background; without one it runs before
// Request returns. The user must be allowed to create articles, and to
// publish any when the source is public (the translation will be too).
func (s *Service) Request(ctx context.Context, articleID int64, lang, provider string, user *content.User) (*store.TranslationJob, error) {
	src, err := s.st.FindArticleByID(ctx, articleID)
	if err != nil {
		return nil, fmt.Errorf("request translation of %d: %w", articleID, err)
	}
	if user == nil || !user.Role.Can(content.ActCreateArticle) {
		return nil, content.Errorf(content.EFORBIDDEN, "your role may not create translations")
	}
	if src.Status != content.StatusDraft && src.Status != content.StatusReview && !user.Role.Can(content.ActPublishAny) {
		return nil, content.Errorf(content.EFORBIDDEN, "only editors may translate an article that is public or scheduled")
	}
	p, err := s.Provider(provider)
	if err != nil {
		return nil, err
	}
	if !p.Supports(src.Language, lang) {
		return nil, unsupported(p.Name(), src.Language, lang)
	}
	j := &store.TranslationJob{ArticleID: src.ID, TargetLang: lang, Provider: p.Name(), RequestedBy: user.ID}
	if err := s.st.CreateTranslationJob(ctx, j); err != nil {
		return nil, fmt.Errorf("request translation of %d: %w", articleID, err)
	}
	if s.queue == nil {
		err := s.RunJob(ctx, j.ID)
		if got, ferr := s.st.FindTranslationJob(ctx, j.ID); ferr == nil {
			j = got
		}
		return j, err
	}
	if err := s.queue.Enqueue(ctx, JobArgs{JobID: j.ID}, nil); err != nil {
		j.State, j.Error = store.JobFailed, "could not queue the job"
		_ = s.st.UpdateTranslationJob(ctx, j)
		return nil, fmt.Errorf("request translation of %d: enqueue: %w", articleID, err)
	}
	return j, nil
}

// Job returns a translation job with its progress.
func (s *Service) Job(ctx context.Context, id int64) (*store.TranslationJob, error) {
	return s.st.FindTranslationJob(ctx, id)
}

// RunJob performs job id, recording progress (segments done of total) as
// it goes and the outcome at the end.
func (s *Service) RunJob(ctx context.Context, id int64) error {
	j, err := s.st.FindTranslationJob(ctx, id)
	if err != nil {
		return fmt.Errorf("run translation job %d: %w", id, err)
	}
	if j.State == store.JobDone {
		return nil
	}
	j.State, j.Error = store.JobRunning, ""
	if err := s.st.UpdateTranslationJob(ctx, j); err != nil {
		return fmt.Errorf("run translation job %d: %w", id, err)
	}
	a, err := s.TranslateArticle(ctx, j.ArticleID, j.TargetLang, Options{
		Provider: j.Provider, UserID: j.RequestedBy,
		Progress: func(done, total int) {
			j.SegmentsDone, j.SegmentsTotal = done, total
			// Progress is advisory: a failed write must not fail the work.
			_ = s.st.UpdateTranslationJob(ctx, j)
		},
	})
	// Record the outcome even when ctx was cancelled mid-run.
	wctx := context.WithoutCancel(ctx)
	if err != nil {
		j.State, j.Error = store.JobFailed, content.ErrorMessage(err)
		if uerr := s.st.UpdateTranslationJob(wctx, j); uerr != nil {
			err = errors.Join(err, uerr)
		}
		return err
	}
	j.State, j.ResultID, j.SegmentsDone = store.JobDone, a.ID, j.SegmentsTotal
	if err := s.st.UpdateTranslationJob(wctx, j); err != nil {
		return fmt.Errorf("run translation job %d: %w", id, err)
	}
	return nil
}
